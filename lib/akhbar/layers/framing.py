"""Framing cues from the codebook (data/framing_cues.csv), with their target actors."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..matcher import PhraseMatcher
from ..resources import DATA, read_data
from ..scan import Scan
from ..text import clitic_splits, normalize, strip_marks
from .entities import merge_columns

CODES = ("TITLE", "LEGITIMACY", "OCCUPATION_LIBERATION", "ALIGNMENT", "RAPPROCHEMENT_DEESCALATION",
         "MILITARY_COOPERATION", "ECONOMIC_INTEREST", "INFLUENCE", "CONFLICT_ESCALATION",
         "STABILITY_SECURITY", "DYNASTIC")
NOT_A_CUE = "NOT_A_CUE"
"""The code of cue-file rows that only shadow a shorter cue («أركان حرب» is a rank, not a war)."""
NEXT_WINDOW, PREV_WINDOW = 3, 6
"""Words after a cue where ``next`` looks for its actor, and before it for ``prev``."""
RELATION_WINDOW = 8
"""Words after a relation cue where ``relation`` looks for the actors of the relation."""
RULES = ("next", "prev", "self", "from", "relation", "label", "sentence", "pair",
         "earlier", "prevbody", "nextperson", "agent", "accused", "topic", "hostile",
         "adjacent", "adjprev", "prevowner", "hostilenoun", "blamed", "owner", "apposition", "hisstate")
"""Target rules a cue file may give, joined by ``;`` (the first that finds an actor wins; a
chain ending in ``!`` is required: without an actor the cue is dropped); anything else is a
fixed canonical id (ids joined by ``|`` for a relation). ``label`` (the actor whose mention
holds the cue) is tried first for every LEGITIMACY cue."""
REMOVED_RULES = ("main", "mains")
"""Rules of earlier versions that gave a cue the state(s) the article names most: a cue whose
target the text does not give keeps an empty target now, and a cue file naming them is refused."""
FALLBACK = {"pair": ("earlier", "pair", "topic"), "one": ("earlier", "sentence", "topic"), "label": ("earlier",)}
"""Rules tried after a cue's own when they find no actor: the target the same cue took earlier
in the article; then, for a relation cue (its rules include ``relation`` or ``from``, or its
code is in :data:`PAIR_CODES`), the two actors its sentence names (``pair``, only when it names
exactly two); for :data:`PERSONAL_CODES` nothing more; for any other cue, the one actor its
sentence names; last, the first actor of the cue's clause before it (``topic``: «أن ميليشيات
الحوثي ... وتهديد الملاحة»). Nothing falls back on the article's main states."""
LOW_CONFIDENCE = frozenset(("sentence", "pair", "earlier", "later", "topic"))
"""Rules that read a target from a wider rule than a direct link to the cue: their targets have
``target_confidence`` ``low`` (every other target is ``high``; no target, empty)."""
IMPLICIT = {"earlier": "as the same cue earlier in the article", "later": "as the same cue later in the article",
            "sentence": "the one actor its sentence names",
            "pair": "the two actors its sentence names", "topic": "the first actor of its clause"}
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
"""Words after a cue where ``agent`` looks for a relative pronoun (first 3: a place may stand
between, «الكارثة الإنسانية في اليمن التي تسببت بها») or an agent phrase."""
RELATIVES = frozenset("الذي التي الذين اللذين اللتين اللذان اللتان".split())
"""Relative pronouns (normalised): the clause's agent follows its verb."""
RELATIVE_OBJECT = {"الذي": "ه", "التي": "ها", "الذين": "هم"}
"""Relative pronouns (normalised) and the object pronoun that refers back to them."""
AGENT_MARKS = frozenset((("من", "قبل"), ("على", "يد"), ("علي", "يد")))
"""Two-word phrases (normalised) that name an act's agent next: «من قبل X», «على يد X»."""
_AGENT_FIRST_WORDS = frozenset(a for a, _ in AGENT_MARKS)
STOP_PREPOSITIONS = frozenset(normalize(w) for w in "في داخل خارج إلى منذ عبر".split())
"""Words (normalised, as :attr:`akhbar.scan.Scan.words` holds them) after which ``next`` finds
no possessor for a label (LEGITIMACY): what follows is a place or a time («ميليشيات متطرفة في
ليبيا»); a situation noun keeps it («النزاع في اليمن»)."""
SETTING_WORDS = STOP_PREPOSITIONS | frozenset(normalize(w) for w in
                                              "شرق شرقي غرب غربي شمال شمالي جنوب جنوبي وسط".split())
"""Words before a name that make it a setting, not an actor («في ليبيا», «شرقي ليبيا»)."""
FILES = ("framing_cues.csv", "framing_lexicon.csv")
"""The cue files, read in this order: where both list a cue, the first file's row wins."""
ARGUMENTS = "framing_arguments.csv"
"""Words of argument structure around cues (speech verbs, «ضد» and partner prepositions,
force nouns, acts of force): :func:`argument_words`."""
FORCES = "framing_forces.csv"
"""Commanders and the forces they lead: :func:`commanded_forces`."""
FORCE_CODES = frozenset(("OCCUPATION_LIBERATION",))
"""Codes whose acts always belong to an armed force (control, liberation, occupation)."""
OBJECT_PRONOUNS = ("ه", "ها", "هم", "هما")
"""Endings of a verb that carries its object: the noun after it is the subject («تعتبره تركيا»)."""
COMPLEMENTISERS = frozenset(normalize(w) for w in "أن إن بأن وأن".split())
"""Words (normalised) that open a clause: ``topic`` looks for its actor after the last one."""
ACCUSED_WINDOW = 10
"""Words before a cue where ``accused`` looks for a word of accusing («اتهم», «اتهام»)."""
DESCRIBED_WINDOW = 10
"""Words before a label where a relative clause of speech («الذي وصفه») is looked for."""
PATIENT_WINDOW = 3
"""Words after a relation cue where a partner preposition («مع», «بين») is looked for."""
HIS_COUNTRY = frozenset(normalize(w) for w in "بلاده بلادها".split())
"""«His/her country» (normalised): next to a relation cue, the act of the state of the person named
before it (codebook R3: «بلاده» is the speaker's state)."""
DOER_WINDOW = 4
"""Words after a cue where a verb carrying it as its object («الذي تقدمه», «فرضها») is looked for."""
HOSTILE_WINDOW = 15
"""Words after a hostile act (``hostile``: warning, sanction) where the one it is aimed at is looked for."""
BLAME_WINDOW = 8
"""Words before a cue where ``blamed`` looks for a noun of blame, and after that noun for «على» and the blamed."""


@lru_cache(maxsize=1)
def argument_words() -> dict[str, tuple[frozenset, tuple]]:
    """The words of ``data/framing_arguments.csv`` by role: whole folded words, and the
    folded stems of rows ending in ``*``.

    Example:
        >>> words, stems = argument_words()["against"]
        >>> sorted(words)
        ['بحق', 'ضد']
    """
    out: dict[str, tuple[set, list]] = {}
    rows = read_data(ARGUMENTS)
    for i, r in rows.iterrows():
        if not r["word"].strip() or not r["role"].strip():
            raise ValueError(f"akhbar/data/{ARGUMENTS}: row {i + 1}: word and role are required")
        words, stems = out.setdefault(r["role"], (set(), []))
        w = normalize(r["word"].strip(), ta_marbuta=True)  # as the scan folds its words (ة -> ه)
        (stems.append(w[:-1]) if w.endswith("*") else words.add(w))
    return {role: (frozenset(w), tuple(st)) for role, (w, st) in out.items()}


@lru_cache(maxsize=1 << 18)
def _is(role: str, word: str) -> bool:
    """Whether a scanned word (proclitics allowed) is one of ``role``'s argument words."""
    words, stems = argument_words().get(role, ((), ()))
    for _prefix, stem in clitic_splits(word):
        if stem in words or stem.startswith(stems):  # a tuple of stems: one C call
            return True
    return False


@lru_cache(maxsize=1 << 16)
def _carries_object(word: str) -> bool:
    """Whether a verb of speech carries its object pronoun («تعتبره», «يعدها»; not «اتهم»)."""
    explicit = argument_words().get("speech", ((), ()))[0]
    for _prefix, stem in clitic_splits(word):
        for p in OBJECT_PRONOUNS:
            if stem.endswith(p) and (stem in explicit or _is("speech", stem[:-len(p)])):
                return True
    return False


@lru_cache(maxsize=1)
def commanded_forces() -> dict[str, str]:
    """Commander id -> the id of the force he leads (``data/framing_forces.csv``).

    Example:
        >>> commanded_forces()["khalifa_haftar"]
        'lna'
    """
    rows = read_data(FORCES)
    return dict(zip(rows["commander"], rows["force"]))


@lru_cache(maxsize=1)
def _package_gazetteer() -> pd.DataFrame:
    """The package gazetteer, read once for the rules that need its capitals and offices."""
    from .entities import load_gazetteer

    return load_gazetteer()


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Capital city id -> its state id (the gazetteer's capital rows)."""
    g = _package_gazetteer()
    caps = g[g["kind"] == "capital"]
    return dict(zip(caps["canonical_id"], caps["resolves_to"]))


@lru_cache(maxsize=1)
def _media() -> frozenset:
    """Ids of the gazetteer's news agencies, broadcasters and papers: they report, they are no party."""
    g = _package_gazetteer()
    return frozenset(g.loc[g["file"].astype(str).str.endswith("media.csv"), "canonical_id"])


@lru_cache(maxsize=1)
def state_officials() -> dict[str, str]:
    """Person id -> the state whose office the gazetteer's title rows give that person («وزير
    الخارجية التركي» held by Mevlut Cavusoglu: Turkey); a person whose titles name no state, or
    more than one, is left out.

    Example:
        >>> state_officials()["mevlut_cavusoglu"]
        'turkey'
    """
    g = _package_gazetteer()
    states = g[(g["type"] == "state") & g["kind"].isin(["name", "adjective"])]
    forms = {normalize(f): c for f, c in zip(states["form"], states["canonical_id"])}
    titles = g[(g["type"] == "person") & (g["kind"] == "title")]
    found: dict[str, set] = {}
    for cid, form in zip(titles["canonical_id"], titles["form"]):
        words = normalize(form).split()
        named = {forms[" ".join(words[i:j])] for i in range(len(words))
                 for j in range(i + 1, min(i + 4, len(words) + 1)) if " ".join(words[i:j]) in forms}
        if named:
            found.setdefault(cid, set()).update(named)
    return {cid: next(iter(s)) for cid, s in found.items() if len(s) == 1}


def _force_of(target: str) -> str:
    """A target with each commander replaced by his force («khalifa_haftar» -> «lna»)."""
    forces = commanded_forces()
    return "|".join(dict.fromkeys(forces.get(t, t) for t in target.split("|")))


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
            if set(r["target"].rstrip("!").split(";")) & set(REMOVED_RULES):
                raise ValueError(f"{where}: row {i + 1} ({r['cue']!r}): the target rules main and mains "
                                 "were removed (a cue's target must be linked to it in the text)")
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


def framing_columns(sc: Scan, ents: dict[str, np.ndarray], path: str | None = None,
                    quotes: dict[str, np.ndarray] | None = None,
                    groups: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Framing cues of every text of a scan with code, polarity and target, as columns.

    Each cue's ``target`` (``data/framing_cues.csv``, ``data/framing_lexicon.csv``) is a
    fixed id only where the cue names its actor itself («مملكة آل سعود»); otherwise it is
    read from the text around the cue by rules, tried in turn (``next;prev``):

    - ``next``: the first actor within 3 words after the cue («ميليشيات الحوثي»,
      «المشير خليفة حفتر»); a nisba right after the cue counts («الاحتلال الإسرائيلي»),
      except for titles, which take the person;
    - ``prev``: the nearest actor ending within 6 words before it («حكومة الوفاق
      المعترف بها دولياً»), never across a verb of saying or accusing
      (``data/framing_arguments.csv``: the subject of «تعتبره تركيا منظمة "إرهابية"» is the
      voice, not the labelled);
    - ``self``: the actor the cue's own words name («حكومة طرابلس»);
    - ``from``: the actor the cue qualifies and the one after «من» («الحوثيين
      المدعومين من إيران» gives houthis|iran);
    - ``relation``: the two parties: the actor before the cue and the one after «مع»
      («الحوار مع إيران»), the two after «بين» («التقارب بين تركيا وقطر»), else the actor
      right before the cue and the next one after it («أنقرة تدعم حكومة طرابلس»), each with
      the actors listed with it («الولايات المتحدة وفرنسا وبريطانيا»);
    - ``agent``: the actor a relative clause or «من قبل» after the cue names (tried first
      for acts: :data:`AGENT_FIRST`); a label after «ضد» never frames the doer before it;
    - ``prevbody``, ``nextperson``: ``prev`` skipping people, ``next`` only a person;
    - ``sentence``, ``pair``: the one or the two actors of the cue's sentence;
    - ``earlier``: the target the same cue word (with or without ال) took earlier in the
      article; a headline cue left without one takes the body's later one (``later``);
    - tried first where they apply: ``accused`` and ``blamed`` («ألقى باللوم على X في Y»
      frames X), ``owner`` for a noun of allies with its pronoun («تركيا وحلفاؤها»),
      ``apposition`` for a kinship word with its pronoun («صهره بيرات البيرق»), and
      ``hisstate`` for a cue whose subject is «بلاده» (the state of the one who speaks).

    Collective phrases stand for an actor of the article (``data/framing_collectives.csv``:
    «القوات الكردية» the YPG where it is named, a bare «النظام» the regime named before, a
    bare «الاحتلال» Israel where it is named); an outlet (the gazetteer's media) reports and
    is never a party of an act or a relation.

    Every chain goes on with :data:`FALLBACK`; nothing falls back on the states an article
    names most. Actors are looked for inside the cue's sentence; a cue whose rules find none
    keeps an empty target (tables show it as such), or is dropped when its chain ends in
    ``!``. ``target_confidence`` is ``high`` for a target linked to the cue directly, ``low``
    for one read by a wider rule (:data:`LOW_CONFIDENCE`). Acts of control, liberation and
    war, and «قوات فلان», frame the commander's force (``data/framing_forces.csv``). A label
    inside a reported statement never frames its speaker (``quotes``). A fixed target is
    kept only for actors the text names. Cues inside a longer name or a hashtag are part of
    that name.

    Args:
        sc: The scan.
        ents: Entity columns of the same scan (:func:`akhbar.layers.entities.entity_columns`).
        path: A cue file of the researcher's own, read instead of the package's.
        quotes: Quote columns of the same scan (:func:`akhbar.layers.quotes.quote_columns`), if any.
        groups: Group columns of the same scan (:func:`akhbar.layers.groups.group_columns`), if any:
            «بين البلدين» names both members as parties.

    Returns:
        Arrays ``start, end, label (code), polarity, canonical_id (target),
        target_confidence, note`` (offsets into ``sc.text``).

    Example:
        >>> from akhbar.layers.entities import entity_columns
        >>> from akhbar.scan import scan
        >>> sc = scan("ورفض المشير خليفة حفتر التدخل التركي.")
        >>> cues = framing_columns(sc, entity_columns(sc))
        >>> cues["label"].tolist(), cues["canonical_id"].tolist(), cues["target_confidence"].tolist()
        (['TITLE', 'OCCUPATION_LIBERATION'], ['khalifa_haftar', 'turkey'], ['high', 'high'])
    """
    matcher = _matcher(path)
    m = matcher.find_in(sc)
    if len(m):  # phrases that hold a cue's word in another sense win as the longer match, then go
        m = m.take(matcher.columns["code"][m.entry] != NOT_A_CUE)
    names = np.flatnonzero(ents["label"] == "NAM")
    # a cue inside a longer name is part of the name («عبد الملك», «مستشار الأمن القومي»),
    # unless it is a legitimacy label the name carries («قيادة الجيش الليبي»); inside a person's
    # office («رئيس الحكومة اليمنية») it is an ordinary job title (codebook: not coded)
    people = np.flatnonzero((ents["label"] != "ADJ") & (ents["type"] == "person"))
    for held, keep_labels in ((names, True), (people, False)):
        if not (len(m) and held.size):
            continue
        n_start, n_end = ents["start"][held], ents["end"][held]
        k = np.searchsorted(n_start, m.start, side="right") - 1
        ok = k >= 0
        inside = np.zeros(len(m), bool)
        kk = k[ok]
        inside[ok] = (n_end[kk] >= m.end[ok]) & ((n_start[kk] < m.start[ok]) | (n_end[kk] > m.end[ok]))
        if keep_labels:
            inside &= matcher.columns["code"][m.entry] != "LEGITIMACY"
        else:
            inside &= matcher.columns["code"][m.entry] == "LEGITIMACY"
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
    confidence = np.full(len(m), "", dtype=object)
    if not len(m):
        cols["canonical_id"], cols["target_confidence"] = target, confidence
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
        finder = _TargetFinder(sc, _with_groups(_with_collectives(sc, ents), groups), m.start[ruled], m.end[ruled])
        # a cue joined by و to what comes before («قرارات مجلس الأمن واتفاق الصخيرات») is listed
        # with it, not qualifying it: ``prev`` does not apply
        forms = [matcher.entries[e][0] for e in m.entry[ruled].tolist()]
        finder.joined = [sc.text[s] == "و" and not f.startswith("و")
                         for s, f in zip(m.start[ruled].tolist(), forms)]
        docs = sc.doc_of(m.start[ruled]).tolist()
        speakers = finder.speaker = _speakers_at(m.start[ruled], quotes, ents)
        words = sc.words
        first_token = sc.token_from(m.start[ruled]).tolist()
        # the same cue word, with or without the article («مصالحة ليبية» ... «المصالحة»), in one text
        # names the same thing: (text, cue word) -> the target it took last, and where each took one
        lemmas = [f.rstrip("*").removeprefix("ال") for f in forms]
        said: dict[tuple[int, str], str] = {}
        taken: dict[tuple[int, str], list[tuple[int, str]]] = {}
        waiting: list[tuple[int, int, str]] = []  # cues left without a target that may take a later one
        notes = cols["note"] = cols["note"].copy()
        for n, i in enumerate(ruled.tolist()):
            chain = specs[i].rstrip("!").split(";")
            if codes[i] == "DYNASTIC" and chain[-1] in RULES:  # «صهره بيرات البيرق»: the kin named
                chain = ["apposition"] + chain
            if codes[i] not in PERSONAL_CODES and chain[-1] in RULES and "relation" not in chain:
                chain = ["hisstate"] + chain  # «قال الوزير التركي إن بلاده لا تمانع ...»: Turkey
            if codes[i] in AGENT_FIRST and chain[-1] in RULES:
                chain = ["agent"] + chain
            if codes[i] in PAIR_CODES and chain[-1] in RULES:  # «تركيا وحلفاؤها»: the owner of the pronoun
                chain = ["owner"] + chain
            if codes[i] != "TITLE" and chain[-1] in RULES:  # «اتهم X Y بدعم الإرهاب» frames Y
                chain = ["accused", "blamed"] + chain
            if chain[-1] in RULES and not required[i]:  # a fixed or required target stands alone
                if codes[i] in PERSONAL_CODES:
                    chain += FALLBACK["label"]
                else:
                    relational = "relation" in chain or "from" in chain or codes[i] in PAIR_CODES
                    chain += FALLBACK["pair" if relational else "one"]
            key = (docs[n], lemmas[n])
            # a label in a reported statement frames what it names, never the speaker
            speaker = speakers[n] if codes[i] in PERSONAL_CODES else ""
            for rule in chain:
                if rule == "earlier":
                    found = said.get(key, "")
                else:
                    found = finder.find(rule, n, codes[i]) if rule in RULES \
                        else finder.named(rule, int(m.start[i]))
                if found and speaker and speaker in found.split("|"):
                    continue
                if found:
                    t = first_token[n]
                    if codes[i] in FORCE_CODES or (t < len(words) and (_is("force_act", words[t])
                                                                       or _is("force", words[t]))):
                        found = _force_of(found)  # «قوات حفتر», «هزيمة» by his forces: the LNA
                    target[i] = found
                    confidence[i] = "low" if rule in LOW_CONFIDENCE else "high"
                    said[key] = found
                    taken.setdefault(key, []).append((n, found))
                    if rule in IMPLICIT:  # codebook section 2: an implicit target says so in the note
                        notes[i] = f"{notes[i]}; implicit target: {IMPLICIT[rule]}"
                    break
            # a headline's cue (the text's first line) may take the body's (not a relation's: its
            # parties change from one mention of it to the next)
            if not target[i] and "earlier" in chain and "relation" not in chain and "from" not in chain \
                    and codes[i] not in PAIR_CODES and "\n" not in sc.text[sc.starts[docs[n]]:int(m.start[i])]:
                waiting.append((n, i, speaker))
        for n, i, speaker in waiting:  # a headline's «النزاع» is the body's «النزاع الليبي»
            later = [f for k, f in taken.get((docs[n], lemmas[n]), []) if k > n
                     and not (speaker and speaker in f.split("|"))]
            if later:
                target[i], confidence[i] = later[0], "low"
                notes[i] = f"{notes[i]}; implicit target: {IMPLICIT['later']}"
    cols["canonical_id"], cols["target_confidence"] = target, confidence
    # a cue whose rule ends in "!" frames only with its target there («قوات» + a person)
    missing = required & (target == "")
    if missing.any():
        cols = {k: v[~missing] for k, v in cols.items()}
    return _with_scare_quotes(sc, ents, cols)


def _with_groups(ents: dict[str, np.ndarray], groups: dict[str, np.ndarray] | None) -> dict[str, np.ndarray]:
    """Entity columns with the group references whose members are known («البلدين» ->
    egypt|sudan) as actors of type ``group``."""
    if groups is None or not len(groups["start"]):
        return ents
    known = np.flatnonzero(groups["canonical_id"].astype(str) != "")
    if not known.size:
        return ents
    extra = {}
    for c, v in ents.items():
        if c in ("start", "end", "canonical_id"):
            extra[c] = groups[c][known]
        elif c == "type":
            extra[c] = np.full(known.size, "group", dtype=object)
        elif c == "label":
            extra[c] = np.full(known.size, "GROUP", dtype=object)
        else:
            extra[c] = np.full(known.size, "" if v.dtype == object else 0, dtype=v.dtype)
    return merge_columns(ents, extra)


COLLECTIVES = "framing_collectives.csv"
"""Collective phrases that stand for one actor the article names («القوات الكردية», a bare «النظام»)."""
_ALEF = "[اأإآ]"
_REGIME_NAME = re.compile(r"(?:[وف]?(?:[بك]?ال|لل)|[وف]?[بلك]?)نظام(?!\w)")


def _phrase_pattern(phrase: str, bare: bool) -> re.Pattern:
    """A regular expression for a collective phrase as written after the article ال, with its
    proclitics («للقوات الكردية», «والأكراد»), alef forms folded; ``bare``: no adjective or name
    («ال...») may follow (a relative pronoun may: «النظام الذي»)."""
    def fold(w: str) -> str:
        return re.sub(_ALEF, _ALEF.replace("\\", "\\\\"), re.escape(w))

    words = phrase.split()
    article = words[0].startswith("ال")
    words = [fold(w) for w in [words[0][2:] if article else words[0]] + words[1:]]
    words[0] = (r"(?:[وف]?(?:[بك]?ال|لل))" if article else r"[وف]?[بلك]?") + words[0]
    tail = r"(?!\s+[\"«»“”]?ال(?!ذي|تي|ذين)\w)" if bare else ""
    head = r"(?<!هذا )(?<!هذه )" if bare else ""
    return re.compile(head + r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)" + tail)


@lru_cache(maxsize=1)
def collective_phrases() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    """The phrases of ``data/framing_collectives.csv`` as patterns with their candidate ids.

    Example:
        >>> pattern, candidates = collective_phrases()[0]
        >>> bool(pattern.search("دعم واشنطن للقوات الكردية")), candidates[0]
        (True, 'ypg')
    """
    rows = read_data(COLLECTIVES)
    return tuple((_phrase_pattern(p.strip(), str(b).strip() == "1"), tuple(c.strip().split(";")))
                 for p, c, b in zip(rows["phrase"], rows["candidates"], rows["bare"]))


def _with_collectives(sc: Scan, ents: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Entity columns with the collective phrases that stand for an actor of the same text
    (:func:`collective_phrases`): «القوات الكردية» is the YPG where the article names it; a bare
    «النظام» («حليفتا النظام») is the government the last «النظام السوري» before it named. The
    added rows (label ``NOM``) serve the framing targets only."""
    text, e_start, e_end = sc.text, ents["start"], ents["end"]
    if not e_start.size:
        return ents
    cid, label = ents["canonical_id"].astype(str), ents["label"]
    rows: list[tuple[int, int, int]] = []  # (start, end, the entity row whose id and type it takes)
    for pattern, candidates in collective_phrases():
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            k = int(np.searchsorted(e_start, e))
            if ((e_start[:k] < e) & (e_end[:k] > s)).any():
                continue  # part of a name the entity layer found («وحدات حماية الشعب الكردية»)
            d = int(sc.doc_of(s))
            lo, hi = (int(np.searchsorted(e_start, sc.starts[d])), int(np.searchsorted(e_start, sc.starts[d + 1])))
            found = -1
            if candidates == ("regime",):
                for j in range(min(int(np.searchsorted(e_start, s)), hi) - 1, lo - 1, -1):
                    if label[j] != "ADJ" and _REGIME_NAME.match(text[e_start[j]:e_end[j]]):
                        found = j
                        break
            else:
                for c in candidates:
                    named = np.flatnonzero(cid[lo:hi] == c)  # by name or nisba («الإسرائيلية»)
                    if named.size:
                        found = lo + int(named[0])
                        break
            if found >= 0:
                rows.append((s, e, found))
    if not rows:
        return ents
    idx = np.array([r[2] for r in rows])
    extra = {}
    for c, v in ents.items():
        if c == "start":
            extra[c] = np.array([r[0] for r in rows], dtype=v.dtype)
        elif c == "end":
            extra[c] = np.array([r[1] for r in rows], dtype=v.dtype)
        elif c in ("canonical_id", "type"):
            extra[c] = v[idx]
        elif c == "label":
            extra[c] = np.full(len(rows), "NOM", dtype=object)
        else:
            extra[c] = np.full(len(rows), "" if v.dtype == object else 0, dtype=v.dtype)
    return merge_columns(ents, extra)


def _speakers_at(starts: np.ndarray, quotes: dict[str, np.ndarray] | None,
                 ents: dict[str, np.ndarray]) -> list[str]:
    """The speaker of the reported statement holding each offset ("" outside one, or unnamed),
    unless the statement's words name the speaker themselves («دعا برلمان طبرق الموالي لحفتر»,
    «أعلن اللواء المتقاعد خليفة حفتر»: a subject after the verb is what the words next to it
    qualify)."""
    out = [""] * starts.size
    if quotes is None or not len(quotes["start"]):
        return out
    e_start, e_id, cues = ents["start"].tolist(), ents["canonical_id"].tolist(), starts.tolist()
    for a, b, who in zip(quotes["content_start"].tolist(), quotes["content_end"].tolist(),
                         quotes["canonical_id"].tolist()):
        if a is None or b is None or a < 0 or not who:
            continue
        if who in e_id[bisect_left(e_start, a):bisect_left(e_start, b)]:
            continue  # the statement names its speaker inside (a subject after the verb)
        for n in range(bisect_left(cues, a), bisect_left(cues, b)):
            out[n] = who
    return out


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
             "canonical_id": np.array([r[2] for r in rows], dtype=object),
             "target_confidence": np.full(n, "high", dtype=object)}
    return merge_columns(cols, extra)


_ADJACENT = re.compile(r"[\s\"«»“”]*(?:من\s+[\"«»“”]?)?")
"""What may stand between a group label and the name it labels (``adjacent``): quotation marks, or
«من» («الإرهابيين من داعش»)."""
_LIST_JOINT = re.compile(r"\s*[،,]?\s*(?:و\s+)?")
_ADJECTIVE = re.compile(r"[\s\"«»“”]*(?:ال\w+(?:ي|ية|يه)[\s\"«»“”]+){0,2}")


def _only_adjectives(between: str) -> bool:
    """Whether the words between a cue and a nisba are at most two other adjectives, so the
    nisba still qualifies the cue: «الوجود العسكري الإيراني», «الاحتلال الإسرائيلي», also past
    the quotation marks around the cue («"للمعتدي" السعودي»)."""
    return _ADJECTIVE.fullmatch(between) is not None


def text_between(text: str, lo: int, hi: int) -> str:
    """The words between offsets ``lo`` and ``hi`` of ``text``, without spaces and quotation marks.

    Example:
        >>> text_between("أنقرة حركة حماس", 5, 6)
        ''
    """
    return text[lo:hi].strip(' \t"«»“”')


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
        # a party to a relation or an act, or the topic of a clause: an actor but an outlet (it reports)
        media = np.isin(ents["canonical_id"], list(_media()))
        party = ~np.isin(ents["type"], ["place", "event"]) & ~media
        for k in np.flatnonzero(media).tolist():  # «وكالة الأنباء السورية»: its nisba names no party either
            party[(ents["start"] >= ents["start"][k]) & (ents["end"] <= ents["end"][k])] = False
        self.party = party.tolist()
        self.cue_start, self.cue_end = starts.tolist(), ends.tolist()
        self.joined = [False] * starts.size
        self.speaker = [""] * starts.size  # who speaks where each cue stands («» outside a report)
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
                own = np.minimum(before, n_tok - 1)
                for _ in range(w):  # move the window's start into the cue's sentence («... تركيا. وحذرت»)
                    move = (first < before) & (sc.sent[np.minimum(first, n_tok - 1)] != sc.sent[own])
                    first = first + move
                self.before_limit[w] = np.where(before > 0, sc.tok_start[np.minimum(first, n_tok - 1)], -1).tolist()
            else:
                self.before_limit[w] = [-1] * starts.size
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
                if k < t + 3 and words[k] in RELATIVES:  # (في اليمن) التي تسببت بها X: after the verb
                    # «إردوغان الذي يعدها امتدادا لـ»: a verb whose object pronoun is not the
                    # relative's has the relative as subject; the words after it name no agent
                    verb = words[k + 1] if k + 1 < n_tok else ""
                    own = RELATIVE_OBJECT.get(words[k], "")
                    if verb.endswith(OBJECT_PRONOUNS) and _is("speech", verb) and not (own and verb.endswith(own)
                                                                                      and not verb.endswith("ها" if own == "ه" else "\0")):
                        break
                    out[n] = clause(k, 2)
                    break
                if k + 1 < n_tok and (words[k], words[k + 1]) in AGENT_MARKS:  # من قبل X, على يد X
                    out[n] = clause(k, 2)
                    break
        return out

    def _after(self, n: int, words: int, adjectives: bool, parties: bool = False) -> list[int]:
        """Actors starting after cue ``n`` within ``words`` words and its sentence, in order (with
        ``parties``, no outlet: :attr:`party`)."""
        limit = self.after_limit[words][n]
        end = self.cue_end[n]
        starts, adj, actor = self.start, self.adj, self.party if parties else self.actor
        k = first = bisect_left(starts, end)
        out = []
        while k < len(starts) and starts[k] < limit:
            if actor[k] and (not adj[k] or (adjectives and k == first
                                            and _only_adjectives(self.sc.text[end:starts[k]]))):
                out.append(k)
            k += 1
        return out

    def _before(self, n: int, words: int, people: bool = True, parties: bool = False) -> int:
        """The nearest actor ending within ``words`` words before cue ``n`` in its sentence, or -1
        (with ``people=False``, the nearest that is not a person; with ``parties``, no outlet)."""
        limit, start = self.before_limit[words][n], self.cue_start[n]
        if limit < 0:
            return -1
        ends, adj, actor, kind = self.end, self.adj, self.party if parties else self.actor, self.type
        k = bisect_left(self.start, start) - 1
        # a name after «في» or «إلى» is where, not whose («سيرجع إلى ليبيا لمواصلة القتال»)
        while k >= 0 and (adj[k] or not actor[k] or (not people and kind[k] == "person")
                          or self._where(k)) and ends[k] > limit:
            k -= 1
        if not (k >= 0 and limit < ends[k] <= start):
            return -1
        return -1 if self._speech_between(ends[k], start) or self._speaker(k) else k

    def _described(self, n: int) -> str:
        """What a relative clause of speech before cue ``n`` describes: «للوجود التركي الذي وصفه
        بـ"الاحتلال"», «لحزب العمال الكردستاني الذي تعتبره تركيا منظمة "إرهابية"» (the verb
        carries the antecedent as its object): the actor (or nisba) right before the relative
        pronoun; "" when there is no such clause."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.cue_start[n])))
        for j in range(t - 1, max(t - DESCRIBED_WINDOW, 0), -1):
            if sc.sent[j] != sc.sent[t]:
                break
            if not (_is("speech", words[j]) and _carries_object(words[j])):
                continue
            r = j - 1
            # the verb's object pronoun agrees with the relative («الذي وصفه», «التي تصفها»): the
            # relative is the object, described; «إردوغان الذي يعدها امتدادا» describes another
            pronoun = RELATIVE_OBJECT.get(words[r].removeprefix("و")) if r >= 0 else None
            if not pronoun or not any(st.endswith(pronoun) and not st.endswith("ها" if pronoun == "ه" else "\0")
                                      for _p, st in clitic_splits(words[j])):
                return ""
            rel = int(sc.tok_start[r])
            k = bisect_left(self.start, rel) - 1
            while k >= 0 and (not self.actor[k] or self.end[k] > rel or self._where(k)):
                k -= 1  # «للوجود التركي في ليبيا، والذي»: a place after في is the setting
            lo = int(sc.tok_start[max(r - 5, 0)])
            return self.cid[k] if k >= 0 and self.end[k] > lo else ""
        return ""

    def _topic(self, n: int) -> str:
        """The first actor of cue ``n``'s clause before it: from the sentence's start or its last
        «أن»/«إن» before the cue, skipping people (who speak or act for others) but a commander
        (his force acts), speakers, settings and nisbas; or both parties «بين» names there
        («العلاقة بين أنقرة والقيادة العامة مرت بسنوات من التوتر»); "" without one."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.cue_start[n])))
        lo = self.sent_start[n]
        for j in range(t - 1, -1, -1):
            if int(sc.tok_end[j]) <= lo or sc.sent[j] != sc.sent[t]:
                break
            if words[j] in COMPLEMENTISERS:
                lo = int(sc.tok_end[j])
                break
        # «العلاقة بين أنقرة والقيادة العامة مرت بسنوات من التوتر»: the pair «بين» names
        for j in range(int(sc.token_from(np.int64(lo))), t):
            if _is("between", words[j]):
                k = bisect_left(self.start, int(sc.tok_end[j]))
                capitals = _capitals()  # a capital between parties is its state (R1)
                if k < len(self.start) and self.end[k] <= self.cue_start[n] and not self.adj[k] \
                        and (self.actor[k] or self.cid[k] in capitals):
                    g = k + 1  # the party joined to it by «و», if any (not every later actor of the batch)
                    group = [k] + ([g] if g < len(self.start) and self.end[g] <= self.cue_start[n]
                                   and not self.adj[g] and self.sc.text[self.start[g]] == "و" else [])
                    ids = list(dict.fromkeys(m for g in group for m in capitals.get(self.cid[g], self.cid[g]).split("|")))
                    if len(ids) >= 2:
                        return "|".join(ids)
                break
        k = bisect_left(self.start, lo)
        while k < len(self.start) and self.end[k] <= self.cue_start[n]:
            if self.party[k] and not self.adj[k] and not self._where(k) \
                    and (self.type[k] != "person" or self.cid[k] in commanded_forces()) \
                    and not self._speaker(k) and self.cid[k] != self.speaker[n] \
                    and not self._speech_between(self.end[k], self.cue_start[n]):  # «ودعت الجامعة ...»
                return self.cid[k]
            k += 1
        return ""

    def _accused(self, n: int) -> str:
        """The accused of an accusation cue ``n`` opens with بـ after: «واتهم الوزير قطر بدعم
        الإرهاب», «اتهام هذه الدول للدوحة بتمويل الإرهاب» (the first actor between the word of
        accusing and the cue that is not its subject); "" otherwise."""
        sc, words = self.sc, self.sc.words
        start = self.cue_start[n]
        t = int(sc.token_from(np.int64(start)))
        for j in range(t - 1, max(t - ACCUSED_WINDOW, -1), -1):
            if sc.sent[j] != sc.sent[t]:
                return ""
            if not _is("accuse", words[j]):
                continue
            # what one is accused of opens with بـ («بدعم», «بتمويل ودعم الإرهاب»)
            if not any(w.startswith(("ب", "وب")) for w in words[j + 1:t + 1]):
                return ""
            k = bisect_left(self.start, int(sc.tok_end[j]))
            capitals = _capitals()
            # «وتتهم أنقرة حركة حماس بـ»: two names side by side after the verb are its subject and
            # its object (VSO): the second is the accused
            first = k
            while first < len(self.start) and self.end[first] <= start and (self.adj[first] or not self.actor[first]):
                first += 1
            second = first + 1
            while first < len(self.start) and second < len(self.start) and self.start[second] < self.end[first]:
                second += 1  # a nisba inside the subject's name
            if second < len(self.start) and self.end[second] <= start and self.actor[second] \
                    and not self.adj[second] and not text_between(self.sc.text, self.end[first], self.start[second]):
                k = second
            while k < len(self.start) and self.end[k] <= start:
                if self.cid[k] in capitals:  # the accused is a party: a capital stands for its state (R1)
                    return capitals[self.cid[k]]
                if self.actor[k] and not self.adj[k] and not self._speaker(k):
                    return self.cid[k]
                k += 1
            return ""
        return ""

    def _blamed(self, n: int) -> str:
        """The one blamed for the deed cue ``n`` stands in: «أنحى باللائمة في محاولة الانقلاب على
        فلان» and «ألقى باللوم على فلان في ...» frame the one after «على»; «... التي تلقي تركيا
        باللوم عليها في تنفيذ الانقلاب» the antecedent of the relative clause; "" otherwise."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.cue_start[n])))
        for j in range(t - 1, max(t - BLAME_WINDOW, -1), -1):
            if sc.sent[j] != sc.sent[t]:
                return ""
            if not _is("blame", words[j]):
                continue
            for a in range(j + 1, min(j + 1 + BLAME_WINDOW, len(words))):
                if sc.sent[a] != sc.sent[j]:
                    return ""
                if words[a] == "علي":  # the blamed follows, past a description («على رجل الدين ...، فلان»)
                    k = bisect_left(self.start, int(sc.tok_end[a]))
                    last = int(sc.tok_end[min(a + BLAME_WINDOW, len(words) - 1)])
                    while k < len(self.start) and self.start[k] < min(last, self.sent_end[n]):
                        if self.party[k] and not self.adj[k] and not self._where(k):
                            # the cue is the deed: before «على» or after the blamed («على X في Y»)
                            if t < a or self.end[k] <= self.cue_start[n]:
                                return _capitals().get(self.cid[k], self.cid[k])
                            return ""
                        k += 1
                    return ""
                if words[a] in ("عليه", "عليها", "عليهم"):  # «التي تلقي تركيا باللوم عليها»
                    for r in range(j - 1, max(j - 6, -1), -1):  # «التي تلقي الحكومة الأفغانية باللوم عليها»
                        if words[r].removeprefix("و") in RELATIVES:
                            rel = int(sc.tok_start[r])
                            k = bisect_left(self.start, rel) - 1
                            while k >= 0 and (not self.party[k] or self.adj[k]) and self.end[k] > rel - 40:
                                k -= 1
                            if k >= 0 and self.party[k] and not text_between(self.sc.text, self.end[k], rel).strip("،, "):
                                return self.cid[k]
                            return ""
                    return ""
            return ""
        return ""

    def _owner(self, n: int) -> str:
        """For a noun of allies (``ally_noun`` words) with a possessive pronoun joined by «و» to the actor right before
        it («تركيا وحلفاؤها», «ميليشيات الحوثي وداعميها»): that actor, the pronoun's owner, with the
        state of a capital right after «في» («وداعميها في طهران»: Iran); "" otherwise."""
        sc, words, text = self.sc, self.sc.words, self.sc.text
        start, end = self.cue_start[n], self.cue_end[n]
        if not self.joined[n]:
            return ""
        last = int(sc.token_from(np.int64(end))) - 1
        if last < 0 or not _is("ally_noun", words[last]) \
                or not any(st.endswith(OBJECT_PRONOUNS) for _p, st in clitic_splits(words[last])):
            return ""  # «ودعمهم» (supporting them) is no noun of allies
        k = bisect_left(self.start, start) - 1
        while k >= 0 and self.adj[k] and self.end[k] <= start and not text_between(text, self.end[k], start):
            k -= 1  # «الحوثيين اليمنيين وحلفاؤهم»: past a nisba of the name
        if not (k >= 0 and self.party[k] and not self.adj[k] and self.end[k] <= start
                and not text[self.end[k]:start].strip(' "«»“”')):
            return ""
        j = bisect_left(self.start, end)  # «ومن ورائها إيران»: the patron is named right after
        if j < len(self.start) and self.party[j] and not text_between(text, end, self.start[j]):
            return ""
        ids = [self.cid[k]]
        t = last + 1
        if t + 1 < len(words) and words[t] == "في" and sc.sent[t] == sc.sent[last]:
            j = bisect_left(self.start, int(sc.tok_start[t + 1]))
            if j < len(self.start) and self.start[j] < int(sc.tok_end[t + 1]) and self.cid[j] in _capitals():
                ids.append(_capitals()[self.cid[j]])
        return "|".join(dict.fromkeys(ids))

    def _speaker(self, k: int) -> bool:
        """Whether actor ``k`` is the subject of a verb of saying or considering right before it
        («تعتبره تركيا منظمة "إرهابية"», «اتهم الوزير ...», «تحدثت ليبيا عن ...»): the voice, not the
        labelled."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.start[k])))
        for j in range(max(t - 2, 0), t):
            # the object after «اتهم» is the accused: only a person, or a noun after a verb that
            # carries its object pronoun, is the verb's subject
            if sc.sent[j] == sc.sent[t] and (_is("say", words[j]) or _is("speech", words[j])
                                             and (self.type[k] == "person" or _carries_object(words[j]))):
                return True
        return False

    def _speech_between(self, lo: int, hi: int) -> bool:
        """Whether a verb of saying, considering or accusing, or «ضد», stands between offsets ``lo``
        and ``hi``: an actor before it is the voice or the doer, not what the words after it name."""
        sc = self.sc
        a, b = int(sc.token_from(np.int64(lo))), int(sc.token_from(np.int64(hi)))
        words = sc.words
        return any(_is("speech", words[t]) or _is("against", words[t]) for t in range(a, min(b, len(words))))

    def find(self, rule: str, n: int, code: str) -> str:
        """The target rule ``rule`` applied to cue ``n`` of code ``code`` ("" when it finds no actor)."""
        title = code == "TITLE"
        cid, start, end = self.cid, self.cue_start[n], self.cue_end[n]
        if rule in ("next", "nextperson"):
            # an outlet reports acts, it does not do them: only a label or a title may name one
            after = self._after(n, NEXT_WINDOW, adjectives=not title, parties=code not in PERSONAL_CODES)
            if not after or (code == "LEGITIMACY" and self.start[after[0]] >= self.stop[n]):
                return ""  # «ميليشيات في ليبيا»: a place after a preposition is where, not whose
            if rule == "nextperson" and self.type[after[0]] != "person":
                return ""
            if code in PERSONAL_CODES or self.adj[after[0]]:
                return cid[after[0]]
            # an act or a relation applies to all the actors listed after it («لطرد مقاتلي حزب
            # العمال الكردستاني ووحدات حماية الشعب»); a label qualifies only the first
            return "|".join(dict.fromkeys(cid[g] for g in self._coordinated(after[0])))
        if rule in ("prev", "prevbody"):
            if self.joined[n]:
                return ""
            described = self._described(n)
            if described:
                return described
            k = self._before(n, PREV_WINDOW, people=rule == "prev", parties=code not in PERSONAL_CODES)
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
            nisbas = self._nisbas_after(n)  # «مصالحة ليبية», «التقارب التركي المصري»: the nisbas name it
            if nisbas:
                return nisbas
            pair = self._doer_pair(n) or self._parties(n)
            if pair:
                return pair
            if self._for_his_state(n):  # «بوتين الذي تدعم بلاده دمشق»: Russia supports Syria
                k = self._before(n, PREV_WINDOW)
                after = self._after(n, RELATION_WINDOW, adjectives=True)
                ids = [state_officials().get(cid[k], cid[k])] if k >= 0 else []
                ids += [_capitals().get(cid[a], cid[a]) for a in after[:1]]
                ids = list(dict.fromkeys(ids))
                if len(ids) == 2:
                    return "|".join(ids)
            k = self._before(n, 2)
            after = self._after(n, RELATION_WINDOW, adjectives=True)
            # the other party stands in the cue's own clause: not past a comma («تدعم الفصائل
            # المعارضة، وإيران وروسيا ...», «للحل السياسي، سيجعل الجيش اليمني»)
            text = self.sc.text
            after = [a for a in after if "،" not in text[end:self.start[a]] and "," not in text[end:self.start[a]]]
            ids = [cid[g] for g in self._coordinated_before(k)] if k >= 0 else []
            if len(dict.fromkeys(ids)) >= 2:  # «مصر والسودان أسرة واحدة»: both parties before it,
                # and the one a noun of relation is in construct with («وإيران وروسيا حليفتا النظام»)
                if after and not text_between(text, end, self.start[after[0]]) and not self.adj[after[0]]:
                    ids += cid[after[0]].split("|")
                return "|".join(dict.fromkeys(ids))
            for a in after:  # the next actor with those listed with it («الولايات المتحدة وفرنسا وبريطانيا»)
                ids += [m for g in self._coordinated(a) for m in cid[g].split("|")]  # «البلدين»: its members
                if len(dict.fromkeys(ids)) >= 2:
                    break
            ids = list(dict.fromkeys(ids))
            if len(ids) == 1 and k >= 0 and self._relative_subject(n, k):
                return ids[0]  # «تركيا التي تدعم الفصائل المعارضة»: the one the text names is the agent
            if self._relative_object(n) and after and self.start[after[0]] < self.after_limit[NEXT_WINDOW][n]:
                # «الانتفاضة التي دعمها حلف شمالي الأطلسي»: the agent after the verb, with the antecedent
                # when it is an actor («الفصائل التي تدعمها تركيا» -> turkey|the factions)
                ante = self._before(n, 2)
                return "|".join(dict.fromkeys([cid[after[0]]] + ([cid[ante]] if ante >= 0 else [])))
            return "|".join(ids) if len(ids) >= 2 else ""
        if rule == "accused":
            accused = self._accused(n)
            if accused and code in PAIR_CODES:  # «وتتهم X بأنها الذراع السوري لحزب العمال»: X and the patron
                text = self.sc.text
                for a in self._after(n, RELATION_WINDOW, adjectives=False):
                    if "،" in text[end:self.start[a]] or "," in text[end:self.start[a]]:
                        break
                    ids = list(dict.fromkeys([accused] + [cid[g] for g in self._coordinated(a)]))
                    if len(ids) >= 2:
                        return "|".join(ids)
            return accused
        if rule in ("hostile", "hostilenoun"):
            return self._hostile(n, noun=rule == "hostilenoun")
        if rule == "blamed":
            return self._blamed(n)
        if rule == "hisstate":
            return self._his_state(n, code)
        if rule == "apposition":  # «صهره بيرات البيرق»: the person named right after a kinship word
            # that carries its possessive pronoun (so a name after it is not its genitive: «زوجة فلان»)
            if not self.sc.text[start:end].endswith(("ه", "ها", "هم", "هما")):
                return ""
            k = bisect_left(self.start, end)
            if k < len(self.start) and self.type[k] == "person" and not self.adj[k] \
                    and not text_between(self.sc.text, end, self.start[k]):
                return cid[k]
            return ""
        if rule == "owner":
            return self._owner(n)
        if rule == "adjacent":  # «ميليشيات الحوثي», «الإرهابيين من داعش»: nothing else between
            k = bisect_left(self.start, end)
            while k < len(self.start) and self.start[k] < self.after_limit[NEXT_WINDOW][n] and not self.actor[k]:
                k += 1
            if k < len(self.start) and self.start[k] < self.after_limit[NEXT_WINDOW][n] \
                    and _ADJACENT.fullmatch(self.sc.text[end:self.start[k]]):
                return cid[k]
            return ""
        if rule == "prevowner":  # «تصريحات إيران تؤكد أن الحوثيين أدوات لها»: the proxy and its owner
            k = self._before(n, PREV_WINDOW)
            if k < 0:
                return ""
            j = k - 1  # the pronoun («لها», «ذراعها») names the actor before the proxy in the sentence
            while j >= 0 and self.start[j] >= self.sent_start[n] and (not self.actor[j] or self._where(j)
                                                                    or self.end[j] > self.start[k]
                                                                    or cid[j] == cid[k]):
                j -= 1
            if j < 0 or self.start[j] < self.sent_start[n]:
                return ""
            return "|".join(dict.fromkeys([_capitals().get(cid[j], cid[j]), cid[k]]))
        if rule == "adjprev":  # «الحوثيين المتطرفين»: the label qualifies the name right before it
            k = bisect_left(self.start, start) - 1
            while k >= 0 and self.end[k] > start:
                k -= 1
            if k >= 0 and self.actor[k] and not self.adj[k] and self.start[k] >= self.sent_start[n] \
                    and not self.sc.text[self.end[k]:start].strip(' "«»“”'):
                return cid[k]
            return ""
        if rule == "topic":
            return self._topic(n)
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
        return ""

    def _party(self, k: int) -> str:
        """Actor ``k`` as a party between states: a capital is its state (R1), a state's official
        his state (:func:`state_officials`: «حذر وزير الخارجية التركي» is Turkey's warning)."""
        cid = self.cid[k]
        cid = _capitals().get(cid, cid)
        return state_officials().get(cid, cid)

    def _relative_subject(self, n: int, k: int) -> bool:
        """Whether relation cue ``n`` is the verb of a relative clause right after actor ``k``,
        with the relative as its subject («تركيا التي تدعم ...»: no object pronoun on the verb)."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.cue_start[n])))
        if t < 1 or words[t - 1] not in RELATIVES or self.end[k] > int(sc.tok_start[t - 1]):
            return False
        verb = words[t]
        return not any(st.endswith(OBJECT_PRONOUNS) for _p, st in clitic_splits(verb)) \
            and len(words[int(sc.token_from(np.int64(self.end[k]))):t - 1]) == 0
    def _relative_object(self, n: int) -> bool:
        """Whether relation cue ``n`` is a verb right after a relative pronoun that carries the
        relative as its object («التي دعمها», «الذي تدعمه»): its subject, the agent, follows it."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.cue_start[n])))
        if t < 1 or words[t - 1].removeprefix("و") not in RELATIVE_OBJECT \
                or int(sc.tok_end[t]) != self.cue_end[n]:
            return False
        own = RELATIVE_OBJECT[words[t - 1].removeprefix("و")]
        return any(st.endswith(own) and not (own == "ه" and st.endswith("ها")) for _p, st in clitic_splits(words[t]))

    def _nisbas_after(self, n: int) -> str:
        """The nisbas right after relation cue ``n`` (nothing but spaces, quotation marks or another
        nisba between, or a dash between two nisbas): «مصالحة ليبية» is Libya's, «التقارب التركي
        المصري» and «الحلف القطري - التركي» both states'; "" without one."""
        text, end = self.sc.text, self.cue_end[n]
        k = bisect_left(self.start, end)
        ids, last = [], end
        while k < len(self.start) and self.adj[k] and self.start[k] < self.sent_end[n] \
                and not text_between(text, last, self.start[k]).strip(" -–/" if ids else ""):
            ids.append(self.cid[k])
            last = self.end[k]
            k += 1
        return "|".join(dict.fromkeys(ids))

    def _for_his_state(self, n: int) -> bool:
        """Whether «بلاده»/«بلادها» (his, her country) is cue ``n``'s subject, in it or right
        around it («الذي تدعم بلاده دمشق»): the act is the state's of the person named before."""
        sc, words = self.sc, self.sc.words
        a = int(sc.token_from(np.int64(self.cue_start[n])))
        b = int(sc.token_from(np.int64(self.cue_end[n])))
        return any(sc.sent[j] == sc.sent[a] and any(st in HIS_COUNTRY for _p, st in clitic_splits(words[j]))
                   for j in range(max(a - 1, 0), min(b + 1, len(words))))

    def _his_state(self, n: int, code: str) -> str:
        """For a cue whose subject is «بلاده»/«بلادها» (:meth:`_for_his_state`): the state of the one
        who speaks (the reported statement's speaker, else the person named before it), as a party
        (:meth:`_party`); for a relation (:data:`PAIR_CODES`), with the first actor after the cue
        in its clause («إن بلاده لا تمانع من دخول القوات السورية»: turkey and the Syrian forces);
        "" otherwise."""
        if not self._for_his_state(n):
            return ""
        who = self.speaker[n]
        k = bisect_left(self.start, self.sent_start[n])  # else the sentence's first person: «قال
        while not who and k < len(self.start) and self.end[k] <= self.cue_start[n]:  # فلان ... إن بلاده»
            if self.type[k] == "person" and not self.adj[k]:
                who = self.cid[k]
            k += 1
        state = state_officials().get(who, "")
        if not state:
            return ""
        if code not in PAIR_CODES:
            return state
        text, end = self.sc.text, self.cue_end[n]
        for a in self._after(n, RELATION_WINDOW, adjectives=True):
            if "،" in text[end:self.start[a]] or "," in text[end:self.start[a]]:
                break
            other = _capitals().get(self.cid[a], self.cid[a])
            if self.party[a] and other != state:
                return f"{state}|{other}"
        return ""

    def _doer(self, n: int) -> int:
        """The actor after a verb that carries cue ``n`` as its object pronoun within the cue's
        next :data:`DOER_WINDOW` words («عقوبات مماثلة فرضها الرئيس الأمريكي», «الدعم الذي تقدمه
        الدوحة»): the act's agent, a nisba included («فرضها الرئيس الأمريكي»); -1 without one."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.cue_end[n])))
        for j in range(t, min(t + DOER_WINDOW, len(words))):
            if sc.sent[j] != sc.sent[t] or "،" in words[j] or "," in words[j]:
                break
            if _is("doer_verb", words[j]):
                k = bisect_left(self.start, int(sc.tok_end[j]))
                while k < len(self.start) and self.start[k] < self.sent_end[n] and not self.actor[k]:
                    k += 1
                if k < len(self.start) and self.start[k] < self.sent_end[n] \
                        and len(words[j + 1:int(sc.token_from(np.int64(self.start[k])))]) <= 2:
                    return k
                return -1
        return -1

    def _doer_pair(self, n: int) -> str:
        """Both parties of relation cue ``n`` whose agent follows a verb carrying it (:meth:`_doer`):
        the agent with those listed with it, and the next actor after them in the clause (not past
        a comma; a nisba included): «الدعم الذي تقدمه الولايات المتحدة وفرنسا للمعتدي السعودي»
        gives usa|france|saudi_arabia; "" otherwise."""
        k = self._doer(n)
        if k < 0:
            return ""
        group = self._coordinated(k)
        ids = [self.cid[g] for g in group]
        last = max(self.end[g] for g in group)
        limit = self.after_limit[RELATION_WINDOW][n]
        text = self.sc.text
        j = bisect_left(self.start, last)
        while j < len(self.start) and self.start[j] < max(limit, self.sent_end[n]):
            if "،" in text[last:self.start[j]] or "," in text[last:self.start[j]]:
                break
            if self.actor[j] and not self._where(j) and self.cid[j] not in ids:
                return "|".join(dict.fromkeys(ids + [self.cid[j]]))
            j += 1
        return ""

    def _hostile(self, n: int, noun: bool = False) -> str:
        """Both parties of a hostile act between actors (a warning, a sanction): its agent, as a
        party (:meth:`_party`), and the one it is aimed at; "" without both.

        The agent is the actor after a verb that carries the act («عقوبات فرضها الرئيس الأمريكي»),
        else, for a noun (``hostilenoun``), the name or nisba right after it («العقوبات الأمريكية»),
        else the first actor of the cue's clause before it («وكانت واشنطن فرضت عقوبات»; from its
        last «أن»/«إن», else from the sentence's start; from the sentence's start for a cue after a
        comma: «قال الوزير التركي إن ...، محذرا دمشق»; after a colon), else the first after the cue («حذر وزير
        الخارجية التركي ...»). The other party is the first actor after the cue and the agent within
        :data:`HOSTILE_WINDOW` words of the clause (not past a comma), a nisba included («على
        وزيرين أمريكيين»), a setting not («في أنقرة»)."""
        sc, words, text = self.sc, self.sc.words, self.sc.text
        start, end = self.cue_start[n], self.cue_end[n]
        agent = self._doer(n)  # «عقوبات مماثلة فرضها الرئيس الأمريكي»
        if agent < 0 and noun:  # «العقوبات الأمريكية», «عقوبات واشنطن»: the name the noun is of
            k = bisect_left(self.start, end)
            if k < len(self.start) and self.actor[k] and self.start[k] < self.sent_end[n] \
                    and not text_between(text, end, self.start[k]):
                agent = k
        after_agent = self.end[agent] if agent >= 0 else end
        if agent < 0:
            first = int(sc.token_from(np.int64(start)))
            lo = self.sent_start[n]
            # «قال الوزير إن ...، محذرا دمشق»: a participle after a comma is the main clause's
            # subject's act, not the reported clause's
            circumstantial = text[max(start - 3, 0):start].rstrip().endswith(("،", ","))
            for j in range(first - 1, -1 if not circumstantial else first, -1):
                if int(sc.tok_end[j]) <= lo or sc.sent[j] != sc.sent[first]:
                    break
                if words[j] in COMPLEMENTISERS:
                    lo = int(sc.tok_end[j])
                    break
            lo = max(lo, text.rfind(":", lo, start) + 1)  # «مصادر لـCNN: قادة الجيش حذروا ...»
            k = bisect_left(self.start, lo)
            while k < len(self.start) and self.end[k] <= start:
                if self.party[k] and not self._where(k):  # «وقال الرئيس المصري»: the nisba's state
                    agent = k
                    break
                k += 1
        if agent < 0 and self.speaker[n]:  # «..., محذرا دمشق»: the speaker's warning
            ids = [self.speaker[n]]
        elif agent < 0:
            k = bisect_left(self.start, end)
            while k < len(self.start) and self.start[k] < self.sent_end[n] \
                    and (self.adj[k] or not self.actor[k] or self._where(k)):
                k += 1
            if not (k < len(self.start) and self.start[k] < self.sent_end[n]):
                return ""
            agent, after_agent = k, self.end[k]
        if agent >= 0:
            ids = [self._party(agent)]
        a = int(sc.token_from(np.int64(after_agent)))
        limit = int(sc.tok_end[min(a + HOSTILE_WINDOW - 1, len(words) - 1)]) if a < len(words) else after_agent
        limit = min(limit, self.sent_end[n])
        k = bisect_left(self.start, max(after_agent, end))
        while k < len(self.start) and self.start[k] < limit:
            between = text[max(after_agent, end):self.start[k]]
            if "،" in between or "," in between:
                break
            if self.party[k] and not self._where(k):  # (the agent's own nisba is its party: skipped)
                party = self._party(k)
                if party not in ids:
                    return "|".join(ids + [party])
            k += 1
        return ""

    def _parties(self, n: int) -> str:
        """Both parties of relation cue ``n`` where a preposition names them: the actor before
        the cue in its sentence and the one after «مع» («تنوي فرنسا الحوار مع إيران»), or the
        two after «بين» («التقارب بين تركيا وقطر»); "" otherwise."""
        sc, words = self.sc, self.sc.words
        t = int(sc.token_from(np.int64(self.cue_end[n])))
        for k in range(t, min(t + PATIENT_WINDOW, len(words))):
            if sc.sent[k] != sc.sent[t]:
                break
            partner, between = _is("partner", words[k]), _is("between", words[k])
            if not (partner or between):
                continue
            mark_end = int(sc.tok_end[k])
            j = bisect_left(self.start, mark_end)
            while j < len(self.start) and self.start[j] < self.sent_end[n] and (not self.actor[j] or self.adj[j]):
                j += 1
            if j >= len(self.start) or self.start[j] >= self.sent_end[n] \
                    or len(words[int(sc.token_from(np.int64(mark_end))):int(sc.token_from(np.int64(self.start[j])))]) > 2:
                return ""
            after = [self.cid[g] for g in self._coordinated(j)]
            if partner:
                b = self._before(n, PREV_WINDOW)
                ids = ([self.cid[b]] if b >= 0 else []) + after
            else:
                ids = after
            ids = list(dict.fromkeys(m for i in ids for m in i.split("|")))  # a group is its members
            return "|".join(ids) if len(ids) >= 2 else ""
        return ""

    def _coordinated_before(self, k: int) -> list[int]:
        """Actor ``k`` with the actors listed before it («مصر والسودان» ending at السودان), in order."""
        group = [k]
        text, starts, ends = self.sc.text, self.start, self.end
        j = k - 1
        while j >= 0:
            if self.adj[j] or not self.actor[j]:
                if ends[j] > starts[group[0]] or self.adj[j]:
                    j -= 1
                    continue
                break
            between = text[ends[j]:starts[group[0]]]
            if not _LIST_JOINT.fullmatch(between) or not (text[starts[group[0]]] == "و" or "،" in between
                                                          or "," in between):
                break
            group.insert(0, j)
            j -= 1
        return group

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
        """Whether actor ``k`` follows a preposition of place or time or a direction («في ليبيا»,
        «شرقي ليبيا»): a setting."""
        if self._setting is None:  # for all actors at once, the first time it is asked
            words = self.sc.words
            before = (self.sc.token_from(np.asarray(self.start, np.int64)) - 1).tolist()
            self._setting = [t >= 0 and words[t] in SETTING_WORDS for t in before]
        return self._setting[k]

    def _in_sentence(self, n: int) -> list[str]:
        """The distinct actors named in cue ``n``'s sentence, in order; a nisba inside another
        actor's name («وزارة الخارجية الإيرانية») or right after it («حكومة الوفاق الليبية»)
        is part of that name, a name after «في» or «إلى» is a setting, not an actor, and the
        speaker of the statement holding the cue, or of a verb of saying or accusing in the
        sentence («واتهم أردوغان ...»), is its voice, not a party."""
        lo, hi = self.sent_start[n], self.sent_end[n]
        starts, ends, text = self.start, self.end, self.sc.text
        k = bisect_left(starts, lo)
        ids, cover = [], -1
        while k < len(starts) and starts[k] < hi:
            qualifies = self.adj[k] and (ends[k] <= cover or (cover >= 0 and not text[cover:starts[k]].strip()))
            if ends[k] <= hi and self.party[k] and not qualifies and not self._where(k) \
                    and self.cid[k] != self.speaker[n] and not self._speaker(k):  # the voice is no party
                ids += self.cid[k].split("|")  # a group («البلدين») is its members
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
