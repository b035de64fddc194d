"""One table of spans for all layers, with the researcher's corrections merged over it."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from .corpus import paragraph_spans
from .dates import date_columns
from .entities import entity_columns
from .entities import matchers as entity_matchers
from .framing import framing_columns
from .framing import matchers as framing_matchers
from .groups import group_columns
from .groups import matchers as group_matchers
from .inputs import as_articles
from .matcher import prefetch
from .quotes import matchers as quote_matchers
from .quotes import quote_columns
from .scan import Scan, scan

SPAN_COLUMNS = ["article_id", "start", "end", "surface", "layer", "label", "canonical_id", "type",
                "paragraph", "zone", "source", "counts", "literal_id", "polarity", "value", "verb",
                "via", "voice", "target_confidence", "content_start", "content_end", "note"]
LAYERS = ("entity", "framing", "date", "quote", "group", "name")
"""Layers of spans; ``name`` is the name tagger (:mod:`akhbar.names`), whose proposals are
``entity`` rows with ``source="model"``."""
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
            otherwise); :func:`akhbar.pipeline.annotate_batch` shares it with the themes.

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
    paras = _paragraph_table(texts, sources)
    prefetch(sc, layer_matchers(layers, gazetteer))  # one automaton pass for every layer's phrases
    found = {"entity": entity_columns(sc, gazetteer, published=published)}
    if "name" in layers:  # names no list holds (akhbar.names), before the layers that read actors:
        # a speaker or a target can be a name no list holds
        from .entities import excluded_spans
        from .names import with_names

        found["entity"] = with_names(sc, found["entity"], blocked=excluded_spans(sc, gazetteer))
    # reported statements first: a label inside one never frames its speaker
    quotes = quote_columns(sc, found["entity"]) if "quote" in layers else None
    if "group" in layers:  # and group references: «بين البلدين» names both parties of a relation
        found["group"] = group_columns(sc, found["entity"], paras["start"])
    if "framing" in layers or "quote" in layers:
        found["framing"] = framing_columns(sc, found["entity"], quotes=quotes, groups=found.get("group"))
    if "date" in layers:
        found["date"] = date_columns(sc, published)
    if quotes is not None:
        framing = found["framing"]
        if len(framing["start"]) and len(quotes["start"]):
            # «موطئ قدم» is a framing cue, not the verb قدّم; a cue that is the verb itself
            # («أشادت»: praise) leaves the quote
            k = np.searchsorted(framing["start"], quotes["start"], side="left") - 1
            inside = (k >= 0) & (framing["end"][np.maximum(k, 0)] > quotes["start"])
            quotes = {c: v[~inside] for c, v in quotes.items()}
        found["quote"] = quotes
    if "framing" in layers:
        found["framing"]["voice"] = _voices(found["framing"]["start"], found.get("quote"))
    parts = [(layer, found[layer]) for layer in LAYERS if layer in layers and layer in found]
    return _frame(sc, parts, list(article_ids), paras)


def layer_matchers(layers=LAYERS, gazetteer: str | Path | None = None) -> list:
    """The phrase matchers the layers run (:func:`annotate_texts` searches them together).

    Example:
        >>> len(layer_matchers(("entity",)))
        3
    """
    out = entity_matchers(gazetteer)
    if "framing" in layers or "quote" in layers:
        out += framing_matchers()
    if "quote" in layers:
        out += quote_matchers()
    if "group" in layers:
        out += group_matchers()
    return out


def _voices(starts: np.ndarray, quotes: dict | None) -> np.ndarray:
    """Whose voice each framing cue is in: the speaker of the last quote whose content
    holds it (``unnamed`` without one), else ``author``. ``starts`` must be sorted."""
    voice = np.full(starts.size, "author", dtype=object)
    if quotes is None or not len(quotes["start"]) or not starts.size:
        return voice
    lo = np.searchsorted(starts, quotes["content_start"], side="left").tolist()
    hi = np.searchsorted(starts, quotes["content_end"], side="left").tolist()
    for a, b, who in zip(lo, hi, quotes["canonical_id"].tolist()):
        if a < b:  # later quotes overwrite earlier ones: the last holding a cue wins
            voice[a:b] = who or "unnamed"
    return voice


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
    layer_code = np.repeat([_LAYER_ORDER[layer] for layer, _p in parts], sizes).astype(np.int64)
    article_rank = np.unique(np.asarray(article_ids, dtype=object), return_inverse=True)[1]
    order = np.lexsort((end, layer_code, start, article_rank[doc] if total else doc))
    start, end, doc, layer_code = start[order], end[order], doc[order], layer_code[order]
    offset = sc.starts[doc]
    text = sc.text
    paragraph, zone = _paragraphs(paras, doc, start)
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


_LAYER_ORDER = {layer: i for i, layer in enumerate(LAYERS)}


DATELINE = re.compile(r"[^\n.()«»\"]{1,60}?\s*\([^()\n]{1,25}\)\s*[-\u2013\u2014]+")
"""A dateline opening the first body paragraph: place, country, then the outlet in
brackets and a dash («دبي، الإمارات العربية المتحدة (CNN)—»). Its mentions are the
outlet's line, zoned ``byline`` and not counted (codebook counting rule c)."""


def _paragraph_table(texts: list[str], sources=None) -> dict[str, np.ndarray]:
    """Paragraphs of texts laid end to end as :func:`akhbar.scan.scan` joins them; the
    dateline of a first body paragraph (:data:`DATELINE`) is a ``byline`` piece of it.

    Returns:
        ``text_start`` (where each text begins), and per paragraph ``start`` (offset in
        the joined texts), ``para`` and ``zone``; ``first`` is each text's first row (a
        text without paragraphs gets one, paragraph 0 in the body).
    """
    text_start = np.r_[0, np.cumsum([len(t) + 1 for t in texts], dtype=np.int64)]
    sources = [""] * len(texts) if sources is None else ["" if s is None or s != s else s for s in sources]
    p_start, p_num, p_zone, first = [], [], [], []
    for base, text, source in zip(text_start.tolist(), texts, sources):
        first.append(len(p_start))
        for para, zone, s, e in paragraph_spans(text, source) or [(0, "body", 0, 0)]:
            dateline = DATELINE.match(text, s, e) if zone == "body" and para <= 2 else None
            if dateline:  # «دبي، الإمارات العربية المتحدة (CNN)—»: the outlet's line
                p_start.append(base + s)
                p_num.append(para)
                p_zone.append("byline")
                s = dateline.end()
            p_start.append(base + s)
            p_num.append(para)
            p_zone.append(zone)
    return {"text_start": text_start, "start": np.asarray(p_start, np.int64),
            "para": np.asarray(p_num, np.int64), "zone": np.asarray(p_zone, dtype=object),
            "first": np.asarray(first, np.int64)}


def _paragraphs(paras: dict, doc: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph number and zone of each offset ``start`` (into the joined texts) of text
    ``doc``, from :func:`_paragraph_table`."""
    k = np.searchsorted(paras["start"], start, side="right") - 1
    k = np.maximum(k, paras["first"][doc]) if paras["first"].size else k
    return paras["para"][k], paras["zone"][k]


def spans_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of spans as a DataFrame with every span column, in a stable order.

    Example:
        >>> df = spans_frame([{"article_id": "a", "start": 5, "end": 10, "surface": "أنقرة", "layer": "entity"},
        ...                   {"article_id": "a", "start": 0, "end": 4, "surface": "زار", "layer": "quote"}])
        >>> df[["surface", "start"]].values.tolist(), len(df.columns) == len(SPAN_COLUMNS)
        ([['زار', 0], ['أنقرة', 5]], True)
    """
    df = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    for col in ("start", "end", "paragraph", "content_start", "content_end"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in SPAN_COLUMNS:
        if df[col].dtype == object or str(df[col].dtype).startswith("str"):
            df[col] = df[col].fillna("").astype(str)
    df["_layer"] = df["layer"].map(_LAYER_ORDER)
    df = df.sort_values(["article_id", "start", "_layer", "end"], kind="stable").drop(columns="_layer")
    return df.reset_index(drop=True)


def annotate(articles: pd.DataFrame, annotations_dir: str | Path | None = None,
             layers=LAYERS, progress: bool = False, gazetteer: str | Path | None = None) -> pd.DataFrame:
    """Annotate every article: entities, framing cues, dates, quotes and groups as offset spans.

    The articles go through :func:`akhbar.pipeline.annotate_batch` about 2 MB at a time
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
        records of :data:`akhbar.corrections.DRIFTED_COLUMNS` (``pd.DataFrame(...)`` makes
        them a table; each is also an :class:`AnnotationDrift` warning), ``df.attrs["skipped"]`` the
        articles that could not be annotated (each also an :class:`ArticleSkipped` warning),
        ``df.attrs["skipped_corrections"]`` the correction files not applied.

    Example:
        >>> spans = annotate("قال وزير الخارجية التركي إن أنقرة تدعم الحل السياسي في ليبيا.")
        >>> spans[spans["layer"] == "entity"]["canonical_id"].tolist()
        ['turkey', 'turkey', 'libya']
    """
    from tqdm import tqdm

    from .corpus import ArticleSkipped
    from .corrections import DRIFTED_COLUMNS
    from .pipeline import annotate_batch

    articles = as_articles(articles)
    frames, drifted, skipped, not_applied = [], [], {}, {}
    with tqdm(total=len(articles), desc="annotate", unit=" articles", disable=not progress) as bar:
        for lo, hi in batches(articles["text"]):
            out = annotate_batch(articles.iloc[lo:hi], annotations_dir, layers, gazetteer, themes=False)
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
