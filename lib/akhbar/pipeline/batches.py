"""One annotation pipeline behind every entry point.

:func:`annotate_batch` takes a batch of articles and gives every table akhbar makes of
them: the paragraphs, the spans of every layer (entities, framing, dates, quotes, groups),
the paragraph themes, and what could not be done. It scans the texts once; every layer,
themes included, reads that scan. It then merges the researcher's corrections and marks
the mentions that count. An article that breaks the batch is retried alone, so it is
reported and skipped, never the end of a run.

The entry points only feed batches and write what comes back:

- :func:`akhbar.annotate`: a loop over batches in memory;
- the command line (``akhbar annotate``): a pool of processes, one output file;
- :func:`akhbar.corpus.store.annotate_corpus`: Parquet partitions;
- :func:`akhbar.corpus.distributed.annotate_dask`: Dask partitions.

So they give the same spans and themes for the same articles (``tests/test_pipeline.py``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..articles.loading import ArticleSkipped
from ..inputs import as_articles
from ..layers.entities import mark_counted
from ..layers.themes import THEME_COLUMNS, paragraph_themes, theme_matcher
from ..matcher import prefetch
from ..scan import scan
from ..zones import paragraphs
from .corrections import DRIFTED_COLUMNS, apply_corrections
from .engine import LAYERS, annotate_texts, layer_matchers

PARAGRAPH_COLUMNS = ["article_id", "para", "zone", "start", "end", "words", "text"]


@dataclass
class Annotated:
    """Everything the pipeline makes of one batch of articles.

    Attributes:
        articles: The articles annotated (those skipped left out).
        paragraphs: :func:`akhbar.paragraphs` of the articles.
        spans: Every layer's spans, corrections merged and ``counts`` set.
        themes: One row per paragraph (:func:`akhbar.paragraph_themes`); empty when
            themes were not asked for.
        skipped: Article id -> why it could not be annotated.
        drifted: Correction rows not applied (:data:`akhbar.pipeline.corrections.DRIFTED_COLUMNS`).
        warnings: The warnings raised on the way (drifted rows, correction files skipped),
            kept so that a runner in another process can report them.

    Example:
        >>> batch = annotate_batch(akhbar.inputs.as_articles(["وقع البلدان اتفاقية تعاون عسكري",
        ...                                                   "قال أردوغان إن تركيا تدعم طرابلس"]))
        >>> batch.themes["themes"].tolist(), sorted(set(batch.spans["layer"])), batch.skipped
        (['MIL', 'AXIS'], ['entity', 'framing', 'group', 'quote'], {})
    """

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    spans: pd.DataFrame
    themes: pd.DataFrame
    skipped: dict[str, str] = field(default_factory=dict)
    drifted: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DRIFTED_COLUMNS))
    warnings: list[warnings.WarningMessage] = field(default_factory=list)


def annotate_batch(articles: pd.DataFrame, annotations_dir: str | Path | None = None, layers=LAYERS,
                   gazetteer: str | Path | None = None, themes: bool = True, warn: bool = True,
                   paragraph_table: bool = True) -> Annotated:
    """All of akhbar's tables for a batch of articles.

    Args:
        articles: A table of articles (``article_id, text, published, source``), as
            :func:`akhbar.load_articles` or :func:`akhbar.corpus.archive.load_corpus` give it.
        annotations_dir: The researcher's ``<article_id>.csv`` corrections, merged over the
            automatic spans (None: none).
        layers: Which span layers to compute.
        gazetteer: The researcher's gazetteer CSV, merged over the package's.
        themes: Whether to give the paragraph themes too.
        warn: Raise the warnings met on the way (drifted corrections, ...); a runner in
            another process passes False and reports ``warnings`` itself.
        paragraph_table: Whether to give the paragraphs too (False: an empty table, for a
            caller that keeps the spans alone, as :func:`annotate` does; with ``themes`` they
            are always given).

    Returns:
        An :class:`Annotated`. Warnings are kept in ``warnings`` (and raised, with ``warn``).

    Example:
        >>> arts = akhbar.inputs.as_articles(["زار أردوغان الدوحة في 5 مايو 2021."])
        >>> out = annotate_batch(arts)
        >>> out.spans[out.spans["layer"] == "entity"]["canonical_id"].tolist()  # R1: «زار» makes Doha a place
        ['erdogan', 'doha']
        >>> out.themes["themes"].tolist(), out.skipped
        (['DIP'], {})
    """
    articles = articles.reset_index(drop=True)
    layer_matchers(layers, gazetteer)  # a missing or bad gazetteer stops the run here, not article by article
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            spans, paras, theme_table = _tables(articles, layers, gazetteer, themes, paragraph_table)
            skipped = {}
        except Exception:  # one article broke the batch: each alone, the bad ones skipped
            spans, paras, theme_table, skipped = _one_by_one(articles, layers, gazetteer, themes, paragraph_table)
            articles = articles[~articles["article_id"].isin(skipped)].reset_index(drop=True)
        drifted = pd.DataFrame(columns=DRIFTED_COLUMNS)
        if annotations_dir is not None:
            spans, drifted = apply_corrections(spans, articles, annotations_dir)
    for w in caught if warn else ():  # raised as if never caught; kept for runners elsewhere
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    spans["counts"] = mark_counted(spans) & spans["source"].ne("model").to_numpy()  # proposals wait for review
    kept = [warnings.WarningMessage(w.message, w.category, w.filename, w.lineno) for w in caught]  # picklable
    return Annotated(articles, paras, spans, theme_table, skipped, drifted, kept)


def _tables(articles: pd.DataFrame, layers, gazetteer, themes: bool, paragraph_table: bool = True):
    """Spans, paragraphs and themes of the batch from one scan."""
    texts = list(articles["text"])
    sc = scan(texts)
    if themes:  # the theme cues join the layers' phrases in the one automaton pass
        prefetch(sc, layer_matchers(layers, gazetteer) + [theme_matcher()])
    spans = annotate_texts(articles["article_id"], texts, articles["published"], articles["source"], layers,
                           gazetteer, sc=sc)
    paras = paragraphs(articles) if themes or paragraph_table else pd.DataFrame(columns=PARAGRAPH_COLUMNS)
    theme_table = paragraph_themes(articles, paras, sc=sc) if themes else pd.DataFrame(columns=THEME_COLUMNS)
    return spans, paras, theme_table


def _one_by_one(articles: pd.DataFrame, layers, gazetteer, themes: bool, paragraph_table: bool = True):
    parts, skipped = [], {}
    for i in range(len(articles)):
        one = articles.iloc[i:i + 1].reset_index(drop=True)
        try:
            parts.append(_tables(one, layers, gazetteer, themes, paragraph_table))
        except Exception as exc:
            skipped[one["article_id"].iat[0]] = f"annotation failed ({type(exc).__name__}: {exc})"
    if not parts:
        return (annotate_texts([], [], [], [], layers), pd.DataFrame(columns=PARAGRAPH_COLUMNS),
                pd.DataFrame(columns=THEME_COLUMNS), skipped)
    spans, paras, theme_table = (pd.concat(t, ignore_index=True) for t in zip(*parts))
    return spans, paras, theme_table, skipped


def annotate(articles: pd.DataFrame, annotations_dir: str | Path | None = None,
             layers=LAYERS, progress: bool = False, gazetteer: str | Path | None = None) -> pd.DataFrame:
    """Annotate every article: entities, framing cues, dates, quotes and groups as offset spans.

    The articles go through :func:`akhbar.pipeline.batches.annotate_batch` about 2 MB at a time
    (the same pipeline as the command line and the corpus store).

    Args:
        articles: From :func:`akhbar.load_articles`; or a string, a list of strings, or a
            table with a ``text`` column only (ids and metadata are filled in:
            :func:`akhbar.inputs.as_articles`).
        annotations_dir: Folder of manual ``<article_id>.csv`` files merged over the
            automatic spans (never written by akhbar).
        layers: Which layers to compute.
        progress: Show a progress bar.
        gazetteer: The researcher's own gazetteer CSV (for example
            ``gazetteer/actors.csv``): its rows extend and override the package's
            (``docs/gazetteer.md``). akhbar never writes it.

    Returns:
        DataFrame with :data:`SPAN_COLUMNS`; ``text[start:end] == surface`` for every row.
        ``df.attrs["drifted"]`` lists manual rows that no longer fit their article, as
        records of :data:`akhbar.pipeline.corrections.DRIFTED_COLUMNS` (``pd.DataFrame(...)`` makes
        them a table; each is also an :class:`AnnotationDrift` warning), ``df.attrs["skipped"]`` the
        articles that could not be annotated (each also an :class:`ArticleSkipped` warning),
        ``df.attrs["skipped_corrections"]`` the correction files not applied.

    Example:
        >>> spans = annotate("قال وزير الخارجية التركي إن أنقرة تدعم الحل السياسي في ليبيا.")
        >>> spans[spans["layer"] == "entity"]["canonical_id"].tolist()
        ['turkey', 'turkey', 'libya']
    """
    from tqdm import tqdm

    articles = as_articles(articles)
    frames, drifted, skipped, not_applied = [], [], {}, {}
    with tqdm(total=len(articles), desc="annotate", unit=" articles", disable=not progress) as bar:
        for lo, hi in batches(articles["text"]):
            out = annotate_batch(articles.iloc[lo:hi], annotations_dir, layers, gazetteer, themes=False,
                                 paragraph_table=False)
            frames.append(out.spans)
            drifted.append(out.drifted)
            skipped.update(out.skipped)
            not_applied.update(out.spans.attrs.get("skipped_corrections", {}))
            bar.update(hi - lo)
    if frames:
        spans = pd.concat(frames, ignore_index=True).sort_values("article_id", kind="stable") \
            .reset_index(drop=True) if len(frames) > 1 else frames[0]
    else:
        spans = annotate_texts([], [], [], [], layers)
        spans["counts"] = pd.Series(dtype=bool)
    for aid, reason in skipped.items():
        warnings.warn(f"{aid}: {reason}; article skipped", ArticleSkipped, stacklevel=2)
    # plain records, not a DataFrame: pandas compares attrs on every operation (astype, concat)
    spans.attrs = {"drifted": [r for d in drifted for r in d.reindex(columns=DRIFTED_COLUMNS).to_dict("records")],
                   "skipped": skipped, "skipped_corrections": not_applied}
    return spans


def batches(texts, chars: int = 2_000_000):
    """``(lo, hi)`` row ranges of about ``chars`` characters each (memory stays bounded).

    Example:
        >>> list(batches(["أ" * 5, "ب" * 5, "ج" * 5], chars=8))
        [(0, 2), (2, 3)]
    """
    lo, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= chars:
            yield lo, i + 1
            lo, size = i + 1, 0
    if lo < len(texts):
        yield lo, len(texts)
