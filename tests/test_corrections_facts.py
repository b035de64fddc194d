"""The corrections merge (akhbar.pipeline.corrections.merge_manual) on one invented sentence:
what each action does to the automatic spans, and what it leaves alone."""

from functools import lru_cache

import pandas as pd

import akhbar
from akhbar.pipeline.corrections import MANUAL_COLUMNS, merge_manual

TEXT = "انتقدت حكومة طرابلس الزيارة التي قام بها أردوغان."  # «حكومة طرابلس»: entity and LEGITIMACY cue


@lru_cache(maxsize=1)
def _auto():
    return pd.DataFrame(akhbar.annotate_text("a1", TEXT, pd.Timestamp("2020-07-21")))


def auto():
    return _auto().copy()


def manual(*rows):
    return pd.DataFrame([dict(zip(MANUAL_COLUMNS, r)) for r in rows], columns=MANUAL_COLUMNS)


def rows_at(spans, start, end):
    at = spans[(spans["start"] == start) & (spans["end"] == end)]
    return sorted(zip(at["layer"], at["label"], at["canonical_id"], at["source"]))


def test_the_sentence_as_annotated():
    a = auto()
    assert rows_at(a, 7, 19) == [("entity", "NAM", "gna", "auto"), ("framing", "LEGITIMACY", "gna", "auto")]
    assert rows_at(a, 41, 48) == [("entity", "NAM", "erdogan", "auto")]


def test_a_reject_with_another_label_removes_nothing():
    """«reject ... TITLE» does not match the LEGITIMACY cue at the same offsets."""
    merged = merge_manual(auto(), manual(("reject", 7, 19, "حكومة طرابلس", "framing", "TITLE", "", "", "")), "a1")
    assert rows_at(merged, 7, 19) == rows_at(auto(), 7, 19)


def test_a_reject_with_its_label_removes_that_cue_only():
    merged = merge_manual(auto(), manual(("reject", 7, 19, "حكومة طرابلس", "framing", "LEGITIMACY", "", "", "")), "a1")
    assert rows_at(merged, 7, 19) == [("entity", "NAM", "gna", "auto")]
    assert len(merged) == len(auto()) - 1


def test_a_correction_keeps_the_fields_it_leaves_empty():
    merged = merge_manual(auto(), manual(("correct", 41, 48, "أردوغان", "entity", "", "erdogan_office", "", "")), "a1")
    row = merged[(merged["start"] == 41) & (merged["layer"] == "entity")]
    assert len(row) == 1
    r = row.iloc[0]
    assert (r["label"], r["canonical_id"], r["type"], r["source"]) == ("NAM", "erdogan_office", "person", "manual")


def test_an_addition_is_a_new_manual_span_of_the_article():
    merged = merge_manual(auto(), manual(("add", 21, 28, "الزيارة", "entity", "NOM", "visit", "event", "")), "a1")
    assert len(merged) == len(auto()) + 1
    assert rows_at(merged, 21, 28) == [("entity", "NOM", "visit", "manual")]
    assert merged[merged["start"] == 21]["article_id"].tolist() == ["a1"]


def test_a_correction_of_nothing_adds_the_span():
    merged = merge_manual(auto(), manual(("correct", 21, 28, "الزيارة", "entity", "NOM", "visit", "event", "")), "a1")
    assert rows_at(merged, 21, 28) == [("entity", "NOM", "visit", "manual")]
