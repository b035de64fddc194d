"""Names no list holds: a trained tagger of persons, organisations and places.

The gazetteer and the pattern layer find the actors their lists and cues reach. Beside
them, a linear-chain CRF (CRFsuite, through ``python-crfsuite``) trained on the ANERcorp
training split (2000s Arabic newswire, CC BY-SA 4.0; ``data/names.LICENSE.md``) tags the
tokens of every sentence as the beginning (``B-``) or inside (``I-``) of a person
(``PERS``), an organisation (``ORG``) or a place (``LOC``), or outside (``O``).

It reads akhbar's own tokens (:class:`akhbar.scan.Scan`: folded words, punctuation
apart) and features of each word type, built once per type and cached: the word, its
proclitic-stripped form, prefixes and suffixes, its shape, how common it is in general
Arabic (wordfreq), and akhbar's knowledge: the gazetteer's single-word forms and name
words by type, the first-name list, titles and ranks (``data/patterns.csv``,
``data/pattern_words.csv``), reporting verbs (``data/reporting.csv``), nisba
adjectives; the same for the two words on each side; the gazetteer match the token
sits in; and what the word's other occurrences in the same article have around them
(:func:`document_evidence`: «فرويد» alone, where it followed «سيغموند» once). A second
pass (:func:`propagate`) tags a rare word that ends a person's name in its article as a
person where it stands alone, and an organisation's words as that organisation where they
stand again. Only the features the model weighs are built when tagging.

A tagged name that overlaps a span of the entity layer (gazetteer or pattern) is dropped:
the list's id, or the cue's reading, wins. The others are proposals: ``source="model"``, a
``new:`` id of the name's folded words (as the pattern layer makes them), never counted as
an actor mention until reviewed. ``scripts/train_names.py`` makes the model file.

Where the tagger and the pattern layer read the same words, the pattern's reading wins:
its cue is evidence, and its id links a surname to the full name across spellings
(«برونسون» after «أندرو برنسون»). On the 12 dev articles the two overlapped 10 times, 8
times on the same words, and the tagger's span was never the right one where the
pattern's was not.

Five-fold cross-validation on the training split (contiguous blocks of sentences, strict
whole names; ``names.json``): the tagger alone reaches F1 0.73 on persons, 0.60 on
organisations, 0.87 on places (0.67 / 0.58 / 0.86 before the article-wide features and
the second pass). akhbar's whole entity layer on the same held-out blocks went from
0.30 / 0.44 / 0.81 without the tagger to 0.66 / 0.51 / 0.82 with the earlier model (the
gazetteer's spans win where they overlap, and the corpus's conventions differ from the
codebook's in places).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..resources import DATA, read_data
from ..scan import DIGIT, LATIN, LETTER, MARK, Scan

MODEL = DATA / "names.crfsuite"
"""The shipped model (trained by ``scripts/train_names.py`` on the ANERcorp training split)."""
MODEL_INFO = DATA / "names.json"
"""What trained the shipped model: parameters, sha256 of the model file, cross-validation."""
TAG_TYPES = {"PERS": "person", "ORG": "organization", "LOC": "place"}
"""IOB types the tagger proposes, and the akhbar type each becomes (``MISC`` is not tagged)."""
CONTEXT = (-2, -1, 1, 2)
"""Neighbours whose word features each token sees."""
PROPAGATE_ZIPF = frozenset("0123")
"""Zipf buckets of the words :func:`propagate` tags as persons (Zipf < 4: rare words)."""
DOC_SENTENCES = 20
"""Training sentences read as one document by :func:`document_evidence` (ANERcorp does
not mark where its articles end)."""
_MAX_CACHE = 300_000
"""Word types whose features stay cached (the cache is emptied beyond it)."""
_PROCLITICS = ("وبال", "وال", "فال", "بال", "كال", "لل", "ال", "وب", "ول", "وك", "فب", "فل", "و", "ف", "ب", "ل", "ك")


@lru_cache(maxsize=1)
def knowledge() -> dict[str, dict | frozenset]:
    """akhbar's word lists as the tagger reads them, keyed by folded word.

    Returns:
        ``single`` (word -> gazetteer types of the one-word forms it is: ``person``,
        ``place``, ... ``nom`` for a title, ``adj`` for a nisba), ``part`` (the same for
        words of longer forms), and sets ``first`` (first names), ``title`` (words of
        title cues and offices), ``report`` (reporting verbs), ``connector`` (عبد, بن...),
        ``classifier`` (words of the pattern layer's organisation and place cues).

    Example:
        >>> k = knowledge()
        >>> sorted(k["single"]["تركيا"]), "محمد" in k["first"], "اكد" in k["report"]
        (['state'], True, True)
    """
    from .entities import load_gazetteer
    from ..matcher import match_key

    gaz = load_gazetteer()
    single: dict[str, set] = {}
    part: dict[str, set] = {}
    for form, typ, kind in zip(gaz["form"], gaz["type"], gaz["kind"]):
        if kind == "exclude":
            continue
        tag = {"adjective": "adj", "title": "nom"}.get(kind, typ)
        words = match_key(form.rstrip("*")).split()
        for w in words:
            (single if len(words) == 1 else part).setdefault(w, set()).add(tag)
    cues = read_data("patterns.csv")
    words = read_data("pattern_words.csv")
    title = {w for c in cues.loc[cues["role"] == "title", "cue"] for w in match_key(c).split()}
    title |= {match_key(w) for w in words.loc[words["class"] == "complement", "word"]}
    classifier = {w for c in cues.loc[cues["role"].isin(["head", "classifier"]), "cue"] for w in match_key(c).split()}
    return {"single": {w: frozenset(t) for w, t in single.items()},
            "part": {w: frozenset(t) for w, t in part.items()},
            "first": frozenset(match_key(w) for w in read_data("first_names.csv")["name"]),
            "title": frozenset(title),
            "report": frozenset(match_key(w) for w in read_data("reporting.csv")["form"]),
            "connector": frozenset(match_key(w) for w in words.loc[words["class"] == "connector", "word"]),
            "classifier": frozenset(classifier)}


_CACHE: dict[str, tuple] = {}


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("ar")


def zipf(word: str) -> float:
    """How common a folded word is in general Arabic (wordfreq's Zipf scale, 0 when
    unknown); a final ه is also read as ة, which the fold made it.

    Example:
        >>> zipf("الحكومه") > 5 > zipf("عشماوي")
        True
    """
    freq = _frequencies()
    f = freq.get(word, 0.0)
    if word.endswith("ه"):
        f = max(f, freq.get(word[:-1] + "ة", 0.0))
    return float(np.log10(f) + 9) if f else 0.0


def core(word: str) -> tuple[str, str]:
    """A folded word as ``(proclitics, core)``, the proclitics (و/ف, ب/ك/ل, the article)
    taken off only where the core is more common in Arabic than the word or a word akhbar
    knows: «وترامب» is و + ترامب, «فرانكفورت» stays whole.

    Example:
        >>> core("وترامب"), core("فرانكفورت"), core("والعراق"), core("فيصل")
        (('و', 'ترامب'), ('', 'فرانكفورت'), ('وال', 'عراق'), ('', 'فيصل'))
    """
    k = knowledge()
    if word in k["first"] or word in k["single"]:
        return "", word  # «فيصل» is a name, not ف + يصل
    z = None
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 3:
            rest = word[len(p):]
            if p.endswith("ال"):
                return p, rest
            if rest in k["single"] or rest in k["first"] or rest in k["part"]:
                return p, rest
            z = zipf(word) if z is None else z
            if zipf(rest) > z:
                return p, rest
    return "", word


def word_features(word: str, kind: int = LETTER) -> tuple[list[str], ...]:
    """Features of one word type: its own, then those its neighbours at -2, -1, +1 and +2
    see (prefixed by the offset). Built once per word type and cached.

    Example:
        >>> own, *around = word_features("وترامب")
        >>> own[:3], around[1]
        (['w=وترامب', 'c=ترامب', 'p=و'], ['-1w=وترامب', '-1c=ترامب', '-1z=4', '-1g1=person'])
    """
    got = _CACHE.get(word)
    if got is not None:
        return got
    k = knowledge()
    if kind == LETTER:
        prefix, stem = core(word)
        bare = word[len(prefix) - 2:] if prefix.endswith("ال") else stem  # «والعراق»: العراق
        near = ["w=" + word] + (["c=" + stem] if prefix else [])
        own = near + (["p=" + prefix] if prefix else [])
        own += ["b2=" + stem[:2], "b3=" + stem[:3], "b4=" + stem[:4], "e1=" + word[-1:], "e2=" + word[-2:],
                "e3=" + word[-3:], "e4=" + word[-4:], f"n={min(len(stem), 8)}"]
        z = zipf(stem if prefix and not prefix.endswith("ال") else word)
        bucket = "z=" + ("0" if not z else str(min(int(z), 6)))
        own.append(bucket)
        if z < 4 and len(stem) > 4:  # the letters inside a rare word: «شومسكي», «فرويد»
            own += sorted({"t3=" + stem[i:i + 3] for i in range(1, len(stem) - 3)})
        far = list(near)
        near.append(bucket)
        for form, mark in ((word, ""), (stem, "c"), (bare, "b")):
            if (mark == "c" and stem == word) or (mark == "b" and bare in (word, stem)):
                continue
            own += [f"g{mark}1={t}" for t in sorted(k["single"].get(form, ()))]
            own += [f"g{mark}w={t}" for t in sorted(k["part"].get(form, ()))]
        near += [f"g1={t}" for t in sorted(set().union(*(k["single"].get(f, ()) for f in (word, stem, bare))))]
        klass = ""
        for name, forms in (("first", (word, stem)), ("title", (word, stem, bare)), ("report", (word, stem)),
                            ("connector", (word,)), ("classifier", (word, bare))):
            if any(f in k[name] for f in forms):
                own.append("k=" + name)
                near.append("k=" + name)
                far.append("k=" + name)
                klass = klass or name
        if bare.startswith("ال") and bare.endswith(("ي", "يه", "يين", "يون", "يان")):
            own.append("nisba")
            near.append("nisba")
    else:
        klass, bucket = "", "z=mark" if kind == MARK else "z=other"
        shape = {DIGIT: "digit", LATIN: "latin", MARK: "mark"}.get(kind, "other")
        own = ["w=" + word, "s=" + shape]
        near = far = ["w=" + word] if kind == MARK else ["s=" + shape]
        if kind == LATIN:
            own.append("s=upper" if word.isupper() else "s=title" if word[:1].isupper() else "s=lower")
            own.append("w=" + word.lower())
    stem = stem if kind == LETTER and bucket != "z=6" else ""
    nisba = kind == LETTER and "nisba" in own
    got = (own, *([f"{d:+d}{f}" for f in (far if abs(d) == 2 else near)] for d in CONTEXT), klass, bucket[2:],
           stem, nisba)
    if len(_CACHE) >= _MAX_CACHE:
        _CACHE.clear()
    _CACHE[word] = got
    return got


def gazetteer_tags(sc: Scan, ents: dict[str, np.ndarray] | None) -> list[str]:
    """Per token of the scan, the gazetteer match it sits in as a feature value:
    ``B-person``, ``I-place``, ``B-nom`` (a title) ... or "" outside. Only the
    gazetteer's own rows (``source="auto"``) count, not proposals.

    Example:
        >>> from akhbar.layers.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan("قال الرئيس رجب طيب أردوغان في أنقرة")
        >>> gazetteer_tags(sc, entity_columns(sc, patterns=False))
        ['', '', 'B-person', 'I-person', 'I-person', '', 'B-place']
    """
    n = sc.tok_start.size
    out = [""] * n
    if ents is None or not len(ents["start"]):
        return out
    keep = (ents["source"] == "auto") & (ents["label"] != "ADJ")
    starts, ends = ents["start"][keep], ents["end"][keep]
    types = np.where(ents["label"][keep] == "NOM", "nom", ents["type"][keep])
    first = sc.token_from(starts).tolist()
    last = (sc.token_from(ends) - 1).tolist()
    for a, b, t in zip(first, last, types.tolist()):
        if a < n and not out[a]:
            out[a] = "B-" + t
            for i in range(a + 1, b + 1):
                out[i] = "I-" + t
    return out


def document_evidence(typs: list[list[tuple]], groups: list[int],
                      keep: frozenset | None = None) -> dict[tuple[int, str], list[str]]:
    """What the neighbours of each word say across its document: for every ``(group,
    core form)`` of a word less common than the commonest (Zipf < 6), the classes of the
    words before and after its occurrences (a title, a first name, a reporting verb...),
    the core forms before it, and how often it occurs (1, 2-3, 4+).

    A surname that follows a first name once («سيغموند فرويد») carries that into the
    sentences where it stands alone («وكان فرويد ...»). With ``keep`` (the features a model
    weighs), only those, in no set order; without, all, sorted (training needs the same
    order every time).

    Example:
        >>> from akhbar.scan import scan
        >>> sc = scan("قال الرئيس فرويد إن. وكان فرويد هنا")
        >>> typs = [[word_features(sc.words[i], sc.tok_kind[i]) for i in range(a, b + 1)]
        ...         for a, b in zip(*sc.sentence_tokens())]
        >>> document_evidence(typs, [0, 0])[(0, "فرويد")]
        ['d<c=رئيس', 'd<title', 'dn=2']
    """
    seen: dict[tuple[int, str], set] = {}
    count: dict[tuple[int, str], int] = {}
    for typ, g in zip(typs, groups):
        n = len(typ)
        for i in range(n):
            stem = typ[i][7]
            if not stem:
                continue
            key = (g, stem)
            count[key] = count.get(key, 0) + 1
            ev = seen.setdefault(key, set())
            if i:
                p = typ[i - 1]
                if p[5]:
                    ev.add("d<" + p[5])
                if p[8]:
                    ev.add("d<nisba")
                if p[7]:
                    ev.add("d<c=" + p[7])
            if i + 1 < n and typ[i + 1][5]:
                ev.add("d>" + typ[i + 1][5])
    for key, c in count.items():
        seen[key].add("dn=" + ("1" if c == 1 else "2" if c < 4 else "4"))
    if keep is None:
        return {key: sorted(ev) for key, ev in seen.items()}
    return {key: [f for f in ev if f in keep] for key, ev in seen.items()}


def sentence_features(sc: Scan, ents: dict[str, np.ndarray] | None = None,
                      groups: np.ndarray | None = None, model: str | None = None) -> list[tuple[int, list[list[str]]]]:
    """Feature lists of the tokens of every sentence of a scan (line breaks left out).

    Args:
        sc: The scan.
        ents: The entity layer's columns (the gazetteer's matches are features).
        groups: Per token, the document it belongs to for :func:`document_evidence`
            (the scan's texts by default).
        model: Keep only the features this model file weighs ("" for the shipped one;
            ``None``, the default, keeps all, as training needs): the tags are the same,
            and tagging is faster.

    Returns:
        ``[(first_token, [features of each token]), ...]``, one per sentence.

    Example:
        >>> from akhbar.scan import scan
        >>> [(first, len(tokens)) for first, tokens in sentence_features(scan("وصل بوش. ثم غادر"))]
        [(0, 3), (3, 2)]
    """
    words, kinds = sc.words, sc.tok_kind.tolist()
    gaz = gazetteer_tags(sc, ents)
    first, last = sc.sentence_tokens()
    groups = (sc.tok_doc if groups is None else groups).tolist()
    bounds = [(a, b) for a, b in zip(first.tolist(), last.tolist()) if a >= 0]
    typs = [[word_features(words[i], kinds[i]) for i in range(a, b + 1)] for a, b in bounds]
    keep, kept = weighed(model or None) if model is not None else (None, None)
    evidence = document_evidence(typs, [groups[a] for a, _b in bounds], keep)
    edge = {"-2": ["-2BOS"], "-1": ["-1BOS"], "+1": ["+1EOS"], "+2": ["+2EOS"]}
    lists = typs
    if keep is not None:
        edge = {k: [f for f in v if f in keep] for k, v in edge.items()}
        lists = []
        for a, b in bounds:
            row = []
            for i in range(a, b + 1):
                got = kept.get(words[i])
                if got is None:
                    if len(kept) >= _MAX_CACHE:
                        kept.clear()
                    got = kept[words[i]] = [[f for f in part if f in keep]
                                            for part in word_features(words[i], kinds[i])[:5]]
                row.append(got)
            lists.append(row)
    out = []
    for (a, b), typ, lst in zip(bounds, typs, lists):
        g = gaz[a:b + 1]
        doc = groups[a]
        n = len(typ)
        seq = []
        for i in range(n):
            f = list(lst[i][0])
            f += lst[i - 2][1] if i >= 2 else edge["-2"]
            f += lst[i - 1][2] if i >= 1 else edge["-1"]
            f += lst[i + 1][3] if i + 1 < n else edge["+1"]
            f += lst[i + 2][4] if i + 2 < n else edge["+2"]
            if typ[i][7]:
                f += evidence[(doc, typ[i][7])]
            extra = []
            if i:  # the word pair: «قال وزير», «جورج بوش»
                extra.append("-1w|w=" + words[a + i - 1] + "|" + words[a + i])
                if typ[i - 1][7] and typ[i][7]:
                    extra.append("-1c|c=" + typ[i - 1][7] + "|" + typ[i][7])
                if g[i - 1]:
                    extra.append("-1g=" + g[i - 1][2:])
                if typ[i - 1][5]:  # «الرئيس» or a first name before a rare word
                    extra.append(f"-1k|z={typ[i - 1][5]}|{typ[i][6]}")
            if g[i]:
                extra.append("g=" + g[i])
            if i + 1 < n:
                if typ[i + 1][5]:
                    extra.append(f"+1k|z={typ[i + 1][5]}|{typ[i][6]}")
                if g[i + 1]:
                    extra.append("+1g=" + g[i + 1][2:])
            f += extra if keep is None else [e for e in extra if e in keep]
            seq.append(f)
        out.append((a, seq))
    return out


class ModelError(RuntimeError):
    """The tagger's model file is missing or unreadable."""


@lru_cache(maxsize=2)
def tagger(path: str | None = None):
    """The CRFsuite tagger of the model file (the shipped one by default), opened once.

    Raises:
        ModelError: naming the file when it is missing or not a CRFsuite model.

    Example:
        >>> sorted(tagger().labels())
        ['B-LOC', 'B-ORG', 'B-PERS', 'I-LOC', 'I-ORG', 'I-PERS', 'O']
    """
    import pycrfsuite

    model = Path(path) if path else MODEL
    if not model.is_file():
        raise ModelError(f"{model}: name tagger model not found (make it with scripts/train_names.py)")
    t = pycrfsuite.Tagger()
    try:
        t.open(str(model))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{model}: not a CRFsuite model ({exc})") from None
    return t


@lru_cache(maxsize=2)
def weighed(path: str | None = None) -> tuple[frozenset, dict]:
    """The features a model file weighs (CRFsuite drops the others when it tags), and a
    cache of each word type's features kept to them.

    Example:
        >>> keep, _cache = weighed()
        >>> "k=title" in keep, "w=no-such-word" in keep
        (True, False)
    """
    return frozenset(tagger(path).info().attributes), {}


def model_info() -> dict:
    """What trained the shipped model (``data/names.json``): parameters, the model file's
    sha256 and the cross-validation scores.

    Example:
        >>> model_info()["training"]["file"]
        'anercorp/train.txt'
    """
    return json.loads(MODEL_INFO.read_text(encoding="utf-8"))


def tag_tokens(sc: Scan, ents: dict[str, np.ndarray] | None = None, model: str | None = None) -> list[str]:
    """The IOB tag of every token of a scan (``O`` for line breaks).

    Example:
        >>> from akhbar.scan import scan
        >>> tag_tokens(scan("وقال جورج بوش إن"))
        ['O', 'B-PERS', 'I-PERS', 'O']
    """
    t = tagger(model)
    tags = ["O"] * sc.tok_start.size
    kinds = sc.tok_kind
    for a, seq in sentence_features(sc, ents, model=model or ""):
        if len(seq) > 1 or kinds[a] != MARK:
            tags[a:a + len(seq)] = t.tag(seq)
    return propagate(tags, sc.words, sc.tok_doc.tolist())


def _known(word: str) -> tuple | None:
    """The cached features of a word (:func:`word_features`), or of an Arabic word not
    cached yet; ``None`` for anything else (a mark, a number, a Latin word)."""
    got = _CACHE.get(word)
    if got is None and word and all("\u0621" <= c <= "\u064a" for c in word):
        got = word_features(word)
    return got


def propagate(tags: list[str], words: list[str], groups: list) -> list[str]:
    """A second pass over the tags of a document (``groups``: per token): a rare word
    (Zipf < 4) that ends a person's name somewhere in its document is a person where the
    tagger left it outside too («فرويد» alone after «سيغموند فرويد»); the words of an
    organisation's name, read by their core forms, are that organisation wherever else
    they stand untagged in the document («للبنك التجاري» after «البنك التجاري»).
    Five-fold cross-validation: person F1 +0.02 (recall +0.04, precision -0.01),
    organisation F1 +0.01.

    Example:
        >>> propagate(["B-PERS", "I-PERS", "O", "O", "O"], ["سيغموند", "فرويد", "قال", "فرويد", "انه"], [0] * 5)
        ['B-PERS', 'I-PERS', 'O', 'B-PERS', 'O']
        >>> propagate(["B-ORG", "I-ORG", "O", "O", "O"], ["البنك", "التجاري", "قال", "للبنك", "التجاري"], [0] * 5)
        ['B-ORG', 'I-ORG', 'O', 'B-ORG', 'I-ORG']
    """
    ends, orgs = set(), {}
    keys = [None] * len(words)

    def key(i):
        if keys[i] is None:
            typ = _known(words[i])
            keys[i] = typ[7] if typ and typ[7] else words[i]
        return keys[i]

    for a, b, typ in iob_spans(tags):
        if typ == "PERS":
            got = _known(words[b])
            if got and got[7]:
                ends.add((groups[b], got[7]))
        elif typ == "ORG":
            name = tuple(key(i) for i in range(a, b + 1))
            orgs.setdefault((groups[a], name[0]), set()).add(name)
    if not ends and not orgs:
        return tags
    out = list(tags)
    stems = {stem for _g, stem in ends}
    firsts = {first for _g, first in orgs}
    for i, word in enumerate(words):
        if out[i] != "O":
            continue
        typ = _known(word)
        stem = typ[7] if typ else ""
        if stem in stems and typ[6] in PROPAGATE_ZIPF and (groups[i], stem) in ends:
            out[i] = "I-PERS" if i and out[i - 1][2:] == "PERS" and groups[i - 1] == groups[i] else "B-PERS"
            continue
        if (stem or word) not in firsts:
            continue
        for name in sorted(orgs.get((groups[i], key(i)), ())):
            j = i + len(name)
            if j <= len(words) and all(out[k] == "O" and groups[k] == groups[i] and key(k) == name[k - i]
                                       for k in range(i, j)) and (j == len(words) or out[j][:2] != "I-"):
                out[i:j] = ["B-ORG"] + ["I-ORG"] * (len(name) - 1)
                break
    return out


def iob_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Whole names of a sequence of IOB tags, as ``(first, last, type)`` token indices
    (an ``I-`` without its ``B-`` starts a name).

    Example:
        >>> iob_spans(["O", "B-PERS", "I-PERS", "I-LOC", "O", "B-ORG"])
        [(1, 2, 'PERS'), (3, 3, 'LOC'), (5, 5, 'ORG')]
    """
    spans = []
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag[:2] == "I-" and tag[2:] == typ
        if not inside and typ:
            spans.append((start, i - 1, typ))
            typ = ""
        if tag[:2] in ("B-", "I-") and not inside:
            start, typ = i, tag[2:]
    return spans


def _slug(words: list[str], first: frozenset) -> str:
    """The ``new:`` id of a name's folded words, as the pattern layer writes it: the first
    word without و/ف/ب/ل/ك when what stays is a first name or starts with the article."""
    w = words[0]
    if len(w) > 3 and w[0] in "وفبلك" and w not in first:  # «كريم» is a name, not ك + ريم
        rest = w[1:]
        if rest[:1] in "بلك" and rest[1:3] == "ال":
            rest = rest[1:]
        if rest in first or (rest.startswith("ال") and len(rest) > 3):
            words = [rest, *words[1:]]
        elif w.startswith("لل") and len(w) > 4:
            words = ["ال" + w[2:], *words[1:]]
    return "new:" + "_".join(words)


def name_columns(sc: Scan, ents: dict[str, np.ndarray], model: str | None = None) -> dict[str, np.ndarray]:
    """Proposed names of every text of a scan, as entity columns.

    Args:
        sc: The scan.
        ents: The entity layer's columns for the same scan (gazetteer and pattern rows):
            they are features, and a tagged name overlapping one of them is dropped.
        model: Another model file than the shipped one.

    Returns:
        Arrays ``start, end, label, canonical_id, literal_id, type, note, source``,
        sorted by start; ``source`` is ``model``. A one-word person that is the last word
        of a longer one proposed earlier in the same text takes its id («عشماوي» after
        «هشام عشماوي»).

    Example:
        >>> from akhbar.layers.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan("قال جورج بوش إن أنقرة بعيدة")
        >>> found = name_columns(sc, entity_columns(sc))
        >>> found["canonical_id"].tolist(), found["type"].tolist()
        (['new:جورج_بوش'], ['person'])
    """
    tags = tag_tokens(sc, ents, model)
    n_tok = sc.tok_start.size
    covered = np.zeros(n_tok + 1, bool)
    if len(ents["start"]):
        a = sc.token_from(ents["start"])
        b = sc.token_from(ents["end"])
        delta = np.zeros(n_tok + 1, np.int64)
        np.add.at(delta, a, 1)
        np.add.at(delta, b, -1)
        covered = np.cumsum(delta) > 0
    first = knowledge()["first"]
    words, kinds = sc.words, sc.tok_kind
    rows = []
    last_words: dict[tuple[int, str], str] = {}
    for a, b, typ in iob_spans(tags):
        if typ not in TAG_TYPES:
            continue
        while a <= b and kinds[a] == MARK:
            a += 1
        while b >= a and kinds[b] == MARK:
            b -= 1
        if a > b or covered[a:b + 1].any() or sc.tok_doc[a] != sc.tok_doc[b]:
            continue
        name = [words[i] for i in range(a, b + 1) if kinds[i] != MARK]
        cid = _slug(name, first)
        doc = int(sc.tok_doc[a])
        if typ == "PERS":
            key = (doc, core(name[-1])[1] if len(name) == 1 else name[-1])
            if len(name) > 1:
                last_words.setdefault((doc, name[-1]), cid)
            elif key in last_words:
                cid = last_words[key]
            elif (doc, name[0]) in last_words:
                cid = last_words[(doc, name[0])]
        rows.append((int(sc.tok_start[a]), int(sc.tok_end[b]), cid, TAG_TYPES[typ]))
    n = len(rows)
    col = list(zip(*rows)) if rows else [[]] * 4
    cid = np.array(col[2], dtype=object)
    return {"start": np.array(col[0], np.int64), "end": np.array(col[1], np.int64),
            "label": np.full(n, "NAM", dtype=object), "canonical_id": cid, "literal_id": cid.copy(),
            "type": np.array(col[3], dtype=object), "note": np.full(n, "model: name tagger", dtype=object),
            "source": np.full(n, "model", dtype=object)}


# --- Training (scripts/train_names.py) ------------------------------------------------------

def training_sequences(sentences: list[tuple[list[str], list[str]]],
                       groups: list | None = None) -> list[tuple[list[list[str]], list[str]]]:
    """Feature and tag sequences of IOB sentences, read as akhbar reads text: the tokens
    of each sentence joined by spaces and scanned, each scan token taking the tag of the
    IOB token it comes from (``I-`` after the first piece), ``MISC`` read as ``O``.
    Every :data:`DOC_SENTENCES` sentences are read as one document; ``groups``, if given,
    receives the document number of each sequence.

    Example:
        >>> seqs = training_sequences([(["قال", "جورج", "بوش", "."], ["O", "B-PERS", "I-PERS", "O"])])
        >>> seqs[0][1]
        ['O', 'B-PERS', 'I-PERS', 'O']
    """
    from .entities import entity_columns
    from ..scan import scan

    texts, where, tags = [], [], []
    for toks, tg in sentences:
        texts.append(" ".join(toks))
        offsets = np.cumsum([0] + [len(t) + 1 for t in toks[:-1]])
        where.append(offsets)
        tags.append([t if t[2:] in TAG_TYPES else "O" for t in tg])
    out = []
    for lo in range(0, len(texts), 2000):  # scans of a few hundred kB
        sc = scan(texts[lo:lo + 2000])
        ents = entity_columns(sc, patterns=False)
        tok_doc = sc.tok_doc
        local = sc.tok_start - sc.starts[tok_doc]
        y = []
        for tok in range(sc.tok_start.size):
            d = int(tok_doc[tok])
            k = int(np.searchsorted(where[lo + d], local[tok], side="right") - 1)
            tag = tags[lo + d][k]
            if tag.startswith("B-") and tok > 0 and tok_doc[tok - 1] == d and \
                    np.searchsorted(where[lo + d], local[tok - 1], side="right") - 1 == k:
                tag = "I-" + tag[2:]
            y.append(tag)
        docs = (lo + tok_doc) // DOC_SENTENCES
        for a, seq in sentence_features(sc, ents, docs):
            out.append((seq, y[a:a + len(seq)]))
            if groups is not None:
                groups.append(int(docs[a]))
    return out


TRAINING = {"algorithm": "lbfgs", "c1": 0.05, "c2": 0.05, "max_iterations": 150, "minfreq": 2}
"""Training parameters of the shipped model (chosen by cross-validation on the training split)."""


def train(sequences, path: str | Path, c1: float = TRAINING["c1"], c2: float = TRAINING["c2"],
          max_iterations: int = TRAINING["max_iterations"], minfreq: float = TRAINING["minfreq"]) -> Path:
    """Train a model on ``(features, tags)`` sequences into ``path`` (deterministic: the
    same sequences give the same bytes).

    Example:
        >>> import tempfile
        >>> seqs = training_sequences([(["قال", "جورج", "بوش"], ["O", "B-PERS", "I-PERS"])] * 3)
        >>> path = train(seqs, Path(tempfile.mkdtemp()) / "m.crfsuite", max_iterations=5, minfreq=0)
        >>> tag_tokens(akhbar.scan.scan("قال جورج بوش"), model=str(path))
        ['O', 'B-PERS', 'I-PERS']
    """
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm=TRAINING["algorithm"], verbose=False)
    for xseq, yseq in sequences:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.minfreq": minfreq,
                        "feature.possible_transitions": True})
    path = Path(path)
    trainer.train(str(path))
    return path


def with_names(sc: Scan, ents: dict[str, np.ndarray], model: str | None = None,
               blocked: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """The entity layer's columns with the tagger's proposals (:func:`name_columns`) merged in.

    ``blocked`` holds the ``(starts, ends)`` of forms the researcher excluded
    (:func:`akhbar.layers.entities.excluded_spans`): a tagged name overlapping one is never proposed.

    Example:
        >>> from akhbar.layers.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan("قال جورج بوش إن أنقرة بعيدة")
        >>> with_names(sc, entity_columns(sc))["source"].tolist()
        ['model', 'auto']
    """
    from .entities import merge_columns

    found = name_columns(sc, ents, model)
    if blocked is not None and len(blocked[0]) and len(found["start"]):
        b_start, b_end = (np.asarray(x) for x in blocked)
        order = np.argsort(b_start, kind="stable")
        b_start, b_end = b_start[order], np.maximum.accumulate(b_end[order])
        k = np.searchsorted(b_start, found["end"], side="left") - 1  # last blocked span starting before the end
        hit = (k >= 0) & (b_end[np.maximum(k, 0)] > found["start"])
        found = {c: v[~hit] for c, v in found.items()}
    if not len(found["start"]):
        return ents
    return merge_columns(ents, {c: found[c] for c in ents})
