"""Showing Arabic tables and texts in notebooks and exported HTML, right to left.

Small tables are plain escaped HTML (:func:`show`, :func:`rtl_html`). A long table
(:func:`show_table` past :data:`INTERACTIVE_ROWS` rows) is paginated, sortable and
searchable with DataTables, taken offline from the pinned ``itables`` package: its
code is embedded in the page (gzip, base64) with the first such table of a session,
so an exported page works without network, and where scripts do not run (an untrusted
notebook) the table's first rows are shown as a plain table.
"""

from __future__ import annotations

import base64
import functools
import gzip
import html
import json
import re
import warnings

import pandas as pd

MAX_ROWS = 60
INTERACTIVE_ROWS = 50
""":func:`show_table` makes a table interactive when it has more rows than this."""
PAGE_ROWS = 25
"""Rows on one page of an interactive table."""


class RTLTable:
    """A DataFrame rendered as an escaped right-to-left HTML table.

    The table carries ``dir="rtl"`` and every cell ``dir="auto"``, as attributes (not
    CSS), so JupyterLab shows it correctly in an untrusted notebook and browsers lay
    out mixed Arabic, Latin names and digits themselves. ``repr`` is the plain text
    table, which is what nbval compares.

    Example:
        >>> table = RTLTable(pd.DataFrame({"الوسم": ["المشير", "اللواء"]}))
        >>> '<table dir="rtl"' in table._repr_html_()
        True
        >>> table.df["الوسم"].tolist()
        ['المشير', 'اللواء']
    """

    def __init__(self, df: pd.DataFrame, max_rows: int | None = MAX_ROWS, caption: str = ""):
        self.df = df
        self.max_rows = max_rows
        self.caption = caption

    def _repr_html_(self) -> str:
        return rtl_html(self.df, self.max_rows, self.caption)

    def __repr__(self) -> str:
        with pd.option_context("display.max_rows", self.max_rows or len(self.df) + 1,
                               "display.max_columns", None, "display.width", 200):
            return repr(self.df)


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _header(column) -> str:
    """A column name as text: a pivot's tuple («('a1', 'direct')») as «a1 · direct»."""
    return " · ".join(str(c) for c in column if str(c)) if isinstance(column, tuple) else str(column)


def rtl_html(df: pd.DataFrame, max_rows: int | None = MAX_ROWS, caption: str = "") -> str:
    """HTML for ``df`` as a right-to-left table with every value escaped.

    Args:
        df: Any table; its index is shown when it is named or not a plain range.
        max_rows: Rows shown (head and a note of what was left out); None shows all.
        caption: Optional caption above the table.

    Example:
        >>> page = rtl_html(pd.DataFrame({"الفاعل": ["<b>حفتر</b>"]}), caption="الفاعلون")
        >>> '<caption dir="auto">الفاعلون</caption>' in page, "&lt;b&gt;حفتر&lt;/b&gt;" in page
        (True, True)
    """
    show_index = not isinstance(df.index, pd.RangeIndex) or df.index.name is not None
    shown = df if max_rows is None or len(df) <= max_rows else df.head(max_rows)
    head = ([html.escape(str(n or "")) for n in (df.index.names if show_index else [])]
            + [html.escape(_header(c)) for c in df.columns])
    # a wide table scrolls inside its own box, its row labels (the key column) held in view
    out = ['<div style="overflow-x:auto;max-width:100%"><table dir="rtl" class="akhbar-rtl" border="1" '
           'cellpadding="4" style="border-collapse:collapse">']
    if caption:
        out.append(f'<caption dir="auto">{html.escape(caption)}</caption>')
    out.append("<thead><tr>" + "".join(f'<th dir="auto">{h}</th>' for h in head) + "</tr></thead><tbody>")
    for idx, row in zip(shown.index, shown.itertuples(index=False)):
        cells = []
        if show_index:
            keys = idx if isinstance(idx, tuple) else (idx,)
            cells += [f'<th dir="auto" style="position:sticky;right:0;background:#f7f7f7">{html.escape(_cell(k))}</th>'
                      for k in keys]
        cells += [f'<td dir="auto">{html.escape(_cell(v))}</td>' for v in row]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    if len(shown) < len(df):
        out.append(f"<p><em>{len(df) - len(shown)} more rows not shown of {len(df)}.</em></p>")
    return "\n".join(out)


def show(df: pd.DataFrame, max_rows: int | None = MAX_ROWS, caption: str = "") -> RTLTable:
    """Return ``df`` wrapped for right-to-left display (the last line of a cell shows it).

    Example:
        >>> table = show(pd.DataFrame({"الفاعل": ["تركيا", "قطر"]}), caption="الفاعلون")
        >>> type(table).__name__, table.caption
        ('RTLTable', 'الفاعلون')
    """
    return RTLTable(df, max_rows, caption)


class Prose:
    """A paragraph of a notebook's own words around values taken from the data.

    ``template`` is the notebook's HTML (``<b>``, ``<code>``, ``<br>``); each value is
    escaped, so an outlet or title read from an archive never becomes markup. ``repr``
    is the same text without tags (what nbval compares).

    Example:
        >>> Prose("<b>{name}</b> is named {n} times.", name="حفتر", n=3)
        حفتر is named 3 times.
    """

    def __init__(self, template: str, **values):
        self.template = template
        self.values = values

    def _repr_html_(self) -> str:
        escaped = {k: html.escape(str(v)) for k, v in self.values.items()}
        return f'<div dir="auto">{self.template.format(**escaped)}</div>'

    def __repr__(self) -> str:
        text = re.sub(r"<li>", "\n- ", self.template)
        return html.unescape(re.sub(r"<[^>]+>", "", text)).strip().format(**self.values)


def prose(template: str, **values) -> Prose:
    """Show ``template`` (the notebook's HTML) with ``values`` from the data, escaped.

    Example:
        >>> p = prose("<b>{name}</b> is titled «{label}» {n} times.", name="<i>x</i>", label="المشير", n=4)
        >>> p._repr_html_()
        '<div dir="auto"><b>&lt;i&gt;x&lt;/i&gt;</b> is titled «المشير» 4 times.</div>'
        >>> p
        <i>x</i> is titled «المشير» 4 times.
    """
    return Prose(template, **values)


def register_rtl_tables() -> bool:
    """Make every DataFrame in this IPython session render as an RTL table.

    Returns:
        True when an IPython shell was found and the formatter installed.

    Example:
        >>> register_rtl_tables()  # outside IPython there is nothing to register
        False
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    if ip is None:
        return False
    ip.display_formatter.formatters["text/html"].for_type(
        pd.DataFrame, lambda df: rtl_html(df, MAX_ROWS))
    return True


# --- Interactive tables ---------------------------------------------------------------------
_LOADER_JS = """(() => {
  if (window.akhbarTables) return;
  const unzip = async b64 => {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  };
  const load = (async () => {
    const style = document.createElement("style");
    style.textContent = (await unzip("@CSS@")) + "@EXTRA_CSS@";
    document.head.appendChild(style);
    const url = URL.createObjectURL(new Blob([await unzip("@JS@")], {type: "text/javascript"}));
    try { return (await import(url)).default; } finally { URL.revokeObjectURL(url); }
  })();
  const build = async (box, rows) => {
    const DataTable = await load;
    const data = JSON.parse(await unzip(rows));
    const table = box.querySelector("table.akhbar-interactive");
    new DataTable(table, {
      data, order: [], pageLength: @PAGE@, lengthMenu: [10, 25, 100, -1], autoWidth: false,
      deferRender: true, createdRow: row => row.querySelectorAll("td").forEach(td => td.dir = "auto"),
    });
    box.querySelector(".akhbar-preview").hidden = true;
    box.querySelector(".akhbar-live").hidden = false;
    box.dataset.ready = "1";
  };
  window.akhbarTables = {build};
  window.dispatchEvent(new Event("akhbar-tables"));
})();"""
"""Loaded once per page: DataTables' CSS and module from gzip+base64 (no network, no
require.js), and ``build``, which makes one table's box interactive from its rows."""

_TABLE_JS = """(() => {
  const box = document.currentScript.previousElementSibling;
  const go = () => window.akhbarTables.build(box, "@ROWS@");
  if (window.akhbarTables) go(); else window.addEventListener("akhbar-tables", go, {once: true});
})();"""

_EXTRA_CSS = "table.akhbar-interactive td,table.akhbar-interactive th{text-align:start}"
"""The table's own cells read from the right (the controls around it are the page's, English)."""
_loader_sent = False


def _zip64(text: str) -> str:
    return base64.b64encode(gzip.compress(text.encode("utf-8"), 9, mtime=0)).decode("ascii")


@functools.lru_cache(maxsize=1)
def loader_html() -> str:
    """The ``<script>`` that loads DataTables for the interactive tables of a page.

    It is the pinned ``itables`` package's offline DataTables bundle, gzipped into the
    page (about 260 kB); :func:`show_table` adds it to the first interactive table of a
    session, so call this only to build a page by hand.

    Raises:
        ImportError: ``itables`` is not installed (``pip install itables``).

    Example:
        >>> loader_html().startswith('<script data-akhbar="loader">')
        True
    """
    try:
        from itables.utils import find_package_file
    except ImportError as exc:
        raise ImportError("interactive tables need the itables package: pip install itables") from exc
    js = find_package_file("html/dt_bundle.js")
    script = (_LOADER_JS.replace("@PAGE@", str(PAGE_ROWS)).replace("@EXTRA_CSS@", _EXTRA_CSS)
              .replace("@CSS@", _zip64(js.with_suffix(".css").read_text(encoding="utf-8")))
              .replace("@JS@", _zip64(js.read_text(encoding="utf-8"))))
    return f'<script data-akhbar="loader">{script}</script>'


def _table_rows(df: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Header and rows as the plain table shows them (index as leading columns), escaped."""
    show_index = not isinstance(df.index, pd.RangeIndex) or df.index.name is not None
    flat = df.reset_index() if show_index else df
    head = [html.escape(_header(c)) for c in flat.columns]
    rows = [[html.escape(_cell(v)) for v in row] for row in flat.itertuples(index=False)]
    return head, rows


def interactive_html(df: pd.DataFrame, caption: str = "", preview_rows: int = MAX_ROWS,
                     loader: bool = True) -> str:
    """HTML for ``df`` as a paginated, sortable, searchable right-to-left table.

    Every value is HTML-escaped before it reaches the page, so an article title such as
    ``<script>`` is shown as text. The rows travel gzipped in the table's own script;
    until it runs (or where scripts never run) the first ``preview_rows`` rows are shown
    as a plain :func:`rtl_html` table with a note of how many rows there are.

    Args:
        df: Any table; its index is shown as leading columns when named or not a range.
        caption: Optional caption above the table.
        preview_rows: Rows of the plain preview.
        loader: Include :func:`loader_html` (once per page is enough).

    Example:
        >>> df = pd.DataFrame({"الوسم": ["المشير", "<b>اللواء</b>"] * 40})
        >>> page = interactive_html(df, loader=False)
        >>> "80 rows" in page and "<b>" not in page and 'dir="rtl"' in page
        True
    """
    head, rows = _table_rows(df)
    note = (f"{len(df)} rows: showing the first {min(preview_rows, len(df))}; the whole table is "
            "paginated, sortable and searchable where the page's scripts run (exported HTML, "
            "trusted notebook).")
    preview = rtl_html(df.head(preview_rows), None, caption)
    cap = f'<caption dir="auto">{html.escape(caption)}</caption>' if caption else ""
    live = ('<div class="akhbar-live" hidden="hidden">'
            f'<table dir="rtl" class="akhbar-rtl akhbar-interactive display compact" style="width:100%">{cap}'
            "<thead><tr>" + "".join(f'<th dir="auto">{h}</th>' for h in head) + "</tr></thead></table></div>")
    box = (f'<div class="akhbar-table"><div class="akhbar-preview">{preview}'
           f"<p><em>{html.escape(note)}</em></p></div>{live}</div>")
    rows_b64 = _zip64(json.dumps(rows, ensure_ascii=False))
    script = '<script data-akhbar="table">' + _TABLE_JS.replace("@ROWS@", rows_b64) + "</script>"
    return (loader_html() if loader else "") + box + script


class InteractiveTable(RTLTable):
    """A long DataFrame shown as an interactive RTL table (see :func:`interactive_html`).

    The first one rendered in a session carries the DataTables loader; ``repr`` is the
    plain text of the first rows, as for :class:`RTLTable`.

    Example:
        >>> table = InteractiveTable(pd.DataFrame({"الفاعل": ["تركيا"] * 80}))
        >>> repr(table).splitlines()[-1]
        '[80 rows; the first 60 shown]'
    """

    def __repr__(self) -> str:
        shown = self.max_rows or MAX_ROWS
        with pd.option_context("display.max_rows", shown + 1, "display.max_columns", None, "display.width", 200):
            text = repr(self.df.head(shown))
        return f"{text}\n[{len(self.df)} rows; the first {min(shown, len(self.df))} shown]"

    def _repr_html_(self) -> str:
        global _loader_sent
        try:
            page = interactive_html(self.df, self.caption, self.max_rows or MAX_ROWS, loader=not _loader_sent)
        except ImportError as exc:
            warnings.warn(f"{exc}; showing the first {MAX_ROWS} rows as a plain table", stacklevel=2)
            return rtl_html(self.df, MAX_ROWS, self.caption)
        _loader_sent = True
        return page


def show_table(df: pd.DataFrame, caption: str = "", interactive_from: int = INTERACTIVE_ROWS) -> RTLTable:
    """Show ``df`` whole: a plain RTL table when short, an interactive one when long.

    Tables with at most ``interactive_from`` rows are :class:`RTLTable` (every row, no
    script); longer ones are :class:`InteractiveTable` (pages of :data:`PAGE_ROWS` rows,
    sorting by any column, a search box, all offline).

    Example:
        >>> type(show_table(pd.DataFrame({"الفاعل": ["تركيا", "قطر"]}))).__name__
        'RTLTable'
        >>> type(show_table(pd.DataFrame({"الفاعل": ["تركيا"] * 51}))).__name__
        'InteractiveTable'
    """
    if len(df) <= interactive_from:
        return RTLTable(df, None, caption)
    return InteractiveTable(df, MAX_ROWS, caption)
