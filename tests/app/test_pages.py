"""Every page renders (Streamlit AppTest, no browser): shipped data, an empty database, broken files."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PAGES, shown
from tests.conftest import FIXTURES, ROOT


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader] + [e.value for e in at.error] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # markdown escapes


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_shipped_data(project, page):
    at = open_page(page)
    assert at.title, "every page has a title"
    assert any("Data built" in c.value for c in at.sidebar.caption), "every page shows the data date"


def test_overview_counts_every_target(project):
    at = open_page(PAGES[0])
    # Commitments and expectations are counted; the 6 reference levels and readings are not.
    assert sum(int(m.value) for m in at.metric) == 17
    assert "6 reference levels and readings of words are shown without a status." in text_of(at)
    # No judged target is behind pace on like-for-like figures, so there is no "Needs attention" list.
    assert at.subheader[0].value == "Scorecard: 23 of 23 targets, most urgent first"
    table = at.dataframe[0].value
    assert (table["Status"] == "◻️ Not assessed").sum() == 6


def test_overview_filters_come_from_the_url(project):
    at = open_page(PAGES[0], status="on_track")
    assert at.subheader[0].value == "Scorecard: 1 of 23 targets, most urgent first"  # none at risk among them
    assert set(at.dataframe[0].value["Status"]) == {"🟢 On track"}


def test_changing_a_filter_puts_it_in_the_url(project):
    at = open_page(PAGES[0])
    at.multiselect(key="url_status").set_value(["achieved"]).run()
    assert at.query_params["status"] in ("achieved", ["achieved"])
    assert at.subheader[-2].value == "Scorecard: 2 of 23 targets, most urgent first"


def test_deep_link_to_a_target(project):
    at = open_page("views/target.py", target="mobile-iot-3-6bn-connections-by-2027")
    assert shown(at.title[0].value) == "More than 3.6 billion mobile IoT connections by 2027"
    assert "On track" in text_of(at)
    assert "it needs growth of 10.7% a year" in text_of(at)
    assert at.selectbox(key="url_target").value == "mobile-iot-3-6bn-connections-by-2027"


def test_choosing_a_target_updates_the_url(project):
    at = open_page("views/target.py", target="cnc-rate-75-by-2027")
    at.selectbox(key="url_target").set_value("ets-coverage-60pct-by-2024").run()
    assert at.query_params["target"] in ("ets-coverage-60pct-by-2024", ["ets-coverage-60pct-by-2024"])
    assert "not a target that a document sets" in text_of(at)


def test_unknown_target_id_gives_a_message_and_a_way_back(project):
    at = open_page("views/target.py", target="no-such-target")
    assert shown(at.error[0].value) == "There is no target with the id “no-such-target”. It may have been renamed or removed."
    assert shown(at.title[0].value) == "Target not found"


def test_language_switch_shows_chinese_names(project):
    at = open_page("views/target.py", target="cnc-rate-75-by-2027", lang="zh")
    assert shown(at.title[0].value) == "到2027年规模以上工业企业关键工序数控化率达75%以上"
    at = open_page("views/target.py", target="cnc-rate-75-by-2027")
    assert shown(at.title[0].value).startswith("CNC rate of key processes above 75%")


def test_language_in_the_url_switches_the_scorecard(project):
    at = open_page(PAGES[0], lang="zh")
    assert "到2027年规模以上工业企业关键工序数控化率达75%以上" in set(at.dataframe[0].value["Target"])


def test_indicator_trends_without_a_target(project):
    table = open_page("views/indicators.py").dataframe[0].value.set_index("Indicator")
    assert table.loc["Mobile (cellular) IoT terminal connections", "Trend"] == "↑ strong"
    assert table.loc["Share of national CO2 emissions covered by the national ETS", "Trend"] == "→ little"
    assert table.loc["Mobile IoT industrial clusters", "Trend"] == ""


def test_indicator_page_deep_link_and_no_data(project):
    at = open_page("views/indicators.py", indicator="mobile-iot-clusters")
    assert "No data: no figure for this indicator has been found in a citable source yet." in text_of(at)
    at = open_page("views/indicators.py", indicator="mobile-iot-connections")
    assert shown(at.subheader[0].value) == "Mobile (cellular) IoT terminal connections"


def test_policies_roll_up_scores(project):
    at = open_page("views/policies.py")
    labels = {m.label: m.value for m in at.metric}
    assert "Average score" in labels
    assert len([m for m in at.metric if m.label == "Targets"]) == 11


def test_methodology_uses_the_code_constants(project):
    at = open_page("views/methodology.py")
    rules = at.dataframe[0].value
    assert "R ≥ 0.95" in list(rules["Rule"])
    assert "0.6 ≤ R < 0.95" in list(rules["Rule"])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(project, page):
    for f in (project / "targets").glob("*.yaml"):
        f.unlink()
    for f in (project / "data" / "observations").glob("*.csv"):
        f.unlink()
    at = open_page(page)
    assert at.title


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_broken_files(project, page):
    shutil.copy(CATALOG_BAD / "bad-comparator.yaml", project / "targets" / "bad-comparator.yaml")
    shutil.copy(FIXTURES / "observations" / "ragged.csv", project / "data" / "observations" / "ragged.csv")
    at = open_page(page)
    assert at.title


def test_data_quality_lists_what_was_left_out(project):
    shutil.copy(CATALOG_BAD / "bad-comparator.yaml", project / "targets" / "bad-comparator.yaml")
    shutil.copy(FIXTURES / "observations" / "ragged.csv", project / "data" / "observations" / "ragged.csv")
    at = open_page("views/data_quality.py")
    problems = at.dataframe[0].value
    assert any("comparator must be one of >, >=, <, <=, ==; got '=>'" in m for m in problems["Message"])
    assert any("this row has 12 fields but the header has 11" in m for m in problems["Message"])
    assert "Left out of the database" in at.warning[0].value


CATALOG_BAD = FIXTURES / "catalog" / "bad"
