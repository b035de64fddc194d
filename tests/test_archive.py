"""Archive loading: JSONL, Parquet and .txt batches, messy real-world text, duplicates."""

import gzip
import json

import pandas as pd
import pytest

import akhbar
from akhbar.articles.loading import read_article
from akhbar.corpus.archive import (CORPUS_COLUMNS, clean_text_ar, corpus_size, find_duplicates, html_to_text, is_html,
                                    load_corpus)

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
        stored = {r["id"]: r["text"] for r in records() if "<br>" not in r["text"]}
        assert len(stored) == 10  # all but syn-2019-04-alpha, whose HTML is read (TestHtml)
        assert {a: t for a, t in zip(corpus["article_id"], corpus["text"]) if a in stored} == stored

    def test_seed_texts_equal_the_seed_files(self, corpus, seeds_dir):
        for path in sorted(seeds_dir.glob("*.txt")):
            row = corpus[corpus["article_id"] == path.stem].iloc[0]
            assert row["text"] == read_article(path)["text"]

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
        stored = {r["id"]: r["text"] for r in records()}["syn-2019-04-alpha"]
        assert "&quot;" in stored and "<br>" in stored  # the record as stored is HTML...
        assert "&quot;" not in row["text"] and "<br>" not in row["text"]  # ...the loaded text is not
        assert row["text"].count("\n") == stored.count("\n")  # "<br>\n" is one line end, not two
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


PAGE = ('<html><head><title>عنوان الصفحة</title><style>p {font-family: "تركيا"}</style></head><body>'
        '<h1>حفتر يزور أنقرة</h1>\n  <p>قال المشير خليفة حفتر إن &quot;تركيا&quot; شريك &amp;amp; صديق.</p>'
        '<script>var s = "قطر ومصر"; if (a < b) {}</script><noscript>فعّل جافاسكربت في الجزائر</noscript>'
        '<!-- ليبيا --><div>وأضاف أن مصر<br>تدعم   الحل&#x061F;</div></body></html>')


class TestHtml:
    def test_a_page_is_read_by_a_parser(self):
        text, counts = html_to_text(PAGE)
        assert text == ('حفتر يزور أنقرة\nقال المشير خليفة حفتر إن "تركيا" شريك &amp; صديق.\n'
                        'وأضاف أن مصر\nتدعم الحل؟')
        assert counts == {"html_entities": 4, "tags": 21}

    def test_entities_are_decoded_once_and_unknown_names_kept(self):
        assert html_to_text("<p>&amp;amp; &amp;quot; &zzz; &nbsp;قال</p>")[0] == "&amp; &quot; &zzz; \xa0قال"
        assert clean_text_ar("<p>&amp;amp;</p>")[0] == "&amp;"

    def test_an_open_head_tables_and_comments(self):
        page = ("<head><title>عنوان الموقع</title><meta charset='utf-8'><div>قال حفتر</div>"
                "<table><tr><td>تركيا</td><td>قطر</td></tr></table><!-- <p>مصر</p> -->"
                "<style>.a::before {content: '</p>ليبيا'}</style><![CDATA[x]]>نعم")
        assert html_to_text(page)[0] == "قال حفتر\nتركيا قطر\nنعم"

    def test_only_markup_makes_html(self):
        assert is_html("<br>") and is_html("&quot;") and is_html("<!-- x -->")
        assert not is_html("قال: 3 < 4 و 5 > 2 & أكثر")

    def test_html_record_offsets_refer_to_the_stored_text(self, tmp_path):
        path = tmp_path / "page.jsonl"
        path.write_text(json.dumps({"id": "p1", "title": "حفتر يزور &quot;أنقرة&quot;", "text": PAGE,
                                    "source": "s", "published": "2020-07-21"}, ensure_ascii=False) + "\n"
                        + json.dumps({"id": "p2", "title": "t", "text": "<script>حفتر</script>"}) + "\n",
                        encoding="utf-8")
        skipped = []
        with pytest.warns(akhbar.ArticleSkipped, match="page.jsonl:2: no text outside the HTML markup"):
            row = next(load_corpus(path, skipped=skipped)).iloc[0]
        assert row["text"] == html_to_text(PAGE)[0] and row["title"] == 'حفتر يزور "أنقرة"'
        assert row["changes"] == "html_entities:4;tags:21;title_html:1"
        spans = akhbar.annotate(pd.DataFrame([row]))
        ent = spans[spans["layer"] == "entity"]
        assert {"khalifa_haftar", "turkey", "egypt", "ankara"} <= set(ent["canonical_id"])
        assert not {"qatar", "algeria", "libya"} & set(ent["canonical_id"])  # script, noscript, comment
        assert all(row["text"][s:e] == surface for s, e, surface in zip(spans["start"], spans["end"], spans["surface"]))
        assert list(ent[ent["canonical_id"] == "turkey"]["start"]) == [row["text"].index("تركيا")]


class TestInputs:
    def test_one_txt_file_with_the_metadata_beside_it(self, seeds_dir):
        path = seeds_dir / "004_89c82ba38a398626.txt"
        batches = list(load_corpus(path))
        assert len(batches) == 1 and len(batches[0]) == 1
        row = batches[0].iloc[0]
        assert (row["article_id"], row["source"], row["text"]) == (path.stem, "التغيير", read_article(path)["text"])
        assert batches[0].attrs["progress"] == 1 and corpus_size(path) == (1, "file")

    def test_a_lone_txt_file_without_articles_csv_loads_quietly(self, tmp_path, recwarn):
        (tmp_path / "a.txt").write_text("عنوان\nقال حفتر", encoding="utf-8")
        row = next(load_corpus(tmp_path / "a.txt")).iloc[0]
        assert (row["article_id"], row["title"], row["source"]) == ("a", "عنوان", "")
        assert not [w for w in recwarn if issubclass(w.category, akhbar.MetadataWarning)]

    def test_progress_is_bytes_read_files_or_records(self, tmp_path, seeds_dir):
        size = ARCHIVE.stat().st_size
        assert corpus_size(ARCHIVE) == (size, "B")
        marks = [b.attrs["progress"] for b in load_corpus(ARCHIVE, batch_size=4)]
        assert marks[-1] == size and marks == sorted(marks) and 0 < marks[0] < size
        gz = tmp_path / "a.jsonl.gz"
        gz.write_bytes(gzip.compress(ARCHIVE.read_bytes()))
        assert corpus_size(gz) == (gz.stat().st_size, "B")
        assert [b.attrs["progress"] for b in load_corpus(gz)] == [gz.stat().st_size]
        assert corpus_size(seeds_dir) == (2, "file")
        assert [b.attrs["progress"] for b in load_corpus(seeds_dir, batch_size=1)] == [1, 2]

    def test_a_truncated_gzip_keeps_what_was_read(self, tmp_path):
        recs = [{**r, "id": f"{r['id']}-{k}"} for k in range(40) for r in records()]
        data = gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode())
        (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])  # a download that stopped halfway
        skipped = []
        with pytest.warns(akhbar.ArticleSkipped):
            df = pd.concat(load_corpus(tmp_path / "cut.jsonl.gz", skipped=skipped))
        assert 11 < len(df) < len(recs) and list(df["article_id"]) == [r["id"] for r in recs[:len(df)]]
        assert len(skipped) == 1 and skipped[0][0] == f"{tmp_path / 'cut.jsonl.gz'}:{len(df) + 1}"
        assert "damaged compressed data" in skipped[-1][1] and "the rest of the file not read" in skipped[-1][1]

    def test_an_unknown_format_names_what_is_read(self, tmp_path):
        (tmp_path / "a.docx").write_text("x")
        with pytest.raises(akhbar.ArticleError, match=r"a.docx: unknown corpus format '.docx' \(akhbar reads "
                                                      r"a .txt file, a folder of .txt"):
            corpus_size(tmp_path / "a.docx")


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
