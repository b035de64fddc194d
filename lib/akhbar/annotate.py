"""One table of spans for all layers, with the researcher's corrections merged over it."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from .corpus import _fields, _read_table, paragraph_spans
from .dates import date_columns
from .entities import entity_columns, mark_counted
from .entities import matchers as entity_matchers
from .files import check_file_name
from .framing import framing_columns
from .framing import matchers as framing_matchers
from .groups import group_columns
from .groups import matchers as group_matchers
from .inputs import as_articles
from .matcher import prefetch
from .quotes import matchers as quote_matchers
from .quotes import quote_columns
from .scan import scan

SPAN_COLUMNS = ["article_id", "start", "end", "surface", "layer", "label", "canonical_id", "type",
                "paragraph", "zone", "source", "counts", "literal_id", "polarity", "value", "verb",
                "via", "voice", "content_start", "content_end", "note"]
LAYERS = ("entity", "framing", "date", "quote", "group")
MANUAL_COLUMNS = ["action", "start", "end", "surface", "layer", "label", "canonical_id", "type", "note"]
DRIFTED_COLUMNS = MANUAL_COLUMNS + ["row", "file", "found_at", "problem"]
"""Columns of the table of correction rows not applied (:func:`read_manual`)."""
ACTIONS = {"add", "correct", "reject"}


class AnnotationDrift(UserWarning):
    """A manual annotation whose offsets no longer slice to its stored surface text."""


class CorrectionSkipped(AnnotationDrift):
    """A correction file that cannot be used at all (undecodable, malformed CSV, missing
    columns, unknown action or layer): skipped whole, the others still applied.

    A subclass of :class:`AnnotationDrift` so that code collecting drift warnings (the
    command line's error list) reports skipped files too.
    """


def annotate_text(article_id: str, text: str, published=None, source: str = "",
                  layers=LAYERS) -> list[dict]:
    """All automatic spans of one article: a pure function of the article (for Dask).

    Returns:
        A list of span dicts (columns of :data:`SPAN_COLUMNS`, ``counts`` not yet set).
    """
    frame = annotate_texts([article_id], [text], [published], [source], layers)
    return frame.drop(columns="counts").to_dict("records")


def annotate_texts(article_ids, texts, published=None, sources=None, layers=LAYERS,
                   gazetteer: str | Path | None = None) -> pd.DataFrame:
    """Automatic spans of many articles at once, as a table (``counts`` not yet set).

    The articles are scanned together (:func:`akhbar.scan.scan`); every span depends on
    its own article only, so any grouping of articles gives the same rows.

    Args:
        article_ids, texts: One per article.
        published: Publication dates (None when unknown), one per article.
        sources: Outlet names (for byline zones), one per article.
        layers: Which layers to compute.
        gazetteer: The researcher's gazetteer CSV, merged over the package's.

    Returns:
        DataFrame with :data:`SPAN_COLUMNS` sorted by article, start, layer and end.
    """
    texts = list(texts)
    # each date read once (None when unknown), for the entity and date layers both
    published = [None if p is None or pd.isna(p) else pd.Timestamp(p) for p in published] \
        if published is not None else [None] * len(texts)
    sc = scan(texts)
    paras = _paragraph_table(texts, sources)
    prefetch(sc, layer_matchers(layers, gazetteer))  # one automaton pass for every layer's phrases
    found = {"entity": entity_columns(sc, gazetteer, published=published)}
    if "framing" in layers or "quote" in layers:
        found["framing"] = framing_columns(sc, found["entity"])
    if "date" in layers:
        found["date"] = date_columns(sc, published)
    if "quote" in layers:
        quotes, framing = quote_columns(sc, found["entity"]), found["framing"]
        if len(framing["start"]) and len(quotes["start"]):
            # «موطئ قدم» is a framing cue, not the verb قدّم; a cue that is the verb itself
            # («أشادت»: praise) leaves the quote
            k = np.searchsorted(framing["start"], quotes["start"], side="left") - 1
            inside = (k >= 0) & (framing["end"][np.maximum(k, 0)] > quotes["start"])
            quotes = {c: v[~inside] for c, v in quotes.items()}
        found["quote"] = quotes
    if "group" in layers:
        found["group"] = group_columns(sc, found["entity"], paras["start"])
    if "framing" in layers:
        found["framing"]["voice"] = _voices(found["framing"]["start"], found.get("quote"))
    parts = [(layer, found[layer]) for layer in LAYERS if layer in layers]
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


def annotate_batch(articles: pd.DataFrame, gazetteer: str | Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Automatic spans of a table of articles; if the batch fails, each article alone,
    so one bad article is reported and skipped and never stops a corpus run.

    Returns:
        ``(spans, errors)``, one error per article that failed.
    """
    cols = (articles["article_id"], articles["text"], articles["published"], articles["source"])
    try:
        return annotate_texts(*cols, gazetteer=gazetteer), []
    except Exception:
        frames, failed = [], []
        for aid, text, published, source in zip(*cols):
            try:
                frames.append(annotate_texts([aid], [text], [published], [source], gazetteer=gazetteer))
            except Exception as exc:
                failed.append(f"{aid}: annotation failed ({type(exc).__name__}: {exc})")
        return (pd.concat(frames, ignore_index=True) if frames else annotate_texts([], [], [], [])), failed


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
    """Rows of spans as a DataFrame with every span column, in a stable order."""
    df = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    for col in ("start", "end", "paragraph", "content_start", "content_end"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in SPAN_COLUMNS:
        if df[col].dtype == object or str(df[col].dtype).startswith("str"):
            df[col] = df[col].fillna("").astype(str)
    df["_layer"] = df["layer"].map(_LAYER_ORDER)
    df = df.sort_values(["article_id", "start", "_layer", "end"], kind="stable").drop(columns="_layer")
    return df.reset_index(drop=True)


def read_manual(path: Path, text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``annotations/<article_id>.csv`` and check every row against the text.

    The file is decoded like an article (UTF-8 with or without BOM, UTF-16 with BOM,
    Windows-1256). Lines starting with ``#`` are comments. ``row`` is always the line of
    the file, counted from 1 with comment and blank lines (the header is the first line
    that is neither).

    Returns:
        ``(valid, drifted)``: rows whose offsets slice to their surface, and rows that
        are not applied, with ``row``, ``file``, ``found_at`` (where the surface is found
        now: ``start-end``, ``not in text`` or empty) and ``problem``: offsets that no
        longer slice to the surface, or impossible ones (not an integer, negative, end
        not after start, end beyond the text).

    Raises:
        ValueError: naming the file (and row) when the whole file cannot be used:
            undecodable bytes, malformed CSV, missing or repeated columns, a row with too
            many fields, an unknown action or layer.

    Example: ``read_manual(Path("annotations/a1.csv"), text)[1]["problem"]``.
    """
    header_line, header, body = _read_table(path, comments=True)
    missing = [c for c in ("action", "start", "end", "surface", "layer") if c not in header]
    if missing or len(set(header)) < len(header):
        doubled = sorted({h for h in header if header.count(h) > 1})
        raise ValueError(f"{path}: row {header_line}: header "
                         + (f"lacks columns {missing}" if missing else f"repeats columns {doubled}"))
    records = [_manual_record(path, line, header, fields) for line, fields in body]
    df = pd.DataFrame(records, columns=header + ["row"])
    problems = [_offset_problem(r["start"], r["end"], r["surface"], text) for r in records]
    df["start"], df["end"] = _offsets(df["start"]), _offsets(df["end"])
    bad = np.array([bool(p) for p in problems], dtype=bool)
    drifted = df[bad].copy()
    drifted["file"] = str(path)
    drifted["found_at"] = [_nearest(text, surf, s) for surf, s in zip(drifted["surface"], drifted["start"])]
    drifted["problem"] = [p for p in problems if p]
    return df[~bad].drop(columns="row"), drifted


_INTEGER = re.compile(r"[+-]?\d+")


def _manual_record(path: Path, line: int, header: list[str], fields: list[str]) -> dict:
    """One row of a correction file as a dict with its ``row`` (file line); spaces around
    ``action``, ``layer``, ``start`` and ``end`` are dropped (never around ``surface``).

    Raises:
        ValueError: naming file and row, for too many fields or an unknown action or layer.
    """
    r = _fields(path, line, header, fields, what="row")
    for col in ("action", "layer", "start", "end"):
        r[col] = r[col].strip()
    if r["action"] not in ACTIONS or r["layer"] not in LAYERS:
        raise ValueError(f"{path}: row {line}: action must be one of {sorted(ACTIONS)} and "
                         f"layer one of {list(LAYERS)}, got {r['action']!r}/{r['layer']!r}")
    return {**r, "row": line}


def _offsets(values) -> pd.arrays.IntegerArray:
    """Offsets as written (strings) to ``Int64``; anything but an integer is NA."""
    return pd.array([int(v) if _INTEGER.fullmatch(v) else None for v in values], dtype="Int64")


def _offset_problem(start: str, end: str, surface: str, text: str) -> str:
    """Why a manual row's offsets cannot be applied to ``text`` ("" when they can).

    Example: ``_offset_problem("5", "3", "x", text)`` → ``"end 3 is not after start 5"``.
    """
    for name, value in (("start", start), ("end", end)):
        if not _INTEGER.fullmatch(value):
            return f"{name} {value!r} is not an integer offset"
    s, e = int(start), int(end)
    if s < 0:
        return f"start {s} is negative"
    if e <= s:
        return f"end {e} is not after start {s}"
    if e > len(text):
        return f"end {e} is beyond the text ({len(text)} characters)"
    if text[s:e] != surface:
        return f"offsets {s}-{e} no longer slice to {surface!r}"
    return ""


def _nearest(text: str, surface: str, start) -> str:
    if not surface:
        return ""
    hits, i = [], text.find(surface)
    while i >= 0:
        hits.append(i)
        i = text.find(surface, i + 1)
    if not hits:
        return "not in text"
    best = min(hits, key=lambda h: abs(h - (int(start) if pd.notna(start) else 0)))
    return f"{best}-{best + len(surface)}"


def merge_manual(auto: pd.DataFrame, manual: pd.DataFrame, article_id: str) -> pd.DataFrame:
    """Apply one article's manual rows over its automatic spans.

    ``reject`` removes the automatic span with the same offsets and layer (and label,
    if given); ``correct`` replaces its fields; ``add`` appends a new span. Manual
    spans are marked ``source == "manual"``.
    """
    auto = auto.copy()
    for _, m in manual.iterrows():
        same = ((auto["start"] == m["start"]) & (auto["end"] == m["end"])
                & (auto["layer"] == m["layer"]))
        if m["action"] == "reject":
            if m.get("label"):
                same &= auto["label"] == m["label"]
            auto = auto[~same]
            continue
        row = {c: m[c] for c in SPAN_COLUMNS if c in m.index and m[c] != ""}
        row.update({"article_id": article_id, "source": "manual"})
        if m["action"] == "correct" and same.any():
            base = auto[same].iloc[0].to_dict()
            auto = auto[~same]
            row = {**base, **row}
        auto = pd.concat([auto, pd.DataFrame([row])], ignore_index=True)
    return auto


def annotate(articles: pd.DataFrame, annotations_dir: str | Path | None = None,
             layers=LAYERS, progress: bool = False, gazetteer: str | Path | None = None) -> pd.DataFrame:
    """Annotate every article: entities, framing cues, dates and quotes as offset spans.

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
        ``df.attrs["drifted"]`` lists manual rows that no longer fit their article
        (also raised as :class:`AnnotationDrift` warnings).
    """
    from tqdm import tqdm

    articles = as_articles(articles)
    sources = articles["source"]
    frames = []
    with tqdm(total=len(articles), desc="annotate", unit=" articles", disable=not progress) as bar:
        for lo, hi in batches(articles["text"]):
            frames.append(annotate_texts(articles["article_id"].iloc[lo:hi], articles["text"].iloc[lo:hi],
                                         articles["published"].iloc[lo:hi], sources.iloc[lo:hi], layers,
                                         gazetteer))
            bar.update(hi - lo)
    spans = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0] if frames else \
        annotate_texts([], [], [], [], layers)
    if len(frames) > 1:
        spans = spans.sort_values(["article_id"], kind="stable").reset_index(drop=True)
    drifted = pd.DataFrame(columns=DRIFTED_COLUMNS)
    if annotations_dir is not None:
        spans, drifted = apply_corrections(spans, articles, annotations_dir)
    spans["counts"] = mark_counted(spans)
    spans.attrs["drifted"] = drifted
    return spans


def batches(texts, chars: int = 2_000_000):
    """``(lo, hi)`` row ranges of about ``chars`` characters each (memory stays bounded)."""
    lo, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= chars:
            yield lo, i + 1
            lo, size = i + 1, 0
    if lo < len(texts):
        yield lo, len(texts)


def apply_corrections(spans: pd.DataFrame, articles: pd.DataFrame,
                      annotations_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge each ``<article_id>.csv`` of ``annotations_dir`` over the spans of its article.

    A row that cannot be applied (offsets that no longer slice to its ``surface``, or
    impossible ones) is warned about (:class:`AnnotationDrift`, naming file and row) and
    returned in ``drifted`` with its ``problem``. A file that cannot be used at all
    (undecodable, malformed CSV, missing columns, unknown action or layer: see
    :func:`read_manual`) is skipped with a :class:`CorrectionSkipped` warning naming the
    file and row, and the others are still applied; ``spans.attrs["skipped_corrections"]``
    maps each skipped file to the reason. A missing ``annotations_dir`` is warned about too.

    Returns:
        ``(spans, drifted)``.

    Example: ``spans, drifted = apply_corrections(spans, articles, "annotations")``.
    """
    folder = Path(annotations_dir)
    texts = dict(zip(articles["article_id"], articles["text"]))
    drifted, skipped, applied = [], {}, False
    if not folder.is_dir():
        _skip_corrections(skipped, folder, f"{folder}: no such folder of corrections; none applied")
    for aid in sorted(texts) if folder.is_dir() else []:
        try:
            path = folder / f"{check_file_name(aid)}.csv"
        except ValueError as exc:  # never look for corrections outside the folder
            _skip_corrections(skipped, folder, f"{folder}: {exc}; no corrections looked up for it")
            continue
        if not path.is_file():
            continue
        try:
            valid, bad = read_manual(path, texts[aid])
        except (ValueError, OSError) as exc:
            _skip_corrections(skipped, path, f"{exc}; file not applied")
            continue
        for _, b in bad.iterrows():
            found = f" (found at {b['found_at']})" if b["found_at"] else ""
            warnings.warn(f"{path}: row {b['row']}: {b['problem']}{found}; row not applied",
                          AnnotationDrift, stacklevel=3)
        drifted.append(bad)
        mine = merge_manual(spans[spans["article_id"] == aid], valid, aid)
        spans = pd.concat([spans[spans["article_id"] != aid], mine], ignore_index=True)
        applied = True
    if applied:
        spans = _fill_context(spans_frame(spans.to_dict("records")), articles)
    spans.attrs["skipped_corrections"] = skipped
    return spans, pd.concat(drifted, ignore_index=True) if drifted else pd.DataFrame(columns=DRIFTED_COLUMNS)


def _skip_corrections(skipped: dict, path: Path, reason: str) -> None:
    """Record and warn (:class:`CorrectionSkipped`) that a correction file is not applied."""
    skipped[str(path)] = reason
    warnings.warn(reason, CorrectionSkipped, stacklevel=4)


def _fill_context(spans: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Paragraph and zone for manual rows, by the same lookup as automatic ones."""
    need = np.flatnonzero((spans["zone"] == "").to_numpy())
    if not need.size:
        return spans
    paras = _paragraph_table(list(articles["text"]), articles["source"] if "source" in articles else None)
    index = {aid: d for d, aid in enumerate(articles["article_id"])}
    doc = np.array([index[a] for a in spans["article_id"].to_numpy()[need]], np.int64)
    start = paras["text_start"][doc] + spans["start"].to_numpy(np.int64)[need]
    para, zone = _paragraphs(paras, doc, start)
    spans.iloc[need, spans.columns.get_loc("paragraph")] = para
    spans.iloc[need, spans.columns.get_loc("zone")] = zone
    return spans
