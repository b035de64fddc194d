"""Framing cues and their targets read from the sentence (codebook section 2), on invented
Arabic sentences written for these tests; and the cue files' integrity."""

import pandas as pd
import pytest

from akhbar.annotate import annotate_text
from akhbar.entities import load_gazetteer, read_data
from akhbar.framing import CODES, FILES, NOT_A_CUE, RULES
from akhbar.matcher import match_key


def cues(text, published="2020-07-21"):
    rows = pd.DataFrame(annotate_text("t", text, pd.Timestamp(published)),
                        columns=["layer", "surface", "label", "polarity", "canonical_id"])
    f = rows[rows["layer"] == "framing"]
    return list(zip(f["surface"], f["label"], f["polarity"], f["canonical_id"]))


def _fold(cue):
    return match_key(cue.rstrip("*"))  # the matcher's own key: rows it would merge


@pytest.mark.parametrize("name", FILES)
def test_cue_files_are_well_formed(name):
    rows = read_data(name)
    ids = set(load_gazetteer()["canonical_id"])
    assert len(rows) > (1000 if name == "framing_lexicon.csv" else 100)
    assert set(rows["code"]) <= set(CODES) | {NOT_A_CUE}
    assert set(rows["polarity"]) <= {"+", "-", "0"}
    folded = rows["cue"].map(_fold)
    assert not folded.duplicated().any(), list(rows["cue"][folded.duplicated(keep=False)])
    for target in rows["target"]:
        parts = target.rstrip("!").split(";") if target else []
        for part in parts:  # a rule, or fixed ids the gazetteer knows
            assert part in RULES or set(part.split("|")) <= ids, (name, target)


def test_a_nisba_names_the_occupier_and_a_bare_repeat_keeps_it():
    text = "وقال إن الاجتماع سيبحث جرائم الاحتلال الإسرائيلي بحق المدنيين. ودعا إلى إنهاء هذا الاحتلال."
    assert [c[3] for c in cues(text) if c[0] == "الاحتلال"] == ["israel", "israel"]
    # the second is implicit (codebook section 2: the note says so); no seed story in the note
    rows = pd.DataFrame(annotate_text("t", text, pd.Timestamp("2020-07-21")))
    notes = list(rows[rows["layer"] == "framing"]["note"])
    assert "implicit" not in notes[0] and notes[1].endswith("implicit target: as the same cue earlier in the article")
    assert not any("Haftar" in n or "Turkish" in n for n in notes)


def test_recognised_takes_the_body_not_its_head():
    text = "والتقى المبعوث بحكومة الوفاق الوطني برئاسة فائز السراج المعترف بها دوليا."
    assert cues(text) == [("المعترف بها دوليا", "LEGITIMACY", "+", "gna")]


def test_forces_of_a_person_only_and_they_frame_his_force():
    # «قوات فلان» frames the force the man commands (data/framing_forces.csv): Haftar's are the LNA
    text = "وتقدمت قوات حفتر نحو المدينة. ولم تتحرك قوات الشرطة. ودعا إلى حوار مع قوات سوريا الديمقراطية."
    assert cues(text) == [("قوات حفتر", "LEGITIMACY", "-", "lna")]


def test_a_relative_clause_names_the_agent():
    text = "وندد الوزير بالتطرف الذي تبديه دول الاتحاد الأوروبي حيال طهران."
    assert cues(text) == [("بالتطرف", "CONFLICT_ESCALATION", "-", "eu")]
    text = "وأكد أن الشعب رهينة للتسويف من قبل ميليشيات الحوثي."
    assert ("للتسويف", "RAPPROCHEMENT_DEESCALATION", "-", "houthis") in cues(text)


def test_a_place_after_a_preposition_is_not_the_possessor():
    assert cues("وتنتشر ميليشيات متطرفة في ليبيا منذ سنوات.") == [("ميليشيات", "LEGITIMACY", "-", "")]


def test_a_list_of_actors_is_one_party():
    text = "وانتقد الوزير الدعم العسكري الذي تقدمه الولايات المتحدة وفرنسا وبريطانيا للتحالف."
    assert cues(text) == [("الدعم العسكري", "MILITARY_COOPERATION", "0", "usa|france|uk")]


def test_names_hashtags_and_ranks_hold_no_cue():
    assert cues("ونشر الوزير وسم #الدول_الداعية_لمكافحة_الإرهاب على حسابه.") == []
    assert ("الحرب", "CONFLICT_ESCALATION", "0", "") in cues("وقال العقيد أركان حرب أحمد إن الحرب انتهت.")
    assert not [c for c in cues("وقال العقيد أركان حرب أحمد إن الحرب انتهت.") if c[0] == "حرب"]


def test_scare_quotes_but_not_a_citation():
    text = 'وينتمي إلى ما يعرف بـ"داعش". وقال المتحدث باسم "جيش ليبيا الوطني" إن القوات تتقدم.'
    assert cues(text, "2018-04-14") == [('"جيش ليبيا الوطني"', "LEGITIMACY", "-", "lna")]


def test_distance_from_the_speakers_word():
    assert cues("وانتقدت قطر ما تصفه بالحصار الجائر.") == [("ما تصفه بالحصار", "LEGITIMACY", "-", "qatar")]
