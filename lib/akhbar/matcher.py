"""Phrase matching on the scan view with Aho-Corasick, mapped back to original offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain

import ahocorasick
import numpy as np

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
    """
    return " ".join(normalize(form, ta_marbuta=True).split())


def view_key(form: str) -> str:
    """A form as it reads in :attr:`akhbar.scan.Scan.view`: folded tokens, two spaces apart."""
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


@dataclass
class PhraseMatcher:
    """Find listed phrases with their proclitics.

    A form matches only as whole words; proclitics (و ف ب ك ل, and لل / ال for forms
    written with the article) are accepted in front of it and included in the span.
    A form ending in ``*`` also matches any word continuing it (عسكري* finds العسكرية).

    :meth:`find_in` gives the non-overlapping matches in a scan, leftmost-longest (at
    each place the longest form wins, so صدام حفتر beats حفتر).
    """

    entries: list[tuple[str, dict]] = field(default_factory=list)

    def __post_init__(self):
        self._build_view_automaton()

    def _build_view_automaton(self) -> None:
        """Keys on the scan view: " " + proclitics + form + " " for every allowed
        proclitic, so the automaton itself checks word boundaries and clitics."""
        self._view_automaton = ahocorasick.Automaton()
        bodies = view_keys([form.rstrip("*") for form, _payload in self.entries])
        groups: dict[tuple[str, bool], list[int]] = {}  # entries sharing a form, in file order
        for n, ((form, _payload), body) in enumerate(zip(self.entries, bodies)):
            if body:
                groups.setdefault((body, form.endswith("*")), []).append(n)
        clitics = sorted(CLITICS, key=len)
        article_clitics = sorted(ARTICLE_CLITICS, key=len)
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
        self._inside_cache: dict[int, np.ndarray] = {}
        for k, (key, _item) in enumerate(info):
            self._view_automaton.add_word(key, k)
        self._key_len = np.array([len(key) for key, _ in info], np.int64)
        self._key_entry = np.array([item[0][0] for _, item in info], np.int64)
        self._key_prefix = np.array([item[1] for _, item in info], dtype=object)
        self._key_open = np.array([item[2] for _, item in info], bool)
        self.key_entries = [item[0] for _, item in info]
        """For each key, every entry whose form gives it (in file order)."""
        if info:
            self._view_automaton.make_automaton()

    def find_in(self, sc: Scan) -> Found:
        """Non-overlapping whole-word matches in a scan, leftmost-longest, as arrays."""
        hits = np.fromiter(chain.from_iterable(self._view_automaton.iter_long(sc.view)), np.int64) \
            if self._key_len.size else np.zeros(0, np.int64)
        return self._found(sc, hits.reshape(-1, 2))

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
        relative to its first character (cached). Where the matcher has an ``inner_ok``
        mask, only the keys it allows count."""
        cached = self._inside_cache.get(key)
        if cached is None:
            text = self._keys[key]
            ok = getattr(self, "inner_ok", None)
            hits = [(end, k) for end, k in self._view_automaton.iter(text) if k != key and (ok is None or ok[k])]
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
