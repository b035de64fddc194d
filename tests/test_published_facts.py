"""Publication dates as feeds and spreadsheets write them (akhbar.published): read to UTC
when the reading is certain, left empty with the reason otherwise."""

import pandas as pd
import pytest

from akhbar.published import parse_published, published_column


@pytest.mark.parametrize("raw, stamp, why", [
    ("Sun, 18 Feb 2018 20:50:44 GMT", "2018-02-18 20:50:44", "RFC 822 in GMT"),
    ("18 Feb 2018 20:50 -0000", "2018-02-18 20:50:00", "RFC 822 without weekday or seconds, zone -0000"),
    ("2018-02-18", "2018-02-18 00:00:00", "an ISO day alone is its midnight"),
    ("2018-02-18 14:23Z", "2018-02-18 14:23:00", "Z is UTC"),
    ("2018-02-18T14:23:09.5+03:00", "2018-02-18 11:23:09.5", "three hours east of UTC"),
    ("13.04.2020", "2020-04-13", "dots as separators"),
    ("13-04-2020", "2020-04-13", "dashes as separators, day first"),
])
def test_a_certain_date_is_read_in_utc(raw, stamp, why):
    assert parse_published(raw) == (pd.Timestamp(stamp), ""), why


@pytest.mark.parametrize("raw, problem", [
    (None, ""),
    ("  ", ""),
    ("Sun, 18 Feb 2018 20:50:44 XYZ", "unknown time zone 'XYZ'"),
    ("yesterday", "not a date akhbar reads (ISO 8601 or RFC 822)"),
    ("31/02/2020", "not a valid date (day is out of range for month)"),
    ("1/2/2020", "ambiguous day/month order (dd/mm or mm/dd?), not guessed"),
])
def test_an_uncertain_date_is_left_empty_with_the_reason(raw, problem):
    stamp, why = parse_published(raw)
    assert pd.isna(stamp) and why == problem


def test_a_column_names_where_each_unreadable_value_came_from():
    stamps, problems = published_column(["2020/07/21", "x"], ["f.csv:2", "f.csv:3"])
    assert stamps.tolist()[0] == pd.Timestamp("2020-07-21") and pd.isna(stamps.tolist()[1])
    assert str(stamps.dtype) == "datetime64[ns]"
    assert problems == [("f.csv:3", "published 'x': not a date akhbar reads (ISO 8601 or RFC 822)")]
    assert published_column(["", " x "])[1] == [("value 2", "published 'x': not a date akhbar reads (ISO 8601 or RFC 822)")]
    assert str(published_column(["2020-07-21"], dtype=None)[0].dtype) != "datetime64[ns]"  # pandas' own resolution
