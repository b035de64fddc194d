"""Reported statements (akhbar.layers.quotes): window, content, mode and speaker rules on real sentences."""

import pandas as pd
import pytest

from akhbar.layers.quotes import ATTRIBUTION_REACH, SUBJECT_REACH, WINDOW, complementisers, descriptors
from akhbar.pipeline.engine import annotate_texts

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


# issue 20: who speaks, read from the sentence (invented sentences)
RULES = {
    "agree": "قال أردوغان إن تركيا تدعم الحوار. وقالت وزارة الخارجية المصرية إن الحل سياسي. وأضاف أن الحوار مستمر.",
    "paragraph": "قال أردوغان إن الحوار مستمر.\nواستقبل السيسي الوفد الليبي في القاهرة. وأضاف أن الحل سياسي.",
    "unnamed": "وقال مسؤولون أتراك إن الحوار مستمر. وقالت مصادر دبلوماسية إن الحل سياسي. وقال أردوغان إن الحل قريب.",
    "apposition": "وقالت الباحثة في الشؤون الليبية، هدى مزيودات، إن الحل سياسي. وتقول مزيودات إن الحوار مستمر.",
    "woman": "وقالت الوزيرة هدى مزيودات إن الحوار مستمر. وقال أردوغان إن الحل قريب. وتابعت أن الانتخابات قريبة.",
    "inanimate": "وأكدت إشارات ميدانية أن الجيش يتقدم.",
    "act": "وأعلن الجيش سيطرته على المدينة.",
    "negated": "ولم تعلن الحكومة أنها ستتدخل.",
    "transfer": "ونقل الرئيس إلى المستشفى بعد إصابته.",
    "wafq": "وفق ما ذكرته وكالة الأناضول فإن الحوار مستمر.",
    "in_line_with": "وجدد أردوغان دعمه للحل وفق مرجعيات الحوار.",
    "hasab": "وبحسب مصادر ليبية فإن الحوار مستمر.",
    "object": "وقال أردوغان إن الحل سياسي، واتهم الحوثيين بتعطيل الحل.",
    "svo": "أنقرة تحذر النظام السوري من دخول عفرين.",
    "relative": "وتحدث أردوغان عن التقارير التي أفادت بأن الحوار توقف.",
    "relay": "قال أردوغان إن الحوار مستمر، وقال مسؤول تركي إن الحل سياسي.",
    "svo_name": "وكانت المتحدثة باسم الخارجية الفرنسية أوريلي دو شامبو أكدت أن المحادثات مستمرة.",
}


@pytest.fixture(scope="module")
def rules():
    spans = annotate_texts(list(RULES), list(RULES.values()), [None] * len(RULES), None)
    q = spans[spans["layer"] == "quote"]
    return {aid: q[q["article_id"] == aid].reset_index(drop=True) for aid in RULES}


def speakers(rules, aid):
    return list(zip(rules[aid]["verb"], rules[aid]["canonical_id"]))


def test_an_implicit_subject_agrees_with_its_verb(rules):
    # «وأضاف» (masculine) is not the ministry that spoke last (feminine) but Erdogan before it
    assert speakers(rules, "agree") == [("قال", "erdogan"), ("وقالت", "egypt_mfa"), ("وأضاف", "erdogan")]
    # «وتابعت» (feminine) skips Erdogan back to the minister she is
    assert speakers(rules, "woman")[2] == ("وتابعت", "new:هدي_مزيودات")


def test_an_implicit_subject_is_not_carried_across_a_paragraph_naming_another_actor(rules):
    q = rules["paragraph"]
    assert q["canonical_id"].tolist() == ["erdogan", ""]
    assert "the paragraph names another actor" in q["note"].iloc[1]


def test_anonymous_speakers_are_kinds_not_the_nearest_name(rules):
    assert speakers(rules, "unnamed") == [("وقال", "unnamed_officials"), ("وقالت", "unnamed_sources"),
                                          ("وقال", "erdogan")]
    assert speakers(rules, "hasab") == [("وبحسب", "unnamed_sources")]


def test_a_name_in_apposition_is_proposed_and_found_again_by_its_surname(rules):
    q = rules["apposition"]
    assert q["canonical_id"].tolist() == ["new:هدي_مزيودات", "new:هدي_مزيودات"]
    # the name tagger proposes her name itself now; the note says how the speaker was read
    assert "apposition" in q["note"].iloc[0]
    # before the verb too: in «المتحدثة باسم الخارجية الفرنسية أوريلي دو شامبو أكدت» (an invented
    # spokeswoman) the name after the ministry is the spokeswoman's, in apposition: she speaks, not
    # the ministry named before her
    assert speakers(rules, "svo_name") == [("أكدت", "new:اوريلي_دو_شامبو")]


@pytest.mark.parametrize("aid", ["inanimate", "act", "negated", "transfer", "in_line_with"])
def test_acts_silence_and_things_are_no_statements(rules, aid):
    # «أكدت إشارات», «أعلن الجيش سيطرته», «لم تعلن», «نقل ... إلى», «وفق مرجعيات»: no one speaks
    assert rules[aid].empty


def test_according_to_what_an_outlet_reported_is_one_report_at_its_verb(rules):
    assert speakers(rules, "wafq") == [("ذكرته", "anadolu")]


def test_an_object_after_the_verb_is_not_its_subject(rules):
    # «واتهم الحوثيين»: an oblique plural is an object; the subject is Erdogan, still speaking
    assert speakers(rules, "object") == [("وقال", "erdogan"), ("واتهم", "erdogan")]
    # «أنقرة تحذر النظام السوري»: the subject before the verb, at the start of its clause
    assert speakers(rules, "svo") == [("تحذر", "turkey")]


def test_a_relative_pronoun_points_to_the_speaker_before_it(rules):
    assert speakers(rules, "relative") == [("أفادت", "unnamed_reports")]


def test_a_report_inside_a_report_is_relayed(rules):
    q = rules["relay"]
    assert q["canonical_id"].tolist() == ["erdogan", "unnamed_officials"]
    assert q["via"].tolist() == ["", "erdogan"]


def test_reading_speakers_is_linear_in_the_length_of_the_text():
    """Unpunctuated text full of reporting verbs: one long sentence, every report open.

    Counted in Python lines run, not seconds: four times the text runs about four times the
    lines (a search that goes back over every open report would run sixteen times)."""
    from growth import executed_lines

    from akhbar.layers.entities import entity_columns
    from akhbar.layers.quotes import quote_columns
    from akhbar.scan import scan

    unit = "وقال أردوغان إن تركيا تدعم ليبيا وأضاف المتحدث أن الحل سياسي وقالت مصادر إن الحوار مستمر "

    def lines(n):
        sc = scan(unit * (n // len(unit)))
        ents = entity_columns(sc)
        quote_columns(sc, ents)  # data files loaded before counting
        return executed_lines(lambda: quote_columns(sc, ents))

    small, large = lines(10_000), lines(40_000)  # windows fill up below 10,000 characters
    assert large / small < 5.5, (small, large)  # 4.5 now


def test_who_speaks_shows_the_evidence():
    """The "who speaks" table and reading give each speaker's mention, verb and first words said."""
    import akhbar
    from akhbar.views.written import findings

    arts = akhbar.inputs.as_articles(["وقالت مصادر دبلوماسية إن الحوار مستمر بين الطرفين. "
                                      "وقال أردوغان إن تركيا تدعم الحل السياسي في ليبيا. وأضاف أن الحوار مستمر."])
    spans = akhbar.annotate(arts)
    q = akhbar.quoted(spans).set_index("speaker")
    assert q.loc["erdogan", ["total", "implicit", "mention", "verb"]].tolist() == [2, 1, "أردوغان", "وقال"]
    assert q.loc["erdogan", "said"] == "تركيا تدعم الحل السياسي في ليبيا"
    assert q.loc["unnamed_sources", "mention"] == "مصادر دبلوماسية"  # an unnamed kind, as the text names it
    text = findings(arts, spans)
    first = spans[(spans["layer"] == "quote") & (spans["canonical_id"] == "erdogan")].iloc[0]
    assert first["surface"].startswith("وقال") and (q.loc["erdogan", "start"], q.loc["erdogan", "end"]) == (
        first["start"], first["end"])
    link = akhbar.views.highlight.span_anchor("text1", "quote", first["start"], first["end"])
    assert f"(2) as «<bdi>أردوغان</bdi>»: [«<bdi>وقال</bdi>»](#{link}) «<bdi>تركيا تدعم الحل السياسي في ليبيا</bdi>…»" \
        in text
    assert "unnamed sources (1)" in text


def test_a_headline_speaker_and_colon_is_a_report_unless_a_report_follows():
    texts = ["العراق: الحوار مع تركيا مستمر\nوصل الوفد إلى بغداد.",
             "عمر البشير من القاهرة: السودان ومصر أسرة واحدة\nوصل الوفد.",
             "تركيا: أردوغان يكشف عن حكومته الجديدة\nوصل الوفد."]  # «تركيا:» is a rubric here
    spans = annotate_texts(["a", "b", "c"], texts, [None] * 3, None)
    q = spans[spans["layer"] == "quote"]
    assert list(zip(q["article_id"], q["verb"], q["canonical_id"])) == [
        ("a", ":", "iraq"), ("b", ":", "omar_al_bashir"), ("c", "يكشف", "erdogan")]
    a = q.iloc[0]
    assert texts[0][a["content_start"]:a["content_end"]] == "الحوار مع تركيا مستمر"


def test_a_description_names_the_last_speaker_the_text_called_so():
    # «وأضاف الوزير» is Cavusoglu, called a minister; no one was called an ambassador
    text = ("قال وزير الخارجية التركي مولود جاويش أوغلو إن الحوار مستمر. وقال أردوغان إن الحل سياسي. "
            "وأضاف الوزير أن المحادثات قريبة. وأكد السفير أن الوفد وصل.")
    spans = annotate_texts(["d"], [text], [None], None)
    q = spans[spans["layer"] == "quote"]
    assert q["canonical_id"].tolist() == ["mevlut_cavusoglu", "erdogan", "mevlut_cavusoglu", ""]
    assert q["note"].iloc[3] == "«السفير»: no speaker called so before"


def test_a_description_after_an_unnamed_speaker_is_that_speaker_not_the_last_name():
    # «وتابع المسؤول» after «قال مسؤول»; «وأعلنت الجماعة» is no body the text called a group
    text = ("قال أردوغان إن الحل سياسي. وقال مسؤول في الحكومة إن الحوار مستمر. وتابع المسؤول أن الوفد وصل. "
            "وأكدت وزارة الخارجية التركية أن الحوار مستمر. وأعلنت الجماعة أن الهدنة انتهت.")
    spans = annotate_texts(["u"], [text], [None], None)
    q = spans[spans["layer"] == "quote"]
    assert q["canonical_id"].tolist() == ["erdogan", "unnamed_officials", "unnamed_officials", "turkey_mfa", ""]


def test_a_name_that_completes_a_description_is_not_the_subject():
    # «متحدث باسم القائد العسكري خليفة حفتر يقول»: the spokesman speaks, not Haftar
    spans = annotate_texts(["h"], ["متحدث باسم القائد العسكري الليبي خليفة حفتر يقول إنه سيعود قريبا"], [None], None)
    q = spans[spans["layer"] == "quote"].iloc[0]
    assert (q["verb"], q["canonical_id"]) == ("يقول", "")
    assert q["note"].startswith("the actor before the verb completes a description")


# issue 20: a description names the person the text describes so (invented sentences)
DESCRIBED = {
    # the Qatari minister was named beside a Turkish one; Erdogan spoke last
    "nisba": "استقبل أردوغان وزير الخارجية القطري محمد بن عبد الرحمن آل ثاني في أنقرة، وحضر اللقاء وزير "
             "الخارجية التركي مولود جاويش أوغلو. وقال أردوغان إن الحوار مستمر. وأكد الوزير القطري أن الحل سياسي.",
    # «رئيس مجلس النواب» is no president called «الرئيس الفرنسي»
    "complement": "قال الرئيس الفرنسي إيمانويل ماكرون إن الحوار مستمر. وأعلن رئيس مجلس النواب أن الجلسة تأجلت.",
    # a headline's indefinite spokesman is the one the body names so
    "headline": "متحدث باسم الرئاسة الروسية يقول إن موسكو لن تتدخل\n"
                "وقال دميتري بيسكوف، المتحدث باسم الكرملين، إن الحوار مستمر.",
    # the description before the verb is the subject; «دمشق» after it an object
    "completes": "وزير خارجية تركيا يحذر دمشق من دخول عفرين\n"
                 "وحذر وزير الخارجية التركي مولود جاويش أوغلو دمشق من دخول عفرين.",
    "titled": "وصل الوفد إلى أنقرة، لكن الرئيس التركي رجب طيب أردوغان قال إن الحوار مستمر.",
    "preposition": "وقال أردوغان إن الحل سياسي. وفي حديثه عن الرئيس الأمريكي دونالد ترامب قال إن العلاقات جيدة.",
    "official_of": "بدأت القوات الأمريكية عملية جديدة، وفقاً لمسؤول بوزارة الدفاع الأمريكية.",
    # the Turkish president, not the American one named last beside «تركيا»
    "as_written": "التقى الرئيس التركي رجب طيب أردوغان الوفد. واستقبل الوفد في واشنطن الرئيس الأمريكي دونالد "
                  "ترامب الذي تنتقده تركيا. وأكد الرئيس التركي أن الحل سياسي.",
    # the Turkish president who spoke, not the former one named last
    "recent": "قال الرئيس التركي رجب طيب أردوغان إن الحوار مستمر، فيما وصل الرئيس التركي السابق عبد الله غول "
              "إلى أنقرة. وأضاف الرئيس التركي أن الحل سياسي.",
    "tweet": "ونشر أردوغان تغريدة باللغتين العربية والتركية تقول إن الحل سياسي.",
    "relayed_official": "وقال أردوغان إن الحل سياسي. ونقل مسؤول تركي عن أردوغان قوله إن الحوار مستمر. "
                        "وأضاف المسؤول أن الوفد وصل.",
}


@pytest.fixture(scope="module")
def described():
    spans = annotate_texts(list(DESCRIBED), list(DESCRIBED.values()), [None] * len(DESCRIBED), None)
    q = spans[spans["layer"] == "quote"]
    return {aid: list(zip(q[q["article_id"] == aid]["verb"], q[q["article_id"] == aid]["canonical_id"]))
            for aid in DESCRIBED}


def test_a_description_with_a_nisba_is_the_person_described_so(described):
    # not Erdogan, who spoke last beside the minister's name, nor the Turkish minister
    assert described["nisba"][1] == ("وأكد", "mohammed_bin_abdulrahman")
    assert described["complement"] == [("قال", "emmanuel_macron"), ("وأعلن", "")]
    assert described["as_written"] == [("وأكد", "erdogan")]
    assert described["recent"] == [("قال", "erdogan"), ("وأضاف", "erdogan")]


def test_a_headline_description_is_the_person_the_body_names_so(described):
    assert described["headline"] == [("يقول", "dmitry_peskov"), ("وقال", "dmitry_peskov")]
    assert described["completes"] == [("يحذر", "mevlut_cavusoglu"), ("وحذر", "mevlut_cavusoglu")]


def test_a_title_before_a_name_is_its_subject_only_at_the_start_of_a_clause(described):
    assert described["titled"] == [("قال", "erdogan")]
    assert described["preposition"] == [("وقال", "erdogan"), ("قال", "")]


def test_an_unnamed_official_of_a_body_and_the_author_of_a_tweet(described):
    assert described["official_of"] == [("وفقاً", "unnamed_officials")]
    assert described["tweet"] == [("تقول", "erdogan")]
    assert described["relayed_official"][2] == ("وأضاف", "unnamed_officials")


# issue 20: the mode follows the codebook's content span (invented sentences)
MODES = {
    "sentences": 'وقال أردوغان: "الحل سياسي. والحوار مستمر مع الجميع".',
    "lead": 'وقال أردوغان في مؤتمر صحفي: "الحل سياسي والحوار مستمر".',
    "tail": 'وقال أردوغان إن "الحل سياسي والحوار مستمر"، في إشارة إلى ليبيا.',
    "term": 'وقال أردوغان إن "الإرهاب" في ليبيا يهدد الجميع.',
    "participle": 'وقال أردوغان إن الحل سياسي، مضيفا أن "الحوار مستمر مع الجميع".',
}


@pytest.fixture(scope="module")
def modes():
    spans = annotate_texts(list(MODES), list(MODES.values()), [None] * len(MODES), None)
    q = spans[spans["layer"] == "quote"]
    return {aid: q[q["article_id"] == aid].reset_index(drop=True) for aid in MODES}


def test_a_quotation_over_several_sentences_is_one_direct_content(modes):
    q = modes["sentences"].iloc[0]
    assert q["label"] == "direct"
    assert MODES["sentences"][q["content_start"]:q["content_end"]].endswith('الجميع"')


@pytest.mark.parametrize("aid, label", [("lead", "direct"), ("tail", "direct"), ("term", "mixed")])
def test_words_outside_the_quotation_that_frame_it(modes, aid, label):
    # a colon or preposition before the quotation, a comment after it, leave it direct; a quoted term is not
    assert modes[aid]["label"].tolist() == [label]


def test_a_participle_ends_the_content_before_it(modes):
    q = modes["participle"]
    assert q["label"].tolist() == ["indirect", "direct"]
    assert MODES["participle"][q["content_start"][0]:q["content_end"][0]] == "الحل سياسي"
