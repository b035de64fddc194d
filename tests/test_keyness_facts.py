"""Keyness (akhbar.keyness) on invented texts small enough to count by hand: what is counted,
the groups, G2 with an empty cell, p, Williams' correction and the order of the rows."""

import pandas as pd
import pytest

import akhbar


def tokens(texts):
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": list(texts), "text": list(texts.values())}))
    return akhbar.tokens(arts)


@pytest.fixture(scope="module")
def small():
    # target: 10 words, «حفتر» twice; reference: 100 words, «حفتر» five times
    return tokens({"t": " ".join(["حفتر"] * 2 + ["مدينة"] * 8), "r": " ".join(["حفتر"] * 5 + ["مدينة"] * 95)})


def test_p_and_williams_by_hand(small):
    """G2 = 2.39767 on [[2, 8], [5, 95]]; p = 0.12152 (chi-squared, one degree of freedom);
    Williams' q = 1 + (110/7 + 110/103 - 1)(110/10 + 110/100 - 1) / 660 = 1.26543, so G2/q = 1.89475."""
    plain = akhbar.keyness(small, "t").set_index("word")
    assert plain.loc["حفتر", "p"] == pytest.approx(0.121516, abs=1e-6)
    corrected = akhbar.keyness(small, "t", correction="williams").set_index("word")
    assert corrected.loc["حفتر", "g2"] == pytest.approx(1.894749, abs=1e-6)
    assert corrected.loc["حفتر", "p"] > plain.loc["حفتر", "p"]


def test_rows_are_ordered_by_g2_then_word(small):
    """The 2x2 tables of «حفتر» and «مدينة» are mirror images: the same G2, so the word decides."""
    kw = akhbar.keyness(small, "t")
    assert kw["g2"].iloc[0] == kw["g2"].iloc[1]
    assert kw["word"].tolist() == ["حفتر", "مدينة"]


def test_an_empty_cell_adds_nothing_to_g2():
    """«السراج»: 0 of 3 target words, 1 of 2 reference words: G2 = 2 (3 ln(3/2.4) + ln(1/0.4) + ln(1/1.6)) = 2.23144."""
    kw = akhbar.keyness(tokens({"t": "حفتر حفتر طرابلس", "r": "السراج أنقرة"}), "t").set_index("word")
    assert kw.loc["السراج", ["a", "b", "side"]].tolist() == [0, 1, "reference"]
    assert kw.loc["حفتر", ["a", "b", "side"]].tolist() == [2, 0, "target"]
    assert kw.loc["السراج", "g2"] == pytest.approx(2.231436, abs=1e-6)


def test_stop_words_and_punctuation_are_not_counted():
    kw = akhbar.keyness(tokens({"t": "حفتر في طرابلس.", "r": "السراج في أنقرة."}), "t")
    assert set(kw["word"]) == {"حفتر", "طرابلس", "السراج", "أنقرة"}
    assert (kw["target_total"] == 2).all() and (kw["reference_total"] == 2).all()


def test_the_reference_is_every_other_article_by_default():
    toks = tokens({"t": "حفتر يهاجم", "r1": "السراج يزور", "r2": "أردوغان يستقبل"})
    assert akhbar.keyness(toks, "t").equals(akhbar.keyness(toks, "t", ["r1", "r2"]))
    assert (akhbar.keyness(toks, "t")["reference_total"] == 4).all()


@pytest.mark.parametrize("target, reference, message", [
    ("t", "t", "two non-empty, disjoint groups"),
    ([], ["r"], "two non-empty, disjoint groups"),
    ("t", ["zz"], r"no tokens for article ids \['zz'\]"),
])
def test_groups_must_be_two_known_disjoint_sets(small, target, reference, message):
    with pytest.raises(ValueError, match=message):
        akhbar.keyness(small, target, reference)


def test_an_unknown_correction_is_named(small):
    with pytest.raises(ValueError, match="correction must be None or 'williams', got 'yates'"):
        akhbar.keyness(small, "t", correction="yates")
