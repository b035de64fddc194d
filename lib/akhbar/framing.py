"""Framing cues from the codebook (data/framing_cues.csv), with their target actors."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .entities import read_data
from .matcher import PhraseMatcher
from .scan import Scan

CODES = ("TITLE", "LEGITIMACY", "OCCUPATION_LIBERATION", "ALIGNMENT", "RAPPROCHEMENT_DEESCALATION",
         "MILITARY_COOPERATION", "ECONOMIC_INTEREST", "INFLUENCE", "CONFLICT_ESCALATION",
         "STABILITY_SECURITY", "DYNASTIC")
NEXT_WINDOW, PREV_WINDOW = 3, 6


@lru_cache(maxsize=4)
def _matcher(path: str | None) -> PhraseMatcher:
    cues = read_data(Path(path) if path else "framing_cues.csv")
    where = path or "akhbar/data/framing_cues.csv"
    for i, r in cues.iterrows():
        if r["code"] not in CODES or r["polarity"] not in {"+", "-", "0"}:
            raise ValueError(f"{where}: row {i + 1} ({r['cue']!r}): unknown code {r['code']!r} "
                             f"or polarity {r['polarity']!r}")
    matcher = PhraseMatcher([(r["cue"], r) for r in cues.to_dict("records")])
    matcher.columns = {c: np.array([e[1][c] for e in matcher.entries], dtype=object)
                       for c in ("code", "polarity", "target", "note")}
    return matcher


def framing_columns(sc: Scan, ents: dict[str, np.ndarray], path: str | None = None) -> dict[str, np.ndarray]:
    """Framing cues of every text of a scan with code, polarity and target, as columns.

    Targets: a fixed canonical id from the cue file (kept only for actors the text
    names), ``next`` (first entity within 3 tokens after the cue: «المشير خليفة حفتر»),
    ``prev`` (nearest entity ending within 6 tokens before: «حكومة الوفاق ...
    المعترف بها دولياً»), or ``self`` (the actor the cue's own words name: «حكومة طرابلس»).

    Args:
        sc: The scan.
        ents: Entity columns of the same scan (:func:`akhbar.entities.entity_columns`).

    Returns:
        Arrays ``start, end, label (code), polarity, canonical_id (target), note``
        (offsets into ``sc.text``).
    """
    matcher = _matcher(path)
    m = matcher.find_in(sc)
    cols = {"start": m.start, "end": m.end, "label": matcher.columns["code"][m.entry],
            "polarity": matcher.columns["polarity"][m.entry], "note": matcher.columns["note"][m.entry]}
    target = matcher.columns["target"][m.entry].copy()
    if not len(m):
        cols["canonical_id"] = target
        return cols
    named = ents["label"] != "ADJ"
    e_start, e_end, e_cid = ents["start"][named], ents["end"][named], ents["canonical_id"][named]
    doc = sc.doc_of(m.start)
    doc_start, doc_end = sc.starts[doc], sc.starts[doc + 1] - 1
    n_tok = sc.tok_start.size
    nxt = np.flatnonzero(target == "next")
    prv = np.flatnonzero(target == "prev")
    own = np.flatnonzero(target == "self")
    fixed = np.flatnonzero((target != "") & (target != "next") & (target != "prev") & (target != "self"))
    if own.size:  # the actor the cue's own words name
        k = np.searchsorted(e_start, m.start[own], side="right") - 1
        ok = k >= 0
        ok[ok] &= e_end[k[ok]] > m.start[own][ok]
        target[own] = np.where(ok, e_cid[np.maximum(k, 0)] if e_start.size else "", "")
    if nxt.size:  # first entity within 3 tokens after the cue
        end = m.end[nxt]
        t = sc.token_from(end)
        third = np.minimum(t + NEXT_WINDOW - 1, n_tok - 1)
        limit = np.where(t < n_tok, sc.tok_end[third], end)
        limit = np.minimum(np.minimum(limit, end + 120), doc_end[nxt])
        k = np.searchsorted(e_start, end)
        ok = (k < e_start.size)
        ok[ok] &= e_start[k[ok]] < limit[ok]
        target[nxt] = np.where(ok, e_cid[np.minimum(k, e_start.size - 1)] if e_start.size else "", "")
    if prv.size:  # nearest entity ending within 6 tokens before the cue
        start = m.start[prv]
        t = sc.token_from(start)
        sixth = np.maximum(t - PREV_WINDOW, 0)
        limit = np.where(t > 0, sc.tok_start[sixth], start)
        limit = np.maximum(np.maximum(limit, start - 200), doc_start[prv])
        k = np.searchsorted(e_start, start) - 1
        ok = k >= 0
        ok[ok] &= e_end[k[ok]] > limit[ok]
        target[prv] = np.where(ok, e_cid[np.maximum(k, 0)] if e_start.size else "", "")
    if fixed.size:
        target[fixed] = _present_members(target[fixed], doc[fixed], sc.doc_of(ents["start"]),
                                         ents["canonical_id"], len(sc.starts) - 1)
    cols["canonical_id"] = target
    return cols


def _present_members(targets: np.ndarray, docs: np.ndarray, ent_docs: np.ndarray,
                     ent_ids: np.ndarray, n_docs: int) -> np.ndarray:
    """Each fixed target («turkey|lna») cut down to the actors its text names.

    Args:
        targets: Fixed targets, ``|``-separated canonical ids, one per cue.
        docs: The text of each cue.
        ent_docs, ent_ids: Text and canonical id of every entity mention.
        n_docs: How many texts.
    """
    codes, actors = pd.factorize(ent_ids)
    present = np.zeros((n_docs, len(actors) + 1), bool)  # last column: an actor never named
    present[ent_docs, codes] = True
    column = {a: i for i, a in enumerate(actors)}
    out = np.empty(targets.size, dtype=object)
    kinds, values = pd.factorize(targets)
    for k, value in enumerate(values):
        rows = np.flatnonzero(kinds == k)
        members = value.split("|")
        named = present[docs[rows]][:, [column.get(a, len(actors)) for a in members]]
        patterns, which = np.unique(named, axis=0, return_inverse=True)
        joined = np.array(["|".join(a for a, yes in zip(members, p) if yes) for p in patterns], dtype=object)
        out[rows] = joined[which.ravel()]
    return out
