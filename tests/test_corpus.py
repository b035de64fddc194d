"""Loading articles from real-world files, and paragraphs with zones on the seeds."""

import shutil
import warnings

import pandas as pd
import pytest

import akhbar
from akhbar.articles.loading import ArticleError, read_article

TEXT = "عنوان الخبر\nزار وزير الدفاع التركي ليبيا في 4 يوليو.\n"


@pytest.fixture
def messy(tmp_path, seeds_dir):
    for f in seeds_dir.glob("*.*"):
        shutil.copy(f, tmp_path)
    (tmp_path / "cp1256.txt").write_bytes(TEXT.encode("cp1256"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    (tmp_path / "crlf.txt").write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("Ça coûte très cher à Genève".encode("latin-1"))
    return tmp_path


class TestLoad:
    def test_seeds(self, articles):
        assert list(articles["article_id"]) == ["000_36100a86710d4ed9", "004_89c82ba38a398626"]
        a = articles.set_index("article_id")
        assert a.loc["004_89c82ba38a398626", "source"] == "التغيير"
        assert a.loc["004_89c82ba38a398626", "published"] == pd.Timestamp("2020-07-21")
        assert a.loc["000_36100a86710d4ed9", "published"] == pd.Timestamp("2025-04-04")
        assert a.loc["000_36100a86710d4ed9", "title"] == "تقارب جديد بين حفتر وتركيا.. ما دلالة ذلك؟"
        assert set(a["encoding"]) == {"utf-8"}

    def test_text_is_the_file(self, articles, seeds_dir):
        for aid, text in zip(articles["article_id"], articles["text"]):
            assert text == (seeds_dir / f"{aid}.txt").read_text(encoding="utf-8")

    def test_messy_folder(self, messy):
        with pytest.warns(UserWarning) as record:
            df = akhbar.load_articles(messy)
        messages = [str(w.message) for w in record]
        by_id = df.set_index("article_id")
        assert by_id.loc["cp1256", "encoding"] == "cp1256"
        assert by_id.loc["cp1256", "text"] == TEXT
        assert by_id.loc["bom", "encoding"] == "utf-8-sig" and by_id.loc["bom", "text"] == TEXT
        assert by_id.loc["crlf", "newline"] == "crlf" and by_id.loc["crlf", "text"] == TEXT
        assert by_id.loc["crlf", "title"] == "عنوان الخبر"
        # the two seeds, cp1256, bom, crlf load; empty, image and latin1 are skipped and named
        assert len(df) == 5
        assert set(df.attrs["skipped"]) == {str(messy / n) for n in ("empty.txt", "image.txt", "latin1.txt")}
        assert any("empty.txt: empty file" in m for m in messages)
        assert any("image.txt: binary file" in m for m in messages)
        assert any("latin1.txt: not UTF-8 or Windows-1256" in m for m in messages)
        assert any("cp1256.txt: no row in articles.csv" in m for m in messages)
        assert by_id.loc["cp1256", "source"] == ""

    def test_strict_raises_naming_the_file(self, messy):
        with pytest.raises(ArticleError, match="empty.txt"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                akhbar.load_articles(messy, strict=True)

    def test_binary_error_names_file(self, messy):
        with pytest.raises(ArticleError, match=r"image\.txt: binary file"):
            read_article(messy / "image.txt")

    def test_missing_folder(self, tmp_path):
        with pytest.raises(FileNotFoundError, match="nowhere"):
            akhbar.load_articles(tmp_path / "nowhere")


class TestParagraphs:
    def test_zones_of_the_seeds(self, articles):
        p = akhbar.paragraphs(articles)
        zones = p.groupby(["article_id", "zone"]).size().unstack(fill_value=0)
        assert zones.loc["000_36100a86710d4ed9"].to_dict() == {
            "body": 12, "boilerplate": 2, "byline": 0, "subhead": 5, "title": 1}
        assert zones.loc["004_89c82ba38a398626"].to_dict() == {
            "body": 28, "boilerplate": 1, "byline": 1, "subhead": 5, "title": 1}
        by = p.set_index(["article_id", "para"])
        assert by.loc[("004_89c82ba38a398626", 1), "text"] == "التغيير"
        assert by.loc[("004_89c82ba38a398626", 1), "zone"] == "byline"
        assert by.loc[("000_36100a86710d4ed9", 18), "text"] == "اقرأ أيضا"
        assert by.loc[("000_36100a86710d4ed9", 19), "zone"] == "boilerplate"
        assert by.loc[("000_36100a86710d4ed9", 3), "text"] == "استقبال رسمي لـ نجل حفتر في تركيا"
        assert by.loc[("000_36100a86710d4ed9", 3), "zone"] == "subhead"

    def test_offsets_slice_back(self, articles):
        p = akhbar.paragraphs(articles)
        texts = articles.set_index("article_id")["text"]
        for aid, s, e, t in p[["article_id", "start", "end", "text"]].itertuples(index=False):
            assert texts[aid][s:e] == t

    def test_stats(self, articles):
        p = akhbar.paragraphs(articles)
        stats = akhbar.article_stats(articles, p, akhbar.tokens(articles))
        assert stats.loc["000_36100a86710d4ed9", "words"] == 455
        assert stats.loc["004_89c82ba38a398626", "words"] == 1043
        assert stats["paragraphs"].to_dict() == {"000_36100a86710d4ed9": 20, "004_89c82ba38a398626": 36}
