"""Comparison charts: every Arabic string goes through :func:`akhbar.label` once, titles bilingual."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from .compare import (G2_THRESHOLD, THEMED_ZONES, THEMES, article_labels, cooccurrence, keyness,
                      legitimacy_by_target, paragraph_themes, theme_matrix, timeline)
from .entities import actor_counts, actor_names, load_gazetteer
from .plot import label, save_fig

THEME_NAMES = {
    "MIL": ("التعاون العسكري", "military cooperation"),
    "DIP": ("الدبلوماسية", "diplomacy"),
    "ECO": ("الاقتصاد والإعمار", "economy, reconstruction"),
    "LEG": ("الشرعية والقانون", "legitimacy, law"),
    "WAR": ("الحرب والتصعيد", "war, escalation"),
    "AXIS": ("المحاور والتحالفات", "axes, alliances"),
    "DOM": ("الداخل والخلافة", "domestic, succession"),
    "PROC": ("المسار السياسي", "ceasefire, process"),
    "NONE": ("بلا موضوع", "none"),
}
"""Short Arabic and English names of the codebook themes, for legends."""
THEME_COLORS = dict(zip([*THEMES, "NONE"], ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759",
                                             "#76b7b2", "#edc948", "#9c755f", "#dddddd"]))
ARTICLE_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
POLARITY_COLORS = {"+": "#4daf4a", "0": "#bdbdbd", "-": "#e41a1c"}


def _title(ax, ar: str, en: str) -> None:
    ax.set_title(label(ar) + "\n" + en, fontsize=11)


@lru_cache(maxsize=1)
def arabic_names() -> pd.Series:
    """First Arabic name form of every canonical id in the gazetteer."""
    actors = load_gazetteer()
    names = actors[actors["kind"].isin(["name", "capital"])].drop_duplicates("canonical_id")
    rest = actors.drop_duplicates("canonical_id")
    return pd.concat([names, rest]).drop_duplicates("canonical_id").set_index("canonical_id")["form"]


def actor_label(cid: str) -> str:
    """Two-line chart label of an actor: Arabic name over its English name. A name the
    pattern layer proposed («new:…») shows its Arabic words over "(not yet reviewed)"."""
    if cid.startswith("new:"):
        return f"{label(cid[4:].replace('_', ' '))}\n(not yet reviewed)"
    ar = arabic_names().get(cid, "")
    en = actor_names().get(cid, cid)
    return f"{label(ar)}\n{en}" if ar else en


def _colors(aids) -> dict:
    return {a: ARTICLE_COLORS[i % len(ARTICLE_COLORS)] for i, a in enumerate(aids)}


def plot_actor_bars(spans: pd.DataFrame, articles: pd.DataFrame, top: int = 12):
    """Paired horizontal bars: counted mentions of the most named actors in each article.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the plotted actor x article table.
    """
    counts = actor_counts(spans).head(top)
    aids = list(counts.columns)
    names = article_labels(articles)
    fig, ax = plt.subplots(figsize=(8, 0.62 * len(counts) + 1.6))
    y = np.arange(len(counts))
    h = 0.8 / len(aids)
    for i, (aid, color) in enumerate(_colors(aids).items()):
        ax.barh(y + (i - (len(aids) - 1) / 2) * h, counts[aid], height=h, color=color,
                label=label(names.get(aid, aid)))
    ax.set_yticks(y, [actor_label(c) for c in counts.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("counted mentions (codebook counting rule)")
    ax.legend(loc="lower right", fontsize=8)
    _title(ax, "الفاعلون الأكثر ذكراً في كل مقال", "Most named actors in each article")
    fig.tight_layout()
    fig.akhbar_data = counts
    return fig


def plot_theme_shares(themes: pd.DataFrame, articles: pd.DataFrame):
    """Share of each article's paragraphs per theme, as grouped bars (split weighting).

    Returns:
        The Figure; ``fig.akhbar_data`` holds the article x theme matrix.
    """
    matrix = theme_matrix(themes)
    matrix = matrix.loc[:, (matrix > 0).any(axis=0)]
    names = article_labels(articles)
    fig, ax = plt.subplots(figsize=(8, 0.55 * matrix.shape[1] + 1.8))
    y = np.arange(matrix.shape[1])
    h = 0.8 / len(matrix)
    for i, (aid, color) in enumerate(_colors(matrix.index).items()):
        ax.barh(y + (i - (len(matrix) - 1) / 2) * h, matrix.loc[aid], height=h, color=color,
                label=label(names.get(aid, aid)))
    ax.set_yticks(y, [f"{label(THEME_NAMES[t][0])}\n{t} · {THEME_NAMES[t][1]}" for t in matrix.columns],
                  fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v:.0%}"))
    ax.set_xlabel("share of paragraphs (title, subheads, body; a paragraph's weight split among its themes)")
    ax.legend(loc="lower right", fontsize=8)
    _title(ax, "موضوعات الفقرات في كل مقال", "Paragraph themes in each article")
    fig.tight_layout()
    fig.akhbar_data = matrix
    return fig


def plot_keyness(tokens: pd.DataFrame, articles: pd.DataFrame, target_ids, reference_ids=None, n: int = 10):
    """Top key words on each side: target group on the right, reference on the left.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the plotted rows of :func:`keyness`.
    """
    kw = keyness(tokens, target_ids, reference_ids)
    names = article_labels(articles)
    tgt = [target_ids] if isinstance(target_ids, str) else list(target_ids)
    ref = sorted(set(tokens["article_id"]) - set(tgt)) if reference_ids is None else (
        [reference_ids] if isinstance(reference_ids, str) else list(reference_ids))
    sides = {"reference": kw[kw["side"] == "reference"].head(n), "target": kw[kw["side"] == "target"].head(n)}
    colors = _colors(sorted(set(tokens["article_id"])))  # the same colour per article as every chart
    fig, axes = plt.subplots(1, 2, figsize=(9, 0.36 * n + 2.4))
    for ax, side, ids in zip(axes, ["reference", "target"], [ref, tgt]):
        rows = sides[side]
        y = np.arange(len(rows))
        color = colors[ids[0]] if len(ids) == 1 else "#777777"
        strong = (rows["g2"] > G2_THRESHOLD).to_numpy()
        ax.barh(y[strong], rows["g2"][strong], color=color)
        # below the threshold (p >= 0.01): shown, but pale and hatched, not as a finding
        ax.barh(y[~strong], rows["g2"][~strong], color=color, alpha=0.3, hatch="//", edgecolor="#555555")
        ax.axvline(G2_THRESHOLD, color="#555555", lw=0.8, ls="--")
        ax.set_yticks(y, [label(w) for w in rows["word"]], fontsize=9)
        ax.invert_yaxis()
        for yi, (g2, a, b) in enumerate(zip(rows["g2"], rows["a"], rows["b"])):
            ax.text(g2, yi, f" {a if side == 'target' else b}:{b if side == 'target' else a}",
                    va="center", fontsize=7)
        ax.set_xlim(0, max(1.0, kw["g2"].head(2 * n).max() * 1.25))
        ax.set_xlabel("G² (log-likelihood)")
        group = "\n".join(label(names.get(i, i)) for i in ids)
        ax.set_title(f"{label('أكثر استعمالاً في')}\n{group}\nmore frequent here (n here:n other)", fontsize=9)
    fig.suptitle(label("الكلمات المفتاحية") + "\nKeywords", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.text(0.5, 0.01, f"Dashed line: p = 0.01 (G² = {G2_THRESHOLD}). Pale hatched bars fall below it: "
             "not significant, shown for context only.", ha="center", fontsize=8)
    fig.akhbar_data = pd.concat(sides.values(), ignore_index=True)
    return fig


def plot_framing_by_target(spans: pd.DataFrame, articles: pd.DataFrame, codes=("LEGITIMACY",), top: int = 8):
    """Stacked bars per article: framing cues by target and polarity (+ 0 -).

    Cues whose target the text does not name are not guessed: they get one row of their
    own, «(no target)», hatched and set apart below the actors.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the table of :func:`legitimacy_by_target`
        (target ``(none)`` for the cues with no target).
    """
    full = legitimacy_by_target(spans, codes, split_relations=True)
    table = full[full["target"] != "(none)"]
    none = full[full["target"] == "(none)"]
    aids = sorted(spans["article_id"].unique())
    names = article_labels(articles)
    per = {a: table[table["article_id"] == a].groupby("target")[["+", "0", "-"]].sum() for a in aids}
    per = {a: t.loc[t.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]] for a, t in per.items()}
    unresolved = {a: none[none["article_id"] == a][["+", "0", "-"]].sum() for a in aids}
    has_none = any(u.sum() for u in unresolved.values())
    most = max([len(t) for t in per.values()] + [1])
    rows = most + (1 if has_none else 0)
    fig, axes = plt.subplots(1, len(aids), figsize=(4.6 * len(aids), 0.62 * rows + 2), squeeze=False)
    xmax = max([t.sum(axis=1).max() for t in per.values() if len(t)]
               + [u.sum() for u in unresolved.values()] + [1])
    for ax, aid in zip(axes[0], aids):
        t = per[aid]
        y = np.arange(len(t), dtype=float)
        left = np.zeros(len(t))
        for pol in ["+", "0", "-"]:
            ax.barh(y, t[pol], left=left, color=POLARITY_COLORS[pol], label=pol)
            left += t[pol].to_numpy()
        ticks, names_y = list(y), [actor_label(c) for c in t.index]
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
        ax.set_yticks(ticks, names_y, fontsize=8)
        ax.set_ylim((most + 0.6 if has_none else most - 1) + 0.7, -0.7)
        ax.set_xlim(0, xmax * 1.1)
        ax.set_title(label(names.get(aid, aid)), fontsize=10)
        ax.set_xlabel("cues")
    axes[0][0].legend(title="polarity", fontsize=8, loc="center right")
    code_txt = ", ".join([codes] if isinstance(codes, str) else list(codes))
    fig.suptitle(label("التأطير حسب الفاعل المستهدف") + f"\nFraming by target ({code_txt})", fontsize=11)
    fig.tight_layout()
    fig.akhbar_data = full
    return fig


def plot_network(spans: pd.DataFrame, paras: pd.DataFrame, articles: pd.DataFrame, top: int = 16):
    """Actors named in the same paragraph, on a circle grouped by which articles name them.

    Node size follows counted mentions, edge width the number of shared paragraphs.

    Returns:
        The Figure; ``fig.akhbar_data`` is the graph drawn (the ``top`` most named actors).
    """
    g = cooccurrence(spans, paras)
    aids = sorted(spans["article_id"].unique())
    keep = sorted(g.nodes, key=lambda c: (-g.nodes[c]["total"], c))[:top]
    sub = nx.Graph()  # rebuilt in a fixed order: a subgraph view follows hash order
    sub.add_nodes_from((c, g.nodes[c]) for c in sorted(keep))
    sub.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in g.subgraph(keep).edges(data=True)))
    groups = {c: tuple(a for a in aids if g.nodes[c]["mentions"].get(a)) for c in keep}
    order = sorted(keep, key=lambda c: (len(groups[c]) == len(aids), groups[c], -g.nodes[c]["total"], c))
    angles = np.linspace(0, 2 * np.pi, len(order), endpoint=False) + np.pi / 2
    pos = {c: (np.cos(a), np.sin(a)) for c, a in zip(order, angles)}
    colors = _colors(aids)
    fig, ax = plt.subplots(figsize=(9, 8.2))
    for u, v, d in sorted((min(u, v), max(u, v), d) for u, v, d in sub.edges(data=True)):
        ax.plot(*zip(pos[u], pos[v]), color="#777777", lw=0.6 + 0.7 * d["weight"], alpha=0.45, zorder=1)
    for c in order:
        color = colors[groups[c][0]] if len(groups[c]) == 1 else "#555555"
        ax.scatter(*pos[c], s=60 + 40 * g.nodes[c]["total"], color=color, zorder=2, edgecolor="white")
        x, y = pos[c]
        ax.text(1.16 * x, 1.16 * y, actor_label(c), ha="left" if x > 0.05 else "right" if x < -0.05 else "center",
                va="center", fontsize=8, zorder=3)
    names = article_labels(articles)
    handles = [Patch(color=colors[a], label=label(names.get(a, a)) + " only") for a in aids]
    handles.append(Patch(color="#555555", label="several articles"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8, frameon=False)
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    _title(ax, "الفاعلون المذكورون في الفقرة نفسها", "Actors named in the same paragraph")
    fig.tight_layout()
    fig.akhbar_data = sub
    return fig


def plot_timeline(spans: pd.DataFrame, articles: pd.DataFrame):
    """Dated events of every article on one time axis, one row per event.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the :func:`timeline` table.
    """
    tl = timeline(spans, articles)
    aids = sorted(articles["article_id"])
    colors = _colors(aids)
    names = article_labels(articles)
    fig, ax = plt.subplots(figsize=(9, 0.42 * len(tl) + 1.8))
    y = np.arange(len(tl))
    for aid in aids:
        m = (tl["article_id"] == aid).to_numpy()
        ax.scatter(tl["date"][m], y[m], color=colors[aid], s=36, label=label(names.get(aid, aid)), zorder=2)
    for yi, (d, v) in enumerate(zip(tl["date"], tl["value"])):
        ax.annotate(v, (d, yi), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(y, [label(s) for s in tl["surface"]], fontsize=9)
    ax.yaxis.tick_right()
    ax.invert_yaxis()
    ax.grid(axis="x", alpha=0.3)
    if len(tl):
        last = max(tl["date"].max(), articles["published"].max())
        pad = max((last - tl["date"].min()) * 0.12, pd.Timedelta(days=30))
        ax.set_xlim(tl["date"].min() - pad * 0.3, last + pad)
    for aid, pub in zip(articles["article_id"], articles["published"]):
        if pd.notna(pub) and aid in colors:
            ax.axvline(pub, color=colors[aid], ls="--", lw=1, alpha=0.7)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, fontsize=8, frameon=False,
              title="article (dashed line: publication date)", title_fontsize=8)
    _title(ax, "الأحداث المؤرخة في المقالات", "Dated events in the articles (expression on the right)")
    fig.tight_layout()
    fig.akhbar_data = tl
    return fig


def plot_theme_strip(themes: pd.DataFrame, articles: pd.DataFrame):
    """Paragraph-by-paragraph theme strip: one row per article, one cell per paragraph.

    A cell is split top-down among the paragraph's 1 to 3 themes (most salient on
    top); bylines and boilerplate are left out.

    Returns:
        The Figure; ``fig.akhbar_data`` holds the plotted paragraphs.
    """
    kept = themes[themes["zone"].isin(THEMED_ZONES)]
    aids = sorted(kept["article_id"].unique())
    names = article_labels(articles)
    width = int(kept["para"].max()) + 1 if len(kept) else 1
    fig, ax = plt.subplots(figsize=(max(8, 0.3 * width + 3), 0.9 * len(aids) + 2.6))
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
    ax.set_yticks(range(len(aids)), [label(names.get(a, a)) for a in aids], fontsize=9)
    ax.set_xlabel("paragraph number (T title, S subhead; bylines and boilerplate left blank)")
    used = [t for t in [*THEMES, "NONE"] if kept["themes"].str.split("|").explode().eq(t).any()]
    ax.legend(handles=[Patch(color=THEME_COLORS[t], label=f"{t} {label(THEME_NAMES[t][0])}") for t in used],
              loc="upper center", bbox_to_anchor=(0.5, -0.5), ncol=4, fontsize=8, frameon=False)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    _title(ax, "موضوعات المقال فقرةً فقرة", "Themes paragraph by paragraph")
    fig.tight_layout()
    fig.akhbar_data = kept
    return fig


def save_all_charts(articles: pd.DataFrame, spans: pd.DataFrame, paras: pd.DataFrame,
                    tokens: pd.DataFrame, folder: str | Path) -> dict[str, list[Path]]:
    """Draw every comparison chart, save each as PNG and SVG under ``folder`` and close it.

    The keyness chart takes the earliest-published article as the target group.

    Returns:
        Chart name -> paths written.
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
