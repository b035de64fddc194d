"""Facts about Arabic text that small, realistic bugs in the library would break.

Each test states what a reader of the sentence answers, on invented sentences, so it holds
whatever the implementation: time expressions resolved against the publication date,
publication dates as feeds write them, keyness sides, the corrections merge, framing
targets and speakers across the articles of one batch. Every test here was checked by
planting its bug by hand and watching it fail.
"""

import math

import pandas as pd
import pytest

import akhbar
from akhbar.pipeline.corrections import apply_corrections
from akhbar.pipeline.engine import annotate_texts
from akhbar.published import parse_published


def layer_of(texts, published, layer):
    """The rows of one layer for invented texts, all published on ``published``."""
    ids = [f"t{i}" for i in range(len(texts))]
    spans = annotate_texts(ids, list(texts), [pd.Timestamp(published)] * len(texts), None)
    return (spans[spans["layer"] == layer] if layer else spans).reset_index(drop=True)


def date_value(text, published):
    d = layer_of([text], published, "date")
    assert len(d) == 1, f"expected one time expression in {text!r}, got {d['surface'].tolist()}"
    return d["value"].iloc[0]


# --- dates: a day or month without a year, resolved against the publication date ----
@pytest.mark.parametrize("text, published, value, why", [
    ("في 30 ديسمبر", "2021-01-03", "2020-12-30",
     "a day later in the year than publication, with no year, is last year's"),
    ("وصل الوفد في 28 نوفمبر", "2021-01-03", "2020-11-28",
     "a day two months ahead of publication is last year's"),
    ("في 2 يناير", "2021-01-03", "2021-01-02", "the day before publication is this year's"),
    ("في 30 ديسمبر 2021", "2021-01-03", "2021-12-30", "a written year is kept"),
])
def test_a_day_without_a_year_is_the_nearest_past_one(text, published, value, why):
    assert date_value(text, published) == value, why


@pytest.mark.parametrize("text, published, value, why", [
    ("في يناير الماضي", "2021-01-15", "2020-01",
     "«الماضي» naming the publication month is that month a year before"),
    ("في ديسمبر الماضي", "2021-01-15", "2020-12", "«ديسمبر الماضي» in January is last year's"),
    ("في يونيو الماضي", "2020-07-21", "2020-06", "an earlier month of the same year"),
    ("في يوليو المقبل", "2020-07-21", "2021-07",
     "«المقبل» naming the publication month is that month a year on"),
    ("في يوليو الجاري", "2020-07-21", "2020-07", "«الجاري» is the publication month itself"),
])
def test_month_with_past_or_next_never_names_the_publication_month(text, published, value, why):
    assert date_value(text, published) == value, why


# --- publication dates as feeds and spreadsheets write them --------------------------
@pytest.mark.parametrize("value, day, why", [
    ("2020/07/21", "2020-07-21", "year first with slashes is year/month/day, as the docstring promises"),
    ("2020/12/01", "2020-12-01", "year/month/day, not year/day/month: 1 December"),
    ("04/04/2020", "2020-04-04", "day equal to month: either order gives the same day"),
    ("13/04/2020", "2020-04-13", "13 cannot be a month: 13 April"),
    ("04/13/2020", "2020-04-13", "13 cannot be a month: 13 April"),
    ("2020-07-21T14:23:09+03:00", "2020-07-21 11:23:09", "an offset is converted to UTC"),
])
def test_a_publication_date_whose_order_is_certain_is_read(value, day, why):
    stamp, problem = parse_published(value)
    assert (stamp, problem) == (pd.Timestamp(day), ""), why


def test_an_ambiguous_day_month_order_is_left_empty_with_a_reason():
    stamp, problem = parse_published("03/04/2020")  # 3 April or 4 March: not guessed
    assert pd.isna(stamp) and "ambiguous" in problem


# --- keyness: which group uses a word relatively more ------------------------------
@pytest.fixture(scope="module")
def small_keyness():
    # target: 10 words, «حفتر» twice (rate 0.2); reference: 100 words, «حفتر» five times (0.05)
    texts = {"t": " ".join(["حفتر"] * 2 + ["مدينة"] * 8), "r": " ".join(["حفتر"] * 5 + ["مدينة"] * 95)}
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": list(texts), "text": list(texts.values())}))
    return akhbar.keyness(akhbar.tokens(arts), "t").set_index("word")


def test_keyness_side_follows_rates_not_raw_counts(small_keyness):
    """«حفتر»: 2 of 10 words in the target, 5 of 100 in the reference: fewer times, but four
    times as often, so the target's word; «مدينة» (8 of 10 against 95 of 100) the reference's."""
    k = small_keyness
    assert k.loc["حفتر", ["a", "b", "target_total", "reference_total"]].tolist() == [2, 5, 10, 100]
    assert k.loc["حفتر", "side"] == "target"
    assert k.loc["مدينة", "side"] == "reference"


def test_keyness_g2_and_log_ratio_by_hand(small_keyness):
    # G2 = 2 * sum(O ln(O/E)) over [[2, 8], [5, 95]], E from the margins (7 of 110 words)
    n, k = 110, 7
    cells = [(2, 10 * k / n), (8, 10 * (n - k) / n), (5, 100 * k / n), (95, 100 * (n - k) / n)]
    g2 = 2 * sum(o * math.log(o / e) for o, e in cells)
    assert small_keyness.loc["حفتر", "g2"] == pytest.approx(g2, abs=1e-5)
    assert round(g2, 3) == 2.398  # the same sum worked on paper
    assert small_keyness.loc["حفتر", "log_ratio"] == pytest.approx(math.log2((2.5 / 10) / (5.5 / 100)))


# --- corrections: a row acts on its own layer only ---------------------------------
TRIPOLI = "انتقدت حكومة طرابلس الزيارة."  # «حكومة طرابلس» is an entity and a LEGITIMACY cue


def corrected(tmp_path, rows):
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": [TRIPOLI],
                                                   "published": [pd.Timestamp("2020-07-21")]}))
    (tmp_path / "a1.csv").write_text("action,start,end,surface,layer,label,canonical_id,type,note\n"
                                     + "".join(r + "\n" for r in rows), encoding="utf-8")
    spans, drifted = apply_corrections(akhbar.annotate(arts), arts, tmp_path)
    assert len(drifted) == 0
    return spans[spans["surface"] == "حكومة طرابلس"]


def test_the_sentence_holds_an_entity_and_a_cue_at_the_same_offsets(tmp_path):
    both = corrected(tmp_path, [])
    assert sorted(both["layer"]) == ["entity", "framing"]
    assert set(zip(both["start"], both["end"])) == {(7, 19)}


def test_rejecting_an_entity_keeps_the_framing_cue_at_the_same_offsets(tmp_path):
    left = corrected(tmp_path, ["reject,7,19,حكومة طرابلس,entity,,,,not the actor here"])
    assert left["layer"].tolist() == ["framing"]
    assert left["label"].tolist() == ["LEGITIMACY"]


def test_rejecting_a_framing_cue_keeps_the_entity(tmp_path):
    left = corrected(tmp_path, ["reject,7,19,حكومة طرابلس,framing,,,,neutral naming here"])
    assert left["layer"].tolist() == ["entity"]


def test_correcting_an_entity_leaves_the_cue_as_it_was(tmp_path):
    rows = corrected(tmp_path, ["correct,7,19,حكومة طرابلس,entity,NAM,gnu,,a later government"])
    got = dict(zip(rows["layer"], zip(rows["source"], rows["canonical_id"])))
    assert got == {"entity": ("manual", "gnu"), "framing": ("auto", "gna")}


# --- quotes: every article of a batch starts without a speaker ----------------------
def test_the_previous_speaker_is_never_carried_into_the_next_article_of_a_batch():
    """The second article opens with a participle and a verb without a subject: the
    speaker they continue is in another article, so they have none."""
    q = layer_of(["قال أردوغان إن الحل سياسي.", "مضيفاً أن المحادثات مستمرة. وأكد أن الحل قريب."],
                 "2020-07-21", "quote")
    by_article = q.groupby("article_id")["canonical_id"].apply(list).to_dict()
    assert by_article == {"t0": ["erdogan"], "t1": ["", ""]}


def test_within_one_article_the_participle_continues_the_speaker():
    q = layer_of(["قال أردوغان إن الحل سياسي، مضيفاً أن المحادثات مستمرة."], "2020-07-21", "quote")
    assert q["canonical_id"].tolist() == ["erdogan", "erdogan"]


def test_then_is_never_the_date_of_the_previous_article():
    d = layer_of(["وصل الوفد في 20 يوليو 2020.", "وكان الرئيس حينها في الخارج."], "2020-07-21", "date")
    assert d.set_index("article_id")["value"].to_dict() == {"t0": "2020-07-20", "t1": ""}


# --- framing targets ----------------------------------------------------------------
# Libya, Turkey and Egypt are each named twice: the text is about no single pair of states
THREE_STATES = ("تحدثت ليبيا عن الدعم القطري. وقالت تركيا إن ليبيا وتركيا ومصر تدعم الحل. "
                "وزار وفد من مصر العاصمة.")


def cue(frame, surface):
    rows = frame[frame["surface"] == surface]
    assert len(rows) == 1, f"expected the cue «{surface}» once, got {frame['surface'].tolist()}"
    return rows.iloc[0]


def test_qatari_support_names_no_other_state_as_its_target():
    """«الدعم القطري» is Qatar's support; Libya, Turkey and Egypt, named as often as one
    another, are not the pair it is about."""
    target = cue(layer_of([THREE_STATES], "2020-07-21", "framing"), "الدعم القطري")["canonical_id"]
    assert set(target.split("|")) - {""} <= {"qatar"}, target


@pytest.mark.xfail(reason="the nisba inside «الدعم القطري» is not yet read as the cue's target", strict=False)
def test_qatari_support_frames_qatar():
    target = cue(layer_of([THREE_STATES], "2020-07-21", "framing"), "الدعم القطري")["canonical_id"]
    assert "qatar" in target.split("|")


def test_a_name_after_fi_is_a_venue_not_a_framing_target():
    """«في تركيا» says where the officials spoke: the threat is not Turkey's."""
    spans = layer_of(["تصاعد التهديد الأمني خلال الأسابيع الأخيرة بحسب مسؤولين في تركيا."], "2020-07-21", None)
    assert "turkey" in set(spans.loc[spans["layer"] == "entity", "canonical_id"])  # the name is found
    target = cue(spans[spans["layer"] == "framing"], "التهديد")["canonical_id"]
    assert "turkey" not in target.split("|"), target


def test_a_name_after_ila_is_a_venue_not_a_framing_target():
    """«إلى ليبيا» is where the delegation went: the threat is not Libya's."""
    spans = layer_of(["تصاعد التهديد الأمني خلال الأسابيع الأخيرة مع وصول وفد عسكري إلى ليبيا."], "2020-07-21", None)
    assert "libya" in set(spans.loc[spans["layer"] == "entity", "canonical_id"])
    target = cue(spans[spans["layer"] == "framing"], "التهديد")["canonical_id"]
    assert "libya" not in target.split("|"), target
