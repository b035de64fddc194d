"""Reported statements (akhbar.quotes): window, content, mode and speaker rules on real sentences."""

import pandas as pd
import pytest

from akhbar.annotate import annotate_texts
from akhbar.quotes import ATTRIBUTION_REACH, SUBJECT_REACH, WINDOW, complementisers, descriptors

TEXTS = {
    "participle": "قال الرئيس التركي رجب طيب أردوغان إن بلاده ستدعم ليبيا، مضيفاً أن الحل سياسي.",
    "descriptor": "أكدت وزارة الخارجية التركية أن أنقرة تدعم الحوار. وأضافت الوزارة أن الحل سياسي.",
    "preposition": "وقال أردوغان في مؤتمر صحفي في أنقرة الثلاثاء إن الحل سياسي.",
    "attribution": "وفقاً لوزير الخارجية التركي مولود جاويش أوغلو فإن المحادثات مستمرة.",
    "frame": "نقلت وكالة الأناضول عن أردوغان قوله إن تركيا لن تنسحب.",
    "mixed": "وأكد حفتر أن «الجيش» سيواصل «تحرير» طرابلس.",
    "unnamed": "ويقول مراقبون إن التقارب التركي القطري يقلق القاهرة.",
    "direct": 'وقال تبون: "لا نؤيد أي قرار منفرد".',
}


@pytest.fixture(scope="module")
def quotes():
    ids = list(TEXTS)
    spans = annotate_texts(ids, list(TEXTS.values()), [pd.Timestamp("2020-07-21")] * len(ids), None)
    q = spans[spans["layer"] == "quote"]
    return {aid: g.reset_index(drop=True) for aid, g in q.groupby("article_id")}


def content(q, aid, row=0):
    r = q[aid].iloc[row]
    return TEXTS[aid][r["content_start"]:r["content_end"]]


def test_a_participle_continues_the_previous_speaker(quotes):
    q = quotes["participle"]
    assert q["verb"].tolist() == ["قال", "مضيفاً"]
    assert q["canonical_id"].tolist() == ["erdogan", "erdogan"]
    assert q["note"].tolist() == ["", "continues the previous report"]
    assert content(quotes, "participle", 1) == "الحل سياسي"  # after the complementiser, full stop dropped


def test_a_descriptor_names_the_last_speaker_of_its_type(quotes):
    q = quotes["descriptor"]
    assert q["canonical_id"].tolist() == ["turkey_mfa", "turkey_mfa"]
    assert q["note"].iloc[1] == "«الوزاره»: the last such speaker"
    assert descriptors()["الوزاره"] == "organization"


def test_a_preposition_ends_the_window_without_content():
    # «في» right after the subject breaks the window: the content is read from the verb on
    spans = annotate_texts(["p"], [TEXTS["preposition"]], [None], None)
    q = spans[spans["layer"] == "quote"].iloc[0]
    assert q["canonical_id"] == "erdogan"
    assert TEXTS["preposition"][q["content_start"]:q["content_end"]].startswith("أردوغان في مؤتمر")


def test_an_attribution_reaches_its_speaker_past_a_title(quotes):
    q = quotes["attribution"].iloc[0]
    assert q["verb"] == "وفقاً" and q["canonical_id"] == "mevlut_cavusoglu"
    assert content(quotes, "attribution") == "المحادثات مستمرة"  # «فإن»: three letters before the content
    assert complementisers()["فان"] == 3 and ATTRIBUTION_REACH > SUBJECT_REACH


def test_a_frame_verb_takes_the_speaker_after_an_and_the_outlet_as_via(quotes):
    q = quotes["frame"].iloc[0]
    assert (q["canonical_id"], q["via"]) == ("erdogan", "anadolu")


@pytest.mark.parametrize("aid, mode, speaker", [("mixed", "mixed", "khalifa_haftar"),
                                                 ("unnamed", "indirect", "unnamed_observers"),
                                                 ("direct", "direct", "tebboune")])
def test_modes_and_speakers(quotes, aid, mode, speaker):
    q = quotes[aid].iloc[0]
    assert (q["label"], q["canonical_id"]) == (mode, speaker)


def test_the_window_is_counted_in_words():
    # the complementiser may stand WINDOW words after the verb; one word further, the
    # content is read from right after the verb
    filler = " ".join(["كلمة"] * (WINDOW - 2))  # with the subject: «إن» is word WINDOW
    near = f"وقال أردوغان {filler} إن الحل سياسي."
    far = f"وقال أردوغان {filler} أيضا إن الحل سياسي."
    spans = annotate_texts(["near", "far"], [near, far], [None, None], None)
    q = spans[spans["layer"] == "quote"].set_index("article_id")
    assert near[q.loc["near", "content_start"]:q.loc["near", "content_end"]] == "الحل سياسي"
    assert far[q.loc["far", "content_start"]:].startswith("أردوغان")
