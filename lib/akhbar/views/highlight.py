"""Articles as right-to-left HTML with coloured, labelled spans (all text escaped)."""

from __future__ import annotations

import hashlib
import html

import pandas as pd

from ..layers.registry import UnknownLayer, layer, table

UNDERLINE = "#a05fb0"
"""The colour of an underline (a layer the registry underlines: quotations)."""
SHOWN = tuple(lay.name for lay in table() if lay.shown)
"""The layers highlighted unless others are asked for."""


class HTMLBlock:
    """Raw HTML for notebook display; ``repr`` gives a short plain-text summary for nbval.

    Example:
        >>> block = HTMLBlock("<p>حفتر</p>", "one article")
        >>> block, block._repr_html_()
        (one article, '<p>حفتر</p>')
    """

    def __init__(self, html_text: str, summary: str):
        self.html, self.summary = html_text, summary

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.summary


MENTION_NAMES = {"NAM": "name", "NOM": "description", "ADJ": "adjective"}


def _tag(r, names=None) -> str:
    """The one label of a span, in words: what it is and what it points to."""
    names = names if names is not None else {}
    who = lambda cid: " + ".join(names.get(c, c) for c in cid.split("|")) if cid else ""  # noqa: E731
    if r["layer"] == "entity":
        return f"{who(r['canonical_id']) or '?'} ({MENTION_NAMES.get(r['label'], r['label'])})"
    if r["layer"] == "framing":
        pol = {"+": "+ legitimising", "-": "− delegitimising", "0": "0 descriptive"}.get(r["polarity"], r["polarity"])
        return f"{r['label']} {pol}" + (f" → {who(r['canonical_id'])}" if r["canonical_id"] else "")
    if r["layer"] == "date":
        return r["value"] or r["label"]
    if r["layer"] == "group":
        return f"pair: {who(r['canonical_id']) or '?'}"
    if r["layer"] == "quote":
        return f"{r['label']} quotation of {who(r['canonical_id']) or 'an unnamed speaker'}"
    # a layer without words of its own here: its label, value and actors
    return " ".join(v for v in (r.get("label"), r.get("value"), who(r.get("canonical_id") or ""))
                    if isinstance(v, str) and v)


def span_anchor(article_id: str, layer: str, start: int, end: int) -> str:
    """The HTML id of a span's mark in the annotated article: the written reading links its
    evidence to it (ASCII whatever the article id, unique per article, layer and offsets).

    Example:
        >>> span_anchor("004_89c82ba38a398626", "framing", 120, 131)
        'span-framing-120-131-77c7023c5a'
    """
    digest = hashlib.sha1(str(article_id).encode("utf-8")).hexdigest()[:10]
    return f"span-{layer}-{int(start)}-{int(end)}-{digest}"


def _open(r, names, anchored: bool = False) -> str:
    """The opening tag of a span: a coloured mark; a quotation is underlined, so that the
    actors and cues inside it keep their own colour. ``anchored``: the mark carries the
    span's :func:`span_anchor` id (only where it first opens: a mark reopened around a
    crossing span keeps one id)."""
    lay = layer(r["layer"])
    title = html.escape(f"{lay.shown_as or lay.name}: {_tag(r, names)}", quote=True)
    anchor = (f' id="{span_anchor(r["article_id"], r["layer"], r["start"], r["end"])}"'
              if anchored and "article_id" in r else "")
    if lay.underline:
        return (f'<mark{anchor} style="background:none;border-bottom:2px solid {UNDERLINE};padding-bottom:1px" '
                f'title="{title}">')
    return f'<mark{anchor} style="background:{lay.colour};padding:0 2px;border-radius:3px" title="{title}">'


def highlight_html(text: str, spans: pd.DataFrame, layers=SHOWN) -> str:
    """One article as escaped HTML, each span a coloured ``<mark>`` with one label on hover.

    Overlapping spans are nested where they nest; a span that crosses another's edge is
    closed and reopened around it (tags stay balanced, nothing is dropped). Quotations
    are underlined, the other layers shaded in their colours (:mod:`akhbar.layers.registry`); a
    legend above the text names the colours.

    Raises:
        UnknownLayer: for a layer asked for, or one of the spans', that the registry does not hold.

    Example:
        >>> text = "وصل حفتر إلى القاهرة"
        >>> spans = akhbar.annotate(text)
        >>> page = highlight_html(text, spans)
        >>> page.startswith('<div dir="rtl"'), 'title="actor: Khalifa Haftar (name)"' in page
        (True, True)
    """
    from ..layers.entities import actor_names

    shown = [layer(name) for name in layers]
    for name in spans["layer"].unique():
        layer(name)
    for lay in shown:
        if lay.rows_in:
            raise UnknownLayer(f"the {lay.name} layer has no spans of its own (its rows are {lay.product} rows)")
    names = actor_names()
    rows = spans[spans["layer"].isin(layers)].sort_values(["start", "end"], ascending=[True, False])
    events = []
    for n, r in enumerate(rows.to_dict("records")):
        events.append((int(r["start"]), 1, -int(r["end"]), n, r))
        events.append((int(r["end"]), 0, -int(r["start"]), n, r))
    events.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
    out, pos, open_stack = [], 0, []
    for at, is_open, _k, _n, r in events:
        out.append(html.escape(text[pos:at]).replace("\n", "<br>\n"))
        pos = at
        if is_open:
            out.append(_open(r, names, anchored=True))
            open_stack.append(r)
        elif any(o is r for o in open_stack):
            # close everything above it, then reopen those (keeps tags balanced)
            i = max(j for j, o in enumerate(open_stack) if o is r)
            above = open_stack[i + 1:]
            out.append("</mark>" * (len(above) + 1))
            open_stack = open_stack[:i]
            for o in above:
                out.append(_open(o, names))
                open_stack.append(o)
    out.append(html.escape(text[pos:]).replace("\n", "<br>\n"))
    legend = " ".join(
        (f'<mark style="background:none;border-bottom:2px solid {UNDERLINE}">{lay.shown_as or lay.name}</mark>'
         if lay.underline else f'<mark style="background:{lay.colour}">{lay.shown_as or lay.name}</mark>')
        for lay in table() if lay.name in layers)
    return (f'<div dir="rtl" lang="ar" style="line-height:2.1;font-size:1.05em;max-width:60em">'
            f'<p dir="ltr" style="font-size:80%">{legend} · hover a mark for its label</p>{"".join(out)}</div>')


def show_article(articles: pd.DataFrame, spans: pd.DataFrame, article_id: str,
                 layers=SHOWN) -> HTMLBlock:
    """Display one article under a heading (its date, source and id), spans highlighted,
    right to left.

    Raises:
        KeyError: naming the id and some known ones, when ``articles`` has no such article.

    Example:
        >>> arts = akhbar.inputs.as_articles(["وصل حفتر إلى القاهرة"])
        >>> block = show_article(arts, akhbar.annotate(arts), "text1")
        >>> block, block.html.startswith('<h3 dir="auto">')
        (text1: 2 spans highlighted (entity, framing, date, quote), True)
    """
    from ..analysis.naming import article_labels

    known = list(articles["article_id"])
    if article_id not in known:
        raise KeyError(f"no article {article_id!r} (known: {known[:5]})")
    text = articles.set_index("article_id").loc[article_id, "text"]
    mine = spans[spans["article_id"] == article_id]
    shown = mine[mine["layer"].isin(layers)]
    summary = f"{article_id}: {len(shown)} spans highlighted ({', '.join(layers)})"
    heading = article_labels(articles[articles["article_id"] == article_id]).get(article_id, article_id)
    head = (f'<h3 dir="auto">{html.escape(heading)} <small dir="ltr" style="color:#666">'
            f"({html.escape(article_id)}, {len(shown)} spans)</small></h3>")
    return HTMLBlock(head + highlight_html(text, mine, layers), summary)
