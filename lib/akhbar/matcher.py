"""Phrase matching on the scan view with Aho-Corasick, mapped back to original offsets.

A :class:`PhraseMatcher` holds a list of forms and their payload columns (one value per
form: a cue's code, an actor's id ...). Every matcher of :func:`akhbar.annotate` is
searched in ONE pass over the scan view (:func:`find_all`: a merged automaton over all
their keys), and the hits are split by matcher with array operations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import ahocorasick
import numpy as np
import pandas as pd

from .scan import BREAK_CHAR, Scan, scan
from .text import normalize

# Proclitics a form may carry, as they look in normalised text (codebook rule 1):
# conjunction و/ف, then preposition ب/ك/ل. A form written with the article ال also
# takes ل + ال = لل.
CLITICS = frozenset({"", "و", "ف", "ب", "ك", "ل", "وب", "ول", "وك", "فب", "فل", "فك"})
ARTICLE_CLITICS = frozenset({"ال", "وال", "فال", "بال", "كال", "لل", "وبال", "فبال", "وكال",
                             "فكال", "ولل", "فلل"})
_ARTICLE_FORM = re.compile(r"^ال[\u0621-\u064A]")


def match_key(form: str) -> str:
    """The normalised key of a gazetteer form: folded, ta marbuta as ه, single spaces.

    «آل سعود» gives «ال سعود»: the folded آل stays a word of its own, never an article.

    Example:
        >>> match_key("آل  سعود"), match_key("الحكومة")
        ('ال سعود', 'الحكومه')
    """
    return " ".join(normalize(form, ta_marbuta=True).split())


def view_key(form: str) -> str:
    """A form as it reads in :attr:`akhbar.scan.Scan.view`: folded tokens, two spaces apart.

    Example:
        >>> view_key("الأمم المتحدة")
        'الامم  المتحده'
    """
    return scan(form).view.strip()


def view_keys(forms: list[str]) -> list[str]:
    """:func:`view_key` of many forms at once (one scan of all of them, split at the
    line breaks that join them).

    Example:
        >>> view_keys(["الأمم المتحدة", "تركيا"])
        ['الامم  المتحده', 'تركيا']
    """
    if not forms:
        return []
    clean = [f.replace("\n", " ").replace("\r", " ") for f in forms]
    pieces = scan(clean).view.split(BREAK_CHAR)
    if len(pieces) != len(clean):  # a form with a character the scan splits lines at
        return [view_key(f) for f in clean]
    return [p.strip() for p in pieces]


@dataclass(slots=True)
class Found:
    """Matches in a :class:`~akhbar.scan.Scan`, as arrays (one element per match).

    Attributes:
        start, end: Offsets into ``scan.text``.
        vstart, vend: Offsets into ``scan.view``.
        entry: Index of the matched entry in ``PhraseMatcher.entries`` (the first
            listed, when several entries share a form: see ``PhraseMatcher.key_entries``).
        prefix: The proclitics in front of the form («و», «لل», ...).
        key: Index of the matched key.

    Example:
        >>> from akhbar.scan import scan
        >>> places = PhraseMatcher([("ليبيا", "ly"), ("طرابلس", "tripoli")])
        >>> found = places.find_in(scan("وصل الوفد إلى طرابلس ثم لليبيا"))
        >>> found.start.tolist(), found.entry.tolist(), found.prefix.tolist()
        ([14, 24], [1, 0], ['', 'ل'])
    """

    start: np.ndarray
    end: np.ndarray
    vstart: np.ndarray
    vend: np.ndarray
    entry: np.ndarray
    prefix: np.ndarray
    key: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)

    def take(self, rows: np.ndarray) -> "Found":
        """The matches at ``rows`` (an index or boolean array)."""
        return Found(*(getattr(self, c)[rows] for c in ("start", "end", "vstart", "vend", "entry", "prefix", "key")))

    def concat(self, other: "Found") -> "Found":
        """These matches and ``other``'s, sorted by start."""
        cols = [np.concatenate([getattr(self, c), getattr(other, c)])
                for c in ("start", "end", "vstart", "vend", "entry", "prefix", "key")]
        order = np.lexsort((cols[1], cols[0]))
        return Found(*(c[order] for c in cols))


class PhraseMatcher:
    """Find listed phrases with their proclitics, and carry each phrase's payload.

    A form matches only as whole words; proclitics (و ف ب ك ل, and لل / ال for forms
    written with the article) are accepted in front of it and included in the span.
    A form ending in ``*`` also matches any word continuing it (عسكري* finds العسكرية).

    :meth:`find_in` gives the non-overlapping matches in a scan, leftmost-longest (at
    each place the longest form wins, so صدام حفتر beats حفتر).

    Args:
        entries: ``(form, payload)`` pairs, in file order.
        columns: Payload columns, one value per entry (``columns["code"][found.entry]``
            is the code of each match).
        inner: One flag per entry: whether a key whose first entry has it counts as a
            name inside another match (:meth:`find_inside`); all keys when None.

    Attributes:
        key_columns: Columns with one value per key (see :meth:`per_key`), for the
            caller's own per-key facts.
        key_entries: For each key, every entry whose form gives it (in file order).

    Example:
        >>> from akhbar.scan import scan
        >>> m = PhraseMatcher.from_table(pd.DataFrame({"form": ["تركيا", "قطر"], "id": ["tr", "qa"]}),
        ...                              "form", ["id"])
        >>> found = m.find_in(scan("زار وفد من تركيا وقطر"))
        >>> m.columns["id"][found.entry].tolist(), found.prefix.tolist()
        (['tr', 'qa'], ['', 'و'])
    """

    def __init__(self, entries: list[tuple[str, object]] | None = None,
                 columns: dict[str, np.ndarray] | None = None, inner: np.ndarray | None = None):
        self.entries = list(entries or [])
        self.columns = {c: np.asarray(v) for c, v in (columns or {}).items()}
        for c, v in self.columns.items():
            if len(v) != len(self.entries):
                raise ValueError(f"payload column {c!r} has {len(v)} values for {len(self.entries)} entries")
        self.key_columns: dict[str, np.ndarray] = {}
        self._build_keys()
        self._inner_ok = None if inner is None else self.per_key(np.asarray(inner, bool))
        self._inside_cache: dict[int, np.ndarray] = {}
        self._automaton = None

    @classmethod
    def from_table(cls, table: pd.DataFrame, form: str, columns=(), inner: np.ndarray | None = None) -> "PhraseMatcher":
        """A matcher of the forms in column ``form`` of ``table``, each entry's payload its
        row number, with ``columns`` of the table as payload columns."""
        forms = table[form].tolist()
        return cls([(f, i) for i, f in enumerate(forms)],
                   {c: table[c].to_numpy(dtype=object) for c in columns}, inner)

    @property
    def forms(self) -> list[str]:
        """The form of each entry, as listed."""
        return [form for form, _payload in self.entries]

    def _build_keys(self) -> None:
        """Keys on the scan view: " " + proclitics + form + " " for every allowed
        proclitic, so that a key itself checks word boundaries and clitics."""
        bodies = view_keys([form.rstrip("*") for form, _payload in self.entries])
        groups: dict[tuple[str, bool], list[int]] = {}  # entries sharing a form, in file order
        for n, ((form, _payload), body) in enumerate(zip(self.entries, bodies)):
            if body:
                groups.setdefault((body, form.endswith("*")), []).append(n)
        clitics = sorted(CLITICS, key=lambda c: (len(c), c))  # not set order: that changes with the hash seed
        article_clitics = sorted(ARTICLE_CLITICS, key=lambda c: (len(c), c))
        keys: dict[str, tuple] = {}
        for (body, prefix_mode), ns in groups.items():
            end = "" if prefix_mode else " "
            variants = [(p, body) for p in clitics]
            if _ARTICLE_FORM.match(body):
                variants += [(p, body[2:]) for p in article_clitics]
            for prefix, stem in variants:
                key = " " + prefix + stem + end
                if key in keys:  # another form gives the same key: its entries come after
                    keys[key][0].extend(n for n in ns if n not in keys[key][0])
                else:
                    keys[key] = (list(ns), prefix, prefix_mode)
        info = list(keys.items())
        self._keys = [key for key, _ in info]
        self._key_index = {key: k for k, key in enumerate(self._keys)}
        self._key_len = np.array([len(key) for key, _ in info], np.int64)
        self._key_entry = np.array([item[0][0] for _, item in info], np.int64)
        self._key_prefix = np.array([item[1] for _, item in info], dtype=object)
        self._key_open = np.array([item[2] for _, item in info], bool)
        self.key_entries = [item[0] for _, item in info]
        sizes = np.fromiter(map(len, self.key_entries), np.int64, len(self.key_entries))
        self._key_flat = np.fromiter(chain.from_iterable(self.key_entries), np.int64, int(sizes.sum()))
        self._key_ptr = np.r_[0, np.cumsum(sizes)].astype(np.int64)

    def per_key(self, values: np.ndarray, how: str = "first") -> np.ndarray:
        """A per-entry array as one value per key: its first entry's (``first``), or whether
        any of its entries' values is true (``any``)."""
        values = np.asarray(values)
        if how == "first":
            return values[self._key_entry]
        if how != "any":
            raise ValueError(f"how must be 'first' or 'any', got {how!r}")
        if not self._keys:
            return np.zeros(0, bool)
        return np.logical_or.reduceat(values[self._key_flat].astype(bool), self._key_ptr[:-1])

    @property
    def _view_automaton(self):
        """This matcher's own automaton (built on first use: :func:`find_all` uses a
        merged one)."""
        if self._automaton is None:
            self._automaton = _merged((self,)).automaton
        return self._automaton

    def find_in(self, sc: Scan) -> Found:
        """Non-overlapping whole-word matches in a scan, leftmost-longest, as arrays
        (those :func:`find_all` found already when it searched this matcher with others)."""
        return find_all(sc, [self])[0]

    def find_inside(self, sc: Scan, vstarts: np.ndarray, keys: np.ndarray) -> tuple[Found, np.ndarray]:
        """The names inside many matches at once: for each match (its view start and key),
        the leftmost-longest matches of other keys lying inside it.

        A key's inner matches depend on the key alone, so they are worked out once per
        key (on the key's own text) and then placed at every match of it.

        Returns:
            ``(found, owner)``: the inner matches, and for each the index (into
            ``vstarts``) of the match that holds it.
        """
        parts, owners = [], []
        for n, (vstart, key) in enumerate(zip(np.asarray(vstarts).tolist(), np.asarray(keys).tolist())):
            rel = self._inside(key)
            if rel.size:
                parts.append(rel + [vstart - 1, 0])
                owners.append(np.full(len(rel), n, np.int64))
        if not parts:
            return self._found(sc, np.zeros((0, 2), np.int64)), np.zeros(0, np.int64)
        return self._found(sc, np.concatenate(parts)), np.concatenate(owners)

    def _inside(self, key: int) -> np.ndarray:
        """Leftmost-longest hits ``(end, key)`` of other keys inside key ``key``'s text,
        relative to its first character (cached). Only the keys the ``inner`` flags allow
        count."""
        cached = self._inside_cache.get(key)
        if cached is None:
            text, index, ok = self._keys[key], self._key_index, self._inner_ok
            # every key starts with a space: try each piece of the text that does
            spaces = [i for i, c in enumerate(text) if c == " "]
            hits = sorted((end, k) for s in spaces for end in range(s + 1, len(text))
                          if (k := index.get(text[s:end + 1])) is not None and k != key and (ok is None or ok[k]))
            spans = sorted(((end + 2 - self._key_len[k], end + (0 if self._key_open[k] else -1), end, k)
                            for end, k in hits), key=lambda h: (h[0], h[0] - h[1]))
            chosen, reach = [], -1
            for start, stop, end, k in spans:
                if start >= reach:
                    chosen.append((end, k))
                    reach = stop
            cached = self._inside_cache[key] = np.array(chosen, np.int64).reshape(-1, 2)
        return cached

    def _found(self, sc: Scan, hits: np.ndarray) -> Found:
        """:class:`Found` of automaton hits ``(last view offset, key)``."""
        if not hits.size:
            none = np.zeros(0, np.int64)
            return Found(none, none, none, none, none, np.zeros(0, dtype=object), none)
        key = hits[:, 1]
        last = hits[:, 0] + 1
        vstart = last - self._key_len[key] + 1
        is_open = self._key_open[key]
        vend = last - ~is_open
        if is_open.any():  # a form ending in * runs on to the end of its word
            vend[is_open] = sc.tok_vend[sc.token_at(vend[is_open] - 1)]
        start, end = sc.original(vstart, vend)
        return Found(start, end, vstart, vend, self._key_entry[key], self._key_prefix[key], key)


@dataclass(frozen=True, eq=False)
class _Merged:
    """One automaton over the keys of several matchers.

    Attributes:
        automaton: Key -> merged key number.
        ptr, matcher, key: The matchers' keys each merged key stands for, as a compressed
            table: ``matcher[ptr[m]:ptr[m + 1]]`` and ``key[ptr[m]:ptr[m + 1]]`` for merged key ``m``.
        length: Length of each merged key.
    """

    automaton: object
    ptr: np.ndarray
    matcher: np.ndarray
    key: np.ndarray
    length: np.ndarray


@lru_cache(maxsize=8)
def _merged(matchers: tuple[PhraseMatcher, ...]) -> _Merged:
    """The merged automaton of some matchers (built once per set of matchers)."""
    owners: dict[str, list[tuple[int, int]]] = {}
    for j, m in enumerate(matchers):
        for k, key in enumerate(m._keys):
            owners.setdefault(key, []).append((j, k))
    automaton = ahocorasick.Automaton()
    for n, key in enumerate(owners):
        automaton.add_word(key, n)
    if owners:
        automaton.make_automaton()
    sizes = np.fromiter(map(len, owners.values()), np.int64, len(owners))
    pairs = np.array([p for ps in owners.values() for p in ps], np.int64).reshape(-1, 2)
    return _Merged(automaton, np.r_[0, np.cumsum(sizes)].astype(np.int64), pairs[:, 0], pairs[:, 1],
                   np.fromiter(map(len, owners), np.int64, len(owners)))


def find_all(sc: Scan, matchers: list[PhraseMatcher]) -> list[Found]:
    """The matches of several matchers in one scan, found in ONE pass over its view.

    Every occurrence of every key is read from a merged automaton; the hits are split by
    matcher and each matcher's are reduced to non-overlapping, leftmost-longest ones with
    array operations. A matcher's matches do not depend on which others it is searched
    with.

    Example:
        >>> from akhbar.scan import scan
        >>> places = PhraseMatcher([("ليبيا", "ly"), ("طرابلس", "tripoli")])
        >>> cues = PhraseMatcher([("حكومة طرابلس", "TITLE")])
        >>> sc = scan("دعمت أنقرة حكومة طرابلس في ليبيا")
        >>> [len(f) for f in find_all(sc, [places, cues])]
        [2, 1]
    """
    prefetch(sc, matchers)
    return [sc._found.pop(m) for m in matchers]


def prefetch(sc: Scan, matchers: list[PhraseMatcher]) -> None:
    """Search ``matchers`` in the scan in one pass and keep their matches in it, each
    handed out once by :meth:`PhraseMatcher.find_in` (a layer may change what it gets).

    :func:`akhbar.annotate` does this for the matchers of every layer it runs.

    Example:
        >>> from akhbar.scan import scan
        >>> places = PhraseMatcher([("ليبيا", "ly"), ("طرابلس", "tripoli")])
        >>> sc = scan("دعمت أنقرة حكومة طرابلس في ليبيا")
        >>> prefetch(sc, [places])
        >>> places.find_in(sc).end.tolist()
        [23, 32]
    """
    if sc._found is None:
        sc._found = {}
    todo = list(dict.fromkeys(m for m in matchers if m not in sc._found))
    if todo:
        sc._found.update(zip(todo, _search(sc, todo)))


def _search(sc: Scan, matchers: list[PhraseMatcher]) -> list[Found]:
    """Run the merged automaton of ``matchers`` over the view once and split the hits."""
    merged = _merged(tuple(matchers))
    hits = np.fromiter(chain.from_iterable(merged.automaton.iter(sc.view)), np.int64) \
        if merged.length.size else np.zeros(0, np.int64)
    last, mkey = hits[0::2], hits[1::2]
    # each hit stands for every matcher key its merged key is (most are one)
    count = merged.ptr[mkey + 1] - merged.ptr[mkey]
    row = np.repeat(np.arange(mkey.size), count)
    flat = merged.ptr[mkey][row] + np.arange(row.size) - np.repeat(np.cumsum(count) - count, count)
    owner, key, last = merged.matcher[flat], merged.key[flat], last[row]
    out = []
    for j, m in enumerate(matchers):
        mine = owner == j
        chosen = _leftmost_longest(last[mine], key[mine], m._key_len)
        out.append(m._found(sc, chosen))
    return out


def _leftmost_longest(last: np.ndarray, key: np.ndarray, key_len: np.ndarray) -> np.ndarray:
    """Non-overlapping hits ``(last, key)`` (last: view offset of a key's last character),
    leftmost first and the longest at each place, as an ``(n, 2)`` array in text order.

    A hit is kept when it starts after every earlier hit ends (most hits: nothing
    overlaps them); only the hits that overlap an earlier one are settled in a loop.
    """
    if not last.size:
        return np.zeros((0, 2), np.int64)
    lead = last - key_len[key] + 1  # the key's leading space
    order = np.lexsort((lead - last, lead))  # by place, the longest first
    lead, last, key = lead[order], last[order], key[order]
    first = np.r_[True, lead[1:] != lead[:-1]]  # the longest at each place
    lead, last, key = lead[first], last[first], key[first]
    reach = np.maximum.accumulate(last)
    clear = np.r_[True, lead[1:] > reach[:-1]]
    keep = clear.copy()
    tangled = np.flatnonzero(~clear)
    if tangled.size:  # a hit overlapping an earlier one: kept only if the ones kept before it end before it
        ends = last.tolist()
        leads = lead.tolist()
        kept_end = -1
        starts_of_run = np.flatnonzero(clear)
        run = np.searchsorted(starts_of_run, tangled, side="right") - 1
        current = -1
        for i, r in zip(tangled.tolist(), run.tolist()):
            if r != current:  # a new cluster: it began with a clear hit, always kept
                current = r
                kept_end = ends[starts_of_run[r]]
            if leads[i] > kept_end:
                keep[i] = True
                kept_end = ends[i]
    return np.stack([last[keep], key[keep]], axis=1)
