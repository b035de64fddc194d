"""The researcher's corrections: ``annotations/<article_id>.csv`` merged over the automatic spans.

A correction file holds ``add``, ``correct`` and ``reject`` rows (columns
:data:`MANUAL_COLUMNS`); each row's offsets must still slice its ``surface`` from the
article, or it is reported (:class:`AnnotationDrift`) and not applied. akhbar never
writes these files, except to append rows imported from INCEpTION or brat
(:mod:`akhbar.io.edits`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..articles.loading import read_table, row_fields
from ..files import check_file_name
from .spantable import LAYERS, SPAN_COLUMNS, paragraph_at, paragraph_table, spans_frame

MANUAL_COLUMNS = ["action", "start", "end", "surface", "layer", "label", "canonical_id", "type", "note"]
DRIFTED_COLUMNS = MANUAL_COLUMNS + ["row", "file", "found_at", "problem"]
"""Columns of the table of correction rows not applied (:func:`read_manual`)."""
ACTIONS = {"add", "correct", "reject", "keep"}
"""``keep`` records a span the researcher checked and left as it is (the review panel's
decision): it changes nothing, and :func:`akhbar.analysis.reliability.agreement` counts it."""


class AnnotationDrift(UserWarning):
    """A manual annotation whose offsets no longer slice to its stored surface text.

    Example:
        >>> import tempfile, warnings
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "a1.csv", "action,start,end,surface,layer,label,canonical_id,type,note\\n"
        ...                             "reject,14,19,تركيا,entity,,,,offsets of an older text\\n")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     spans, drifted = apply_corrections(akhbar.annotate(arts), arts, folder)
        >>> [w.category.__name__ for w in caught], drifted[["row", "found_at"]].values.tolist()
        (['AnnotationDrift'], [[2, '15-20']])
    """


class CorrectionSkipped(AnnotationDrift):
    """A correction file that cannot be used at all (undecodable, malformed CSV, missing
    columns, unknown action or layer): skipped whole, the others still applied.

    A subclass of :class:`AnnotationDrift` so that code collecting drift warnings (the
    command line's error list) reports skipped files too.

    Example:
        >>> import tempfile, warnings
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": ["قال أردوغان إن تركيا"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "a1.csv", "action,start\\nreject,15\\n")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     spans, drifted = apply_corrections(akhbar.annotate(arts), arts, folder)
        >>> [w.category.__name__ for w in caught], str(caught[0].message).split(": ", 1)[1]
        (['CorrectionSkipped'], "row 1: header lacks columns ['end', 'surface', 'layer']; file not applied")
    """


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

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> path = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "a1.csv",
        ...     "# my corrections\\naction,start,end,surface,layer,label,canonical_id,type,note\\n"
        ...     "correct,15,20,تركيا,entity,NAM,turkiye,,\\nreject,20,26,تدعم,framing,,,,\\n")
        >>> valid, drifted = read_manual(path, "قال أردوغان إن تركيا تدعم طرابلس")
        >>> valid[["action", "surface"]].values.tolist(), drifted[["row", "surface", "found_at"]].values.tolist()
        ([['correct', 'تركيا']], [[4, 'تدعم', '21-25']])
    """
    header_line, header, body = read_table(path, comments=True)
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
    r = row_fields(path, line, header, fields, what="row")
    for col in ("action", "layer", "start", "end"):
        r[col] = r[col].strip()
    if r["action"] not in ACTIONS or r["layer"] not in LAYERS:
        raise ValueError(f"{path}: row {line}: action must be one of {sorted(ACTIONS)} and "
                         f"layer one of {list(LAYERS)}, got {r['action']!r}/{r['layer']!r}")
    return {**r, "row": line}


_INT64 = 2 ** 63 - 1


def _offsets(values) -> pd.arrays.IntegerArray:
    """Offsets as written (strings) to ``Int64``; anything but an integer a table can hold is NA
    (such a row is reported by :func:`_offset_problem`, never applied).

    Example:
        >>> _offsets(["15", "x", "99999999999999999999999"]).tolist()
        [15, <NA>, <NA>]
    """
    return pd.array([int(v) if _INTEGER.fullmatch(v) and len(v) < 20 and abs(int(v)) <= _INT64 else None
                     for v in values], dtype="Int64")


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
    if given); ``correct`` replaces its fields (``polarity`` too, where the file has that
    column); ``add`` appends a new span; ``keep`` changes nothing. Manual
    spans are marked ``source == "manual"``.

    Example:
        >>> auto = akhbar.annotate("قال أردوغان إن تركيا تدعم طرابلس").query("layer == 'entity'")
        >>> manual = pd.DataFrame({"action": ["correct", "reject"], "start": [15, 26], "end": [20, 32],
        ...                        "surface": ["تركيا", "طرابلس"], "layer": "entity", "label": ["NAM", ""],
        ...                        "canonical_id": ["turkiye", ""], "type": "", "note": ""})
        >>> merge_manual(auto, manual, "text1")[["surface", "canonical_id", "source"]].values.tolist()
        [['أردوغان', 'erdogan', 'auto'], ['تركيا', 'turkiye', 'manual']]
    """
    rows = auto.to_dict("records")
    alive = [True] * len(rows)
    at: dict[tuple, list[int]] = {}  # (start, end, layer) -> rows there, in order
    for k, r in enumerate(rows):
        at.setdefault((r["start"], r["end"], r["layer"]), []).append(k)
    for m in manual.to_dict("records"):
        if m["action"] == "keep":
            continue
        key = (m["start"], m["end"], m["layer"])
        same = [k for k in at.get(key, []) if alive[k]]
        if m["action"] == "reject":
            for k in same:
                if not m.get("label") or rows[k]["label"] == m["label"]:
                    alive[k] = False
            continue
        row = {c: m[c] for c in SPAN_COLUMNS if c in m and m[c] != ""}
        row.update({"article_id": article_id, "source": "manual"})
        if m["action"] == "correct" and same:
            base = rows[same[0]]
            for k in same:
                alive[k] = False
            row = {**base, **row}
        rows.append(row)
        alive.append(True)
        at.setdefault(key, []).append(len(rows) - 1)
    kept = [r for r, keep in zip(rows, alive) if keep]
    return pd.DataFrame(kept, columns=list(dict.fromkeys([*auto.columns, *(c for r in kept for c in r)])))


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

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "a1.csv", "action,start,end,surface,layer,label,canonical_id,type,note\\n"
        ...                             "reject,26,32,طرابلس,entity,,,,the city here\\n")
        >>> spans, drifted = apply_corrections(akhbar.annotate(arts), arts, folder)
        >>> spans.loc[spans["layer"] == "entity", "surface"].tolist(), len(drifted)
        (['أردوغان', 'تركيا'], 0)
    """
    folder = Path(annotations_dir)
    texts = dict(zip(articles["article_id"], articles["text"]))
    drifted, skipped, applied, merged = [], {}, False, {}
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
        merged[aid] = valid
        applied = True
    if applied:  # each article's spans merged once, the table rebuilt once
        by_article = dict(tuple(spans.groupby("article_id", sort=False)))
        parts = [spans[~spans["article_id"].isin(merged)]]
        parts += [merge_manual(by_article.get(aid, spans.iloc[:0]), valid, aid) for aid, valid in merged.items()]
        spans = pd.concat(parts, ignore_index=True)
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
    paras = paragraph_table(list(articles["text"]), articles["source"] if "source" in articles else None)
    index = {aid: d for d, aid in enumerate(articles["article_id"])}
    doc = np.array([index[a] for a in spans["article_id"].to_numpy()[need]], np.int64)
    start = paras["text_start"][doc] + spans["start"].to_numpy(np.int64)[need]
    para, zone = paragraph_at(paras, doc, start)
    spans.iloc[need, spans.columns.get_loc("paragraph")] = para
    spans.iloc[need, spans.columns.get_loc("zone")] = zone
    return spans
