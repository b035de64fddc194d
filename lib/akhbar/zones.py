"""Paragraph zoning: cutting an article into paragraphs and telling title, byline, subheads,
boilerplate and body apart (markers in ``data/zones.csv``)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate, compress, count
from operator import add

import pandas as pd

from .inputs import as_articles
from .resources import DATA
from .text import normalize


def _zone_markers() -> dict[str, tuple[str, ...]]:
    """Folded markers of ``data/zones.csv`` by role (link, footer, line, prefix, byline)."""
    path = DATA / "zones.csv"
    rows = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    out: dict[str, list[str]] = {role: [] for role in ("link", "footer", "line", "prefix", "byline", "dateline")}
    for marker, role in zip(rows["marker"], rows["role"]):
        if role not in out:
            raise ValueError(f"{path}: unknown role {role!r} for {marker!r}")
        out[role].append(normalize(marker, ta_marbuta=True))
    return {role: tuple(v) for role, v in out.items()}


_MARKERS = _zone_markers()
LINK_MARKERS = _MARKERS["link"]
"""Related-story markers: with a headline on the same line the line alone is
boilerplate; alone on a line they open a block of headlines (see ``data/zones.csv``)."""
FOOTER_MARKERS = _MARKERS["footer"]
"""A line starting with one of these, and every line after it, is boilerplate."""
BOILERPLATE_START = LINK_MARKERS + FOOTER_MARKERS
BOILERPLATE_LINES = _MARKERS["line"]
"""Single lines that are site furniture wherever they stand."""
BOILERPLATE_PREFIXES = _MARKERS["prefix"]
BYLINE_MARKERS = _MARKERS["byline"]
DATELINE_MARKERS = _MARKERS["dateline"]
"""Weekdays: one set off by commas («، الجمعة،», «، مساء الجمعة،») is a story's dateline."""
_DATELINE = re.compile(r"[،,]\s*(?:\S+\s+)?(?:" + "|".join(map(re.escape, sorted(set(DATELINE_MARKERS))))
                       + r")\s*[،,]")
TEASER_RUN = 2
"""Lines a trailing block of related-story teasers must have (see ``data/zones.csv``)."""
SUBHEAD_MAX_WORDS = 12
_SENTENCE_MARKS = ".!:؛;"
_CLOSING_QUOTES = "\"”»'"
_URL = re.compile(r"(https?://|www\.)\S+")
_URL_STARTS = ("http://", "https://", "www.")
_MARKER_LEN = max(map(len, BOILERPLATE_START + BOILERPLATE_LINES + BOILERPLATE_PREFIXES + BYLINE_MARKERS))
_HEAD = _MARKER_LEN + 6
"""Characters of each line folded for the marker checks: the longest marker and a few
spare for marks the fold removes."""
_BOUNDARY = r"(?=$|[\s:/.\-()«»\"'،])"
_LINK = re.compile("(?:" + "|".join(map(re.escape, sorted(LINK_MARKERS, key=len, reverse=True))) + ")" + _BOUNDARY)
_FOOTER = re.compile("(?:" + "|".join(map(re.escape, FOOTER_MARKERS)) + ")")
_RULE = re.compile(r"(?=.*[-_=*\u2013\u2014]{3})[-_=*\u2013\u2014\s]+")
_ANY_MARKER = re.compile("\n(?:" + "|".join(map(re.escape, BOILERPLATE_START + BOILERPLATE_PREFIXES))
                         + r"|[-_=*\u2013\u2014]{3})")
"""In the joined folded heads: a line (not the first) that may be furniture (built once)."""


def _nonblank_lines(text: str) -> tuple[list[int], list[str]]:
    """Start offsets and texts of the lines of ``text`` that are not blank, each
    without its surrounding whitespace."""
    raws = text.split("\n")
    lines = list(map(str.strip, raws))
    if lines == raws:  # nothing to strip (the usual case): offsets from line lengths
        offsets = map(add, accumulate(map(len, raws), initial=0), count())
        return list(compress(offsets, lines)), list(compress(lines, lines))
    starts, kept, pos = [], [], 0
    for raw, line in zip(raws, lines):
        if line:
            starts.append(pos + raw.find(line[0]))  # its first non-space character
            kept.append(line)
        pos += len(raw) + 1
    return starts, kept


def _folded_heads(lines: list[str]) -> list[str]:
    """The folded start of each line, enough to compare it with the marker lists.

    Each entry answers the marker checks (starts with a marker, equals one) exactly as
    ``normalize(line.strip(" .:")[:60], ta_marbuta=True)`` would: it is the fold of the
    first :data:`_HEAD` characters, and of the whole 60-character head when marks folded
    away leave it no longer than a marker. The fold works character by character and
    leaves ``\\n`` alone, so all heads are folded in one call (one call per head should
    the line count ever come out different).
    """
    heads = [line.strip(" .:")[:_HEAD] for line in lines]
    norms = normalize("\n".join(heads), ta_marbuta=True).split("\n")
    if len(norms) != len(heads):
        norms = [normalize(h, ta_marbuta=True) for h in heads]
    for i in compress(range(len(norms)), map(_MARKER_LEN.__ge__, map(len, norms))):
        if len(heads[i]) == _HEAD:
            norms[i] = normalize(lines[i].strip(" .:")[:60], ta_marbuta=True)
    return norms


def _quote_ends_sentence(line: str) -> bool:
    """Whether sentence punctuation comes before the closing quote that ends ``line``."""
    i = len(line) - 2
    while i >= 0 and line[i].isspace():
        i -= 1
    return i >= 0 and line[i] in _SENTENCE_MARKS


def _unpunctuated_zone(line: str, index: int, source: str, norm: str) -> str:
    """Zone of a line that does not end like a sentence: byline, subhead or body.

    Args:
        line: The paragraph without surrounding whitespace.
        index: Its number in the article (a byline can only be paragraph 1).
        source: The article's outlet ("" when unknown).
        norm: Its folded head, from :func:`_folded_heads`.
    """
    words = len(line.split(None, SUBHEAD_MAX_WORDS))  # counted up to SUBHEAD_MAX_WORDS + 1
    if index == 1 and words <= 4 and (
            (source and normalize(line.strip(" .:"), ta_marbuta=True) == normalize(source, ta_marbuta=True))
            or norm.startswith(BYLINE_MARKERS)):
        return "byline"
    return "subhead" if words <= SUBHEAD_MAX_WORDS else "body"


def _furniture(lines: list[str], norms: list[str]) -> dict[int, str]:
    """Lines (after the title) that are boilerplate by a marker of ``data/zones.csv``.

    Returns:
        ``{index: "boilerplate"}`` for every such line, and ``{index: "resume"}`` for the
        line where the body resumes after a block of related headlines (that line is
        classified as usual). Lines not named are classified as usual.
    """
    joined = "\n".join(norms)
    m = _ANY_MARKER.search(joined)
    out: dict[int, str] = {}
    if not m:
        return out
    first = joined.count("\n", 0, m.start()) + 1
    in_links = False
    for i in range(first, len(lines)):
        line, norm = lines[i], norms[i]
        if _RULE.fullmatch(line) or _FOOTER.match(norm):
            out.update({k: "boilerplate" for k in range(i, len(lines))})
            break
        link = _LINK.match(norm)
        if link:
            rest = norm[link.end():].strip(" :/.-()«»\"'\u00a0")
            out[i] = "boilerplate"
            in_links = not rest  # a marker alone on its line opens a block of headlines
        elif norm.startswith(BOILERPLATE_PREFIXES):
            out[i] = "boilerplate"
        elif in_links:
            if _ends_sentence(line) and len(line.split(None, SUBHEAD_MAX_WORDS)) > SUBHEAD_MAX_WORDS:
                in_links = False
            else:
                out[i] = "boilerplate"
    return out


def _teasers(lines: list[str], zones: list[str]) -> list[int]:
    """The trailing block of related-story teasers: before any trailing boilerplate, the
    last body or subhead lines that each open another story (:func:`_opens_story`); at
    least :data:`TEASER_RUN` of them, or one headline as short as a subhead (it heads
    nothing), after a body line that ends like a sentence, with most body lines before
    them punctuated (an unpunctuated article keeps its tail).

    Example:
        >>> body = ["عنوان", "قال الوزير، الأحد، إن المحادثات مستمرة.", "وأضاف أن الوفد يصل غدا."]
        >>> _teasers(body + ["أعلنت الحكومة، الجمعة، فتح المعبر.", "رحبت الدولة، السبت، بالقرار."],
        ...          ["title"] + ["body"] * 4)
        [3, 4]
        >>> _teasers(body + ["ويرى مراقبون، الجمعة، أن الأزمة طويلة.", "رحبت الدولة، السبت، بالقرار."],
        ...          ["title"] + ["body"] * 4)
        []
    """
    k = len(lines) - 1
    while k > 0 and zones[k] == "boilerplate":
        k -= 1
    end = k
    while k > 2 and zones[k] in ("body", "subhead") and _opens_story(lines[k]):
        k -= 1
    alone = end - k == 1 and zones[end] == "subhead"  # a headline with no story after it
    if (end - k < TEASER_RUN and not alone) or zones[k] not in ("body", "subhead") or not _ends_sentence(lines[k]):
        return []
    before = [i for i in range(1, k + 1) if zones[i] in ("body", "subhead")]
    if sum(_ends_sentence(lines[i]) for i in before) * 2 < len(before):
        return []
    return list(range(k + 1, end + 1))


def _opens_story(line: str) -> bool:
    """A line that reads as another story's lead or headline, not as this one's next paragraph."""
    if line.startswith(("و", "ف")):
        return False
    if not _ends_sentence(line):  # a headline; «..» inside is a verse break, after a kicker («شاهد..») not
        return ".." not in line or line.split()[0].endswith("..")
    return bool(_DATELINE.search(normalize(line[:160], ta_marbuta=True)))


def _ends_sentence(line: str) -> bool:
    """Whether ``line`` ends like a sentence: ``[.!:؛;]`` then an optional closing quote."""
    last = line[-1]
    return last in _SENTENCE_MARKS or (last in _CLOSING_QUOTES and _quote_ends_sentence(line))


def paragraph_spans(text: str, source: str = "") -> list[tuple[int, str, int, int]]:
    """Paragraphs of one text as ``(para, zone, start, end)``; see :func:`paragraphs`.

    Only the start of a line is folded (for the marker checks, all lines at once) and
    only lines without closing punctuation have their words counted.

    Example:
        >>> paragraph_spans("أردوغان يستقبل حفتر\\nالأناضول\\nاستقبل الرئيس التركي حفتر في أنقرة.", "الأناضول")
        [(0, 'title', 0, 19), (1, 'byline', 20, 28), (2, 'body', 29, 64)]
    """
    return list(_paragraph_spans(text, source or ""))


@lru_cache(maxsize=2048)
def _paragraph_spans(text: str, source: str) -> tuple[tuple[int, str, int, int], ...]:
    """:func:`paragraph_spans`, kept for the last texts: the annotation engine's span table and
    the pipeline's paragraph table both cut every article of a batch."""
    starts, lines = _nonblank_lines(text)
    if not lines:
        return ()
    norms = _folded_heads(lines)
    furniture = _furniture(lines, norms)
    out = [(0, "title", starts[0], starts[0] + len(lines[0]))]
    for index in range(1, len(lines)):
        line, norm, start = lines[index], norms[index], starts[index]
        if furniture.get(index) == "boilerplate" or (len(line) <= 60 and norm in BOILERPLATE_LINES) or (
                line.startswith(_URL_STARTS) and _URL.fullmatch(line)):
            zone = "boilerplate"
        elif _ends_sentence(line):
            zone = "body"  # ends like a sentence: [.!:؛;]\s*["”»']?\s*$
        else:
            zone = _unpunctuated_zone(line, index, source, norm)
        out.append((index, zone, start, start + len(line)))
    for index in _teasers(lines, [z for _p, z, _s, _e in out]):
        out[index] = (index, "boilerplate", *out[index][2:])
    return tuple(out)


def paragraphs(articles: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs (non-empty lines) of every article with their zone.

    Zones follow the codebook: ``title`` (paragraph 0), ``byline`` (the outlet line
    right after the title, when it names the source or starts like a byline),
    ``subhead`` (short lines without sentence punctuation), ``boilerplate``
    (related-story lines such as «للمزيد: ...» and the headline blocks after «اقرأ أيضاً:»,
    a trailing block of other stories' leads or headlines, footers and everything after them, «ارسال التعليق», app notices, bare URLs; see
    ``data/zones.csv``) and ``body``.

    Returns:
        DataFrame ``article_id, para, zone, start, end, words, text`` with
        ``text == article_text[start:end]``.

    Example:
        >>> paras = paragraphs("أردوغان يستقبل حفتر\\nاستقبل الرئيس التركي المشير خليفة حفتر في أنقرة.")
        >>> paras[["para", "zone", "words"]].values.tolist()
        [[0, 'title', 3], [1, 'body', 8]]
    """
    articles = as_articles(articles)
    rows = []
    for aid, text, source in zip(articles["article_id"], articles["text"], articles["source"]):
        for para, zone, s, e in paragraph_spans(text, source):
            rows.append((aid, para, zone, s, e, len(text[s:e].split()), text[s:e]))
    return pd.DataFrame(rows, columns=["article_id", "para", "zone", "start", "end", "words", "text"])


def article_stats(articles: pd.DataFrame, paras: pd.DataFrame, toks: pd.DataFrame) -> pd.DataFrame:
    """Words, sentences and paragraphs per article, by zone where it matters.

    Returns:
        DataFrame indexed by ``article_id`` with ``paragraphs, body_paragraphs,
        subheads, sentences, words, content_words``.

    Example:
        >>> arts = akhbar.inputs.as_articles(["أردوغان يستقبل حفتر\\nاستقبل الرئيس التركي حفتر. وبحثا الوضع في ليبيا."])
        >>> article_stats(arts, paragraphs(arts), akhbar.tokens(arts)).loc["text1"].tolist()
        [2, 1, 0, 3, 11, 10]
    """
    words = toks[toks["kind"].isin(["word", "number", "latin"])]
    out = pd.DataFrame({
        "paragraphs": paras.groupby("article_id").size(),
        "body_paragraphs": paras[paras["zone"] == "body"].groupby("article_id").size(),
        "subheads": paras[paras["zone"] == "subhead"].groupby("article_id").size(),
        "sentences": toks.groupby("article_id")["sent"].nunique(),
        "words": words.groupby("article_id").size(),
        "content_words": words[~words["stop"] & (words["kind"] == "word")].groupby("article_id").size(),
    })
    return out.reindex(articles["article_id"]).fillna(0).astype(int)
