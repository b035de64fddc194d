"""Loading articles from a folder and cutting them into zoned paragraphs."""

from __future__ import annotations

import re
import warnings
from itertools import accumulate, compress, count
from operator import add
from pathlib import Path

import pandas as pd

from .text import normalize

ARTICLE_COLUMNS = ["article_id", "title", "text", "source", "published", "url", "language",
                   "path", "encoding", "newline"]
METADATA_COLUMNS = ["article_id", "file", "title", "source", "published", "language", "url"]


class ArticleError(ValueError):
    """A file that cannot be read as an article; the message names the file."""


class ArticleSkipped(UserWarning):
    """Warning issued when one article is skipped so that the others still load."""


class MetadataWarning(UserWarning):
    """Warning about ``articles.csv``: a missing row, or a row with no file."""


def decode_article(raw: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of one article file.

    UTF-8 (with or without BOM) first, UTF-16 with a BOM, then Windows-1256 (Arabic
    archives); anything else raises :class:`ArticleError` naming ``path``.

    Returns:
        ``(text, encoding)`` where encoding is ``utf-8``, ``utf-8-sig``,
        ``utf-16`` or ``cp1256``.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw:
        raise ArticleError(f"{path}: binary file (NUL bytes), not an article text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("cp1256")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        letters = [c for c in text if c.isalpha()]
        arabic = sum("\u0600" <= c <= "\u06FF" for c in letters)
        controls = sum(ord(c) < 32 and c not in "\n\r\t" for c in text)
        if letters and arabic / len(letters) > 0.5 and controls == 0:
            return text, "cp1256"
    raise ArticleError(
        f"{path}: not UTF-8 or Windows-1256 Arabic text "
        f"(invalid UTF-8 at byte {utf8_error.start})"
    )


def read_article(path: str | Path) -> dict:
    """Read one article file: title on the first line, CRLF or LF line ends.

    Returns:
        Dict with ``article_id, title, text, path, encoding, newline``. ``text`` is
        the decoded file with line ends unified to ``\\n`` (``newline`` records
        ``crlf`` when they were changed); all offsets refer to this text.

    Raises:
        ArticleError: the file is empty, binary or not Arabic text.
    """
    path = Path(path)
    raw = path.read_bytes()
    text, encoding = decode_article(raw, path)
    newline = "lf"
    if "\r" in text:
        newline = "crlf" if "\r\n" in text else "cr"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(f"{path}: empty file, no title or text")
    title = text.strip().split("\n", 1)[0].strip()
    return {"article_id": path.stem, "title": title, "text": text, "path": str(path),
            "encoding": encoding, "newline": newline}


def read_metadata(folder: str | Path) -> pd.DataFrame:
    """Read ``articles.csv`` of ``folder`` (empty table when there is none)."""
    csv = Path(folder) / "articles.csv"
    if not csv.exists():
        return pd.DataFrame(columns=METADATA_COLUMNS)
    meta = pd.read_csv(csv, dtype=str, keep_default_na=False, comment=None)
    missing = {"article_id"} - set(meta.columns)
    if missing:
        raise ArticleError(f"{csv}: no article_id column")
    return meta


def load_articles(folder: str | Path, strict: bool = False) -> pd.DataFrame:
    """Load every ``*.txt`` article of a folder with its metadata.

    Metadata comes from ``articles.csv`` beside the texts; an article without a row
    still loads (metadata empty) with a :class:`MetadataWarning`. A file that cannot
    be read is skipped with an :class:`ArticleSkipped` warning naming it (or raises
    with ``strict=True``); the reasons are kept in ``df.attrs["skipped"]``.

    Returns:
        DataFrame ``article_id, title, text, source, published, url, language, path,
        encoding, newline``, one row per article, sorted by ``article_id``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of articles")
    meta = read_metadata(folder).set_index("article_id")
    rows, skipped = [], {}
    for path in sorted(folder.glob("*.txt")):
        try:
            rows.append(read_article(path))
        except (ArticleError, OSError) as exc:
            if strict:
                raise
            skipped[str(path)] = str(exc)
            warnings.warn(str(exc), ArticleSkipped, stacklevel=2)
    for row in rows:
        aid = row["article_id"]
        if aid not in meta.index:
            warnings.warn(f"{row['path']}: no row in articles.csv, metadata left empty",
                          MetadataWarning, stacklevel=2)
            m = {}
        else:
            m = meta.loc[aid].to_dict()
        for col in ("source", "published", "url", "language"):
            row[col] = m.get(col, "") or ""
        if m.get("title"):
            row["title"] = m["title"]
    loaded = {r["article_id"] for r in rows}
    for aid in meta.index:
        if aid not in loaded and str(folder / f"{aid}.txt") not in skipped:
            warnings.warn(f"{folder / 'articles.csv'}: row {aid} has no text file",
                          MetadataWarning, stacklevel=2)
    df = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    df["published"] = pd.to_datetime(df["published"].replace("", None), errors="coerce")
    df.attrs["skipped"] = skipped
    return df.sort_values("article_id").reset_index(drop=True)


# --- Paragraphs and zones ------------------------------------------------------------
def _zone_markers() -> dict[str, tuple[str, ...]]:
    """Folded markers of ``data/zones.csv`` by role (link, footer, line, prefix, byline)."""
    path = Path(__file__).parent / "data" / "zones.csv"
    rows = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    out: dict[str, list[str]] = {role: [] for role in ("link", "footer", "line", "prefix", "byline")}
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


def _ends_sentence(line: str) -> bool:
    """Whether ``line`` ends like a sentence: ``[.!:؛;]`` then an optional closing quote."""
    last = line[-1]
    return last in _SENTENCE_MARKS or (last in _CLOSING_QUOTES and _quote_ends_sentence(line))


def paragraph_spans(text: str, source: str = "") -> list[tuple[int, str, int, int]]:
    """Paragraphs of one text as ``(para, zone, start, end)``; see :func:`paragraphs`.

    Only the start of a line is folded (for the marker checks, all lines at once) and
    only lines without closing punctuation have their words counted.
    """
    starts, lines = _nonblank_lines(text)
    if not lines:
        return []
    norms = _folded_heads(lines)
    furniture = _furniture(lines, norms)
    source = source or ""
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
    return out


def paragraphs(articles: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs (non-empty lines) of every article with their zone.

    Zones follow the codebook: ``title`` (paragraph 0), ``byline`` (the outlet line
    right after the title, when it names the source or starts like a byline),
    ``subhead`` (short lines without sentence punctuation), ``boilerplate``
    (related-story lines such as «للمزيد: ...» and the headline blocks after «اقرأ أيضاً:»,
    footers and everything after them, «ارسال التعليق», app notices, bare URLs; see
    ``data/zones.csv``) and ``body``.

    Returns:
        DataFrame ``article_id, para, zone, start, end, words, text`` with
        ``text == article_text[start:end]``.
    """
    rows = []
    sources = articles["source"] if "source" in articles else [""] * len(articles)
    for aid, text, source in zip(articles["article_id"], articles["text"], sources):
        for para, zone, s, e in paragraph_spans(text, source):
            rows.append((aid, para, zone, s, e, len(text[s:e].split()), text[s:e]))
    return pd.DataFrame(rows, columns=["article_id", "para", "zone", "start", "end", "words", "text"])


def article_stats(articles: pd.DataFrame, paras: pd.DataFrame, toks: pd.DataFrame) -> pd.DataFrame:
    """Words, sentences and paragraphs per article, by zone where it matters.

    Returns:
        DataFrame indexed by ``article_id`` with ``paragraphs, body_paragraphs,
        subheads, sentences, words, content_words``.
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
