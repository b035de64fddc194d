"""Framing cues and their targets read from the sentence (codebook section 2), on invented
Arabic sentences written for these tests; and the cue files' integrity."""

import numpy as np
import pandas as pd
import pytest

from akhbar.layers.entities import load_gazetteer, read_data
from akhbar.layers.framing import CODES, FILES, NOT_A_CUE, RULES
from akhbar.matcher import match_key
from akhbar.pipeline.engine import annotate_text


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


def confident(text, published="2020-07-21"):
    rows = pd.DataFrame(annotate_text("t", text, pd.Timestamp(published)))
    f = rows[rows["layer"] == "framing"]
    return list(zip(f["surface"], f["canonical_id"], f["target_confidence"]))


def test_no_cue_falls_back_on_the_state_the_article_names_most():
    # Libya is named twice, but the sentence of «الفوضى» links it to no actor: its target stays empty
    text = "زار الوزير ليبيا ثم عاد إلى ليبيا. وحذر من الفوضى."
    assert ("الفوضى", "", "") in confident(text)


def test_a_cue_file_naming_the_removed_main_rules_is_refused(tmp_path):
    from akhbar.layers.framing import framing_columns
    from akhbar.scan import scan
    bad = tmp_path / "cues.csv"
    bad.write_text("code,polarity,cue,target,note\nCONFLICT_ESCALATION,0,الأزمة,next;main,crisis\n", encoding="utf-8")
    sc = scan("الأزمة")
    with pytest.raises(ValueError, match=r"cues.csv: row 1 .*main and mains were removed"):
        framing_columns(sc, {"start": np.zeros(0, np.int64), "end": np.zeros(0, np.int64),
                             "label": np.zeros(0, object), "canonical_id": np.zeros(0, object),
                             "type": np.zeros(0, object)}, path=str(bad))


def test_a_direct_link_is_high_and_the_sentence_rule_low():
    # «الاحتلال الإسرائيلي» names its target; «الفوضى» far from Egypt takes the sentence's one actor
    assert ("الاحتلال", "israel", "high") in confident("ودعا إلى إنهاء الاحتلال الإسرائيلي.")
    text = "وشهدت مصر خلال السنوات الماضية بعد الثورة الكبيرة وما تلاها من أحداث فترة من الفوضى."
    assert ("الفوضى", "egypt", "low") in confident(text)


def test_a_label_frames_what_a_speech_clause_describes_not_the_speaker():
    # «الذي تعتبره تركيا»: the verb carries the party as its object, Turkey is the voice
    text = 'وتتهم أنقرة حزب العمال الكردستاني الذي تعتبره تركيا منظمة "إرهابية" بتنفيذ الهجوم.'
    assert ("إرهابية", "pkk", "high") in confident(text)
    # the accuser right after «اتهم» is the voice: the label has no named target, not Erdogan
    assert ("الإرهابية", "", "") in confident("واتهم أردوغان الخلايا الإرهابية بالوقوف وراء الهجوم.")


def test_what_one_is_accused_of_frames_the_accused():
    # «اتهم X Y بـ» frames Y; a capital accused is its state (codebook R1: a party)
    assert confident("واتهم الوزير قطر بدعم الإرهاب.") == [("بدعم الإرهاب", "qatar", "high")]
    assert ("ودعم الإرهاب", "qatar", "high") in confident("بسبب اتهام هذه الدول للدوحة بتمويل ودعم الإرهاب.")


def test_relations_take_both_parties_across_with_and_between():
    assert ("حوار صريح", "france|iran", "high") in confident("وتنوي فرنسا المضي قدما في حوار صريح مع إيران.")
    # «بين البلدين» names the group's two members
    assert ("التقارب", "qatar|turkey", "high") in confident("وزار أمير قطر تركيا، وبحث الطرفان التقارب بين البلدين.")


def test_ranks_frame_the_person_after_them_only():
    assert cues("وقال العقيد أحمد المسماري إن الفريق لم يصل بعد.") == [("العقيد", "TITLE", "0", "ahmed_al_mismari")]
    assert cues("وقال الفريق أول خليفة حفتر إن قواته تتقدم.")[0] == ("الفريق أول", "TITLE", "0", "khalifa_haftar")


def test_acts_of_war_belong_to_the_commanders_force():
    assert cues("وتمكنت قوات حفتر من هزيمة المسلحين في المدينة.") == [
        ("قوات حفتر", "LEGITIMACY", "-", "lna"), ("هزيمة", "OCCUPATION_LIBERATION", "0", "lna")]


def test_a_label_in_a_persons_office_is_a_job_title():
    # «رئيس الحكومة اليمنية» is an office (codebook: ordinary job titles are not coded)
    assert not [c for c in cues("وقال رئيس الحكومة اليمنية أحمد بن دغر إن الحرب ستنتهي.") if c[1] == "LEGITIMACY"]


def test_argument_and_force_files_name_known_actors():
    from akhbar.layers.framing import argument_words, commanded_forces
    ids = set(load_gazetteer()["canonical_id"])
    forces = commanded_forces()
    assert set(forces) <= ids and set(forces.values()) <= ids
    roles = set(argument_words())
    assert {"speech", "accuse", "against", "partner", "between", "force", "force_act"} <= roles


def test_the_clauses_first_actor_is_a_last_low_confidence_reading():
    # two actors far before the act: no direct link, not one actor in the sentence; the clause after
    # «أن» opens with the Houthis (topic, low confidence)
    text = "وأكد الوزير أن الحوثيين وإيران يتحملون منذ سنوات طويلة وحتى اليوم مسؤولية كبيرة عن تقويض الأمن."
    assert confident(text) == [("تقويض الأمن", "houthis", "low")]


def test_the_pair_named_after_between_earlier_in_the_clause():
    # «العلاقة بين أنقرة والقيادة العامة ... من التوتر»: both parties (a capital between parties is its state)
    text = "وقال المشير خليفة حفتر إن العلاقة بين أنقرة والقيادة العامة مرت بسنوات طويلة من التوتر."
    assert ("التوتر", "turkey|lna", "low") in confident(text)


def test_who_calls_for_it_is_the_voice_not_the_clauses_actor():
    # the League speaks («ودعت»): non-interference is about Libya, the clause's actor after the call
    text = "وأعربت الجامعة العربية عن قلقها ودعت إلى احترام سيادة ليبيا وعدم التدخل في شؤونها."
    assert ("وعدم التدخل", "libya", "low") in confident(text)


def test_a_states_official_warns_for_his_state_and_the_warned_is_the_other_party():
    # «حذر وزير الخارجية الإيراني ... الحكومة السعودية»: the relation between Iran and the Saudi
    # government, not the minister (his office in the gazetteer names his state)
    text = "وحذر وزير الخارجية الإيراني محمد جواد ظريف الحكومة السعودية من عواقب التصعيد."
    assert ("وحذر", "iran|saudi_arabia_government", "high") in confident(text)


def test_sanctions_imposed_by_the_actor_after_the_verb_that_carries_them():
    # «عقوبات ... فرضها الرئيس الأمريكي ضد مسؤولين إيرانيين»: the imposer follows فرضها, not the
    # state acting before; the nisba of the sanctioned officials names their state
    text = "وألغت إيران العقود ردا على عقوبات جديدة فرضها الرئيس الأمريكي ضد مسؤولين إيرانيين."
    assert ("عقوبات", "usa|iran", "high") in confident(text)


def test_a_warning_after_a_comma_is_the_speakers_not_the_reported_clauses():
    # «قال الرئيس المصري إن ...، محذرا أديس أبابا»: Egypt warns Ethiopia (a capital is its state)
    text = "وقال الرئيس المصري إن بلاده تريد السلام، محذرا أديس أبابا من المساس بحصة مصر."
    assert ("محذرا", "egypt|ethiopia", "high") in confident(text)


def test_a_cue_opening_a_sentence_takes_no_actor_from_the_sentence_before():
    # «... تركيا. وحذرت دمشق»: Turkey ends the previous sentence and is no party of the warning
    text = "وزار الوفد تركيا. وحذرت دمشق من أي تصعيد."
    assert all("turkey" not in c[1] for c in confident(text) if c[0] == "وحذرت")


def test_support_given_by_the_actor_after_the_verb_that_carries_it():
    # «الدعم ... الذي تقدمه الدوحة لحركة حماس»: Qatar (a capital is its state) supports Hamas;
    # Egypt, acting before, only criticises it
    text = "وانتقدت مصر الدعم السياسي الذي تقدمه الدوحة لحركة حماس."
    assert ("الدعم السياسي", "qatar|hamas", "high") in confident(text)


def test_his_country_makes_the_person_before_stand_for_his_state():
    # «بوتين الذي تدعم بلاده دمشق»: Russia supports Syria, not Putin in person (codebook R3)
    text = "وبحث ماكرون ملف إدلب مع الرئيس الروسي بوتين الذي تدعم بلاده دمشق عسكريا."
    assert ("تدعم", "russia|syria", "high") in confident(text)


def test_what_an_actor_calls_x_frames_the_one_who_calls_it_so():
    # «ما تصفه بالحصار»: the implicit describer is the clause's subject, Qatar, far before the cue
    text = "وتشكو قطر منذ أشهر طويلة في كل المحافل الدولية من آثار ما تصفه بالحصار."
    assert ("ما تصفه بالحصار", "qatar", "low") in confident(text)


def test_the_two_countries_after_a_relation_cue_are_both_its_parties():
    # «الأزمة بين البلدين»: the group layer resolves «البلدين» to the two states named before
    text = "فرضت الولايات المتحدة عقوبات على تركيا. ولكن هذه الخطوة لم تنه الأزمة بين البلدين."
    assert ("الأزمة بين", "turkey|usa", "high") in confident(text, "2018-08-04")


def test_a_relative_clauses_antecedent_is_the_supporter_when_the_verb_has_no_object_pronoun():
    # «تركيا التي تدعم الفصائل المعارضة»: Turkey is the supporter; the factions are no named actor,
    # so the target is Turkey alone, not a pair borrowed from elsewhere in the article
    text = "وتدعم روسيا الحكومة السورية. ورحبت تركيا التي تدعم الفصائل المعارضة، بالاتفاق."
    assert ("تدعم", "turkey", "high") in confident(text)


def test_a_verb_carrying_the_relative_as_object_takes_its_agent_after_it():
    # «الانتفاضة التي دعمها حلف شمال الأطلسي»: NATO supported the uprising (no actor before)
    text = "وسقط النظام بعد الانتفاضة التي دعمها حلف شمال الأطلسي عام 2011."
    assert ("دعمها", "nato", "high") in confident(text)


def test_a_group_label_frames_only_the_group_the_text_links_it_to():
    # «لمنع تسلل الإرهابيين» after «مع ليبيا»: Libya is where the border is, not the terrorists;
    # «الإرهابيين من داعش» and «ميليشيات الحوثي» name their group
    assert ("الإرهابيين", "", "") in confident("وقالت تونس إنها تبني جدارا على حدودها مع ليبيا لمنع تسلل الإرهابيين.")
    assert ("الإرهابيين", "isis", "high") in confident("وقتل عشرات الإرهابيين من داعش.")
    assert ("ميليشيات", "houthis", "high") in confident("وهاجمت ميليشيات الحوثي المدينة.")


def test_a_label_adjective_qualifies_the_noun_right_before_it():
    # «الميليشيات المتطرفة» qualifies the militias, not Haftar two words before
    text = "وقاتلت قوات حفتر الميليشيات المتطرفة في درنة."
    assert ("المتطرفة", "", "") in confident(text)
    assert ("الإرهابية", "houthis", "high") in confident("وأدان الوزير هجمات ميليشيات الحوثي الإرهابية.")


def test_fighting_belongs_to_the_commanders_force():
    # «وقاتلت قوات حفتر»: the act of fighting frames the LNA (codebook R4), not Haftar in person
    assert ("وقاتلت", "lna", "high") in confident("وقاتلت قوات حفتر الميليشيات المتطرفة في درنة.")


def test_a_proxy_noun_with_a_pronoun_relates_the_proxy_to_the_actor_the_pronoun_names():
    # «إيران ... أن الحوثيين أدوات لها»: لها is Iran; with no actor before the proxy, the proxy alone
    assert ("أدوات لها", "iran|houthis", "high") in confident("وقال الوزير إن تصريحات إيران تؤكد أن الحوثيين أدوات لها.")
    assert ("أدوات لها", "houthis", "high") in confident("وقال الوزير إن الحوثيين أدوات لها.")


def test_an_accused_proxy_is_related_to_its_patron_and_the_accuser_is_the_subject():
    # «وتتهم أنقرة حركة حماس بأنها الذراع المسلح لجماعة الإخوان المسلمين»: Ankara accuses (VSO:
    # two names side by side after the verb), Hamas is the accused arm, the Brotherhood its patron
    text = "وتتهم أنقرة حركة حماس بأنها الذراع المسلح لجماعة الإخوان المسلمين."
    assert ("الذراع", "hamas|muslim_brotherhood", "high") in confident(text)
    assert ("بدعم الإرهاب", "qatar", "high") in confident("واتهم الوزير قطر بدعم الإرهاب.")


def test_pressure_frames_who_exerts_it():
    # INFLUENCE is power projection: «تريد روسيا الضغط على أوكرانيا» frames Russia, not the pair
    assert ("الضغط على", "russia", "high") in confident("وتريد روسيا الضغط على أوكرانيا لقبول الشروط.")


def test_nisbas_right_after_a_relation_cue_name_its_parties():
    # «مصالحة ليبية» is Libya's reconciliation, not the caller's; «الحلف القطري - التركي» is
    # the alliance of Qatar and Turkey, not with Libya named after it
    assert ("مصالحة", "libya", "high") in confident("ودعا الرئيس الفرنسي إلى مصالحة ليبية شاملة.")
    assert ("الحلف", "qatar|turkey", "high") in confident("هل يمتد الحلف القطري - التركي إلى ليبيا؟")


def test_sanctions_are_of_the_name_right_after_them():
    # «العقوبات الأمريكية على إيران»: the USA sanctions Iran, not the Turkish company of the clause
    text = "وقال رجل الأعمال إن الشركة التركية خرقت العقوبات الأمريكية على إيران."
    assert ("العقوبات", "usa|iran", "high") in confident(text)


def test_a_warning_after_a_colon_is_the_clauses_after_it():
    # «مسؤولون لـCNN: … حذروا بايدن»: the outlet before the colon warns no one
    text = "مسؤولون لـCNN: جنرالات البنتاغون حذروا بايدن من الانسحاب من العراق."
    assert all("cnn" not in c[1] for c in confident(text) if c[0] == "حذروا")


def test_kurdish_forces_are_the_group_the_article_names():
    # data/framing_collectives.csv: «القوات الكردية» stands for the YPG where the article names it
    text = "وتصنف أنقرة وحدات حماية الشعب تنظيما إرهابيا. وانتقد الوزير دعم واشنطن للقوات الكردية."
    assert cues(text) == [("دعم", "ALIGNMENT", "0", "usa|ypg")]
    # no candidate named: the phrase stands for nobody (codebook section 2: no implicit target)
    assert cues("وانتقد الوزير دعم واشنطن للقوات الكردية.") == [("دعم", "ALIGNMENT", "0", "")]


def test_a_bare_regime_is_the_one_named_before_and_a_system_is_no_cue():
    text = "وقصف النظام السوري المدينة. وقال المرصد إن النظام يحاول تطويق البلدة."
    assert ("النظام", "LEGITIMACY", "-", "syria_government") in cues(text)
    assert cues("وقال المرصد إن النظام الدولي يتغير.") == []
    assert cues("وقال المرصد إن النظام يتغير.") == []  # no regime named before it


def test_a_bare_occupation_is_israel_where_the_article_names_it():
    text = "وقتلت القوات الإسرائيلية عشرة متظاهرين. ودعا الوزير إلى مساءلة الاحتلال عن القتل."
    assert ("مساءلة", "LEGITIMACY", "-", "israel") in cues(text)
    assert ("مساءلة", "LEGITIMACY", "-", "") in cues("ودعا الوزير إلى مساءلة الاحتلال عن القتل.")


def test_the_deed_one_is_blamed_for_frames_the_blamed():
    text = "وألقت الحكومة الأفغانية باللوم على حركة طالبان في الهجوم."
    assert cues(text) == [("الهجوم", "CONFLICT_ESCALATION", "-", "taliban")]
    # «عليها»: the antecedent of the relative clause, not the subject of the sentence
    text = "واعتقلت باكستان قادة من حركة طالبان التي تلقي الحكومة الأفغانية باللوم عليها في الهجوم."
    assert cues(text) == [("الهجوم", "CONFLICT_ESCALATION", "-", "taliban")]


def test_allies_with_a_pronoun_belong_to_the_actor_before_them():
    assert cues("وأطلقت الولايات المتحدة وحلفاؤها صواريخ على المطار.") == [("وحلفاؤها", "ALIGNMENT", "0", "usa")]
    # a capital after «في» names the backers' state
    text = "وقال إن ميليشيات الحوثي وداعميها في طهران يعرقلون الحل."
    assert ("وداعميها", "ALIGNMENT", "0", "houthis|iran") in cues(text)
    # two parties listed before an ally noun, and the one it is in construct with
    text = "وقال إن إيران وروسيا حليفتا النظام السوري."
    assert ("حليفتا", "ALIGNMENT", "0", "iran|russia|syria_government") in cues(text)


def test_an_outlet_reports_and_is_no_party():
    assert cues("ونقلت وكالة رويترز عن مصادر أن المعارك تجددت.") == [("المعارك", "CONFLICT_ESCALATION", "0", "")]


def test_a_kinship_word_with_its_pronoun_frames_the_person_named_after_it():
    text = "وعين الرئيس التركي صهره بيرات البيرق وزيرا للمالية."
    assert cues(text) == [("صهره", "DYNASTIC", "0", "berat_albayrak")]


def test_his_country_is_the_state_of_the_one_who_speaks():
    text = "وقال وزير الخارجية التركي مولود تشاوش أوغلو إن بلاده لا تمانع دخول القوات السورية إلى المدينة."
    assert cues(text) == [("لا تمانع", "RAPPROCHEMENT_DEESCALATION", "0", "turkey|syrian_arab_army")]


def test_the_same_cue_word_keeps_its_target_in_an_article():
    # «مصالحة ليبية» then «المصالحة»: the definite noun repeats the indefinite one
    text = "سعي لمصالحة ليبية\nوقال الرئيس الفرنسي إن الاجتماع يهدف إلى المصالحة بين الأطراف."
    assert [c[3] for c in cues(text)] == ["libya", "libya"]
    # a headline's bare cue takes the target the body gives it later (not a relation's)
    text = "النزاع يتواصل\nويستمر النزاع الليبي منذ سنوات."
    assert [c[3] for c in cues(text)] == ["libya", "libya"]


def test_word_families_of_crimes_protests_and_violations():
    text = ("وندد الوزير بجرائم إسرائيل في غزة. وأعلنت الخارجية عن احتجاج إيران الشديد. "
            "وكانت الولايات المتحدة تنتهك الاتفاق منذ شهور.")
    assert cues(text) == [("بجرائم", "OCCUPATION_LIBERATION", "-", "israel"),
                          ("احتجاج", "CONFLICT_ESCALATION", "-", "iran"),
                          ("تنتهك الاتفاق", "LEGITIMACY", "-", "usa")]
    # crimes and protests of nobody named right after them are no cue
    assert cues("وندد الوزير بجرائم القتل في المدينة. وتواصل احتجاج المتظاهرين.") == []
