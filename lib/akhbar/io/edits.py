"""Spans edited in an annotation tool (INCEpTION, brat) turned into correction rows.

The tools give back the spans of an article as the researcher left them. This module
compares them with akhbar's automatic spans of the same article and appends the
differences to ``annotations/<article_id>.csv`` as ``add``, ``correct`` and ``reject``
rows (the format :func:`akhbar.pipeline.corrections.read_manual` reads), so that the next
:func:`akhbar.annotate` run with that folder gives the edited spans.

Rules:

- Spans are compared by layer and offsets; a span whose label, canonical id, type or
  note changed gives a ``correct`` row (or ``reject`` + ``add`` when a field was
  emptied, which a ``correct`` row cannot express); a span only in the tool gives
  ``add``, one only in akhbar's output gives ``reject``.
- The researcher's rows already in the file are never changed: rows are appended,
  after a ``#`` comment naming the file they came from. A row that would change
  nothing once the file's own rows are applied is not written, so importing the same
  export twice adds nothing, and an export made *with* the corrections applied does
  not repeat them.
- Polarity, ISO values, verbs, ``via`` and voice cannot be held by a correction row:
  a change to them is reported as an :class:`UnsupportedEdit` warning and not imported.
- A span the researcher added by hand in the file and deleted in the tool stays: delete
  its row in the file.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pandas as pd

from ..files import atomic_path, check_file_name, read_regular
from ..layers.registry import layer, names_of
from ..pipeline.corrections import MANUAL_COLUMNS, merge_manual, read_manual

EDITABLE = ("label", "canonical_id", "type", "note")
"""Span fields a correction row can set."""
NOT_STORED = ("polarity", "value", "verb", "via", "voice")
"""Span fields a tool shows but a correction row cannot hold (changes are warned about)."""
ADDED_COLUMNS = ["article_id"] + MANUAL_COLUMNS + ["file"]
"""Columns of the table of rows an import added."""


class UnsupportedEdit(UserWarning):
    """An edit that the corrections format cannot hold (polarity, ISO value, ...): not imported.

    Example:
        >>> import tempfile, warnings
        >>> arts = akhbar.inputs.as_articles(["قال أردوغان إن تركيا تدعم طرابلس"])
        >>> edited = akhbar.annotate(arts).query("layer == 'framing'").assign(polarity="+")
        >>> edited.attrs["layers"] = ("framing",)
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     added = import_edits([("text1.xmi", "text1", edited)], arts, tempfile.mkdtemp(), "INCEpTION")
        >>> len(added), [str(w.message)[:54] for w in caught if w.category is UnsupportedEdit]
        (0, ["text1.xmi: framing «تدعم» (21-25): polarity '0' -> '+'"])
    """


def correction_rows(auto: pd.DataFrame, edited: pd.DataFrame, text: str,
                    existing: pd.DataFrame | None = None, where: str = "") -> list[dict]:
    """The correction rows that turn one article's automatic spans into its edited spans.

    Args:
        auto: The article's automatic spans (:func:`akhbar.annotate` without corrections).
        edited: The spans as the tool gives them back: ``layer``, ``start``, ``end`` and
            :data:`EDITABLE` (any of :data:`NOT_STORED` too); only the layers present in
            ``edited.attrs["layers"]`` (default: every layer) are compared.
        text: The article's text (for the rows' ``surface``).
        existing: The valid rows already in the article's correction file.
        where: Names the source in warnings.

    Returns:
        Rows (dicts of :data:`akhbar.pipeline.corrections.MANUAL_COLUMNS`) in text order, without the
        ones the existing rows already make.

    Example:
        >>> text = "قال أردوغان إن تركيا تدعم طرابلس"
        >>> auto = pd.DataFrame([{"layer": "entity", "start": 15, "end": 20, "label": "NAM",
        ...                       "canonical_id": "turkey", "type": "state", "note": ""}])
        >>> edited = auto.assign(canonical_id="turkiye")
        >>> [(r["action"], r["surface"], r["canonical_id"]) for r in correction_rows(auto, edited, text)]
        [('correct', 'تركيا', 'turkiye')]
    """
    for name in set(edited["layer"]) | set(edited.attrs.get("layers", ())):
        layer(name)  # UnknownLayer: never read back as another layer, never dropped unseen
    layers = tuple(edited.attrs.get("layers", names_of()))
    auto = _normalised(auto[auto["layer"].isin(layers)])
    edited = _normalised(edited[edited["layer"].isin(layers)])
    state = _apply(_full(auto), existing) if existing is not None and len(existing) else _full(auto)
    rows = []
    for key, a, e in _by_key(auto, edited):
        for row in _rows_for(key, a, e, text, where):
            new = _apply(state, pd.DataFrame([row]))
            if row["action"] == "add" and _has(state, row) or _state(new) == _state(state):
                continue
            rows.append(row)
            state = new
    return rows


def _normalised(spans: pd.DataFrame) -> pd.DataFrame:
    """Spans with integer offsets and text fields ("" for missing)."""
    out = spans.copy()
    out["start"] = out["start"].astype(int)
    out["end"] = out["end"].astype(int)
    for col in EDITABLE:
        out[col] = out[col].fillna("").astype(str) if col in out else ""
    for col in NOT_STORED:
        if col in out:
            out[col] = out[col].fillna("").astype(str)
    return out.reset_index(drop=True)


def _full(spans: pd.DataFrame) -> pd.DataFrame:
    """The columns of spans that :func:`akhbar.pipeline.corrections.merge_manual` reads and corrections change."""
    return spans[["layer", "start", "end", *EDITABLE]].copy()


def _apply(spans: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Correction rows applied as :func:`akhbar.pipeline.engine.annotate` applies them (fields a row
    leaves out are "", not missing)."""
    out = merge_manual(spans, rows, "")
    out[list(EDITABLE)] = out[list(EDITABLE)].fillna("")
    return out


def _state(spans: pd.DataFrame) -> list[tuple]:
    """What a correction can change in a set of spans, comparable across runs."""
    cols = ["layer", "start", "end", *EDITABLE]
    return sorted(tuple(str(v) for v in r) for r in spans[cols].itertuples(index=False, name=None))


def _has(spans: pd.DataFrame, row: dict) -> bool:
    """Whether a span with the row's layer, offsets, label, id and type is already there."""
    same = ((spans["layer"] == row["layer"]) & (spans["start"] == row["start"]) & (spans["end"] == row["end"])
            & (spans["label"] == row["label"]) & (spans["canonical_id"] == row["canonical_id"])
            & (spans["type"] == row["type"]))
    return bool(same.any())


def _by_key(auto: pd.DataFrame, edited: pd.DataFrame):
    """``(key, auto rows, edited rows)`` per layer and offsets, in text order."""
    order = {name: i for i, name in enumerate(names_of())}
    a = {k: g.to_dict("records") for k, g in auto.groupby(["layer", "start", "end"], sort=False)}
    e = {k: g.to_dict("records") for k, g in edited.groupby(["layer", "start", "end"], sort=False)}
    for key in sorted(set(a) | set(e), key=lambda k: (k[1], order.get(k[0], len(order)), k[2])):
        yield key, a.get(key, []), e.get(key, [])


def _fields(span: dict) -> tuple:
    return tuple(span[c] for c in EDITABLE)


def _rows_for(key: tuple, auto: list[dict], edited: list[dict], text: str, where: str) -> list[dict]:
    """Rows for one layer and offsets: nothing for unchanged spans, else correct, add, reject."""
    layer, start, end = key
    seen, uniq = set(), []
    for e in edited:  # the same span twice in a tool is one span
        if _fields(e) not in seen:
            seen.add(_fields(e))
            uniq.append(e)
    left_a, left_e = list(auto), []
    for e in uniq:
        match = next((a for a in left_a if _fields(a) == _fields(e)), None)
        if match is not None:
            left_a.remove(match)
            _warn_not_stored(match, e, text, where)
        else:
            left_e.append(e)
    base = {"start": start, "end": end, "surface": text[start:end], "layer": layer}
    if len(auto) == 1 and len(left_a) == 1 and len(left_e) == 1:
        a, e = left_a[0], left_e[0]
        _warn_not_stored(a, e, text, where)
        if all(e[c] or not a[c] for c in EDITABLE):  # nothing emptied: one correct row
            return [{"action": "correct", **base, "label": e["label"], "canonical_id": e["canonical_id"],
                     "type": e["type"], "note": e["note"] if e["note"] != a["note"] else ""}]
    rows = [{"action": "reject", **base, "label": a["label"] if len(auto) > 1 else "", "canonical_id": "",
             "type": "", "note": ""} for a in left_a]
    for e in left_e:
        _warn_not_stored(None, e, text, where)
        rows.append({"action": "add", **base, "label": e["label"], "canonical_id": e["canonical_id"],
                     "type": e["type"], "note": e["note"]})
    return rows


def _warn_not_stored(auto: dict | None, edited: dict, text: str, where: str) -> None:
    """Warn about edits to fields a correction row cannot hold."""
    for col in NOT_STORED:
        if col not in edited:
            continue
        before = "" if auto is None else str(auto.get(col, "") or "")
        if edited[col] != before:
            warnings.warn(
                f"{where}: {edited['layer']} «{text[edited['start']:edited['end']]}» "
                f"({edited['start']}-{edited['end']}): {col} {before!r} -> {edited[col]!r} is not imported "
                "(a correction row has no such column)", UnsupportedEdit, stacklevel=4)


def append_rows(path: str | Path, rows: list[dict], comment: str, article_id: str = "",
                columns: list[str] | None = None) -> Path:
    """Append correction rows to ``path`` (created if missing), atomically.

    The file's bytes stay as they are; the new lines follow in its encoding (UTF-8,
    UTF-16 or Windows-1256) and with its line ends, after ``# comment``. ``columns`` is
    the file's header when it differs from :data:`MANUAL_COLUMNS` (an optional
    ``polarity`` column); a row's missing fields are written empty.

    Raises:
        ValueError: naming the file, when its encoding cannot hold a new row's text.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> row = {"action": "reject", "start": 15, "end": 20, "surface": "تركيا", "layer": "entity",
        ...        "label": "", "canonical_id": "", "type": "", "note": "not an actor here"}
        >>> path = append_rows(Path(tempfile.mkdtemp()) / "text1.csv", [row], "1 row by hand", "text1")
        >>> path.read_text(encoding="utf-8").splitlines()[1:]
        ['action,start,end,surface,layer,label,canonical_id,type,note', '# 1 row by hand', 'reject,15,20,تركيا,entity,,,,not an actor here']
    """
    path = Path(path)
    raw = read_regular(path) if path.exists() else b""
    encoding = _encoding(raw)
    old = raw.decode(encoding) if raw else ""
    newline = "\r\n" if "\r\n" in old else "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    if not raw:
        buf.write(f"# Corrections for {article_id} (the researcher's; akhbar only appends rows, "
                  f"imported from annotation tools or decided in the review panel).{newline}")
        writer.writerow(columns or MANUAL_COLUMNS)
    elif not old.endswith(("\n", "\r")):
        buf.write(newline)
    buf.write(f"# {comment}{newline}")
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns or MANUAL_COLUMNS])
    try:
        added = buf.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        raise ValueError(f"{path}: the file is {encoding} and cannot hold {exc.object[exc.start:exc.end]!r}; "
                         "save it as UTF-8 and import again") from None
    with atomic_path(path) as part:
        part.write_bytes(raw + added)
    return path


def _encoding(raw: bytes) -> str:
    """The encoding to append to a correction file in (see :func:`akhbar.pipeline.corrections.read_manual`)."""
    if raw.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if raw.startswith(b"\xfe\xff"):
        return "utf-16-be"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1256"


def match_article(texts: dict[str, str], name: str, text: str, where: str) -> str:
    """The article a tool's document is: by its file name when the text is the same, else by its text.

    Raises:
        ValueError: naming ``where``, when no article has this text.

    Example:
        >>> texts = {"a1": "قال حفتر", "b2": "وصل أردوغان"}
        >>> match_article(texts, "export/b2.xmi", "وصل أردوغان", "b2.xmi"), match_article(texts, "doc.xmi", "قال حفتر", "doc.xmi")
        ('b2', 'a1')
    """
    stem = Path(name.split("!")[-1]).name
    while Path(stem).suffix.lower() in (".xmi", ".txt", ".ann", ".zip"):
        stem = Path(stem).stem
    if texts.get(stem) == text:
        return stem
    same = [aid for aid, t in texts.items() if t == text]
    if len(same) == 1:
        return same[0]
    if stem in texts:
        raise ValueError(f"{where}: its text differs from article {stem}'s (edited or re-encoded?); "
                         "the offsets would not fit, so nothing was imported from it")
    raise ValueError(f"{where}: no article has this text" + (f" ({len(same)} have it; name the file "
                                                             "<article_id>.xmi)" if same else ""))


def import_edits(docs: list[tuple[str, str, pd.DataFrame]], articles: pd.DataFrame,
                 annotations_dir: str | Path, tool: str, gazetteer: str | Path | None = None) -> pd.DataFrame:
    """Append the correction rows of edited documents to ``annotations_dir``.

    Args:
        docs: ``(source, article_id, edited spans)`` per document (see :func:`correction_rows`).
        articles: From :func:`akhbar.load_articles`.
        annotations_dir: The folder of ``<article_id>.csv`` correction files.
        tool: Named in the comment line before the appended rows.
        gazetteer: The researcher's gazetteer, as given to :func:`akhbar.annotate`.

    Returns:
        The rows added (:data:`ADDED_COLUMNS`; ``file`` is the correction file).

    Raises:
        ValueError: an article given by two documents, or a correction file that cannot be
            read (it is left as it is).

    Example:
        >>> import tempfile
        >>> arts = akhbar.inputs.as_articles(["قال أردوغان إن تركيا تدعم طرابلس"])
        >>> edited = akhbar.annotate(arts).query("layer == 'entity'").replace({"canonical_id": {"turkey": "turkiye"}})
        >>> edited.attrs["layers"] = ("entity",)
        >>> added = import_edits([("text1.xmi", "text1", edited)], arts, tempfile.mkdtemp(), "INCEpTION")
        >>> added[["action", "surface", "canonical_id"]].values.tolist()
        [['correct', 'تركيا', 'turkiye']]
    """
    from ..pipeline.batches import annotate

    sources: dict[str, str] = {}
    for source, aid, _spans in docs:
        if aid in sources:
            raise ValueError(f"{source}: article {aid} is also in {sources[aid]}; import one version "
                             "(one annotator's export) at a time")
        sources[aid] = source
    folder = Path(annotations_dir)
    mine = articles[articles["article_id"].isin(sources)]
    auto = annotate(mine, gazetteer=gazetteer) if len(mine) else None
    texts = dict(zip(articles["article_id"], articles["text"]))
    added = []
    for source, aid, spans in docs:
        path = folder / f"{check_file_name(aid)}.csv"
        existing = read_manual(path, texts[aid])[0] if path.exists() else None
        rows = correction_rows(auto[auto["article_id"] == aid], spans, texts[aid], existing, where=source)
        if rows:
            append_rows(path, rows, f"{len(rows)} rows from {tool} ({Path(source).name})", aid)
            added += [{"article_id": aid, **r, "file": str(path)} for r in rows]
    return pd.DataFrame(added, columns=ADDED_COLUMNS)
