"""Phrase matching on the scan view with Aho-Corasick, mapped back to original offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain

import ahocorasick
import numpy as np

from .scan import Scan, scan
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
        keys: dict[str, tuple] = {}
        sharing: dict[str, list[int]] = {}
        for n, (form, _payload) in enumerate(self.entries):
            prefix_mode = form.endswith("*")
            body = view_key(form.rstrip("*"))
            if not body:
                continue
            variants = [(p, body) for p in sorted(CLITICS, key=len)]
            if _ARTICLE_FORM.match(body):
                variants += [(p, body[2:]) for p in sorted(ARTICLE_CLITICS, key=len)]
            for prefix, stem in variants:
                key = " " + prefix + stem + ("" if prefix_mode else " ")
                keys.setdefault(key, (n, prefix, prefix_mode))
                if n not in sharing.setdefault(key, []):
                    sharing[key].append(n)
        info = list(keys.items())
        for k, (key, _item) in enumerate(info):
            self._view_automaton.add_word(key, k)
        self._key_len = np.array([len(key) for key, _ in info], np.int64)
        self._key_entry = np.array([item[0] for _, item in info], np.int64)
        self._key_prefix = np.array([item[1] for _, item in info], dtype=object)
        self._key_open = np.array([item[2] for _, item in info], bool)
        self.key_entries = [sharing[key] for key, _ in info]
        """For each key, every entry whose form gives it (in file order)."""
        if info:
            self._view_automaton.make_automaton()

    def find_in(self, sc: Scan) -> Found:
        """Non-overlapping whole-word matches in a scan, leftmost-longest, as arrays."""
        hits = np.fromiter(chain.from_iterable(self._view_automaton.iter_long(sc.view)), np.int64) \
            if self._key_len.size else np.zeros(0, np.int64)
        if not hits.size:
            none = np.zeros(0, np.int64)
            return Found(none, none, none, none, none, np.zeros(0, dtype=object), none)
        hits = hits.reshape(-1, 2)  # (last view offset, key) per match
        key = hits[:, 1]
        last = hits[:, 0] + 1
        vstart = last - self._key_len[key] + 1
        is_open = self._key_open[key]
        vend = last - ~is_open
        if is_open.any():  # a form ending in * runs on to the end of its word
            vend[is_open] = sc.tok_vend[sc.token_at(vend[is_open] - 1)]
        start, end = sc.original(vstart, vend)
        return Found(start, end, vstart, vend, self._key_entry[key], self._key_prefix[key], key)
