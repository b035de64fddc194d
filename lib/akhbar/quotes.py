"""Attributed statements (codebook section 5): speaker, reporting verb, mode and content."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import numpy as np

from .entities import read_data
from .matcher import PhraseMatcher
from .scan import MARK, Scan
from .text import normalize

COMPLEMENTISERS = {"ان": 2, "انه": 2, "انها": 2, "انهم": 2, "بان": 3, "بانه": 3, "بانها": 3,
                   "فان": 3, "فانه": 3, "فانها": 3, "وان": 3}
"""Complementiser -> letters before the content (a pronoun attached to it stays in)."""
STOPS = {"الي", "علي", "في"}
OPEN_QUOTES, CLOSE_QUOTES = '"“«', '"”»'
_QUOTE_MARK = re.compile('["“”«»]')
SPEAKER_TYPES = {"person", "organization", "state", "armed_force"}
WINDOW = 15


@lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    df = read_data("reporting.csv")
    return {normalize(f, ta_marbuta=True): k for f, k in zip(df["form"], df["kind"])}


DESCRIPTORS = {"الوكاله": "organization", "الوزاره": "organization", "الصحيفه": "organization",
               "القناه": "organization", "الرئاسه": "organization", "الوزير": "person",
               "الرئيس": "person", "المسؤول": "person", "المتحدث": "person"}
"""A generic noun right after the verb («وأكدت الوكالة») names the last speaker of that type."""


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
    return PhraseMatcher([(f, k) for f, k in zip(df["form"], df["kind"])
                          if k in ("verb", "participle", "frame", "attribution")])


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
    """
    found = _verb_matcher().find_in(sc)
    kinds = _verb_kinds()[found.entry] if len(found) else np.zeros(0, dtype=object)
    speaker_rows = np.flatnonzero(np.isin(ents["type"], list(SPEAKER_TYPES)) & (ents["label"] != "ADJ"))
    sp_starts = ents["start"][speaker_rows].tolist()
    sp_ends = ents["end"][speaker_rows].tolist()
    sp_ids = ents["canonical_id"][speaker_rows].tolist()
    sp_types = ents["type"][speaker_rows].tolist()
    sp_set = set(sp_starts)
    type_of = dict(zip(sp_ids, sp_types))
    anonymous = _anonymous_forms()
    verb_tok = sc.token_from(found.start)
    n_tok = sc.tok_start.size
    ok = verb_tok < n_tok
    ok[ok] &= sc.tok_start[verb_tok[ok]] == found.start[ok]
    sent = sc.sent
    first_of, last_of_sent = sc.sentence_tokens()
    docs = sc.doc_of(found.start).tolist()
    text, view, tok_start, tok_end, tok_kind = sc.text, sc.view, sc.tok_start, sc.tok_end, sc.tok_kind
    tok_view, tok_vend = sc.tok_view, sc.tok_vend
    rows: list[tuple] = []
    # reporting events of the current text whose content may still hold a later verb (their
    # content ends after it), and the last speaker of each type: both keep the cost linear
    # in the length of one text, however many reports it holds
    open_reports: list[dict] = []
    last_of_type: dict[str, str] = {}
    last, current_doc = "", -1
    for n in np.flatnonzero(ok).tolist():
        doc, fk, i = docs[n], kinds[n], int(verb_tok[n])
        if doc != current_doc:
            open_reports, last_of_type, last, current_doc = [], {}, "", doc
        si = int(sent[i])
        f, l = int(first_of[si]), int(last_of_sent[si])
        s_start, s_end = int(tok_start[f]), int(tok_end[l])
        # the verb's window: tokens i .. hi of its sentence, as local lists
        hi = min(l, i + WINDOW + 2)
        words = view[tok_view[i]:tok_vend[hi]].split()
        starts_w = tok_start[i:hi + 1].tolist()
        ends_w = tok_end[i:hi + 1].tolist()
        marks_w = (tok_kind[i:hi + 1] == MARK).tolist()

        def word(x: int) -> str:
            return words[x - i]

        ws, we, norm_word = starts_w[0], ends_w[0], words[0]
        speaker, via, note = "", "", ""
        j, stop_at = i + 1, None
        while j <= l and j <= i + WINDOW:
            w = word(j)
            if w in COMPLEMENTISERS or w == ":" or (marks_w[j - i] and w in OPEN_QUOTES and fk != "attribution"):
                stop_at = j
                break
            if w in STOPS and starts_w[j - i] not in sp_set:  # «علي» may be a name, not «على»
                break
            j += 1
        window_end = starts_w[j - i] if j <= l else s_end
        k = bisect.bisect_left(sp_starts, we)
        after = [a for a in range(k, min(k + 8, len(sp_starts))) if sp_starts[a] < window_end]
        anon = [w for w in words[1:j - i] if w in anonymous]
        before = k - 1 if k > 0 else None
        nxt1 = word(i + 1) if i + 1 <= l else ""
        descriptor = ""
        if nxt1 in DESCRIPTORS:
            nxt2 = word(i + 2) if i + 2 <= l else ""
            if not nxt2.startswith("ال") or nxt2 in (":", "ان"):  # «الوزير التركي» is a title entity
                descriptor = DESCRIPTORS[nxt1]
        last_descr = last_of_type.get(descriptor, "") if descriptor else ""
        if fk == "participle":
            speaker, note = last, "continues the previous report"
        elif fk == "frame":
            an = [x for x in range(i + 1, j) if word(x) == "عن"]
            persons = [a for a in after if an and sp_starts[a] > starts_w[an[0] - i]]
            speaker = sp_ids[persons[0]] if persons else ""
            via = sp_ids[after[0]] if after and (not persons or after[0] != persons[0]) else ""
        elif descriptor and last_descr:
            speaker, note = last_descr, f"«{nxt1}»: the last such speaker"
        elif norm_word.endswith("مفاده"):
            speaker, note = "", "attribution without a named speaker"
        elif before is not None and sp_starts[before] >= s_start and not text[sp_ends[before]:ws].strip():
            speaker = sp_ids[before]  # subject before the verb: «أكار أكد»
        elif after and (i + 1 <= l and sp_starts[after[0]] <= ends_w[min(i + 3 if fk == "attribution" else i + 1, l) - i]):
            speaker = sp_ids[after[0]]  # subject right after the verb
        elif anon:
            speaker = "unnamed_observers" if _form_kind(anon[0]) == "anonymous_observers" else "unnamed_reports"
        elif [a for a in after if sp_types[a] == "person"]:
            speaker = sp_ids[[a for a in after if sp_types[a] == "person"][0]]
        elif after and fk != "attribution":
            speaker = sp_ids[after[0]]
        else:
            persons = [a for a in range(bisect.bisect_left(sp_starts, s_start), k) if sp_types[a] == "person"]
            speaker = sp_ids[persons[-1]] if persons else last
            note = "implicit subject"
        # content
        stop_word = word(stop_at) if stop_at is not None else ""
        if stop_word in COMPLEMENTISERS:
            c_start = starts_w[stop_at - i] + COMPLEMENTISERS[stop_word]
            if c_start >= ends_w[stop_at - i]:
                c_start = starts_w[stop_at + 1 - i] if stop_at + 1 <= l else ends_w[stop_at - i]
        elif stop_word == ":":
            c_start = starts_w[stop_at + 1 - i] if stop_at + 1 <= l else ends_w[stop_at - i]
        elif stop_at is not None:
            c_start = starts_w[stop_at - i]
        else:
            c_start = starts_w[1] if i + 1 <= l else we
        c_end = s_end
        while c_end > c_start and text[c_end - 1] in ".،, ":
            c_end -= 1
        if c_end <= c_start:
            continue
        inner = text[c_start:c_end].strip()
        marks = len(_QUOTE_MARK.findall(inner))
        if marks == 2 and inner[0] in OPEN_QUOTES and inner[-1] in CLOSE_QUOTES:
            mode = "direct"
        elif marks >= 2:
            mode = "mixed"
        else:
            mode = "indirect"
        open_reports = [q for q in open_reports if q["content_end"] > ws]  # verbs come in text order
        for q in open_reports:
            if q["content_start"] <= ws and q["canonical_id"] != speaker:
                via = via or q["canonical_id"]
        if speaker:
            last = speaker
        kind = type_of.get(speaker, "")
        last_of_type[kind] = speaker
        open_reports.append({"canonical_id": speaker, "content_start": c_start, "content_end": c_end})
        rows.append((ws, c_end, mode, speaker, text[ws:we], via, c_start, c_end, note))
    names = ("start", "end", "label", "canonical_id", "verb", "via", "content_start", "content_end", "note")
    cols = {}
    for k, name in enumerate(names):
        values = [r[k] for r in rows]
        cols[name] = np.array(values, np.int64 if name in ("start", "end", "content_start", "content_end")
                              else object)
    return cols


@lru_cache(maxsize=1)
def _verb_kinds() -> np.ndarray:
    return np.array([payload for _form, payload in _verb_matcher().entries], dtype=object)
