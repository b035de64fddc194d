"""Names the gazetteer does not know, proposed from the cue structures of Arabic news.

After a title («المتحدث باسم الجيش الليبي أحمد المسماري»), a classifier noun («مدينة عفرين»),
an organisation or facility head («وكالة "اعتماد"») or an event noun followed by a known
place («قمة الرياض»), the words that follow are proposed as an entity. Cues and what may
follow them are data (``data/patterns.csv``, ``data/pattern_words.csv``,
``data/first_names.csv``). A Latin acronym (CNN, PKK) is proposed as an organisation, and
a person's surname used alone later in the same article («المسماري») as that person.

Every proposal is marked ``source="pattern"`` (not yet reviewed) with a ``canonical_id``
of ``new:`` and its folded form, and the cue as evidence in ``note``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..matcher import PhraseMatcher, match_key
from ..resources import read_data
from ..scan import DIGIT, LATIN, LETTER, MARK, Scan
from ..text import stopwords

RARE_ZIPF = 4.0
"""A word rarer than this in general Arabic (wordfreq's Zipf scale: 4 is once per 100,000
words) can be part of a name; commoner words (فرض، عقوبات) cannot, unless listed as first names."""
ALL_RARE_ZIPF = 3.5
"""A name none of whose words is a known first name must be rarer still («سيبان حمو»)."""
ARTICLE_ZIPF = 3.0
"""An indefinite word whose form with the article is this common is an adjective or a common
noun («مضطربة»: «المضطربة», «نفطي»: «النفطي»), not a name («عفرين»: «العفرين» is never written)."""
VERB_ZIPF = 3.0
"""A word with a present-tense prefix this common is a verb («يتهم»), not a name («تيفاريتي»)."""
REPEATED_NAME = 2
"""A known first name and an unknown word named together this often in one article are
proposed as a person even with no title before them («هشام عشماوي»)."""
MAX_NAME_WORDS = 4
MAX_COMPLEMENT = 8
"""Words a title may carry before the name: «القائد العام لوحدات حماية الشعب الكردية»."""
QUOTES_OPEN = "«\"“'‘"
QUOTES_CLOSE = "»\"”'’"
MAX_QUOTED_WORDS = 5
_PREPOSITIONS = {"الي", "في", "لدي", "من", "علي"}
"""May stand inside a title's complements when an entity follows: «المبعوث الأممي إلى ليبيا»."""


@lru_cache(maxsize=None)
def word_class(name: str) -> frozenset:
    """Folded words of one class of ``data/pattern_words.csv``.

    Example:
        >>> "السابق" in word_class("former")
        True
    """
    words = read_data("pattern_words.csv")
    return frozenset(match_key(w) for w in words.loc[words["class"] == name, "word"])


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The pattern layer's vocabulary, read once: the cue ``matcher`` and ``cues``, the word
    classes (``complement``, ``connector``, ``stop``) and the ``first`` names (folded).

    Example:
        >>> "محمد" in lexicon()["first"], "السابق" in lexicon()["stop"]
        (True, False)
    """
    cues = read_data("patterns.csv")
    matcher = PhraseMatcher.from_table(cues, "cue", ["name"])
    classes = {c: word_class(c) for c in ("complement", "connector", "stop")}
    first = read_data("first_names.csv")
    reads = np.isin(matcher.columns["name"], ["person", "place"])
    return {"matcher": matcher, "cues": cues.to_dict("records"), "reads_entities": reads, **classes,
            "first": {match_key(w) for w in first["name"]},
            "first_with_clitic": {p + match_key(w) for w in first["name"] for p in ("", "و", "ف", "ب", "ل", "ك")
                                  if len(match_key(w)) > 2 or not p},
            "stop_all": classes["stop"] | stopwords(),
            "cue_words": {w for k in cues["cue"] for w in match_key(k).split()}}


def _spellings(word: str) -> list[str]:
    """The spellings a folded word may have had before folding (ة for ه, ى for a final ي,
    hamzated alefs for ا), so that its frequency is looked up as the press writes it."""
    ends = [word]
    if word.endswith("ه"):
        ends.append(word[:-1] + "ة")
    elif word.endswith("ي"):
        ends.append(word[:-1] + "ى")
    out = []
    for w in ends:
        out.append(w)
        at = 2 if w.startswith("ال") and len(w) > 3 else 0
        if w[at:at + 1] == "ا":
            out += [w[:at] + a + w[at + 1:] for a in "أإآ"]
    return out


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    """How common a folded word is in general Arabic: the highest Zipf frequency of the
    word and of the word without one proclitic (لوحدات counts as وحدات), each in the
    spellings folding may have hidden (مضطربه is looked up as مضطربة).

    Example:
        >>> _zipf("صعبه") > 4, _zipf("تيفاريتي") < 2
        (True, True)
    """
    from wordfreq import zipf_frequency

    forms = [word]
    if len(word) > 3 and word[0] in "وفبلك":
        forms.append(word[1:])
        if word[1:3] == "ال" or word[:2] == "لل":
            forms.append("ال" + word[2:])
    return max(zipf_frequency(s, "ar") for f in forms for s in _spellings(f))


def _rare(word: str, limit: float = RARE_ZIPF) -> bool:
    return _zipf(word) < limit


def _without_proclitic(word: str) -> str:
    """A folded word without one proclitic (و ف ب ل ك; لل gives ال), or the word itself."""
    if word.startswith("لل") and len(word) > 4:
        return "ال" + word[2:]
    return word[1:] if len(word) > 4 and word[0] in "وفبلك" else word


def _common(word: str) -> bool:
    """A rare word that still describes rather than names (codebook: names only): an
    adjective or common noun, which takes the article freely («مضطربة»: «المضطربة», «نفطي»:
    «النفطي»; «الرأس»: «رأس»), or a verb («يمتلكها», «تناشدهما»); with or without one
    proclitic («وخاضعة»).

    Example:
        >>> [_common(w) for w in ("مضطربه", "فيدرالي", "الراس", "يمتلكها", "عشماوي", "تيفاريتي")]
        [True, True, True, True, False, False]
    """
    for w in {word, _without_proclitic(word)}:
        if w.startswith("ال"):
            if len(w) > 3 and _zipf(w[2:]) >= RARE_ZIPF:
                return True
        elif _zipf("ال" + w) >= ARTICLE_ZIPF or _verb_like(w):
            return True
    return False


def _verb_like(w: str) -> bool:
    """An imperfect verb: a present-tense prefix (ي ت ن, or س before one) with an object
    suffix, or whose stem is as common with another person's prefix («يتهم»: «تتهم»),
    which a foreign name is not («ترودو»: «يرودو» is never written).

    Example:
        >>> _verb_like("يتهم"), _verb_like("تناشدهما"), _verb_like("ترودو")
        (True, True, False)
    """
    if w[:1] == "س" and w[1:2] in ("ي", "ت", "ن"):
        w = w[1:]
    if len(w) < 4 or w[0] not in "يتن":
        return False
    if w.endswith(("ها", "هما", "هم", "هن")):
        return True
    return any(_plain_zipf(p + w[1:]) >= VERB_ZIPF for p in "يتن" if p != w[0])


@lru_cache(maxsize=65536)
def _plain_zipf(word: str) -> float:
    """Zipf frequency of a folded word in its possible spellings, proclitics left on."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(s, "ar") for s in _spellings(word))


def name_slug(words: list[str]) -> str:
    """The id of a proposed actor: ``new:`` and its words (the pattern layer's and the speakers').

    Example:
        >>> name_slug(["هدى", "مزيودات"])
        'new:هدى_مزيودات'
    """
    return "new:" + "_".join(words)


def pattern_columns(sc: Scan, ents: dict[str, np.ndarray],
                    blocked: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Proposed entity spans of every text of a scan, as columns.

    Args:
        sc: The scan.
        ents: The gazetteer's entity columns for the same scan (sorted by start); a
            proposal never overlaps one of them, except an event that encloses its place.
        blocked: ``(starts, ends)`` of text the researcher excluded (``kind=exclude``
            gazetteer rows): no proposal overlaps it.

    Returns:
        Arrays ``start, end, label, canonical_id, literal_id, type, note, source`` and
        ``replaces`` (for each proposal, the index in ``ents`` of the entity it encloses
        and replaces, or -1).

    Example:
        >>> from akhbar.layers.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan('وقالت حركة "النهضة الجديدة" إن')
        >>> found = pattern_columns(sc, entity_columns(sc, patterns=False))
        >>> found["canonical_id"].tolist(), found["note"].tolist()
        (['new:النهضه_الجديده'], ['pattern: after «حركة»'])
    """
    lex = lexicon()
    n_tok = sc.tok_start.size
    e_start, e_end = ents["start"], ents["end"]
    k = np.searchsorted(e_start, sc.tok_start, side="right") - 1
    covered = np.full(n_tok, -1, np.int64)  # the entity covering each token
    ok = k >= 0
    ok[ok] = e_end[k[ok]] > sc.tok_start[ok]
    covered[ok] = k[ok]
    found = lex["matcher"].find_in(sc)
    rows: list[tuple] = []
    taken = np.zeros(n_tok, bool)
    if blocked is not None:
        for b_start, b_end in zip(*(np.asarray(x).tolist() for x in blocked)):
            taken[sc.token_from(b_start):sc.token_from(b_end)] = True
    entries = lex["cues"]
    # what follows each cue, for all cues at once: only a word or a mark (a quotation
    # mark) in the same text can start a name, and only person and place rules read
    # through a known entity
    after = sc.token_from(found.end)
    nxt = np.minimum(after, max(n_tok - 1, 0))
    ok = (after < n_tok) & (sc.tok_doc[nxt] == sc.doc_of(found.start)) if n_tok else np.zeros(len(found), bool)
    ok &= (sc.tok_kind[nxt] == LETTER) | (sc.tok_kind[nxt] == MARK)
    ok &= (covered[nxt] < 0) | lex["reads_entities"][found.entry]
    for c_start, c_end, entry, t in zip(found.start[ok].tolist(), found.end[ok].tolist(),
                                        found.entry[ok].tolist(), after[ok].tolist()):
        cue = entries[entry]
        if taken[t]:
            continue
        span = _quoted(sc, t, covered, lex) if sc.tok_kind[t] == MARK else None
        if span is None:
            span = _follower(sc, t, covered, cue, lex, ents)
        if span is None:
            continue
        first, last, replaces = span
        if taken[first:last + 1].any():
            continue
        taken[first:last + 1] = True
        quoted = replaces == -2
        if cue["role"] == "region":
            replaces = -1  # «شمال سوريا»: the region is a place, and سوريا in it still counts
            taken[first:last + 1] = False
        start = c_start if cue["role"] in ("head", "region") and not quoted else int(sc.tok_start[first])
        words = [sc.words[i] for i in range(first, last + 1) if sc.tok_kind[i] in (LETTER, LATIN, DIGIT)]
        if start == c_start:
            words = match_key(cue["cue"]).split() + words
        rows.append((start, int(sc.tok_end[last]), name_slug(_bare(words)), cue["type"],
                     f"pattern: after «{sc.text[c_start:c_end]}»", max(replaces, -1)))
    rows += _names_before_titles(sc, found, covered, taken, lex)
    rows += _acronyms(sc, covered, taken)
    rows += _repeated_names(sc, covered, taken, lex)
    rows += _surnames(sc, rows, covered, taken, lex)
    rows.sort()
    n = len(rows)
    col = list(zip(*rows)) if rows else [[]] * 6
    cid = np.array(col[2], dtype=object)
    return {"start": np.array(col[0], np.int64), "end": np.array(col[1], np.int64),
            "label": np.full(n, "NAM", dtype=object), "canonical_id": cid, "literal_id": cid.copy(),
            "type": np.array(col[3], dtype=object), "note": np.array(col[4], dtype=object),
            "source": np.full(n, "pattern", dtype=object), "replaces": np.array(col[5], np.int64)}


def _bare(words: list[str]) -> list[str]:
    """Words of a name for its id, without the first word's proclitics (وفبلك)."""
    if words and len(words[0]) > 3 and words[0][0] in "وفبلك" and words[0][1:2] != "ل":
        return [words[0][1:], *words[1:]] if words[0][1:] in lexicon()["first"] else words
    return words


def _quoted(sc: Scan, t: int, covered: np.ndarray, lex: dict):
    """A name in quotation marks right after the cue: ``(first, last, -2)`` tokens inside."""
    if sc.tok_kind[t] != MARK or sc.text[sc.tok_start[t]] not in QUOTES_OPEN:
        return None
    doc = sc.tok_doc[t]
    for k in range(t + 1, min(t + MAX_QUOTED_WORDS + 2, sc.tok_start.size)):
        if sc.tok_doc[k] != doc:
            return None
        if sc.tok_kind[k] == MARK:
            if sc.text[sc.tok_start[k]] in QUOTES_CLOSE and k > t + 1:
                inside = range(t + 1, k)
                if any(covered[i] >= 0 for i in inside) or \
                        all(sc.words[i] in lex["stop_all"] for i in inside):
                    return None
                return t + 1, k - 1, -2
            return None
    return None


def _follower(sc: Scan, t: int, covered: np.ndarray, cue: dict, lex: dict, ents: dict):
    """The name after a cue by the cue's ``name`` rule: ``(first, last, replaces)`` or None."""
    rule = cue["name"]
    if rule == "person":
        return _person(sc, t, covered, lex, ents["type"])
    if rule == "place":  # an event named after a known place: «قمة الرياض»
        e = covered[t]
        if e < 0 or ents["type"][e] not in ("place", "state") or ents["label"][e] != "NAM" \
                or ents["start"][e] < sc.tok_start[t]:
            return None
        last = t
        while last + 1 < sc.tok_start.size and covered[last + 1] == e:
            last += 1
        return t, last, int(e)
    if rule == "rare":
        words = 3 if cue["type"] == "organization" else 1
        return _rare_words(sc, t, covered, lex, words)
    return None


def _word_ok(sc: Scan, k: int, covered: np.ndarray, lex: dict, doc: int) -> bool:
    if not (k < sc.tok_start.size and sc.tok_doc[k] == doc and sc.tok_kind[k] == LETTER and covered[k] < 0):
        return False
    word = sc.words[k]
    return word not in lex["stop_all"] or word in lex["first"]


def _person(sc: Scan, t: int, covered: np.ndarray, lex: dict, ents_type: np.ndarray):
    """Skip the title's complements, then read a name of two to four words."""
    doc, n_tok = sc.tok_doc[t], sc.tok_start.size
    k, steps = t, 0
    while k < n_tok and steps < MAX_COMPLEMENT and sc.tok_doc[k] == doc:
        word = sc.words[k]
        if covered[k] >= 0:
            e = covered[k]
            if ents_type[e] == "person":
                return None  # the title's holder is named already: «الرئيس التركي رجب طيب أردوغان»
            while k < n_tok and covered[k] == e:
                k += 1
        elif sc.tok_kind[k] == LETTER and (word in lex["complement"] or word in lex["cue_words"]
                                           or (word.startswith("ال") and word.endswith(("ي", "يه"))
                                               and word not in lex["first"])):
            k += 1
        elif word in _PREPOSITIONS and k + 1 < n_tok and covered[k + 1] >= 0:
            k += 1
        else:
            break
        steps += 1
    names, first_known = [], False
    while len(names) < MAX_NAME_WORDS and _word_ok(sc, k, covered, lex, doc):
        word = sc.words[k]
        connector = word in lex["connector"]
        if not names:
            if (word.startswith("ال") and word not in lex["first"]) or word in lex["complement"] \
                    or word in lex["cue_words"]:
                return None
            first_known = word in lex["first"] or connector
        elif not (word in lex["first"] or connector or _rare(word)) or _joins_or_acts(word, lex):
            break
        names.append(k)
        k += 1
        if word.startswith("ال") and len(names) > 1 and sc.words[names[-2]] not in lex["connector"] \
                and word not in lex["first"]:
            break  # an al- surname ends the name: «أيمن الصفدي»
    while names and sc.words[names[-1]] in lex["connector"]:
        names.pop()
    if len(names) < 2:
        return None
    if not first_known and not all(_rare(sc.words[i], ALL_RARE_ZIPF) and not _common(sc.words[i])
                                   for i in names):
        return None  # «أسبق وديبلوماسي محنك» describes a person, it does not name one
    return names[0], names[-1], -1


def _joins_or_acts(word: str, lex: dict) -> bool:
    """A word that cannot go on a name: a conjunction joining the next phrase («وديبلوماسي»),
    a verb («تناشدهما»), or a noun with a pronoun suffix («بمساعدتها»).

    Example:
        >>> lex = lexicon()
        >>> [_joins_or_acts(w, lex) for w in ("وديبلوماسي", "ويدودو", "تناشدهما", "ترودو")]
        [True, False, True, False]
    """
    if word[0] == "و" and len(word) > 3 and word not in lex["first"] and \
            _plain_zipf(word[1:]) > _plain_zipf(word):
        return True  # «وديبلوماسي» is «و» + a word; «ويدودو» is a name
    bare = _without_proclitic(word)
    return _verb_like(bare) or (len(bare) > 4 and bare.endswith(("ها", "هما", "هم", "هن")))


def _names_before_titles(sc: Scan, found, covered: np.ndarray, taken: np.ndarray, lex: dict) -> list[tuple]:
    """A name set off by a comma before a title: «بهرام قاسمي، المتحدث باسم الخارجية».
    Its first word must be a known first name."""
    rows = []
    entries = lex["cues"]
    before = sc.token_from(found.start) - 1
    ok = (before >= 2) & lex["reads_entities"][found.entry]
    ok[ok] &= sc.tok_kind[before[ok]] == MARK
    for c_start, entry, comma in zip(found.start[ok].tolist(), found.entry[ok].tolist(), before[ok].tolist()):
        cue = entries[entry]
        if cue["name"] != "person" or sc.text[sc.tok_start[comma]] not in "،,":
            continue
        doc = sc.tok_doc[comma]
        for first in range(comma - MAX_NAME_WORDS, comma - 1):
            words = list(range(max(first, 0), comma))
            if all(_word_ok(sc, k, covered, lex, doc) and not taken[k] for k in words) and \
                    sc.words[words[0]] in lex["first"] and not sc.words[words[0]].startswith("ال") and \
                    all(sc.words[k] in lex["first"] or _rare(sc.words[k]) for k in words[1:]):
                taken[words[0]:comma] = True
                rows.append((int(sc.tok_start[words[0]]), int(sc.tok_end[comma - 1]),
                             name_slug(_bare([sc.words[k] for k in words])), "person",
                             f"pattern: before «{sc.text[c_start:found.end[found.start == c_start][0]]}»", -1))
                break
    return rows


def _rare_words(sc: Scan, t: int, covered: np.ndarray, lex: dict, most: int):
    """One rare word (a connector and one more word), or up to ``most`` rare words."""
    doc = sc.tok_doc[t]
    if not _word_ok(sc, t, covered, lex, doc):
        return None
    word = sc.words[t]
    if word in lex["connector"]:
        return (t, t + 1, -1) if _word_ok(sc, t + 1, covered, lex, doc) and \
            _rare(sc.words[t + 1], RARE_ZIPF + 0.5) else None
    if word in lex["complement"] or word in lex["cue_words"] or not _rare(word) or \
            (not word.startswith("ال") and word.endswith(("يه", "يين", "يون"))):
        return None  # an indefinite nisba describes, it does not name: «ولاية رئاسية»
    if _verb_like(_without_proclitic(word)) or (most == 1 and _common(word)):
        return None  # «منطقة يمتلكها», «حقل نفطي», «منطقة مضطربة»: a description, not a name
    last = t
    while last - t + 1 < most and _word_ok(sc, last + 1, covered, lex, doc) and \
            not sc.words[last + 1].startswith("ال") and _rare(sc.words[last + 1]) and \
            not _verb_like(_without_proclitic(sc.words[last + 1])):
        last += 1
    return t, last, -1


def _repeated_names(sc: Scan, covered: np.ndarray, taken: np.ndarray, lex: dict) -> list[tuple]:
    """A known first name followed by an unknown rare word, the pair named
    :data:`REPEATED_NAME` times or more in one article, with no title needed: «هشام عشماوي»
    in an article about him. The second word must name, not describe (:func:`_common`)."""
    first, words, n_tok = lex["first"], sc.words, sc.tok_start.size
    pairs: dict[tuple, list[int]] = {}
    if n_tok < 2:
        return []
    # the tokens that are a first name, with or without one proclitic (one set lookup per word:
    # a fifth of the cost of pandas' isin, which first copies the words into an Arrow array)
    with_clitic = lex["first_with_clitic"]
    for k in np.flatnonzero(np.fromiter(map(with_clitic.__contains__, words[:-1]), bool, n_tok - 1)).tolist():
        w = words[k]
        given = w if w in first else w[1:]
        if given in lex["connector"] or given in lex["stop_all"]:
            continue
        nxt = words[k + 1]
        if nxt in first or nxt in lex["stop_all"] or nxt in lex["connector"] or nxt in lex["cue_words"]:
            continue
        pairs.setdefault((int(sc.tok_doc[k]), given, nxt), []).append(k)
    rows = []
    for (_doc, given, surname), at in pairs.items():
        if len(at) < REPEATED_NAME:
            continue
        at = [k for k in at if sc.tok_kind[k] == LETTER and sc.tok_kind[k + 1] == LETTER
              and sc.tok_doc[k + 1] == sc.tok_doc[k] and covered[k] < 0 and covered[k + 1] < 0
              and not taken[k] and not taken[k + 1]]
        if len(at) < REPEATED_NAME or not _rare(surname) or _common(surname) or _joins_or_acts(surname, lex):
            continue
        for k in at:
            taken[k:k + 2] = True
            rows.append((int(sc.tok_start[k]), int(sc.tok_end[k + 1]), name_slug([given, surname]), "person",
                         f"pattern: a first name, named {len(at)} times", -1))
    return rows


def _acronyms(sc: Scan, covered: np.ndarray, taken: np.ndarray) -> list[tuple]:
    """Latin-script acronyms (two to six capitals: CNN, PKK) not inside an entity."""
    rows = []
    for k in np.flatnonzero((sc.tok_kind == LATIN) & (covered < 0) & ~taken).tolist():
        word = sc.text[sc.tok_start[k]:sc.tok_end[k]]
        if 2 <= len(word) <= 6 and word.isupper() and word.isascii():
            taken[k] = True
            rows.append((int(sc.tok_start[k]), int(sc.tok_end[k]), "new:" + word.lower(), "organization",
                         "pattern: Latin acronym", -1))
    return rows


def _skeleton(word: str) -> str:
    """A transliterated name without its long vowels, so that spellings of one foreign
    name meet: برنسون, برونسون and برانسون all give برنسن."""
    return word[:1] + "".join(c for c in word[1:] if c not in "اوي")


def _surnames(sc: Scan, rows: list[tuple], covered: np.ndarray, taken: np.ndarray, lex: dict) -> list[tuple]:
    """A proposed person's last word used alone later in the same article («المسماري»
    after «أحمد المسماري»), with or without proclitics; a foreign surname also in
    another vowel spelling («برونسون» after «أندرو برنسون»). One pass over each article
    that has proposed persons, whatever their number."""
    extra = []
    words = sc.words
    by_doc: dict[int, list] = {}
    for start, end, cid, typ, _note, _rep in rows:
        if typ != "person":
            continue
        last = int(sc.token_from(end) - 1)
        surname = words[last]
        if surname in lex["connector"] or surname in lex["first"] or len(surname) < 3 or not _rare(surname):
            continue
        given = words[int(sc.token_from(start)):last]
        by_doc.setdefault(int(sc.tok_doc[last]), []).append((last, surname, given, cid, sc.text[start:end]))
    for doc, persons in by_doc.items():
        forms: dict[str, int] = {}  # a surname's forms with proclitics -> its person (the first listed wins)
        skeletons: dict[str, int] = {}
        for n, (_last, surname, _given, _cid, _full) in enumerate(persons):
            variants = [surname] + [p + surname for p in ("و", "ف", "ب", "ل", "ك", "وب", "ول")]
            if surname.startswith("ال"):
                variants += ["لل" + surname[2:], "ولل" + surname[2:]]
            else:
                skeleton = _skeleton(surname)
                if len(surname) >= 5 and len(skeleton) >= 4:
                    skeletons.setdefault(skeleton, n)
            for v in variants:
                forms.setdefault(v, n)
        lo = min(p[0] for p in persons) + 1
        hi = int(np.searchsorted(sc.tok_doc, doc, side="right"))
        initials = {sk[0] for sk in skeletons}
        # candidates by plain dict lookups over the article's words; the array checks
        # (taken, covered, a word token) only for the few that match
        hits = [(k, forms[w]) if w in forms else (k, -1) for k, w in enumerate(words[lo:hi], lo)
                if w in forms or (skeletons and len(w) >= 5 and (w[0] in initials or w[1] in initials))]
        for k, n in hits:
            if taken[k] or covered[k] >= 0 or sc.tok_kind[k] != LETTER:
                continue
            if n < 0:
                word = words[k]
                n = skeletons.get(_skeleton(word), skeletons.get(_skeleton(word[1:]), -1))
                if n >= 0 and not _rare(word):  # the costlier test last
                    n = -1
            if n >= 0 and k > persons[n][0]:
                last, _surname, given, cid, full = persons[n]
                first = k - len(given)  # the whole name again: «وأضاف سالم الورفلي»
                whole = first >= 0 and not taken[first:k].any() and \
                    [_bare([w])[0] for w in words[first:k]] == given
                first = first if whole else k
                taken[first:k + 1] = True
                extra.append((int(sc.tok_start[first]), int(sc.tok_end[k]), cid, "person",
                              f"pattern: {'name' if whole else 'surname'} of «{full}»", -1))
    return extra
