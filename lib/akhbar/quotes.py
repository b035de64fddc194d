"""Attributed statements (codebook section 5): speaker, reporting verb, mode and content."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import numpy as np

from .entities import read_data
from .matcher import PhraseMatcher
from .scan import MARK, Scan
from .text import local_words, normalize

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


def _descriptor(words, i: int) -> str:
    if i + 1 < len(words) and words[i + 1][3] in DESCRIPTORS:
        nxt = words[i + 2][3] if i + 2 < len(words) else ""
        if not nxt.startswith("ال") or nxt in (":", "ان"):  # «الوزير التركي» is a title entity
            return DESCRIPTORS[words[i + 1][3]]
    return ""


def _form_kind(word: str) -> str | None:
    forms = _forms()
    if word in forms:
        return forms[word]
    if word[:1] in "وف" and word[1:] in forms:
        return forms[word[1:]]
    return None


@lru_cache(maxsize=1)
def _verb_matcher() -> PhraseMatcher:
    df = read_data("reporting.csv")
    return PhraseMatcher([(f, k) for f, k in zip(df["form"], df["kind"])
                          if k in ("verb", "participle", "frame", "attribution")])


def find_quotes(text: str, norm: str, index, entities: list[dict],
                sentences: list[tuple[int, int]]) -> list[dict]:
    """Reporting events of one text.

    Reporting expressions (``data/reporting.csv``) are found on the normalised text;
    each is read inside its sentence.

    Args:
        norm, index: From :func:`akhbar.text.normalize_with_offsets`.
        entities: Entity mentions of the text (speakers are chosen among them).
        sentences: Sentence spans of the text.

    Returns:
        One dict per reporting event: ``start`` (the verb) .. ``end`` (end of content),
        ``label`` (direct|indirect|mixed), ``canonical_id`` (speaker, or
        unnamed_observers / unnamed_reports), ``verb``, ``via``, ``content_start``,
        ``content_end``, ``note``.
    """
    speakers = sorted((e for e in entities if e["type"] in SPEAKER_TYPES and e["label"] != "ADJ"),
                      key=lambda e: e["start"])
    sp_starts = [e["start"] for e in speakers]
    sp_set = set(sp_starts)
    sent_starts = [s for s, _e in sentences]
    types = {e["canonical_id"]: e["type"] for e in speakers}
    out: list[dict] = []
    last = ""

    def last_of(kind: str) -> str:
        for q in reversed(out):
            if types.get(q["canonical_id"]) == kind:
                return q["canonical_id"]
        return ""
    cached: dict[int, list] = {}
    for m in _verb_matcher().find(text, norm, index):
        fk = m.payload
        si = max(0, bisect.bisect_right(sent_starts, m.start) - 1)
        s_start, s_end = sentences[si] if sentences else (0, len(text))
        if si not in cached:
            words = local_words(text, s_start, s_end)
            cached = {si: (words, {w[0]: n for n, w in enumerate(words)})}
        words, position = cached[si]
        i = position.get(m.start)
        if i is None:
            continue
        ws, we, norm_word = words[i][0], words[i][1], words[i][3]
        speaker, via, note = "", "", ""
        # words after the verb, up to a complementiser, colon, quote or stop word
        j, stop_at = i + 1, None
        while j < len(words) and j <= i + WINDOW and words[j][0] < s_end:
            w = words[j]
            if w[3] in COMPLEMENTISERS or w[3] == ":" or (w[2] == "punct" and w[3] in OPEN_QUOTES and fk != "attribution"):
                stop_at = j
                break
            if w[3] in STOPS and w[0] not in sp_set:  # «علي» may be a name, not «على»
                break
            j += 1
        window_end = words[j][0] if j < len(words) else s_end
        k = bisect.bisect_left(sp_starts, we)
        after = [e for e in speakers[k:k + 8] if e["start"] < window_end]
        anon = [w for w in words[i + 1:j] if _form_kind(w[3]) in ("anonymous_observers", "anonymous_reports")]
        before = speakers[k - 1] if k > 0 else None
        if fk == "participle":
            speaker, note = last, "continues the previous report"
        elif fk == "frame":
            an = [w for w in words[i + 1:j] if w[3] == "عن"]
            persons = [e for e in after if an and e["start"] > an[0][0]]
            speaker = persons[0]["canonical_id"] if persons else ""
            via = after[0]["canonical_id"] if after and (not persons or after[0] is not persons[0]) else ""
        elif _descriptor(words, i) and last_of(_descriptor(words, i)):
            speaker, note = last_of(_descriptor(words, i)), f"«{words[i + 1][3]}»: the last such speaker"
        elif norm_word.endswith("مفاده"):
            speaker, note = "", "attribution without a named speaker"
        elif before is not None and before["start"] >= s_start and not text[before["end"]:ws].strip():
            speaker = before["canonical_id"]  # subject before the verb: «أكار أكد»
        elif after and (len(words) > i + 1 and after[0]["start"] <= words[min(i + 3 if fk == "attribution" else i + 1, len(words) - 1)][1]):
            speaker = after[0]["canonical_id"]  # subject right after the verb
        elif anon:
            speaker = "unnamed_observers" if _form_kind(anon[0][3]) == "anonymous_observers" else "unnamed_reports"
        elif [e for e in after if e["type"] == "person"]:
            speaker = [e for e in after if e["type"] == "person"][0]["canonical_id"]
        elif after and fk != "attribution":
            speaker = after[0]["canonical_id"]
        else:
            prev_in_sent = [e for e in speakers[:k] if e["start"] >= s_start and e["type"] == "person"]
            speaker = prev_in_sent[-1]["canonical_id"] if prev_in_sent else last
            note = "implicit subject"
        # content
        if stop_at is not None and words[stop_at][3] in COMPLEMENTISERS:
            c_start = words[stop_at][0] + COMPLEMENTISERS[words[stop_at][3]]
            if c_start >= words[stop_at][1]:
                c_start = words[stop_at + 1][0] if stop_at + 1 < len(words) else words[stop_at][1]
        elif stop_at is not None and words[stop_at][3] == ":":
            c_start = words[stop_at + 1][0] if stop_at + 1 < len(words) else words[stop_at][1]
        elif stop_at is not None:
            c_start = words[stop_at][0]
        else:
            c_start = words[i + 1][0] if i + 1 < len(words) else we
        c_end = s_end
        while c_end > c_start and text[c_end - 1] in ".،, ":
            c_end -= 1
        content = text[c_start:c_end]
        if c_end <= c_start:
            continue
        inner = content.strip()
        marks = len(_QUOTE_MARK.findall(inner))
        if marks >= 2 and inner[0] in OPEN_QUOTES and inner[-1] in CLOSE_QUOTES and marks == 2:
            mode = "direct"
        elif marks >= 2:
            mode = "mixed"
        else:
            mode = "indirect"
        for q in out:
            if q["content_start"] <= ws < q["content_end"] and q["canonical_id"] != speaker:
                via = via or q["canonical_id"]
        if speaker:
            last = speaker
        out.append({"start": ws, "end": c_end, "surface": text[ws:c_end], "label": mode,
                    "canonical_id": speaker, "verb": text[ws:we], "via": via,
                    "content_start": c_start, "content_end": c_end, "note": note})
    return out


def quote_columns(sc: Scan, ents: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Reporting events of every text of a scan, as columns (see :func:`find_quotes`).

    Args:
        sc: The scan.
        ents: Entity columns of the same scan (:func:`akhbar.entities.entity_columns`).

    Returns:
        Arrays ``start, end, label, canonical_id, verb, via, content_start,
        content_end, note`` (offsets into ``sc.text``).
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
    anonymous = {w for w in list(_forms()) + [c + f for f in _forms() for c in "وف"]
                 if _form_kind(w) in ("anonymous_observers", "anonymous_reports")}
    verb_tok = sc.token_from(found.start)
    n_tok = sc.tok_start.size
    ok = verb_tok < n_tok
    ok[ok] &= sc.tok_start[verb_tok[ok]] == found.start[ok]
    sent = sc.sent
    # first and last token of each sentence
    has = np.flatnonzero(sent >= 0)
    sid = sent[has]
    change = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]]) if sid.size else sid
    first_of = np.zeros(int(sid.max()) + 1 if sid.size else 0, np.int64)
    last_of_sent = np.zeros_like(first_of)
    if sid.size:
        first_of[sid[change]] = has[change]
        last_of_sent[sid[change]] = has[np.r_[change[1:] - 1, sid.size - 1]]
    docs = sc.doc_of(found.start).tolist()
    text, view, tok_start, tok_end, tok_kind = sc.text, sc.view, sc.tok_start, sc.tok_end, sc.tok_kind
    tok_view, tok_vend = sc.tok_view, sc.tok_vend
    rows: list[tuple] = []
    out: list[dict] = []  # reporting events of the current text
    last, current_doc = "", -1
    for n in np.flatnonzero(ok).tolist():
        doc, fk, i = docs[n], kinds[n], int(verb_tok[n])
        if doc != current_doc:
            out, last, current_doc = [], "", doc
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
        last_descr = ""
        if descriptor:
            for q in reversed(out):
                if q["type"] == descriptor:
                    last_descr = q["canonical_id"]
                    break
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
        for q in out:
            if q["content_start"] <= ws < q["content_end"] and q["canonical_id"] != speaker:
                via = via or q["canonical_id"]
        if speaker:
            last = speaker
        out.append({"canonical_id": speaker, "type": type_of.get(speaker, ""), "content_start": c_start,
                    "content_end": c_end})
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
