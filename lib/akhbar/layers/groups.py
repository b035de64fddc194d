"""Group references (codebook rule 8): «البلدين», «الرئيسين», «الطرفين» and their two members."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from ..matcher import PhraseMatcher
from ..resources import read_data
from ..scan import Scan

KINDS = {"state": {"state"}, "person": {"person"},
         "party": {"state", "person", "organization", "armed_force"}}
"""Group kind -> the actor types its members can have."""


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher:
    forms = read_data("groups.csv")
    bad = forms[~forms["kind"].isin(list(KINDS))]
    if len(bad):
        raise ValueError(f"akhbar/data/groups.csv: unknown kind {bad['kind'].iloc[0]!r} "
                         f"(one of {sorted(KINDS)})")
    return PhraseMatcher.from_table(forms, "form", ["kind"])


def matchers() -> list[PhraseMatcher]:
    """The phrase matcher :func:`group_columns` runs (``data/groups.csv``).

    Example:
        >>> from akhbar.scan import scan
        >>> [forms] = matchers()
        >>> forms.columns["kind"][forms.find_in(scan("وأكد البلدان")).entry].tolist()
        ['state']
    """
    return [_matcher()]


_JOINER = re.compile(r"[\s،,\-–/و]{0,5}")
"""What may stand between the two members of a pair: «قطر وتركيا», «القطري - التركي»."""
PARAGRAPHS_BACK = 2
"""How many paragraphs before the group's own a pair may stand in."""


def group_columns(sc: Scan, ents: dict[str, np.ndarray], para_start: np.ndarray) -> dict[str, np.ndarray]:
    """Group references of every text of a scan with their two members, as columns.

    Members: the nearest pair of different actors of the group's kind named side by side
    («قطر وتركيا», «العلاقات القطرية التركية») in its paragraph or the two before it;
    failing that (for states and persons), the last two different such actors of its own
    paragraph; else none, and the note says so. Side by side means joined by و، - / or
    two adjectives in a row; an adjective before a name («التركي يشار غولر») is one
    actor, not a pair.

    Args:
        sc: The scan.
        ents: Entity columns of the scan.
        para_start: Sorted offsets (into ``sc.text``) where paragraphs start.

    Returns:
        Arrays ``start, end, label`` (state|person|party), ``canonical_id`` (the members
        joined by ``|``, alphabetically), ``type`` (``group``) and ``note``.

    Example:
        >>> from akhbar.layers.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan("وقعت تركيا وقطر اتفاقا، وأكد البلدان دعمهما لحكومة الوفاق.")
        >>> groups = group_columns(sc, entity_columns(sc), para_start=np.array([0]))
        >>> groups["label"].tolist(), groups["canonical_id"].tolist()
        (['state'], ['qatar|turkey'])
    """
    matcher = _matcher()
    found = matcher.find_in(sc)
    kinds = matcher.columns["kind"][found.entry]
    e_start, e_end = ents["start"].tolist(), ents["end"].tolist()
    e_id, e_type = ents["canonical_id"].tolist(), ents["type"].tolist()
    e_adj = (ents["label"] == "ADJ").tolist()
    before = np.searchsorted(ents["start"], found.start).tolist()
    para = np.searchsorted(para_start, found.start, side="right") - 1
    own = para_start[np.maximum(para, 0)].tolist()
    window = para_start[np.maximum(para - PARAGRAPHS_BACK, 0)].tolist()
    doc_start = sc.starts[sc.doc_of(found.start)].tolist()
    members, notes = [], []
    for k, kind, own_start, win_start, d0 in zip(before, kinds.tolist(), own, window, doc_start):
        allowed, limit = KINDS[kind], max(win_start, d0)
        rows = []  # the allowed mentions from the window's start up to the group, latest first
        for e in range(k - 1, -1, -1):
            if e_start[e] < limit:
                break
            if e_type[e] in allowed:
                rows.append(e)
        pair, note = None, ""
        for later, earlier in zip(rows, rows[1:]):
            joiner = _JOINER.fullmatch(sc.text, e_end[earlier], e_start[later])
            # two adjectives side by side, or two mentions joined by و , - /
            # («التركي يشار غولر» is one person, not a pair)
            joined = joiner and (joiner.group().strip() or sc.text[e_start[later]] in "و"
                                 or (e_adj[earlier] and e_adj[later]))
            if e_id[later] != e_id[earlier] and joined:
                pair, note = (e_id[earlier], e_id[later]), "members: the nearest pair named side by side"
                break
        if pair is None and kind != "party":  # «الطرفين» without a pair is too open to guess
            seen = []
            for e in rows:
                if e_start[e] < max(own_start, d0) or len(seen) == 2:
                    break
                if e_id[e] not in seen:
                    seen.append(e_id[e])
            if len(seen) == 2:
                pair, note = tuple(seen), "members: the last two named in its paragraph"
        members.append("|".join(sorted(pair)) if pair else "")
        notes.append(note or "members not found")
    n = len(found)
    return {"start": found.start, "end": found.end, "label": kinds,
            "canonical_id": np.array(members, dtype=object), "type": np.full(n, "group", dtype=object),
            "note": np.array(notes, dtype=object)}
