"""Loading articles from a folder and cutting them into zoned paragraphs."""

from __future__ import annotations

import re
import warnings
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
BOILERPLATE_START = tuple(normalize(s, ta_marbuta=True) for s in (
    "اقرأ أيضا", "اقرأ أيضاً", "اقرأ ايضا", "إقرأ أيضا", "اقرأ المزيد", "اقرأ كذلك",
    "مواضيع ذات صلة", "أخبار ذات صلة", "ذات صلة", "المزيد من الأخبار", "شاهد أيضا",
    "قصص ذات صلة", "مقالات ذات صلة", "روابط ذات صلة", "مواضيع متعلقة", "أخبار متعلقة",
    "قد يهمك", "اخترنا لك", "الأكثر قراءة", "للمزيد", "تابعونا على",
    "جميع الحقوق محفوظة", "حقوق النشر محفوظة",
))
"""A line starting with one of these opens the related-stories tail: it and every
line after it are boilerplate."""
BOILERPLATE_LINES = tuple(normalize(s, ta_marbuta=True) for s in (
    "ارسال التعليق", "إرسال التعليق", "أضف تعليق", "أضف تعليقك", "التعليقات",
    "شارك", "شارك هذا المقال", "جميع الحقوق محفوظة", "حقوق النشر محفوظة",
))
"""Single lines that are site furniture wherever they stand."""
BYLINE_MARKERS = tuple(normalize(s, ta_marbuta=True) for s in (
    "بقلم", "كتب", "كتبت", "المصدر", "وكالات", "خاص", "مراسل",
))
_SENTENCE_END = re.compile(r"[.!:؛;]\s*[\"”»']?\s*$")
SUBHEAD_MAX_WORDS = 12


def _zone_of(line: str, index: int, source: str, in_tail: bool) -> tuple[str, bool]:
    if index == 0:
        return "title", in_tail
    norm = normalize(line.strip(" .:")[:60], ta_marbuta=True)
    if in_tail or norm.startswith(BOILERPLATE_START):
        return "boilerplate", True
    if (len(line) <= 60 and norm in BOILERPLATE_LINES) or re.fullmatch(r"(https?://|www\.)\S+", line.strip()):
        return "boilerplate", in_tail
    words = line.split()
    if index == 1 and len(words) <= 4 and not _SENTENCE_END.search(line) and (
            (source and normalize(line.strip(" .:"), ta_marbuta=True) == normalize(source, ta_marbuta=True))
            or norm.startswith(BYLINE_MARKERS)):
        return "byline", in_tail
    if len(words) <= SUBHEAD_MAX_WORDS and not _SENTENCE_END.search(line):
        return "subhead", in_tail
    return "body", in_tail


def paragraph_spans(text: str, source: str = "") -> list[tuple[int, str, int, int]]:
    """Paragraphs of one text as ``(para, zone, start, end)``; see :func:`paragraphs`."""
    out, in_tail, index = [], False, 0
    for m in _LINE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        s = m.start() + len(line) - len(line.lstrip())
        e = m.start() + len(line.rstrip())
        zone, in_tail = _zone_of(text[s:e], index, source or "", in_tail)
        out.append((index, zone, s, e))
        index += 1
    return out


_LINE = re.compile(r"[^\n]+")


def paragraphs(articles: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs (non-empty lines) of every article with their zone.

    Zones follow the codebook: ``title`` (paragraph 0), ``byline`` (the outlet line
    right after the title, when it names the source or starts like a byline),
    ``subhead`` (short lines without sentence punctuation), ``boilerplate``
    («اقرأ أيضا» and everything after it, «ارسال التعليق», bare URLs) and ``body``.

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
