"""Framing cues from the codebook (data/framing_cues.csv), with their target actors."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .entities import DATA, merge_columns, read_data
from .matcher import PhraseMatcher
from .scan import Scan

CODES = ("TITLE", "LEGITIMACY", "OCCUPATION_LIBERATION", "ALIGNMENT", "RAPPROCHEMENT_DEESCALATION",
         "MILITARY_COOPERATION", "ECONOMIC_INTEREST", "INFLUENCE", "CONFLICT_ESCALATION",
         "STABILITY_SECURITY", "DYNASTIC")
NEXT_WINDOW, PREV_WINDOW = 3, 6
"""Words after a cue where ``next`` looks for its actor, and before it for ``prev``."""
RELATION_WINDOW = 8
"""Words after a relation cue where ``relation`` looks for the actors of the relation."""
RULES = ("next", "prev", "self", "from", "relation", "main", "label")
"""Target rules a cue file may give, joined by ``;`` (the first that finds an actor wins);
anything else is a fixed canonical id (ids joined by ``|`` for a relation). ``label`` (the
actor whose mention holds the cue) is tried first for every LEGITIMACY cue."""
FILES = ("framing_cues.csv", "framing_lexicon.csv")
"""The cue files, read in this order: where both list a cue, the first file's row wins."""


@lru_cache(maxsize=4)
def _matcher(path: str | None) -> PhraseMatcher:
    frames = []
    for name in ([Path(path)] if path else [f for f in FILES if (DATA / f).exists()]):
        cues = read_data(name)
        where = path or f"akhbar/data/{name}"
        for i, r in cues.iterrows():
            if r["code"] not in CODES or r["polarity"] not in {"+", "-", "0"}:
                raise ValueError(f"{where}: row {i + 1} ({r['cue']!r}): unknown code {r['code']!r} "
                                 f"or polarity {r['polarity']!r}")
        frames.append(cues)
    cues = pd.concat(frames, ignore_index=True)
    matcher = PhraseMatcher([(r["cue"], r) for r in cues.to_dict("records")])
    matcher.columns = {c: np.array([e[1][c] for e in matcher.entries], dtype=object)
                       for c in ("code", "polarity", "target", "note")}
    return matcher


def framing_columns(sc: Scan, ents: dict[str, np.ndarray], path: str | None = None) -> dict[str, np.ndarray]:
    """Framing cues of every text of a scan with code, polarity and target, as columns.

    Each cue's ``target`` (``data/framing_cues.csv``, ``data/framing_lexicon.csv``) is a
    fixed id only where the cue names its actor itself («مملكة آل سعود»); otherwise it is
    read from the text around the cue by rules, tried in turn (``next;main``):

    - ``next``: the first actor within 3 words after the cue («ميليشيات الحوثي»,
      «المشير خليفة حفتر»); a nisba right after the cue counts («الاحتلال الإسرائيلي»),
      except for titles, which take the person;
    - ``prev``: the nearest actor ending within 6 words before it («حكومة الوفاق
      المعترف بها دولياً»);
    - ``self``: the actor the cue's own words name («حكومة طرابلس»);
    - ``from``: the actor the cue qualifies and the one after «من» («الحوثيين
      المدعومين من إيران» gives houthis|iran);
    - ``relation``: the actor right before the cue and the next one after it («أنقرة تدعم
      حكومة طرابلس»), else the next two after it («التقارب بين تركيا وقطر»);
    - ``main``: the state the article names most («النزاع» in an article on Libya).

    Actors are looked for inside the cue's sentence; a cue whose rules find none keeps
    an empty target. A fixed target is kept only for actors the text names.

    Args:
        sc: The scan.
        ents: Entity columns of the same scan (:func:`akhbar.entities.entity_columns`).

    Returns:
        Arrays ``start, end, label (code), polarity, canonical_id (target), note``
        (offsets into ``sc.text``).
    """
    matcher = _matcher(path)
    m = matcher.find_in(sc)
    names = np.flatnonzero(ents["label"] == "NAM")
    # a cue inside a longer name is part of the name («عبد الملك», «مستشار الأمن القومي»),
    # unless it is a legitimacy label the name carries («قيادة الجيش الليبي»)
    if len(m) and names.size:
        n_start, n_end = ents["start"][names], ents["end"][names]
        k = np.searchsorted(n_start, m.start, side="right") - 1
        ok = k >= 0
        inside = np.zeros(len(m), bool)
        kk = k[ok]
        inside[ok] = (n_end[kk] >= m.end[ok]) & ((n_start[kk] < m.start[ok]) | (n_end[kk] > m.end[ok]))
        inside &= matcher.columns["code"][m.entry] != "LEGITIMACY"
        m = m.take(~inside)
    cols = {"start": m.start, "end": m.end, "label": matcher.columns["code"][m.entry],
            "polarity": matcher.columns["polarity"][m.entry], "note": matcher.columns["note"][m.entry]}
    specs = matcher.columns["target"][m.entry]
    target = np.full(len(m), "", dtype=object)
    if not len(m):
        cols["canonical_id"] = target
        return cols
    codes = cols["label"]
    # a legitimacy label that is itself a mention of an actor targets that actor: «النظام السوري»
    specs = np.where((codes == "LEGITIMACY") & ~np.char.startswith(specs.astype(str), "self"),
                     np.char.add("label;", specs.astype(str)).astype(object), specs)
    ruled = np.flatnonzero((specs != "") & (specs != "label;"))
    if ruled.size:
        finder = _TargetFinder(sc, ents, m.start[ruled], m.end[ruled])
        for n, i in enumerate(ruled.tolist()):
            for rule in specs[i].split(";"):
                found = finder.find(rule, n, codes[i] == "TITLE") if rule in RULES \
                    else finder.named(rule, int(m.start[i]))
                if found:
                    target[i] = found
                    break
    cols["canonical_id"] = target
    return _with_scare_quotes(sc, ents, cols)


SCARE_QUOTES = {"«": "»", '"': '"', "“": "”"}
"""Quotation marks that, around a name alone, keep the author's distance from it."""


def _with_scare_quotes(sc: Scan, ents: dict[str, np.ndarray], cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Add a LEGITIMACY − cue for each armed group's name set alone in quotation marks
    («"جيش ليبيا الوطني"»: the author does not adopt the name; codebook section 2, scare
    quotes), targeting that actor. A quotation holding more than the name is speech."""
    text = sc.text
    # armed groups: an outlet, a platform or an agency in quotation marks («"قنا"», «"تويتر"») is
    # the press's ordinary way of citing a name, not distance
    names = np.flatnonzero((ents["label"] == "NAM") & (ents["type"] == "armed_force"))
    rows = []
    for k in names.tolist():
        s, e = int(ents["start"][k]), int(ents["end"][k])
        before, after = text[s - 1:s] if s else "", text[e:e + 1]
        if before in SCARE_QUOTES and after == SCARE_QUOTES[before]:
            j = int(np.searchsorted(cols["start"], e))  # a cue already on the name says it
            if not ((cols["start"][:j] < e) & (cols["end"][:j] > s)).any():
                rows.append((s - 1, e + 1, ents["canonical_id"][k]))
    if not rows:
        return cols
    n = len(rows)
    extra = {"start": np.array([r[0] for r in rows], np.int64), "end": np.array([r[1] for r in rows], np.int64),
             "label": np.full(n, "LEGITIMACY", dtype=object), "polarity": np.full(n, "-", dtype=object),
             "note": np.full(n, "scare quotes: the name kept at a distance", dtype=object),
             "canonical_id": np.array([r[2] for r in rows], dtype=object)}
    return merge_columns(cols, extra)


class _TargetFinder:
    """The actors around a cue, for the target rules of :func:`framing_columns`.

    Entity columns are held as Python lists and searched with :mod:`bisect`: the rules
    run once per cue, and list lookups cost far less than numpy scalar indexing there.
    """

    def __init__(self, sc: Scan, ents: dict[str, np.ndarray], starts: np.ndarray, ends: np.ndarray):
        """Args: the scan, its entity columns, and the offsets of the cues to find targets for
        (the word windows around each cue are worked out for all of them at once)."""
        self.sc = sc
        self.start, self.end = ents["start"].tolist(), ents["end"].tolist()
        self.cid = ents["canonical_id"].tolist()
        self.adj = (ents["label"] == "ADJ").tolist()
        self.type = ents["type"].tolist()
        # places and events are where and when, not who: a cue's target is an actor
        self.actor = (~np.isin(ents["type"], ["place", "event"])).tolist()
        self.cue_start, self.cue_end = starts.tolist(), ends.tolist()
        self.doc = sc.doc_of(starts).tolist()
        n_tok = sc.tok_start.size
        _first, last = sc.sentence_tokens()
        sent_end = np.where(last >= 0, sc.tok_end[np.maximum(last, 0)], 0)
        # after a cue: its next token, and the offsets where windows of 3, 4 and 8 words end
        after = sc.token_from(ends)
        t = np.minimum(after, max(n_tok - 1, 0))
        ok = (after < n_tok) & (sc.tok_doc[t] == sc.doc_of(ends)) if n_tok else np.zeros(ends.size, bool)
        sentence = np.where(sc.sent[t] >= 0, sent_end[np.maximum(sc.sent[t], 0)], sc.tok_start[t]) \
            if n_tok else np.zeros(ends.size, np.int64)
        self.after_limit = {w: np.where(ok, np.minimum(sc.tok_end[np.minimum(t + w - 1, n_tok - 1)], sentence), -1).tolist()
                            if n_tok else [-1] * ends.size for w in (NEXT_WINDOW, NEXT_WINDOW + 1, RELATION_WINDOW)}
        # before a cue: where windows of 2 and 6 words start, inside the cue's sentence
        before = sc.token_from(starts)
        self.before_limit = {}
        for w in (2, PREV_WINDOW):
            first = np.maximum(before - w, 0)
            if n_tok:
                prev = np.maximum(before - 1, 0)
                for _ in range(w):  # move the window's start into the sentence of the word before the cue
                    move = (first < before - 1) & (sc.sent[np.minimum(first, n_tok - 1)] != sc.sent[prev])
                    first = first + move
                self.before_limit[w] = np.where(before > 0, sc.tok_start[np.minimum(first, n_tok - 1)], -1).tolist()
            else:
                self.before_limit[w] = [-1] * starts.size
        self._main: dict[int, str] = {}

    def _after(self, n: int, words: int, adjectives: bool) -> list[int]:
        """Actors starting after cue ``n`` within ``words`` words and its sentence, in order."""
        limit = self.after_limit[words][n]
        end = self.cue_end[n]
        starts, adj, actor = self.start, self.adj, self.actor
        k = first = bisect_left(starts, end)
        out = []
        while k < len(starts) and starts[k] < limit:
            if actor[k] and (not adj[k] or (adjectives and k == first and not self.sc.text[end:starts[k]].strip())):
                out.append(k)
            k += 1
        return out

    def _before(self, n: int, words: int) -> int:
        """The nearest actor ending within ``words`` words before cue ``n`` in its sentence, or -1."""
        limit, start = self.before_limit[words][n], self.cue_start[n]
        if limit < 0:
            return -1
        ends, adj, actor = self.end, self.adj, self.actor
        k = bisect_left(self.start, start) - 1
        while k >= 0 and (adj[k] or not actor[k]) and ends[k] > limit:
            k -= 1
        return k if k >= 0 and limit < ends[k] <= start else -1

    def find(self, rule: str, n: int, title: bool) -> str:
        """The target rule ``rule`` applied to cue ``n`` ("" when it finds no actor)."""
        cid, start, end = self.cid, self.cue_start[n], self.cue_end[n]
        if rule == "next":
            after = self._after(n, NEXT_WINDOW, adjectives=not title)
            return cid[after[0]] if after else ""
        if rule == "prev":
            k = self._before(n, PREV_WINDOW)
            return cid[k] if k >= 0 else ""
        if rule in ("self", "label"):  # the actor whose mention holds the cue; for self, else
            k = bisect_right(self.start, start) - 1  # the first actor inside it
            while k >= 0 and self.end[k] <= start and self.start[k] >= start - 200:
                k -= 1
            if k >= 0 and self.end[k] > start and self.actor[k] and not self.adj[k]:
                return cid[k]
            if rule == "label":
                return ""
            k = bisect_left(self.start, start)
            while k < len(self.start) and self.start[k] < end:
                if self.actor[k] and not self.adj[k] and self.end[k] <= end:
                    return cid[k]
                k += 1
            return ""
        if rule == "from":
            k = self._before(n, PREV_WINDOW)
            after = self._after(n, NEXT_WINDOW + 1, adjectives=True)
            ids = ([cid[k]] if k >= 0 else []) + ([cid[after[0]]] if after else [])
            return "|".join(dict.fromkeys(ids)) if len(ids) == 2 or (ids and k < 0) else ""
        if rule == "relation":
            k = self._before(n, 2)
            after = self._after(n, RELATION_WINDOW, adjectives=True)
            ids = [cid[k]] + [cid[a] for a in after] if k >= 0 else [cid[a] for a in after]
            ids = list(dict.fromkeys(ids))[:2]
            return "|".join(ids) if len(ids) == 2 else ""
        if rule == "main":
            return self.main(self.doc[n])
        return ""

    def named(self, ids: str, start: int) -> str:
        """A fixed target (ids joined by ``|``), cut down to the actors the cue's text names."""
        doc = int(self.sc.doc_of(start))
        lo, hi = bisect_left(self.start, self.sc.starts[doc]), bisect_left(self.start, self.sc.starts[doc + 1])
        present = set(self.cid[lo:hi])
        return "|".join(a for a in ids.split("|") if a in present)

    def main(self, doc: int) -> str:
        """The state the text names most (names and nisbas; the first named on a tie)."""
        if doc not in self._main:
            a = bisect_left(self.start, self.sc.starts[doc])
            b = bisect_left(self.start, self.sc.starts[doc + 1])
            states = Counter(c for c, t in zip(self.cid[a:b], self.type[a:b]) if t == "state")
            self._main[doc] = states.most_common(1)[0][0] if states else ""  # ties: the first named
        return self._main[doc]
