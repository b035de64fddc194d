"""Nothing lost: an article about web tags keeps its text, a killed swap of the corpus tables
is finished or undone, an output never replaces its own input, a failed workbook run keeps
the previous exports."""

import json
import os

import pandas as pd
import pytest
from growth import best_seconds_ratio

from akhbar.cli import main as cli
from akhbar.corpus import store
from akhbar.corpus.archive import html_to_text, load_corpus


@pytest.mark.parametrize("tag", ["<script>", "<style>", "<head>", "<noscript>"])
def test_a_text_that_mentions_a_web_tag_keeps_what_follows(tmp_path, tag):
    """«<script>» never closed is a word of an article about web pages, not an element."""
    text = f"حذر الخبراء من وسم {tag} في صفحات المواقع\n\nوقال وزير الاتصالات إن الثغرة أغلقت"
    src = tmp_path / "tags.jsonl"
    src.write_text(json.dumps({"id": "a", "title": "ثغرة", "text": text}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    got = next(load_corpus(src))["text"].iloc[0]
    assert tag in got and got.endswith("وقال وزير الاتصالات إن الثغرة أغلقت")


def test_a_closed_script_is_still_dropped():
    text, _ = html_to_text("<p>قال حفتر</p><script>var x = '<p>لا'</script><style>p {}</style><p>نعم</p>")
    assert text == "قال حفتر\nنعم"


@pytest.mark.parametrize("shape", ["كلمة <b ", "<!-- كلمة ", "قال <!-- "])
def test_broken_markup_is_read_in_linear_time(shape):
    ratio = best_seconds_ratio(lambda k: html_to_text("<p>نص</p> " + shape * k), 5_000)
    assert ratio < 8, ratio  # was quadratic: 5,000 repeats 9.6 s, 10,000 42 s


def corpus_tables(out):
    return {name: len(pd.read_parquet(out / name)) for name in store.TABLES if (out / name).exists()}


def test_a_kill_during_the_table_swap_loses_nothing(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a1.txt").write_text("قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.", encoding="utf-8")
    out = tmp_path / "out"
    store.annotate_corpus(src, out, progress=False)
    before = corpus_tables(out)
    (src / "a2.txt").write_text("زار أردوغان الدوحة.", encoding="utf-8")
    real, calls = os.replace, []

    def killed(a, b):  # the process dies after the first table's previous copy was moved aside
        calls.append((a, b))
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(a, b)

    monkeypatch.setattr(store.os, "replace", killed)
    monkeypatch.setattr(store.shutil, "rmtree", lambda *a, **k: None)  # a kill cleans nothing up
    with pytest.raises(KeyboardInterrupt):
        store.annotate_corpus(src, out, progress=False)
    monkeypatch.undo()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".previous-"))  # the old copy is kept
    assert store.recover_tables(out) and corpus_tables(out)["articles"] == 2  # the complete new tables win
    assert not [p for p in out.iterdir() if p.name.startswith((".partial-", ".previous-"))]
    assert before["articles"] == 1


def test_a_kill_before_the_staging_is_complete_keeps_the_previous_tables(tmp_path):
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    pd.DataFrame({"article_id": ["old"]}).to_parquet(out / "articles" / "b.parquet")
    os.replace(out / "articles", out / ".partial-1")  # as if moved away and the run killed then
    (out / ".previous-1").mkdir()
    os.replace(out / ".partial-1", out / ".previous-1" / "articles")
    (out / ".partial-1" / "spans").mkdir(parents=True)  # a half-written staging folder
    assert store.recover_tables(out) == ["articles restored from .previous-1"]
    assert pd.read_parquet(out / "articles")["article_id"].tolist() == ["old"]
    assert sorted(p.name for p in out.iterdir()) == ["articles"]


def test_the_themes_file_may_not_replace_the_input(tmp_path):
    src = tmp_path / "x.themes.parquet"
    pd.DataFrame({"id": ["a"], "text": ["قال حفتر"]}).to_parquet(src)
    before = src.read_bytes()
    assert cli.main(["annotate", str(src), "--out", str(tmp_path / "x.parquet")]) == cli.EXIT_USAGE
    assert src.read_bytes() == before and not (tmp_path / "x.parquet").exists()
