"""One pipeline behind every entry point: akhbar.annotate, the command line (one and two
workers), the Parquet store and Dask give the same spans and themes for the seeds plus an
article that breaks annotation, with the researcher's corrections applied everywhere."""

import shutil
import sys
import warnings

import pandas as pd
import pytest

import akhbar
from akhbar.articles.loading import ArticleSkipped
from akhbar.cli.main import main, themes_path
from akhbar.corpus import store
from akhbar.corpus.distributed import annotate_dask
from akhbar.layers.themes import THEME_COLUMNS
from akhbar.pipeline import batches as pipeline
from akhbar.pipeline.engine import SPAN_COLUMNS

from conftest import ROOT

BROKEN = "999_broken"
MARK = "نص يكسر التحليل"  # annotation of a text with these words raises (patched below)
CORRECTIONS = ROOT / "annotations"
KEY = ["article_id", "start", "end", "layer", "label"]
STORED_THEMES = store.STORED_THEME_COLUMNS


@pytest.fixture(scope="module")
def folder(tmp_path_factory, seeds_dir):
    out = tmp_path_factory.mktemp("articles")
    for f in seeds_dir.glob("*.*"):  # the texts and articles.csv (not readings/)
        shutil.copy(f, out / f.name)
    (out / f"{BROKEN}.txt").write_text(f"عنوان\n\n{MARK}: قال أردوغان إن تركيا تدعم ليبيا.\n", encoding="utf-8")
    with (out / "articles.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{BROKEN},{BROKEN}.txt,عنوان,test,2021-05-06,ar,,test\n")
    return out


@pytest.fixture(scope="module")
def breaking():
    """annotate_texts fails on any batch holding the broken article (in this process)."""
    real = pipeline.annotate_texts

    def fragile(ids, texts, *args, **kwargs):
        texts = list(texts)
        if any(MARK in t for t in texts):
            raise RuntimeError("a fault inside a layer")
        return real(ids, texts, *args, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(pipeline, "annotate_texts", fragile)
    yield
    mp.undo()


def _spans(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reindex(columns=SPAN_COLUMNS).astype(str).replace({"<NA>": "", "nan": "", "None": ""})
    return df.sort_values(KEY + ["canonical_id"]).reset_index(drop=True)


def _themes(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reindex(columns=STORED_THEMES).astype(str)
    return df.sort_values(["article_id", "para"], key=lambda c: c.str.zfill(6)).reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(folder, breaking):
    """akhbar.annotate and akhbar.paragraph_themes in memory."""
    arts = akhbar.load_articles(folder)
    with pytest.warns(ArticleSkipped, match=BROKEN):
        spans = akhbar.annotate(arts, CORRECTIONS)
    kept = arts[arts["article_id"] != BROKEN]
    return _spans(spans), _themes(akhbar.paragraph_themes(kept)), spans


def test_the_broken_article_is_skipped_and_corrections_apply(reference):
    spans, themes, raw = reference
    assert BROKEN not in set(spans["article_id"]) and BROKEN not in set(themes["article_id"])
    assert list(raw.attrs["skipped"]) == [BROKEN]
    assert "RuntimeError: a fault inside a layer" in raw.attrs["skipped"][BROKEN]
    manual = spans[spans["source"] == "manual"]
    assert set(manual["surface"]) == {"مندوبها الدائم",
                                      "مفاده أن دخول سرت والجفرة يعني مواجهة عسكرية مباشرة مع القاهرة"}
    assert set(spans["article_id"]) == {"000_36100a86710d4ed9", "004_89c82ba38a398626"}


def test_command_line_gives_the_same_tables(reference, folder, breaking, tmp_path):
    """One worker (the fault is patched into this process only; test_annotate compares two
    workers with one)."""
    out = tmp_path / "spans.parquet"
    code = main(["annotate", str(folder), "--out", str(out), "--annotations", str(CORRECTIONS), "--quiet"])
    assert code == 0
    pd.testing.assert_frame_equal(_spans(pd.read_parquet(out)), reference[0])
    pd.testing.assert_frame_equal(_themes(pd.read_parquet(themes_path(out))), reference[1])


def test_store_gives_the_same_tables(reference, folder, breaking, tmp_path):
    summary = store.annotate_corpus(folder, tmp_path, annotations_dir=CORRECTIONS, progress=False, batch_size=2)
    assert [w for w, _r in summary["skipped"]] == [BROKEN]
    pd.testing.assert_frame_equal(_spans(pd.read_parquet(tmp_path / "spans")), reference[0])
    pd.testing.assert_frame_equal(_themes(pd.read_parquet(tmp_path / "themes")), reference[1])


def test_dask_gives_the_same_tables(reference, folder, breaking, tmp_path):
    from distributed import Client, LocalCluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the in-process cluster's own notices
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            summary = annotate_dask(folder, tmp_path, client=client, annotations_dir=CORRECTIONS, progress=False,
                                    batch_size=2)
    assert [w for w, _r in summary["skipped"]] == [BROKEN]
    pd.testing.assert_frame_equal(_spans(pd.read_parquet(tmp_path / "spans")), reference[0])
    pd.testing.assert_frame_equal(_themes(pd.read_parquet(tmp_path / "themes")), reference[1])


def test_one_scan_serves_every_layer_and_the_themes(articles, monkeypatch):
    """The texts are scanned once per batch, for the spans and the themes both."""
    calls = []
    real = pipeline.scan
    monkeypatch.setattr(pipeline, "scan", lambda texts: calls.append(len(texts)) or real(texts))
    annotate_module = sys.modules["akhbar.pipeline.engine"]  # akhbar.annotate is the function
    themes_module = sys.modules["akhbar.layers.themes"]
    monkeypatch.setattr(annotate_module, "scan", lambda texts: pytest.fail("annotate_texts scanned again"))
    monkeypatch.setattr(themes_module, "scan", lambda texts: pytest.fail("the themes scanned again"))
    out = pipeline.annotate_batch(articles)
    assert calls == [2]
    assert len(out.themes) == len(out.paragraphs) and list(out.themes.columns) == THEME_COLUMNS


def test_paragraphs_are_cut_once_and_only_when_asked_for(articles, monkeypatch):
    """The span table and the paragraph table share each article's cut; akhbar.annotate,
    which keeps the spans alone, builds no paragraph table."""
    from akhbar import zones

    cut = []
    real = zones._nonblank_lines
    monkeypatch.setattr(zones, "_nonblank_lines", lambda text: cut.append(text) or real(text))
    zones._paragraph_spans.cache_clear()
    full = pipeline.annotate_batch(articles, themes=False)
    assert sorted(cut) == sorted(articles["text"])  # once each, for both tables
    assert full.paragraphs["article_id"].nunique() == len(articles) and len(full.paragraphs) > len(articles)
    bare = pipeline.annotate_batch(articles, themes=False, paragraph_table=False)
    assert bare.paragraphs.empty and list(bare.paragraphs.columns) == pipeline.PARAGRAPH_COLUMNS
    pd.testing.assert_frame_equal(bare.spans, full.spans)
    assert pipeline.annotate_batch(articles, paragraph_table=False).paragraphs.equals(full.paragraphs)  # themes need them
