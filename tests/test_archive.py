"""Archive loading: JSONL, Parquet and .txt batches, messy real-world text, duplicates."""

import json

import pandas as pd
import pytest

import akhbar
from akhbar.archive import CORPUS_COLUMNS, clean_text_ar, find_duplicates, load_corpus
from akhbar.corpus import read_article

from conftest import ROOT

ARCHIVE = ROOT / "tests" / "data" / "archive" / "articles.jsonl"


@pytest.fixture(scope="module")
def corpus():
    return pd.concat(load_corpus(ARCHIVE), ignore_index=True)


@pytest.fixture(scope="module")
def spans(corpus):
    return akhbar.annotate(corpus)


def spans_of(spans, aid, layer):
    return spans[(spans["article_id"] == aid) & (spans["layer"] == layer)]


def records():
    return [json.loads(line) for line in ARCHIVE.read_text(encoding="utf-8").splitlines()]


class TestLoadCorpus:
    def test_batches_stream_with_every_column(self):
        batches = list(load_corpus(ARCHIVE, batch_size=4))
        assert [len(b) for b in batches] == [4, 4, 3]
        assert all(list(b.columns) == CORPUS_COLUMNS for b in batches)

    def test_text_is_kept_as_stored(self, corpus):
        stored = {r["id"]: r["text"] for r in records()}
        assert dict(zip(corpus["article_id"], corpus["text"])) == stored

    def test_seed_texts_equal_the_seed_files(self, corpus, seeds_dir):
        for path in sorted(seeds_dir.glob("*.txt")):
            row = corpus[corpus["article_id"] == path.stem].iloc[0]
            assert row["text"] == read_article(path)["text"]

    def test_synthetic_articles_are_marked(self):
        syn = [r for r in records() if r["synthetic"]]
        assert len(syn) >= 8 and all(r["source"].startswith("synthetic-") for r in syn)
        assert len({r["source"] for r in syn}) >= 3
        assert len({r["published"][:4] for r in syn}) >= 5

    def test_bad_jsonl_lines_are_reported_and_skipped(self, tmp_path):
        path = tmp_path / "bad.jsonl"
        good = {"id": "a1", "title": "عنوان", "text": "عنوان\nقال حفتر.", "source": "s", "published": "2020-01-02"}
        with open(path, "wb") as fh:
            fh.write(json.dumps(good, ensure_ascii=False).encode() + b"\n")
            fh.write(b'{"id": "a2", "text": "broken\n')
            fh.write(json.dumps({"id": "a3", "title": "x"}).encode() + b"\n")
            fh.write(b"\x00\x01\x02binary\n")
            fh.write(json.dumps({**good, "id": "a5"}, ensure_ascii=False).encode() + b"\n")
        skipped = []
        with pytest.warns(akhbar.ArticleSkipped) as caught:
            df = pd.concat(load_corpus(path, skipped=skipped))
        assert list(df["article_id"]) == ["a1", "a5"]
        where = [w for w, _ in skipped]
        assert where == [f"{path}:2", f"{path}:3", f"{path}:4"]
        assert "invalid JSON" in skipped[0][1] and "missing text" in skipped[1][1] and "binary" in skipped[2][1]
        assert all(str(path) in str(w.message) for w in caught)

    def test_parquet_file_in_row_group_batches(self, tmp_path, corpus):
        import pyarrow as pa
        import pyarrow.parquet as pq

        recs = [{k: r[k] for k in ("id", "title", "text", "source", "published", "url")} for r in records()]
        recs.append({**recs[0], "id": "no-text", "text": None})
        pq.write_table(pa.Table.from_pylist(recs), tmp_path / "a.parquet", row_group_size=3)
        skipped = []
        with pytest.warns(akhbar.ArticleSkipped, match="record 12: missing text"):
            batches = list(load_corpus(tmp_path / "a.parquet", batch_size=5, skipped=skipped))
        assert [len(b) for b in batches] == [5, 5, 1]
        df = pd.concat(batches, ignore_index=True)
        pd.testing.assert_frame_equal(df[["article_id", "text", "clean_text", "changes"]],
                                      corpus[["article_id", "text", "clean_text", "changes"]])
        with pytest.warns(akhbar.ArticleSkipped):
            folder = pd.concat(load_corpus(tmp_path))
        assert list(folder["article_id"]) == list(df["article_id"])

    def test_txt_folder_with_windows_1256_and_a_binary_file(self, tmp_path, seeds_dir):
        text = "قال اللواء المتقاعد خليفة حفتر\nأعلن حفتر في 20 يوليو 2020 بدء العمليّة.\n"
        (tmp_path / "cp.txt").write_bytes(text.encode("cp1256"))
        (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x00\x00binary")
        (tmp_path / "articles.csv").write_text("article_id,source,published\ncp,synthetic-test,2020-07-21\n"
                                               "bin,synthetic-test,2020-07-21\n", encoding="utf-8")
        with pytest.warns(akhbar.ArticleSkipped, match="bin.txt: binary"):
            df = pd.concat(load_corpus(tmp_path))
        row = df.iloc[0]
        assert (row["article_id"], row["encoding"], row["text"]) == ("cp", "cp1256", text)
        assert row["source"] == "synthetic-test"
        spans = akhbar.annotate(df)
        assert "khalifa_haftar" in set(spans_of(spans, "cp", "entity")["canonical_id"])
        assert list(spans_of(spans, "cp", "date")["value"]) == ["2020-07-20"]

    def test_unknown_format_names_the_file(self, tmp_path):
        (tmp_path / "a.csv").write_text("x")
        with pytest.raises(akhbar.ArticleError, match="a.csv: unknown corpus format"):
            next(load_corpus(tmp_path / "a.csv"))
        with pytest.raises(FileNotFoundError, match="nothing.jsonl"):
            next(load_corpus(tmp_path / "nothing.jsonl"))


class TestCleaning:
    def test_html_entities_and_tags(self, corpus):
        row = corpus.set_index("article_id").loc["syn-2019-04-alpha"]
        assert "&quot;" in row["text"] and "<br>" in row["text"]
        assert '"انقلاب على العملية السياسية"' in row["clean_text"]
        assert "“الحكومة الشرعية”" in row["clean_text"]
        assert "&" not in row["clean_text"] and "<br>" not in row["clean_text"]
        assert row["changes"] == "html_entities:4;tags:2;urls:1"

    def test_url_and_site_footer_dropped(self, corpus):
        row = corpus.set_index("article_id").loc["syn-2019-12-beta"]
        assert "https://" in row["text"] and "https://" not in row["clean_text"]
        assert "جميع الحقوق محفوظة" not in row["clean_text"]
        assert row["changes"] == "urls:1;footers:1"

    def test_bidi_controls_in_title(self, corpus):
        row = corpus.set_index("article_id").loc["syn-2020-06-alpha"]
        assert row["title"] == "تَرَاجُعُ قُوَّاتِ حَفْتَر عَنْ طَرَابُلُس"
        assert "\u200f" in row["text"] and "\u200f" not in row["clean_text"]
        assert row["changes"] == "bidi_controls:4;title_bidi:4"

    def test_clean_text_of_a_literal(self):
        clean, counts = clean_text_ar("قال&nbsp;حفتر&#8220;نعم&#8221;<br/>\u200fتم <b>ذلك</b>\nwww.example.com")
        assert clean == "قال\xa0حفتر“نعم”\nتم ذلك"
        assert counts == {"html_entities": 3, "tags": 3, "bidi_controls": 1, "urls": 1}

    def test_text_without_its_title_gets_it_as_first_line(self, tmp_path):
        path = tmp_path / "a.jsonl"
        path.write_text(json.dumps({"id": "x", "title": "عنوان الخبر", "text": "قال حفتر."},
                                   ensure_ascii=False), encoding="utf-8")
        row = next(load_corpus(path)).iloc[0]
        assert row["text"] == "عنوان الخبر\n\nقال حفتر." and row["changes"] == "title_prepended:1"

    def test_title_spelled_slightly_differently_is_not_prepended(self, tmp_path):
        path = tmp_path / "a.jsonl"
        path.write_text(json.dumps({"id": "x", "title": "عنوان الخبر", "text": "عنوانُ الخبرِ:\nقال حفتر."},
                                   ensure_ascii=False), encoding="utf-8")
        row = next(load_corpus(path)).iloc[0]
        assert row["text"] == "عنوانُ الخبرِ:\nقال حفتر." and row["changes"] == ""


class TestMessyTextAnnotates:
    def test_tashkeel(self, spans):
        ent = spans_of(spans, "syn-2020-06-alpha", "entity")
        assert {"khalifa_haftar", "gna", "turkey", "egypt", "uae"} <= set(ent["canonical_id"])
        title = spans_of(spans, "syn-2020-06-alpha", "framing").query("label == 'TITLE'")
        assert list(title["surface"]) == ["اللِّوَاءِ المُتَقَاعِدِ"]
        assert list(title["canonical_id"]) == ["khalifa_haftar"]

    def test_eastern_arabic_digits_in_dates(self, spans):
        assert list(spans_of(spans, "syn-2021-03-beta", "date")["value"]) == ["2021-03-10", "2021-12-24"]
        assert "2020-06-04" in set(spans_of(spans, "syn-2020-06-alpha", "date")["value"])

    def test_tatweel_and_persian_letters(self, spans):
        ent = spans_of(spans, "syn-2022-08-gamma", "entity")
        assert {"ترکیا", "خلیفة حفتر"} <= set(ent["surface"])
        assert {"turkey", "khalifa_haftar", "egypt"} <= set(ent["canonical_id"])
        title = spans_of(spans, "syn-2022-08-gamma", "framing").query("label == 'TITLE'")
        assert list(title["surface"]) == ["المشـــير"] and list(title["canonical_id"]) == ["khalifa_haftar"]

    def test_offsets_slice_the_loaded_text(self, corpus, spans):
        texts = dict(zip(corpus["article_id"], corpus["text"]))
        assert all(texts[a][s:e] == surf for a, s, e, surf in
                   zip(spans["article_id"], spans["start"], spans["end"], spans["surface"]))

    def test_related_story_teasers_and_footers_are_boilerplate(self, corpus, spans):
        paras = akhbar.paragraphs(corpus)
        tail = paras[paras["article_id"] == "syn-2019-12-beta"].set_index("para")["zone"]
        assert list(tail.loc[5:]) == ["boilerplate"] * 4
        teaser = paras[(paras["article_id"] == "syn-2019-04-alpha")
                       & (paras["text"] == "مجلس الأمن يبحث الوضع في ليبيا")]
        assert list(teaser["zone"]) == ["boilerplate"]
        ent = spans_of(spans, "syn-2019-12-beta", "entity")
        assert not ent[ent["zone"] == "boilerplate"]["counts"].any()


class TestDuplicates:
    def test_exact_and_near_pairs_across_outlets(self, corpus):
        dups = find_duplicates(corpus)
        assert list(zip(dups["article_a"], dups["article_b"], dups["kind"])) == [
            ("syn-2020-06-alpha", "syn-2020-06-gamma", "exact"),
            ("syn-2023-11-alpha", "syn-2023-11-beta", "near")]
        assert dups["similarity"].iloc[0] == 1.0 and 0.8 <= dups["similarity"].iloc[1] < 1.0
        assert list(dups["source_a"]) == ["synthetic-alpha", "synthetic-alpha"]

    def test_threshold(self, corpus):
        assert len(find_duplicates(corpus, threshold=0.99)) == 1
