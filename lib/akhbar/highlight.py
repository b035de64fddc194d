"""Articles as right-to-left HTML with coloured, labelled spans (all text escaped)."""

from __future__ import annotations

import html

import pandas as pd

LAYER_COLOURS = {"entity": "#cfe8ff", "framing": "#ffe2b8", "date": "#d8f5d0", "quote": "#f3d9f7",
                 "group": "#e6e0cf"}


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


def _tag(r) -> str:
    if r["layer"] == "entity":
        return f"{r['label']}:{r['canonical_id']}"
    if r["layer"] == "framing":
        return f"{r['label']}{r['polarity']}" + (f"→{r['canonical_id']}" if r["canonical_id"] else "")
    if r["layer"] == "date":
        return r["value"] or r["label"]
    if r["layer"] == "group":
        return f"group of {r['canonical_id'].replace('|', ' + ') or '?'}"
    return f"{r['label']} quote: {r['canonical_id'] or '?'}"


def highlight_html(text: str, spans: pd.DataFrame, layers=("entity", "framing", "date")) -> str:
    """One article as escaped HTML, each span a coloured ``<mark>`` with its label.

    Overlapping spans are nested where they nest; a span that crosses another's edge is
    shown from where the other ends (nothing is dropped from the label list).

    Example:
        >>> text = "وصل حفتر إلى القاهرة"
        >>> spans = akhbar.annotate(text)
        >>> page = highlight_html(text, spans)
        >>> page.startswith('<div dir="rtl"'), 'title="entity: NAM:khalifa_haftar"' in page
        (True, True)
    """
    rows = spans[spans["layer"].isin(layers)].sort_values(["start", "end"], ascending=[True, False])
    events = []
    for r in rows.to_dict("records"):
        events.append((int(r["start"]), 1, -int(r["end"]), r))
        events.append((int(r["end"]), 0, -int(r["start"]), r))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    out, pos, open_stack = [], 0, []
    for at, is_open, _k, r in events:
        out.append(html.escape(text[pos:at]).replace("\n", "<br>\n"))
        pos = at
        if is_open:
            colour = LAYER_COLOURS[r["layer"]]
            title = html.escape(f"{r['layer']}: {_tag(r)} | {r['note']}".strip(" |"), quote=True)
            out.append(f'<mark style="background:{colour};padding:0 2px;border-radius:3px" title="{title}">')
            open_stack.append(r)
        elif r in open_stack:
            # close everything above it, then reopen those (keeps tags balanced)
            i = max(j for j, o in enumerate(open_stack) if o is r)
            above = open_stack[i + 1:]
            out.append("</mark>" * (len(above) + 1))
            out.append(f'<sub dir="ltr" style="font-size:65%;color:#555">{html.escape(_tag(r))}</sub>')
            open_stack = open_stack[:i]
            for o in above:
                out.append(f'<mark style="background:{LAYER_COLOURS[o["layer"]]}">')
                open_stack.append(o)
    out.append(html.escape(text[pos:]).replace("\n", "<br>\n"))
    legend = " ".join(f'<mark style="background:{c}">{layer}</mark>' for layer, c in LAYER_COLOURS.items()
                      if layer in layers)
    return (f'<div dir="rtl" lang="ar" style="line-height:2.1;font-size:1.05em;max-width:60em">'
            f'<p dir="ltr" style="font-size:80%">{legend}</p>{"".join(out)}</div>')


def show_article(articles: pd.DataFrame, spans: pd.DataFrame, article_id: str,
                 layers=("entity", "framing", "date")) -> HTMLBlock:
    """Display one article with its spans highlighted, right to left.

    Raises:
        KeyError: naming the id and some known ones, when ``articles`` has no such article.

    Example:
        >>> arts = akhbar.inputs.as_articles(["وصل حفتر إلى القاهرة"])
        >>> show_article(arts, akhbar.annotate(arts), "text1")
        text1: 2 spans highlighted (entity, framing, date)
    """
    known = list(articles["article_id"])
    if article_id not in known:
        raise KeyError(f"no article {article_id!r} (known: {known[:5]})")
    text = articles.set_index("article_id").loc[article_id, "text"]
    mine = spans[spans["article_id"] == article_id]
    shown = mine[mine["layer"].isin(layers)]
    summary = f"{article_id}: {len(shown)} spans highlighted ({', '.join(layers)})"
    return HTMLBlock(highlight_html(text, mine, layers), summary)
