"""Comparison charts: every Arabic string goes through :func:`akhbar.label` once, titles bilingual.

Every chart holds for one to twelve articles. An article keeps one colour in every chart
(:func:`article_colors`, in order of publication); legends sit outside the plotting area,
where ``layout="constrained"`` makes room for them; with more than :data:`MANY_ARTICLES`
articles the paired bars of actors and themes become a table of shaded cells, since a
dozen bars per row cannot be told apart. Each figure carries ``fig.akhbar_data`` (the
table drawn) and ``fig.akhbar_caption`` (a caption written from that table, see
:func:`caption`).
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..analysis.chronology import timeline
from ..analysis.comparison import legitimacy_by_target, theme_matrix
from ..analysis.keywords import G2_THRESHOLD, keyness
from ..analysis.naming import arabic_names, article_labels, article_order, own_names
from ..analysis.network import cooccurrence
from ..layers.entities import actor_counts, actor_names
from ..layers.themes import THEMED_ZONES, THEMES, paragraph_themes
from ..resources import read_data
from .style import figure, label, legend, save_fig, time_axis, title
from .written import bdi

_THEME_TABLE = read_data("theme_names.csv").set_index("theme")
THEME_NAMES = {t: (r["name_ar"], r["name_en"]) for t, r in _THEME_TABLE.iterrows()}
"""Short Arabic and English names of the codebook themes, for legends (``data/theme_names.csv``)."""
THEME_COLORS = {t: f"#{c}" for t, c in _THEME_TABLE["color"].items()}
"""One colour per theme, the same in every chart (``data/theme_names.csv``)."""
ARTICLE_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
                  "#e377c2", "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939"]
"""Twelve colours told apart in print and on screen, one per article in order of
publication; a thirteenth article takes the first colour again."""
SEVERAL_COLOR = "#555555"
"""Actors named by several articles (network)."""
POLARITY_COLORS = {"+": "#4daf4a", "0": "#bdbdbd", "-": "#e41a1c"}
POLARITY_NAMES = {"+": "+ legitimising", "0": "0 descriptive", "-": "− delegitimising"}
MANY_ARTICLES = 4
"""Above this many articles, actors and themes are drawn as shaded cells, not paired bars."""
PERIOD = {"year": pd.DateOffset(years=1), "month": pd.DateOffset(months=1), "week": pd.DateOffset(days=7)}
"""How long a date of each precision lasts: «عام 2020» is all of 2020, not 1 January."""


def actor_label(cid: str, own: pd.Series | None = None) -> str:
    """Two-line chart label of an actor: Arabic name over its English name. The Arabic is
    the articles' own name for it when ``own`` (:func:`akhbar.analysis.naming.own_names`) has one,
    else the gazetteer's. A name the pattern layer proposed («new:…») shows its Arabic
    words over "(not yet reviewed)".

    Example:
        >>> actor_label("turkey")
        'تركيا\\nTurkey'
        >>> actor_label("france", pd.Series({"france": "فرنسا"}))
        'فرنسا\\nFrance'
        >>> actor_label("new:النهضه_الجديده")
        'النهضه الجديده\\n(not yet reviewed)'
    """
    ar, en = _two_names(cid, own)
    return f"{label(ar)}\n{en}" if ar else en


def actor_text(cid: str, own: pd.Series | None = None) -> str:
    """An actor in English prose (Markdown/HTML): «Turkey (<bdi>تركيا</bdi>)», the Arabic as
    in :func:`actor_label`.

    Example:
        >>> actor_text("turkey")
        'Turkey (<bdi>تركيا</bdi>)'
    """
    ar, en = _two_names(cid, own)
    if cid.startswith("new:"):
        return f"{bdi(ar)} {en}"
    return f"{en} ({bdi(ar)})" if ar else en


def _two_names(cid: str, own: pd.Series | None = None) -> tuple[str, str]:
    """The Arabic and English names of an actor: the articles' own Arabic name when
    ``own`` has it; a proposed name («new:…») is its Arabic words and "(not yet reviewed)"."""
    mine = own.get(cid, "") if own is not None else ""
    if cid.startswith("new:"):
        return mine or cid[4:].replace("_", " "), "(not yet reviewed)"
    return mine or arabic_names().get(cid, ""), actor_names().get(cid, cid)


def article_colors(articles: pd.DataFrame) -> dict[str, str]:
    """One colour per article, the same in every chart of the same articles.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["b", "a"],
        ...                      "published": pd.to_datetime(["2020-01-01", "2025-01-01"])})
        >>> article_colors(arts)
        {'b': '#1f77b4', 'a': '#d62728'}
    """
    return {a: ARTICLE_COLORS[i % len(ARTICLE_COLORS)] for i, a in enumerate(article_order(articles))}


def caption(fig, agreement: pd.DataFrame | None = None):
    """The figure's caption, written from the data it draws, as Markdown for the notebook.

    With ``agreement`` (:func:`akhbar.agreement`), a chart drawn from one layer's coding
    (actors, legitimacy cues, dates) also says how far that coding was checked by hand.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> fig = plot_actor_bars(akhbar.annotate(arts), arts)
        >>> caption(fig).data[:45]
        '**Actors.** The 6 most named actors of 2 arti'
        >>> caption(fig, akhbar.agreement(akhbar.annotate(arts), "no corrections")).data.splitlines()[-1][:60]
        '*Checked by hand: actor mentions: not reviewed yet (akhbar.r'
        >>> plt.close(fig)
    """
    from IPython.display import Markdown

    text = fig.akhbar_caption
    trust = getattr(fig, "akhbar_trust", None)
    if agreement is not None and trust is not None:
        from ..analysis.reliability import agreement_note

        text += f"\n\n*Checked by hand: {agreement_note(agreement, *trust)}*"
    return Markdown(text)


def _article_handles(articles: pd.DataFrame, aids, suffix: str = "") -> list[Patch]:
    names, colors = article_labels(articles), article_colors(articles)
    return [Patch(color=colors[a], label=label(names.get(a, a)) + suffix) for a in article_order(articles) if a in aids]


def _cells(fig, ax, table: pd.DataFrame, row_labels: list[str], articles: pd.DataFrame, text, unit: str) -> None:
    """Rows x articles as shaded cells with their values written in; article names in their colours."""
    values = table.to_numpy(dtype=float)
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(values.max(initial=0), 1e-9))
    top = values.max(initial=0)
    for (i, j), v in np.ndenumerate(values):
        if v > 0:
            ax.text(j, i, text(v), ha="center", va="center", fontsize=7,
                    color="white" if v > 0.6 * top else "black")
    names, colors = article_labels(articles), article_colors(articles)
    ax.set_xticks(range(table.shape[1]), [label(names.get(a, a)) for a in table.columns], rotation=90, fontsize=8)
    for tick, aid in zip(ax.get_xticklabels(), table.columns):
        tick.set_color(colors.get(aid, "black"))
    ax.set_yticks(range(len(row_labels)), row_labels, fontsize=8)
    ax.tick_params(length=0)
    fig.colorbar(image, ax=ax, label=unit, shrink=0.5, aspect=30)


def _paired_bars(fig, ax, table: pd.DataFrame, row_labels: list[str], articles: pd.DataFrame) -> None:
    """Rows x articles as grouped horizontal bars, faint rules between the groups."""
    colors = article_colors(articles)
    y = np.arange(len(table))
    h = 0.8 / max(table.shape[1], 1)
    for i, aid in enumerate(table.columns):
        ax.barh(y + (i - (table.shape[1] - 1) / 2) * h, table[aid], height=h, color=colors[aid])
    for edge in y[1:] - 0.5:  # a two-line label belongs to one group, not to one bar
        ax.axhline(edge, color="#dddddd", lw=0.6, zorder=0)
    ax.set_yticks(y, row_labels, fontsize=8)
    ax.set_ylim(len(table) - 0.5, -0.5)
    legend(fig, _article_handles(articles, table.columns))


def plot_actor_bars(spans: pd.DataFrame, articles: pd.DataFrame, top: int = 12):
    """Counted mentions of the most named actors in each article.

    Paired bars for up to :data:`MANY_ARTICLES` articles, shaded cells for more.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the plotted actor x article table.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> fig = plot_actor_bars(akhbar.annotate(arts), arts)
        >>> fig.akhbar_data.loc[["khalifa_haftar", "erdogan"]].values.tolist()
        [[1, 1], [0, 1]]
        >>> plt.close(fig)
    """
    counts = actor_counts(spans).head(top)
    order = [a for a in article_order(articles) if a in counts.columns]
    own = own_names(spans)
    rows = [actor_label(c, own) for c in counts.index]
    many = len(order) > MANY_ARTICLES
    fig, ax = figure(0.45 * len(order) + 4.5 if many else 8, (0.5 if many else 0.62) * len(counts) + 2.4)
    if many:
        _cells(fig, ax, counts[order], rows, articles, lambda v: f"{v:.0f}", "counted mentions")
    else:
        _paired_bars(fig, ax, counts[order], rows, articles)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("counted mentions (codebook counting rule)")
    title(ax, "الفاعلون الأكثر ذكراً في كل مقال", "Most named actors in each article")
    fig.akhbar_data = counts
    total = counts.sum(axis=1)
    lead = "; ".join(f"{actor_text(c, own)} {int(total[c])}" for c in counts.index[:3])
    fig.akhbar_trust = ("entity", "(all)", "actor mentions")
    fig.akhbar_caption = (
        f"**Actors.** The {len(counts)} most named actors of {_articles(len(order))}, counted mentions per article "
        "(codebook counting rule: names, and capitals acting as their state; bylines and boilerplate left out)"
        + (f". Most named in all: {lead}." if len(counts) else ". No actor is named.")
        + (" *Alt text: shaded table, one column per article.*" if many
           else " *Alt text: paired horizontal bars, one colour per article.*"))
    return fig


def plot_theme_shares(themes: pd.DataFrame, articles: pd.DataFrame):
    """Share of each article's paragraphs per theme (split weighting).

    Paired bars for up to :data:`MANY_ARTICLES` articles, shaded cells for more.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the article x theme matrix.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> themes = akhbar.paragraph_themes(arts, akhbar.paragraphs(arts))
        >>> fig = plot_theme_shares(themes, arts)
        >>> fig.akhbar_data.loc["b"].round(2).to_dict()
        {'WAR': 0.0, 'AXIS': 0.0, 'DOM': 1.0}
        >>> plt.close(fig)
    """
    matrix = theme_matrix(themes)
    matrix = matrix.loc[:, (matrix > 0).any(axis=0)]
    order = [a for a in article_order(articles) if a in matrix.index]
    table = matrix.loc[order].T
    rows = [f"{label(THEME_NAMES[t][0])}\n{t} · {THEME_NAMES[t][1]}" for t in table.index]
    many = len(order) > MANY_ARTICLES
    fig, ax = figure(0.45 * len(order) + 5 if many else 8, (0.5 if many else 0.55) * len(table) + 2.4)
    if many:
        _cells(fig, ax, table, rows, articles, lambda v: f"{v:.0%}", "share of paragraphs")
    else:
        _paired_bars(fig, ax, table, rows, articles)
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
        ax.set_xlabel("share of paragraphs (title, subheads, body;\na paragraph's weight split among its themes)")
    title(ax, "موضوعات الفقرات في كل مقال", "Paragraph themes in each article")
    fig.akhbar_data = matrix
    names = article_labels(articles)
    main = [f"{bdi(names.get(a, a))}: {THEME_NAMES[t][1]} {matrix.loc[a, t]:.0%}"
            for a in order for t in [matrix.loc[a].drop("NONE", errors="ignore").idxmax()]
            if matrix.loc[a].drop("NONE", errors="ignore").max() > 0]
    none = matrix["NONE"].reindex(order).mean() if "NONE" in matrix and order else 0.0
    fig.akhbar_caption = (
        f"**Themes.** Share of the title, subhead and body paragraphs of {_articles(len(order))} per theme "
        "(codebook section 3), a paragraph's weight split equally among its one to three themes. "
        + (f"Leading theme per article: {'; '.join(main)}. " if main else "")
        + f"On average {none:.0%} of the paragraphs get no theme."
        + (" *Alt text: shaded table, one column per article.*" if many
           else " *Alt text: grouped horizontal bars per theme, one colour per article.*"))
    return fig


def plot_keyness(tokens: pd.DataFrame, articles: pd.DataFrame, target_ids=None, reference_ids=None, n: int = 10,
                 table: pd.DataFrame | None = None, groups: dict[str, list[str]] | None = None):
    """Top key words on each side: target group on the right, reference on the left.

    ``table`` is :func:`keyness` of the same groups when it is computed already (notebook
    03 computes it); it is computed here otherwise. ``groups`` (from
    :func:`akhbar.analysis.naming.article_groups`) names the sides: its first group is the
    target, its second the reference (with more groups, all the others), in place of
    ``target_ids`` and ``reference_ids``.

    With a single article there is nothing to compare: the figure says so (no bars).

    Returns:
        The Figure; ``fig.akhbar_data`` holds the plotted rows of :func:`keyness`.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> fig = plot_keyness(akhbar.tokens(arts), arts, "a", n=3)
        >>> fig.akhbar_data[["word", "side"]].values.tolist()
        [['أبريل', 'reference'], ['أردوغان', 'reference'], ['استقبل', 'reference'], ['أكد', 'target'], ['التركي', 'target'], ['الجاري', 'target']]
        >>> plt.close(fig)
    """
    names = article_labels(articles)
    group_names = None
    if groups:
        keys = list(groups)
        target_ids = groups[keys[0]]
        reference_ids = groups[keys[1]] if len(keys) == 2 else [a for k in keys[1:] for a in groups[k]]
        group_names = (keys[0], keys[1] if len(keys) == 2 else f"the other {len(keys) - 1} groups")
    tgt = [target_ids] if isinstance(target_ids, str) else list(target_ids)
    ref = sorted(set(tokens["article_id"]) - set(tgt)) if reference_ids is None else (
        [reference_ids] if isinstance(reference_ids, str) else list(reference_ids))
    if not ref:
        return _nothing_to_compare(tgt, names)
    if group_names is None and len(tgt) == 1:
        group_names = (names.get(tgt[0], tgt[0]),
                       names.get(ref[0], ref[0]) if len(ref) == 1 else f"the other {len(ref)} articles")
    kw = keyness(tokens, target_ids, reference_ids) if table is None else table
    sides = {"reference": kw[kw["side"] == "reference"].head(n), "target": kw[kw["side"] == "target"].head(n)}
    colors = article_colors(articles)
    fig, axes = figure(9, 0.36 * n + 3.2, ncols=2)
    for ax, side, ids in zip(axes, ["reference", "target"], [ref, tgt]):
        rows = sides[side]
        y = np.arange(len(rows))
        color = colors.get(ids[0], "#777777") if len(ids) == 1 else "#777777"
        strong = (rows["g2"] > G2_THRESHOLD).to_numpy()
        ax.barh(y[strong], rows["g2"][strong], color=color)
        # below the threshold (p >= 0.01): shown, but pale and hatched, not as a finding
        ax.barh(y[~strong], rows["g2"][~strong], color=color, alpha=0.3, hatch="//", edgecolor="#555555")
        ax.axvline(G2_THRESHOLD, color="#555555", lw=0.8, ls="--")
        ax.set_yticks(y, [label(w) for w in rows["word"]], fontsize=9)
        ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
        for yi, (g2, a, b) in enumerate(zip(rows["g2"], rows["a"], rows["b"])):
            ax.text(g2, yi, f" {a if side == 'target' else b}:{b if side == 'target' else a}",
                    va="center", fontsize=7)
        ax.set_xlim(0, max(1.0, kw["g2"].head(2 * n).max() * 1.25) if len(kw) else 1.0)
        ax.set_xlabel("G² (log-likelihood)")
        gname = group_names[0 if side == "target" else 1] if group_names else None
        group = (label(gname) + (f" ({len(ids)} articles)" if len(ids) > 1 and "articles" not in gname else "")
                 if gname else "\n".join(label(names.get(i, i)) for i in ids) if len(ids) <= 2
                 else f"{label('المقالات الأخرى')}\nthe other {len(ids)} articles")
        ax.set_title(f"{label('أكثر استعمالاً في')}\n{group}\nmore frequent here (n here:n other)", fontsize=9)
    fig.suptitle(label("الكلمات المفتاحية") + "\nKeywords", fontsize=11)
    fig.get_layout_engine().set(h_pad=0.1)
    legend(fig, [Patch(facecolor="#bbbbbb", label="G² above the dashed line: p < 0.01"),
                  Patch(facecolor="#bbbbbb", alpha=0.3, hatch="//", edgecolor="#555555",
                        label=f"pale, hatched: below G² = {G2_THRESHOLD}, not significant")], ncols=2)
    fig.akhbar_data = pd.concat(sides.values(), ignore_index=True)
    who = bdi(group_names[0]) if group_names else f"{len(tgt)} articles"
    strong = {s: int((r["g2"] > G2_THRESHOLD).sum()) for s, r in sides.items()}
    best = sides["target"].head(1)
    fig.akhbar_caption = (
        f"**Keywords.** The {n} key words of each side by log-likelihood G²: on the right those relatively more "
        f"frequent in {who}, on the left those more frequent in "
        + (bdi(group_names[1]) if group_names else f"the other {len(ref)} articles")
        + f". {strong['target']} of the right side's words and {strong['reference']} of the left side's pass "
        f"p < 0.01 (G² > {G2_THRESHOLD}); the rest are pale and hatched. "
        + (f"Strongest: {bdi(best['word'].iloc[0])} (G² {best['g2'].iloc[0]:.1f}, {best['a'].iloc[0]} here against "
           f"{best['b'].iloc[0]}). " if len(best) else "")
        + "Words are counted on their normalised, clitic-free form; the numbers give the word's count here and "
        "in the other side. *Alt text: two bar charts of Arabic words.*")
    return fig


def _nothing_to_compare(target: list[str], names: pd.Series):
    fig, ax = figure(9, 1.6)
    ax.axis("off")
    ax.text(0.5, 0.5, "Keyness compares two groups of articles; only one article was given.",
            ha="center", va="center", fontsize=10, color="#555555")
    fig.suptitle(label("الكلمات المفتاحية") + "\nKeywords", fontsize=11)
    fig.akhbar_data = pd.DataFrame(columns=["word", "a", "b", "g2", "side"])
    fig.akhbar_caption = (f"**Keywords.** Not drawn: keyness compares two groups of articles, and only "
                          f"{bdi(names.get(target[0], target[0]))} was given.")
    return fig


def plot_framing_by_target(spans: pd.DataFrame, articles: pd.DataFrame, codes=("LEGITIMACY",), top: int = 8):
    """Stacked bars per article: framing cues by target and polarity (+ 0 -).

    One panel per article, three panels a row. Cues whose target the text does not name
    are not guessed: they get one row of their own, «(no target)», hatched and set apart
    below the actors.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the table of :func:`legitimacy_by_target`
        (target ``(none)`` for the cues with no target).

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> fig = plot_framing_by_target(akhbar.annotate(arts), arts)
        >>> fig.akhbar_data.values.tolist()  # «ميليشيات حفتر»: one delegitimising cue, on his force (R4)
        [['a', 'LEGITIMACY', 'lna', 0, 0, 1, 1]]
        >>> plt.close(fig)
    """
    full = legitimacy_by_target(spans, codes, split_relations=True)
    own = own_names(spans)
    table = full[full["target"] != "(none)"]
    none = full[full["target"] == "(none)"]
    aids = [a for a in article_order(articles) if a in set(spans["article_id"])]
    names = article_labels(articles)
    per = {a: table[table["article_id"] == a].groupby("target")[["+", "0", "-"]].sum() for a in aids}
    per = {a: t.loc[t.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]] for a, t in per.items()}
    unresolved = {a: none[none["article_id"] == a][["+", "0", "-"]].sum() for a in aids}
    has_none = any(u.sum() for u in unresolved.values())
    most = max([len(t) for t in per.values()] + [1])
    rows = most + (1 if has_none else 0)
    ncols = min(max(len(aids), 1), 3)
    nrows = math.ceil(max(len(aids), 1) / ncols)
    fig, axes = figure(4.6 * ncols, (0.62 * rows + 1.4) * nrows + 1.2, nrows=nrows, ncols=ncols, squeeze=False)
    for ax in axes.flat[len(aids):]:
        ax.set_axis_off()
    xmax = max([t.sum(axis=1).max() for t in per.values() if len(t)]
               + [u.sum() for u in unresolved.values()] + [1])
    for ax, aid in zip(axes.flat, aids):
        t = per[aid]
        y = np.arange(len(t), dtype=float)
        left = np.zeros(len(t))
        for pol in ["+", "0", "-"]:
            ax.barh(y, t[pol], left=left, color=POLARITY_COLORS[pol])
            left += t[pol].to_numpy()
        ticks, names_y = list(y), [actor_label(c, own) for c in t.index]
        if has_none:  # apart from the actors: a gap, a rule and hatching
            y_none = most + 0.6  # the same place in every panel
            left = 0.0
            for pol in ["+", "0", "-"]:
                ax.barh([y_none], [unresolved[aid][pol]], left=left, color=POLARITY_COLORS[pol], alpha=0.45,
                        hatch="//", edgecolor="#555555", linewidth=0)
                left += unresolved[aid][pol]
            ax.axhline(most - 0.2, color="#999999", lw=0.6, ls=":")
            ticks.append(y_none)
            names_y.append("(no target)")
        if not len(t) and not unresolved[aid].sum():
            ax.text(0.5, 0.5, "no cue", transform=ax.transAxes, ha="center", va="center", color="#777777")
        ax.set_yticks(ticks, names_y, fontsize=8)
        ax.set_ylim((most + 0.6 if has_none else most - 1) + 0.7, -0.7)
        ax.set_xlim(0, xmax * 1.1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(label(names.get(aid, aid)), fontsize=10)
        ax.set_xlabel("cues")
    legend(fig, [Patch(color=POLARITY_COLORS[p], label=POLARITY_NAMES[p]) for p in POLARITY_COLORS]
            + ([Patch(facecolor="#bbbbbb", alpha=0.45, hatch="//", edgecolor="#555555",
                      label="(no target): the text names none")] if has_none else []),
            title="polarity", ncols=4)
    code_txt = ", ".join([codes] if isinstance(codes, str) else list(codes))
    fig.suptitle(label("التأطير حسب الفاعل المستهدف") + f"\nFraming by target ({code_txt})", fontsize=11)
    fig.akhbar_data = full
    totals = table.groupby("target")[["+", "0", "-"]].sum()
    totals = totals.loc[totals.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    lead = "; ".join(f"{actor_text(c, own)} {int(r.sum())} (+{int(r['+'])} 0:{int(r['0'])} −{int(r['-'])})"
                     for c, r in totals.head(3).iterrows())
    n_none = int(none[["+", "0", "-"]].to_numpy().sum())
    one_code = [codes] if isinstance(codes, str) else list(codes or [])
    fig.akhbar_trust = (("framing", one_code[0], f"{one_code[0].lower()} cues") if len(one_code) == 1
                        else ("framing", "(all)", "framing cues"))
    fig.akhbar_caption = (
        f"**Framing by target.** {code_txt} framing cues per target actor in each of {_articles(len(aids))}, "
        "stacked by polarity: green legitimising (`+`), grey descriptive (`0`), red delegitimising (`-`). "
        + (f"Most framed: {lead}. " if lead else "No cue names a target. ")
        + (f"{n_none} cues whose target the text does not name are not guessed: they are counted apart, hatched, "
           "in the row «(no target)». " if n_none else "")
        + "*Alt text: one panel of stacked horizontal bars per article.*")
    return fig


def plot_network(spans: pd.DataFrame, paras: pd.DataFrame, articles: pd.DataFrame, top: int = 16):
    """Actors named in the same paragraph, on a circle grouped by which articles name them.

    Node size follows counted mentions, edge width the number of shared paragraphs.

    Returns:
        The Figure; ``fig.akhbar_data`` is the graph drawn (the ``top`` most named actors).

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> fig = plot_network(akhbar.annotate(arts), akhbar.paragraphs(arts), arts)
        >>> sorted(fig.akhbar_data.nodes)
        ['ankara', 'erdogan', 'gna', 'khalifa_haftar', 'saddam_haftar', 'turkey']
        >>> plt.close(fig)
    """
    g = cooccurrence(spans, paras)
    aids = article_order(articles)
    keep = sorted(g.nodes, key=lambda c: (-g.nodes[c]["total"], c))[:top]
    sub = nx.Graph()  # rebuilt in a fixed order: a subgraph view follows hash order
    sub.add_nodes_from((c, g.nodes[c]) for c in sorted(keep))
    sub.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in g.subgraph(keep).edges(data=True)))
    ranked = sorted(spans["article_id"].unique())
    groups = {c: tuple(a for a in ranked if g.nodes[c]["mentions"].get(a)) for c in keep}
    order = sorted(keep, key=lambda c: (len(groups[c]) == len(ranked), groups[c], -g.nodes[c]["total"], c))
    angles = np.linspace(0, 2 * np.pi, len(order), endpoint=False) + np.pi / 2
    pos = {c: (np.cos(a), np.sin(a)) for c, a in zip(order, angles)}
    colors = article_colors(articles)
    own = own_names(spans)
    fig, ax = figure(9, 8.6)
    for u, v, d in sorted((min(u, v), max(u, v), d) for u, v, d in sub.edges(data=True)):
        ax.plot(*zip(pos[u], pos[v]), color="#777777", lw=0.6 + 0.7 * d["weight"], alpha=0.45, zorder=1)
    texts = []
    for c in order:
        color = colors.get(groups[c][0], SEVERAL_COLOR) if len(groups[c]) == 1 else SEVERAL_COLOR
        ax.scatter(*pos[c], s=60 + 40 * g.nodes[c]["total"], color=color, zorder=2, edgecolor="white")
        x, y = pos[c]
        # every label outside the circle: above or below a node near the top or bottom, else beside it
        if abs(x) < 0.35:
            texts.append(ax.text(x, 1.13 * y, actor_label(c, own), ha="center", va="bottom" if y > 0 else "top",
                                 fontsize=8, zorder=3))
        else:
            texts.append(ax.text(1.12 * x + (0.04 if x > 0 else -0.04), 1.12 * y, actor_label(c, own),
                                 ha="left" if x > 0 else "right", va="center", fontsize=8, zorder=3))
    alone = {groups[c][0] for c in keep if len(groups[c]) == 1}
    handles = _article_handles(articles, [a for a in aids if a in alone], " only")
    if any(len(groups[c]) > 1 for c in keep):
        handles.append(Patch(color=SEVERAL_COLOR, label="several articles"))
    if handles:
        legend(fig, handles)
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    title(ax, "الفاعلون المذكورون في الفقرة نفسها", "Actors named in the same paragraph")
    _spread_labels(fig, ax, texts, [pos[c] for c in order])
    fig.akhbar_data = sub
    strongest = sorted(sub.edges(data=True), key=lambda e: (-e[2]["weight"], min(e[0], e[1]), max(e[0], e[1])))[:1]
    fig.akhbar_trust = ("entity", "(all)", "actor mentions")
    fig.akhbar_caption = (
        f"**Actors named together.** The {len(order)} most named actors on a circle, grouped by the articles that "
        f"name them (colour: one article only; dark grey: several). A line joins two actors named in the same title, "
        f"subhead or body paragraph, thicker for more paragraphs ({sub.number_of_edges()} lines); node size follows "
        "counted mentions. "
        + (f"Most often together: {actor_text(strongest[0][0], own)} and {actor_text(strongest[0][1], own)}, in "
           f"{int(strongest[0][2]['weight'])} paragraphs. " if strongest else "")
        + "*Alt text: circular network diagram.*")
    return fig


def _spread_labels(fig, ax, texts, anchors, gap: float = 0.02) -> None:
    """Move the labels of each side of a circle apart vertically until none overlaps
    another, and join a moved label to its node with a faint line.

    Labels on one side (left-aligned on the right, right-aligned on the left) are pushed
    apart pairwise, half the overlap each way, until they are clear; the y limits grow to
    hold them. A label near the top or bottom on one side can reach across the middle,
    so a pair from both sides is moved apart when its boxes meet too.
    """
    start = [t.get_position()[1] for t in texts]
    for _round in range(3):  # growing the y limits rescales the axes: measure again
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        inv = ax.transData.inverted()
        boxes = []
        for t in texts:
            (x0, y0), (x1, y1) = inv.transform(t.get_window_extent(renderer).get_points())
            boxes.append((x0, x1, y1 - y0))
        ys = [t.get_position()[1] for t in texts]
        # where each box's middle is, from the text's anchor (va bottom, top or center)
        shift = [{"bottom": h / 2, "top": -h / 2}.get(t.get_va(), 0.0) for t, (_a, _b, h) in zip(texts, boxes)]
        for _ in range(400):
            mid = [y + d for y, d in zip(ys, shift)]
            moved = False
            for i in range(len(texts)):
                for j in range(i + 1, len(texts)):
                    (ax0, ax1, ah), (bx0, bx1, bh) = boxes[i], boxes[j]
                    if min(ax1, bx1) <= max(ax0, bx0):
                        continue  # apart horizontally
                    need = (ah + bh) / 2 + gap - abs(mid[i] - mid[j])
                    if need > 1e-9:
                        up, down = (i, j) if ys[i] >= ys[j] else (j, i)
                        ys[up] += need / 2
                        ys[down] -= need / 2
                        moved = True
            if not moved:
                break
        for t, y in zip(texts, ys):
            t.set_y(y)
        half = max(h for _x0, _x1, h in boxes) / 2 if boxes else 0
        mid = [y + d for y, d in zip(ys, shift)]
        ax.set_ylim(min([-1.45, *(m - 2 * half - gap for m in mid)]), max([1.45, *(m + 2 * half + gap for m in mid)]))
    for t, (x, y0), first in zip(texts, anchors, start):
        if abs(t.get_position()[1] - first) > 0.04:
            ax.plot([1.04 * x, t.get_position()[0]], [1.04 * y0, t.get_position()[1]], color="#bbbbbb", lw=0.5,
                    zorder=1)


def plot_timeline(spans: pd.DataFrame, articles: pd.DataFrame, table: pd.DataFrame | None = None):
    """Dated events of every article on one time axis, one row per event.

    ``table`` is :func:`timeline` of the same spans when it is computed already.

    A day is a point. A year, month or week («عام 2020», «في مارس») is drawn as a band
    over the whole period with its point at the middle, never at its first day.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the :func:`timeline` table, with the
        period each value covers (``period_start``, ``period_end``) and the ``middle``
        where its point is drawn.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> fig = plot_timeline(akhbar.annotate(arts), arts)
        >>> fig.akhbar_data[["surface", "value", "middle"]].values.tolist()
        [['في يوليو الجاري', '2020-07', Timestamp('2020-07-16 12:00:00')], ['في أبريل 2025', '2025-04', Timestamp('2025-04-16 00:00:00')]]
        >>> plt.close(fig)
    """
    tl = timeline(spans, articles) if table is None else table[["date", "value", "precision", "article_id",
                                                                  "surface", "start", "sentence"]]
    ends = [d + PERIOD[p] if p in PERIOD else d for d, p in zip(tl["date"], tl["precision"])]
    tl = tl.assign(period_start=tl["date"], period_end=pd.to_datetime(pd.Series(ends, index=tl.index, dtype=object)))
    tl["middle"] = tl["period_start"] + (tl["period_end"] - tl["period_start"]) / 2
    colors = article_colors(articles)
    fig, ax = figure(9, 0.42 * len(tl) + 3)
    y = np.arange(len(tl))
    spread = (tl["precision"] != "day").to_numpy()
    for yi in np.flatnonzero(spread):
        ax.plot([tl["period_start"].iloc[yi], tl["period_end"].iloc[yi]], [yi, yi], lw=5, alpha=0.3,
                solid_capstyle="butt", color=colors.get(tl["article_id"].iloc[yi], "#777777"), zorder=1)
    for aid in article_order(articles):
        m = (tl["article_id"] == aid).to_numpy()
        if m.any():
            ax.scatter(tl["middle"][m], y[m], color=colors[aid], s=36, zorder=2)
    for yi, (d, v) in enumerate(zip(tl["period_end"], tl["value"])):
        ax.annotate(v, (d, yi), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [label(s) for s in tl["surface"]], fontsize=9)
    ax.yaxis.tick_right()
    ax.set_ylim(len(tl) - 0.5, -0.5)
    ax.grid(axis="x", alpha=0.3)
    published = articles["published"].dropna()
    if published.dt.tz is not None:
        published = published.dt.tz_convert(None)
    if len(tl):
        first = tl["period_start"].min()
        last = max([tl["period_end"].max(), *published])
        pad = max((last - first) * 0.12, pd.Timedelta(days=30))
        ax.set_xlim(first - pad * 0.3, last + pad)
    time_axis(ax)
    for aid, pub in zip(articles["article_id"], articles["published"]):
        if pd.notna(pub) and aid in colors:
            ax.axvline(pub.tz_localize(None) if pub.tzinfo else pub, color=colors[aid], ls="--", lw=1, alpha=0.7)
    handles = _article_handles(articles, set(tl["article_id"]) | set(articles.loc[articles["published"].notna(),
                                                                                  "article_id"]))
    handles += [Line2D([], [], color="#555555", ls="--", lw=1, label="publication date"),
                Patch(color="#555555", alpha=0.3, label="a year, month or week: its whole span")]
    legend(fig, handles, title="article")
    title(ax, "الأحداث المؤرخة في المقالات", "Dated events in the articles (expression on the right)")
    fig.akhbar_data = tl
    n_spread = int(spread.sum())
    fig.akhbar_trust = ("date", "(all)", "time expressions")
    fig.akhbar_caption = (
        f"**Dated events.** {len(tl)} time expressions with a resolved date in "
        f"{_articles(tl['article_id'].nunique())}, one row per event on a common time axis"
        + (f", from {tl['period_start'].min().year} to {tl['period_end'].max().year}" if len(tl) else "")
        + "; the Arabic expression is on the right and its ISO value beside the point. "
        + (f"{n_spread} of them name a whole year, month or week: a pale band covers that period and the point "
           "sits at its middle. " if n_spread else "")
        + "Dashed lines mark the publication dates. *Alt text: dot timeline.*")
    return fig


def plot_theme_strip(themes: pd.DataFrame, articles: pd.DataFrame):
    """Paragraph-by-paragraph theme strip: one row per article, one cell per paragraph.

    A cell is split top-down among the paragraph's 1 to 3 themes (most salient on
    top); bylines and boilerplate are left out.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the plotted paragraphs.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> fig = plot_theme_strip(akhbar.paragraph_themes(arts, akhbar.paragraphs(arts)), arts)
        >>> fig.akhbar_data["themes"].tolist()
        ['WAR|AXIS', 'DOM']
        >>> plt.close(fig)
    """
    kept = themes[themes["zone"].isin(THEMED_ZONES)]
    aids = [a for a in article_order(articles) if a in set(kept["article_id"])]
    names = article_labels(articles)
    width = int(kept["para"].max()) + 1 if len(kept) else 1
    fig, ax = figure(max(8, 0.3 * width + 3), 0.7 * len(aids) + 3)
    for row, aid in enumerate(aids):
        for i, zone, t in kept.loc[kept["article_id"] == aid, ["para", "zone", "themes"]].itertuples(index=False):
            parts = t.split("|")
            for k, th in enumerate(parts):
                h = 0.66 / len(parts)
                ax.add_patch(plt.Rectangle((i, row - 0.33 + k * h), 0.92, h, color=THEME_COLORS[th], lw=0))
            if zone != "body":
                ax.text(i + 0.46, row + 0.36, "T" if zone == "title" else "S", ha="center", va="top", fontsize=6)
    ax.set_xlim(-0.2, width + 0.2)
    ax.set_ylim(len(aids) - 0.45, -0.55)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_yticks(range(len(aids)), [label(names.get(a, a)) for a in aids], fontsize=9)
    ax.set_xlabel("paragraph number (T title, S subhead; bylines and boilerplate left blank)")
    used = [t for t in [*THEMES, "NONE"] if kept["themes"].str.split("|").explode().eq(t).any()]
    legend(fig, [Patch(color=THEME_COLORS[t], label=f"{t} {label(THEME_NAMES[t][0])}") for t in used], ncols=4)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    title(ax, "موضوعات المقال فقرةً فقرة", "Themes paragraph by paragraph")
    fig.akhbar_data = kept
    fig.akhbar_caption = (
        f"**Themes in reading order.** The themes of the {len(kept)} title, subhead and body paragraphs of "
        f"{_articles(len(aids))}, one row per article; a cell is split top-down among the paragraph's themes, "
        f"most salient on top ({int((kept['themes'] == 'NONE').sum())} paragraphs have no theme). T marks the title, "
        "S a subhead; blank cells are bylines or boilerplate. *Alt text: rows of coloured cells, one per paragraph.*")
    return fig


def _articles(n: int) -> str:
    return "one article" if n == 1 else f"{n} articles"


def save_all_charts(articles: pd.DataFrame, spans: pd.DataFrame, paras: pd.DataFrame,
                    tokens: pd.DataFrame, folder: str | Path) -> dict[str, list[Path]]:
    """Draw every comparison chart, save each as PNG and SVG under ``folder`` and close it.

    The keyness chart takes the earliest-published article as the target group.

    Returns:
        Chart name -> paths written.

    Example:
        >>> import tempfile
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a", "b"], "published": pd.to_datetime(["2020-07-21", "2025-04-10"]),
        ...     "text": ["أكد وزير الدفاع التركي في يوليو الجاري دعم أنقرة لحكومة الوفاق ضد ميليشيات حفتر",
        ...              "استقبل أردوغان في أنقرة صدام حفتر نجل المشير خليفة حفتر في أبريل 2025"]}))
        >>> paths = save_all_charts(arts, akhbar.annotate(arts), akhbar.paragraphs(arts), akhbar.tokens(arts),
        ...                         tempfile.mkdtemp())
        >>> sorted(paths), [p.name for p in paths["network"]]
        (['actor_bars', 'framing_by_target', 'keyness', 'network', 'theme_shares', 'theme_strip', 'timeline'], ['network.png', 'network.svg'])
    """
    themes = paragraph_themes(articles, paras)
    first = articles.sort_values(["published", "article_id"])["article_id"].iloc[0]
    figs = {
        "actor_bars": plot_actor_bars(spans, articles),
        "theme_shares": plot_theme_shares(themes, articles),
        "keyness": plot_keyness(tokens, articles, first),
        "framing_by_target": plot_framing_by_target(spans, articles),
        "network": plot_network(spans, paras, articles),
        "timeline": plot_timeline(spans, articles),
        "theme_strip": plot_theme_strip(themes, articles),
    }
    out = {}
    for name, fig in figs.items():
        out[name] = save_fig(fig, name, folder)
        plt.close(fig)
    return out
