"""Streaming annotation into partitioned Parquet and the DuckDB aggregates over it."""

import pandas as pd
import pytest

import akhbar
from akhbar.corpus import store
from akhbar.corpus.archive import load_corpus

from conftest import ROOT

ARCHIVE = ROOT / "tests" / "data" / "archive" / "articles.jsonl"


def read_spans(out_dir):
    df = pd.read_parquet(out_dir / "spans")
    for col in ("month", "outlet"):
        df[col] = df[col].astype(str)
    return df.sort_values(["article_id", "start", "end", "layer", "label"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("store")
    summary = store.annotate_corpus(ARCHIVE, out, batch_size=4, progress=False)
    return out, summary


@pytest.fixture(scope="module")
def trends(out_dir):
    return store.aggregate(out_dir[0])


class TestAnnotateCorpus:
    def test_summary_and_month_partitions(self, out_dir):
        out, summary = out_dir
        assert (summary["articles"], summary["batches"], summary["skipped"]) == (11, 3, [])
        months = sorted(p.name for p in (out / "spans").iterdir())
        assert months[0] == "month=2019-04" and "month=2025-04" in months and len(months) == 9
        assert (out / "articles" / "month=2020-06").is_dir() and (out / "themes").is_dir()

    def test_batches_give_the_spans_of_one_pass(self, out_dir):
        out, summary = out_dir
        once = akhbar.annotate(pd.concat(load_corpus(ARCHIVE), ignore_index=True))
        got = read_spans(out)
        assert len(got) == len(once) == summary["spans"]
        once = once.sort_values(["article_id", "start", "end", "layer", "label"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(got[once.columns.tolist()], once, check_dtype=False)

    def test_only_one_batch_is_annotated_at_a_time(self, tmp_path, monkeypatch):
        from akhbar.pipeline import batches as pipeline

        sizes = []
        real = pipeline.annotate_batch

        def spy(batch, *args, **kwargs):
            sizes.append(len(batch))
            return real(batch, *args, **kwargs)

        monkeypatch.setattr(pipeline, "annotate_batch", spy)
        store.annotate_corpus(ARCHIVE, tmp_path, batch_size=2, progress=False, themes=False)
        assert sizes == [2, 2, 2, 2, 2, 1]

    def test_partition_by_source(self, tmp_path):
        store.annotate_corpus(ARCHIVE, tmp_path, partition_by="source", batch_size=6, progress=False)
        spans = read_spans(tmp_path)
        assert set(spans["outlet"]) == {"synthetic-alpha", "synthetic-beta", "synthetic-gamma",
                                        "التغيير", "unknown"}
        # pattern and model (the name tagger): names the gazetteer lacks
        assert set(spans["source"]) == {"auto", "pattern", "model"}
        assert set(spans.loc[spans["source"].isin(["pattern", "model"]), "layer"]) == {"entity"}

    def test_rerun_replaces_earlier_output(self, tmp_path):
        store.annotate_corpus(ARCHIVE, tmp_path, batch_size=3, progress=False, themes=False)
        store.annotate_corpus(ARCHIVE, tmp_path, batch_size=5, progress=False, themes=False)
        assert pd.read_parquet(tmp_path / "articles")["article_id"].is_unique

    def test_bad_arguments(self, tmp_path):
        with pytest.raises(ValueError, match="partition_by"):
            store.annotate_corpus(ARCHIVE, tmp_path, partition_by="year")
        with pytest.raises(FileNotFoundError, match="no Parquet spans"):
            store.aggregate(tmp_path / "empty")


class TestAggregate:
    def test_mentions_per_actor_month_outlet(self, trends):
        m = trends["mentions"].set_index(["month", "outlet", "canonical_id"])["mentions"]
        assert m.loc[("2019-04", "synthetic-alpha", "khalifa_haftar")] == 1
        assert m.loc[("2019-04", "synthetic-alpha", "gna")] == 2
        assert m.loc[("2025-02", "synthetic-beta", "turkey")] == 4  # أنقرة twice (R1), تركيا twice: one is the adjective «وفدا عسكريا تركيا»
        assert m.loc[("2020-07", "التغيير", "qatar")] >= 5

    def test_person_titles_follow_the_most_titled_person(self, trends):
        t = trends["person_titles"]
        assert set(t["canonical_id"]) == {"khalifa_haftar"} and t["n"].sum() == 13  # chosen from the data
        assert set(t["label"]) == {"اللواء المتقاعد", "المشير"}
        by_year = t.groupby([t["month"].str[:4], "label"])["n"].sum()
        assert by_year.loc[("2019", "اللواء المتقاعد")] == 1 and by_year.loc[("2025", "المشير")] == 4
        assert set(t.loc[t["label"] == "اللواء المتقاعد", "polarity"]) == {"-"}

    def test_org_labels_follow_the_most_described_organisation(self, trends):
        g = trends["org_labels"]
        assert set(g["canonical_id"]) == {"gna"}  # the most described: «الحكومة الشرعية», «الحكومة الليبية»
        assert g.loc[g["mention"] == "NOM", "n"].sum() == 5
        g = g.set_index(["month", "outlet", "label"])
        assert g.loc[("2019-12", "synthetic-beta", "حكومة طرابلس"), "n"] == 2
        assert tuple(g.loc[("2019-04", "synthetic-alpha", "الحكومة الشرعية")]) == ("gna", "NOM", 1)
        assert g.loc[("2020-07", "التغيير", "حكومة الوفاق"), "n"] == 6

    def test_actors_can_be_named(self, out_dir):
        named = store.aggregate(out_dir[0], person="erdogan", organisation="gnu")
        g = named["org_labels"].groupby("label")["n"].sum()
        assert g.to_dict() == {"حكومة الوحدة الوطنية": 4, "حكومة طرابلس": 2}  # the 2023 «حكومة طرابلس» is the GNU
        assert named["person_titles"].empty and list(named["person_titles"].columns) == [
            "month", "outlet", "canonical_id", "label", "polarity", "n"]

    def test_spellings_and_proclitics_merge_into_one_label(self):
        labels = pd.Series(["الأمير", "للأمير", "بالأمير", "الامير", "ولي العهد", "وولي العهد", "لولي العهد"])
        merged = store.merge_spellings(labels, pd.Series([120, 4, 2, 1, 88, 8, 3]))
        assert merged.tolist() == ["الأمير"] * 4 + ["ولي العهد"] * 3
        kept = store.merge_spellings(pd.Series(["ولي العهد", "العهد"]), pd.Series([1, 9]))
        assert kept.tolist() == ["ولي العهد", "العهد"]  # «لي العهد» is no label: و is part of the word

    def test_framing_per_month_and_target(self, trends):
        f = trends["framing"].set_index(["month", "code", "polarity", "target"])["cues"]
        assert f.loc[("2020-06", "TITLE", "-", "khalifa_haftar")] == 2
        assert f.loc[("2020-06", "OCCUPATION_LIBERATION", "+", "gna")] == 2

    def test_theme_shares_sum_to_one(self, trends):
        th = trends["themes"]
        assert set(th["theme"]) <= {"MIL", "DIP", "ECO", "LEG", "WAR", "AXIS", "DOM", "PROC"}
        assert (th.groupby("month")["share"].sum().sub(1).abs() < 1e-3).all()

    def test_articles_per_month_and_outlet(self, trends):
        a = trends["articles"]
        assert a["articles"].sum() == 11 and len(a) == 11

    def test_deterministic(self, out_dir, trends):
        again = store.aggregate(out_dir[0])
        for name, df in trends.items():
            pd.testing.assert_frame_equal(df, again[name])
