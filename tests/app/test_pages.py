"""Every page renders on the shipped data (Streamlit AppTest, no browser)."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_targets_page_lists_the_shipped_targets():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Policy targets"
    table = at.dataframe[0].value
    assert len(table) >= 18
    assert "CNC rate of key processes above 85% in petrochemicals by 2027" in set(table["Target"])
