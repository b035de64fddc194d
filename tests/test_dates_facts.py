"""Time expressions resolved as a reader resolves them against the publication date
(codebook section 4), on invented phrases: relative weeks, months and years across a year's
end, months and days with «الماضي»/«المقبل» or none, durations and vague periods, «حينها»."""

import pandas as pd
import pytest

from akhbar.pipeline.engine import annotate_texts


def dates(text, published):
    """``(surface, label, value, note)`` of each time expression of ``text``."""
    spans = annotate_texts(["t"], [text], [pd.Timestamp(published) if published else None], None)
    d = spans[spans["layer"] == "date"]
    return list(zip(d["surface"], d["label"], d["value"], d["note"]))


def value(text, published):
    found = dates(text, published)
    assert len(found) == 1, f"expected one time expression in {text!r}, got {found}"
    return found[0][2]


@pytest.mark.parametrize("text, published, expected, why", [
    ("في الشهر الماضي", "2021-01-15", "2020-12", "last month, in January, is last year's December"),
    ("الشهر المقبل", "2020-12-10", "2021-01", "next month, in December, is next year's January"),
    ("هذا الشهر", "2020-07-21", "2020-07", "this month is the publication month"),
    ("الأسبوع الماضي", "2020-07-21", "2020-W29", "21 July 2020 is in ISO week 30"),
    ("الأسبوع المقبل", "2020-12-30", "2021-W01", "30 December 2020 is in ISO week 53 of 2020"),
    ("العام المقبل", "2020-07-21", "2021", "next year"),
    ("هذا العام", "2020-07-21", "2020", "this year"),
    ("السنة الماضية", "2020-07-21", "2019", "«السنة» is «العام»"),
])
def test_relative_weeks_months_and_years(text, published, expected, why):
    assert value(text, published) == expected, why


@pytest.mark.parametrize("text, published, expected, why", [
    ("في 5 يناير المقبل", "2020-07-21", "2021-01-05", "«المقبل» with a day earlier in the year: next year"),
    ("في 25 ديسمبر الماضي", "2021-01-03", "2020-12-25", "«الماضي» with a day later in the year: last year"),
    ("في 2 يناير الماضي", "2021-01-03", "2021-01-02", "«الماضي» with the day before publication: this year"),
    ("في 8 يناير", "2021-01-03", "2021-01-08", "a day in the coming week, with no year, is this year's (an event announced)"),
    ("في 20 من شهر يوليو", "2020-07-21", "2020-07-20", "«من شهر» between day and month"),
])
def test_days_without_a_year(text, published, expected, why):
    assert value(text, published) == expected, why


@pytest.mark.parametrize("text, published, expected, why", [
    ("في مارس المقبل", "2020-07-21", "2021-03", "«المقبل» with a month earlier in the year: next year"),
    ("في سبتمبر المقبل", "2020-07-21", "2020-09", "«المقبل» with a month later in the year: this year"),
    ("في مارس", "2020-07-21", "2020-03", "a month before publication, with no year: this year's"),
    ("في سبتمبر", "2020-07-21", "2019-09", "a month after publication, with no year: last year's"),
    ("في يوليو", "2020-07-21", "2020-07", "the publication month itself"),
    ("في مارس 2019", "2020-07-21", "2019-03", "a written year is kept"),
    ("خلال شهر مارس", "2020-07-21", "2020-03", "«شهر» before the month"),
    ("في عام 2019", "2020-07-21", "2019", "a year alone"),
])
def test_months_and_years(text, published, expected, why):
    assert value(text, published) == expected, why


def test_without_a_publication_date_a_relative_expression_keeps_no_value():
    assert dates("الشهر الماضي", None) == [("الشهر الماضي", "DATE", "", "")]
    assert dates("في مارس", None) == [("في مارس", "DATE", "", "")]


@pytest.mark.parametrize("text, expected", [
    ("منذ 3 سنوات", ("DURATION", "P3Y", "")),
    ("منذ عامين", ("DURATION", "P2Y", "")),  # the dual says two
    ("بعد أسبوع", ("DURATION", "P1W", "")),
    ("خلال الأيام الماضية", ("DURATION", "PXD", "vague period")),
    ("في الأشهر الأخيرة", ("DURATION", "PXM", "vague period")),
    ("في الفترة الأخيرة", ("DATE", "PAST_REF", "")),
    ("في الفترة المقبلة", ("DATE", "FUTURE_REF", "")),
])
def test_durations_and_vague_periods(text, expected):
    found = dates(text, "2020-07-21")
    assert [f[1:] for f in found] == [expected] and found[0][0] == text


def test_a_bare_month_name_or_year_word_is_not_a_time_expression():
    assert dates("وقال إنه مارس ضغوطا على الحكومة", "2020-07-21") == []  # «مارس»: he exerted
    assert dates("العام", "2020-07-21") == []


def test_then_takes_the_previous_date_but_not_a_vague_period():
    assert dates("وصل في 20 يوليو 2020 وكان حينها مريضا", "2020-07-21")[1] == \
        ("حينها", "DATE", "2020-07-20", "anaphoric: the previous date")
    assert dates("في الفترة الأخيرة وكان حينها مريضا", "2020-07-21")[1][2] == ""


def test_a_day_of_the_current_month_after_publication_is_this_year():
    assert value("في 25 يوليو الجاري", "2020-07-21") == "2020-07-25"  # «الجاري»: this month, days ahead


def test_a_month_with_last_or_a_year_needs_no_preposition():
    assert value("وكان مارس الماضي شهرا صعبا", "2020-07-21") == "2020-03"
    assert value("انتخابات مارس 2019", "2020-07-21") == "2019-03"


def test_an_unknown_publication_date_leaves_relative_values_empty():
    spans = annotate_texts(["t"], ["في 4 يوليو الجاري"], [pd.NaT], None)
    assert spans.loc[spans["layer"] == "date", "value"].tolist() == [""]


def test_then_is_not_a_future_period():
    assert dates("في الفترة المقبلة وسيكون حينها جاهزا", "2020-07-21")[1][2] == ""


def test_a_month_word_that_is_a_verb_does_not_hide_the_date_after_it():
    assert [d[2] for d in dates("وقال إنه مارس ضغوطا في 20 يوليو 2020", "2020-07-21")] == ["2020-07-20"]
