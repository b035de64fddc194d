"""Actors in their time and place, on invented sentences: rows valid in their period,
context over lookup, codebook R1 in full, proposals kept apart from the counts, and
related-story teasers as boilerplate."""

import warnings

import pandas as pd
import pytest

import akhbar
from akhbar.analysis.proposals import new_actors, proposals_left_out
from akhbar.layers.entities import load_gazetteer
from akhbar.views.written import findings
from akhbar.zones import paragraph_spans


def entities(text, published="2019-05-01"):
    """``(surface, canonical_id)`` of the entity mentions of one invented article."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows = akhbar.annotate_text("t", text, published, "", ("entity",))
    return [(r["surface"], r["canonical_id"]) for r in rows]


def ids(text, published="2019-05-01"):
    return [cid for _surface, cid in entities(text, published)]


class TestPeriods:
    """Item 2: a form that named different actors in turn holds for its own period only."""

    @pytest.mark.parametrize("published, actor", [
        ("2015-06-01", "national_salvation_government"),  # the GNC's government in Tripoli
        ("2016-03-29", "national_salvation_government"),
        ("2016-03-30", "gna"),  # the Presidency Council reaches Tripoli
        ("2021-03-15", "gnu")])
    def test_the_tripoli_government_is_the_one_of_its_year(self, published, actor):
        assert ids("رفضت حكومة طرابلس القرار", published) == [actor]

    def test_the_recognised_government_before_2016_is_al_thinnis(self):
        # «الحكومة المعترف بها دوليا» in 2015 is the eastern interim government, not the GNA
        assert ids("قال المشير خليفة حفتر إن الحكومة المعترف بها دوليا تدعم الجيش الليبي",
                   "2015-08-01")[1] == "interim_government_east"
        assert "gna" in ids("قال المشير خليفة حفتر إن الحكومة المعترف بها دوليا تدعم الجيش الليبي",
                            "2018-08-01")

    def test_an_undated_article_takes_no_dated_row(self):
        # no date: nothing says which of the three governments «حكومة طرابلس» is
        found = ids("رفضت حكومة طرابلس القرار", None)
        assert not {"gna", "gnu", "national_salvation_government"} & set(found)

    def test_no_package_row_ends_without_a_start(self):
        # a row with only «until» would hold for every year before it
        g = load_gazetteer()
        open_start = g[(g["until"] != "") & (g["from"] == "")]
        assert open_start[["file", "form"]].values.tolist() == []


class TestContext:
    """Item 3: a name inside a larger name the data knows is the larger one."""

    @pytest.mark.parametrize("text, actor", [
        ("قال باحث في المجلس الأوروبي للعلاقات الخارجية إن الأزمة طويلة", "ecfr"),
        ("أعلنت شركة الخليج العربي للنفط زيادة إنتاجها", "agoco"),
        ("هاجم مسلحون حقل البيضاء جنوب مدينة سرت الليبية", "bayda_oil_field"),
        ("رفضت حكومة طبرق اتفاق الصخيرات", "interim_government_east"),
        ("وقال مسؤول كبير لـ«الشرق الأوسط» إن المحادثات تعثرت", "asharq_al_awsat"),
        ('ونشرت صحيفة "الشرق الأوسط" تقريرا عن الأزمة', "asharq_al_awsat"),
    ])
    def test_the_larger_name_wins(self, text, actor):
        # not the European Council, the Gulf, the city of Bayda, Tobruk or the region
        assert ids(text, "2015-06-01")[0] == actor

    def test_the_region_outside_quotation_marks_stays_the_region(self):
        assert ids("تتصاعد التوترات في الشرق الأوسط منذ أشهر") == ["middle_east"]

    def test_who_succeeds_haftar_is_not_haftar_named_khalifa(self):
        # an article about succession asks «من هو خليفة حفتر؟»: the successor, not the marshal
        text = "تتزايد التكهنات حول خلافة قائد الجيش. ومن هو خليفة حفتر؟ لا أحد يعرف."
        assert entities(text) == [("حفتر", "khalifa_haftar")]

    def test_a_profile_question_is_the_person(self):
        # no succession in the article: «من هو خليفة حفتر؟» asks who Khalifa Haftar is
        text = "من هو خليفة حفتر؟ ولد المشير خليفة حفتر في مدينة أجدابيا."
        assert entities(text)[0] == ("خليفة حفتر", "khalifa_haftar")


class TestCapitals:
    """Item 4 (codebook R1): a capital is its state only in a political role."""

    @pytest.mark.parametrize("text, capital", [
        ("انتهى اجتماع باريس دون اتفاق", "paris"),  # a venue
        ("وعقد مؤتمر صحافي بالعاصمة الإيطالية روما أمس", "rome"),  # a venue
        ("يقع الحقل على بعد 750 كلم جنوب طرابلس", "tripoli"),  # a distance reference
        ("أعلن الجيش بدء معركة تحرير طرابلس", "tripoli"),  # a place of action
        ("ووصل الوفد في روما مساء أمس", "rome"),
        ("وطالب المتظاهرون بتحرير طرابلس من المسلحين", "tripoli"),  # the cue with a proclitic
    ])
    def test_a_place_stays_the_city(self, text, capital):
        assert capital in ids(text) and "libya" not in ids(text) and "italy" not in ids(text)[-1:]

    @pytest.mark.parametrize("text, state", [
        ("حذرت باريس من التصعيد في ليبيا", "france"),
        ("تسعى أنقرة إلى توسيع نفوذها", "turkey"),
    ])
    def test_an_agent_is_the_state(self, text, state):
        assert ids(text)[0] == state


class TestProposals:
    """Item 5: proposals are shown for review, counted nowhere until confirmed."""

    TEXT = ("أعلن الجيش القبض على هشام عشماوي في مدينة درنة. ويعد هشام عشماوي من أخطر المطلوبين "
            "لدى مصر، وكان عشماوي ضابطا سابقا.")

    @pytest.fixture(scope="class")
    def spans(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return akhbar.annotate(pd.DataFrame({"article_id": ["a"], "text": [self.TEXT],
                                                 "published": ["2018-10-10"], "source": [""]}))

    def test_a_first_name_with_an_unknown_word_twice_is_a_person(self, spans):
        # no title before «هشام عشماوي», but the pair comes twice: a likely person, with the surname
        found = spans[(spans["layer"] == "entity") & (spans["source"] == "pattern")]
        assert found["surface"].tolist() == ["هشام عشماوي", "هشام عشماوي", "عشماوي"]
        assert set(found["canonical_id"]) == {"new:هشام_عشماوي"}

    def test_proposals_are_not_counted_but_said(self, spans):
        assert "new:هشام_عشماوي" not in akhbar.actor_counts(spans).index
        assert akhbar.actor_counts(spans).attrs["proposals_left_out"] == 3
        assert "new:هشام_عشماوي" not in akhbar.actor_counts(spans, mentions="all").index
        assert proposals_left_out(spans).to_dict() == {"a": 3}
        review = new_actors(spans)
        assert review[["name", "mentions"]].values.tolist() == [["هشام عشماوي", 3]]

    def test_the_reading_says_how_many_it_left_out(self, spans):
        arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a"], "text": [self.TEXT]}))
        text = findings(arts, spans, sections=["who"])
        assert "3 mentions of names not yet reviewed left out" in text

    def test_a_confirmed_name_counts(self, tmp_path):
        mine = tmp_path / "actors.csv"
        mine.write_text("canonical_id,type,form,kind,resolves_to,name_en\n"
                        "hisham_ashmawy,person,هشام عشماوي,name,,Hisham Ashmawy\n", encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spans = akhbar.annotate(pd.DataFrame({"article_id": ["a"], "text": [self.TEXT],
                                                  "published": ["2018-10-10"], "source": [""]}),
                                    gazetteer=mine)
        assert akhbar.actor_counts(spans).loc["hisham_ashmawy", "a"] == 2

    @pytest.mark.parametrize("text", [
        "قال وزير خارجية أسبق وديبلوماسي محنك إن الأزمة طويلة",  # descriptions, not a name
        "سيطر المسلحون على حقل نفطي في الصحراء",
        "تعمل الوكالة في منطقة مضطربة منذ سنوات",
        "تواجه الحكومة الفيدرالية مهمة صعبة",
        "وأكد المبعوث الأممي أن الأطراف المتحاربة توافق على الهدنة",
    ])
    def test_descriptions_are_not_proposed(self, text):
        assert not [cid for cid in ids(text) if cid.startswith("new:")]


class TestTeasers:
    """Item 6: a block of other stories' leads or headlines after the article is boilerplate."""

    BODY = ["وزير الخارجية يزور المنطقة",
            "وصل وزير الخارجية، الأحد، إلى العاصمة في زيارة تستمر يومين.",
            "وقال الوزير إن المحادثات ستتناول التعاون الاقتصادي بين البلدين."]

    def zones(self, lines):
        return [z for _p, z, _s, _e in paragraph_spans("\n".join(lines))]

    def test_other_stories_leads_after_the_article(self):
        teasers = ["أعلنت وزارة الداخلية، الجمعة، القبض على خلية إرهابية.",
                   "رحبت الجامعة العربية، السبت، بنتائج الانتخابات."]
        assert self.zones(self.BODY + teasers)[-3:] == ["body", "boilerplate", "boilerplate"]

    def test_a_line_of_headlines(self):
        teasers = ["لمحة عن المدينة التي تتعرض لغارات جوية متكررة", "الرئيس يتعهد بإعادة الإعمار خلال عام"]
        assert self.zones(self.BODY + teasers)[-2:] == ["boilerplate", "boilerplate"]

    def test_the_story_going_on_is_body(self):
        more = ["وأضاف الوزير، الأحد، أن الاتفاق سيوقع قريبا.", "وتابع أن الطرفين متفقان على الخطوط العريضة."]
        assert self.zones(self.BODY + more)[-2:] == ["body", "body"]

    def test_one_lead_alone_is_body(self):
        # one line is not a block: the article may end on a new fact
        assert self.zones(self.BODY + ["أعلنت الحكومة، الجمعة، موعد الانتخابات."])[-1] == "body"

    def test_a_headline_ending_the_article(self):
        # a short headline after the last sentence heads nothing: a related link
        assert self.zones(self.BODY + ["شاهد.. الرئيس يستقبل الوفد في القصر"])[-1] == "boilerplate"
