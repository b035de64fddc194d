"""Exports for researchers' tools: the span table as CSV, Parquet or an Excel workbook, brat
standoff (.txt + .ann) for brat or INCEpTION, the actor network as GEXF for Gephi, and the
articles as a corpus CSV for quanteda, readtext or Voyant.

CSV files are written as UTF-8 *with* a byte-order mark (``utf-8-sig``): Excel opens a
double-clicked CSV in the machine's legacy code page unless the file starts with a BOM,
which turns Arabic into mojibake; pandas, R (``read.csv``, readr, readtext, quanteda) and
Voyant read the BOM and drop it. Python's ``csv`` module keeps it in the first column name:
open such a file with ``encoding="utf-8-sig"``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
import sys
from pathlib import Path

import networkx as nx
import pandas as pd

from ..files import atomic_path
from ..layers.registry import layer, names_of
from ..pipeline.spantable import SPAN_COLUMNS
from .brat import to_brat  # noqa: F401  (moved to akhbar.io.brat; kept importable from here)

CSV_ENCODING = "utf-8-sig"
"""Encoding of every CSV akhbar writes: UTF-8 with a BOM, so Excel shows Arabic (see above)."""
ARTICLE_SHEET_COLUMNS = ["article_id", "title", "source", "published", "url"]
EXCEL_MAX_ROWS = 1_048_576
"""Rows of one Excel sheet, header included."""
EXCEL_MAX_CHARS = 32_767
"""Characters of one Excel cell."""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet reads as the start of a formula (ASCII and full-width forms, and the
tab or line end a cell may be pasted with)."""
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A table whose text cells a spreadsheet never runs as formulas, for a CSV.

    LibreOffice and Excel run a CSV cell starting with ``= + - @`` (or a tab, a line end)
    as a formula: ``=HYPERLINK(...)`` in a title or an id becomes a live link. Such a
    cell gets a leading apostrophe, which spreadsheets show as text (OWASP's rule); a
    number (``-3``) and a lone sign (a polarity ``-``) stay as they are. Only text
    columns change; numbers, offsets and dates are untouched.

    Example:
        >>> safe = spreadsheet_safe(pd.DataFrame({"title": ['=HYPERLINK("http://x.example","حفتر")', "-", "قال"],
        ...                                       "n": [1, 2, 3]}))
        >>> for title in safe["title"]:
        ...     print(title)
        '=HYPERLINK("http://x.example","حفتر")
        -
        قال
    """
    out = df
    for col in df.columns:
        values = df[col]
        if values.dtype != object and str(values.dtype) not in ("string", "str"):
            continue
        risky = values.map(_formula_like)
        if risky.any():
            if out is df:
                out = df.copy()
            out[col] = values.where(~risky, "'" + values.astype(str))
    return out


def _formula_like(value) -> bool:
    """Whether a cell's text starts like a formula (see :func:`spreadsheet_safe`)."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return False
    return len(value) > 1 and not _NUMBER.fullmatch(value)


class TooManyRows(ValueError):
    """A layer has more spans than one Excel sheet holds: write .parquet or .csv instead.

    Example:
        >>> spans = akhbar.annotate("قال المشير خليفة حفتر إن تركيا تدعم طرابلس")
        >>> book = SpanWorkbook("spans.xlsx")
        >>> book.rows["entity"] = EXCEL_MAX_ROWS - 1  # as if the entity sheet were nearly full
        >>> book.sheets["entity"] = book.book.create_sheet("entity")
        >>> try:
        ...     book.add_spans(spans)
        ... except TooManyRows as exc:
        ...     str(exc)[:58]
        'spans.xlsx: the entity layer has more than 1,048,575 spans'
        >>> book.discard()
    """


def write_spans(spans: pd.DataFrame, path: str | Path, articles: pd.DataFrame | None = None) -> Path:
    """Write the span table as CSV, Parquet or an Excel workbook, by the file's suffix.

    ``.csv`` is UTF-8 with a BOM (:data:`CSV_ENCODING`), so that Excel opens Arabic correctly
    by double click; pandas, R and quanteda read it as plain UTF-8. ``.xlsx`` has one sheet
    per layer present, in the layer registry's order (``entity``, ``framing``, ``date``,
    ``quote``, ``group``: :mod:`akhbar.layers.registry`) and, when ``articles`` is given, a sheet
    ``articles`` (``article_id, title, source, published, url``). The table goes through
    :class:`SpanWriter` as one batch, so it is the file the command line writes. The file is
    written to a temporary name and renamed when complete, so a failed write leaves the
    previous file.

    Args:
        spans: From :func:`akhbar.annotate`.
        path: ``*.csv``, ``*.parquet`` or ``*.xlsx``.
        articles: From :func:`akhbar.load_articles`; only used for ``.xlsx``.

    Raises:
        ValueError: another suffix. TooManyRows: a layer exceeds Excel's 1,048,576 rows.
        UnknownLayer: in ``.xlsx``, a layer the registry does not hold.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from openpyxl import load_workbook
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن تركيا تدعم طرابلس"])
        >>> path = write_spans(akhbar.annotate(arts), Path(tempfile.mkdtemp()) / "spans.xlsx", arts)
        >>> load_workbook(path).sheetnames
        ['entity', 'framing', 'quote', 'articles']
    """
    path = Path(path)
    if path.suffix.lower() not in SPAN_FORMATS:
        raise ValueError(f"{path}: write_spans writes {', '.join(SPAN_SUFFIXES)} files")
    with atomic_path(path) as part:  # the previous file stays until the new one is complete
        writer = SpanWriter(path, part, list(spans.columns), scratch=False)
        try:
            writer.write(spans)
            if articles is not None:
                writer.add_articles(articles)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
    return path


class _CsvSpans:
    """CSV batches: UTF-8 with one BOM at the file's start and the header once (so Excel opens
    Arabic by double click; pandas and R drop the BOM); no cell is ever run as a formula."""

    def __init__(self, path: Path, part: Path, columns: list[str], scratch: bool):
        self.part, self.columns, self.started = part, columns, False

    def write(self, df: pd.DataFrame) -> None:
        if df.empty:
            return
        spreadsheet_safe(df).to_csv(self.part, mode="a" if self.started else "w", header=not self.started,
                                    index=False, encoding="utf-8" if self.started else CSV_ENCODING)
        self.started = True

    def add_articles(self, articles: pd.DataFrame) -> None:
        pass

    def commit(self) -> None:
        if not self.started:
            pd.DataFrame(columns=self.columns).to_csv(self.part, index=False, encoding=CSV_ENCODING)

    def abort(self) -> None:
        pass


class _ParquetSpans:
    """Parquet batches, one row group each, under the first batch's schema (text columns
    held as Python objects are written as text); without rows, the columns of the empty
    table given (as text when none was)."""

    def __init__(self, path: Path, part: Path, columns: list[str], scratch: bool):
        self.part, self.columns, self.writer, self.empty = part, columns, None, None

    def write(self, df: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if df.empty:
            self.empty = df if self.empty is None else self.empty
            return
        table = pa.Table.from_pandas(df.astype({c: "string" for c in df.columns if df[c].dtype == object}),
                                     preserve_index=False)
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.part, table.schema)
        self.writer.write_table(table.cast(self.writer.schema))

    def add_articles(self, articles: pd.DataFrame) -> None:
        pass

    def commit(self) -> None:
        if self.writer is None:
            empty = pd.DataFrame(columns=self.columns).astype(str) if self.empty is None else self.empty
            empty.to_parquet(self.part, index=False)
        else:
            self.writer.close()

    def abort(self) -> None:
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.close()


class _ExcelSpans:
    """An Excel workbook: one sheet per layer, the articles' metadata on ``articles``
    (:class:`SpanWorkbook`); with ``scratch``, its sheets stream to files beside ``part``."""

    def __init__(self, path: Path, part: Path, columns: list[str], scratch: bool):
        self.part, self.columns = part, columns
        self.book = SpanWorkbook(path, scratch=part if scratch else None)
        self.book.columns = columns

    def write(self, df: pd.DataFrame) -> None:
        self.book.add_spans(df)

    def add_articles(self, articles: pd.DataFrame) -> None:
        self.book.add_articles(articles)

    def commit(self) -> None:
        self.book.save(self.part)

    def abort(self) -> None:
        self.book.discard()


class SpanWriter:
    """Append span batches to one CSV, Parquet or Excel file without holding them all.

    The format is the suffix's in :data:`SPAN_FORMATS`, the one table of the span formats,
    for whole tables (:func:`write_spans`) and streams (the command line) alike. The batches
    go to ``part``, a temporary file beside ``path`` (:func:`akhbar.files.atomic_path` renames
    it to ``path`` only when the run succeeds; :meth:`commit` finishes it first,
    :meth:`abort` closes what is open so a failed run leaves no file behind).

    A ``.csv`` is UTF-8 with one BOM at its start (so Excel opens Arabic by double click;
    pandas and R drop it). A ``.xlsx`` is an Excel workbook with one sheet per layer and a
    sheet ``articles`` of the articles' metadata, collected batch by batch
    (:class:`SpanWorkbook`); a layer beyond Excel's 1,048,576 rows per sheet stops the run
    with :class:`TooManyRows` (write ``.parquet`` instead). With ``scratch``, a workbook's
    sheets stream to files beside ``part`` (a long run's memory stays flat; a run that takes
    over a killed run's lock removes them).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> writer = SpanWriter(folder / "spans.csv", folder / "spans.part.csv")
        >>> writer.write(akhbar.annotate("زار أردوغان الدوحة."))
        >>> writer.commit()
        >>> writer.rows, pd.read_csv(folder / "spans.part.csv", encoding="utf-8-sig")["surface"].tolist()
        (2, ['أردوغان', 'الدوحة'])
    """

    def __init__(self, path: Path, part: Path, columns: list[str] | None = None, scratch: bool = True):
        self.path, self.part, self.rows = Path(path), Path(part), 0
        self.suffix = self.path.suffix.lower()
        if self.suffix not in SPAN_FORMATS:
            raise ValueError(f"{path}: spans are written as {', '.join(SPAN_SUFFIXES)} files")
        self.format = SPAN_FORMATS[self.suffix](self.path, self.part, list(columns or SPAN_COLUMNS), scratch)
        self.book = getattr(self.format, "book", None)
        """The workbook (``.xlsx``), for other tables' sheets (``themes``); else None."""

    def add_articles(self, articles: pd.DataFrame) -> None:
        """Keep a batch's article metadata for the workbook's ``articles`` sheet (.xlsx only)."""
        self.format.add_articles(articles)

    def write(self, df: pd.DataFrame) -> None:
        """Append a batch."""
        self.rows += len(df)
        self.format.write(df)

    def commit(self) -> None:
        """Finish the file (``part``), ready to be put in place of ``path``."""
        self.format.commit()

    def abort(self) -> None:
        """Close what is open; the partial file is removed by :func:`akhbar.files.atomic_path`."""
        self.format.abort()


SPAN_FORMATS = {".csv": _CsvSpans, ".parquet": _ParquetSpans, ".xlsx": _ExcelSpans}
"""The span table's output formats, by file suffix: how each writes batches of spans."""
SPAN_SUFFIXES = tuple(SPAN_FORMATS)


class SpanWorkbook:
    """An Excel workbook of spans built batch by batch, with flat memory (openpyxl write-only).

    Rows go to one sheet per layer as batches arrive; the small article metadata is kept
    in memory and written to the sheet ``articles`` at :meth:`save`. A layer with more rows
    than one sheet holds (1,048,575 spans) raises :class:`TooManyRows` naming the layer:
    Excel cannot open it, so the run should write ``.parquet`` or ``.csv`` instead.

    Cells hold the values as they are (numbers as numbers, ``counts`` as TRUE/FALSE);
    text is never read as a formula (a surface starting with ``=`` stays text), characters
    XML cannot hold (control characters) are shown as U+FFFD (never dropped: two ids that
    differ by one stay two), and a text longer than Excel's 32,767 characters per cell is
    cut there.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from openpyxl import load_workbook
        >>> spans = akhbar.annotate("قال المشير خليفة حفتر إن تركيا تدعم طرابلس")
        >>> book = SpanWorkbook()
        >>> book.add_spans(spans.iloc[:2])
        >>> book.add_spans(spans.iloc[2:])
        >>> path = Path(tempfile.mkdtemp()) / "spans.xlsx"
        >>> book.save(path)
        >>> load_workbook(path).sheetnames
        ['entity', 'framing', 'quote']
    """

    def __init__(self, path: str | Path = "spans.xlsx", scratch: str | Path | None = None):
        from openpyxl import Workbook

        self.path = Path(path)
        self.scratch = scratch
        self.book = Workbook(write_only=True)
        self.sheets: dict[str, object] = {}
        self.rows: dict[str, int] = {}
        self.columns: list[str] | None = None
        self.articles: list[pd.DataFrame] = []

    def _sheet(self, name: str):
        """A new sheet; with ``scratch``, its rows stream to ``<scratch>.sheetN`` (beside the
        output, where a run that takes over a killed run's lock removes them) instead of a
        temporary file in the system's folder, which a killed run would leave there."""
        sheet = self.book.create_sheet(name)
        if self.scratch is not None:
            from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter

            out = f"{self.scratch}.sheet{len(self.book.worksheets)}"
            ALL_TEMP_FILES.append(out)  # openpyxl removes it with the others at exit
            sheet._writer = WorksheetWriter(sheet, out=out)
            sheet._writer.write_top()
        return sheet

    def add_spans(self, spans: pd.DataFrame) -> None:
        """Append a batch of spans to the sheets of their layers."""
        if self.columns is None:
            self.columns = list(spans.columns)
        spans = spans.reindex(columns=self.columns)
        for name, rows in spans.groupby("layer", sort=False):
            name = _sheet_name(layer(str(name)).name)  # UnknownLayer: no sheet of a layer nobody knows
            if name not in self.sheets:
                self.sheets[name] = self._sheet(name)
                self.sheets[name].append(self.columns)
                self.rows[name] = 1
            if self.rows[name] + len(rows) > EXCEL_MAX_ROWS:
                raise TooManyRows(
                    f"{self.path}: the {name} layer has more than {EXCEL_MAX_ROWS - 1:,} spans, more than one "
                    "Excel sheet holds; write spans.parquet (or spans.csv) instead")
            sheet = self.sheets[name]
            for row in rows.itertuples(index=False, name=None):
                sheet.append([_cell(sheet, v) for v in row])
            self.rows[name] += len(rows)

    def add_table(self, name: str, rows: pd.DataFrame) -> None:
        """Append rows of another table (``themes``) to a sheet of that name."""
        if name not in self.sheets:
            self.sheets[name] = self._sheet(name)
            self.sheets[name].append(list(rows.columns))
            self.rows[name] = 1
        if self.rows[name] + len(rows) > EXCEL_MAX_ROWS:
            raise TooManyRows(f"{self.path}: the {name} table has more than {EXCEL_MAX_ROWS - 1:,} rows, more than "
                              "one Excel sheet holds; write .parquet (or .csv) instead")
        sheet = self.sheets[name]
        for row in rows.itertuples(index=False, name=None):
            sheet.append([_cell(sheet, v) for v in row])
        self.rows[name] += len(rows)

    def add_articles(self, articles: pd.DataFrame) -> None:
        """Keep a batch's article metadata (not the texts) for the sheet ``articles``."""
        meta = articles.reindex(columns=ARTICLE_SHEET_COLUMNS)
        self.articles.append(meta.drop_duplicates("article_id"))

    def save(self, target: str | Path) -> None:
        """Write the workbook to ``target``: layer sheets in the layer registry's order, then
        other tables (``themes``), then ``articles``; a workbook without spans keeps an empty
        ``entity`` sheet with the header, so the file always opens."""
        if not self.sheets:
            self.sheets["entity"] = self._sheet("entity")
            self.sheets["entity"].append(self.columns or SPAN_COLUMNS)
        order = {_sheet_name(name): i for i, name in enumerate(names_of(with_rows=True))}
        names = sorted(self.sheets, key=lambda n: (order.get(n, len(order)), n))
        for i, name in enumerate(names):
            sheet = self.sheets[name]
            self.book.move_sheet(name, i - self.book.worksheets.index(sheet))
        if self.articles:
            meta = pd.concat(self.articles, ignore_index=True).drop_duplicates("article_id")
            sheet = self.sheets["articles"] = self._sheet("articles")  # discarded with the others
            sheet.append(ARTICLE_SHEET_COLUMNS)
            for row in meta.itertuples(index=False, name=None):
                sheet.append([_cell(sheet, v) for v in row])
        try:
            self.book.save(target)
        except Exception as exc:  # a full disk: one error, not one traceback per stream left open
            with _quiet_finalizers():
                self.discard()
                _drop_frames(exc)
            raise

    def discard(self) -> None:
        """Drop a workbook that will not be saved: end its sheets' streams, remove their temporary files."""
        with _quiet_finalizers():
            for sheet in self.sheets.values():
                with contextlib.suppress(Exception):
                    sheet.close()
                with contextlib.suppress(Exception):
                    sheet._writer.cleanup()
            self.sheets.clear()
            gc.collect()  # the streams' writers end now, while their errors are silenced


@contextlib.contextmanager
def _quiet_finalizers():
    """Errors raised while half-written streams and zip files are closed by the garbage
    collector (a full disk) are not printed: the error that stopped the write is reported."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        yield
    finally:
        sys.unraisablehook = hook


def _drop_frames(exc: BaseException) -> None:
    """Let the frames of a failed save go (and the zip file they hold open) now."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        tb = exc.__traceback__
        while tb is not None:
            with contextlib.suppress(RuntimeError):  # the frames still running stay
                tb.tb_frame.clear()
            tb = tb.tb_next
        exc = exc.__context__
    gc.collect()


def _sheet_name(layer: str) -> str:
    """A valid sheet name for a layer (at most 31 characters, none of []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", "_", layer or "(none)")[:31] or "(none)"


def _cell(sheet, value):
    """A value as an Excel cell: empty for missing values, text never taken as a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.tz_convert("UTC").tz_localize(None) if value.tzinfo else value
        return value.to_pydatetime()
    if isinstance(value, (dt.datetime, dt.date, bool, int, float)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))[:EXCEL_MAX_CHARS]  # "a\x00b" never becomes "ab"
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def actor_graph(graph_or_spans, paras: pd.DataFrame | None = None, article_ids=None) -> nx.Graph:
    """The actor co-occurrence graph with plain attributes that GEXF and GraphML can hold.

    Nodes: ``label`` (the Arabic name, then the English one), ``name_ar``, ``name_en``,
    ``type`` (person, state, organization, ...), ``mentions`` (counted mentions in all the
    articles) and ``articles`` (how many articles name the actor). Edges: ``weight`` (the
    paragraphs naming both actors) and ``articles`` (how many articles those paragraphs are in).

    Args:
        graph_or_spans: A graph from :func:`akhbar.cooccurrence`, or the span table.
        paras: From :func:`akhbar.paragraphs`; needed with a span table.
        article_ids: With a span table, restrict to these articles.

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن تركيا تدعم طرابلس"])
        >>> g = actor_graph(akhbar.annotate(arts), akhbar.paragraphs(arts))
        >>> g.nodes["khalifa_haftar"]["label"], g.edges["khalifa_haftar", "turkey"]["weight"]
        ('خليفة حفتر · Khalifa Haftar', 1)
    """
    from ..layers.entities import actor_names, load_gazetteer
    from ..analysis.naming import arabic_names
    from ..analysis.network import cooccurrence

    spans = None
    if isinstance(graph_or_spans, pd.DataFrame):
        if paras is None:
            raise ValueError("actor_graph: a span table needs paras=akhbar.paragraphs(articles) "
                             "(co-occurrence is counted by paragraph)")
        spans = graph_or_spans
        g = cooccurrence(spans, paras, article_ids)
    else:
        g = graph_or_spans
    ar, en = arabic_names(), actor_names()
    types = load_gazetteer().drop_duplicates("canonical_id").set_index("canonical_id")["type"]
    surfaces: dict = {}
    if spans is not None:
        ent = spans[(spans["layer"] == "entity") & spans["counts"].astype(bool)]
        surfaces = ent.groupby("canonical_id")["surface"].agg(lambda s: s.value_counts().index[0]).to_dict()
        types = pd.concat([ent.drop_duplicates("canonical_id").set_index("canonical_id")["type"], types])
        types = types[~types.index.duplicated()]
    out = nx.Graph()
    for cid in sorted(g.nodes):
        d = g.nodes[cid]
        name_ar = str(ar.get(cid, "") or surfaces.get(cid, "")
                      or (cid[4:].replace("_", " ") if cid.startswith("new:") else ""))
        name_en = str(en.get(cid, "") or ("(not yet reviewed)" if cid.startswith("new:") else cid))
        out.add_node(cid, label=f"{name_ar} · {name_en}" if name_ar else name_en, name_ar=name_ar,
                     name_en=name_en, type=str(types.get(cid, "") or ""), mentions=int(d.get("total", 0)),
                     articles=len(d.get("mentions", {})))
    for u, v, d in sorted((min(u, v), max(u, v), d) for u, v, d in g.edges(data=True)):
        out.add_edge(u, v, weight=int(d.get("weight", 1)), articles=len(d.get("articles", {})))
    return out


def to_gexf(graph_or_spans, path: str | Path, paras: pd.DataFrame | None = None, article_ids=None) -> Path:
    """Write the actor co-occurrence network as GEXF 1.3 for Gephi (:func:`gexf_bytes`).

    Each node is a canonical actor id labelled with its Arabic and English names, with the
    attributes ``name_ar``, ``name_en``, ``type``, ``mentions`` (counted mentions) and
    ``articles``; each edge's ``weight`` is the number of paragraphs naming both actors
    (see :func:`actor_graph`). In Gephi: File > Open, then size nodes by ``mentions``.
    The file is written to a temporary name and renamed when complete.

    Args:
        graph_or_spans: A graph from :func:`akhbar.cooccurrence`, or the span table.
        path: The ``.gexf`` file to write.
        paras: From :func:`akhbar.paragraphs`; needed with a span table.
        article_ids: With a span table, restrict to these articles.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن تركيا تدعم طرابلس"])
        >>> path = to_gexf(akhbar.annotate(arts), Path(tempfile.mkdtemp()) / "actors.gexf",
        ...                paras=akhbar.paragraphs(arts))
        >>> path.name, "خليفة حفتر · Khalifa Haftar" in path.read_text(encoding="utf-8")
        ('actors.gexf', True)
    """
    g = actor_graph(graph_or_spans, paras, article_ids)
    path = Path(path)
    with atomic_path(path) as part:
        part.write_bytes(gexf_bytes(g))
    return path


GEXF_NS = "http://gexf.net/1.3"
"""GEXF 1.3's namespace (the format Gephi 0.9 and later reads)."""
_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def gexf_bytes(g: nx.Graph, description: str = "akhbar actor co-occurrence network") -> bytes:
    """A graph as a GEXF 1.3 document that validates against the format's XML Schema.

    Node and edge attributes (strings, integers, floats, booleans) are declared once per
    class with their types; an edge's ``weight`` is the edge's own weight. Text is
    written as XML escapes it, so a name can hold ``<``, ``&`` or quotes; characters XML
    cannot hold are dropped.

    Example:
        >>> g = nx.Graph()
        >>> g.add_node("turkey", label="تركيا · Turkey", mentions=3)
        >>> g.add_node("qatar", label="قطر · Qatar", mentions=1)
        >>> g.add_edge("turkey", "qatar", weight=2)
        >>> gexf_bytes(g).decode().splitlines()[1]
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">'
    """
    from lxml import etree

    def clean(value) -> str:
        return _NOT_XML.sub("", str(value))

    root = etree.Element(f"{{{GEXF_NS}}}gexf", nsmap={None: GEXF_NS}, version="1.3")
    meta = etree.SubElement(root, f"{{{GEXF_NS}}}meta", lastmodifieddate=dt.date.today().isoformat())
    etree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "akhbar"
    etree.SubElement(meta, f"{{{GEXF_NS}}}description").text = clean(description)
    graph = etree.SubElement(root, f"{{{GEXF_NS}}}graph", mode="static",
                             defaultedgetype="directed" if g.is_directed() else "undirected")
    declared = {}
    for cls, items in (("node", [d for _, d in g.nodes(data=True)]),
                       ("edge", [d for _, _, d in g.edges(data=True)])):
        keys: dict[str, str] = {}
        for d in items:
            for key, value in d.items():
                if key in ("label", "weight") or value is None:
                    continue
                kind = _GEXF_TYPES.get(type(value if not hasattr(value, "item") else value.item()), "string")
                keys[key] = kind if keys.get(key, kind) == kind else "string"
        if keys:
            attrs = etree.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": cls, "mode": "static"})
            for n, (key, kind) in enumerate(keys.items()):
                etree.SubElement(attrs, f"{{{GEXF_NS}}}attribute", id=str(n), title=clean(key), type=kind)
        declared[cls] = {key: str(n) for n, key in enumerate(keys)}

    def values(parent, d, cls):
        pairs = [(declared[cls][k], v) for k, v in d.items() if k in declared[cls] and v is not None]
        if pairs:
            box = etree.SubElement(parent, f"{{{GEXF_NS}}}attvalues")
            for key, value in pairs:
                text = str(value).lower() if isinstance(value, bool) else clean(value)
                etree.SubElement(box, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": text})

    nodes = etree.SubElement(graph, f"{{{GEXF_NS}}}nodes", count=str(g.number_of_nodes()))
    for node, d in g.nodes(data=True):
        element = etree.SubElement(nodes, f"{{{GEXF_NS}}}node", id=clean(node), label=clean(d.get("label", node)))
        values(element, d, "node")
    edges = etree.SubElement(graph, f"{{{GEXF_NS}}}edges", count=str(g.number_of_edges()))
    for n, (u, v, d) in enumerate(g.edges(data=True)):
        element = etree.SubElement(edges, f"{{{GEXF_NS}}}edge", id=str(n), source=clean(u), target=clean(v),
                                   weight=repr(float(d.get("weight", 1.0))))
        values(element, d, "edge")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


CORPUS_CSV_COLUMNS = ["doc_id", "text", "title", "source", "published", "url", "language"]
"""Columns of :func:`to_corpus_csv` (not the archive batches' ``akhbar.corpus.archive.CORPUS_COLUMNS``)."""


def to_corpus_csv(articles: pd.DataFrame, path: str | Path) -> Path:
    """Write the articles as a corpus CSV: one row per article, for quanteda, readtext and Voyant.

    Columns ``doc_id, text, title, source, published, url, language``: ``text`` is the
    article's body as loaded (title line included, as in the span offsets), ``published``
    an ISO date (``2020-07-21``, or with the time when it has one), empty when unknown.
    UTF-8 with a BOM (:data:`CSV_ENCODING`), so Excel opens it too. In R::

        df <- read.csv("corpus.csv", encoding = "UTF-8")   # or readtext::readtext(..., text_field = "text")
        corp <- quanteda::corpus(df, docid_field = "doc_id", text_field = "text")

    Voyant Tools reads it with "Upload", Table: one document per row, documents in
    column 2 (``text``), titles in column 3. Written atomically.

    Args:
        articles: From :func:`akhbar.load_articles` or :func:`akhbar.load_corpus`.
        path: The ``.csv`` file to write.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": ["قال حفتر"],
        ...                                                "published": [pd.Timestamp("2020-07-21")]}))
        >>> path = to_corpus_csv(arts, Path(tempfile.mkdtemp()) / "corpus.csv")
        >>> pd.read_csv(path, keep_default_na=False).iloc[0].tolist()
        ['a1', 'قال حفتر', 'قال حفتر', '', '2020-07-21', '', 'ar']
    """
    df = pd.DataFrame({"doc_id": articles["article_id"].astype(str), "text": articles["text"].astype(str)})
    for col in ("title", "source", "url", "language"):
        df[col] = articles[col].fillna("").astype(str) if col in articles else ""
    df["published"] = (articles["published"].map(_iso_day) if "published" in articles else "")
    df = df[CORPUS_CSV_COLUMNS]
    path = Path(path)
    with atomic_path(path) as part:
        spreadsheet_safe(df).to_csv(part, index=False, encoding=CSV_ENCODING)
    return path


def _iso_day(value) -> str:
    """``2020-07-21`` for a date at midnight, ``2020-07-21T13:05:00`` with a time, "" when missing."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value) or value == "":
        return ""
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        return ""
    return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
