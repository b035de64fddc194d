"""Actor mentions: gazetteer matching, codebook R1 for capitals, and the counting rule."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..matcher import PhraseMatcher
from ..resources import DATA, read_data  # noqa: F401  (read_data: kept importable from here)
from ..scan import LETTER, MARK, Scan
from ..text import normalize
from .patterns import lexicon as pattern_lexicon
from .patterns import pattern_columns, word_class

KIND_TO_MENTION = {"name": "NAM", "capital": "NAM", "surname": "NAM", "title": "NOM",
                   "adjective": "ADJ", "exclude": ""}
ACTOR_COLUMNS = ["canonical_id", "type", "form", "kind", "resolves_to", "name_en"]
OPTIONAL_COLUMNS = ["from", "until", "requires", "source"]
"""``from``/``until``: the row holds only in articles published from / before that day;
``requires``: only in an article that also names one of these ids; ``source``: where the
row comes from (see ``docs/gazetteer.md``)."""
DATED_COLUMNS = ["from", "until"]
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TYPES = ("person", "state", "organization", "armed_force", "place", "event")
"""The codebook's actor types (section 1), in its order."""
MENTIONS = ("NAM", "NOM", "ADJ")
"""Mention labels: a name, a description (title, office) or a nisba adjective."""
KINDS = set(KIND_TO_MENTION)
_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")


def gazetteer_files() -> list[Path]:
    """The package's gazetteer files, most trusted first: ``actors.csv``, the curated
    ``packs/*.csv``, then the generated ``world/*.csv`` (their ``*_table.csv`` inputs are
    not gazetteer files).

    Example:
        >>> [p.name for p in gazetteer_files()][:2]
        ['actors.csv', 'armed_groups.csv']
    """
    packs = sorted((DATA / "packs").glob("*.csv"))
    world = sorted(p for p in (DATA / "world").glob("*.csv") if not p.stem.endswith("_table"))
    return [DATA / "actors.csv", *packs, *world]


MAX_FORM_CHARS = 200
"""Longest gazetteer form: a name of some words, never a paragraph."""


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """One gazetteer file (``data/actors.csv`` or ``path``), checked.

    Returns:
        The rows with every column of :data:`ACTOR_COLUMNS` and :data:`OPTIONAL_COLUMNS`
        (empty where the file has none).

    Raises:
        ValueError: naming the file and row of a bad type, kind, id, date or form (empty, fewer
            than two letters or digits, longer than :data:`MAX_FORM_CHARS`).

    Example:
        >>> load_actors().query("form == 'حفتر'")["canonical_id"].tolist()
        ['khalifa_haftar']
    """
    df = read_data(Path(path) if path else "actors.csv")
    where = path or "akhbar/data/actors.csv"
    missing = set(ACTOR_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{where}: missing columns {sorted(missing)}")
    for col in OPTIONAL_COLUMNS:
        df[col] = df[col].fillna("") if col in df else ""
    for i, form in enumerate(df["form"]):  # "." or "و" would make every full stop or "and" an actor
        if sum(c.isalnum() for c in str(form)) < 2 or len(str(form)) > MAX_FORM_CHARS:
            raise ValueError(f"{where}: row {i + 1} ({str(form)[:40]!r}): a form needs at least two letters or "
                             f"digits and at most {MAX_FORM_CHARS} characters")
    bad_kind = ~df["kind"].isin(KINDS)
    bad = bad_kind | (~df["type"].isin(TYPES) & (df["kind"] != "exclude")) | (df["form"].str.strip() == "")
    bad |= ~df["canonical_id"].str.fullmatch(_ID.pattern) & (df["kind"] != "exclude")
    for col in DATED_COLUMNS:
        bad |= (df[col] != "") & ~df[col].str.fullmatch(ISO_DAY.pattern)
    for i in np.flatnonzero(bad.to_numpy()):
        row = df.iloc[i]
        for col in DATED_COLUMNS:
            if row[col] and not ISO_DAY.fullmatch(row[col]):
                raise ValueError(f"{where}: row {i + 1} ({row['form']!r}): {col} must be a date "
                                 f"like 2021-03-15, got {row[col]!r}")
        raise ValueError(f"{where}: row {i + 1} ({row['form']!r}): type must be one of "
                         f"{sorted(TYPES)}, kind one of {sorted(KINDS)}, canonical_id ASCII "
                         f"snake_case, form not empty")
    return df[ACTOR_COLUMNS + OPTIONAL_COLUMNS + [c for c in df.columns
                                                   if c not in ACTOR_COLUMNS + OPTIONAL_COLUMNS]]


def load_gazetteer(project: str | Path | None = None) -> pd.DataFrame:
    """The whole gazetteer: the researcher's file (if any), then the package's files.

    A form the researcher's file lists replaces every package row of the same form
    (after folding). The package's files are read most trusted first (``actors.csv``,
    the packs, the generated world data): where one form has several rows, an article
    takes the first that holds for it (its dates and ``requires``), so a less trusted
    row is reached only when the rows before it do not hold. An adjective row is
    dropped where the same form is also a name.

    Args:
        project: The researcher's gazetteer CSV (same columns as ``actors.csv``).

    Returns:
        Rows with ``file`` (where each comes from) besides the gazetteer columns.

    Example:
        >>> g = load_gazetteer()
        >>> g.loc[g["form"] == "حفتر", "canonical_id"].tolist()
        ['khalifa_haftar']
    """
    files = ([Path(project)] if project else []) + gazetteer_files()
    frames = []
    for rank, path in enumerate(files):
        if not Path(path).is_file():
            if project and rank == 0:
                raise FileNotFoundError(f"{path}: gazetteer file not found")
            continue
        df = load_actors(path)
        df["file"] = str(path.relative_to(DATA)) if DATA in Path(path).parents else str(path)
        df["_rank"] = rank
        frames.append(df)
    g = pd.concat(frames, ignore_index=True)
    from ..matcher import match_key

    g["_key"] = [match_key(f.rstrip("*")) for f in g["form"]]
    if project:  # the researcher's forms replace the package's
        mine = set(g.loc[g["_rank"] == 0, "_key"])
        g = g[(g["_rank"] == 0) | ~g["_key"].isin(mine)]
    has_name = g["kind"].ne("adjective").groupby(g["_key"]).transform("any")
    g = g[~(has_name & g["kind"].eq("adjective"))]
    return g.drop(columns=["_key", "_rank"]).reset_index(drop=True)


def _cache_key(project: str | Path | None) -> tuple:
    """What the matchers are cached on: the project file and its modification time."""
    if not project:
        return (None, 0.0)
    path = Path(project)
    return (str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)


def _matchers(project: str | Path | None = None):
    return _build_matchers(_cache_key(project))


@lru_cache(maxsize=4)
def _build_matchers(key: tuple):
    actors = load_gazetteer(key[0])
    kinds = actors["kind"].to_numpy(dtype=object)
    column = {c: actors[c].to_numpy(dtype=object) for c in ("canonical_id", "type", "kind", "resolves_to",
                                                              *OPTIONAL_COLUMNS)}
    column["mention"] = np.array([KIND_TO_MENTION[k] for k in kinds], dtype=object)
    conditional = ((column["from"] != "") | (column["until"] != "") | (column["requires"] != "")
                   | (kinds == "surname"))
    forms = actors["form"].tolist()
    context = (column["requires"] != "") | (kinds == "surname")
    matchers = []
    for rows in (np.flatnonzero(kinds != "adjective"), np.flatnonzero(kinds == "adjective")):
        # the names another match may hold inside it (titles are not: «رئيس حكومة الوحدة الوطنية»
        # inside «رئيس حكومة الوحدة الوطنية الليبية» would hide the government's name)
        m = PhraseMatcher([(forms[i], i) for i in rows.tolist()], {c: v[rows] for c, v in column.items()},
                          inner=np.isin(column["kind"][rows], ["name", "capital", "surname"]))
        # keys one of whose rows holds only for some articles (its row is chosen per article),
        # and those whose choice depends on what else the article names
        m.key_columns["dated"] = m.per_key(conditional[rows], "any")
        m.key_columns["needs_context"] = m.per_key(context[rows], "any")
        matchers.append(m)
    names = actors[actors["kind"] != "exclude"].drop_duplicates("canonical_id").set_index("canonical_id")
    return matchers[0], matchers[1], names


def matchers(path: str | Path | None = None, patterns: bool = True) -> list[PhraseMatcher]:
    """The phrase matchers :func:`entity_columns` runs: gazetteer names and titles, nisba
    adjectives, and (with ``patterns``) the pattern layer's cues.

    Example:
        >>> from akhbar.scan import scan
        >>> names, adjectives = matchers(patterns=False)
        >>> adjectives.find_in(scan("رفض الجانب التركي العرض الليبي")).entry.size
        2
    """
    full, adjectives, _names = _matchers(path)
    if not patterns:
        return [full, adjectives]

    return [full, adjectives, pattern_lexicon()["matcher"]]


def _entry_for_article(matcher: PhraseMatcher, key: int, day: str, named: set, by_name: set) -> int:
    """The first row of ``key`` that holds in an article: its ``from``/``until`` contain
    ``day`` (ISO; "" when the article has no date: then no dated row holds, since no
    date says which period's holder or body the form names), its
    ``requires`` ids are among ``named`` (the actors the article names), and a surname's
    actor is among ``by_name`` (the actors the article names by a full name).

    Returns:
        The row, or -1 when none holds (the match is then dropped).
    """
    cols = matcher.columns
    for n in matcher.key_entries[key]:
        start, until = cols["from"][n], cols["until"][n]
        if (start or until) and not day:
            continue  # undated: «حكومة طرابلس» may be the GNC's, the GNA's or the GNU's
        if (start and day < start) or (until and day >= until):
            continue
        requires = cols["requires"][n]
        if requires and not named.intersection(requires.split("|")):
            continue
        if cols["kind"][n] == "surname" and cols["canonical_id"][n] not in by_name:
            continue
        return n
    return -1


@lru_cache(maxsize=1)
def _metonymy_cues():
    cues = read_data("metonymy.csv")
    out = {"before": [], "after": [], "prefix": set()}
    for r in cues.to_dict("records"):
        key = normalize(r["cue"].rstrip("*"), ta_marbuta=True)
        if r["position"] == "prefix":
            out["prefix"].add(key)
        else:
            out[r["position"]].append((key, r["cue"].endswith("*"), int(r["window"] or 1)))
    out["before_exact"] = {}
    for key, prefix_mode, window in out["before"]:
        if not prefix_mode:
            out["before_exact"][key] = max(window, out["before_exact"].get(key, 0))
    out["before_prefix"] = [(key, window) for key, prefix_mode, window in out["before"] if prefix_mode]
    out["max_window"] = max((window for _k, _p, window in out["before"]), default=1)
    return out


def actor_names(project: str | Path | None = None) -> pd.Series:
    """English display name of every canonical id (for chart legends).

    Example:
        >>> actor_names()["khalifa_haftar"]
        'Khalifa Haftar'
    """
    return _matchers(project)[2]["name_en"]


def _cue_hit(word: str, key: str, prefix_mode: bool) -> bool:
    return word.startswith(key) if prefix_mode else word == key


def _place_on_scan(sc: Scan, t: int, after: int, prefix: str, cues: dict) -> bool:
    """Codebook R1: is this capital a location rather than its state acting?

    ``t`` is the capital's first token, ``after`` the token after it; the cues are
    ``data/metonymy.csv`` (its own proclitic, words before it, the word after it): a
    destination or seat, a venue («اجتماع باريس», «بالعاصمة الإيطالية روما»), a distance
    or direction («750 كلم جنوب طرابلس») or a place of action («تحرير طرابلس»). A cue word
    may carry one proclitic (و ف ب ل).
    """
    if prefix and prefix[-1:] in cues["prefix"] and not prefix.endswith("ال"):
        return True
    doc = sc.tok_doc[t]
    exact, starts = cues["before_exact"], cues["before_prefix"]
    k = t - 1
    while k >= 0 and t - k <= cues["max_window"] and sc.tok_kind[k] == LETTER and sc.tok_doc[k] == doc:
        word, i = sc.words[k], t - k  # i-th word before the capital
        for w in (word, word[1:]) if len(word) > 3 and word[0] in "وفبل" else (word,):  # «وتحرير», «بمدينة»
            if exact.get(w, 0) >= i or any(w.startswith(key) and n >= i for key, n in starts):
                return True
        k -= 1
    nxt = sc.words[after] if after < sc.tok_view.size and sc.tok_doc[after] == doc else ""
    return any(_cue_hit(nxt, key, pm) for key, pm, _w in cues["after"])


def excluded_spans(sc: Scan, path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, ends)`` of the forms a gazetteer marks ``exclude``: no layer may propose them.

    Example:
        >>> import tempfile
        >>> from akhbar.scan import scan
        >>> own = Path(tempfile.mkdtemp()) / "actors.csv"
        >>> _ = own.write_text("canonical_id,type,form,kind,resolves_to,name_en\\n,,سالم الورفلي,exclude,,\\n", encoding="utf-8")
        >>> [x.tolist() for x in excluded_spans(scan("قال سالم الورفلي إن الوضع مستقر"), own)]
        [[4], [16]]
    """
    full, _adjectives, _names = _matchers(path)
    f = full.find_in(sc)
    if not len(f):
        return f.start, f.end
    excluded = full.columns["kind"][f.entry] == "exclude"
    return f.start[excluded], f.end[excluded]


def entity_columns(sc: Scan, path: str | Path | None = None, published: list | None = None,
                   patterns: bool = True) -> dict[str, np.ndarray]:
    """Entity mentions of every text of a scan, as columns.

    Forms of the gazetteer (:func:`load_gazetteer`, with the researcher's file ``path``)
    match whole words with their proclitics, leftmost-longest (صدام حفتر, not حفتر).
    Capitals acting politically resolve to their state (codebook R1); a capital joined
    by و to the one before it reads like it («أبوظبي والرياض»). An adjective inside a
    mention of its own actor («الجانب التركي») is not a second mention. A form listed for
    several actors with ``from`` / ``until`` dates («حكومة طرابلس»: the Salvation government
    2014-2016, the GNA 2016-2021, the GNU after) takes the actor of the article's publication day
    (``published``, one per text); a row with ``requires`` holds only where the article
    names one of those actors; a ``surname`` row only where the article also names its
    actor by a full name; an ``exclude`` row is never a mention. With ``patterns``, names
    the gazetteer does not know are proposed from their cues (:mod:`akhbar.layers.patterns`,
    ``source == "pattern"``). An undated article takes no dated row.

    Returns:
        Arrays ``start, end`` (offsets into ``sc.text``), ``label (NAM|NOM|ADJ),
        canonical_id, literal_id, type, note, source``, sorted by start.

    Example:
        >>> from akhbar.scan import scan
        >>> ents = entity_columns(scan("وقعت تركيا وقطر اتفاقا، ورفض المشير خليفة حفتر التدخل التركي."))
        >>> ents["canonical_id"].tolist(), ents["label"].tolist()
        (['turkey', 'qatar', 'khalifa_haftar', 'turkey'], ['NAM', 'NAM', 'NAM', 'ADJ'])
    """
    full, adjectives, _names = _matchers(path)
    f = full.find_in(sc)
    a = adjectives.find_in(sc)
    dated = np.flatnonzero(full.key_columns["dated"][f.key]) if len(f) else f.key
    n_docs = len(sc.starts) - 1
    named: list[set] = [set() for _ in range(n_docs)]
    by_name: list[set] = [set() for _ in range(n_docs)]
    days = [""] * n_docs

    def choose(key: int, doc: int) -> int:
        return _entry_for_article(full, key, days[doc], named[doc], by_name[doc])

    if dated.size:
        days = ["" if p is None or pd.isna(p) else pd.Timestamp(p).strftime("%Y-%m-%d")
                for p in (published if published is not None else [None] * n_docs)]
        plain = np.flatnonzero(~full.key_columns["dated"][f.key])
        kinds = full.columns["kind"][f.entry[plain]]
        for d, cid, res, kind in zip(sc.doc_of(f.start[plain]).tolist(),
                                     full.columns["canonical_id"][f.entry[plain]].tolist(),
                                     full.columns["resolves_to"][f.entry[plain]].tolist(), kinds.tolist()):
            named[d].add(cid)
            if res:
                named[d].add(res)
            if kind == "name":
                by_name[d].add(cid)
        for d, cid in zip(sc.doc_of(a.start).tolist(), adjectives.columns["canonical_id"][a.entry].tolist()):
            named[d].add(cid)
        titles = plain[kinds == "title"]  # «المتحدث باسم الجيش الليبي» names Libya too
        inner, _owner = full.find_inside(sc, f.vstart[titles], f.key[titles])
        plain_inner = ~full.key_columns["dated"][inner.key]
        for d, cid in zip(sc.doc_of(inner.start[plain_inner]).tolist(),
                          full.columns["canonical_id"][inner.entry[plain_inner]].tolist()):
            named[d].add(cid)
        f.entry = f.entry.copy()
        # rows told apart by dates alone first: what they name is context for the others
        # («حكومة طرابلس» in 2020 is the GNA, which makes «الحكومة الشرعية» Libyan)
        by_context = full.key_columns["needs_context"][f.key[dated]]
        for i, d in zip(dated[~by_context].tolist(), sc.doc_of(f.start[dated[~by_context]]).tolist()):
            n = _entry_for_article(full, int(f.key[i]), days[d], named[d], by_name[d])
            f.entry[i] = n
            if n >= 0:
                named[d].add(full.columns["canonical_id"][n])
        for i, d in zip(dated[by_context].tolist(), sc.doc_of(f.start[dated[by_context]]).tolist()):
            f.entry[i] = _entry_for_article(full, int(f.key[i]), days[d], named[d], by_name[d])
        _not_the_holder(sc, full, f, dated)
        dropped = np.flatnonzero(f.entry < 0)  # no row holds: the names inside it may
        inner, _owner = full.find_inside(sc, f.vstart[dropped], f.key[dropped])
        if len(inner):
            f = f.concat(_choose_rows(sc, full, inner, choose))
    keep = f.entry >= 0
    excluded = np.zeros(len(f), bool)
    excluded[keep] = full.columns["kind"][f.entry[keep]] == "exclude"
    blocked = (f.start[excluded], f.end[excluded])  # no pattern may propose these either
    keep &= ~excluded
    if not keep.all():
        f = f.take(keep)
    f = _outlets_in_quotes(sc, full, f, choose)
    f = _successor_questions(sc, full, f, choose)
    f = _names_inside_titles(sc, full, f, choose)
    f = _drop_portfolios(sc, full, f)
    cols = {"start": f.start, "end": f.end, "label": full.columns["mention"][f.entry],
            "literal_id": full.columns["canonical_id"][f.entry]}
    cid = cols["literal_id"].copy()
    typ = full.columns["type"][f.entry]
    note = np.full(len(f), "", dtype=object)
    capitals = np.flatnonzero(full.columns["kind"][f.entry] == "capital")
    if capitals.size:
        cues = _metonymy_cues()
        typ = typ.copy()
        docs = sc.doc_of(f.start[capitals])
        first_tok = sc.token_at(f.vstart[capitals]).tolist()
        after_tok = (sc.token_at(f.vend[capitals] - 1) + 1).tolist()
        previous = None  # (doc, end, is_place) of the last capital
        for n, (i, doc) in enumerate(zip(capitals.tolist(), docs.tolist())):
            prefix = f.prefix[i]
            joined = (previous is not None and previous[0] == doc and prefix.startswith("و")
                      and not sc.text[previous[1]:f.start[i]].strip())
            place = previous[2] if joined else _place_on_scan(sc, first_tok[n], after_tok[n], prefix, cues)
            previous = (doc, int(f.end[i]), place)
            if place:
                note[i] = "R1: location"
            else:
                literal = cid[i]
                cid[i] = full.columns["resolves_to"][f.entry[i]]
                typ[i] = "state"
                note[i] = f"R1: {literal} acting as its state"
    cols.update(canonical_id=cid, type=typ, note=note)
    if len(a):
        a_cid = adjectives.columns["canonical_id"][a.entry]
        k = np.searchsorted(f.start, a.start, side="right") - 1
        inside = np.zeros(len(a), bool)
        ok = k >= 0
        inside[ok] = (f.end[k[ok]] >= a.end[ok]) & (cid[k[ok]] == a_cid[ok])
        keep = ~inside  # «الجانب التركي»: the adjective is the mention itself (codebook rule 6)
        n = int(keep.sum())
        extra = {"start": a.start[keep], "end": a.end[keep], "label": np.full(n, "ADJ", dtype=object),
                 "literal_id": a_cid[keep], "canonical_id": a_cid[keep],
                 "type": np.full(n, "state", dtype=object), "note": np.full(n, "", dtype=object)}
        cols = merge_columns(cols, extra)
    cols["source"] = np.full(len(cols["start"]), "auto", dtype=object)
    if patterns:

        found = pattern_columns(sc, cols, blocked)
        if len(found["start"]):
            keep = np.ones(len(cols["start"]), bool)
            replaces = found.pop("replaces")
            keep[replaces[replaces >= 0]] = False  # an event encloses its place
            cols = merge_columns({c: v[keep] for c, v in cols.items()}, found)
    return cols


def merge_columns(cols: dict[str, np.ndarray], extra: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Two sets of span columns (the keys of ``cols``) as one, sorted by start, then end.

    Example:
        >>> merge_columns({"start": np.array([5]), "end": np.array([9])},
        ...               {"start": np.array([1]), "end": np.array([3])})["start"].tolist()
        [1, 5]
    """
    out = {c: np.concatenate([cols[c], extra[c]]) for c in cols}
    order = np.lexsort((out["end"], out["start"]))
    return {c: v[order] for c, v in out.items()}


def _not_the_holder(sc: Scan, full: PhraseMatcher, f, dated: np.ndarray) -> None:
    """Unresolve dated titles that do not name the holder of the article's day:
    «الرئيس الأمريكي السابق» (a former holder) and «نائب وزير الخارجية الروسي» (a deputy).
    Sets their entry to -1 in place."""
    titles = dated[full.columns["kind"][np.maximum(f.entry[dated], 0)] == "title"]
    if not titles.size:
        return
    former, deputy = word_class("former"), word_class("deputy")
    n_tok, words = sc.tok_start.size, sc.words
    after = sc.token_from(f.end[titles])
    before = sc.token_from(f.start[titles]) - 1
    a_ok = after < n_tok
    a_ok[a_ok] = sc.tok_kind[after[a_ok]] == LETTER
    b_ok = before >= 0
    b_ok[b_ok] = sc.tok_kind[before[b_ok]] == LETTER
    for i, a, b, ao, bo in zip(titles.tolist(), after.tolist(), before.tolist(), a_ok.tolist(), b_ok.tolist()):
        if (ao and words[a] in former) or (bo and words[b] in deputy):
            f.entry[i] = -1


@lru_cache(maxsize=1)
def _portfolio_heads() -> frozenset:
    """The portfolio words, also with the conjunctions و and ف."""
    heads = word_class("portfolio")
    return heads | {p + h for h in heads for p in ("و", "ف")}


def _drop_portfolios(sc: Scan, full: PhraseMatcher, f):
    """Drop organisation matches that follow a portfolio word: in «وزيرا للخارجية التركية»
    the ministry names the post, it is not a mention of the ministry (codebook)."""
    orgs = np.flatnonzero(full.columns["type"][f.entry] == "organization")
    if not orgs.size:
        return f
    heads = _portfolio_heads()
    before = sc.token_from(f.start[orgs]) - 1
    ok = before >= 0
    orgs, before = orgs[ok], before[ok]
    ok = (sc.tok_kind[before] == LETTER) & (sc.tok_doc[before] == sc.doc_of(f.start[orgs]))
    words = sc.words
    drop = [i for i, k in zip(orgs[ok].tolist(), before[ok].tolist()) if words[k] in heads]
    if not drop:
        return f
    keep = np.ones(len(f), bool)
    keep[drop] = False
    return f.take(keep)


def _choose_rows(sc: Scan, full: PhraseMatcher, found, choose):
    """``found`` with the row of each match whose key depends on the article picked by
    ``choose(key, doc)`` (-1 where no row holds)."""
    conditional = np.flatnonzero(full.key_columns["dated"][found.key])
    if conditional.size:
        found.entry = found.entry.copy()
        for j, d in zip(conditional.tolist(), sc.doc_of(found.start[conditional]).tolist()):
            found.entry[j] = choose(int(found.key[j]), d)
    return found


QUOTES_OPEN = "«\"“'‘"
QUOTES_CLOSE = "»\"”'’"
MAX_QUOTED_WORDS = 5


def _outlets_in_quotes(sc: Scan, full: PhraseMatcher, f, choose):
    """A name in quotation marks after an outlet's head noun («صحيفة "الشرق الأوسط"») or
    after «لـ» («قال لـ«الشرق الأوسط»») is the outlet the gazetteer lists as head + name
    (``pattern_words.csv``, class ``outlet``), not what the name alone is (the region).
    The quoted words are the span (the quotation marks are not part of it)."""
    heads = word_class("outlet")
    if not heads:
        return f
    opening = np.flatnonzero(sc.tok_kind == MARK)
    words, n_tok = sc.words, sc.tok_start.size
    rows = []  # (first token, last token, key, doc)
    for t in opening.tolist():
        if t == 0 or sc.text[sc.tok_start[t]] not in QUOTES_OPEN or sc.tok_kind[t - 1] != LETTER \
                or sc.tok_doc[t - 1] != sc.tok_doc[t]:
            continue
        before = words[t - 1]
        bare = before[1:] if len(before) > 3 and before[0] in "وفبل" and before[1:] in heads else before
        if bare in heads:
            tried = [bare]
        elif before in ("ل", "ول", "فل"):  # «لـ» written apart
            tried = sorted(heads)
        else:
            continue
        last = t + 1
        while last < n_tok and last - t <= MAX_QUOTED_WORDS and sc.tok_kind[last] == LETTER:
            last += 1
        if last == t + 1 or last >= n_tok or sc.tok_kind[last] != MARK or sc.text[sc.tok_start[last]] not in QUOTES_CLOSE:
            continue
        name = "  ".join(words[t + 1:last])
        for head in tried:
            key = full._key_index.get(f" {_head_view(head)}  {name} ")
            if key is not None and full.columns["type"][full.key_entries[key][0]] == "organization":
                rows.append((t + 1, last - 1, key, int(sc.tok_doc[t])))
                break
    if not rows:
        return f
    first, last, keys, docs = (np.array(c) for c in zip(*rows))
    entry = np.array([choose(int(k), d) for k, d in zip(keys.tolist(), docs.tolist())], np.int64)
    ok = entry >= 0
    if not ok.any():
        return f
    first, last, keys, entry = first[ok], last[ok], keys[ok], entry[ok]
    start, end = sc.tok_start[first].astype(f.start.dtype), sc.tok_end[last].astype(f.end.dtype)
    outlets = type(f)(start, end, sc.tok_view[first].astype(f.vstart.dtype), sc.tok_vend[last].astype(f.vend.dtype),
                      entry.astype(f.entry.dtype), np.full(entry.size, "", dtype=object), keys.astype(f.key.dtype))
    k = np.searchsorted(start, f.start, side="right") - 1
    inside = (k >= 0) & (f.end <= end[np.maximum(k, 0)]) & (f.start >= start[np.maximum(k, 0)])
    return f.take(~inside).concat(outlets)


@lru_cache(maxsize=None)
def _head_view(word: str) -> str:
    from ..matcher import view_key

    return view_key(word)


def _successor_questions(sc: Scan, full: PhraseMatcher, f, choose):
    """«من هو خليفة حفتر؟» in an article about succession (it uses a word of class
    ``succession`` of ``pattern_words.csv``: «خلافة», «يخلف» ...) asks who succeeds Haftar:
    the match is not the person named Khalifa, and the name inside it (حفتر) is read
    alone. Elsewhere («المشير خليفة حفتر») the person is the person."""
    persons = np.flatnonzero((full.columns["type"][f.entry] == "person") & (full.columns["kind"][f.entry] == "name"))
    if not persons.size:
        return f
    words = sc.words
    first = sc.token_from(f.start[persons])
    ask = [i for i, t in zip(persons.tolist(), first.tolist())
           if words[t] in ("خليفه", "وخليفه") and t + 1 < len(words) and sc.token_from(f.end[i]) > t + 1
           and _asks_who(sc, t)]
    if not ask:
        return f
    succession = word_class("succession")
    docs = sc.doc_of(f.start[ask])
    drop = []
    for i, d in zip(ask, docs.tolist()):
        lo, hi = np.searchsorted(sc.tok_doc, [d, d + 1])
        if any(w in succession or (len(w) > 3 and w[0] in "وفل" and w[1:] in succession) for w in words[lo:hi]):
            drop.append(i)
    if not drop:
        return f
    keep = np.ones(len(f), bool)
    keep[drop] = False
    drop = np.array(drop)
    inner, _owner = full.find_inside(sc, f.vstart[drop], f.key[drop])
    inner = _choose_rows(sc, full, inner, choose)
    inner = inner.take((inner.entry >= 0) & (inner.start > f.start[drop][_owner]))
    return f.take(keep).concat(inner) if len(inner) else f.take(keep)


def _asks_who(sc: Scan, t: int) -> bool:
    """Token ``t`` stands in a question «من (هو|سيكون|يكون) ...؟»."""
    words, doc = sc.words, sc.tok_doc[t]
    k = t - 1
    if k >= 0 and words[k] in ("هو", "سيكون", "يكون"):
        k -= 1
    if k < 0 or sc.tok_doc[k] != doc or words[k] not in ("من", "ومن", "فمن"):
        return False
    end = int(np.searchsorted(sc.tok_doc, doc, side="right"))
    for j in range(t + 1, min(t + 8, end)):
        if sc.tok_kind[j] == MARK:
            return sc.text[sc.tok_start[j]] in "؟?"
    return False


def _names_inside_titles(sc: Scan, full: PhraseMatcher, f, choose):
    """Add the names inside each title (NOM) match: «وزير خارجية تركيا» holds تركيا,
    «مبعوث الأمم المتحدة إلى ليبيا» the UN and Libya (codebook: names inside a NOM count).
    A name of the title's own actor is not added; a name whose rows depend on the
    article takes the row ``choose(key, doc)`` picks (-1: none holds)."""
    titles = np.flatnonzero(full.columns["kind"][f.entry] == "title")
    if not titles.size:
        return f
    inner, owner = full.find_inside(sc, f.vstart[titles], f.key[titles])
    if not len(inner):
        return f
    inner = _choose_rows(sc, full, inner, choose)
    held = inner.entry >= 0
    inner, owner = inner.take(held), owner[held]
    kind = full.columns["kind"][inner.entry]
    own = full.columns["canonical_id"][inner.entry] == full.columns["canonical_id"][f.entry[titles[owner]]]
    keep = ((kind == "name") | (kind == "capital")) & ~own
    return f.concat(inner.take(keep)) if keep.any() else f


def mark_counted(spans: pd.DataFrame, proposals: bool = False) -> pd.Series:
    """Codebook counting rule: which entity rows count as actor mentions.

    NAM rows count (after R1 to R5), except inside boilerplate or byline zones, and an
    acronym that repeats the name just given («وكالة الأنباء القطرية "قنا"»). Names
    inside a longer proper name never became rows (longest match). A name the pattern
    layer proposed (``source == "pattern"``, a ``new:`` id) is not yet reviewed: it does
    not count until the researcher confirms it in the project gazetteer.

    Args:
        spans: From :func:`akhbar.annotate`.
        proposals: Count the unreviewed proposals too, as they would count once
            confirmed (for scoring what the annotator finds; never for the actor tables).

    Example:
        >>> spans = akhbar.annotate('ونقلت وكالة الأنباء القطرية "قنا" عن أمير قطر')
        >>> ent = spans[spans["layer"] == "entity"]
        >>> ent.loc[mark_counted(spans)[ent.index], "surface"].tolist()  # not «قنا», not ADJ/NOM
        ['وكالة الأنباء القطرية', 'قطر']
        >>> spans = akhbar.annotate("قال المتحدث باسم الجيش سالم الورفلي إن الوضع مستقر")
        >>> int(mark_counted(spans).sum()), int(mark_counted(spans, proposals=True).sum())
        (0, 1)
    """
    nam = ((spans["layer"] == "entity") & (spans["label"] == "NAM")).to_numpy()
    if "zone" in spans:
        counted = nam & ~spans["zone"].isin(["boilerplate", "byline"]).to_numpy()
    else:
        counted = nam.copy()
    rows = np.flatnonzero(nam)
    if rows.size:
        # rows of the same actor in the same article, in text order
        aid = pd.factorize(spans["article_id"].to_numpy()[rows])[0]
        cid = pd.factorize(spans["canonical_id"].to_numpy()[rows])[0]
        start = spans["start"].to_numpy(np.int64)[rows]
        end = spans["end"].to_numpy(np.int64)[rows]
        order = np.lexsort((start, cid, aid))
        same = (aid[order][1:] == aid[order][:-1]) & (cid[order][1:] == cid[order][:-1])
        gap = start[order][1:] - end[order][:-1]
        repeat = same & (gap >= 0) & (gap <= 3)  # an acronym repeating the name just given
        counted[rows[order][1:][repeat]] = False
    if not proposals:
        counted &= ~is_proposal(spans).to_numpy()
    return pd.Series(counted, index=spans.index)


def is_proposal(spans: pd.DataFrame) -> pd.Series:
    """Entity rows the pattern layer proposed and nobody has reviewed yet
    (``source == "pattern"``): shown as proposals, left out of counts, charts and readings.

    Example:
        >>> spans = akhbar.annotate("قال المتحدث باسم الجيش سالم الورفلي إن تركيا تدعم الحوار")
        >>> spans.loc[is_proposal(spans), "canonical_id"].tolist()
        ['new:سالم_الورفلي']
    """
    if "source" not in spans:
        return pd.Series(False, index=spans.index)
    return (spans["layer"] == "entity") & (spans["source"] == "pattern")


def actor_counts(spans: pd.DataFrame, mentions: str = "counted") -> pd.DataFrame:
    """Article x actor table of mentions.

    Args:
        spans: From :func:`akhbar.annotate`.
        mentions: ``counted`` (the codebook's actor mentions), or ``all`` (NAM, NOM and
            ADJ outside boilerplate and bylines). Unreviewed proposals (:func:`is_proposal`)
            are left out of both: ``attrs["proposals_left_out"]`` holds how many mentions,
            :func:`akhbar.analysis.proposals.proposals_left_out` how many per article.

    Returns:
        DataFrame indexed by ``canonical_id`` with one column per article, sorted by total.

    Example:
        >>> spans = akhbar.annotate(["قال المشير خليفة حفتر إن تركيا تحتل ليبيا",
        ...                          "وصل أردوغان إلى الدوحة، وقال أردوغان إن قطر حليف"])
        >>> actor_counts(spans).loc[["erdogan", "khalifa_haftar"]].values.tolist()
        [[0, 2], [1, 0]]
    """
    ent = spans[spans["layer"] == "entity"]
    if mentions == "counted":
        ent = ent[ent["counts"].astype(bool)]
    else:
        ent = ent[~ent["zone"].isin(["boilerplate", "byline"]) & ~is_proposal(ent)]
    table = ent.pivot_table(index="canonical_id", columns="article_id", values="start",
                            aggfunc="count", fill_value=0)
    table = table.reindex(columns=sorted(spans["article_id"].unique()), fill_value=0)
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable")
    table = table.loc[sorted(table.index, key=lambda c: (-order[c], c))]
    table.columns.name = "article_id"
    table = table.astype(int)
    left = is_proposal(spans) & mark_counted(spans, proposals=True) if mentions == "counted" else \
        is_proposal(spans) & ~spans["zone"].isin(["boilerplate", "byline"])
    table.attrs["proposals_left_out"] = int(left.sum())  # for a chart's caption
    return table

