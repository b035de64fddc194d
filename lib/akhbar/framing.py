"""Framing cues from the codebook (data/framing_cues.csv), with their target actors."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .entities import merge_columns
from .matcher import PhraseMatcher
from .resources import DATA, read_data
from .scan import Scan
from .text import strip_marks

CODES = ("TITLE", "LEGITIMACY", "OCCUPATION_LIBERATION", "ALIGNMENT", "RAPPROCHEMENT_DEESCALATION",
         "MILITARY_COOPERATION", "ECONOMIC_INTEREST", "INFLUENCE", "CONFLICT_ESCALATION",
         "STABILITY_SECURITY", "DYNASTIC")
NOT_A_CUE = "NOT_A_CUE"
"""The code of cue-file rows that only shadow a shorter cue («أركان حرب» is a rank, not a war)."""
NEXT_WINDOW, PREV_WINDOW = 3, 6
"""Words after a cue where ``next`` looks for its actor, and before it for ``prev``."""
RELATION_WINDOW = 8
"""Words after a relation cue where ``relation`` looks for the actors of the relation."""
RULES = ("next", "prev", "self", "from", "relation", "main", "label", "sentence", "pair", "mains",
         "earlier", "prevbody", "nextperson", "agent")
"""Target rules a cue file may give, joined by ``;`` (the first that finds an actor wins; a
chain ending in ``!`` is required: without an actor the cue is dropped); anything else is a
fixed canonical id (ids joined by ``|`` for a relation). ``label`` (the actor whose mention
holds the cue) is tried first for every LEGITIMACY cue."""
FALLBACK = {"pair": ("earlier", "mains"), "one": ("earlier", "sentence"), "label": ("earlier",)}
"""Rules tried after a cue's own when they find no actor: the target the same cue took earlier
in the article; then, for a relation cue (its rules include ``relation`` or ``from``, or its
code is in :data:`PAIR_CODES`), the two states the article is about (``mains``, only when it
is clearly about two); for :data:`PERSONAL_CODES` nothing more; for any other cue, the one
actor its sentence names."""
PAIR_SHARE = 2
"""``mains`` needs each of the two most named states named this many times as often as a third."""
IMPLICIT = {"main": "the state the article names most", "mains": "the two states the article is about",
            "earlier": "as the same cue earlier in the article", "sentence": "the one actor its sentence names"}
"""Rules that give an implicit target (not named next to the cue), and how the cue's note says so."""
PERSONAL_CODES = frozenset(("LEGITIMACY", "TITLE", "DYNASTIC"))
"""Codes whose cue belongs to the noun it names or qualifies (a label, a rank, a kinship term):
they fall back only on the same cue's earlier target, never on what the sentence mentions."""
PAIR_CODES = frozenset(("ALIGNMENT", "RAPPROCHEMENT_DEESCALATION"))
"""Codes whose target is a relation between actors (codebook: alliance, rapprochement)."""
AGENT_FIRST = frozenset(("CONFLICT_ESCALATION", "OCCUPATION_LIBERATION", "INFLUENCE", "STABILITY_SECURITY",
                         "RAPPROCHEMENT_DEESCALATION"))
"""Codes of acts and stances whose agent, when the words after the cue name it, is their target
first (``agent``): a relative clause right after the cue («الكارثة الإنسانية ... التي تسببت بها
ميليشيات الحوثي»), or «من قبل»/«على يد» within :data:`AGENT_WINDOW` words («رهينة للتسويف
... من قبل ميليشيات الحوثي»)."""
AGENT_WINDOW = 6
"""Words after a cue where ``agent`` looks for a relative pronoun (first 2) or an agent phrase."""
RELATIVES = frozenset("الذي التي الذين اللذين اللتين اللذان اللتان".split())
"""Relative pronouns (normalised): the clause's agent follows its verb."""
AGENT_MARKS = frozenset((("من", "قبل"), ("على", "يد"), ("علي", "يد")))
"""Two-word phrases (normalised) that name an act's agent next: «من قبل X», «على يد X»."""
_AGENT_FIRST_WORDS = frozenset(a for a, _ in AGENT_MARKS)
STOP_PREPOSITIONS = frozenset("في داخل خارج الى إلى الي منذ عبر".split())
"""Words after which ``next`` finds no possessor for a label (LEGITIMACY): what follows is a
place or a time («ميليشيات متطرفة في ليبيا»); a situation noun keeps it («النزاع في اليمن»).
Scan words are normalised, so «إلى» is matched as «الي» too."""
FILES = ("framing_cues.csv", "framing_lexicon.csv")
"""The cue files, read in this order: where both list a cue, the first file's row wins."""


@lru_cache(maxsize=4)
def _matcher(path: str | None) -> PhraseMatcher:
    frames = []
    for name in ([Path(path)] if path else [f for f in FILES if (DATA / f).exists()]):
        cues = read_data(name)
        where = path or f"akhbar/data/{name}"
        for i, r in cues.iterrows():
            if r["code"] not in CODES + (NOT_A_CUE,) or r["polarity"] not in {"+", "-", "0"}:
                raise ValueError(f"{where}: row {i + 1} ({r['cue']!r}): unknown code {r['code']!r} "
                                 f"or polarity {r['polarity']!r}")
        frames.append(cues)
    cues = pd.concat(frames, ignore_index=True)
    return PhraseMatcher.from_table(cues, "cue", ("code", "polarity", "target", "note"))


def matchers(path: str | None = None) -> list[PhraseMatcher]:
    """The phrase matcher :func:`framing_columns` runs (the cue files).

    Example:
        >>> from akhbar.scan import scan
        >>> [cues] = matchers()
        >>> cues.columns["code"][cues.find_in(scan("رفض المشير التدخل")).entry].tolist()
        ['TITLE', 'OCCUPATION_LIBERATION']
    """
    return [_matcher(path)]


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
      حكومة طرابلس»), else the next two after it («التقارب بين تركيا وقطر»), each with
      the actors listed with it («الولايات المتحدة وفرنسا وبريطانيا»);
    - ``agent``: the actor a relative clause or «من قبل» after the cue names (tried first
      for acts: :data:`AGENT_FIRST`);
    - ``prevbody``, ``nextperson``: ``prev`` skipping people, ``next`` only a person;
    - ``sentence``, ``pair``: the one or the two actors of the cue's sentence;
    - ``earlier``: the target the same cue took earlier in the article;
    - ``main``, ``mains``: the one or two states the article names most («النزاع» in an
      article on Libya).

    Every chain goes on with :data:`FALLBACK`. Actors are looked for inside the cue's
    sentence; a cue whose rules find none keeps an empty target (tables show it as such),
    or is dropped when its chain ends in ``!``. A fixed target is kept only for actors
    the text names. Cues inside a longer name or a hashtag are part of that name.

    Args:
        sc: The scan.
        ents: Entity columns of the same scan (:func:`akhbar.entities.entity_columns`).

    Returns:
        Arrays ``start, end, label (code), polarity, canonical_id (target), note``
        (offsets into ``sc.text``).

    Example:
        >>> from akhbar.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan("ورفض المشير خليفة حفتر التدخل التركي.")
        >>> cues = framing_columns(sc, entity_columns(sc))
        >>> cues["label"].tolist(), cues["canonical_id"].tolist()
        (['TITLE', 'OCCUPATION_LIBERATION'], ['khalifa_haftar', 'turkey'])
    """
    matcher = _matcher(path)
    m = matcher.find_in(sc)
    if len(m):  # phrases that hold a cue's word in another sense win as the longer match, then go
        m = m.take(matcher.columns["code"][m.entry] != NOT_A_CUE)
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
    if len(m):  # a word of a hashtag («#الدول_الداعية_لمكافحة_الإرهاب») is part of its name
        text = sc.text
        joined = np.array([text[s - 1:s] == "_" or text[e:e + 1] == "_"
                           for s, e in zip(m.start.tolist(), m.end.tolist())], bool)
        if joined.any():
            m = m.take(~joined)
    cols = {"start": m.start, "end": m.end, "label": matcher.columns["code"][m.entry],
            "polarity": matcher.columns["polarity"][m.entry], "note": matcher.columns["note"][m.entry]}
    specs = matcher.columns["target"][m.entry]
    target = np.full(len(m), "", dtype=object)
    if not len(m):
        cols["canonical_id"] = target
        return _with_scare_quotes(sc, ents, cols)
    codes = cols["label"]
    # a legitimacy label that is itself a mention of an actor targets that actor: «النظام السوري»
    # (not for a required chain: «قوات» frames only as «قوات فلان», not inside «قوات سوريا الديمقراطية»)
    text_specs = specs.astype(str)
    required = np.char.endswith(text_specs, "!")
    specs = np.where((codes == "LEGITIMACY") & ~np.char.startswith(text_specs, "self") & ~required,
                     np.char.add("label;", text_specs).astype(object), specs)
    ruled = np.flatnonzero((specs != "") & (specs != "label;"))
    if ruled.size:
        finder = _TargetFinder(sc, ents, m.start[ruled], m.end[ruled])
        # a cue joined by و to what comes before («قرارات مجلس الأمن واتفاق الصخيرات») is listed
        # with it, not qualifying it: ``prev`` does not apply
        forms = [matcher.entries[e][0] for e in m.entry[ruled].tolist()]
        finder.joined = [sc.text[s] == "و" and not f.startswith("و")
                         for s, f in zip(m.start[ruled].tolist(), forms)]
        docs = sc.doc_of(m.start[ruled]).tolist()
        said: dict[tuple[int, int], str] = {}  # (text, cue row) -> the target it took last
        notes = cols["note"] = cols["note"].copy()
        for n, i in enumerate(ruled.tolist()):
            chain = specs[i].rstrip("!").split(";")
            if codes[i] in AGENT_FIRST and chain[-1] in RULES:
                chain = ["agent"] + chain
            if chain[-1] in RULES and not required[i]:  # a fixed or required target stands alone
                if codes[i] in PERSONAL_CODES:
                    chain += FALLBACK["label"]
                else:
                    relational = "relation" in chain or "from" in chain or codes[i] in PAIR_CODES
                    chain += FALLBACK["pair" if relational else "one"]
            # before the article's main state: the target the same cue took earlier in the text
            # (a bare «الاحتلال» repeats «الاحتلال الإسرائيلي»)
            chain = [r for c in chain for r in (("earlier", c) if c == "main" else (c,))]
            key = (docs[n], int(m.entry[i]))
            for rule in chain:
                if rule == "earlier":
                    found = said.get(key, "")
                else:
                    found = finder.find(rule, n, codes[i]) if rule in RULES \
                        else finder.named(rule, int(m.start[i]))
                if found:
                    target[i] = found
                    said[key] = found
                    if rule in IMPLICIT:  # codebook section 2: an implicit target says so in the note
                        notes[i] = f"{notes[i]}; implicit target: {IMPLICIT[rule]}"
                    break
    cols["canonical_id"] = target
    # a cue whose rule ends in "!" frames only with its target there («قوات» + a person)
    missing = required & (target == "")
    if missing.any():
        cols = {k: v[~missing] for k, v in cols.items()}
    return _with_scare_quotes(sc, ents, cols)


CITING = re.compile(r"(?:^|\s)(?:[وفبل]?(?:يعرف|يسمى|تسمى|تنظيمي?)|اسم)\s*(?:بـ?)?\s*$")
"""Words before a quoted name that only cite it («ما يعرف بـ"داعش"», «تنظيم "داعش"», «تحت اسم»):
no distance. («المتحدث باسم "جيش ليبيا الوطني"» is not one: باسم there is "on behalf of".)"""
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
        if before in SCARE_QUOTES and after == SCARE_QUOTES[before] \
                and not CITING.search(strip_marks(text[max(s - 20, 0):s - 1])):
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


_LIST_JOINT = re.compile(r"\s*[،,]?\s*(?:و\s+)?")
_ADJECTIVE = re.compile(r"\s*(?:ال\w+(?:ي|ية|يه)\s+){0,2}")


def _only_adjectives(between: str) -> bool:
    """Whether the words between a cue and a nisba are at most two other adjectives, so the
    nisba still qualifies the cue: «الوجود العسكري الإيراني», «الاحتلال الإسرائيلي»."""
    return _ADJECTIVE.fullmatch(between) is not None


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
        self.joined = [False] * starts.size
        self._setting: list[bool] | None = None
        self._present: dict[int, set[str]] = {}
        self.doc = sc.doc_of(starts).tolist()
        n_tok = sc.tok_start.size
        first_of, last = sc.sentence_tokens()
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
        self._main: dict[int, list[tuple[str, int]]] = {}
        self._main_ids: dict[int, list[str]] = {}
        # where ``next`` stops: the first preposition after the cue («ميليشيات متطرفة في ليبيا»)
        self.stop = self._prepositions(after)
        self.agent_from = self._relative_clauses(after)
        # the cue's sentence, for ``sentence`` and ``pair``
        if n_tok:
            t0 = np.minimum(before, n_tok - 1)
            sid = sc.sent[t0]
            ok0 = sid >= 0
            s_id = np.maximum(sid, 0)
            self.sent_start = np.where(ok0, sc.tok_start[np.maximum(first_of[s_id], 0)], starts).tolist()
            self.sent_end = np.where(ok0, sc.tok_end[np.maximum(last[s_id], 0)], ends).tolist()
        else:
            self.sent_start, self.sent_end = starts.tolist(), ends.tolist()

    def _prepositions(self, after: np.ndarray) -> list[int]:
        """For each cue (``after``: the token after it), the offset of the first preposition
        among the next words (or a large number): an actor after it is a place or a
        circumstance, not the cue's possessor."""
        sc = self.sc
        words = sc.words
        n_tok = sc.tok_start.size
        out = []
        for t in after.tolist():
            stop = 1 << 62
            for k in range(t, min(t + NEXT_WINDOW, n_tok)):
                if words[k] in STOP_PREPOSITIONS:
                    stop = int(sc.tok_start[k])
                    break
            out.append(stop)
        return out

    def _relative_clauses(self, firsts: np.ndarray) -> list[tuple[int, int]]:
        """For each cue (``firsts``: the token after it), the offsets between which the words
        after the cue name its agent: after the verb of a relative clause that starts within 2
        words, or after «من قبل»/«على يد» within :data:`AGENT_WINDOW` words, for 4 words in the
        sentence (``(-1, -1)``: none)."""
        sc = self.sc
        words, n_tok = sc.words, sc.tok_start.size
        # only the cues with a marker word among their next words need the token lists below
        markers = RELATIVES | _AGENT_FIRST_WORDS
        near = [not markers.isdisjoint(words[t:t + AGENT_WINDOW]) for t in firsts.tolist()]
        out = [(-1, -1)] * len(near)
        if not any(near):
            return out
        sent, tok_start, tok_end = sc.sent, sc.tok_start, sc.tok_end

        def clause(k: int, skip: int) -> tuple[int, int]:
            if k + skip >= n_tok or sent[k + skip] != sent[k]:
                return (-1, -1)
            last = min(k + skip + 3, n_tok - 1)
            while sent[last] != sent[k]:
                last -= 1
            return (int(tok_start[k + skip]), int(tok_end[last]))

        for n, t in enumerate(firsts.tolist()):
            if not near[n]:
                continue
            for k in range(t, min(t + AGENT_WINDOW, n_tok)):
                if k > t and sent[k] != sent[t]:
                    break
                if k < t + 2 and words[k] in RELATIVES:  # التي تسببت بها X: after the verb
                    out[n] = clause(k, 2)
                    break
                if k + 1 < n_tok and (words[k], words[k + 1]) in AGENT_MARKS:  # من قبل X, على يد X
                    out[n] = clause(k, 2)
                    break
        return out

    def _after(self, n: int, words: int, adjectives: bool) -> list[int]:
        """Actors starting after cue ``n`` within ``words`` words and its sentence, in order."""
        limit = self.after_limit[words][n]
        end = self.cue_end[n]
        starts, adj, actor = self.start, self.adj, self.actor
        k = first = bisect_left(starts, end)
        out = []
        while k < len(starts) and starts[k] < limit:
            if actor[k] and (not adj[k] or (adjectives and k == first
                                            and _only_adjectives(self.sc.text[end:starts[k]]))):
                out.append(k)
            k += 1
        return out

    def _before(self, n: int, words: int, people: bool = True) -> int:
        """The nearest actor ending within ``words`` words before cue ``n`` in its sentence, or -1
        (with ``people=False``, the nearest that is not a person)."""
        limit, start = self.before_limit[words][n], self.cue_start[n]
        if limit < 0:
            return -1
        ends, adj, actor, kind = self.end, self.adj, self.actor, self.type
        k = bisect_left(self.start, start) - 1
        while k >= 0 and (adj[k] or not actor[k] or (not people and kind[k] == "person")) and ends[k] > limit:
            k -= 1
        return k if k >= 0 and limit < ends[k] <= start else -1

    def find(self, rule: str, n: int, code: str) -> str:
        """The target rule ``rule`` applied to cue ``n`` of code ``code`` ("" when it finds no actor)."""
        title = code == "TITLE"
        cid, start, end = self.cid, self.cue_start[n], self.cue_end[n]
        if rule in ("next", "nextperson"):
            after = self._after(n, NEXT_WINDOW, adjectives=not title)
            if not after or (code == "LEGITIMACY" and self.start[after[0]] >= self.stop[n]):
                return ""  # «ميليشيات في ليبيا»: a place after a preposition is where, not whose
            if rule == "nextperson" and self.type[after[0]] != "person":
                return ""
            return cid[after[0]]
        if rule in ("prev", "prevbody"):
            if self.joined[n]:
                return ""
            k = self._before(n, PREV_WINDOW, people=rule == "prev")
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
            ids = [cid[k]] if k >= 0 else []
            for a in after:  # the next actor with those listed with it («الولايات المتحدة وفرنسا وبريطانيا»)
                ids += [cid[g] for g in self._coordinated(a)]
                if len(dict.fromkeys(ids)) >= 2:
                    break
            ids = list(dict.fromkeys(ids))
            return "|".join(ids) if len(ids) >= 2 else ""
        if rule == "agent":
            lo, hi = self.agent_from[n]
            k = bisect_left(self.start, lo)
            while k < len(self.start) and self.start[k] < hi:
                if self.actor[k] and not self.adj[k]:
                    return cid[k]
                k += 1
            return ""
        if rule in ("sentence", "pair"):
            ids = self._in_sentence(n)
            want = 1 if rule == "sentence" else 2
            return "|".join(ids) if len(ids) == want else ""
        if rule == "main":
            return self.main(self.doc[n])
        if rule == "mains":
            return self.main_pair(self.doc[n])
        return ""

    def _coordinated(self, k: int) -> list[int]:
        """Actor ``k`` with the actors listed after it, joined by و or a comma only
        («الكويت، ومصر، والأردن»; the و is part of each name's span)."""
        group = [k]
        text, starts, ends = self.sc.text, self.start, self.end
        j = k + 1
        while j < len(starts):
            if self.adj[j] and starts[j] < ends[group[-1]]:  # a nisba inside the last name
                j += 1
                continue
            between = text[ends[group[-1]]:starts[j]]
            if not self.actor[j] or self.adj[j] or not _LIST_JOINT.fullmatch(between) \
                    or not (text[starts[j]] == "و" or "،" in between or "," in between):
                break
            group.append(j)
            j += 1
        return group

    def _where(self, k: int) -> bool:
        """Whether actor ``k`` follows a preposition of place or time («في ليبيا»): a setting."""
        if self._setting is None:  # for all actors at once, the first time it is asked
            words = self.sc.words
            before = (self.sc.token_from(np.asarray(self.start, np.int64)) - 1).tolist()
            self._setting = [t >= 0 and words[t] in STOP_PREPOSITIONS for t in before]
        return self._setting[k]

    def _in_sentence(self, n: int) -> list[str]:
        """The distinct actors named in cue ``n``'s sentence, in order; a nisba inside another
        actor's name («وزارة الخارجية الإيرانية») or right after it («حكومة الوفاق الليبية»)
        is part of that name, and a name after «في» or «إلى» is a setting, not an actor."""
        lo, hi = self.sent_start[n], self.sent_end[n]
        starts, ends, text = self.start, self.end, self.sc.text
        k = bisect_left(starts, lo)
        ids, cover = [], -1
        while k < len(starts) and starts[k] < hi:
            qualifies = self.adj[k] and (ends[k] <= cover or (cover >= 0 and not text[cover:starts[k]].strip()))
            if ends[k] <= hi and self.actor[k] and not qualifies and not self._where(k):
                ids.append(self.cid[k])
            cover = max(cover, ends[k])
            k += 1
        return list(dict.fromkeys(ids))

    def named(self, ids: str, start: int) -> str:
        """A fixed target (ids joined by ``|``), cut down to the actors the cue's text names."""
        doc = int(self.sc.doc_of(start))
        if doc not in self._present:  # once per text: a long text holds many such cues
            lo, hi = bisect_left(self.start, self.sc.starts[doc]), bisect_left(self.start, self.sc.starts[doc + 1])
            self._present[doc] = set(self.cid[lo:hi])
        return "|".join(a for a in ids.split("|") if a in self._present[doc])

    def main(self, doc: int) -> str:
        """The state the text names most (names and nisbas; the first named on a tie)."""
        states = self.mains(doc)
        return states[0] if states else ""

    def mains(self, doc: int) -> list[str]:
        """The states the text names, most named first (names and nisbas; the first named on a tie)."""
        if doc not in self._main:
            a = bisect_left(self.start, self.sc.starts[doc])
            b = bisect_left(self.start, self.sc.starts[doc + 1])
            states = Counter(c for c, t in zip(self.cid[a:b], self.type[a:b]) if t == "state")
            self._main[doc] = states.most_common()
            self._main_ids[doc] = [c for c, _ in self._main[doc]]
        return self._main_ids[doc]

    def main_pair(self, doc: int) -> str:
        """The two states a text is about, when it is clearly about two: each named at least
        twice as often as any third state («أزمة» in an article on Turkey and the United States)."""
        self.mains(doc)
        counts = self._main[doc]
        if len(counts) < 2 or (len(counts) > 2 and counts[1][1] < PAIR_SHARE * counts[2][1]):
            return ""
        return f"{counts[0][0]}|{counts[1][0]}"
