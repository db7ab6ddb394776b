"""Fuzzing: generated YAML documents and CSV rows either load or give a clear problem, never a crash."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import csvfile
from loaders.rows import COLUMNS
from tests.conftest import ROOT
from tracker.catalog import Catalogue, load_catalogue, load_target_file

INDICATORS = load_catalogue(ROOT / "targets", ROOT / "data").indicators
# The example count comes from the profile (tests/conftest.py): small by default, large with
# TRACKER_HYPOTHESIS=thorough.
FUZZ = settings(suppress_health_check=list(HealthCheck))
WORK = Path(tempfile.mkdtemp(prefix="tracker-fuzz-"))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from([">", ">=", "=>", "2027", "2023-02-30", "85", "%", "mobile-iot-connections"]),
)  # fmt: skip
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(["policy", "targets", "id", "value", "comparator", "deadline", "unit"]),
                      st.text(max_size=8)),
            children, max_size=5,
        ),
    ),
    max_leaves=20,
)  # fmt: skip
target_like = st.fixed_dictionaries(
    {"policy": st.fixed_dictionaries({"id": scalars, "title": scalars, "issuer": scalars, "issued": scalars,
                                      "url": scalars, "summary": scalars}),
     "targets": st.lists(st.dictionaries(st.sampled_from(["id", "title", "indicator", "comparator", "value", "unit",
                                                          "deadline", "source", "baseline", "tags", "typo"]),
                                         scalars, max_size=10), max_size=3)}
)  # fmt: skip


def _check(problems) -> None:
    for p in problems:
        assert p.severity in ("error", "warning")
        assert isinstance(p.message, str) and p.message.strip()
        assert p.line >= 0 and p.col >= 0


@FUZZ
@given(doc=st.one_of(documents, target_like), junk=st.text(max_size=6), at=st.integers(0, 400))
def test_generated_yaml_loads_or_says_why(doc, junk, at):
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    text = text[:at] + junk + text[at:]  # and some damage at a random place
    path = WORK / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    catalogue = Catalogue(indicators=dict(INDICATORS))
    load_target_file(path, catalogue)
    _check(catalogue.problems)
    assert catalogue.targets or any(p.is_error for p in catalogue.problems) or not catalogue.skipped_files


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["mobile-iot-connections", "little-giants", "2024-07", "2024-Q3", "2023-02-30", "1,234", "NaN",
                     "inf", "1.2e3", "亿户", "万", "%", "=", ">", "~", "https://example.org", "javascript:x", ""]),
)  # fmt: skip
rows = st.lists(st.lists(cells, min_size=9, max_size=12), min_size=0, max_size=6)


@FUZZ
@given(rows=rows, header=st.permutations(list(COLUMNS)))
def test_generated_csv_rows_load_or_say_why(rows, header):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = WORK / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = csvfile.load(path, INDICATORS)
    _check(result.problems)
    if result.ok:
        assert result.rows.num_rows == sum(1 for r in rows if any(c.strip() for c in r))
    else:
        assert any(p.is_error for p in result.problems)
