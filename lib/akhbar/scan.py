"""The matching view of texts: normalised tokens in one string, mapped back to the originals.

Every layer of :func:`akhbar.annotate` reads the same :class:`Scan`. It is built with a
few array operations instead of a Python loop per character or per word, so phrase
matching (Aho-Corasick on :attr:`Scan.view`) and token windows cost little beyond the
matches themselves.

The view holds the tokens of the texts folded by :func:`akhbar.text.normalize` (ta
marbuta as ه), each preceded by two spaces: ``"  وقال  اردوغان  :  «  ..."``. A gazetteer
key written the same way with one space on each side (``" تركيا "``) can then only match
whole words, and two neighbouring words can both match. A token is a run of Arabic
letters, of digits (with a decimal point between digits), or of Latin letters, or
a single other mark; a line break is the token ``¶`` and a character beyond the BMP
(an emoji) the mark ``□``. Several texts are joined by line breaks, so no token,
sentence or phrase crosses from one text into the next.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np

from .text import FOLDED_CHARACTERS, LIGATURES, REMOVED_CHARACTERS

SPACE, REMOVED, LETTER, DIGIT, LATIN, MARK, BREAK = range(7)
"""Character classes of the view."""
BREAK_CHAR = "¶"
SENTENCE_ENDS = ".!?؟…"
_COMBINING = frozenset([*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)])


def _tables() -> tuple[np.ndarray, np.ndarray]:
    cls = np.full(0x10000, MARK, np.uint8)
    fold = np.arange(0x10000, dtype=np.uint16)
    for c in range(0x10000):
        if chr(c).isspace():
            cls[c] = SPACE
    letters = [*range(0x0621, 0x063B), *range(0x0641, 0x064B), *range(0x066E, 0x06D4), 0x06D5,
               *range(0x06FA, 0x0700), *range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFD)]
    cls[letters] = LETTER
    cls[[ord(c) for c in "0123456789"]] = DIGIT
    cls[[*range(0x0660, 0x066A), *range(0x06F0, 0x06FA)]] = DIGIT
    cls[[*range(ord("A"), ord("Z") + 1), *range(ord("a"), ord("z") + 1), *range(0xC0, 0x250)]] = LATIN
    cls[[0xD7, 0xF7]] = MARK
    cls[[ord(c) for c in REMOVED_CHARACTERS]] = REMOVED
    cls[ord("\n")] = BREAK
    cls[ord("_")] = SPACE  # hashtags join words with underscores: #الرباعية_العربية
    for src, dst in FOLDED_CHARACTERS.items():
        fold[ord(src)] = ord(dst)
    fold[ord("ة")] = ord("ه")
    fold[ord("\n")] = ord(BREAK_CHAR)
    return cls, fold


CLASS, FOLD = _tables()
_LIGATURE_CODES = np.array([ord(c) for c in LIGATURES], np.uint32)


@dataclass(slots=True)
class Scan:
    """Tokens of one or more texts, as a normalised view and as offsets into the texts.

    Attributes:
        text: The texts joined by ``"\\n"`` (offsets below are into this string).
        starts: Offset in ``text`` where each text begins, and ``len(text) + 1`` at the end
            (text ``d`` is ``text[starts[d]:starts[d + 1] - 1]``).
        view: The normalised view (see the module docstring), padded with two spaces.
        kept: Offset in ``text`` of each character the view keeps, in order.
        tok_view, tok_vend: View offsets of each token's first and one-past-last character.
        tok_start, tok_end: Offsets of each token in ``text`` (a word's trailing
            diacritics and tatweel included).
        tok_kind: Character class of each token (LETTER, DIGIT, LATIN, MARK, BREAK).
        tok_doc: Which text each token belongs to.
        sent: Sentence number of each token (-1 for line breaks).
        combining: Offsets of the combining marks (tashkeel) in ``text``.

    Example:
        >>> sc = scan(["وقال أردوغان: نعم.", "وصل حفتر"])
        >>> sc.words
        ['وقال', 'اردوغان', ':', 'نعم', '.', '¶', 'وصل', 'حفتر']
        >>> sc.tok_doc.tolist(), sc.doc_text(1)
        ([0, 0, 0, 0, 0, 0, 1, 1], 'وصل حفتر')
    """

    text: str
    starts: np.ndarray
    view: str
    kept: np.ndarray
    tok_view: np.ndarray
    tok_vend: np.ndarray
    tok_start: np.ndarray
    tok_end: np.ndarray
    tok_kind: np.ndarray
    tok_doc: np.ndarray
    sent: np.ndarray
    combining: np.ndarray
    _words: list | None = None
    _found: dict | None = None
    """Matches of phrase matchers searched together, until each is asked for
    (:func:`akhbar.matcher.find_all`)."""
    _tok_view_list: list | None = None
    _tok_start_list: list | None = None
    _starts_list: list | None = None
    """Offset arrays as Python lists, for the lookups of one offset at a time (built once each)."""

    @property
    def words(self) -> list[str]:
        """The normalised text of every token, in order (built once, by one split of the
        view: tokens hold no spaces)."""
        if self._words is None:
            words = self.view.split()
            self._words = words if len(words) == self.tok_view.size else \
                [self.view[a:b] for a, b in zip(self.tok_view.tolist(), self.tok_vend.tolist())]
        return self._words

    def doc_text(self, d: int) -> str:
        """Text number ``d`` as given."""
        return self.text[self.starts[d]:self.starts[d + 1] - 1]

    def token(self, k: int) -> str:
        """The normalised text of token ``k``."""
        return self.view[self.tok_view[k]:self.tok_vend[k]]

    def original(self, vstart: np.ndarray, vend: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Offsets in :attr:`text` of view spans ``[vstart, vend)`` (trailing diacritics kept).

        Both ends must fall on characters of tokens (not on the separating spaces).
        """
        s = self.kept[vstart - 2 * (self.token_at(vstart) + 1)]
        last = vend - 1
        e = self.kept[last - 2 * (self.token_at(last) + 1)] + 1
        if self.combining.size:
            # extend over the combining marks right after the span
            k = np.searchsorted(self.combining, e)
            while True:
                inside = k < self.combining.size
                hit = np.zeros(e.shape, bool)
                hit[inside] = self.combining[k[inside]] == e[inside]
                if not hit.any():
                    break
                e = e + hit
                k = k + hit
        return s, e

    # The queries are cast to the arrays' own types: searchsorted would otherwise cast
    # the whole array on every call (slow for one offset at a time). One offset (a Python or
    # numpy integer, as the rules that look at one cue at a time pass) is looked up with
    # bisect in a list of the offsets instead, about ten times faster than a numpy call.
    def token_at(self, vpos):
        """Index of the token that contains (or precedes) each view offset."""
        if type(vpos) in _ONE:
            if self._tok_view_list is None:
                self._tok_view_list = self.tok_view.tolist()
            return np.intp(bisect_right(self._tok_view_list, int(vpos)) - 1)
        return np.searchsorted(self.tok_view, np.asarray(vpos, self.tok_view.dtype), side="right") - 1

    def token_from(self, offsets):
        """Index of the first token that starts at or after each offset of :attr:`text`.

        Example:
            >>> sc = scan("قال أردوغان: نعم")
            >>> sc.token_from(4), sc.token_from(np.array([0, 5, 99])).tolist()
            (np.int64(1), [0, 2, 4])
        """
        if type(offsets) in _ONE:
            if self._tok_start_list is None:
                self._tok_start_list = self.tok_start.tolist()
            return np.intp(bisect_left(self._tok_start_list, int(offsets)))
        return np.searchsorted(self.tok_start, np.asarray(offsets, self.tok_start.dtype), side="left")

    def doc_of(self, offsets):
        """Which text each offset of :attr:`text` falls in."""
        if type(offsets) in _ONE:
            if self._starts_list is None:
                self._starts_list = self.starts.tolist()
            return np.intp(bisect_right(self._starts_list, int(offsets)) - 1)
        return np.searchsorted(self.starts, np.asarray(offsets, self.starts.dtype), side="right") - 1

    def sentence_tokens(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last token of each sentence, indexed by sentence number (:attr:`sent`;
        numbers no token carries give ``-1``)."""
        has = np.flatnonzero(self.sent >= 0)
        sid = self.sent[has]
        size = int(sid.max()) + 1 if sid.size else 0
        first, last = np.full(size, -1, np.int64), np.full(size, -1, np.int64)
        if sid.size:
            change = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]])
            first[sid[change]] = has[change]
            last[sid[change]] = has[np.r_[change[1:] - 1, sid.size - 1]]
        return first, last

    def sentence_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """``(start, end)`` offsets of each sentence (as :func:`akhbar.text.sentence_spans`)."""
        first, last = self.sentence_tokens()
        real = first >= 0
        return self.tok_start[first[real]].astype(np.int64), self.tok_end[last[real]].astype(np.int64)


_ENDS = np.array([ord(c) for c in SENTENCE_ENDS])
_POINTS = np.array([ord(c) for c in ".,\u066B\u066C"])
_COMBINING_CODES = np.array(sorted(_COMBINING))
_ONE = frozenset((int, np.int64, np.int32, np.intp))
"""Types of one offset (the lookups of one offset at a time use lists, not numpy)."""


def scan(texts: list[str] | str) -> Scan:
    """Build the :class:`Scan` of one text or of several (joined by line breaks).

    Example:
        >>> scan("قال أردوغان: نعم").view
        '  قال  اردوغان  :  نعم  '
    """
    if isinstance(texts, str):
        texts = [texts]
    lengths = np.array([len(t) for t in texts], np.int64)
    starts = np.r_[0, np.cumsum(lengths + 1)]
    text = "\n".join(texts)
    raw = text.encode("utf-16-le")
    if len(raw) == 2 * len(text):
        codes = np.frombuffer(raw, np.uint16)
        cls = CLASS[codes]
        folded = FOLD
    else:  # characters beyond the BMP (emoji): count as marks
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        astral = codes > 0xFFFF
        cls = np.where(astral, MARK, CLASS[np.minimum(codes, 0xFFFF)]).astype(np.uint8)
        folded = np.r_[FOLD, np.full(0x110000 - 0x10000, 0x25A1, np.uint16)]  # □ in the view
    # a point or comma between digits belongs to the number (3.5, 1,200)
    digits = cls == DIGIT
    if digits.any() and codes.size > 2:
        between = np.flatnonzero(digits[:-2] & digits[2:]) + 1
        between = between[np.isin(codes[between], _POINTS)]
        if between.size:
            cls = cls.copy()
            cls[between] = DIGIT
    keep = cls > REMOVED
    kept = np.flatnonzero(keep).astype(np.int32)
    del keep
    k_cls = cls[kept]
    k_code = folded[codes[kept]]
    # a token starts at a mark, at a change of class, or after whitespace
    removed = np.flatnonzero(cls == REMOVED).astype(np.int32)
    start = np.empty(kept.size, bool)
    if kept.size:
        start[0] = True
        gap = np.diff(kept) > 1
        if removed.size:  # a gap of diacritics only does not split a word
            spaces = np.cumsum(cls == SPACE, dtype=np.int32)
            gap &= spaces[kept[1:]] != spaces[kept[:-1]]
        start[1:] = gap | (k_cls[1:] != k_cls[:-1]) | (k_cls[1:] >= MARK)
    # lam-alef ligatures become two letters
    if k_code.size and k_code.max() >= 0xFEF5:
        lig = np.isin(k_code, _LIGATURE_CODES)
        if lig.any():
            reps = np.where(lig, 2, 1)
            second = np.zeros(int(reps.sum()), bool)
            second[np.cumsum(reps)[lig] - 1] = True
            kept, k_cls, start, k_code = (np.repeat(a, reps) for a in (kept, k_cls, start, k_code))
            k_code[np.r_[second[1:], False]] = ord("ل")
            k_code[second] = ord("ا")
            start[second] = False
    n_tok = int(np.count_nonzero(start))
    out_pos = np.cumsum(start, dtype=np.int32)
    out_pos *= 2
    out_pos += np.arange(kept.size, dtype=np.int32)
    view_codes = np.full(kept.size + 2 * n_tok + 2, 32, np.uint16)
    view_codes[out_pos] = k_code
    view = view_codes.tobytes().decode("utf-16-le")
    first = np.flatnonzero(start)
    last = np.r_[first[1:] - 1, kept.size - 1] if n_tok else first
    tok_start = kept[first]
    tok_end = kept[last] + 1
    tok_kind = k_cls[first]
    # words keep their trailing diacritics and tatweel, as akhbar.text.tokenize does
    if removed.size:
        words = tok_kind == LETTER
        k = np.searchsorted(removed, tok_end)
        while True:
            ok = words & (k < removed.size)
            hit = np.zeros(tok_end.size, bool)
            hit[ok] = removed[k[ok]] == tok_end[ok]
            if not hit.any():
                break
            tok_end = tok_end + hit
            k = k + hit
    combining = removed[np.isin(codes[removed], _COMBINING_CODES)] if removed.size else removed
    tok_doc = np.searchsorted(starts, tok_start, side="right") - 1
    # sentences: split after . ! ? ؟ … (a run of them stays together) and at line breaks
    is_break = tok_kind == BREAK
    is_end = np.zeros(n_tok, bool)
    marks = np.flatnonzero(tok_kind == MARK)
    is_end[marks] = np.isin(codes[tok_start[marks]], _ENDS)
    new = np.zeros(n_tok, bool)
    if n_tok:
        new[0] = True
        new[1:] = is_break[:-1] | (is_end[:-1] & ~is_end[1:]) | is_break[1:]
    sent = np.cumsum(new) - 1
    sent[is_break] = -1
    return Scan(text, starts, view, kept, out_pos[first], out_pos[last] + 1, tok_start, tok_end,
                tok_kind, tok_doc, sent, combining)
