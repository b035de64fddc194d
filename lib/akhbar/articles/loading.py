"""Loading articles from a folder: text files, their metadata table (``articles.csv``) and missing dates."""

from __future__ import annotations

import csv
import errno
import io
import os
import warnings
from pathlib import Path

import pandas as pd

from ..files import id_problem, read_regular
from ..published import MetadataWarning, published_column
from .dateguess import guess_missing_dates

ARTICLE_COLUMNS = ["article_id", "title", "text", "source", "published", "url", "language",
                   "path", "encoding", "newline"]
METADATA_COLUMNS = ["article_id", "file", "title", "source", "published", "language", "url"]


class ArticleError(ValueError):
    """A file that cannot be read as an article; the message names the file.

    Example:
        >>> decode_article(b"\\x00\\x01", "a1.txt")
        Traceback (most recent call last):
        ...
        akhbar.articles.loading.ArticleError: a1.txt: binary file (NUL bytes), not an article text
    """


class ArticleSkipped(UserWarning):
    """Warning issued when one article is skipped so that the others still load.

    Example:
        >>> import tempfile, warnings
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a1.txt").write_text("قال حفتر", encoding="utf-8")
        >>> _ = (folder / "b2.txt").write_bytes(b"\\x00")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     arts = load_articles(folder)
        >>> arts["article_id"].tolist(), [w.category.__name__ for w in caught]
        (['a1'], ['ArticleSkipped', 'MetadataWarning'])
    """


def decode_article(raw: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode the bytes of one article file.

    UTF-8 (with or without BOM) first, UTF-16 with a BOM, then Windows-1256 (Arabic
    archives); anything else raises :class:`ArticleError` naming ``path``.

    Returns:
        ``(text, encoding)`` where encoding is ``utf-8``, ``utf-8-sig``,
        ``utf-16`` or ``cp1256``.

    Example:
        >>> decode_article("قال حفتر".encode("cp1256"))
        ('قال حفتر', 'cp1256')
        >>> decode_article("قال حفتر".encode("utf-8-sig"))
        ('قال حفتر', 'utf-8-sig')
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

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> path = Path(tempfile.mkdtemp()) / "a1.txt"
        >>> _ = path.write_bytes("أردوغان يستقبل حفتر\\r\\nاستقبل الرئيس التركي حفتر.".encode("cp1256"))
        >>> art = read_article(path)
        >>> art["article_id"], art["title"], art["encoding"], art["newline"]
        ('a1', 'أردوغان يستقبل حفتر', 'cp1256', 'crlf')
    """
    path = Path(path)
    try:
        raw = read_regular(path)  # never a FIFO or a device: a run must not block or fill the memory
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EFBIG):
            raise
        raise ArticleError(f"{path}: {exc.strerror}") from None
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


def _decode_table(raw: bytes, path: str | Path) -> str:
    """Decode a small CSV file (``articles.csv``, a correction file) like an article.

    UTF-8 with or without BOM, UTF-16 with a BOM, else Windows-1256 when its non-ASCII
    letters are mostly Arabic (headers and ids are Latin, so the share is taken over
    non-ASCII letters only, unlike :func:`decode_article`).

    Raises:
        ValueError: naming ``path`` (and the line of the first bad byte).
    """
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(f"{path}: binary file (NUL bytes), not a CSV table")
    try:
        return raw.decode("utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig")
    except UnicodeDecodeError as exc:
        error = exc
    text = raw.decode("cp1256", errors="replace")
    foreign = [c for c in text if ord(c) > 127 and c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06FF" for c in foreign)
    controls = sum(ord(c) < 32 and c not in "\n\r\t" for c in text)
    if foreign and arabic / len(foreign) > 0.5 and not controls and "\ufffd" not in text:
        return text
    line = raw[:error.start].count(b"\n") + 1
    raise ValueError(f"{path}: line {line}: not UTF-8, UTF-16 or Windows-1256 text "
                     f"(invalid {error.encoding} at byte {error.start})")


def read_table(path: str | Path, comments: bool = False) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """Header and rows of a small CSV file, each row with the file line it starts on.

    Lines are counted as in an editor: the first line is 1, comment lines (``#`` first,
    when ``comments``) and blank lines count but give no row. Empty trailing header
    names (``a,b,,``) are dropped.

    Returns:
        ``(header_line, header, [(line, fields), ...])``.

    Raises:
        ValueError: naming the file (and line): undecodable bytes, an unclosed quote,
            text after a closing quote, no header.

    Example: ``read_table("annotations/a1.csv", comments=True)[2][0]`` → ``(4, ["add", ...])``.
    """
    text = _decode_table(read_regular(path), path)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if comments:
        lines = ["" if line.lstrip().startswith("#") else line for line in lines]
    reader = csv.reader(io.StringIO("\n".join(lines)), strict=True)
    rows, done = [], 0
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                rows.append((done + 1, fields))
            done = reader.line_num
    except csv.Error as exc:
        raise ValueError(f"{path}: line {done + 1}: malformed CSV ({exc})") from None
    if not rows:
        raise ValueError(f"{path}: empty file, no header line")
    (header_line, header), *body = rows
    header = [h.strip() for h in header]
    while not header[-1]:  # a spreadsheet's empty trailing columns
        header.pop()
    return header_line, header, body


def row_fields(path: str | Path, line: int, header: list[str], fields: list[str], what: str = "line") -> dict:
    """One row as ``{column: value}`` (missing trailing fields are ``""``).

    Raises:
        ValueError: the row has more non-empty fields than the header has columns.
    """
    if len(fields) > len(header) and any(f.strip() for f in fields[len(header):]):
        raise ValueError(f"{path}: {what} {line}: {len(fields)} fields but the header has "
                         f"{len(header)} columns (an unquoted comma?)")
    return dict(zip(header, fields + [""] * (len(header) - len(fields))))


_META_FRONT = ["article_id", "file", "title", "source", "published", "language", "url", "line"]


def _meta_frame(records: list[dict], header: list[str]) -> pd.DataFrame:
    """Records of ``articles.csv`` as a table: :data:`_META_FRONT` first, then other columns."""
    cols = _META_FRONT + [h for h in header if h not in _META_FRONT]
    blank = {c: "" for c in cols}
    df = pd.DataFrame([{**blank, **r} for r in records], columns=cols)
    df["line"] = df["line"].astype("Int64")
    return df


def _dated(meta: pd.DataFrame, csv_path: Path) -> pd.DataFrame:
    """``meta`` with ``published`` parsed (:func:`akhbar.published.published_column`) and the string kept in
    ``published_raw``; an ambiguous or unreadable value is NaT with a
    :class:`MetadataWarning` naming file, line and value."""
    meta = meta.copy()
    meta["published_raw"] = meta["published"]
    stamps, problems = published_column(meta["published_raw"], [f"{csv_path}: line {n}" for n in meta["line"]],
                                        dtype=None)
    for where, problem in problems:
        warnings.warn(f"{where}: {problem}; left empty", MetadataWarning, stacklevel=3)
    meta["published"] = stamps.set_axis(meta.index)
    return meta


def _meta_record(csv_path: Path, line: int, header: list[str], fields: list[str]) -> dict | None:
    """One row of ``articles.csv`` with its id, file, dates and line; None (warned) when unusable."""
    try:
        rec = {k: v.strip() for k, v in row_fields(csv_path, line, header, fields).items()}
    except ValueError as exc:
        warnings.warn(f"{exc}; row skipped", MetadataWarning, stacklevel=4)
        return None
    rec["file"] = rec.get("file", "").replace("\\", "/")
    if not rec.get("article_id"):
        if not rec["file"]:
            warnings.warn(f"{csv_path}: line {line}: no article_id and no file; row skipped",
                          MetadataWarning, stacklevel=4)
            return None
        rec["article_id"] = Path(rec["file"]).stem
    rec["line"] = line
    return rec


def read_metadata_file(csv_path: Path) -> tuple[pd.DataFrame, bool]:
    """``articles.csv`` as a table, and whether it could be used at all.

    Every problem is a :class:`MetadataWarning` naming the file and line: an unreadable
    file or one with neither ``article_id`` nor ``file`` column (empty table, ``False``),
    a row that cannot be read, a duplicate id or file (the first row is kept).

    Example:
        >>> import tempfile
        >>> csv_path = Path(tempfile.mkdtemp()) / "articles.csv"
        >>> _ = csv_path.write_text("article_id,file,source\\na1,a1.txt,BBC\\n", encoding="utf-8")
        >>> meta, usable = read_metadata_file(csv_path)
        >>> meta[["article_id", "file", "source"]].values.tolist(), usable
        ([['a1', 'a1.txt', 'BBC']], True)
    """
    try:
        _header_line, header, body = read_table(csv_path)
    except (ValueError, OSError) as exc:
        warnings.warn(f"{exc}; metadata left empty for every article", MetadataWarning, stacklevel=3)
        return _meta_frame([], []), False
    if "article_id" not in header and "file" not in header:
        warnings.warn(f"{csv_path}: no article_id or file column; metadata left empty for every article",
                      MetadataWarning, stacklevel=3)
        return _meta_frame([], header), False
    records, seen = [], {}
    for line, fields in body:
        rec = _meta_record(csv_path, line, header, fields)
        if rec is None:
            continue
        keys = [("article_id", rec["article_id"])] + ([("file", _norm_file(rec["file"]))] if rec["file"] else [])
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            what = "article_id" if ("article_id", rec["article_id"]) in seen else "file"
            warnings.warn(f"{csv_path}: line {line}: duplicate {what} {rec[what]!r} (first at line {first}); "
                          f"line {line} skipped, line {first} kept", MetadataWarning, stacklevel=3)
            continue
        seen.update({k: line for k in keys})
        records.append(rec)
    return _meta_frame(records, header), True


def _norm_file(name: str) -> str:
    """A ``file`` value as a normal relative path (``./texts//a1.txt`` → ``texts/a1.txt``)."""
    return os.path.normpath(name.replace("\\", "/"))


def read_metadata(folder: str | Path) -> pd.DataFrame:
    """Read ``articles.csv`` of ``folder`` (empty table when there is none).

    Rows are checked one by one and every problem is a :class:`MetadataWarning` naming
    the file and its 1-based line (the header is line 1): a duplicate ``article_id`` or
    ``file`` keeps the first row; without an ``article_id`` column (or value) the id is
    the stem of ``file`` (``/`` separated); without either column the table is empty.
    Values are strings with surrounding spaces removed (``published`` as written: it is
    parsed by :func:`load_articles`); ``line`` is each row's line.

    Returns:
        DataFrame ``article_id, file, title, source, published, language, url, line`` and
        any other columns of the file, one row per article id.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "articles.csv", "article_id,file,source,published\\n"
        ...                             "a1,a1.txt,الأناضول,2025-04-10\\n")
        >>> read_metadata(folder)[["article_id", "source", "published", "line"]].values.tolist()
        [['a1', 'الأناضول', '2025-04-10', 2]]
    """
    csv_path = Path(folder) / "articles.csv"
    if not csv_path.exists():
        return _meta_frame([], [])
    return read_metadata_file(csv_path)[0]


def file_key(path: Path) -> str:
    """A path compared as the file it names (``texts/../a1.txt`` is ``a1.txt``).

    Example:
        >>> file_key(Path("texts/../a1.txt")) == file_key(Path("a1.txt"))
        True
    """
    return os.path.normcase(os.path.abspath(path))


def article_files(folder: str | Path) -> list[Path]:
    """The ``*.txt`` files of ``folder``, sorted; a link that leads outside the folder is
    skipped with an :class:`ArticleSkipped` warning (a shared folder must not read, or
    publish, files from elsewhere on the machine).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> for name in ["b.txt", "a.txt", "notes.md"]:
        ...     _ = (folder / name).write_text("قال حفتر", encoding="utf-8")
        >>> [p.name for p in article_files(folder)]
        ['a.txt', 'b.txt']
    """
    folder = Path(folder)
    return [p for p in sorted(folder.glob("*.txt")) if _inside(folder, p)]


def _inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` (after links and ``..``) lies inside ``folder``; warns when not."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        warnings.warn(f"{path}: leads outside {folder} (a link or ..); skipped", ArticleSkipped, stacklevel=3)
        return False


def text_paths(folder: Path, meta: pd.DataFrame) -> list[Path]:
    """The ``*.txt`` files of ``folder`` and the existing files ``articles.csv`` names,
    inside the folder only.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> for name in ["a1.txt", "b.text"]:
        ...     _ = (folder / name).write_text("قال حفتر", encoding="utf-8")
        >>> meta = pd.DataFrame({"file": ["b.text", "missing.txt"]})
        >>> [p.name for p in text_paths(folder, meta)]
        ['a1.txt', 'b.text']
    """
    paths = article_files(folder)
    known = {file_key(p) for p in paths}
    for name in meta["file"]:
        path = folder / name
        if name and file_key(path) not in known and path.is_file() and _inside(folder, path):
            paths.append(path)
            known.add(file_key(path))
    return paths


def match_rows(folder: Path, meta: pd.DataFrame, paths: list[Path]) -> dict[str, int]:
    """Row of ``meta`` for each text file (by :func:`file_key`): the row whose ``file``
    names it, else the row whose ``article_id`` is its stem. A ``file`` that does not
    exist is warned about, naming the line.

    Example:
        >>> folder = Path("arts")
        >>> meta = pd.DataFrame({"article_id": ["x", "a2"], "file": ["a1.txt", ""], "line": [2, 3]})
        >>> match = match_rows(folder, meta, [folder / "a1.txt", folder / "a2.txt"])
        >>> sorted((Path(k).name, row) for k, row in match.items())
        [('a1.txt', 0), ('a2.txt', 1)]
    """
    keys = {file_key(p): p for p in paths}
    match: dict[str, int] = {}
    by_id = []
    for i, (aid, name, line) in enumerate(zip(meta["article_id"], meta["file"], meta["line"])):
        key = file_key(folder / name) if name else None
        if key in keys and key not in match:
            match[key] = i
            continue
        if name and key not in keys:
            warnings.warn(f"{folder / 'articles.csv'}: line {line}: file {name!r} not found; "
                          f"matching article_id {aid!r} to a file name instead", MetadataWarning, stacklevel=3)
        by_id.append(i)
    stems = {p.stem: file_key(p) for p in reversed(paths) if file_key(p) not in match}
    for i in by_id:
        key = stems.get(meta["article_id"].iat[i])
        if key is not None and key not in match:
            match[key] = i
    return match


def _read_texts(paths: list[Path], strict: bool) -> tuple[list[dict], dict[str, str]]:
    """Read each file; one that cannot be read is skipped with :class:`ArticleSkipped`."""
    rows, skipped = [], {}
    for path in paths:
        try:
            rows.append(read_article(path))
        except (ArticleError, OSError) as exc:
            if strict:
                raise
            skipped[str(path)] = str(exc)
            warnings.warn(str(exc), ArticleSkipped, stacklevel=3)
    return rows, skipped


def _add_metadata(row: dict, m: dict | None) -> None:
    """Fill an article's id, title, source, dates, url and language from its row ``m``."""
    m = m or {}
    for col in ("source", "url", "language"):
        row[col] = m.get(col, "") or ""
    row["published"] = m.get("published", pd.NaT)
    row["published_raw"] = m.get("published_raw", "")
    row["article_id"] = m.get("article_id") or row["article_id"]
    if m.get("title"):
        row["title"] = m["title"]


def load_articles(folder: str | Path, strict: bool = False, guess_dates: bool = True) -> pd.DataFrame:
    """Load every ``*.txt`` article of a folder with its metadata.

    Metadata comes from ``articles.csv`` beside the texts (:func:`read_metadata`: every
    problem is a :class:`MetadataWarning` naming file and line). Dates are read value by
    value (ISO 8601, RFC 822, mixed zones; :func:`_parse_date`); an ambiguous
    (``03/04/2020``) or unreadable one is left empty with a warning. A row's ``file``
    (``a1.txt`` or ``texts/a1.txt``, relative to the folder) names its text, which is
    loaded even outside the folder's top level; a row without one matches the file
    ``<article_id>.txt``. A date the metadata does not give is guessed from the file name or
    the text and marked in ``published_guess`` (:mod:`akhbar.articles.dateguess`; ``guess_dates=False``
    leaves it empty). An article without a row still loads (metadata empty) with a
    :class:`MetadataWarning`, as does a row without a text. A file that cannot be read,
    or whose id another file already has, is skipped with an :class:`ArticleSkipped`
    warning naming it (or raises with ``strict=True``); the reasons are kept in
    ``df.attrs["skipped"]``.

    Returns:
        DataFrame ``article_id, title, text, source, published, url, language, path,
        encoding, newline, published_raw, published_guess``, one row per article, sorted by
        ``article_id``; ``published`` is UTC-naive ``datetime64``, ``published_raw``
        the value as written, ``published_guess`` ``""`` (given), ``"file name"`` or ``"text"``.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a1.txt").write_text("أردوغان يستقبل حفتر\\nاستقبل الرئيس التركي حفتر.",
        ...                                    encoding="utf-8")
        >>> _ = (folder / "articles.csv").write_text("article_id,file,source,published\\n"
        ...                                          "a1,a1.txt,الأناضول,2025-04-10\\n", encoding="utf-8")
        >>> arts = load_articles(folder)
        >>> arts[["article_id", "title", "source", "published"]].values.tolist()
        [['a1', 'أردوغان يستقبل حفتر', 'الأناضول', Timestamp('2025-04-10 00:00:00')]]
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of articles")
    csv_path = folder / "articles.csv"
    meta, usable = read_metadata_file(csv_path) if csv_path.exists() else (_meta_frame([], []), True)
    meta = _dated(meta, csv_path)
    paths = text_paths(folder, meta)
    match = match_rows(folder, meta, paths)
    rows, skipped = _read_texts(paths, strict)
    out = _with_metadata(rows, match, meta.to_dict("records"), usable, strict, skipped)
    _warn_rows_without_text(folder, meta, set(match.values()), skipped)
    df = pd.DataFrame(out, columns=ARTICLE_COLUMNS + ["published_raw"])
    df["published"] = pd.to_datetime(pd.Series(list(df["published"]), dtype=object), errors="coerce")
    df = guess_missing_dates(df) if guess_dates else df.assign(published_guess="")
    df.attrs["skipped"] = skipped
    return df.sort_values("article_id").reset_index(drop=True)


def _with_metadata(rows: list[dict], match: dict[str, int], records: list[dict], usable: bool,
                   strict: bool, skipped: dict) -> list[dict]:
    """Articles with their row's metadata, those with a row first, so that a file with no
    row whose stem is an id already taken is the one skipped (:class:`ArticleSkipped`,
    recorded in ``skipped``; raised with ``strict``)."""
    out, ids = [], {}
    for row in sorted(rows, key=lambda r: file_key(Path(r["path"])) not in match):
        i = match.get(file_key(Path(row["path"])))
        _add_metadata(row, None if i is None else records[i])
        problem = id_problem(row["article_id"])
        reason = (f"{row['path']}: article id {row['article_id'][:40]!r} cannot name its files: it {problem}"
                  if problem else
                  f"{row['path']}: article_id {row['article_id']!r} is already that of {ids[row['article_id']]}"
                  if row["article_id"] in ids else "")
        if reason:
            if strict:
                raise ArticleError(reason)
            skipped[row["path"]] = reason
            warnings.warn(f"{reason}; file skipped", ArticleSkipped, stacklevel=3)
            continue
        if i is None and usable:
            warnings.warn(f"{row['path']}: no row in articles.csv, metadata left empty",
                          MetadataWarning, stacklevel=3)
        ids[row["article_id"]] = row["path"]
        out.append(row)
    return out


def _warn_rows_without_text(folder: Path, meta: pd.DataFrame, matched: set[int], skipped: dict) -> None:
    """A :class:`MetadataWarning` for each row of ``articles.csv`` that matched no text
    (unless its file was skipped, which was warned already)."""
    failed = {file_key(Path(p)) for p in skipped}
    for i, (aid, name, line) in enumerate(zip(meta["article_id"], meta["file"], meta["line"])):
        target = folder / (name or f"{aid}.txt")
        if i not in matched and file_key(target) not in failed:
            warnings.warn(f"{folder / 'articles.csv'}: line {line}: row {aid} has no text file ({target.name})",
                          MetadataWarning, stacklevel=3)
