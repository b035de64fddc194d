"""Actor mentions: gazetteer matching, codebook R1 for capitals, and the counting rule."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .matcher import PhraseMatcher
from .scan import LETTER, Scan
from .text import normalize

DATA = Path(__file__).parent / "data"
KIND_TO_MENTION = {"name": "NAM", "capital": "NAM", "title": "NOM", "adjective": "ADJ"}
ACTOR_COLUMNS = ["canonical_id", "type", "form", "kind", "resolves_to", "name_en"]
DATED_COLUMNS = ["from", "until"]
"""Optional: the form names this actor only in articles published from / until that day."""
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TYPES = {"person", "state", "organization", "armed_force", "place", "event"}
KINDS = set(KIND_TO_MENTION)


def read_data(name: str | Path) -> pd.DataFrame:
    """Read one of akhbar's CSV data files (``#`` lines are comments), all as text.

    Args:
        name: A file name inside ``akhbar/data`` or a path of the researcher's own.
    """
    path = Path(name) if isinstance(name, Path) or "/" in str(name) else DATA / name
    if not path.exists():
        raise FileNotFoundError(f"{path}: data file not found")
    return pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, skipinitialspace=True)


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """The actor gazetteer (``data/actors.csv`` or ``path``), checked.

    Raises:
        ValueError: naming the file and row of a bad type, kind or empty form.
    """
    df = read_data(Path(path) if path else "actors.csv")
    where = path or "akhbar/data/actors.csv"
    missing = set(ACTOR_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{where}: missing columns {sorted(missing)}")
    for col in DATED_COLUMNS:
        df[col] = df[col].fillna("") if col in df else ""
    for i, row in df.iterrows():
        if row["type"] not in TYPES or row["kind"] not in KINDS or not row["form"].strip():
            raise ValueError(f"{where}: row {i + 1} ({row['form']!r}): type must be one of "
                             f"{sorted(TYPES)}, kind one of {sorted(KINDS)}, form not empty")
        for col in DATED_COLUMNS:
            if row[col] and not ISO_DAY.fullmatch(row[col]):
                raise ValueError(f"{where}: row {i + 1} ({row['form']!r}): {col} must be a date "
                                 f"like 2021-03-15, got {row[col]!r}")
    return df


@lru_cache(maxsize=4)
def _matchers(path: str | None):
    actors = load_actors(path)
    entries = [(r["form"], {**r, "mention": KIND_TO_MENTION[r["kind"]]}) for r in actors.to_dict("records")]
    full = PhraseMatcher([e for e in entries if e[1]["kind"] != "adjective"])
    adjectives = PhraseMatcher([e for e in entries if e[1]["kind"] == "adjective"])
    names = actors.drop_duplicates("canonical_id").set_index("canonical_id")
    for m in (full, adjectives):
        m.columns = {c: np.array([e[1][c] for e in m.entries], dtype=object)
                     for c in ("canonical_id", "type", "kind", "mention", "resolves_to", *DATED_COLUMNS)}
        # keys one of whose forms holds only for some dates: chosen per article
        m.dated = np.array([any(m.entries[n][1]["from"] or m.entries[n][1]["until"] for n in entries)
                            for entries in m.key_entries], bool)
    return full, adjectives, names


def _entry_for_date(matcher: PhraseMatcher, key: int, day: str) -> int:
    """The first entry of ``key`` whose from/until holds on ``day`` (ISO; "" when the
    article has no date, which takes the first entry listed)."""
    entries = matcher.key_entries[key]
    for n in entries:
        start, until = matcher.columns["from"][n], matcher.columns["until"][n]
        if day and (not start or start <= day) and (not until or day < until):
            return n
    return entries[0]


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
    return out


def actor_names(path: str | None = None) -> pd.Series:
    """English display name of every canonical id (for chart legends)."""
    return _matchers(path)[2]["name_en"]


def _cue_hit(word: str, key: str, prefix_mode: bool) -> bool:
    return word.startswith(key) if prefix_mode else word == key


def _place_on_scan(sc: Scan, t: int, after: int, prefix: str, cues: dict) -> bool:
    """Codebook R1: is this capital a location rather than its state acting?

    ``t`` is the capital's first token, ``after`` the token after it; the cues are
    ``data/metonymy.csv`` (its own proclitic, words before it, the word after it).
    """
    if prefix and prefix[-1:] in cues["prefix"] and not prefix.endswith("ال"):
        return True
    doc = sc.tok_doc[t]
    exact, starts = cues["before_exact"], cues["before_prefix"]
    k = t - 1
    while k >= 0 and t - k <= 6 and sc.tok_kind[k] == LETTER and sc.tok_doc[k] == doc:
        word, i = sc.token(k), t - k  # i-th word before the capital
        if exact.get(word, 0) >= i or any(word.startswith(key) and w >= i for key, w in starts):
            return True
        k -= 1
    nxt = sc.token(after) if after < sc.tok_view.size and sc.tok_doc[after] == doc else ""
    return any(_cue_hit(nxt, key, pm) for key, pm, _w in cues["after"])


def entity_columns(sc: Scan, path: str | None = None, published: list | None = None) -> dict[str, np.ndarray]:
    """Entity mentions of every text of a scan, as columns.

    Forms of ``data/actors.csv`` (or ``path``) match whole words with their proclitics,
    leftmost-longest (صدام حفتر, not حفتر). Capitals acting politically resolve to their
    state (codebook R1); a capital joined by و to the one before it reads like it
    («أبوظبي والرياض»). An adjective inside a mention of its own actor («الجانب التركي»)
    is not a second mention. A form listed for several actors with ``from`` / ``until``
    dates («حكومة طرابلس»: the GNA until 2021-03-15, the GNU after) takes the actor of
    the article's publication day (``published``, one per text).

    Returns:
        Arrays ``start, end`` (offsets into ``sc.text``), ``label (NAM|NOM|ADJ),
        canonical_id, literal_id, type, note``, sorted by start.
    """
    full, adjectives, _names = _matchers(path)
    f = full.find_in(sc)
    dated = np.flatnonzero(full.dated[f.key]) if len(f) else f.key
    if dated.size:
        days = ["" if p is None or pd.isna(p) else pd.Timestamp(p).strftime("%Y-%m-%d")
                for p in (published if published is not None else [None] * (len(sc.starts) - 1))]
        f.entry = f.entry.copy()
        for i, d in zip(dated.tolist(), sc.doc_of(f.start[dated]).tolist()):
            f.entry[i] = _entry_for_date(full, int(f.key[i]), days[d])
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
    a = adjectives.find_in(sc)
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
        cols = {c: np.concatenate([cols[c], extra[c]]) for c in cols}
        order = np.lexsort((cols["end"], cols["start"]))
        cols = {c: v[order] for c, v in cols.items()}
    return cols


def mark_counted(spans: pd.DataFrame) -> pd.Series:
    """Codebook counting rule: which entity rows count as actor mentions.

    NAM rows count (after R1 to R5), except inside boilerplate or byline zones, and an
    acronym that repeats the name just given («وكالة الأنباء القطرية "قنا"»). Names
    inside a longer proper name never became rows (longest match).
    """
    nam = ((spans["layer"] == "entity") & (spans["label"] == "NAM")).to_numpy()
    counted = nam & ~spans["zone"].isin(["boilerplate", "byline"]).to_numpy()
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
    return pd.Series(counted, index=spans.index)


def actor_counts(spans: pd.DataFrame, mentions: str = "counted") -> pd.DataFrame:
    """Article x actor table of mentions.

    Args:
        spans: From :func:`akhbar.annotate`.
        mentions: ``counted`` (the codebook's actor mentions), or ``all`` (NAM, NOM and
            ADJ outside boilerplate and bylines).

    Returns:
        DataFrame indexed by ``canonical_id`` with one column per article, sorted by total.
    """
    ent = spans[spans["layer"] == "entity"]
    if mentions == "counted":
        ent = ent[ent["counts"].astype(bool)]
    else:
        ent = ent[~ent["zone"].isin(["boilerplate", "byline"])]
    table = ent.pivot_table(index="canonical_id", columns="article_id", values="start",
                            aggfunc="count", fill_value=0)
    table = table.reindex(columns=sorted(spans["article_id"].unique()), fill_value=0)
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable")
    table = table.loc[sorted(table.index, key=lambda c: (-order[c], c))]
    table.columns.name = "article_id"
    return table.astype(int)

