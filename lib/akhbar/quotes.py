"""Attributed statements (codebook section 5): speaker, reporting verb, mode and content.

:func:`quote_columns` reads each reporting verb of ``data/reporting.csv`` in three steps:

1. the verb's window (:func:`_windows`): the words after it up to a complementiser, a colon
   or a quotation mark (where its content begins), or a preposition (no content there);
2. the content and its mode (:func:`_contents`, :func:`_modes`): from that word to the end
   of the sentence, ``direct`` inside quotation marks, ``mixed`` or ``indirect``;
3. the speaker (:func:`_speaker_candidates`, then :func:`_speakers`): candidates found for
   every verb at once with array lookups, chosen in text order where the choice depends on
   the reports before it (the previous speaker, the last speaker of a type).

The words that shape a statement (complementisers, prepositions, descriptors) are
``data/quote_words.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .matcher import PhraseMatcher
from .resources import read_data
from .scan import MARK, Scan
from .text import normalize

OPEN_QUOTES, CLOSE_QUOTES = '"“«', '"”»'
_QUOTE_MARK = re.compile('["“”«»]')
SPEAKER_TYPES = {"person", "organization", "state", "armed_force"}
WINDOW = 15
"""Words after the verb where its content may begin and its speaker may stand."""
MAX_AFTER = 8
"""Actors after the verb considered as its speaker: the nearest few (a subject, then what
the content names, which is not the speaker)."""
SUBJECT_REACH = 1
"""Words after a verb within which an actor is its subject: the next word («قال أردوغان»)."""
ATTRIBUTION_REACH = 3
"""The same after an attribution («وفقاً لوزير الخارجية التركي»): a title may come first."""
CONTENT_TRIM = ".،, "
"""Marks dropped from the end of a content (a sentence's full stop, a trailing comma)."""


@lru_cache(maxsize=1)
def _quote_words() -> dict[str, dict[str, str]]:
    """``data/quote_words.csv`` by role: word -> value."""
    df = read_data("quote_words.csv")
    out: dict[str, dict[str, str]] = {"complementiser": {}, "stop": {}, "descriptor": {}}
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
    return dict(_quote_words()["descriptor"])


@lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    df = read_data("reporting.csv")
    return {normalize(f, ta_marbuta=True): k for f, k in zip(df["form"], df["kind"])}


def _form_kind(word: str) -> str | None:
    forms = _forms()
    if word in forms:
        return forms[word]
    if word[:1] in "وف" and word[1:] in forms:
        return forms[word[1:]]
    return None


@lru_cache(maxsize=1)
def _anonymous_forms() -> frozenset[str]:
    """Words for unnamed sources («مراقبون», «تقارير»), with و / ف attached too."""
    forms = _forms()
    return frozenset(w for w in [*forms, *(c + f for f in forms for c in "وف")]
                     if _form_kind(w) in ("anonymous_observers", "anonymous_reports"))


@lru_cache(maxsize=1)
def _verb_matcher() -> PhraseMatcher:
    df = read_data("reporting.csv")
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

    @classmethod
    def of(cls, ents: dict[str, np.ndarray]) -> "_Speakers":
        rows = np.flatnonzero(np.isin(ents["type"], list(SPEAKER_TYPES)) & (ents["label"] != "ADJ"))
        types = ents["type"][rows]
        return cls(ents["start"][rows].astype(np.int64), ents["end"][rows].astype(np.int64),
                   ents["canonical_id"][rows], types == "person",
                   dict(zip(ents["canonical_id"][rows].tolist(), types.tolist())))


def quote_columns(sc: Scan, ents: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Reporting events of every text of a scan, as columns.

    Reporting expressions (``data/reporting.csv``) are found in the scan view; each is
    read inside its sentence: the speaker before or after the verb (or the previous
    speaker, a descriptor such as «الوزارة», or unnamed sources), the content after
    a complementiser, colon or quotation mark, and the mode from its quotation marks.

    Args:
        sc: The scan.
        ents: Entity columns of the same scan (:func:`akhbar.entities.entity_columns`).

    Returns:
        Arrays ``start`` (the verb) .. ``end`` (end of content), ``label``
        (direct|indirect|mixed), ``canonical_id`` (speaker, or unnamed_observers /
        unnamed_reports), ``verb, via, content_start, content_end, note`` (offsets
        into ``sc.text``).

    Example:
        >>> from akhbar.entities import entity_columns
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
    has = c_end > c_start  # a verb with nothing after it in its sentence reports nothing
    verbs, stop, window_end, c_start, c_end = (verbs.take(has), stop[has], window_end[has], c_start[has],
                                               c_end[has])
    candidates = _speaker_candidates(sc, verbs, speakers, stop, window_end)
    speaker, via, note = _speakers(sc, verbs, speakers, candidates, c_start, c_end)
    text = sc.text
    return {"start": verbs.start, "end": c_end, "label": _modes(text, c_start, c_end),
            "canonical_id": speaker, "verb": np.array([text[s:e] for s, e in zip(verbs.start.tolist(),
                                                                                  verbs.end.tolist())], dtype=object),
            "via": via, "content_start": c_start, "content_end": c_end, "note": note}


def _verbs(sc: Scan) -> _Verbs:
    """The reporting verbs found in the scan that begin at a token."""
    matcher = _verb_matcher()
    found = matcher.find_in(sc)
    tok = sc.token_from(found.start)
    ok = tok < sc.tok_start.size
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
    c_end = [s + len(text[s:e].rstrip(CONTENT_TRIM)) for s, e in zip(c_start, verbs.s_end.tolist())]
    return np.array(c_start, np.int64), np.array(c_end, np.int64)


def _modes(text: str, c_start: np.ndarray, c_end: np.ndarray) -> np.ndarray:
    """``direct`` for a content that is one quotation, ``mixed`` for quoted words inside
    it, else ``indirect``."""
    modes = []
    for s, e in zip(c_start.tolist(), c_end.tolist()):
        inner = text[s:e].strip()
        marks = len(_QUOTE_MARK.findall(inner))
        if marks == 2 and inner[0] in OPEN_QUOTES and inner[-1] in CLOSE_QUOTES:
            modes.append("direct")
        else:
            modes.append("mixed" if marks >= 2 else "indirect")
    return np.array(modes, dtype=object)


def _first_in(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each range ``[lo, hi)``, its first element of the sorted ``rows`` (-1: none)."""
    k = np.searchsorted(rows, lo, side="left")
    got = rows[np.minimum(k, rows.size - 1)] if rows.size else np.zeros(lo.size, np.int64)
    return np.where((k < rows.size) & (got < hi), got, -1)


def _speaker_candidates(sc: Scan, verbs: _Verbs, speakers: _Speakers, stop: np.ndarray,
                        window_end: np.ndarray) -> dict[str, np.ndarray]:
    """Everything the speaker rules of :func:`_speakers` look at, for all verbs at once.

    Speakers are indexed in :class:`_Speakers` (-1: none): ``after`` the first after the
    verb within its window (of the nearest :data:`MAX_AFTER`), ``adjacent`` whether it is
    the verb's subject (within :data:`SUBJECT_REACH` or :data:`ATTRIBUTION_REACH` words),
    ``person_after`` the first person among them, ``framed`` for «نقل ... عن X» the first
    after «عن», ``before`` the one right before the verb in its sentence, ``person_before``
    the last person of the sentence before the verb; ``anonymous`` the first word of unnamed
    sources in the window, ``descriptor`` the type a descriptor after the verb stands for.
    """
    words, tok_start, tok_end = sc.words, sc.tok_start, sc.tok_end
    k = np.searchsorted(speakers.start, verbs.end, side="left")  # the first speaker after the verb
    hi = np.minimum(k + MAX_AFTER, np.searchsorted(speakers.start, window_end, side="left"))
    after = np.where(hi > k, k, -1)
    reach = np.where(verbs.kind == "attribution", ATTRIBUTION_REACH, SUBJECT_REACH)
    near = tok_end[np.minimum(verbs.tok + reach, verbs.last)]
    adjacent = (after >= 0) & (verbs.tok + 1 <= verbs.last)
    adjacent[adjacent] &= speakers.start[after[adjacent]] <= near[adjacent]
    persons = np.flatnonzero(speakers.person)
    person_after = _first_in(persons, k, hi)
    lo = np.searchsorted(speakers.start, verbs.s_start, side="left")
    p = np.searchsorted(persons, k, side="left") - 1
    got = persons[np.maximum(p, 0)] if persons.size else np.zeros(k.size, np.int64)
    person_before = np.where((p >= 0) & (got >= lo), got, -1)
    before = np.where((k > 0) & (speakers.start[np.maximum(k - 1, 0)] >= verbs.s_start) if speakers.start.size
                      else np.zeros(k.size, bool), k - 1, -1)
    # the window's words: unnamed sources, and «عن» of a frame verb
    anonymous_words = _anonymous_forms()
    anon, an = [], []
    for i, j in zip(verbs.tok.tolist(), stop.tolist()):
        window = words[i + 1:j]
        anon.append(next((w for w in window if w in anonymous_words), ""))
        an.append(next((i + 1 + x for x, w in enumerate(window) if w == "عن"), -1))
    an = np.array(an, np.int64)
    framed = np.full(k.size, -1, np.int64)
    has_an = (an >= 0) & (after >= 0)
    if has_an.any():
        first = np.maximum(k[has_an], np.searchsorted(speakers.start, tok_start[an[has_an]], side="right"))
        framed[has_an] = np.where(first < hi[has_an], first, -1)
    n_tok = tok_start.size
    descr = descriptors()
    descriptor = []
    for i, last in zip(verbs.tok.tolist(), verbs.last.tolist()):
        nxt1 = words[i + 1] if i + 1 <= last and i + 1 < n_tok else ""
        nxt2 = words[i + 2] if i + 2 <= last and i + 2 < n_tok else ""
        # «الوزير التركي» is a title entity, not a descriptor
        descriptor.append(descr[nxt1] if nxt1 in descr and not nxt2.startswith("ال") else "")
    return {"after": after, "adjacent": adjacent, "person_after": person_after, "framed": framed,
            "before": before, "person_before": person_before, "anonymous": np.array(anon, dtype=object),
            "descriptor": np.array(descriptor, dtype=object)}


def _speakers(sc: Scan, verbs: _Verbs, speakers: _Speakers, cand: dict[str, np.ndarray],
              c_start: np.ndarray, c_end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Speaker, ``via`` and note of each report, in text order (rules tried in turn).

    A participle («مضيفاً») continues the previous report; a frame («نقل ... عن X»)
    takes the speaker after «عن» and the one before as ``via``; a descriptor («الوزارة»)
    the last speaker of its type; then the actor right before the verb, the one right
    after it, unnamed sources, the first person after it, any actor after it, and last the
    person named before it in its sentence or the previous speaker (implicit subject). A
    report inside another's content by someone else is ``via`` that speaker.
    """
    text, words, cid = sc.text, sc.words, speakers.cid.tolist()
    sp_end = speakers.end.tolist()
    out_speaker, out_via, out_note = [], [], []
    # per text: the last speaker, the last of each type, and the reports whose content is still open
    last, last_of_type, open_reports, current = "", {}, [], -1
    rows = zip(verbs.doc.tolist(), verbs.kind.tolist(), verbs.start.tolist(), verbs.tok.tolist(),
               [words[t] for t in verbs.tok.tolist()], *(cand[c].tolist() for c in (
                   "after", "adjacent", "person_after", "framed", "before", "person_before", "anonymous",
                   "descriptor")), c_start.tolist(), c_end.tolist())
    for (doc, kind, ws, i, word, after, adjacent, person_after, framed, before, person_before, anon, descriptor,
         cs, ce) in rows:
        if doc != current:
            last, last_of_type, open_reports, current = "", {}, [], doc
        speaker, via, note = "", "", ""
        last_descr = last_of_type.get(descriptor, "") if descriptor else ""
        if kind == "participle":
            speaker, note = last, "continues the previous report"
        elif kind == "frame":
            speaker = cid[framed] if framed >= 0 else ""
            via = cid[after] if after >= 0 and after != framed else ""
        elif last_descr:
            speaker, note = last_descr, f"«{words[i + 1]}»: the last such speaker"
        elif word.endswith("مفاده"):
            note = "attribution without a named speaker"
        elif before >= 0 and not text[sp_end[before]:ws].strip():
            speaker = cid[before]  # subject before the verb: «أكار أكد»
        elif adjacent:
            speaker = cid[after]  # subject right after the verb
        elif anon:
            speaker = "unnamed_observers" if _form_kind(anon) == "anonymous_observers" else "unnamed_reports"
        elif person_after >= 0:
            speaker = cid[person_after]
        elif after >= 0 and kind != "attribution":
            speaker = cid[after]
        else:
            speaker = cid[person_before] if person_before >= 0 else last
            note = "implicit subject"
        open_reports = [q for q in open_reports if q[1] > ws]  # verbs come in text order
        for q_speaker, _q_end, q_start in open_reports:
            if q_start <= ws and q_speaker != speaker:
                via = via or q_speaker
        if speaker:
            last = speaker
        last_of_type[speakers.type_of.get(speaker, "")] = speaker
        open_reports.append((speaker, ce, cs))
        out_speaker.append(speaker)
        out_via.append(via)
        out_note.append(note)
    return (np.array(out_speaker, dtype=object), np.array(out_via, dtype=object),
            np.array(out_note, dtype=object))
