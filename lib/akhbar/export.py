"""Exports of the span table: CSV/Parquet and brat standoff (.txt + .ann) for brat or INCEpTION."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .files import atomic_path, check_file_name, write_text


def _brat_type(r) -> str:
    if r["layer"] == "entity":
        return {"organization": "Organization", "armed_force": "Armed_force"}.get(
            r["type"], (r["type"] or "Entity").capitalize())
    if r["layer"] == "framing":
        return "Frame_" + r["label"]
    if r["layer"] == "date":
        return "Time_" + r["label"]
    if r["layer"] == "group":
        return "Group_" + r["label"]
    return "Quote_" + r["label"]


def to_brat(articles: pd.DataFrame, spans: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write ``<article_id>.txt`` and ``<article_id>.ann`` per article (brat standoff).

    Text-bound annotations (``T``) carry the layer and label as type; canonical ids,
    polarity, ISO values and speakers go into ``AnnotatorNotes`` (``#``). Spans that
    cross a line end are split into fragments, as brat requires. Offsets are the same
    character offsets as in the span table, since the ``.txt`` is the text as loaded.

    Returns:
        The ``.ann`` paths written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for aid, text in zip(articles["article_id"], articles["text"]):
        check_file_name(aid)
        write_text(out / f"{aid}.txt", text)
        lines, n = [], 0
        mine = spans[spans["article_id"] == aid]
        for r in mine.to_dict("records"):
            s, e = int(r["start"]), int(r["end"])
            frags, pos = [], s
            for m in re.finditer("\n", text[s:e]):
                if s + m.start() > pos:
                    frags.append(f"{pos} {s + m.start()}")
                pos = s + m.end()
            if pos < e:
                frags.append(f"{pos} {e}")
            n += 1
            surface = " ".join(text[s:e].split("\n"))
            lines.append(f"T{n}\t{_brat_type(r)} {';'.join(frags)}\t{surface}")
            note = "; ".join(f"{k}={r[k]}" for k in ("canonical_id", "label", "polarity", "value", "via", "voice",
                                                     "source") if r.get(k) not in ("", None))
            lines.append(f"#{n}\tAnnotatorNotes T{n}\t{note}")
        path = out / f"{aid}.ann"
        write_text(path, "\n".join(lines) + ("\n" if lines else ""))
        written.append(path)
    return written


def write_spans(spans: pd.DataFrame, path: str | Path) -> Path:
    """Write the span table as CSV (UTF-8) or Parquet, by the file's suffix."""
    path = Path(path)
    with atomic_path(path) as part:  # the previous file stays until the new one is complete
        if path.suffix == ".parquet":
            spans.to_parquet(part, index=False)
        else:
            spans.to_csv(part, index=False, encoding="utf-8")
    return path
