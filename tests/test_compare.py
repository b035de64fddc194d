"""Comparison tables on the seed pair (2025: 000_..., 2020: 004_...) and on three articles."""

import math
import shutil

import networkx as nx
import pandas as pd
import pytest

import akhbar
from akhbar.analysis.chronology import iso_start
from akhbar.analysis.keywords import log_likelihood, log_ratio
from akhbar.analysis.naming import strip_proclitics_ar

A2025, A2020 = "000_36100a86710d4ed9", "004_89c82ba38a398626"
THIRD = """تحالف جديد في ليبيا
وصل وفد من قطر إلى طرابلس في 3 مارس 2021 لبحث التعاون العسكري مع حكومة الوفاق.
وقال الوزير إن تركيا وقطر تدعمان الحوار في ليبيا.
"""


@pytest.fixture(scope="module")
def seed(articles):
    paras = akhbar.paragraphs(articles)
    return {"articles": articles, "paras": paras, "spans": akhbar.annotate(articles),
            "tokens": akhbar.tokens(articles)}


@pytest.fixture(scope="module")
def three(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("three")
    for f in seeds_dir.glob("*.*"):  # the texts and articles.csv (not readings/)
        shutil.copy(f, folder / f.name)
    (folder / "zzz_third.txt").write_text(THIRD, encoding="utf-8")
    with (folder / "articles.csv").open("a", encoding="utf-8") as fh:
        fh.write("zzz_third,zzz_third.txt,تحالف جديد في ليبيا,مصدر,2021-03-05,ar,,test\n")
    arts = akhbar.load_articles(folder)
    return {"articles": arts, "paras": akhbar.paragraphs(arts), "spans": akhbar.annotate(arts),
            "tokens": akhbar.tokens(arts)}


class TestParagraphThemes:
    def test_zones_and_titles(self, seed):
        th = akhbar.paragraph_themes(seed["articles"], seed["paras"])
        assert (th.loc[th["zone"].isin(["boilerplate", "byline"]), "themes"] == "NONE").all()
        title = th[(th["article_id"] == A2025) & (th["para"] == 0)].iloc[0]
        assert title["themes"] == "AXIS"  # «تقارب»
        n = th["themes"].str.split("|").str.len()
        assert n.between(1, 3).all()

    def test_order_by_score_then_position(self):
        arts = pd.DataFrame({"article_id": ["x"], "source": [""],
                             "text": ["عنوان\nتحالف واسع بعد زيارة رسمية طويلة جدا جدا جدا جدا جدا جدا."]})
        row = akhbar.paragraph_themes(arts).iloc[1]
        # تحالف (AXIS 3) and زيارة (DIP 3) tie on score: the earlier cue wins
        assert row["themes"].split("|")[:2] == ["AXIS", "DIP"]
        assert akhbar.paragraph_themes(arts).equals(akhbar.paragraph_themes(arts))

    def test_no_cue_is_none(self):
        arts = pd.DataFrame({"article_id": ["x"], "source": [""], "text": ["كلام\nشيء آخر"]})
        assert akhbar.paragraph_themes(arts)["themes"].tolist() == ["NONE", "NONE"]

    def test_matrix_rows_sum_to_one(self, seed):
        th = akhbar.paragraph_themes(seed["articles"], seed["paras"])
        for by in ("split", "primary"):
            m = akhbar.theme_matrix(th, by=by)
            assert list(m.index) == [A2025, A2020]
            assert m.sum(axis=1).round(9).tolist() == [1.0, 1.0]
        m = akhbar.theme_matrix(th)
        assert m.loc[A2020, "LEG"] > m.loc[A2025, "LEG"]
        assert m.loc[A2025, "DOM"] > m.loc[A2020, "DOM"]


class TestKeyness:
    def test_g2_by_hand(self, seed):
        kw = akhbar.keyness(seed["tokens"], A2020, A2025)
        row = kw.set_index("base").loc["قطر"]
        words = seed["tokens"][(seed["tokens"]["kind"] == "word") & ~seed["tokens"]["stop"]]
        c, d = (words["article_id"] == A2020).sum(), (words["article_id"] == A2025).sum()
        assert (row["a"], row["b"], row["target_total"], row["reference_total"]) == (11, 0, c, d)
        # 2x2 table: [[11, c-11], [0, d]]; expected = row total * column total / N
        n = c + d
        e11, e12 = c * 11 / n, c * (n - 11) / n
        e21, e22 = d * 11 / n, d * (n - 11) / n
        g2 = 2 * (11 * math.log(11 / e11) + (c - 11) * math.log((c - 11) / e12) + d * math.log(d / e22))
        assert e21 > 0 and row["g2"] == pytest.approx(g2, abs=1e-5)
        if (c, d) == (794, 337):
            assert row["g2"] == pytest.approx(7.8288, abs=1e-3)
        assert row["log_ratio"] == pytest.approx(math.log2((11.5 / c) / (0.5 / d)))
        assert row["side"] == "target"

    def test_top_terms(self, seed):
        kw = akhbar.keyness(seed["tokens"], A2020)
        top_2020 = kw[kw["side"] == "target"]["word"].head(4).tolist()
        top_2025 = kw[kw["side"] == "reference"]["word"].head(3).tolist()
        assert top_2020 == ["قطر", "الدوحة", "القطري", "الوفاق"]
        assert set(top_2025) == {"البلاد", "صدام", "حفتر"}
        assert kw["g2"].is_monotonic_decreasing

    def test_functions(self):
        assert log_likelihood(10, 10, 100, 100) == pytest.approx(0.0)
        assert log_ratio(0, 0, 100, 100) == 0.0
        assert log_likelihood(20, 5, 100, 100) > 0

    def test_groups_of_articles(self, three):
        # two target articles of three words each against one of three words, counted by hand
        arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["t1", "t2", "r"], "text": [
            "حفتر يهاجم طرابلس", "السراج يزور أنقرة", "أردوغان يستقبل السراج"]}))
        kw = akhbar.keyness(akhbar.tokens(arts), ["t1", "t2"], ["r"]).set_index("word")
        assert (kw["target_total"] == 6).all() and (kw["reference_total"] == 3).all()
        assert kw.loc["السراج", ["a", "b"]].tolist() == [1, 1] and kw.loc["حفتر", ["a", "b"]].tolist() == [1, 0]
        with pytest.raises(ValueError):
            akhbar.keyness(three["tokens"], [A2020], [A2020])


class TestActors:
    def test_presence(self, seed):
        pres = akhbar.actor_presence(seed["spans"])
        assert pres.loc["qatar", A2025] == 0 and pres.loc["qatar", A2020] == 13
        assert pres.loc["qatar", "absent_from"] == A2025
        assert pres.loc["saddam_haftar", "absent_from"] == A2020
        assert pres.loc["turkey", "articles"] == 2

    def test_haftar_labels(self, seed):
        lab = akhbar.actor_labels(seed["spans"])
        kh = lab[(lab["canonical_id"] == "khalifa_haftar") & (lab["kind"] == "title")]
        by = {a: list(zip(g["form"], g["polarity"], g["n"])) for a, g in kh.groupby("article_id")}
        assert by == {A2020: [("اللواء المتقاعد", "-", 1)], A2025: [("المشير", "+", 2)]}

    def test_lna_names(self, seed):
        lab = akhbar.actor_labels(seed["spans"])
        lna = lab[(lab["canonical_id"] == "lna") & (lab["kind"] == "name")]
        assert set(lna[lna["article_id"] == A2020]["form"]) == {"قوات شرق ليبيا"}
        assert {"القيادة العامة", "الجيش الليبي"} <= set(lna[lna["article_id"] == A2025]["form"])

    def test_strip_proclitics(self):
        assert strip_proclitics_ar("للقيادة العامة", "lna") == "القيادة العامة"
        assert strip_proclitics_ar("وتركيا", "turkey") == "تركيا"
        assert strip_proclitics_ar("وأنقره", "turkey", "ankara") == "أنقره"


class TestFramingAndQuotes:
    def test_legitimacy(self, seed):
        t = akhbar.legitimacy_by_target(seed["spans"]).set_index(["article_id", "target"])
        # targets are read from the text: «لمقاتليه» after «لداعمي حفتر» and «مستثنياً حفتر» name
        # Haftar (codebook R4); «قوات ... خليفة حفتر» frames the force he commands, the LNA, as
        # «قوات شرق ليبيا» does (acts and forces belong to the force: framing_forces.csv); «قبضة»
        # and «الفصائل غير القانونية» name no actor near them and keep an empty target
        assert t.loc[(A2020, "lna"), "-"] == 2 and t.loc[(A2020, "lna"), "+"] == 0
        assert t.loc[(A2020, "khalifa_haftar"), "-"] == 2
        assert t.loc[(A2020, "(none)"), "-"] == 3
        assert t.loc[(A2025, "lna"), "+"] == 4
        assert t.loc[(A2020, "gna"), "total"] > t.loc[(A2025, "gna"), "total"]
        allc = akhbar.legitimacy_by_target(seed["spans"], codes=None)
        assert allc["total"].sum() == (seed["spans"]["layer"] == "framing").sum()

    def test_quoted(self, seed):
        q = akhbar.quoted(seed["spans"]).set_index(["article_id", "speaker"])
        assert q.loc[(A2025, "saddam_haftar"), "total"] == 2
        assert q.loc[(A2020, "hulusi_akar"), "via"] == "anadolu"
        assert (q[["direct", "indirect", "mixed"]].sum(axis=1) == q["total"]).all()
        assert not any(s in ("turkey", "erdogan", "hulusi_akar", "yasar_guler") for a, s in q.index if a == A2025)


class TestCooccurrence:
    def test_edge_weights(self, seed):
        g = akhbar.cooccurrence(seed["spans"], seed["paras"])
        assert isinstance(g, nx.Graph)
        e = g["khalifa_haftar"]["turkey"]
        assert e["weight"] == 7 and e["articles"] == {A2025: 6, A2020: 1}
        assert g.nodes["qatar"]["mentions"] == {A2020: 13}
        assert "gaza_strip" not in g  # boilerplate only

    def test_one_article(self, seed):
        g = akhbar.cooccurrence(seed["spans"], seed["paras"], A2025)
        assert g["khalifa_haftar"]["turkey"]["weight"] == 6 and "qatar" not in g


class TestTimeline:
    def test_dates(self, seed):
        tl = akhbar.timeline(seed["spans"], seed["articles"])
        values = set(tl["value"])
        assert {"2020-07-20", "2024-10", "2020-W30", "2020-06-18", "2024", "2020"} <= values
        assert not any(v.startswith(("P", "PAST")) for v in values)
        assert tl["date"].is_monotonic_increasing
        row = tl[tl["value"] == "2024-10"]
        assert len(row) == 1 and "ساها إكسبو 2024" in row["sentence"].iloc[0]  # «حينها» folded in

    def test_iso_start(self):
        assert iso_start("2020-W30") == (pd.Timestamp("2020-07-20"), "week")
        assert iso_start("2024-10") == (pd.Timestamp("2024-10-01"), "month")
        assert iso_start("PAST_REF") == (None, "")


class TestThreeArticles:
    def test_everything_runs(self, three):
        arts, spans, paras = three["articles"], three["spans"], three["paras"]
        th = akhbar.paragraph_themes(arts, paras)
        m = akhbar.theme_matrix(th)
        assert len(m) == 3 and m.sum(axis=1).round(9).eq(1).all()
        assert "MIL" in th[th["article_id"] == "zzz_third"]["themes"].iloc[1]
        pres = akhbar.actor_presence(spans)
        assert set(pres.columns[:3]) == {A2025, A2020, "zzz_third"}
        assert pres.loc["saddam_haftar", "absent_from"] == f"{A2020}|zzz_third"
        g = akhbar.cooccurrence(spans, paras)
        assert g.nodes["qatar"]["mentions"].get("zzz_third") == 2  # «من قطر», «وقطر»
        tl = akhbar.timeline(spans, arts)
        assert "2021-03-03" in set(tl["value"])
        assert set(akhbar.quoted(spans)["article_id"]) >= {A2025, A2020}
        assert akhbar.article_labels(arts)["zzz_third"] == "2021-03-05 مصدر"
        assert len(akhbar.legitimacy_by_target(spans, codes=None)) > 0


def test_legitimacy_counts_direct_targets_and_says_how_many_it_left_out():
    # «الاحتلال الإسرائيلي» names its target (high); «الفوضى» far from Egypt takes the sentence's one
    # actor (low): counted apart, under "(low confidence)", and said in attrs["left_out"]
    arts = akhbar.inputs.as_articles(["ودعا إلى إنهاء الاحتلال الإسرائيلي.",
                                      "وشهدت مصر خلال السنوات الماضية بعد الثورة الكبيرة وما تلاها من أحداث فترة من الفوضى."])
    spans = akhbar.annotate(arts)
    t = akhbar.legitimacy_by_target(spans, codes=None).set_index(["article_id", "target"])
    assert t.attrs["left_out"] == 1
    assert t.loc[("text2", "(low confidence)"), "total"] == 1 and ("text2", "egypt") not in t.index
    assert t.loc[("text1", "israel"), "-"] == 1
    every = akhbar.legitimacy_by_target(spans, codes=None, confident_only=False).set_index(["article_id", "target"])
    assert every.loc[("text2", "egypt"), "total"] == 1 and every["total"].sum() == t["total"].sum()


def test_legitimacy_evidence_gives_the_cue_and_its_sentence():
    from akhbar.analysis.comparison import legitimacy_evidence
    arts = akhbar.inputs.as_articles(["ووصل الوفد. وقال المتحدث إن قوات حفتر تتقدم نحو المدينة. وانتهى اللقاء."])
    ev = legitimacy_evidence(akhbar.annotate(arts), arts)
    assert ev[["cue", "target", "sentence", "target_confidence"]].values.tolist() == [
        ["قوات حفتر", "lna", "وقال المتحدث إن قوات حفتر تتقدم نحو المدينة.", "high"]]
