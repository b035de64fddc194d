"""A news archive as a stream of article batches: .txt files or folders, JSONL or Parquet, cleaned beside the text."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import warnings
import zlib
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..articles.loading import (ARTICLE_COLUMNS, ArticleError, ArticleSkipped, MetadataWarning, file_key, match_rows, read_article,
                                read_metadata, read_metadata_file, text_paths)
from ..files import id_problem
from ..published import published_column
from ..text import normalize

CORPUS_COLUMNS = ARTICLE_COLUMNS + ["clean_text", "changes", "origin", "published_raw"]
"""Columns of every batch: those of :func:`akhbar.load_articles` (``published`` in UTC), the
cleaned text, what the cleaning changed (``html_entities:3;tags:2``), where the record came
from and the publication date as the source gave it."""
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CORPUS_FORMATS = "a .txt file, a folder of .txt, a .jsonl, .jsonl.gz or a .parquet file"
"""What :func:`load_corpus` reads, as its error messages say it."""

# --- Cleaning ------------------------------------------------------------------------------
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MARKUP = re.compile(_TAG.pattern + "|" + _ENTITY.pattern + "|<!--")
"""A tag, an entity reference or a comment: a text with one of these is read as HTML."""
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+")
_BIDI = re.compile("[\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C\uFEFF]")
"""Zero-width space/non-joiner/joiner, LRM, RLM, embeddings and overrides, word joiner,
isolates, Arabic letter mark and BOM: invisible characters that change nothing a reader sees."""
HTML_DROPPED = ("script", "style", "noscript", "template", "head")
"""Elements whose content is never article text: it is dropped with the element."""
HTML_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "tfoot", "thead", "tr", "ul"))
"""Block elements of HTML (and ``br``): each starts and ends a paragraph (a line); a table's
cells (``td``, ``th``) are set apart by a space."""
_SPACES = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")  # single spaces, the most, left as they are
FOOTER_LINES = tuple(normalize(s, ta_marbuta=True) for s in (
    "جميع الحقوق محفوظة", "حقوق النشر محفوظة", "كل الحقوق محفوظة", "©", "copyright",
    "تابعونا على", "تابعوا آخر الأخبار", "رابط المقال", "رابط الخبر", "المصدر: http",
))
"""A line whose normalised form starts with one of these is a site footer line, dropped by
``clean_text`` (one line; not :data:`akhbar.zones.FOOTER_MARKERS`, which open the footer zone)."""
_FOOTER_FIRST = frozenset(c for c in map(chr, range(0x20, 0x2000))
                          if normalize(c, ta_marbuta=True).lower()[:1] in {m[0] for m in FOOTER_LINES})
"""Characters a footer line can start with (before folding): most lines are ruled out by it."""
CHANGE_ORDER = ("html_entities", "tags", "urls", "footers", "bidi_controls", "title_bidi",
                "title_html", "title_prepended", "lone_surrogates")


def is_html(text: str) -> bool:
    """Whether ``text`` holds HTML markup: a tag, an entity reference or a comment.

    Example:
        >>> is_html("قال حفتر&quot;نعم&quot;"), is_html("قال حفتر: 3 < 4")
        (True, False)
    """
    return _MARKUP.search(text) is not None


def html_to_text(markup: str) -> tuple[str, Counter]:
    """The text of an HTML fragment or page, one paragraph a line, read by an HTML parser.

    The parser is Python's :class:`html.parser.HTMLParser` (the one BeautifulSoup's
    ``html.parser`` uses, without building a tree: ten times as fast). The content of
    ``script``, ``style``, ``noscript``, ``template`` and ``head`` is dropped (a ``head``
    left open ends where the body starts), comments too; block elements (``p``, ``div``,
    ``li``, ``h1``…, :data:`HTML_BLOCKS`) and ``br`` end a line; entities are decoded once
    (``&amp;amp;`` gives ``&amp;``), and a name that is no HTML entity stays as written.
    Runs of spaces and tabs become one space, lines are stripped and blank lines dropped.

    Returns:
        ``(text, counts)``: ``counts`` has ``html_entities`` (references decoded) and ``tags``
        (tags removed), as :func:`clean_text_ar` counts them.

    Example:
        >>> html_to_text("<p>قال حفتر &amp;amp; <b>تركيا</b></p><script>x='<p>قطر'</script><p>نعم</p>")[0]
        'قال حفتر &amp; تركيا\\nنعم'
    """
    markup = markup.replace("\r\n", "\n").replace("\r", "\n")
    counts = Counter(tags=len(_TAG.findall(markup)))
    counts["html_entities"] = sum(html.unescape(m) != m for m in _ENTITY.findall(markup))
    markup = _escape_broken(markup)
    for _ in range(len(HTML_DROPPED) + 1):
        reader = _HtmlText()
        reader.feed(markup)
        reader.close()
        if not reader.stack:
            break
        # a <script>, <style> or <head> never closed is a word of the text (an article about
        # web pages), not an element: read it as text, and what follows with it
        lines = [0] + [m.end() for m in re.finditer("\n", markup)]
        at = sorted(lines[line - 1] + col for _tag, (line, col) in reader.stack)
        markup = "".join(markup[a:b] if k % 2 == 0 else "&lt;"
                         for k, (a, b) in enumerate(_cuts(at, len(markup))))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(reader.parts).split("\n"))
    return "\n".join(line for line in lines if line), +counts


def _cuts(at: list[int], end: int) -> list[tuple[int, int]]:
    """Pieces of a string around the ``<`` at each position of ``at``: text, ``<``, text..."""
    pieces, prev = [], 0
    for a in at:
        pieces += [(prev, a), (a, a + 1)]
        prev = a + 1
    return pieces + [(prev, end)]


_COMPLETE = re.compile(_TAG.pattern + r"|<![^<>]*>|<\?[^<>]*>")
"""A complete tag, declaration (``<!DOCTYPE …>``) or processing instruction."""


def _escape_broken(markup: str) -> str:
    """``markup`` with every ``<`` that starts no complete tag or comment written ``&lt;``
    (a comparison, a tag cut off, a comment never closed): the parser reads it as text,
    in one pass, where it would rescan the rest of the document at each one.

    Example:
        >>> _escape_broken("<p>3 <b 4</p><!-- لم يغلق")
        '<p>3 &lt;b 4</p>&lt;!-- لم يغلق'
    """
    out, i, closed_comments = [], 0, True
    while True:
        j = markup.find("<", i)
        if j < 0:
            out.append(markup[i:])
            return "".join(out)
        out.append(markup[i:j])
        if markup.startswith("<!--", j):
            k = markup.find("-->", j + 4) if closed_comments else -1
            if k >= 0:
                out.append(markup[j:k + 3])
                i = k + 3
                continue
            closed_comments = False  # no "-->" after this one: none after any later one either
        else:
            m = _COMPLETE.match(markup, j)
            if m:
                out.append(m.group())
                i = m.end()
                continue
        out.append("&lt;")
        i = j + 1


class _HtmlText(HTMLParser):
    """Collects the text of a document: data outside :data:`HTML_DROPPED` elements, a line
    end at each block element's start and end (``parts``); ``stack`` holds the dropped
    elements open, with the position (line, column) of their start tags."""

    def __init__(self):
        super().__init__(convert_charrefs=True)  # entities decoded once, in the text only
        self.parts: list[str] = []
        self.stack: list[tuple[str, tuple[int, int]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in HTML_DROPPED:
            self.stack.append((tag, self.getpos()))
            return
        if (tag == "body" or tag in HTML_BLOCKS) and any(t == "head" for t, _ in self.stack):
            self.stack = [(t, at) for t, at in self.stack if t != "head"]  # no </head>: the body ends it
        self._break(tag)

    def handle_endtag(self, tag):
        if tag in HTML_DROPPED:
            for k in range(len(self.stack) - 1, -1, -1):
                if self.stack[k][0] == tag:
                    del self.stack[k]
                    break
        else:
            self._break(tag)

    def _break(self, tag):
        if tag in HTML_BLOCKS or tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.stack:
            self.parts.append(data)


def clean_text_ar(text: str, html_markup: bool = True) -> tuple[str, Counter]:
    """Clean one article text for reading and duplicate detection (never for offsets).

    Reads HTML markup with :func:`html_to_text` (unless ``html_markup`` is false, for a text
    that already went through it: its entities are not decoded twice), drops URLs and
    site-footer lines, and removes bidi and zero-width controls.

    Returns:
        ``(clean_text, counts)`` with a :class:`collections.Counter` of what was changed.

    Example:
        >>> text, counts = clean_text_ar("قال&nbsp;حفتر<br>\\u200fجميع الحقوق محفوظة")
        >>> text, format_changes(counts)
        ('قال\\xa0حفتر', 'html_entities:1;tags:1;footers:1;bidi_controls:1')
    """
    counts = Counter()
    s = text
    if html_markup and is_html(text):
        s, counts = html_to_text(text)
    s, counts["urls"] = _URL.subn("", s)
    s, counts["bidi_controls"] = _BIDI.subn("", s)
    lines = []
    for line in s.split("\n"):
        head = line.lstrip()[:40]  # folding goes letter by letter: the head decides
        if head[:1].lower() in _FOOTER_FIRST and normalize(head, ta_marbuta=True).lower().startswith(FOOTER_LINES):
            counts["footers"] += 1
            continue
        lines.append(line.rstrip())
    s = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return s, +counts


def format_changes(counts: Counter) -> str:
    """``Counter`` of changes as ``"html_entities:3;tags:2"`` in a fixed order ("" when none).

    Example:
        >>> from collections import Counter
        >>> format_changes(Counter(tags=2, html_entities=3))
        'html_entities:3;tags:2'
    """
    keys = [k for k in CHANGE_ORDER if counts.get(k)] + sorted(set(counts) - set(CHANGE_ORDER))
    return ";".join(f"{k}:{counts[k]}" for k in keys if counts[k])


def clean_articles(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``clean_text`` and ``changes`` to an article table; clean titles of bidi controls.

    ``text`` is left exactly as loaded: every offset refers to it. A row whose ``changes``
    already count ``tags`` or ``html_entities`` was read from HTML when loaded
    (:func:`load_corpus`), so its text is not decoded a second time.

    Example:
        >>> arts = akhbar.inputs.as_articles(["<p>قال وزير الخارجية &amp; الدفاع</p>", "وصل أردوغان إلى الدوحة"])
        >>> clean_articles(arts)[["clean_text", "changes"]].values.tolist()
        [['قال وزير الخارجية & الدفاع', 'html_entities:1;tags:2'], ['وصل أردوغان إلى الدوحة', '']]
    """
    df = df.copy()
    cleaned, changes, titles = [], [], []
    prior = df["changes"] if "changes" in df else pd.Series([""] * len(df), index=df.index)
    for text, title, before in zip(df["text"], df["title"], prior):
        done = _parse_changes(before)
        clean, counts = clean_text_ar(text, html_markup=not (done["tags"] or done["html_entities"]))
        counts.update(done)
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

    ``path`` is one ``.txt`` article or a folder of them (metadata from the ``articles.csv``
    beside them), a JSONL file, gzip-compressed or not (one article per line: ``id, title,
    text, source, published, url``) or a Parquet file or folder with the same fields (read
    row group by row group). A bad record (invalid JSON, undecodable or binary file, missing
    text, an id already read, the damaged end of a ``.gz``) is skipped with an
    :class:`~akhbar.ArticleSkipped` warning naming the file and line or record; the reasons
    are appended to ``skipped`` as ``(where, reason)`` and kept in each batch's
    ``attrs["skipped"]``. Publication dates may mix RFC 822 and ISO forms and time zones:
    ``published`` is in UTC, ``published_raw`` keeps the string, and an unreadable or
    ambiguous date is left empty with a :class:`~akhbar.MetadataWarning`.

    A JSONL or Parquet record whose text holds HTML (:func:`is_html`) is read with a real
    HTML parser (:func:`html_to_text`: scripts and styles dropped, one paragraph a line,
    entities decoded once) and ``text`` is that plain text: every offset refers to it;
    ``changes`` counts the ``tags`` and ``html_entities``. A record whose text does not start
    with its title gets the title as first line (``title_prepended`` in ``changes``), so that
    paragraph 0 is the title as in the codebook. ``text`` is otherwise kept exactly as
    stored, and ``.txt`` files are always read as plain text.

    Each batch's ``attrs["progress"]`` is how much of the input was read when it was made,
    in the unit of :func:`corpus_size` (bytes of the file as stored, files, or records).

    Yields:
        DataFrames with :data:`CORPUS_COLUMNS`.

    Example:
        >>> batch = next(load_corpus("seeds/004_89c82ba38a398626.txt"))
        >>> batch.loc[0, "source"], batch.attrs["progress"]
        ('التغيير', 1)
    """
    path = Path(path)
    kind = _corpus_kind(path)
    at = [0]  # how much of the input the records read so far (the unit of corpus_size)
    if kind == "txt":
        records = _txt_records(path.parent, at, [path])
    elif kind == "txt folder":
        records = _txt_records(path, at)
    elif kind == "jsonl":
        records = _jsonl_records(path, at)
    else:
        records = _parquet_records(path, batch_size, at)
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
            yield _batch_frame(batch, bad, at[0])
            batch, bad = [], []
    if batch:
        yield _batch_frame(batch, bad, at[0])


def _corpus_kind(path: Path) -> str:
    """``txt``, ``txt folder``, ``jsonl`` or ``parquet``: how :func:`load_corpus` reads ``path``.

    Raises:
        FileNotFoundError: nothing at ``path``.
        ArticleError: a file of another kind, naming it and what is read.
    """
    if path.is_dir():
        return "txt folder" if any(path.glob("*.txt")) or not any(path.rglob("*.parquet")) else "parquet"
    if path.is_file() and path.suffix.lower() == ".txt":
        return "txt"
    if path.is_file() and _jsonl_name(path):
        return "jsonl"
    if path.is_file() and path.suffix.lower() == ".parquet":
        return "parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder (akhbar reads {CORPUS_FORMATS})")
    raise ArticleError(f"{path}: unknown corpus format {''.join(path.suffixes) or path.name!r} "
                       f"(akhbar reads {CORPUS_FORMATS})")


def corpus_size(path: str | Path) -> tuple[int, str]:
    """How much :func:`load_corpus` will read, for a progress bar: ``(total, unit)``.

    The unit is ``B`` for JSONL (the file's bytes as stored, compressed for ``.gz``),
    ``file`` for ``.txt`` and ``record`` for Parquet (from the files' metadata).

    Example:
        >>> corpus_size("seeds")
        (2, 'file')
    """
    path = Path(path)
    kind = _corpus_kind(path)
    if kind == "txt":
        return 1, "file"
    if kind == "txt folder":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reported when the files are read
            return len(_txt_paths(path)[0]), "file"
    if kind == "jsonl":
        return path.stat().st_size, "B"
    import pyarrow.parquet as pq

    rows = 0
    for file in [path] if path.is_file() else sorted(path.rglob("*.parquet")):
        try:
            rows += pq.ParquetFile(file).metadata.num_rows
        except Exception:  # a broken file is reported when it is read
            continue
    return rows, "record"


def _batch_frame(rows: list[dict], bad: list, progress: int) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=ARTICLE_COLUMNS + ["changes", "origin"])
    # feeds mix RFC 822 and ISO dates and zones in one file: each value is read alone, in UTC
    df["published_raw"] = df["published"].astype(str)
    df["published"], problems = published_column(df["published_raw"], df["origin"])
    for where, problem in problems:
        warnings.warn(f"{where}: {problem}; left empty", MetadataWarning, stacklevel=3)
    df = clean_articles(df)[CORPUS_COLUMNS]
    df.attrs["skipped"] = list(bad)
    df.attrs["progress"] = progress
    return df


def _txt_paths(folder: Path) -> tuple[list[Path], pd.DataFrame, bool]:
    """The text files of a folder as :func:`akhbar.load_articles` finds them (``*.txt`` and
    the files ``articles.csv`` names, in subfolders too), its metadata, and whether it has
    an ``articles.csv``."""
    csv_path = folder / "articles.csv"
    meta = read_metadata_file(csv_path)[0] if csv_path.exists() else read_metadata(folder)
    return text_paths(folder, meta), meta, csv_path.exists()


def _txt_records(folder: Path, at: list, files: list[Path] | None = None) -> Iterator[dict | ArticleError]:
    """The ``.txt`` articles of ``folder`` (or only ``files``), with ``articles.csv``'s metadata
    matched as :func:`akhbar.load_articles` matches it (a row's ``file``, else its
    ``article_id``, which names the article); ``at[0]`` counts the files read."""
    every, meta, has_csv = _txt_paths(folder)
    paths = every if files is None else files
    known = {file_key(p) for p in every}
    match = match_rows(folder, meta, every + [p for p in paths if file_key(p) not in known])
    rows = meta.to_dict("records")
    for path in paths:
        at[0] += 1
        try:
            row = read_article(path)
        except (ArticleError, OSError) as exc:
            yield exc if isinstance(exc, ArticleError) else ArticleError(f"{path}: {exc}")
            continue
        i = match.get(file_key(path))
        if i is None and has_csv:
            warnings.warn(f"{path}: no row in articles.csv, metadata left empty", MetadataWarning, stacklevel=3)
        m = rows[i] if i is not None else {}
        aid = m.get("article_id") or row["article_id"]
        problem = id_problem(aid)
        if problem:
            yield ArticleError(f"{path}: bad id {aid[:40]!r}: it {problem}")
            continue
        for col in ("source", "published", "url", "language"):
            row[col] = m.get(col, "") or ""
        row["article_id"], row["title"] = aid, m.get("title") or row["title"]
        yield {**row, "changes": "", "origin": str(path)}


def _jsonl_name(path: Path) -> bool:
    """Whether a file name is a JSONL archive, gzip-compressed or not (``.jsonl.gz``)."""
    name = path.name.lower()
    return name.endswith(JSONL_SUFFIXES) or name.endswith(tuple(s + ".gz" for s in JSONL_SUFFIXES))


MAX_LINE_BYTES = 64 * 1024 * 1024
"""Longest JSONL line read (64 MiB, some thousand times a long article): a longer one is
skipped while streaming, never held whole (a small ``.gz`` can hold a line of gigabytes)."""


def _jsonl_records(path: Path, at: list) -> Iterator[dict | ArticleError]:
    """The records of a JSONL file; ``at[0]`` is the bytes of the file (as stored) read so far.

    JSONL is UTF-8 (RFC 8259): a line with an invalid byte is skipped, naming the line and
    byte, never decoded as another code page; a line over :data:`MAX_LINE_BYTES` is skipped
    as it streams by."""
    with open(path, "rb") as stored:
        fh = gzip.GzipFile(fileobj=stored, mode="rb") if path.name.lower().endswith(".gz") else stored
        lineno = 0
        while True:
            limit = MAX_LINE_BYTES
            try:
                raw = fh.readline(limit + 1)
                too_long = len(raw) > limit and not raw.endswith(b"\n")
                while too_long and (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # the rest of an overlong line, dropped as it is read
            except (OSError, EOFError, zlib.error) as exc:  # a truncated or damaged .gz: keep what was read
                yield ArticleError(f"{path}:{lineno + 1}: damaged compressed data ({exc}); "
                                   "the rest of the file not read")
                break
            if not raw:
                break
            lineno += 1
            at[0] = stored.tell()
            where = f"{path}:{lineno}"
            if too_long:
                yield ArticleError(f"{where}: line longer than {limit:,} bytes; not read")
                continue
            if not raw.strip():
                continue
            if b"\x00" in raw:
                yield ArticleError(f"{where}: binary content (NUL bytes), not a JSON line")
                continue
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield ArticleError(f"{where}: invalid UTF-8 at byte {exc.start + 1} of the line "
                                   f"({raw[exc.start:exc.start + 1]!r}); JSONL must be UTF-8")
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ArticleError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            except RecursionError:
                yield ArticleError(f"{where}: JSON nested too deep to be an article")
                continue
            except ValueError as exc:  # a number of thousands of digits
                yield ArticleError(f"{where}: invalid JSON ({exc})")
                continue
            yield _record(rec, where, str(path))


def _parquet_records(path: Path, batch_size: int, at: list) -> Iterator[dict | ArticleError]:
    """The records of a Parquet file or folder; ``at[0]`` counts the records read."""
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
                at[0] += 1
                yield _record(rec, f"{file}:record {n}", str(file))


def _record(rec, where: str, path: str) -> dict | ArticleError:
    """One JSONL/Parquet record as an article row (HTML read as its text), or the error that skips it."""
    if not isinstance(rec, dict):
        return ArticleError(f"{where}: not a JSON object")
    aid = rec.get("id", rec.get("article_id"))
    text = rec.get("text")
    if aid is None or str(aid).strip() == "":
        return ArticleError(f"{where}: missing id")
    if isinstance(aid, (dict, list)):
        return ArticleError(f"{where}: id is not a string or a number")
    aid = str(aid)
    problem = id_problem(aid)
    if problem:
        return ArticleError(f"{where}: bad id {aid[:40]!r}{'...' if len(aid) > 40 else ''}: it {problem}")
    if not isinstance(text, str) or not text.strip():
        return ArticleError(f"{where}: missing text (article {aid})")
    if "\x00" in text:
        return ArticleError(f"{where}: binary content in text (article {aid})")
    counts = Counter()
    text, counts["lone_surrogates"] = _SURROGATE.subn("\ufffd", text)  # one code point each: offsets hold
    newline = "lf"
    if "\r" in text:
        newline = "crlf" if "\r\n" in text else "cr"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_html(text):  # offsets refer to the text a reader sees, not to the markup
        text, counts = html_to_text(text)
        if not text:
            return ArticleError(f"{where}: no text outside the HTML markup (article {aid})")
    first = text.strip().split("\n", 1)[0].strip()
    title = _SURROGATE.sub("\ufffd", str(rec.get("title") or "")).strip()
    if is_html(title):
        title, counts["title_html"] = " ".join(html_to_text(title)[0].split("\n")), 1
    title = " ".join(title.split()) or first  # a title is one line
    if _match_form(title) != _match_form(first):
        text, counts["title_prepended"] = f"{title}\n\n{text}", 1
    changes = format_changes(counts)
    published = rec.get("published") or ""
    return {"article_id": aid, "title": title, "text": text,
            "source": _one_line(rec.get("source")), "published": _one_line(published),
            "url": _one_line(rec.get("url")), "language": _one_line(rec.get("language")) or "ar",
            "path": path, "encoding": "utf-8", "newline": newline, "changes": changes,
            "origin": where}


_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a character (JSON's ``\\ud83d`` alone): no file or table can hold it."""


def _one_line(value) -> str:
    """A metadata field as one line of text, without lone surrogates ("" when missing)."""
    return " ".join(_SURROGATE.sub("\ufffd", str(value or "")).split())


def _match_form(s: str) -> str:
    """A line compared for identity: normalised, bidi controls and punctuation ignored."""
    return " ".join(re.findall(r"\w+", normalize(_BIDI.sub("", s), ta_marbuta=True)))


# --- Duplicates ----------------------------------------------------------------------------
DUPLICATE_COLUMNS = ["article_a", "article_b", "source_a", "source_b", "kind", "similarity"]


def shingles(text: str, n: int = 5) -> frozenset[str]:
    """Word ``n``-gram shingles of normalised text (the whole text when shorter than ``n``).

    Example:
        >>> sorted(shingles("قال وزير الخارجية التركي إن أنقرة"))
        ['قال وزير الخارجيه التركي ان', 'وزير الخارجيه التركي ان انقره']
    """
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

    Example:
        >>> text = "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس وترفض هجوم قوات حفتر على العاصمة"
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a", "b", "c"],
        ...     "source": ["الجزيرة", "العربية", "الأناضول"], "text": [text, text + " أمس", "وصل أردوغان إلى الدوحة"]}))
        >>> find_duplicates(arts).values.tolist()
        [['a', 'b', 'الجزيرة', 'العربية', 'near', 0.9286]]
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
