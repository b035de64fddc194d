"""The annotation engine: every layer's spans of a batch of texts, from one scan.

:func:`akhbar.pipeline.batches.annotate` runs it over articles and merges the researcher's corrections;
the span table's columns and the paragraph lookup are :mod:`akhbar.pipeline.spantable`'s.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..layers.registry import Run, run_order, table
from ..matcher import prefetch
from ..scan import Scan, scan
from .spantable import LAYER_ORDER, LAYERS, SPAN_COLUMNS, paragraph_at, paragraph_table
from .spantable import spans_frame  # noqa: F401  (akhbar.pipeline.engine.spans_frame, as before)

def annotate_text(article_id: str, text: str, published=None, source: str = "",
                  layers=LAYERS) -> list[dict]:
    """All automatic spans of one article: a pure function of the article (for Dask).

    Returns:
        A list of span dicts (columns of :data:`SPAN_COLUMNS`, ``counts`` not yet set).

    Example:
        >>> [(s["surface"], s["canonical_id"]) for s in annotate_text("a1", "زار أردوغان الدوحة.")]
        [('أردوغان', 'erdogan'), ('الدوحة', 'doha')]
    """
    frame = annotate_texts([article_id], [text], [published], [source], layers)
    return frame.drop(columns="counts").to_dict("records")


def annotate_texts(article_ids, texts, published=None, sources=None, layers=LAYERS,
                   gazetteer: str | Path | None = None, sc: Scan | None = None) -> pd.DataFrame:
    """Automatic spans of many articles at once, as a table (``counts`` not yet set).

    The articles are scanned together (:func:`akhbar.scan.scan`); every span depends on
    its own article only, so any grouping of articles gives the same rows.

    Args:
        article_ids, texts: One per article.
        published: Publication dates (None when unknown), one per article.
        sources: Outlet names (for byline zones), one per article.
        layers: Which layers to compute.
        gazetteer: The researcher's gazetteer CSV, merged over the package's.
        sc: The scan of ``texts``, when the caller built it already (it is built here
            otherwise); :func:`akhbar.pipeline.batches.annotate_batch` shares it with the themes.

    Returns:
        DataFrame with :data:`SPAN_COLUMNS` sorted by article, start, layer and end.

    Example:
        >>> spans = annotate_texts(["a1", "a2"], ["زار أردوغان الدوحة.", "قال السراج إن طرابلس آمنة."])
        >>> spans[spans["layer"] == "entity"][["article_id", "canonical_id"]].values.tolist()
        [['a1', 'erdogan'], ['a1', 'doha'], ['a2', 'fayez_al_serraj'], ['a2', 'libya']]
    """
    texts = list(texts)
    # each date read once (None when unknown), for the entity and date layers both
    published = [None if p is None or pd.isna(p) else pd.Timestamp(p) for p in published] \
        if published is not None else [None] * len(texts)
    sc = scan(texts) if sc is None else sc
    paras = paragraph_table(texts, sources)
    prefetch(sc, layer_matchers(layers, gazetteer))  # one automaton pass for every layer's phrases
    parts = run_layers(Run(sc, gazetteer, published, paras), layers)
    return _frame(sc, parts, list(article_ids), paras)


def run_layers(run: Run, layers=LAYERS, call=None) -> list[tuple[str, dict]]:
    """Run the layers asked for and what they require, each after what it reads, then their
    settle steps (what a layer takes from layers that read it: quotes lose framing cues).

    Args:
        run: The scan, gazetteer, dates and paragraphs of a batch; its ``found`` fills up.
        layers: The layers asked for.
        call: ``call(step, fn, run)`` runs each step (``step``: the layer's name, or
            ``"settle"``); the benchmark times them with it. By default ``fn(run)``.

    Returns:
        ``(layer, columns)`` of the layers asked for, in :data:`LAYERS` order.

    Example:
        >>> sc = scan(["زار أردوغان الدوحة في 3 مايو"])
        >>> run = Run(sc, None, [None], paragraph_table(["زار أردوغان الدوحة في 3 مايو"]))
        >>> [(layer, len(columns["start"])) for layer, columns in run_layers(run, ("date",))]
        [('date', 1)]
    """
    call = call or (lambda _step, fn, r: fn(r))
    order = run_order(layers)
    for layer in order:
        run.found[layer.product] = call(layer.name, layer.columns, run)
    for layer in order:
        if layer.settle is not None:
            run.found[layer.name] = call("settle", layer.settle, run)
    return [(layer, run.found[layer]) for layer in LAYERS if layer in layers and layer in run.found]


def layer_matchers(layers=LAYERS, gazetteer: str | Path | None = None) -> list:
    """The phrase matchers the layers run (:func:`annotate_texts` searches them together).

    Example:
        >>> len(layer_matchers(("entity",))), len(layer_matchers(("date",)))
        (3, 0)
    """
    running = {layer.name for layer in run_order(layers)}
    return [m for layer in table() if layer.name in running and layer.matchers is not None
            for m in layer.matchers(gazetteer)]


def _frame(sc, parts: list[tuple[str, dict]], article_ids: list[str], paras: dict) -> pd.DataFrame:
    """One table of the layers' columns, with article, offsets into the article, surface,
    paragraph and zone, sorted by article, start, layer and end."""
    sizes = [len(p["start"]) for _layer, p in parts]
    total = sum(sizes)

    def column(name, fill):
        pieces = [p[name] if name in p else np.full(n, fill, dtype=object) for n, (_l, p) in zip(sizes, parts)]
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=object)

    start = column("start", 0).astype(np.int64)
    end = column("end", 0).astype(np.int64)
    doc = sc.doc_of(start)
    layer_code = np.repeat([LAYER_ORDER[layer] for layer, _p in parts], sizes).astype(np.int64)
    article_rank = np.unique(np.asarray(article_ids, dtype=object), return_inverse=True)[1]
    order = np.lexsort((end, layer_code, start, article_rank[doc] if total else doc))
    start, end, doc, layer_code = start[order], end[order], doc[order], layer_code[order]
    offset = sc.starts[doc]
    text = sc.text
    paragraph, zone = paragraph_at(paras, doc, start)
    frame = {"article_id": np.asarray(article_ids, dtype=object)[doc] if total else np.zeros(0, dtype=object),
             "start": start - offset, "end": end - offset,
             "surface": [text[s:e] for s, e in zip(start.tolist(), end.tolist())],
             "layer": np.asarray(LAYERS, dtype=object)[layer_code],
             "paragraph": paragraph, "zone": zone, "source": column("source", "auto")[order],
             "counts": np.zeros(total, bool)}
    for name in ("content_start", "content_end"):
        v = column(name, -1)[order].astype(np.int64)
        has = v >= 0
        v[has] -= offset[has]
        frame[name] = pd.arrays.IntegerArray(v, ~has)
    for name in SPAN_COLUMNS:
        if name not in frame:
            frame[name] = column(name, "")[order]
    for col in ("start", "end", "paragraph"):
        frame[col] = pd.arrays.IntegerArray(np.asarray(frame[col], np.int64), np.zeros(total, bool))
    for col in _TEXT_COLUMNS:
        frame[col] = _strings(frame[col])
    return pd.DataFrame(frame, columns=SPAN_COLUMNS)


_TEXT_COLUMNS = ("label", "canonical_id", "type", "literal_id", "polarity", "value", "verb", "via",
                 "voice", "note", "zone", "layer", "source", "surface", "article_id")


def _strings(values) -> pd.api.extensions.ExtensionArray:
    """Python strings as a pandas ``str`` array, built by Arrow (about twice as fast as
    ``astype(str)``); other values are converted with ``str``."""
    try:
        arrow = pa.array(values, type=pa.large_string())
        if not arrow.null_count:
            return pd.array(arrow, dtype="str")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    return pd.array(np.asarray(values, dtype=object).astype(str), dtype="str")
