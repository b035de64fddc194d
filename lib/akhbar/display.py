"""Showing Arabic tables and texts in notebooks and exported HTML, right to left."""

from __future__ import annotations

import html

import pandas as pd

MAX_ROWS = 60


class RTLTable:
    """A DataFrame rendered as an escaped right-to-left HTML table.

    The table carries ``dir="rtl"`` and every cell ``dir="auto"``, as attributes (not
    CSS), so JupyterLab shows it correctly in an untrusted notebook and browsers lay
    out mixed Arabic, Latin names and digits themselves. ``repr`` is the plain text
    table, which is what nbval compares.
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


def rtl_html(df: pd.DataFrame, max_rows: int | None = MAX_ROWS, caption: str = "") -> str:
    """HTML for ``df`` as a right-to-left table with every value escaped.

    Args:
        df: Any table; its index is shown when it is named or not a plain range.
        max_rows: Rows shown (head and a note of what was left out); None shows all.
        caption: Optional caption above the table.
    """
    show_index = not isinstance(df.index, pd.RangeIndex) or df.index.name is not None
    shown = df if max_rows is None or len(df) <= max_rows else df.head(max_rows)
    head = ([html.escape(str(n or "")) for n in (df.index.names if show_index else [])]
            + [html.escape(str(c)) for c in df.columns])
    out = ['<table dir="rtl" class="akhbar-rtl" border="1" cellpadding="4" '
           'style="border-collapse:collapse">']
    if caption:
        out.append(f'<caption dir="auto">{html.escape(caption)}</caption>')
    out.append("<thead><tr>" + "".join(f'<th dir="auto">{h}</th>' for h in head) + "</tr></thead><tbody>")
    for idx, row in zip(shown.index, shown.itertuples(index=False)):
        cells = []
        if show_index:
            keys = idx if isinstance(idx, tuple) else (idx,)
            cells += [f'<th dir="auto">{html.escape(_cell(k))}</th>' for k in keys]
        cells += [f'<td dir="auto">{html.escape(_cell(v))}</td>' for v in row]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if len(shown) < len(df):
        out.append(f"<p><em>{len(df) - len(shown)} more rows not shown of {len(df)}.</em></p>")
    return "\n".join(out)


def show(df: pd.DataFrame, max_rows: int | None = MAX_ROWS, caption: str = "") -> RTLTable:
    """Return ``df`` wrapped for right-to-left display (the last line of a cell shows it)."""
    return RTLTable(df, max_rows, caption)


def register_rtl_tables() -> bool:
    """Make every DataFrame in this IPython session render as an RTL table.

    Returns:
        True when an IPython shell was found and the formatter installed.
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
