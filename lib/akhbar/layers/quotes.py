"""Attributed statements (codebook section 5): speaker, reporting verb, mode and content.

:func:`quote_columns` reads each reporting expression of ``data/reporting.csv`` in three steps:

1. the verb's window (:func:`_windows`): the words after it up to a complementiser, a colon
   or a quotation mark (where its content begins), or a preposition (no content there);
2. the content and its mode (:func:`_contents`, :func:`_modes`): from that word to the end
   of the sentence, ``direct`` inside quotation marks, ``mixed`` or ``indirect``;
3. whether it reports words at all, and who speaks (:func:`_speakers`, one pass in text
   order, a few words around each verb): the explicit subject after or before the verb, a
   description with the name in apposition (a name no list holds is proposed as ``new:``),
   an attribution's or a frame's source, an unnamed kind (``unnamed_sources`` ...), and
   only then an implicit subject that agrees with the verb in gender and number.

Headlines that quote («اليمن: ...») are read by :func:`_headline_frames`.

The words that shape a statement (complementisers, prepositions, negations) are
``data/quote_words.csv``; the words that name a speaker without a name (unnamed kinds,
descriptions, inanimate subjects) ``data/speaker_words.csv``; the verbs followed by an act,
not words («أعلن سيطرته»), ``data/not_statements.csv``.
"""
from __future__ import annotations

import bisect
import re
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..matcher import PhraseMatcher
from ..resources import read_data
from ..scan import MARK, Scan
from ..text import normalize
from .patterns import lexicon as pattern_lexicon
from .patterns import name_slug

OPEN_QUOTES, CLOSE_QUOTES = '"“«', '"”»'
_QUOTE_MARK = re.compile('["“”«»]')
MODES = ("direct", "indirect", "mixed")
"""How a statement is reported (codebook section 5): in quotation marks, in paraphrase, or both."""
SPEAKER_TYPES = {"person", "organization", "state", "armed_force"}
WINDOW = 15
"""Words after the verb where its content may begin and its speaker may stand."""
MAX_AFTER = 8
"""Actors after the verb considered as its speaker: the nearest few (a subject, then what
the content names, which is not the speaker)."""
SUBJECT_REACH = 2
"""Words after a verb within which an actor is its subject: the next word («قال أردوغان»),
or the one after a short adverb («وقال أيضاً أردوغان»); further on, it is an object."""
ATTRIBUTION_REACH = 3
"""The same after an attribution («وفقاً لوزير الخارجية التركي»): a title may come first."""
APPOSITION_REACH = 10
"""Words after a description within which the name it stands for may come («أعلن الأمين العام
المساعد لشؤون فلسطين بالجامعة العربية السفير سعيد أبوعلي»)."""
CONTENT_TRIM = ".،, "
"""Marks dropped from the end of a content (a sentence's full stop, a trailing comma)."""
DOCUMENT_REACH = 5
"""Words before a verb within which what an actor wrote may stand as its subject («ونشر X تغريدة
باللغتين الإنجليزية والفرنسية تشير إلى»)."""
DESCRIBED_AFTER = 4
"""Words after a person's name that may describe them («أحمد المسماري المتحدث باسم ...»); before
it, :data:`APPOSITION_REACH` words («السفير البريطاني لدى اليمن، مايكل ارون»)."""
DESCRIBED_LOOKUP = 8
"""People described so that a description looks at, nearest first: a bound that keeps the pass linear."""


@lru_cache(maxsize=1)
def _quote_words() -> dict[str, dict[str, str]]:
    """``data/quote_words.csv`` by role: word -> value."""
    df = read_data("quote_words.csv")
    out: dict[str, dict[str, str]] = {"complementiser": {}, "stop": {}, "negation": {}, "relative": {},
                                       "circumstance": {}, "opener": {}}
    for i, (word, role, value) in enumerate(zip(df["word"], df["role"], df["value"])):
        if role not in out:
            raise ValueError(f"akhbar/data/quote_words.csv: row {i + 1} ({word!r}): unknown role {role!r} "
                             f"(one of {sorted(out)})")
        out[role][normalize(word, ta_marbuta=True)] = value
    return out


def complementisers() -> dict[str, int]:
    """Complementiser -> letters before the content (a pronoun attached to it stays in).

    Example:
        >>> complementisers()["بانه"]
        3
    """
    return {w: int(v) for w, v in _quote_words()["complementiser"].items()}


def descriptors() -> dict[str, str]:
    """A generic noun right after the verb («وأكدت الوكالة») -> the type of the last speaker
    it names.

    Example:
        >>> descriptors()["الوزاره"]
        'organization'
    """
    return {w: v for w, (role, v, _a) in _speaker_words().items() if role == "description" and w[:1] not in "وف"}


CONJUNCTIONS = ("و", "ف")
"""The only proclitics a reporting verb takes («وقال»); «لنقل» is a noun with a preposition."""


@lru_cache(maxsize=1)
def _reporting() -> pd.DataFrame:
    """``data/reporting.csv``, its kinds checked."""
    df = read_data("reporting.csv")
    kinds = {"verb", "participle", "frame", "attribution", "quote_noun"}
    for i, (form, kind) in enumerate(zip(df["form"], df["kind"])):
        if kind not in kinds:
            raise ValueError(f"akhbar/data/reporting.csv: row {i + 1} ({form!r}): unknown kind {kind!r} "
                             f"(one of {sorted(kinds)})")
    return df


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, str]]:
    """Folded form -> (kind, agree)."""
    df = _reporting()
    return {normalize(f, ta_marbuta=True): (k, a) for f, k, a in zip(df["form"], df["kind"], df["agree"])}


@lru_cache(maxsize=1)
def _clause_start_forms() -> frozenset[str]:
    """Folded forms that report only at the start of a clause (``requires`` ``clause_start``)."""
    df = _reporting()
    return frozenset(normalize(f, ta_marbuta=True) for f in df.loc[df["requires"] == "clause_start", "form"])


def _form_of(word: str) -> tuple[str, str, str]:
    """A folded word as ``(form, kind, agree)`` of reporting.csv, its conjunction dropped
    (``("", "", "")`` when it is none)."""
    forms = _forms()
    if word in forms:
        return (word, *forms[word])
    if word[:1] in CONJUNCTIONS and word[1:] in forms:
        return (word[1:], *forms[word[1:]])
    return "", "", ""


@lru_cache(maxsize=1)
def _speaker_words() -> dict[str, tuple[str, str, str]]:
    """``data/speaker_words.csv``: folded word -> (role, value, agree), with و / ف attached too."""
    df = read_data("speaker_words.csv")
    roles = {"unnamed", "description", "inanimate", "document"}
    out = {}
    for i, (word, role, value, agree) in enumerate(zip(df["word"], df["role"], df["value"], df["agree"])):
        if role not in roles:
            raise ValueError(f"akhbar/data/speaker_words.csv: row {i + 1} ({word!r}): unknown role {role!r} "
                             f"(one of {sorted(roles)})")
        w = normalize(word, ta_marbuta=True)
        for c in ("", *CONJUNCTIONS):
            out.setdefault(c + w, (role, value, agree))
    return out


@lru_cache(maxsize=1)
def _person_stems() -> frozenset[str]:
    """The descriptions of a person in ``data/speaker_words.csv`` without their article: «سفير»."""
    df = read_data("speaker_words.csv")
    df = df[(df["role"] == "description") & (df["value"] == "person")]
    return frozenset(st for w in df["word"] for st in _stems(normalize(w, ta_marbuta=True), conj=False))


@lru_cache(maxsize=1)
def _not_statements() -> frozenset[tuple[str, str]]:
    """``data/not_statements.csv``: (verb, next word) pairs that report an act, folded."""
    df = read_data("not_statements.csv")
    return frozenset((normalize(v, ta_marbuta=True), normalize(n, ta_marbuta=True))
                     for v, n in zip(df["verb"], df["next"]))


@lru_cache(maxsize=1)
def _verb_matcher() -> PhraseMatcher:
    df = _reporting()
    df = df[df["kind"].isin(["verb", "participle", "frame", "attribution"])].reset_index(drop=True)
    return PhraseMatcher.from_table(df, "form", ["kind"])


def matchers() -> list[PhraseMatcher]:
    """The phrase matcher :func:`quote_columns` runs (reporting expressions).

    Example:
        >>> from akhbar.scan import scan
        >>> [verbs] = matchers()
        >>> verbs.columns["kind"][verbs.find_in(scan("وقال المتحدث")).entry].tolist()
        ['verb']
    """
    return [_verb_matcher()]


@dataclass
class _Verbs:
    """The reporting verbs of a scan that start a token, one element per verb.

    Attributes:
        tok: The verb's token; ``kind``: verb, participle, frame or attribution.
        first, last: First and last token of its sentence.
        start, end: Offsets of the verb's first token; ``s_start``, ``s_end``: of its sentence.
        doc: Which text it is in.
    """

    tok: np.ndarray
    kind: np.ndarray
    first: np.ndarray
    last: np.ndarray
    start: np.ndarray
    end: np.ndarray
    s_start: np.ndarray
    s_end: np.ndarray
    doc: np.ndarray

    def take(self, rows: np.ndarray) -> "_Verbs":
        return _Verbs(*(getattr(self, f)[rows] for f in self.__dataclass_fields__))


@dataclass
class _Speakers:
    """The entity mentions that may speak (actors of :data:`SPEAKER_TYPES`, not nisbas), sorted."""

    start: np.ndarray
    end: np.ndarray
    cid: np.ndarray
    person: np.ndarray
    type_of: dict
    state_start: np.ndarray = None  # every mention of a state, nisbas too («البريطاني»), sorted
    state_cid: np.ndarray = None

    @classmethod
    def of(cls, ents: dict[str, np.ndarray]) -> "_Speakers":
        rows = np.flatnonzero(np.isin(ents["type"], list(SPEAKER_TYPES)) & (ents["label"] != "ADJ"))
        types = ents["type"][rows]
        states = np.flatnonzero(ents["type"] == "state")
        states = states[np.argsort(ents["start"][states], kind="stable")]
        return cls(ents["start"][rows].astype(np.int64), ents["end"][rows].astype(np.int64),
                   ents["canonical_id"][rows], types == "person",
                   dict(zip(ents["canonical_id"][rows].tolist(), types.tolist())),
                   ents["start"][states].astype(np.int64), ents["canonical_id"][states])

    def states_in(self, start: int, end: int) -> set[str]:
        """The states named (or given as a nisba) between two offsets."""
        a, b = np.searchsorted(self.state_start, [start, end])
        return set(self.state_cid[a:b].tolist())


def quote_columns(sc: Scan, ents: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Reporting events of every text of a scan, as columns.

    Reporting expressions (``data/reporting.csv``) are found in the scan view; each is
    read inside its sentence: the speaker before or after the verb (or the previous
    speaker, a descriptor such as «الوزارة», or unnamed sources), the content after
    a complementiser, colon or quotation mark, and the mode from its quotation marks.

    Args:
        sc: The scan.
        ents: Entity columns of the same scan (:func:`akhbar.layers.entities.entity_columns`).

    Returns:
        Arrays ``start`` (the verb) .. ``end`` (end of content), ``label``
        (direct|indirect|mixed), ``canonical_id`` (speaker, or unnamed_observers /
        unnamed_reports), ``verb, via, content_start, content_end, note`` (offsets
        into ``sc.text``).

    Example:
        >>> from akhbar.layers.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan("وقال أردوغان إن تركيا ستدعم ليبيا.")
        >>> q = quote_columns(sc, entity_columns(sc))
        >>> q["canonical_id"].tolist(), q["label"].tolist(), sc.text[q["content_start"][0]:q["content_end"][0]]
        (['erdogan'], ['indirect'], 'تركيا ستدعم ليبيا')
    """
    verbs = _verbs(sc)
    speakers = _Speakers.of(ents)
    stop_at, stop, window_end = _windows(sc, verbs, speakers)
    c_start, c_end = _contents(sc, verbs, stop_at)
    c_end = _quotation_ends(sc.text, c_start, c_end)
    c_end = _before_next_participle(sc.text, verbs, c_start, c_end)
    has = c_end > c_start  # a verb with nothing after it in its sentence reports nothing
    verbs, stop, window_end, c_start, c_end = (verbs.take(has), stop[has], window_end[has], c_start[has],
                                               c_end[has])
    keep, verb_tok, speaker, via, note = _speakers(sc, verbs, speakers, stop, c_start, c_end)
    verb_tok, c_start, c_end = verb_tok[keep], c_start[keep], c_end[keep]
    speaker, via, note = speaker[keep], via[keep], note[keep]
    h_tok, h_speaker, h_start, h_end = _headline_frames(sc, speakers)
    # «تركيا: أردوغان يكشف ...»: a headline with a report of its own after the colon has a rubric
    h_end_tok = sc.token_from(h_end)
    own = np.searchsorted(np.sort(verb_tok), h_end_tok) > np.searchsorted(np.sort(verb_tok), h_tok)
    h_tok, h_speaker, h_start, h_end = h_tok[~own], h_speaker[~own], h_start[~own], h_end[~own]
    if h_tok.size:  # «البشير من القاهرة: ...»: a headline's speaker and colon
        verb_tok = np.concatenate([verb_tok, h_tok])
        c_start, c_end = np.concatenate([c_start, h_start]), np.concatenate([c_end, h_end])
        speaker, via = np.concatenate([speaker, h_speaker]), np.concatenate([via, np.full(h_tok.size, "", object)])
        note = np.concatenate([note, np.full(h_tok.size, "headline: speaker and colon", object)])
        order = np.argsort(verb_tok, kind="stable")
        verb_tok, c_start, c_end, speaker, via, note = (a[order] for a in (verb_tok, c_start, c_end, speaker, via, note))
    start, end = sc.tok_start[verb_tok].astype(np.int64), sc.tok_end[verb_tok].astype(np.int64)
    c_start = np.maximum(c_start, end)  # a frame's verb is its «قوله»: the content follows it
    c_end = np.maximum(c_end, c_start)
    text = sc.text
    return {"start": start, "end": np.maximum(c_end, end), "label": _modes(text, c_start, c_end),
            "canonical_id": speaker, "verb": np.array([text[a:b] for a, b in zip(start.tolist(), end.tolist())],
                                                      dtype=object),
            "via": via, "content_start": c_start, "content_end": c_end, "note": note}


HEADLINE_PLACE = 3
"""Words a headline's speaker may be followed by before its colon: a place («البشير من القاهرة:»)."""


def _headline_frames(sc: Scan, speakers: _Speakers) -> tuple[np.ndarray, ...]:
    """Headlines that quote: a text's first line (when more lines follow) that opens with an
    actor who may speak, then a colon, maybe after «من» and a place («اليمن: ...»).

    Returns:
        Arrays: the colon's token, the speaker, and the content's start and end offsets.
    """
    out = ([], [], [], [])
    words, text = sc.words, sc.text
    firsts = sc.token_from(sc.starts[:-1]).tolist()
    for d, k in enumerate(firsts):
        line_end = text.find("\n", int(sc.starts[d]), int(sc.starts[d + 1]) - 1)
        if line_end < 0 or k >= len(words) or int(sc.tok_start[k]) >= line_end:
            continue
        r = int(np.searchsorted(speakers.start, sc.tok_start[k]))
        if r >= speakers.start.size or speakers.start[r] != sc.tok_start[k]:
            continue
        j = int(sc.token_from([speakers.end[r]])[0])
        if j < len(words) and words[j] == "من":
            j += next((n for n in range(1, HEADLINE_PLACE + 1) if j + n < len(words) and words[j + n] == ":"),
                      HEADLINE_PLACE + 1)
        if j + 1 < len(words) and words[j] == ":" and int(sc.tok_start[j + 1]) < line_end:
            e = line_end
            while e > sc.tok_start[j + 1] and text[e - 1] in CONTENT_TRIM:
                e -= 1
            for lst, val in zip(out, (j, speakers.cid[r], int(sc.tok_start[j + 1]), e)):
                lst.append(val)
    return (np.array(out[0], np.int64), np.array(out[1], dtype=object), np.array(out[2], np.int64),
            np.array(out[3], np.int64))


def _verbs(sc: Scan) -> _Verbs:
    """The reporting verbs found in the scan that begin at a token."""
    matcher = _verb_matcher()
    found = matcher.find_in(sc)
    tok = sc.token_from(found.start)
    ok = (tok < sc.tok_start.size) & np.isin(found.prefix, ["", *CONJUNCTIONS])
    ok[ok] &= sc.tok_start[tok[ok]] == found.start[ok]
    tok = tok[ok].astype(np.int64)
    first_of, last_of = sc.sentence_tokens()
    sent = sc.sent[tok]
    first, last = first_of[sent], last_of[sent]
    return _Verbs(tok, matcher.columns["kind"][found.entry[ok]], first, last,
                  sc.tok_start[tok].astype(np.int64), sc.tok_end[tok].astype(np.int64),
                  sc.tok_start[first].astype(np.int64), sc.tok_end[last].astype(np.int64),
                  sc.tok_doc[tok].astype(np.int64))


def _window_tokens(sc: Scan, verbs: _Verbs) -> np.ndarray:
    """The tokens that stand in some verb's window (after it, within :data:`WINDOW` words and
    one more, in its sentence), sorted: the only ones whose words are looked at."""
    n_tok = sc.tok_start.size
    lo = verbs.tok + 1
    hi = np.minimum(verbs.last, verbs.tok + WINDOW + 1) + 1  # one past the window's last token
    cover = np.zeros(n_tok + 2, np.int64)
    np.add.at(cover, lo, 1)
    np.add.at(cover, hi, -1)
    return np.flatnonzero(np.cumsum(cover)[:n_tok] > 0)


def _next_flagged(flagged: np.ndarray, after: np.ndarray) -> np.ndarray:
    """For each token ``after``, the first of the sorted tokens ``flagged`` beyond it (or a
    number past every token)."""
    k = np.searchsorted(flagged, after, side="right")
    return np.where(k < flagged.size, flagged[np.minimum(k, max(flagged.size - 1, 0))] if flagged.size else 0,
                    np.iinfo(np.int64).max)


def _windows(sc: Scan, verbs: _Verbs, speakers: _Speakers) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each verb's window ends.

    The window runs over the words after the verb in its sentence, at most :data:`WINDOW`:
    it stops at a complementiser, a colon or an opening quotation mark (not for an
    attribution: «وفق "..."» quotes a name), where the content begins (``stop_at``), or at
    a preposition of ``stop`` role, unless that word is a speaker's name («علي»).

    Returns:
        ``(stop_at, stop, window_end)``: the token where the content begins (-1: none), the
        first token past the window, and the offset where the window ends (the stopping
        word's start, else its sentence's end).
    """
    words, tok_start = sc.words, sc.tok_start
    seen = _window_tokens(sc, verbs)
    qw = _quote_words()
    comps, stops = qw["complementiser"], qw["stop"]
    named = set(speakers.start.tolist())
    marks = (sc.tok_kind[seen] == MARK).tolist()
    # every word of a window flagged once: content opens (1, 2 for a quotation mark) or the window breaks (3)
    flag = np.array([1 if w in comps or w == ":" else 2 if m and w in OPEN_QUOTES else
                     3 if w in stops and s not in named else 0
                     for w, m, s in zip((words[t] for t in seen.tolist()), marks, tok_start[seen].tolist())],
                    np.int64).reshape(-1)
    attribution = verbs.kind == "attribution"
    opens = _next_flagged(seen[(flag == 1) | (flag == 2)], verbs.tok)
    opens_attr = _next_flagged(seen[flag == 1], verbs.tok)
    opens = np.where(attribution, opens_attr, opens)
    breaks = _next_flagged(seen[flag == 3], verbs.tok)
    limit = np.minimum(verbs.last, verbs.tok + WINDOW)
    stop_at = np.where((opens < breaks) & (opens <= limit), opens, -1)
    j = np.minimum(np.minimum(opens, breaks), limit + 1)  # the first word not in the window
    window_end = np.where(j <= verbs.last, tok_start[np.minimum(j, tok_start.size - 1)] if tok_start.size else 0,
                          verbs.s_end)
    return stop_at.astype(np.int64), j.astype(np.int64), window_end.astype(np.int64)


def _contents(sc: Scan, verbs: _Verbs, stop_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of each verb's content.

    It begins after a complementiser (its attached pronoun included: «أنه»), after a colon,
    at an opening quotation mark, or else right after the verb; it ends with the sentence,
    without :data:`CONTENT_TRIM` marks.
    """
    text, words, tok_start, tok_end = sc.text, sc.words, sc.tok_start, sc.tok_end
    n_tok = tok_start.size
    comps = complementisers()
    c_start = []
    for i, stop, last, we in zip(verbs.tok.tolist(), stop_at.tolist(), verbs.last.tolist(), verbs.end.tolist()):
        if stop < 0:
            c_start.append(int(tok_start[i + 1]) if i + 1 <= last else we)
            continue
        word = words[stop]
        after = int(tok_start[stop + 1]) if stop + 1 <= last and stop + 1 < n_tok else int(tok_end[stop])
        if word in comps:
            s = int(tok_start[stop]) + comps[word]
            c_start.append(s if s < tok_end[stop] else after)
        elif word == ":":
            c_start.append(after)
        else:
            c_start.append(int(tok_start[stop]))
    c_end = []
    for s, e in zip(c_start, verbs.s_end.tolist()):
        while e > s and text[e - 1] in CONTENT_TRIM:  # from the end: no copy of a long content
            e -= 1
        c_end.append(max(e, s))
    return np.array(c_start, np.int64), np.array(c_end, np.int64)


def _quotation_ends(text: str, c_start: np.ndarray, c_end: np.ndarray) -> np.ndarray:
    """Content ends moved to the closing quotation mark of a quotation the content opens but
    its sentence does not close («قال: "... . ... ."»: the quotation runs over several sentences),
    when that mark is in the same paragraph.

    Example:
        >>> text = 'قال: "الحل سياسي. الحوار مستمر" ثم غادر.'
        >>> int(_quotation_ends(text, np.array([5]), np.array([16]))[0]) == text.index("ثم") - 1
        True
    """
    marks = np.array([m.start() for m in _QUOTE_MARK.finditer(text)], np.int64)
    lines = np.array([m.start() for m in re.finditer("\n", text)] + [len(text)], np.int64)
    out = c_end.copy()
    for i, (s, e) in enumerate(zip(c_start.tolist(), c_end.tolist())):
        a, b = np.searchsorted(marks, [s, e])
        if (b - a) % 2 == 0 or b >= marks.size or text[int(marks[b - 1])] in "”»":
            continue  # every quotation closed, or none left to close it
        if marks[b] < lines[np.searchsorted(lines, e)]:
            out[i] = int(marks[b]) + 1
    return out


HEAD_WORDS = 8
"""Words a content may have before its quotation and still be that quotation, when they end in
a colon, a preposition (maybe with a complementiser: «إلى أن») and report nothing themselves
(«المتحدث في بيانه إلى»)."""
def _before_next_participle(text: str, verbs: "_Verbs", c_start: np.ndarray, c_end: np.ndarray) -> np.ndarray:
    """Content ends moved before a participle that comes next in the same sentence, which
    reports on its own («قال إن ...، مضيفاً أن ...»: two reports, two contents); a report
    around both keeps its content («وأضافت الوكالة أن X أكد ...، قائلاً»: it relays both)."""
    out = c_end.copy()
    for v in range(verbs.tok.size - 1):
        nxt = v + 1
        if verbs.kind[nxt] == "participle" and verbs.first[nxt] == verbs.first[v] \
                and c_start[v] < verbs.start[nxt] < out[v]:
            e = int(verbs.start[nxt])
            while e > c_start[v] and text[e - 1] in CONTENT_TRIM + "و":
                e -= 1
            out[v] = e if e > c_start[v] else out[v]
    return out


QUOTATION_TAIL = ("،", ",", ".", "في", "خلال", "بعد", "عقب", "وذلك", "حسب", "بحسب", "وفق", "وفقا")
"""Words after a content's opening quotation that are the frame's, not the speaker's («"..."، في
إشارة إلى ...», «"..." في بيان»): the content is that quotation."""


def _modes(text: str, c_start: np.ndarray, c_end: np.ndarray) -> np.ndarray:
    """``direct`` for a content that is one quotation, ``mixed`` for quoted words inside
    it, else ``indirect``. The quotation marks of the text are found once and counted per
    content by position, so long contents cost no more than short ones.

    A content is still one quotation after a few words that end in a colon, a preposition
    or a complementiser outside the marks («بومبيو: "..."», «على "..."», :data:`HEAD_WORDS`),
    and before a tail of :data:`QUOTATION_TAIL` («"..."، في إشارة إلى») that holds no
    complementiser, when it quotes three words or more (not a term: «"ضعيفة" في تقريره»).

    Example:
        >>> text = 'وشدد على "الحوار" وقال: "الحل سياسي الآن"، في إشارة إلى ليبيا.'
        >>> _modes(text, np.array([5, 24]), np.array([17, len(text) - 1])).tolist()
        ['direct', 'direct']
    """
    marks = np.array([m.start() for m in _QUOTE_MARK.finditer(text)], np.int64)
    leads, comps = _quote_words()["stop"], complementisers()
    modes = []
    for s, e in zip(c_start.tolist(), c_end.tolist()):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        a = int(np.searchsorted(marks, s, side="left"))
        n = int(np.searchsorted(marks, e, side="left")) - a
        if n == 2 and text[s] not in OPEN_QUOTES:
            head = normalize(text[s:int(marks[a])], ta_marbuta=True).replace(":", " : ").split()
            if head and len(head) <= HEAD_WORDS and (head[-1] in (":", *leads) or comps.get(head[-1]) == len(
                    head[-1]) and len(head) > 1 and head[-2] in leads) and not any(
                    _form_of(w)[0] for w in head):
                s = int(marks[a])  # «بومبيو: "..."», «على "..."», «إلى أن "..."»: the content is the quotation
        tail = normalize(text[int(marks[a + 1]) + 1:e], ta_marbuta=True).split() if n == 2 else []
        if n == 2 and text[s] in OPEN_QUOTES and (
                text[e - 1] in CLOSE_QUOTES
                or tail and (tail[0][:1] in QUOTATION_TAIL or tail[0] in QUOTATION_TAIL) and not any(w in comps for w in tail)
                and len(text[s:int(marks[a + 1])].split()) >= 3):
            modes.append("direct")
        else:
            modes.append("mixed" if n >= 2 else "indirect")
    return np.array(modes, dtype=object)


def _paragraph_starts(text: str) -> list[int]:
    """Offsets where each line (paragraph) of a scan's text begins."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _proposed_name(words: list[str], kinds: np.ndarray, lo: int, hi: int, svo: bool = False) -> str:
    """A person's name no list holds, in apposition to a description between tokens ``lo``
    and ``hi``: a listed first name (``data/first_names.csv``) and the word after it
    («الباحثة في الشؤون الليبية، هدى مزيودات»), or with ``svo`` the words from a first name
    to the verb at ``hi``, as a proposed actor id (``new:``, as the pattern layer writes
    them); ``""`` when there is none."""
    lex = pattern_lexicon()
    if svo:  # the name runs from a first name up to the verb at ``hi``: «... أنييس فون در مول أكدت»
        k = next((k for k in range(lo, hi - 1) if words[k] in lex["first"]), -1)
        if k < 0 or any(kinds[j] == MARK or words[j] in complementisers() or words[j] in ("قد", "لقد")
                        for j in range(k, hi)):
            return ""
        return name_slug(words[k:hi])
    for k in range(lo, hi):
        if words[k] in lex["first"] and kinds[k + 1] != MARK and words[k + 1] not in lex["stop_all"] \
                and words[k + 1] not in complementisers():
            return name_slug([words[k], words[k + 1]])
    return ""


def _stems(word: str, conj: bool = True) -> set[str]:
    """A folded word without its article or a preposition before it, with and (if ``conj``)
    without a leading و / ف (a conjunction or the word's own letter): «والمتحدث» -> «متحدث».

    Example:
        >>> sorted(_stems("للسفير")), sorted(_stems("وزير"))
        (['سفير'], ['زير', 'وزير'])
    """
    out = set()
    for w in (word, word[1:]) if conj and word[:1] in CONJUNCTIONS and len(word) > 3 else (word,):
        if w.startswith("لل"):
            w = w[2:]
        elif w[:1] in "لب" and w[1:3] == "ال":
            w = w[1:]
        out.add(w[2:] if w.startswith("ال") and len(w) > 3 else w)
    return out


def _feminine_head(word: str) -> bool:
    """Whether a word is a feminine description of a body (``data/speaker_words.csv``), with
    or without its article and proclitics: «لوكالة», «صحيفة»."""
    sw = _speaker_words()
    for stem in (word, word[1:], word[2:]):
        for w in (stem, "ال" + stem):
            role, _value, agree = sw.get(w, ("", "", ""))
            if role == "description" and agree == "f":
                return True
    return False


def _gender(sc: Scan, speakers: _Speakers, row: int) -> str:
    """What a speaker agrees with by default: a state or a body named by a feminine noun
    (its first word ends in ة, or its head noun before it: «وكالة "الأناضول"») is ``f``, a plural («الحوثيون») ``p``, a person and anything
    else ``m`` (a woman is learnt from a feminine verb she is the explicit subject of)."""
    typ = speakers.type_of.get(speakers.cid[row], "")
    if typ == "state":
        return "f"
    if typ == "person":
        return "m"
    k = int(sc.token_from([speakers.start[row]])[0])
    word = sc.words[k] if k < len(sc.words) else ""
    j = k - 1 if k >= 1 and sc.tok_kind[k - 1] != MARK else k - 2  # «وكالة "الأناضول"»: its head noun
    head = sc.words[j] if j >= 0 else ""
    if word.endswith("ه") or _feminine_head(head):
        return "f"
    if word.endswith("ات"):  # «ميليشيات», «قوات»: a plural of things or bodies agrees as feminine
        return "f"
    return "p" if word.endswith(("ون", "يين")) else "m"


def _agrees_after(verb: str, subject: str) -> bool:
    """Whether a verb may have this subject right after it: a verb before its subject is
    singular («قال المسؤولون»), so only a gender clash («ووصف التقارير») rules it out."""
    return not verb or not subject or {verb, subject} != {"m", "f"} and not (verb == "f" and subject == "p")


def _agrees(verb: str, speaker: str) -> bool:
    """Whether a verb of agreement ``verb`` (reporting.csv) may have this subject."""
    return not verb or not speaker or verb == speaker


class _Reader:
    """State of :func:`_speakers` inside one text: the reports so far, what they agree with."""

    def __init__(self) -> None:
        self.last = ""  # speaker of the previous report
        self.last_para = -1
        self.last_tok = -10
        self.last_sent = -1
        self.last_content = -1
        self.last_of_type: dict[str, str] = {}
        self.history: deque = deque(maxlen=6)  # (speaker, paragraph) of recent reports
        self.open: deque = deque()  # (speaker, content end, content start) of reports still open
        self.gender: dict[str, str] = {}  # what a speaker agrees with, learnt from its verbs
        self.proposed: dict[str, str] = {}  # the last word of a proposed name -> its id («مزيودات»)
        self.relayed: set[str] = set()  # unnamed kinds that relayed a report («نقل مسؤول عن X قوله»)


def _speakers(sc: Scan, verbs: _Verbs, speakers: _Speakers, stop: np.ndarray, c_start: np.ndarray,
              c_end: np.ndarray) -> tuple[np.ndarray, ...]:
    """Whether each found verb reports words, its verb token, speaker, ``via`` and note, in
    text order; every verb looks at a few words around it, so the pass is linear.

    Rules, in turn: a participle right after another report's verb is part of it («وتابع
    قائلاً»), else it continues the previous speaker; a frame («نقلت X عن Y قوله») needs
    «عن» or «على لسان», takes Y as speaker, X as ``via`` and «قوله» as its verb; an
    attribution («وفقاً لـ», «بحسب») needs a speaker within :data:`ATTRIBUTION_REACH` words,
    and leaves «وفق ما ذكرته» to the verb after «ما». A verb followed by an act («أعلن
    سيطرته») or with an inanimate subject («أكدت إشارات») is dropped. Then the explicit
    subject: right after the verb (a name, an unnamed kind such as «مصادر», or a
    description such as «المتحدث» with the name in apposition after it, else the last
    speaker of its type), right before a verb without «و» («أردوغان قال»), further in its
    window. Last, the implicit subject: the previous speaker if the verb agrees with it
    (قال: a man; قالت: a woman, a state, a body; قالوا: people) and stands in the same
    paragraph, else an agreeing actor named before the verb in its sentence, else an
    earlier agreeing speaker unless the paragraph names another actor who agrees. A report
    inside another's content by someone else is ``via`` that speaker (the nearest one).
    """
    words, text = sc.words, sc.text
    n_tok = len(words)
    tok_start, tok_end = sc.tok_start, sc.tok_end
    sw, acts, comps = _speaker_words(), _not_statements(), complementisers()
    clause_start = _clause_start_forms()
    negations, relatives, openers = _quote_words()["negation"], _quote_words()["relative"], _quote_words()["opener"]
    circumstances, stops = _quote_words()["circumstance"], _quote_words()["stop"]
    cid = speakers.cid.tolist()
    sp_start, sp_end = speakers.start.tolist(), speakers.end.tolist()
    sp_tok = sc.token_from(speakers.start).tolist()
    sp_last_tok = (sc.token_from(speakers.end) - 1).tolist()
    first_at: dict[int, int] = {}
    ending_at: dict[int, int] = {}
    for r, (a, b) in enumerate(zip(sp_tok, sp_last_tok)):
        first_at.setdefault(a, r)
        ending_at[b] = r
    types = [speakers.type_of.get(c, "") for c in cid]
    row_of: dict[str, int] = {}
    for r, c in enumerate(cid):
        row_of.setdefault(c, r)
    default_gender: dict[str, str] = {}

    def gender_of_id(c: str) -> str:
        """What a speaker agrees with: learnt in this text («قالت هدى»), else by default."""
        if c in state.gender:
            return state.gender[c]
        if c not in default_gender:
            default_gender[c] = _gender(sc, speakers, row_of[c]) if c in row_of else ""
        return default_gender[c]

    def gender(r: int) -> str:
        return gender_of_id(cid[r])

    paras = _paragraph_starts(text)
    n = verbs.tok.size
    keep = np.ones(n, bool)
    verb_tok = verbs.tok.copy()
    out_speaker = np.full(n, "", dtype=object)
    out_via = np.full(n, "", dtype=object)
    out_note = np.full(n, "", dtype=object)
    state, current = _Reader(), -1

    types_of_id = speakers.type_of
    value_types = {(w[2:] if w.startswith("ال") else w): v for w, (role, v, _a) in sw.items()
                   if role == "description" and v in ("person", "organization") and w[:1] not in CONJUNCTIONS}
    rows_of: dict[str, list[int]] = {}
    for r, c in enumerate(cid):
        rows_of.setdefault(c, []).append(r)

    # who the text describes how: a person's name and the descriptions around it in its sentence
    # («السفير البريطاني لدى اليمن، مايكل ارون»: an ambassador), up to another person, a quotation
    # mark («مناورات "الأسد المتأهب"» names no one) or a «باسم» before it («متحدث باسم القائد ...
    # خليفة حفتر»: Haftar is the commander, not the spokesman)
    person_stems = _person_stems()
    sent_first, sent_last = sc.sentence_tokens()
    described: dict[tuple[int, str], list[tuple[int, int, int, int]]] = {}
    for r in np.flatnonzero(speakers.person).tolist():
        a, b = sp_tok[r], sp_last_tok[r]
        if a >= n_tok or sc.sent[a] < 0:
            continue
        s_lo, s_hi = int(sent_first[sc.sent[a]]), int(sent_last[sc.sent[a]])
        lo = a
        while lo - 1 >= max(s_lo, a - APPOSITION_REACH) and words[lo - 1] != "باسم" \
                and words[lo - 1] not in OPEN_QUOTES + CLOSE_QUOTES and not (
                types[ending_at.get(lo - 1, r)] == "person" and ending_at.get(lo - 1, r) != r
                or words[lo - 1] in comps or _form_of(words[lo - 1])[0]):
            lo -= 1
        hi = b
        while hi + 1 <= min(s_hi, b + DESCRIBED_AFTER) and not (
                types[first_at.get(hi + 1, r)] == "person" and first_at.get(hi + 1, r) != r
                or words[hi + 1] in comps or _form_of(words[hi + 1])[0]):
            hi += 1
        d = int(sc.tok_doc[a])
        # «الوزير» inside a description mention too; not two descriptions in a row («مبعوث الرئيس X»,
        # «نائب الرئيس X»): one of them is someone else's
        stems = [_stems(words[k]) & person_stems for k in range(lo, hi + 1)]
        for i, st in enumerate(stems):
            if st and not (i > 0 and stems[i - 1]) and not (i + 1 < len(stems) and stems[i + 1]):
                for one in st:
                    described.setdefault((d, one), []).append((sp_start[r], r, lo, hi))

    def by_description(stem: str, lo: int, hi: int, before: int, forward: bool, prefer: tuple = ()) -> str:
        """The person the text describes by ``stem`` (``described``) whose states agree with those
        of the description at tokens lo..hi («السفير البريطاني»: a British one): one of the recent
        speakers ``prefer`` described so, else the nearest one named before offset ``before``, else
        with ``forward`` the first one named after the verb («متحدث باسم ...» in a headline, named
        in the body); ``""`` when there is none."""
        found = described.get((current, stem), [])
        if not found or sw.get(stem, ("",))[0] == "unnamed":
            return ""  # «وقال المسؤول» after «قال مسؤول»: the unnamed official, not a named one
        own = speakers.states_in(int(tok_start[lo]), int(tok_end[hi]))
        # a head without its article takes a complement that must describe them too: «رئيس الوزراء»
        # is no «الرئيس الفرنسي», «رئيس مجلس النواب» no prime minister («متحدث باسم X»: X may differ)
        of = _stems(words[lo + 1]) if lo < hi and not words[lo].startswith(("ال", "وال", "فال")) \
            and words[lo + 1] != "باسم" and sc.tok_kind[lo + 1] != MARK else set()

        # a head with its article is first looked for as written, with its nisba («الرئيس التركي» is
        # one called so, before «رئيس الوزراء» or a president named beside «تركيا»)
        definite = "ال" + stem if words[lo].startswith(("ال", "وال", "فال")) else ""
        nisba = _stems(words[lo + 1]) if definite and lo < hi and words[lo + 1].startswith("ال") else set()

        def fits(c: tuple[int, int, int, int], level: int = 0) -> bool:
            """Level 2: called by the head with its article and nisba, 1: by the head with its
            article, 0: by the head; and no other state than the description's (-1: by the head
            and with a state of the description's)."""
            theirs = speakers.states_in(int(tok_start[c[2]]), int(tok_end[c[3]]))
            if level < 0:
                return fits(c) and (not own or bool(own & theirs))
            if of and not any(of & _stems(words[k]) for k in range(c[2], c[3] + 1)):
                return False
            if level and not any(definite in (w, w[1:]) for w in words[c[2]:c[3] + 1]):
                return False
            if level == 2 and nisba and not any(nisba & _stems(w) for w in words[c[2]:c[3] + 1]):
                return False
            return not own or not theirs or bool(own & theirs)

        i = bisect.bisect_left(found, (before,))
        near = found[max(0, i - DESCRIBED_LOOKUP):i]
        # a recent speaker described so, else the nearest one: first as written, then by the head
        for strict in (True, False) if definite else (False,):
            level = 2 if strict else 0
            for who in prefer[:DESCRIBED_LOOKUP]:
                if any(cid[c[1]] == who and (fits(c, 2) if strict else fits(c, 1) or fits(c, -1)) for c in near):
                    return who
            for c in reversed(near):
                if fits(c, level):
                    return cid[c[1]]
        if forward:
            j = bisect.bisect_left(found, (int(tok_end[hi]),))
            for c in found[j:j + DESCRIBED_LOOKUP]:
                if fits(c):
                    return cid[c[1]]
        return ""

    def called(who: str, stem: str, before: int) -> bool:
        """Whether a mention of ``who`` before offset ``before`` in this text, or the words
        just around it, hold the description («وزير خارجية تركيا مولود ...» for «الوزير»)."""
        if types_of_id.get(who) not in (value_types.get(stem), None) and value_types.get(stem):
            return False
        lo = int(sc.starts[current])
        for r in rows_of.get(who, [])[:50]:
            if lo <= sp_start[r] < before:
                a = max(sp_tok[r] - 6, 0)
                if any(stem in w for w in words[a:sp_last_tok[r] + 4]):  # «X، المتحدث باسم ...»
                    return True
        return False

    def bare(k: int) -> bool:
        """Whether the subject ends before token k (a complementiser, a mark, another report)."""
        return k > last or words[k] in comps or sc.tok_kind[k] == MARK or bool(_form_of(words[k])[0])

    def oblique(r: int) -> bool:
        """A body named by a plural in the oblique case («الحوثيين») is no verb's subject."""
        return types[r] not in ("person", "state") and words[sp_tok[r]].endswith("ين")

    def in_phrase(k: int) -> bool:
        """Whether the word at token k follows a preposition, attached («لوزير») or a word or two
        before it («على موقع تويتر»): the object of the preposition."""
        return words[k][:1] in "لب" and words[k][1:3] == "ال" or any(
            words[j] in stops or words[j] in circumstances or words[j] in ("عن", "من", "عبر")
            for j in range(max(k - 2, 0), k))

    def speaker_in(lo: int, hi: int) -> int:
        """The first speaker starting at tokens lo..hi (-1: none)."""
        for k in range(lo, hi + 1):
            if k in first_at:
                return first_at[k]
        return -1

    def unnamed_at(lo: int, hi: int, preposition: bool = False) -> tuple[int, str, str]:
        """The first unnamed kind at tokens lo..hi: its token, kind and what it agrees with
        (-1, "", "" for none); with ``preposition`` also after «ل» / «ب» («وفقاً لمسؤول»)."""
        for k in range(lo, hi + 1):
            role, value, agree = sw.get(words[k], ("", "", ""))
            if role != "unnamed" and preposition and words[k][:1] in "لب":
                role, value, agree = sw.get(words[k][1:], ("", "", ""))
            if role == "unnamed":
                return k, value, agree
        return -1, "", ""

    def unnamed_in(lo: int, hi: int, preposition: bool = False) -> tuple[str, str]:
        """The first unnamed kind at tokens lo..hi and what it agrees with (see :func:`unnamed_at`)."""
        return unnamed_at(lo, hi, preposition)[1:]

    for v in range(n):
        t, doc, first, last = int(verbs.tok[v]), int(verbs.doc[v]), int(verbs.first[v]), int(verbs.last[v])
        kind, ws = verbs.kind[v], int(verbs.start[v])
        if doc != current:
            state, current = _Reader(), doc
        form, _kind, agree = _form_of(words[t])
        conj = words[t] != form  # «وقال»: the clause begins at the verb, its subject follows
        if form in clause_start and not (conj or t == first or sc.tok_kind[t - 1] == MARK):
            keep[v] = False  # «أي ذكر لإيران», «تريد كشف الحقيقة»: a noun
            continue
        nxt = words[t + 1] if t + 1 <= last else ""
        para = bisect.bisect_right(paras, ws) - 1
        sent = int(verbs.first[v])
        speaker = via = note = u_agree = ""
        explicit = completes = False

        def implicit() -> tuple[str, str]:
            prev_agrees = state.last and _agrees(agree, gender_of_id(state.last))
            if prev_agrees and state.last_para == para:
                return state.last, "implicit subject"
            # an agreeing actor named before the verb in its sentence («فقطر ... تصفه»)
            k = bisect.bisect_left(sp_start, ws) - 1
            for r in range(k, max(k - 6, -1), -1):
                if sp_start[r] < int(verbs.s_start[v]):
                    break
                if sp_end[r] <= ws and _agrees(agree, gender(r)):
                    return cid[r], "implicit subject (named before in its sentence)"
                # «ونشر X تغريدة ... تشير إلى»: the verb agrees with what X wrote, X speaks (not one
                # named after a preposition, «على موقع تويتر», nor a text in one, «على تغريدة الوزير»)
                if kind == "verb" and sp_end[r] <= ws and types[r] != "armed_force" and not in_phrase(sp_tok[r]) \
                        and any(sw.get(words[j], ("", ""))[:2] in (("document", ""), ("description", "document"))
                                and not in_phrase(j) and j - sp_last_tok[r] <= DOCUMENT_REACH
                                for j in range(max(sp_last_tok[r] + 1, t - DOCUMENT_REACH), t)):
                    return cid[r], "implicit subject: the author of what is written before the verb"
            # the paragraph names another agreeing actor before the verb: no carrying across it
            k2 = bisect.bisect_left(sp_start, paras[para]) if para < len(paras) else k + 1
            # (a person or a body that may speak, not one after a preposition: «زيارة أكار للدوحة»)
            others = [cid[r] for r in range(max(k2, k - 12), k + 1)
                      if sp_end[r] <= ws and types[r] in ("person", "organization") and _agrees(agree, gender(r))
                      and words[sp_tok[r]][:1] not in "لب"]
            for who, p in reversed(state.history):
                if _agrees(agree, gender_of_id(who)):
                    if others and who not in others:
                        return "", "implicit subject: not resolved (the paragraph names another actor)"
                    return who, "implicit subject"
            return "", "implicit subject: not resolved"

        if kind == "participle":
            if state.last_sent == sent and 0 <= state.last_content and ws < state.last_content:
                keep[v] = False  # «وتابع قائلاً:» is one report
                continue
            speaker, note = implicit()
            note = "continues the previous report" if speaker == state.last and speaker else note
        elif kind == "frame":
            hi = min(last, t + WINDOW)
            an = next((k for k in range(t + 1, hi + 1) if words[k] in ("عن", "لسان")), -1)
            if an < 0 or (form, nxt) in acts:
                keep[v] = False  # «نقل برنسون إلى ...»: a transfer
                continue
            r = speaker_in(an + 1, min(an + ATTRIBUTION_REACH, last))
            if r >= 0:
                speaker, explicit = cid[r], True
            else:
                speaker, u_agree = unnamed_in(an + 1, min(an + 1, last))
            r = speaker_in(t + 1, an - 1)
            via = cid[r] if r >= 0 else unnamed_in(t + 1, min(t + 2, an - 1))[0]
            q = next((k for k in range(an + 1, min(last, an + WINDOW) + 1)
                      if _form_of(words[k])[1] == "quote_noun"), -1)
            if q >= 0:
                verb_tok[v] = q
            if via and speakers.type_of.get(via):
                state.last_of_type[speakers.type_of[via]] = via  # «وأضاف التقرير»: the relaying outlet
                state.history.append((via, para))  # «وأضافت الوكالة»
            elif via.startswith("unnamed_"):
                state.relayed.add(via)  # «ونقل مسؤول عن X قوله ... وأضاف المسؤول»
        elif kind == "attribution":
            if form == "مفاده":
                note = "attribution without a named speaker"
            elif nxt == "ما" or _form_of(nxt)[1] == "verb":
                keep[v] = False  # «وفق ما ذكرته الوكالة», «حسبما ترى»: the verb after it reports
                continue
            else:
                hi = min(last, t + ATTRIBUTION_REACH)
                r = speaker_in(t + 1, hi)
                at_u, unnamed, w_agree = unnamed_at(t + 1, min(t + 2, last), preposition=True)
                if unnamed and (r < 0 or sp_tok[r] > at_u):  # «وفقاً لمسؤول بوزارة الدفاع»: an official of it
                    speaker, u_agree = unnamed, w_agree
                elif r >= 0:
                    speaker, explicit = cid[r], True
                elif any(sw.get(words[k], ("",))[0] == "description" for k in range(t + 1, hi + 1)) and (
                        name := next((cid[first_at[k]] for k in range(t + 1, min(last, t + APPOSITION_REACH) + 1)
                                      if k in first_at and types[first_at[k]] == "person"), "")
                        or _proposed_name(words, sc.tok_kind, t + 1, min(last, t + APPOSITION_REACH))):
                    speaker, explicit = name, True  # «حسب بيان المتحدث العسكري تامر ...»
                    note = "the name after a description"
                else:
                    keep[v] = False  # «وفق مرجعيات»: in line with, no one speaks
                    continue
        else:
            role, value, w_agree = sw.get(nxt, ("", "", ""))
            before = words[t - 1] if t - 1 >= first else ""
            b_role, b_value, b_agree = sw.get(before, ("", "", ""))
            r_after = first_at.get(t + 1, -1) if t + 1 <= last else -1
            if r_after >= 0 and (oblique(r_after) or types[r_after] in ("organization", "armed_force")
                                 and not _agrees_after(agree, _gender(sc, speakers, r_after))):
                r_after = -1  # «واتهم الحوثيين», «واتهم ميليشيات الحوثي»: an object
            if role == "unnamed" and not _agrees_after(agree, w_agree):
                role = ""  # «ووصف التقارير»: an object
            rel = before in relatives and not conj  # «التقارير التي أفادت»: the word before «التي»
            at = t - 2 if rel else t - 1
            if not rel and before in ("قد", "لقد"):  # «ترامب قد أشار»
                at = t - 2
            r_before = ending_at.get(at, -1) if at >= first and not conj else -1
            if r_before >= 0 and (text[sp_end[r_before]:int(tok_start[at + 1])].strip() if rel
                                  else text[sp_end[r_before]:ws].strip()):
                r_before = -1
            if rel:
                before = words[at] if at >= first else ""
                b_role, b_value, b_agree = sw.get(before, ("", "", ""))
            elif b_role != "unnamed" and not conj:  # «إن مصادر ليبية وفرنسية ذكرت»
                for k in range(t - 2, max(first, t - 6) - 1, -1):
                    if sw.get(words[k], ("",))[0] == "unnamed":
                        b_role, b_value, b_agree = sw[words[k]]
                        break
                    if words[k] in relatives or words[k] in comps or _form_of(words[k])[0] or sc.tok_kind[k] == MARK:
                        break
            starts_clause = r_before >= 0 and (sp_tok[r_before] == first or sc.tok_kind[sp_tok[r_before] - 1] == MARK
                                               or words[sp_tok[r_before]][:1] in CONJUNCTIONS)
            # a person right after the body a description names is that description's holder, in
            # apposition («المتحدثة باسم الخارجية الفرنسية فلانة أكدت»: she speaks)
            held = ending_at.get(sp_tok[r_before] - 1, -1) if r_before >= 0 else -1
            apposed = r_before >= 0 and types[r_before] == "person" and held >= 0 and types[held] != "person"
            held_by = next((k for k in range(max(first, sp_tok[r_before] - 6), sp_tok[r_before])
                            if sw.get(words[k], ("",))[0] == "description"), -1) if r_before >= 0 else -1
            completed = r_before
            if r_before >= 0 and not starts_clause and not apposed and held_by >= 0:
                r_before = -1  # «متحدث باسم القائد حفتر يقول»: the name completes a description, the
                completes = True  # spokesman speaks
            if before in negations or any((form, words[k]) in acts for k in range(t + 1, min(last, t + 3) + 1)) \
                    or role == "inanimate" or (
                    not conj and r_before < 0 and any(sw.get(words[k], ("",))[0] == "inanimate"
                                                      for k in range(max(first, t - 3), t))):
                keep[v] = False  # «أعلن سيطرته على», «أكدت إشارات ميدانية»: no one speaks
                continue
            svo_name = _proposed_name(words, sc.tok_kind, max(first, t - 4), t, svo=True) \
                if not conj and r_before < 0 and any(sw.get(words[k], ("",))[0] == "description"
                                                     for k in range(max(first, t - 10), t)) \
 else ""
            listed = next((first_at[k] for k in range(t - len(svo_name.split("_")), t) if k in first_at), -1) \
                if svo_name else -1
            if listed >= 0:  # the name is an actor of the entity layer: that actor («... أنييس فون در مول أكدت»),
                svo_name = cid[listed] if types[listed] == "person" and not completes else ""  # not a new id
            if starts_clause:
                speaker, explicit = cid[r_before], True  # «أنقرة تحذر النظام»: the object follows
            elif nxt in state.proposed and r_after < 0:
                speaker, explicit = state.proposed[nxt], True  # «وتقول مزيودات»
                note = "a name proposed earlier in the text"
            elif svo_name:
                speaker, explicit = svo_name, True  # «وكانت المتحدثة باسم الخارجية أنييس فون در مول أكدت»
                note = "a name no list holds, before the verb (proposed)"
            elif r_after >= 0 and not completes:  # «وزير خارجية تركيا يحذر دمشق»: an object after it
                speaker, explicit = cid[r_after], True
            elif role == "unnamed":
                speaker, u_agree = value, w_agree
            elif role == "description":
                # a name in apposition («الباحثة في الشؤون الليبية، هدى ...») else the last of its type
                hi = min(last, t + APPOSITION_REACH)
                hi = next((k - 1 for k in range(t + 2, hi + 1) if words[k] in comps
                           or words[k] in stops and words[k] != "في"), hi)  # «وشدد الأمين على ...»
                d_hi = hi  # the description's words, for the states it names
                if t + 3 <= last and words[t + 2] == "باسم" and sw.get(words[t + 3], ("", ""))[:2] == (
                        "description", "person"):
                    hi = t  # «متحدث باسم القائد العسكري، X»: X is the commander, not the spokesman
                # the name stands before a circumstance («الوزير التركي خلال المؤتمر مع نظيره الأردني X»)
                hi = next((k - 1 for k in range(t + 2, hi + 1) if words[k] in circumstances), hi)
                r = next((first_at[k] for k in range(t + 2, hi + 1) if k in first_at
                          and (types[first_at[k]] == value or value != "person" and types[first_at[k]] != "person")),
                         -1)
                # a name proposed earlier in the text, said again in full after the description («السفير
                # فلان الفلاني»; its last word alone may be a body's, «فيلق الرحمن»)
                again = next((p for k in range(t + 2, hi + 1) if (p := state.proposed.get(words[k], ""))
                              and k not in first_at and name_slug(words[k + 1 - len(p.split("_")):k + 1]) == p), "") \
                    if r < 0 and value == "person" else ""
                name = _proposed_name(words, sc.tok_kind, t + 2, hi) if r < 0 and not again and value == "person" \
                    else ""
                d_stem = next((st for st in _stems(nxt) if st in person_stems), "") if value == "person" else ""
                if r >= 0:
                    speaker, explicit = cid[r], True
                    note = f"«{nxt}» named in apposition"
                elif again:
                    speaker, explicit = again, True
                    note = f"«{nxt}» named in apposition (a name proposed earlier in the text)"
                elif name:
                    speaker, explicit = name, True
                    note = f"«{nxt}» named in apposition (a name no list holds: proposed)"
                elif bare(t + 2) or (words[t + 2].startswith("ال") and words[t + 2].endswith(("ي", "يه"))):
                    # «وأضاف الوزير (التركي)»: the last speaker the text has called so («وتابع المسؤول»
                    # after «قال مسؤول»: the same unnamed official)
                    stem = nxt[1:] if nxt[:1] in CONJUNCTIONS else nxt
                    stem = stem[2:] if stem.startswith("ال") else stem
                    unnamed_kind = sw.get(stem, ("", "", ""))
                    # a nisba narrows it («وأكد الوزير القطري»: the Qatari one described before, not the
                    # last speaker near whom a minister was named)
                    qualified = bool(d_stem) and bool(speakers.states_in(int(tok_start[t + 1]),
                                                                         int(tok_end[min(t + 2, last)])))
                    described_so = by_description(d_stem, t + 1, min(t + 2, last), ws, forward=False,
                                                  prefer=[who for who, _p in reversed(state.history)]) \
                        if d_stem else ""
                    if value == "document":  # «وأضاف التقرير»: the last body or outlet that spoke
                        speaker = state.last_of_type.get("organization", "")
                    elif qualified and described_so:
                        speaker = ""
                    elif unnamed_kind[0] == "unnamed" and (unnamed_kind[1] in state.relayed or any(
                            who == unnamed_kind[1] for who, _p in state.history)):
                        speaker = unnamed_kind[1]  # «وتابع المسؤول» after «قال مسؤول»: that official
                    else:
                        speaker = next((who for who, _p in reversed(state.history) if called(who, stem, ws)), "")
                    note = f"«{nxt}»: the last such speaker" if speaker else \
                        f"«{nxt}»: no speaker called so before"
                    if not speaker and described_so:  # «أبدى السفير البريطاني»: the British ambassador named before
                        speaker, explicit = described_so, True
                        note = f"«{nxt}»: the person the text described so before"
                else:
                    # «أكد متحدث باسم القائد ...»: the one the text describes so, before the verb, or
                    # after it for an indefinite description (the headline's spokesman named in the body)
                    speaker = by_description(d_stem, t + 1, d_hi, ws, forward=not nxt.startswith(("ال", "وال", "فال"))) if d_stem else ""
                    explicit = bool(speaker)
                    note = f"«{nxt}»: the person the text describes so" if speaker else \
                        f"«{nxt} {words[t + 2]}»: no speaker of that description known"
            elif r_before >= 0:
                speaker, explicit = cid[r_before], True  # «أكار أكد»
            elif b_role == "unnamed" and not conj:
                speaker, u_agree = b_value, b_agree
            else:
                hi = min(int(stop[v]) - 1, last, t + SUBJECT_REACH)
                rs = [first_at[k] for k in range(t + 1, hi + 1) if k in first_at][:MAX_AFTER]
                person = next((r for r in rs if types[r] == "person" and _agrees(agree, gender(r))), -1)
                other = next((r for r in rs if _agrees(agree, gender(r))), -1)
                unnamed, w_agree = unnamed_in(t + 1, hi) if hi >= t + 1 else ("", "")
                if unnamed and _agrees_after(agree, w_agree):
                    speaker, u_agree = unnamed, w_agree
                elif person >= 0:
                    speaker, explicit = cid[person], True
                elif other >= 0:
                    speaker, explicit = cid[other], True
                elif not completes:
                    speaker, note = implicit()
        if completes and not speaker:
            # the one the text describes so («وزير خارجية إيران ينتقد»: the Iranian foreign minister),
            # or the entity layer's person for the whole description
            d_stem = next((st for st in _stems(words[held_by]) if st in person_stems), "")
            whole = first_at.get(held_by, -1)
            titled = types[completed] == "person"
            opens = held_by == first or sc.tok_kind[held_by - 1] == MARK or words[held_by - 1] in openers \
                or words[held_by - 1] in comps or words[held_by][:1] in CONJUNCTIONS
            if not opens:
                speaker = ""  # «في تشييع الوزير X تشير», «حزب زعيم المعارضة X قال»: X is no subject
            elif whole >= 0 and types[whole] == "person" and sp_last_tok[whole] == t - 1:
                speaker = cid[whole]  # the entity layer's person for the whole description
            elif titled and "باسم" not in words[held_by:t] and sum(
                    sw.get(words[k], ("",))[0] == "description" for k in range(held_by, t)) == 1:
                speaker = cid[completed]  # «لكن الرئيس التركي رجب طيب أردوغان وصف»: his title
            else:
                speaker = by_description(d_stem, held_by, t - 1, int(tok_start[held_by]),
                                         forward=not words[held_by].startswith(("ال", "وال", "فال"))) \
                    if d_stem else ""
            explicit = bool(speaker)
            note = "the actor before the verb completes a description of the person the text describes so" \
                if speaker else "the actor before the verb completes a description: not its subject"
        if speaker.startswith("new:") and kind != "frame":
            state.proposed[speaker.rsplit("_", 1)[-1]] = speaker
            state.gender.setdefault(speaker, agree)
        if explicit and agree == "f" and speakers.type_of.get(speaker) == "person":
            state.gender[speaker] = "f"  # «قالت هدى ...»: a woman
        if u_agree:
            state.gender[speaker] = u_agree
        # a report inside another's content by someone else is relayed by the nearest such one
        while state.open and state.open[0][1] <= ws:
            state.open.popleft()
        if not via:  # the nearest open report by someone else (runs of one speaker are merged)
            for q_speaker, _q_end, q_start in (state.open[-j] for j in (1, 2) if j <= len(state.open)):
                if q_start <= ws and q_speaker != speaker:
                    via = q_speaker
                    break
        if speaker:
            state.last, state.last_para = speaker, para
            state.history.append((speaker, para))
            typ = speakers.type_of.get(speaker, "")
            if typ:
                state.last_of_type[typ] = speaker
        state.last_sent, state.last_content = sent, int(c_start[v])
        if state.open and state.open[-1][0] == speaker:
            state.open[-1] = (speaker, max(state.open[-1][1], int(c_end[v])), state.open[-1][2])
        else:
            state.open.append((speaker, int(c_end[v]), int(c_start[v])))
        out_speaker[v], out_via[v], out_note[v] = speaker, via, note
    return keep, verb_tok, out_speaker, out_via, out_note
