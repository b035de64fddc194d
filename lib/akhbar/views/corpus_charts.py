"""Corpus charts (notebook 05): mentions, labels and themes month by month, time on a true scale.

They draw the tables :mod:`akhbar.corpus.store` aggregates from an archive; like the comparison
charts, each figure carries ``fig.akhbar_data`` and ``fig.akhbar_caption``.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..layers.entities import actor_names
from .charts import THEME_COLORS, THEME_NAMES
from .style import figure, label, legend, time_axis, title

UNKNOWN_MONTH = "unknown"


def month_middle(months: pd.Series) -> pd.Series:
    """``YYYY-MM`` months as the middle of each month (``unknown`` becomes NaT), so that
    months sit on a true time scale: a gap of a year looks like a year.

    Example:
        >>> month_middle(pd.Series(["2020-07", "unknown"])).tolist()
        [Timestamp('2020-07-16 12:00:00'), NaT]
    """
    start = pd.to_datetime(months.where(months != UNKNOWN_MONTH), format="%Y-%m", errors="coerce")
    return start + (start + pd.offsets.MonthBegin(1) - start) / 2


def _undated_note(n: int, what: str) -> str:
    return f" {n} {what} of undated articles are left out of the time axis." if n else ""


def plot_corpus_mentions(mentions: pd.DataFrame, actors: list[str]):
    """Counted mentions of some actors per month, all outlets together, on a true time scale.

    A month without any article is a gap in the line, not a zero.

    Args:
        mentions: ``month, outlet, canonical_id, mentions`` (:func:`akhbar.aggregate`).
        actors: Canonical ids to draw, in legend order.

    Returns:
        The Figure; ``fig.akhbar_data`` is the month x actor table drawn.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> mentions = pd.DataFrame({"month": ["2020-07", "2020-07", "2021-01", "unknown"], "outlet": "الجزيرة",
        ...                          "canonical_id": ["turkey", "khalifa_haftar", "turkey", "turkey"],
        ...                          "mentions": [3, 2, 1, 4]})
        >>> fig = plot_corpus_mentions(mentions, ["turkey", "khalifa_haftar"])
        >>> fig.akhbar_data["turkey"].tolist()  # August to December 2020: no articles, a gap
        [3.0, nan, nan, nan, nan, nan, 1.0]
        >>> plt.close(fig)
    """
    chosen = mentions[mentions["canonical_id"].isin(actors)]
    undated = int(chosen.loc[chosen["month"] == UNKNOWN_MONTH, "mentions"].sum())
    dated = chosen[chosen["month"] != UNKNOWN_MONTH]
    table = dated.pivot_table(index="month", columns="canonical_id", values="mentions", aggfunc="sum",
                              fill_value=0).reindex(columns=[a for a in actors if a in set(dated["canonical_id"])])
    all_months = mentions.loc[mentions["month"] != UNKNOWN_MONTH, "month"].drop_duplicates().sort_values()
    table = table.reindex(all_months, fill_value=0)  # a month with articles but no mention is a zero
    if len(table):  # a month without articles is a gap
        every = pd.period_range(table.index.min(), table.index.max(), freq="M").strftime("%Y-%m")
        table = table.reindex(every)
    x = month_middle(pd.Series(table.index, dtype=object))
    fig, ax = figure(10, 5)
    names = actor_names()
    # a marker and a dash pattern of its own: a line hidden under another still shows its marks
    for i, actor in enumerate(table.columns):
        ax.plot(x, table[actor], marker="osD^vPX*"[i % 8], ms=5, ls=["-", "--", ":", "-."][i // 2 % 4],
                lw=1.4, alpha=0.85, label=label(names.get(actor, actor)))
    if len(table):
        ax.set_xlim(x.min() - pd.Timedelta(days=20), x.max() + pd.Timedelta(days=20))
    time_axis(ax)
    ax.set_xlabel("month of publication (true time scale; a break in a line: no articles that month)")
    ax.set_ylabel("counted mentions (all outlets)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    handles, _labels = ax.get_legend_handles_labels()
    if handles:
        legend(fig, handles, ncols=4)
    title(ax, "ذكر الفاعلين شهراً بشهر", "Actor mentions per month")
    fig.akhbar_data = table
    with_articles = int(table.notna().all(axis=1).sum()) if table.shape[1] else 0
    fig.akhbar_caption = (
        f"**Mentions over time.** Counted mentions of {table.shape[1]} actors per month of "
        f"publication, all outlets together, over {with_articles} months with articles"
        + (f" from {table.index[0]} to {table.index[-1]}" if len(table) else "")
        + "; the axis keeps the true distance between months, and a month without articles breaks the line."
        + _undated_note(undated, "mentions"))
    return fig


def plot_label_years(table: pd.DataFrame, what: str, most: int = 8):
    """Counts of the labels of one actor per year, stacked, years on a true scale.

    Args:
        table: ``month, label, n`` (a label table of :func:`akhbar.aggregate`).
        what: What the labels are, for the axis («title cues for Khalifa Haftar»).
        most: Labels drawn one by one; the rest are summed as «(other labels)».

    Returns:
        The Figure (None for an empty table); ``fig.akhbar_data`` is the year x label table.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> titles = pd.DataFrame({"month": ["2019-04", "2020-07", "2020-08"],
        ...                        "label": ["المشير", "اللواء المتقاعد", "المشير"], "n": [2, 1, 3]})
        >>> fig = plot_label_years(titles, "titles of Khalifa Haftar")
        >>> fig.akhbar_data.to_dict("index")
        {2019: {'المشير': 2, 'اللواء المتقاعد': 0}, 2020: {'المشير': 3, 'اللواء المتقاعد': 1}}
        >>> plt.close(fig)
    """
    if table.empty:
        return None
    undated = int(table.loc[table["month"] == UNKNOWN_MONTH, "n"].sum())
    table = table[table["month"] != UNKNOWN_MONTH]
    ranked = table.groupby("label")["n"].sum().reset_index().sort_values(["n", "label"], ascending=[False, True])
    keep = list(ranked["label"].head(most))
    other = "(other labels)"
    table = table.assign(label=table["label"].where(table["label"].isin(set(keep)), other),
                         year=table["month"].str[:4].astype(int))
    by_year = table.pivot_table(index="year", columns="label", values="n", aggfunc="sum", fill_value=0)
    by_year = by_year[[c for c in [*keep, other] if c in by_year.columns]]
    fig, ax = figure(9, 4.8)
    bottom = np.zeros(len(by_year))
    colors = plt.get_cmap("tab10").colors
    for i, lab in enumerate(by_year.columns):
        ax.bar(by_year.index, by_year[lab], bottom=bottom, width=0.7,
               color="#cccccc" if lab == other else colors[i % len(colors)], label=label(lab))
        bottom += by_year[lab].to_numpy()
    years = list(by_year.index)
    step = max(1, math.ceil(len(range(min(years), max(years) + 1)) / 12)) if years else 1
    ax.set_xticks(range(min(years), max(years) + 1, step) if years else [])  # whole years only
    ax.set_xlim(min(years) - 0.6, max(years) + 0.6) if years else None
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year of publication")
    ax.set_ylabel("count")
    ax.set_title(label(what[:1].upper() + what[1:]) + ", per year", fontsize=11)
    handles, _labels = ax.get_legend_handles_labels()
    legend(fig, handles, ncols=4)
    fig.akhbar_data = by_year
    fig.akhbar_caption = (
        f"**{what[:1].upper() + what[1:]} per year.** The {min(most, len(ranked))} commonest labels of "
        f"{len(ranked)}, all outlets, stacked per year"
        + (f", the rest as «{other}»" if len(ranked) > most else "") + "."
        + _undated_note(undated, "labels"))
    return fig


def plot_corpus_themes(shares: pd.DataFrame):
    """Share of each theme per month as stacked bars at their true place in time.

    Bars, not a stacked area: an area would draw wedges between months that may lie far
    apart and have no articles between them.

    Args:
        shares: Month x theme table of shares (rows sum to 1), months ``YYYY-MM``.

    Returns:
        The Figure; ``fig.akhbar_data`` is the table drawn (undated rows left out).

    Example:
        >>> import matplotlib.pyplot as plt
        >>> shares = pd.DataFrame({"MIL": [0.5, 0.25, 0.1], "DIP": [0.5, 0.75, 0.9]},
        ...                       index=["2020-07", "2025-04", "unknown"])
        >>> fig = plot_corpus_themes(shares)
        >>> fig.akhbar_data.index.tolist(), fig.akhbar_caption[:23]
        (['2020-07', '2025-04'], '**Themes over time.** S')
        >>> plt.close(fig)
    """
    undated = int((shares.index == UNKNOWN_MONTH).sum())
    shares = shares[shares.index != UNKNOWN_MONTH]
    x = month_middle(pd.Series(shares.index, dtype=object))
    fig, ax = figure(10, 5)
    bottom = np.zeros(len(shares))
    width = pd.Timedelta(days=24)
    for theme in shares.columns:
        ax.bar(x, shares[theme], bottom=bottom, width=width, color=THEME_COLORS.get(theme, "#999999"),
               label=f"{theme} {label(THEME_NAMES.get(theme, (theme, theme))[0])}")
        bottom += shares[theme].to_numpy()
    if len(shares):
        ax.set_xlim(x.min() - pd.Timedelta(days=31), x.max() + pd.Timedelta(days=31))
    time_axis(ax)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax.set_xlabel("month of publication (true time scale; no bar: no articles that month)")
    ax.set_ylabel("share of theme assignments")
    handles, _labels = ax.get_legend_handles_labels()
    if handles:
        legend(fig, handles, ncols=5)
    title(ax, "الموضوعات شهراً بشهر", "Themes per month")
    fig.akhbar_data = shares
    fig.akhbar_caption = (
        f"**Themes over time.** Share of each theme among the theme assignments of body paragraphs in {len(shares)} "
        "months with articles, one stacked bar per month at its place in time (MIL military, DIP diplomacy, ECO "
        "economy, LEG legitimacy, WAR war, AXIS regional axes, DOM domestic politics, PROC political process)."
        + (" Undated articles are left out of the time axis." if undated else ""))
    return fig
