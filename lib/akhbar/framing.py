"""Framing cues from the codebook (data/framing_cues.csv), with their target actors."""

from __future__ import annotations

import bisect
from functools import lru_cache
from pathlib import Path

from .entities import read_data
from .matcher import PhraseMatcher
from .text import local_words

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
    return PhraseMatcher([(r["cue"], r) for r in cues.to_dict("records")])


def find_framing(text: str, norm: str, index, entities: list[dict], path: str | None = None) -> list[dict]:
    """Framing cues of one text with code, polarity and target.

    Targets: a fixed canonical id from the cue file, ``next`` (first entity within 3
    words after the cue: «المشير خليفة حفتر»), or ``prev`` (nearest entity within 6
    words before: «حكومة الوفاق ... المعترف بها دولياً»).

    Returns:
        One dict per cue: ``start, end, surface, label (code), polarity, canonical_id
        (target), note``.
    """
    ents = sorted((e for e in entities if e["label"] != "ADJ"), key=lambda e: e["start"])
    ent_starts = [e["start"] for e in ents]
    out = []
    for m in _matcher(path).find(text, norm, index):
        cue = m.payload
        target = cue["target"]
        if target == "next":
            after = local_words(text, m.end, m.end + 120)[:NEXT_WINDOW]
            limit = after[-1][1] if after else m.end
            k = bisect.bisect_left(ent_starts, m.end)
            target = ents[k]["canonical_id"] if k < len(ents) and ents[k]["start"] < limit else ""
        elif target == "prev":
            before = local_words(text, m.start - 200, m.start)[-PREV_WINDOW:]
            limit = before[0][0] if before else m.start
            k = bisect.bisect_left(ent_starts, m.start) - 1
            target = ents[k]["canonical_id"] if k >= 0 and ents[k]["end"] > limit else ""
        out.append({"start": m.start, "end": m.end, "surface": text[m.start:m.end],
                    "label": cue["code"], "polarity": cue["polarity"], "canonical_id": target,
                    "note": cue["note"]})
    return out
