"""The corpus of bad inputs (tests/fixtures/bad): each gives its message, its place and its exit code,
never a traceback, and nothing else is lost (every shipped target and figure still loads)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, cli_in_process, copy_project, shipped_counts

BAD = FIXTURES / "bad"
SHIPPED = shipped_counts()
SHIPPED_TARGETS, SHIPPED_FIGURES = SHIPPED["targets"], SHIPPED["figures"]

# file -> (exit code, the line printed for it (after the folder), figures it adds when accepted)
EXPECTED = {
    "csv-binary.csv": (1, "csv-binary.csv:1: error: this is a binary file, not CSV text (an Excel file must end in .xlsx)", 0),
    "csv-bom.csv": (0, None, 1),
    "csv-exponent.csv": (0, None, 1),
    "csv-gbk.csv": (0, "csv-gbk.csv:1: warning: read as GB18030/GBK; save files for data/observations as UTF-8", 1),
    "csv-impossible-date.csv": (1, "csv-impossible-date.csv:2: error: period '2023-02-30' does not exist", 0),
    "csv-inf.csv": (1, "csv-inf.csv:2: error: value must be a finite number; got 'inf'", 0),
    "csv-missing-column.csv": (1, "csv-missing-column.csv:1: error: the header is missing column(s) unit; expected columns: indicator, period, value, unit, qualifier, coverage, source_title, publisher, publisher_zh, source_url, published, note", 0),
    "csv-mixed-line-endings.csv": (0, None, 2),
    "csv-nan.csv": (1, "csv-nan.csv:2: error: value must be a finite number; got 'NaN'", 0),
    "csv-ragged-row.csv": (1, "csv-ragged-row.csv:3: error: this row has 12 fields but the header has 11; a comma inside a value needs the value in double quotes", 0),
    "csv-thousands.csv": (0, "csv-thousands.csv:2: warning: 1 value(s) written with thousands separators (e.g. 1,234) were read as plain numbers", 1),
    "json-not-a-list.json": (1, "json-not-a-list.json:1:1: error: the JSON holds an object; it must be a list of objects, one per observation", 0),
    "xlsx-date-as-number.xlsx": (0, "xlsx-date-as-number.xlsx:2: warning: published 45677 read as the Excel date 2025-01-20", 1),
    "xlsx-formula.xlsx": (1, "xlsx-formula.xlsx:2: error: value holds a formula whose result was never saved; open the file in Excel and save it, or type the value", 0),
    "xlsx-merged-cells.xlsx": (0, None, 2),
    "yaml-billion-laughs.yaml": (1, "yaml-billion-laughs.yaml:2:4: error: YAML: aliases (*name) are not allowed in tracker files; write the value out in full (this value is repeated through an alias)", 0),
    "yaml-binary.yaml": (1, "yaml-binary.yaml:1: error: this is a binary file, not YAML text; save it as UTF-8 text", 0),
    "yaml-duplicate-key.yaml": (1, "yaml-duplicate-key.yaml:6:3: error: duplicate key 'issuer' (first given on line 5); each key may appear once in a mapping", 0),
    "yaml-empty.yaml": (1, "yaml-empty.yaml:1:1: error: the file is empty; it should hold a mapping of keys to values", 0),
    "yaml-gbk.yaml": (1, "yaml-gbk.yaml:12:19: error: the file is not valid UTF-8 (byte 0xc4); save it as UTF-8 (a GBK or GB18030 file must be converted first)", 0),
    "yaml-latin1.yaml": (1, "yaml-latin1.yaml:4:21: error: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8 (a GBK or GB18030 file must be converted first)", 0),
    "yaml-python-tag.yaml": (1, "yaml-python-tag.yaml:5:11: error: YAML tags such as !!python/object/apply:os.system are not allowed; tracker files hold plain data only (text, numbers, lists, mappings): remove the tag and write the value itself", 0),
    "yaml-syntax-error.yaml": (1, "yaml-syntax-error.yaml:6:9: error: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 5; check the quotes and indentation there)", 0),
    "yaml-tabs.yaml": (1, "yaml-tabs.yaml:5:1: error: YAML syntax: a tab character cannot indent YAML; indent with spaces", 0),
}  # fmt: skip


@pytest.fixture
def validate(run_cli):
    """``tracker validate`` run in-process from the project folder (paths print relative to it)."""

    def run(project: Path) -> subprocess.CompletedProcess:
        code, out, err = run_cli("validate", "--targets", "targets", "--data", "data", cwd=project)
        return subprocess.CompletedProcess(["validate"], code, out, err)

    return run


# The refused files are validated together beside the shipped files, each naming its own error: a validation of
# the shipped files costs about 0.3 s of processor time, once for the group rather than once a file (a file the
# bulk reader refuses is taken out of its group, and the others go in bulk again). An accepted file is validated alone
# beside the shipped files (its figures would meet another's: two of them give one figure two values).
REFUSED = sorted(name for name, (code, _, _) in EXPECTED.items() if code != 0)
MARKER = Path("/tmp/pwned-by-yaml")  # what yaml-python-tag.yaml would make if a tag ran
# One test process runs the tests of the groups, so that each group is validated once a run.
pytestmark = pytest.mark.xdist_group("bad-inputs")


def _where(name: str) -> str:
    return "targets/" if name.endswith(".yaml") else "data/observations/"


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """group -> ``tracker validate``'s result on the shipped files with the group's bad files, made on first use."""
    done: dict[tuple[str, ...], subprocess.CompletedProcess] = {}

    def run(group: list[str]) -> subprocess.CompletedProcess:
        if tuple(group) not in done:
            project = copy_project(tmp_path_factory.mktemp("bad-inputs"))
            for name in group:
                shutil.copy(BAD / name, project / _where(name))
            MARKER.unlink(missing_ok=True)
            code, out, err = cli_in_process("validate", "--targets", "targets", "--data", "data", cwd=project)
            done[tuple(group)] = subprocess.CompletedProcess(["validate"], code, out, err)
        return done[tuple(group)]

    return run


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)
    assert all(EXPECTED[name][1] and EXPECTED[name][2] == 0 for name in REFUSED), "each names its error, adds nothing"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input(name, validated):
    code, line, added = EXPECTED[name]
    group = [name] if code == 0 else REFUSED
    done = validated(group)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == code, done.stdout + done.stderr
    printed, where = done.stdout.splitlines(), _where(name)
    if code == 0:  # alone beside the shipped files: its expected line, if it has one, is all that is printed
        assert all(line is not None and p.startswith(where + line) for p in printed), done.stdout
    if line is not None:
        assert any(p.startswith(where + line) for p in printed), done.stdout
    # nothing else is lost
    summary = done.stderr.strip().splitlines()[0]
    assert f"{SHIPPED_TARGETS} targets in {SHIPPED['policies']} policy files" in summary, summary
    assert f"{SHIPPED_FIGURES + sum(EXPECTED[n][2] for n in group)} observations" in summary, summary


def test_python_tag_runs_nothing(validated):
    done = validated(REFUSED)
    assert "yaml-python-tag.yaml" in REFUSED and "targets/yaml-python-tag.yaml:" in done.stdout
    assert not MARKER.exists()


def test_a_50_megabyte_yaml_file_is_refused_by_its_size(project, validate):
    big = project / "targets" / "huge.yaml"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("# yaml-language-server: $schema=schema.json\npolicy:\n  summary: ")
        fh.write("x" * (50 * 1024 * 1024))
        fh.write("\n")
    done = validate(project)
    assert done.returncode == 1
    size = big.stat().st_size
    assert (
        f"targets/huge.yaml:1: error: the file is {size:,} bytes; the limit is 1,000,000 (split it into smaller files)"
        in done.stdout
    )


def test_an_observation_file_over_the_limit_is_refused(project, monkeypatch):
    from loaders import csvfile, rows
    from tracker.catalog import load_catalogue

    monkeypatch.setattr(rows, "MAX_OBSERVATION_BYTES", 1000)
    path = project / "data" / "observations" / "mobile-iot-connections.csv"
    result = csvfile.load(path, load_catalogue(project / "targets", project / "data").indicators)
    assert not result.ok
    assert result.problems[0].message == f"the file is {path.stat().st_size:,} bytes; the limit is 1,000; split it"
    monkeypatch.undo()
    assert rows.MAX_OBSERVATION_BYTES == 512 * 1024 * 1024


WRONG_TYPES = {
    "id": ("123", "id must be kebab-case"),
    "title": ("[a, b]", "title must be text; got a list"),
    "indicator": ("{a: 1}", "indicator must be kebab-case"),
    "comparator": ("7", "comparator must be one of >, >=, <, <=, ==; got 7"),
    "value": ("'eighty'", "value must be a number such as 85 or 3.6e9; got 'eighty'"),
    "unit": ("12", "unit must be text; got 12"),
    "deadline": ("[2027]", "deadline must be a year (2027) or a date (2027-06-30); got [2027]"),
    "baseline": ("2020", "baseline must be a mapping such as {period: 2020, value: 52.1}; got 2020"),
    "method": ("3", "method must be one of cagr_ratio, linear; got 3"),
    "tags": ("word", "tags must be a list of words, e.g. [manufacturing, digitalisation]; got 'word'"),
    "source": ("true", "source must be text; got True"),
    "interpretation": ("1.5", "interpretation must be text; got 1.5"),
    "title_zh": ("{}", "title_zh must be text; got a mapping"),
    # A NUL written as a YAML escape (no NUL byte in the file): it would take the place the pages' markup marks for a
    # deadline with one (tracker.escape.html_with_whole), "≥ 500 wid<end-2025>gets".
    "wording": ('"wid\\0gets"', "wording must not hold a control character; found U+0000 at character 4"),
}


def _wrong_type(text: str, field: str, value: str) -> str:
    """The policy file ``text`` with its first target's ``field`` set to ``value``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  - id: "))
    body = [f"    {field}: {value}" if line.startswith(f"    {field}:") or (field == "id" and line.startswith("  - id:"))
            else line for line in lines[start:]]  # fmt: skip
    if field == "id":
        body[0] = f"  - id: {value}"
    if not any(line.startswith(f"    {field}:") for line in body) and field != "id":
        body.append(f"    {field}: {value}")
    return "\n".join(lines[:start] + body) + "\n"


@pytest.fixture(scope="module")
def wrong_types(tmp_path_factory):
    """The shipped files with the one-target policy file replaced by one copy per field of WRONG_TYPES, each with
    that field of the wrong type (``wrong-<field>.yaml``), validated once in this process."""
    project = copy_project(tmp_path_factory.mktemp("wrong-types"))
    path = project / "targets" / "miit-sme-leading-talents-2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    for field, (value, _) in WRONG_TYPES.items():
        (project / "targets" / f"wrong-{field}.yaml").write_text(_wrong_type(text, field, value), encoding="utf-8")
    return cli_in_process("validate", "--targets", "targets", "--data", "data", cwd=project)


@pytest.mark.parametrize("field", sorted(WRONG_TYPES))
def test_every_target_field_of_the_wrong_type(field, wrong_types):
    message = WRONG_TYPES[field][1]
    code, out, err = wrong_types
    assert code == 1
    assert "Traceback" not in out + err
    assert any(message in line and line.startswith(f"targets/wrong-{field}.yaml:") for line in out.splitlines()), out
    # Each broken file (one policy, one target) is left out whole; everything else still validates.
    assert f"{SHIPPED_TARGETS - 1} targets in {SHIPPED['policies'] - 1} policy files" in err


WORST = {  # corpus case -> what its error says
    "yaml-flow-sequence-30000-deep": "nests lists or mappings more than 32",
    "json-30000-deep": "nests lists or objects more than 16",
    "xlsx-cell-XFD1048576": "XFD1048576",
    "xlsx-merged-A3:Z200000": "A3:Z200000",
    "csv-100000-digits": "a figure is written with at most 32",
    "json-100000-digits": "a figure is written with at most 32",
    "indicators-deep": "nests lists or mappings more than 32",
}

# The child's own peak: VmHWM belongs to the memory of the program it runs, whereas ru_maxrss (getrusage
# or wait4) keeps, across exec, the peak of the process it was forked from, here the whole test session.
# Its time is the processor time it used: on a shared machine the wall time says more about the others.
_MEASURED_VALIDATE = (
    "import resource, runpy, sys; sys.argv = ['tracker', 'validate', '--targets', 'targets', '--data', 'data']\n"
    "try:\n    runpy.run_module('tracker', run_name='__main__')\n"
    "except SystemExit as exc:\n    code = exc.code\n"
    "hwm = next(line for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
    "used = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print('peak-kb', hwm.split()[1], 'cpu-s', used.ru_utime + used.ru_stime, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def test_each_worst_input_stays_within_time_and_memory(tmp_path):
    """Each of the worst inputs (deep YAML and JSON, a far xlsx cell, a huge merged range, 100,000-digit
    numbers, a deep indicators.yaml), alone next to the shipped files in a process of its own: refused
    with its message within 10 s of processor time and under 500 MB of peak resident memory."""
    from tests.unit.test_bad_corpus import CASES

    running = {}
    for name in WORST:
        project = copy_project(tmp_path / name.replace(":", "-"))
        path, contents = CASES[name]
        (project / path).write_bytes(contents)
        # Two at a time: each child's peak is its own, and the machine's two cores stay busy.
        if len(running) == 2:
            oldest = next(iter(running))
            _check_worst(oldest, running.pop(oldest))
        running[name] = (time.perf_counter(), subprocess.Popen(
            [sys.executable, "-c", _MEASURED_VALIDATE], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}))  # fmt: skip
    for name, started in running.items():
        _check_worst(name, started)


def _check_worst(name: str, started: tuple[float, subprocess.Popen]) -> None:
    start, child = started
    out, err = child.communicate(timeout=120)
    took = time.perf_counter() - start
    assert child.returncode == 1, f"{name}: {err}"
    assert "Traceback" not in out + err, name
    assert WORST[name] in out, f"{name}: {out}"
    peak_kb, _, cpu_s = err.rsplit("peak-kb", 1)[1].split()[:3]
    peak_mb, cpu = int(peak_kb) / 1024, float(cpu_s)
    assert peak_mb < 500, f"{name}: {peak_mb:.0f} MB"
    assert cpu < 10, f"{name}: {cpu:.1f} s of processor time"
    print(f"worst input {name}: {cpu:.1f} s processor time ({took:.1f} s wall), {peak_mb:.0f} MB")


def test_conflicting_values_from_one_source_are_named(project, validate):
    path = project / "data" / "observations" / "conflict.csv"
    path.write_text(
        "indicator,period,value,unit,qualifier,coverage,source_title,publisher,source_url,published,note\n"
        "little-giants,2019,1,万,=,,Same source,Pub,,,\nlittle-giants,2019,2,万,=,,Same source,Pub,,,\n",
        encoding="utf-8",
    )
    done = validate(project)
    assert done.returncode == 0
    assert (
        "data/observations/conflict.csv:3: warning: little-giants 2019 (titles-held) is given as 1 and 2 by the same source (Same source) (rows on lines 2, 3)"
        in done.stdout
    )


def test_a_problem_with_a_whole_file_stands_on_its_first_line(tmp_path, monkeypatch):
    from tracker.problems import error, warning

    monkeypatch.chdir(tmp_path)
    (tmp_path / "figures.xls").write_bytes(b"\xd0\xcf")
    (tmp_path / "folder").mkdir()
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    assert str(error("figures.xls", 0, 0, "not read")) == "figures.xls:1: error: not read"
    assert error("figures.xls", 0, 0, "not read").github() == "::error file=figures.xls,line=1::not read"
    assert str(warning("dangling.yaml", 0, 0, "a link")) == "dangling.yaml:1: warning: a link"
    assert str(error("figures.xls", 7, 3, "here")) == "figures.xls:7:3: error: here"
    # what has no lines keeps none
    assert str(error("folder", 0, 0, "no target files")) == "folder: error: no target files"
    assert str(error("missing.yaml", 0, 0, "missing")) == "missing.yaml: error: missing"


@pytest.mark.parametrize("value", ["1.0e+308", "-2.0e+17"])
def test_a_target_value_too_large_for_any_indicator_is_refused_like_a_figure(tmp_path, value):
    """A figure above 1e16 in its indicator's unit is refused as a typo or a unit mistake; a target's value was not,
    and one of 1e308 wrote numbers of 300 digits on its pages. It is refused with the same bound, at its line."""
    project = copy_project(tmp_path / "p")
    path = project / "targets" / "miit-sme-leading-talents-2024.yaml"
    path.write_text(_wrong_type(path.read_text(encoding="utf-8"), "value", value), encoding="utf-8")
    code, out, err = cli_in_process("validate", "--targets", "targets", "--data", "data", cwd=project)
    assert code == 1 and "Traceback" not in out + err
    line = next(x for x in out.splitlines() if x.startswith("targets/miit-sme-leading-talents-2024.yaml:"))
    assert (
        "value must be at most 1e+16 in size, in the indicator's unit" in line
        and "check the number and the unit" in line
    )
