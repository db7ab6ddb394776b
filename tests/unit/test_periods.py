from datetime import date

import pytest

from tracker.periods import PeriodError, parse_date, parse_deadline, parse_period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
        (2024, "year", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-07", "month", date(2024, 7, 1), date(2024, 7, 31)),
        ("2024-q3", "quarter", date(2024, 7, 1), date(2024, 9, 30)),
        ("2024-02-29", "day", date(2024, 2, 29), date(2024, 2, 29)),
    ],
)
def test_periods(text, kind, start, end):
    p = parse_period(text)
    assert (p.kind, p.start, p.end) == (kind, start, end)


def test_annual_periods_are_whole_years_apart():
    assert parse_period("2022").t - parse_period("2015").t == 7
    assert parse_period("2027").t == 2028.0
    assert parse_period("2024-06").t == 2024 + 182 / 366  # the end of 30 June


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-02-30", "'2023-02-30' is not a real date"),
        ("2024-13", "month in '2024-13' must be 01 to 12"),
        ("2024-Q5", "quarter in '2024-Q5' must be Q1 to Q4"),
        ("1850", "year 1850 in '1850' is out of range"),
        ("July 2024", "period must be written as YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD; got 'July 2024'"),
    ],
)
def test_impossible_periods(text, message):
    with pytest.raises(PeriodError, match=message.replace("(", r"\(")):
        parse_period(text)


def test_deadline_year_is_last_day():
    assert parse_deadline(2027) == date(2027, 12, 31)
    assert parse_deadline("2027-06-30") == date(2027, 6, 30)
    with pytest.raises(PeriodError):
        parse_date("2027-02-29")
