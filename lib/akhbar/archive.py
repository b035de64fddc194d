"""A news archive as a stream of article batches: .txt folders, JSONL or Parquet, cleaned beside the text."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

import pandas as pd

from .corpus import (ARTICLE_COLUMNS, ArticleError, ArticleSkipped, MetadataWarning, article_files,
                     decode_article, read_article, read_metadata)
from .published import published_column
from .text import normalize

CORPUS_COLUMNS = ARTICLE_COLUMNS + ["clean_text", "changes", "origin", "published_raw"]
"""Columns of every batch: those of :func:`akhbar.load_articles` (``published`` in UTC), the
cleaned text, what the cleaning changed (``html_entities:3;tags:2``), where the record came
from and the publication date as the source gave it."""
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")

# --- Cleaning ------------------------------------------------------------------------------
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BR = re.compile(r"(?:<\s*br\s*/?\s*>|<\s*/?\s*p\s*/?\s*>)\n?", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+")
_BIDI = re.compile("[\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C\uFEFF]")
"""Zero-width space/non-joiner/joiner, LRM, RLM, embeddings and overrides, word joiner,
isolates, Arabic letter mark and BOM: invisible characters that change nothing a reader sees."""
FOOTER_MARKERS = tuple(normalize(s, ta_marbuta=True) for s in (
    "جميع الحقوق محفوظة", "حقوق النشر محفوظة", "كل الحقوق محفوظة", "©", "copyright",
    "تابعونا على", "تابعوا آخر الأخبار", "رابط المقال", "رابط الخبر", "المصدر: http",
))
"""A line whose normalised form starts with one of these is a site footer in ``clean_text``."""
_FOOTER_FIRST = frozenset(c for c in map(chr, range(0x20, 0x2000))
                          if normalize(c, ta_marbuta=True).lower()[:1] in {m[0] for m in FOOTER_MARKERS})
"""Characters a footer line can start with (before folding): most lines are ruled out by it."""
CHANGE_ORDER = ("html_entities", "tags", "urls", "footers", "bidi_controls", "title_bidi",
                "title_prepended")


def clean_text_ar(text: str) -> tuple[str, Counter]:
    """Clean one article text for reading and duplicate detection (never for offsets).

    Decodes HTML entities (``&quot;``, ``&#8220;``), turns ``<br>``/``<p>`` into line ends and
    drops other tags, drops URLs and site-footer lines, and removes bidi and zero-width
    controls.

    Returns:
        ``(clean_text, counts)`` with a :class:`collections.Counter` of what was changed.
    """
    counts = Counter()
    s, counts["html_entities"] = _sub_count(_ENTITY, lambda m: html.unescape(m.group()), text)
    s, n_br = _BR.subn("\n", s)
    s, n_tag = _TAG.subn("", s)
    counts["tags"] = n_br + n_tag
    s, counts["urls"] = _URL.subn("", s)
    s, counts["bidi_controls"] = _BIDI.subn("", s)
    lines = []
    for line in s.split("\n"):
        head = line.lstrip()[:40]  # folding goes letter by letter: the head decides
        if head[:1].lower() in _FOOTER_FIRST and normalize(head, ta_marbuta=True).lower().startswith(FOOTER_MARKERS):
            counts["footers"] += 1
            continue
        lines.append(line.rstrip())
    s = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return s, +counts


def _sub_count(pattern: re.Pattern, repl, s: str) -> tuple[str, int]:
    n = 0

    def sub(m):
        nonlocal n
        new = repl(m)
        n += new != m.group()
        return new

    return pattern.sub(sub, s), n


def format_changes(counts: Counter) -> str:
    """``Counter`` of changes as ``"html_entities:3;tags:2"`` in a fixed order ("" when none)."""
    keys = [k for k in CHANGE_ORDER if counts.get(k)] + sorted(set(counts) - set(CHANGE_ORDER))
    return ";".join(f"{k}:{counts[k]}" for k in keys if counts[k])


def clean_articles(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``clean_text`` and ``changes`` to an article table; clean titles of bidi controls.

    ``text`` is left exactly as loaded: every offset refers to it.
    """
    df = df.copy()
    cleaned, changes, titles = [], [], []
    prior = df["changes"] if "changes" in df else pd.Series([""] * len(df), index=df.index)
    for text, title, before in zip(df["text"], df["title"], prior):
        clean, counts = clean_text_ar(text)
        counts.update(_parse_changes(before))
        title, counts["title_bidi"] = _BIDI.subn("", title or "")
        cleaned.append(clean)
        changes.append(format_changes(counts))
        titles.append(title.strip())
    df["clean_text"], df["changes"], df["title"] = cleaned, changes, titles
    return df


def _parse_changes(s: str) -> Counter:
    return Counter({k: int(v) for k, v in (p.split(":") for p in s.split(";") if p)})


# --- Reading -------------------------------------------------------------------------------
def load_corpus(path: str | Path, batch_size: int = 1000,
                skipped: list | None = None) -> Iterator[pd.DataFrame]:
    """Stream an archive as DataFrame batches of at most ``batch_size`` articles.

    ``path`` is a folder of ``.txt`` files (metadata from its ``articles.csv``), a JSONL
    file, gzip-compressed or not (one article per line: ``id, title, text, source,
    published, url``) or a Parquet file or folder with the same fields (read row group by
    row group). A bad record (invalid JSON, undecodable or binary file, missing text, an id
    already read) is skipped with an :class:`~akhbar.ArticleSkipped` warning naming the file
    and line or record; the reasons are appended to ``skipped`` as ``(where, reason)`` and
    kept in each batch's ``attrs["skipped"]``. Publication dates may mix RFC 822 and ISO
    forms and time zones: ``published`` is in UTC, ``published_raw`` keeps the string, and
    an unreadable or ambiguous date is left empty with a :class:`~akhbar.MetadataWarning`.

    A record whose text does not start with its title gets the title as first line
    (``title_prepended`` in ``changes``), so that paragraph 0 is the title as in the
    codebook; ``text`` is otherwise kept exactly as stored.

    Yields:
        DataFrames with :data:`CORPUS_COLUMNS`.
    """
    path = Path(path)
    if path.is_dir():
        if any(path.glob("*.txt")) or not any(path.rglob("*.parquet")):
            records = _txt_records(path)
        else:
            records = _parquet_records(path, batch_size)
    elif path.is_file() and _jsonl_name(path):
        records = _jsonl_records(path)
    elif path.is_file() and path.suffix.lower() == ".parquet":
        records = _parquet_records(path, batch_size)
    elif not path.exists():
        raise FileNotFoundError(f"{path}: no such corpus (folder of .txt, .jsonl or .parquet)")
    else:
        raise ArticleError(f"{path}: unknown corpus format {path.suffix!r} "
                           "(expected a folder of .txt, a .jsonl, .jsonl.gz or a .parquet file)")
    batch, bad = [], []
    first_seen: dict[str, str] = {}
    for rec in records:
        if not isinstance(rec, ArticleError):  # a second copy of an id would double every count
            aid = rec["article_id"]
            if aid in first_seen:
                rec = ArticleError(f"{rec['origin']}: duplicate id {aid!r} (first at {first_seen[aid]}); "
                                   "this copy skipped")
            else:
                first_seen[aid] = rec["origin"]
        if isinstance(rec, ArticleError):
            where, _, reason = str(rec).partition(": ")
            warnings.warn(str(rec), ArticleSkipped, stacklevel=2)
            bad.append((where, reason))
            if skipped is not None:
                skipped.append((where, reason))
            continue
        batch.append(rec)
        if len(batch) >= batch_size:
            yield _batch_frame(batch, bad)
            batch, bad = [], []
    if batch:
        yield _batch_frame(batch, bad)


def _batch_frame(rows: list[dict], bad: list) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=ARTICLE_COLUMNS + ["changes", "origin"])
    # feeds mix RFC 822 and ISO dates and zones in one file: each value is read alone, in UTC
    df["published_raw"] = df["published"].astype(str)
    df["published"], problems = published_column(df["published_raw"], df["origin"])
    for where, problem in problems:
        warnings.warn(f"{where}: {problem}; left empty", MetadataWarning, stacklevel=3)
    df = clean_articles(df)[CORPUS_COLUMNS]
    df.attrs["skipped"] = list(bad)
    return df


def _txt_records(folder: Path) -> Iterator[dict | ArticleError]:
    meta = read_metadata(folder).set_index("article_id")
    for path in article_files(folder):
        try:
            row = read_article(path)
        except (ArticleError, OSError) as exc:
            yield exc if isinstance(exc, ArticleError) else ArticleError(f"{path}: {exc}")
            continue
        if row["article_id"] in meta.index:
            m = meta.loc[row["article_id"]].to_dict()
        else:
            warnings.warn(f"{path}: no row in articles.csv, metadata left empty", MetadataWarning,
                          stacklevel=3)
            m = {}
        for col in ("source", "published", "url", "language"):
            row[col] = m.get(col, "") or ""
        row["title"] = m.get("title") or row["title"]
        yield {**row, "changes": "", "origin": str(path)}


def _jsonl_name(path: Path) -> bool:
    """Whether a file name is a JSONL archive, gzip-compressed or not (``.jsonl.gz``)."""
    name = path.name.lower()
    return name.endswith(JSONL_SUFFIXES) or name.endswith(tuple(s + ".gz" for s in JSONL_SUFFIXES))


def _jsonl_records(path: Path) -> Iterator[dict | ArticleError]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            where = f"{path}:{lineno}"
            if not raw.strip():
                continue
            try:
                rec = json.loads(decode_article(raw.strip(), where)[0])
            except ArticleError as exc:
                yield exc
                continue
            except json.JSONDecodeError as exc:
                yield ArticleError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            yield _record(rec, where, str(path))


def _parquet_records(path: Path, batch_size: int) -> Iterator[dict | ArticleError]:
    import pyarrow.parquet as pq

    files = [path] if path.is_file() else sorted(path.rglob("*.parquet"))
    for file in files:
        try:
            pf = pq.ParquetFile(file)
        except Exception as exc:  # pyarrow raises several types for a broken file
            yield ArticleError(f"{file}: not a readable Parquet file ({exc})")
            continue
        n = 0
        for rb in pf.iter_batches(batch_size=batch_size):
            for rec in rb.to_pylist():
                n += 1
                yield _record(rec, f"{file}:record {n}", str(file))


def _record(rec, where: str, path: str) -> dict | ArticleError:
    """One JSONL/Parquet record as an article row, or the error that skips it."""
    if not isinstance(rec, dict):
        return ArticleError(f"{where}: not a JSON object")
    aid = rec.get("id", rec.get("article_id"))
    text = rec.get("text")
    if aid is None or str(aid).strip() == "":
        return ArticleError(f"{where}: missing id")
    if not isinstance(text, str) or not text.strip():
        return ArticleError(f"{where}: missing text (article {aid})")
    if "\x00" in text:
        return ArticleError(f"{where}: binary content in text (article {aid})")
    newline = "lf"
    if "\r" in text:
        newline = "crlf" if "\r\n" in text else "cr"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.strip().split("\n", 1)[0].strip()
    title = str(rec.get("title") or "").strip() or first
    changes = ""
    if _match_form(title) != _match_form(first):
        text, changes = f"{title}\n\n{text}", "title_prepended:1"
    published = rec.get("published") or ""
    return {"article_id": str(aid), "title": title, "text": text,
            "source": str(rec.get("source") or ""), "published": str(published),
            "url": str(rec.get("url") or ""), "language": str(rec.get("language") or "ar"),
            "path": path, "encoding": "utf-8", "newline": newline, "changes": changes,
            "origin": where}


def _match_form(s: str) -> str:
    """A line compared for identity: normalised, bidi controls and punctuation ignored."""
    return " ".join(re.findall(r"\w+", normalize(_BIDI.sub("", s), ta_marbuta=True)))


# --- Duplicates ----------------------------------------------------------------------------
DUPLICATE_COLUMNS = ["article_a", "article_b", "source_a", "source_b", "kind", "similarity"]


def shingles(text: str, n: int = 5) -> frozenset[str]:
    """Word ``n``-gram shingles of normalised text (the whole text when shorter than ``n``)."""
    words = re.findall(r"\w+", normalize(text, ta_marbuta=True))
    if len(words) <= n:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))


def find_duplicates(articles: pd.DataFrame, threshold: float = 0.8, n: int = 5,
                    max_df: int = 50, column: str = "clean_text") -> pd.DataFrame:
    """Exact and near-duplicate article pairs (reported, never dropped).

    Exact: the same normalised words. Near: word ``n``-gram shingle Jaccard >= ``threshold``,
    computed exactly for every pair that shares a shingle found in at most ``max_df``
    articles (blocking; boilerplate shingles shared by many articles do not pair them).

    Returns:
        DataFrame :data:`DUPLICATE_COLUMNS`, ``kind`` ``exact`` or ``near``, sorted by
        ``article_a, article_b``; ``article_a < article_b``.
    """
    col = column if column in articles else "text"
    ids = list(articles["article_id"])
    sources = dict(zip(ids, articles.get("source", pd.Series([""] * len(ids)))))
    sets = [shingles(t, n) for t in articles[col]]
    keys = [hashlib.sha1(" ".join(re.findall(r"\w+", normalize(t, ta_marbuta=True))).encode()).hexdigest()
            for t in articles[col]]
    index = defaultdict(list)
    for i, sh in enumerate(sets):
        for s in sh:
            index[s].append(i)
    candidates = set()
    for members in index.values():
        if 1 < len(members) <= max_df:
            candidates.update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
    by_key = defaultdict(list)
    for i, k in enumerate(keys):
        by_key[k].append(i)
    candidates.update((a, b) for m in by_key.values() for k, a in enumerate(m) for b in m[k + 1:])
    rows = []
    for a, b in candidates:
        if keys[a] == keys[b]:
            kind, sim = "exact", 1.0
        else:
            union = len(sets[a] | sets[b])
            sim = len(sets[a] & sets[b]) / union if union else 0.0
            kind = "near"
            if sim < threshold:
                continue
        x, y = sorted((ids[a], ids[b]))
        rows.append((x, y, sources[x], sources[y], kind, round(sim, 4)))
    out = pd.DataFrame(rows, columns=DUPLICATE_COLUMNS)
    return out.sort_values(["article_a", "article_b"]).reset_index(drop=True)
