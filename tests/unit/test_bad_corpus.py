"""A generated corpus of bad inputs, by class (issue 16): each one, in a small project, makes
``tracker validate`` exit 1 with a located ``path:line[:col]: error:`` line for that file, within
10 seconds of processor time, with no traceback, and without quoting anything from outside the repository.

The cases are generated from a few valid files by damaging them one way each, so that every class
(crashes, silent loss, leaks, misleading messages, wrongly accepted values) has a family of members.

Cases that replace a file the project has once (data/indicators.yaml, the data/observations folder) are
validated alone. The others are validated BATCH at a time in one project, each under a name of its own
(``c007-per.csv``): a validation costs about 0.1 s of processor time whatever it holds, which was most of
this file's time. A case still passes only on an error located on its own file, and not on one that another
file of the project could cause (a policy or target id given twice), so a neighbour cannot stand in for it.
Each file is still read the way it would be alone: the catalogue reads each target file by itself, JSON and
xlsx files go through their loaders one by one, and a CSV file that the bulk reader refuses beside others is
loaded by itself (tracker/observations.py), as one that it refuses beside the shipped file is.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, cli_in_process

SECRET = "TOKEN=ghp_do-not-quote-this-anywhere"
POLICY = (ROOT / "targets" / "miit-sme-leading-talents-2024.yaml").read_text(encoding="utf-8")
CSV_HEADER = "indicator,period,value,unit,qualifier,coverage,source_title,publisher,source_url,published,note"
GOOD_ROW = "little-giants,2024-12,1.46,万,=,,Source title,Publisher,https://example.org/a,2024-12-02,"
COLUMNS = CSV_HEADER.split(",")


def _policy(**changes: str) -> str:
    """The shipped policy file, renamed, with target fields replaced (value text as written in YAML)."""
    text = POLICY.replace("miit-sme-leading-talents-2024", "case-policy")
    for key, value in changes.items():
        text = re.sub(rf"(?m)^(    {key}: ).*$", lambda m, v=value: m.group(1) + v, text, count=1)
    return text


def _csv(*rows: str, header: str = CSV_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def _row(**fields: str) -> str:
    values = dict(zip(COLUMNS, GOOD_ROW.split(","), strict=True))
    values.update(fields)
    return ",".join(values[c] for c in COLUMNS)


def _xlsx(build: Callable[[openpyxl.worksheet.worksheet.Worksheet], None]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    build(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# (case id) -> (file path in the project, contents: bytes, or ("link", target) for a symbolic link)
CASES: dict[str, tuple[str, object]] = {}


def case(name: str, path: str, contents: object) -> None:
    assert name not in CASES, name
    CASES[name] = (path, contents)


# 1. Crashes and resource exhaustion from small files -------------------------------------------
for n in (40, 1_000, 30_000):
    case(f"yaml-flow-sequence-{n}-deep", "targets/deep.yaml", b"policy: " + b"[" * n)
    case(f"yaml-flow-mapping-{n}-deep", "targets/deep.yaml", b"policy: " + b"{a: " * n)
    case(f"json-{n}-deep", "data/observations/deep.json", b"[" * n)
    case(f"json-objects-{n}-deep", "data/observations/deep.json", b'[{"a": ' * n)
for n in (40, 200):
    case(f"yaml-block-{n}-deep", "targets/deep.yaml",
         ("policy:\n" + "".join("  " * i + "- \n" for i in range(1, n))).encode())  # fmt: skip
for digits in (33, 400, 5_000, 100_000):
    number = "9" * digits
    case(f"csv-{digits}-digits", "data/observations/big.csv", _csv(_row(value=number)))
    case(
        f"json-{digits}-digits",
        "data/observations/big.json",
        json.dumps([{c: v for c, v in zip(COLUMNS, GOOD_ROW.split(","), strict=True) if v}])
        .replace('"1.46"', number)
        .encode(),
    )
for value, unit in (("1e308", "亿"), ("1e300", "万亿"), ("1.7e308", "million"), ("2e16", "家"), ("-1e308", "亿")):
    case(f"csv-magnitude-{value}-{unit}", "data/observations/huge.csv", _csv(_row(value=value, unit=unit)))
for text in ("inf", "-inf", "Infinity", "NaN", "nan", "1e999"):
    case(f"csv-not-finite-{text}", "data/observations/inf.csv", _csv(_row(value=text)))
case("json-nan-literal", "data/observations/nan.json", b'[{"indicator": "little-giants", "period": "2024", '
     b'"value": NaN, "unit": "\xe4\xb8\x87", "source_title": "t", "publisher": "p"}]')  # fmt: skip
case("json-1e400", "data/observations/big.json", b'[{"indicator": "little-giants", "period": "2024", '
     b'"value": 1e400, "unit": "x", "source_title": "t", "publisher": "p"}]')  # fmt: skip
for ref in ("XFD1048576", "A1048576", "ZZ1", "BM2", "A1000001"):
    case(f"xlsx-cell-{ref}", "data/observations/far.xlsx", _xlsx(lambda s, r=ref: s.__setitem__(r, "x")))


def _merged(ref: str) -> bytes:
    """A workbook whose sheet XML declares the merged range ``ref`` (written into the XML directly:
    openpyxl itself would build every cell of a huge range)."""
    small = _xlsx(lambda s: s.merge_cells("A3:B4"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b'ref="A3:B4"', f'ref="{ref}"'.encode())
            dst.writestr(item, data)
    return out.getvalue()


for merged in ("A3:Z200000", "A2:XFD2", "B5:B20000", "A1048570:C1048576"):
    case(f"xlsx-merged-{merged}", "data/observations/merged.xlsx", _merged(merged))
case("xlsx-not-a-zip", "data/observations/text.xlsx", b"indicator,period\nlittle-giants,2024\n")
case("xlsx-empty-zip", "data/observations/empty.xlsx", _zip({"hello.txt": b"hi"}))
case(
    "xlsx-damaged-workbook",
    "data/observations/damaged.xlsx",
    _zip({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<"}),
)
case("xlsx-truncated", "data/observations/cut.xlsx", _xlsx(lambda s: s.append(GOOD_ROW.split(",")))[:300])

# 2. Silent data loss ----------------------------------------------------------------------------
for at in range(1, 6):
    rows = [_row(period=f"{2015 + i}") for i in range(6)]
    rows[at] = rows[at].replace("Source title", '"Source title, unterminated')
    case(f"csv-unterminated-quote-row-{at + 2}", "data/observations/quote.csv", _csv(*rows))
for fields in (10, 12, 20):
    cells = GOOD_ROW.split(",")
    cells = (cells + ["x"] * fields)[:fields]
    case(f"csv-ragged-{fields}-fields", "data/observations/ragged.csv", _csv(_row(), ",".join(cells)))
case("csv-nul-bytes", "data/observations/nul.csv", _csv(_row()).replace(b"Publisher", b"Pub\x00lisher"))
case("csv-no-header", "data/observations/nohead.csv", b"\n\n")
case("csv-duplicate-row", "data/observations/dup.csv", _csv(_row(), _row()))
case("csv-conflicting-header", "data/observations/head.csv", _csv(_row(), header=CSV_HEADER + ",value"))
case("csv-unknown-column", "data/observations/col.csv", _csv(_row() + ",x", header=CSV_HEADER + ",comment"))
case("csv-missing-columns", "data/observations/miss.csv", _csv("little-giants,2024", header="indicator,period"))
case(
    "indicators-typo",
    "data/indicators.yaml",
    (ROOT / "data" / "indicators.yaml").read_bytes().replace(b"measure: cumulative", b"measur: cumulative", 1),
)
case("indicators-not-yaml", "data/indicators.yaml", b"indicators: [\n")
case("indicators-deep", "data/indicators.yaml", b"indicators: " + b"[" * 5000)
for ext in (".xls", ".tsv", ".txt", ".ods", ".xlsm", ".parquet"):
    case(f"ignored-type{ext}", f"data/observations/figures{ext}", _csv(_row()))

# 3. Leaks: links out of the repository ----------------------------------------------------------
for where in ("targets/leak.yaml", "data/observations/leak.csv", "data/observations/leak.json",
              "data/observations/leak.xlsx", "data/indicators.yaml"):  # fmt: skip
    case(f"link-to-secret-{where.replace('/', '-')}", where, ("link", "secret"))
    case(f"link-to-etc-passwd-{where.replace('/', '-')}", where, ("link", "/etc/passwd"))
case("link-folder-observations", "data/observations", ("link", "outside-folder"))
case("link-loop", "targets/loop.yaml", ("link", "loop.yaml"))

# 5. Tracebacks instead of errors: tags, YAML 1.1, encodings -------------------------------------
for tag, value in (("!!int", "abc"), ("!!float", "x"), ("!!bool", "maybe"), ("!!timestamp", "2020-13-45"),
                   ("!!str", "800"), ("!!binary", "aGk="), ("!!null", "x"), ("!!python/object/apply:os.system", "[ls]"),
                   ("!!python/name:os.system", "''"), ("!custom", "1"), ("!<tag:example.org,2024:x>", "1"),
                   ("!!set", "{a}"), ("!!omap", "[a: 1]"), ("!!merge", "x")):  # fmt: skip
    case(f"yaml-tag-{tag.strip('!<>').replace('/', '-').replace(':', '-')}", "targets/tag.yaml",
         _policy(value=f"{tag} {value}").encode())  # fmt: skip
for field, text in (("deadline", "33:47"), ("deadline", "2027:00"), ("value", "017"), ("value", "-012"),
                    ("value", "0b1100100000"), ("value", "8_00"), ("value", "0x320"), ("value", "13:20"),
                    ("value", "1:13:20")):  # fmt: skip
    case(f"yaml-1.1-{field}-{text}", "targets/y11.yaml", _policy(**{field: text}).encode())
for name, data in (("utf-16-bom", POLICY.encode("utf-16")), ("utf-16-le", POLICY.encode("utf-16-le")),
                   ("utf-16-be", POLICY.encode("utf-16-be")), ("utf-32", POLICY.encode("utf-32")),
                   ("latin-1", re.sub(r"(?m)^.*_zh:.*\n", "", POLICY).replace("MIIT", "MIIT é").encode("latin-1")),
                   ("gbk", _policy(title="工业和信息化部").encode("gbk")),
                   ("binary", b"\x89PNG\r\n\x1a\n\x00\x00")):  # fmt: skip
    case(f"yaml-encoding-{name}", "targets/enc.yaml", data)
    case(f"csv-encoding-{name}", "data/observations/enc.csv",
         _csv(_row()).decode().encode(name.replace("-bom", "")) if name not in ("binary", "gbk", "latin-1")
         else (data if name == "binary" else _csv(_row(publisher="工业和信息化部")).decode().encode("utf-16")))  # fmt: skip
case("json-utf-16", "data/observations/enc.json", json.dumps([{"indicator": "little-giants"}]).encode("utf-16"))

# 6. Wrongly accepted ---------------------------------------------------------------------------
for value in ("150", "-5", "100.5", "1e3"):
    case(f"csv-percent-{value}", "data/observations/pct.csv",
         _csv(_row(indicator="cnc-rate-key-processes", unit="%", value=value)))  # fmt: skip
for value in ("-1", "-0.5", "-1e3"):
    case(f"csv-negative-count-{value}", "data/observations/neg.csv", _csv(_row(value=value)))
for period in ("2024-13", "2024-Q5", "0000", "99999", "2023-02-30", "24-12", "2024/12", "Dec 2024"):
    case(
        f"csv-period-{period.replace('/', '-').replace(' ', '-')}",
        "data/observations/per.csv",
        _csv(_row(period=period)),
    )
for url in ("javascript:alert(1)", "data:text/html,x", "ftp://example.org", "https://", "https://a b",
            "https://x/\"onmouseover=1", "//evil.example", "https://user@evil.example"):  # fmt: skip
    case(
        f"csv-url-{re.sub(r'[^a-z0-9]+', '-', url)}",
        "data/observations/url.csv",
        _csv(_row(source_url=f'"{url}"'.replace('"onm', '""onm'))),
    )
for qualifier in ("≈", "=>", "about", "!="):
    case(f"csv-qualifier-{qualifier}", "data/observations/q.csv", _csv(_row(qualifier=qualifier)))
for field in ("indicator", "period", "value", "unit", "source_title", "publisher"):
    case(f"csv-empty-{field}", "data/observations/empty.csv", _csv(_row(**{field: ""})))
case(
    "yaml-id-trailing-newline",
    "targets/nl.yaml",
    POLICY.replace("  - id: sme-talents-800-by-2024", '  - id: "sme-talents-800-by-2024\\n"')
    .replace("miit-sme-leading-talents-2024", "case-policy")
    .encode(),
)
case("yaml-percent-target-150", "targets/pct.yaml", POLICY.replace("miit-sme-leading-talents-2024", "case-policy")
     .replace("indicator: sme-leading-talents-trained", "indicator: cnc-rate-key-processes")
     .replace("value: 800", "value: 150").replace("unit: people", "unit: '%'").encode())  # fmt: skip

# 7. Misleading messages ------------------------------------------------------------------------
case("yaml-comparator-equals", "targets/eq.yaml", _policy(comparator="=").encode())
case(
    "yaml-on-key",
    "targets/on.yaml",
    POLICY.replace("  issuer: MIIT", "  issuer: MIIT\n  on: yes")
    .replace("miit-sme-leading-talents-2024", "case-policy")
    .encode(),
)
case(
    "yaml-merge-key",
    "targets/merge.yaml",
    POLICY.replace("  issuer: MIIT", "  issuer: MIIT\n  <<: {extra: 1}")
    .replace("miit-sme-leading-talents-2024", "case-policy")
    .encode(),
)
case("yaml-passwd-like", "targets/pw.yaml", b"root:x:0:0:root:/root:/bin/bash\n")
case("yaml-list", "targets/list.yaml", b"- a\n- b\n")
case("yaml-alias", "targets/alias.yaml", b"policy: &p {id: x}\ntargets: [*p]\n")
case("yaml-unclosed-quote", "targets/q.yaml", _policy(title='"never closed').encode())
case("yaml-tab", "targets/tab.yaml", _policy().replace("    unit: people", "\tunit: people").encode())


def _materialise(project: Path, outside: Path, path: str, contents: object) -> Path:
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(contents, tuple):
        _, to = contents
        if target.exists() and not target.is_symlink():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        destination = {"secret": outside / "secret.txt", "outside-folder": outside / "folder"}.get(to, Path(to))
        target.symlink_to(destination)
    else:
        target.write_bytes(contents)
    return target


# Cases that replace what a project has once; each is validated in a project of its own.
ALONE = sorted(name for name, (path, _) in CASES.items() if path in ("data/indicators.yaml", "data/observations"))
BATCH = 20
_BATCHED = sorted(set(CASES) - set(ALONE))
BATCHES = [_BATCHED[i : i + BATCH] for i in range(0, len(_BATCHED), BATCH)]
# Errors that another file of a batch could cause on a case's file: they never count as its located error.
_NEIGHBOURS_ERRORS = ("duplicate policy id", "duplicate target id")
# One test process runs the cases, so that each batch is validated once a run.
pytestmark = pytest.mark.xdist_group("corpus")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus-template")
    (root / "targets").mkdir()
    shutil.copy(ROOT / "targets" / "miit-sme-leading-talents-2024.yaml", root / "targets")
    shutil.copy(ROOT / "targets" / "schema.json", root / "targets")
    (root / "data" / "observations").mkdir(parents=True)
    for name in ("indicators.yaml", "indicators.schema.json"):
        shutil.copy(ROOT / "data" / name, root / "data")
    shutil.copy(ROOT / "data" / "observations" / "little-giants.csv", root / "data" / "observations")
    (root / ".git").mkdir()  # the project's root, as repository_root finds it
    return root


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outside")
    (folder / "folder").mkdir(parents=True)
    (folder / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "folder" / "stolen.csv").write_text(CSV_HEADER + "\n" + SECRET + "\n", encoding="utf-8")
    return folder


def _validate(project: Path) -> tuple[int, str, str, float]:
    """``tracker validate`` of ``project`` in this process: exit code, output, errors, processor time."""
    start = time.process_time()  # processor time: on a shared machine wall time measures the others
    code, out, err = cli_in_process("validate", "--targets", project / "targets", "--data", project / "data")
    return code, out, err, time.process_time() - start


@pytest.fixture(scope="module")
def validated(template, outside, tmp_path_factory):
    """case -> (exit code, output, errors, processor time, the case's file in its project, whether the case was
    alone); each batch is validated when the first of its cases asks."""
    results: dict[str, tuple[int, str, str, float, str, bool]] = {}

    def result(name: str):
        if name in results:
            return results[name]
        batch = [name] if name in ALONE else next(b for b in BATCHES if name in b)
        project = tmp_path_factory.mktemp("corpus") / "project"
        shutil.copytree(template, project, symlinks=True)
        files = {}
        for number, case_name in enumerate(batch):
            path, contents = CASES[case_name]
            if case_name not in ALONE:
                path = str(Path(path).with_name(f"c{number:03d}-{Path(path).name}"))
                if isinstance(contents, tuple) and contents[1] == Path(CASES[case_name][0]).name:
                    contents = ("link", Path(path).name)  # a link to itself keeps pointing at itself
            _materialise(project, outside, path, contents)
            files[case_name] = path
        code, out, err, took = _validate(project)
        for case_name in batch:
            results[case_name] = (code, out, err, took, files[case_name], name in ALONE)
        return results[name]

    return result


def test_the_corpus_is_large_and_covers_every_class():
    assert len(CASES) >= 150, len(CASES)
    prefixes = {name.split("-")[0] for name in CASES}
    assert {"yaml", "csv", "json", "xlsx", "link", "indicators", "ignored"} <= prefixes
    assert sorted(ALONE + [n for b in BATCHES for n in b]) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_a_located_error(name, validated, outside):
    code, out, err, took, path, alone = validated(name)
    assert "Traceback" not in out + err
    assert code == 1, out + err
    assert took < 10, f"{took:.1f} s of processor time for {'the case' if alone else 'its batch'}"
    if alone:
        shown = Path(path).name if not path.endswith("observations") else "stolen.csv"
        located = [line for line in out.splitlines()
                   if re.match(r"^\S*?(:\d+){1,2}: error: ", line) and (shown in line or "indicators.yaml" in line
                                                                         or "observations" in line)]  # fmt: skip
    else:  # on its own file, and not an error a neighbour in the batch could cause
        located = [line for line in out.splitlines()
                   if re.match(rf"^\S*/{re.escape(path)}(:\d+){{1,2}}: error: ", line)
                   and not any(e in line for e in _NEIGHBOURS_ERRORS)]  # fmt: skip
    assert located, out
    assert SECRET not in out + err and "do-not-quote" not in out + err
    assert "root:x:0:0" not in out + err
    assert str(outside) not in out + err, "nothing names where a link leads"
