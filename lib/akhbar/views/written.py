"""The workbook's closing reading, written from the current articles: short sentences with
numbers and quoted evidence, Arabic isolated so that English prose keeps its order."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ..analysis.comparison import LOW_CONFIDENCE_TARGET, legitimacy_by_target, legitimacy_evidence, quoted
from ..analysis.keywords import G2_THRESHOLD, keyness
from ..analysis.naming import actor_labels, article_labels, own_names
from ..layers.entities import actor_counts, actor_names
from .highlight import span_anchor


_MARKDOWN_SIGNS = re.compile(r"[\\`*_{}\[\]()#!|~$]")
"""Characters Markdown (and the notebook's maths) reads as syntax: links, emphasis, code,
headings, tables, ``$…$``."""


def md_text(text) -> str:
    """Data (an id, an outlet, a title) as literal text inside Markdown: HTML escaped and
    every Markdown sign as a character reference, so a name can never become a link, a
    script or markup.

    Example:
        >>> md_text("[اقرأ](javascript:alert(1))")
        '&#91;اقرأ&#93;&#40;javascript:alert&#40;1&#41;&#41;'
        >>> md_text('<img src=x onerror="x">')
        '&lt;img src=x onerror=&quot;x&quot;&gt;'
    """
    return _MARKDOWN_SIGNS.sub(lambda m: f"&#{ord(m.group())};", html.escape(str(text)))


def bdi(text: str) -> str:
    """Arabic (or any text) isolated inside English prose: ``<bdi>…</bdi>``, escaped
    (:func:`md_text`).

    Example:
        >>> bdi("قطر")
        '<bdi>قطر</bdi>'
    """
    return f"<bdi>{md_text(text)}</bdi>"


UNNAMED = {"unnamed_observers": "unnamed observers", "unnamed_reports": "unnamed reports"}


_ARABIC_RUN = re.compile(r"[\u0600-\u06FF](?:[\u0600-\u06FF\s\-]*[\u0600-\u06FF])?")


def isolate_arabic(text: str) -> str:
    """Escape ``text`` and isolate each run of Arabic in it, leaving digits and Latin in
    the English flow: «2020-07-21 <bdi>التغيير</bdi>».

    Example:
        >>> isolate_arabic("2020-07-21 التغيير")
        '2020-07-21 <bdi>التغيير</bdi>'
    """
    return _ARABIC_RUN.sub(lambda m: f"<bdi>{m.group(0)}</bdi>", md_text(text))


def _name(cid: str, names: pd.Series) -> str:
    if cid in UNNAMED:
        return UNNAMED[cid]
    english = names.get(cid, "")
    if isinstance(english, str) and english:
        return english
    return bdi(cid.removeprefix("new:").replace("_", " ")) if cid.startswith("new:") else md_text(cid)


def _names(spans: pd.DataFrame | None) -> pd.Series:
    """English names of the actors, and for a name the pattern layer proposed («new:…») the
    articles' own spelling of it, isolated: the reading never shows a normalised form."""
    names = actor_names()
    if spans is None or spans.empty:
        return names
    proposed = own_names(spans)
    proposed = proposed[proposed.index.str.startswith("new:")]
    return pd.concat([names, proposed.map(lambda form: f"{bdi(form)} (not yet reviewed)")])


def _more(shown: int, total: int, what: str = "more") -> str:
    """«, and 4 more» when a list shows ``shown`` of ``total`` items; empty otherwise."""
    return f", and {total - shown} {what}" if total > shown else ""


def _quote(forms: list[str]) -> str:
    return ", ".join(f"«{bdi(f)}»" for f in forms)


SECTIONS = ("who", "labels", "keywords", "legitimacy", "speakers")
"""The parts of :func:`findings`, in order."""


class Reading(str):
    """Markdown text that a notebook displays as Markdown (``_repr_markdown_``).

    Example:
        >>> Reading("**Who is named.**")._repr_markdown_()
        '**Who is named.**'
    """

    def _repr_markdown_(self) -> str:
        return str(self)


TRUST = {"who": ("entity", "(all)", "actor mentions"), "legitimacy": ("framing", "LEGITIMACY", "legitimacy cues"),
         "speakers": ("quote", "(all)", "reported statements")}
"""The layer and code whose reviewed agreement each section of the reading reports."""


def _trust(agreement: pd.DataFrame | None, section: str) -> list[str]:
    """The section's line on how far its counts were checked (nothing when no table is given)."""
    if agreement is None or section not in TRUST:
        return []
    from ..analysis.reliability import agreement_note

    layer, code, what = TRUST[section]
    return [f"*Checked by hand: {agreement_note(agreement, layer, code, what)}*", ""]


def findings(articles: pd.DataFrame, spans: pd.DataFrame | None = None, tokens: pd.DataFrame | None = None,
             top: int = 3, sections=SECTIONS, agreement: pd.DataFrame | None = None) -> str:
    """The closing reading of the workbook as Markdown, from the data alone.

    For each article: who is named most, who is named in it alone; for the actors the
    articles share, how their labels and titles differ; the strongest keywords of each
    side (two articles or more, with ``tokens``); the polarity of legitimacy cues by
    target; who speaks. Every Arabic form is quoted and isolated (``<bdi>``), and every
    claim carries its number, so the text holds for any articles, not only the seeds.

    Args:
        articles: From :func:`akhbar.load_articles`.
        spans: From :func:`akhbar.annotate` on the same articles (without them, only
            the keywords are written).
        tokens: From :func:`akhbar.tokens`, for keywords (optional).
        top: How many actors, keywords and speakers each sentence names.
        sections: Which parts, from :data:`SECTIONS`.
        agreement: From :func:`akhbar.agreement`: each section then says how far its
            counts were checked by hand (or that they were not).

    Example:
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a", "b"], "text": [
        ...     "دعمت تركيا وقطر حكومة الوفاق", "وقال المشير خليفة حفتر إن قواته ستواصل القتال"]}))
        >>> print(findings(arts, akhbar.annotate(arts), sections=["who"]))
        *Written from the 2 article(s) of this run; rerunning on other articles rewrites it.*
        <BLANKLINE>
        **Who is named.**
        <BLANKLINE>
        - a <bdi>دعمت تركيا وقطر</bdi>: 3 actors; most named GNA (Tripoli government) (1), Qatar (1), Turkey (1); named here only: GNA (Tripoli government), Qatar, Turkey.
        - b <bdi>وقال المشير خليفة</bdi>: 1 actor; most named Khalifa Haftar (1); named here only: Khalifa Haftar.
        <BLANKLINE>
    """
    labels = article_labels(articles).map(isolate_arabic)
    names = _names(spans)
    aids = list(articles["article_id"])
    if spans is None:  # words only
        sections = [s for s in sections if s == "keywords"]
    counts = actor_counts(spans) if spans is not None else None
    lines = [f"*Written from the {len(aids)} article(s) of this run; rerunning on other articles rewrites it.*", ""]
    if "who" in sections:
        lines += _who(aids, counts, labels, names, top, spans)
        lines += _trust(agreement, "who")
    if len(aids) > 1 and "labels" in sections:
        lines += _labels(aids, spans, counts, labels, names)
    if len(aids) > 1 and tokens is not None and "keywords" in sections:
        lines += _keywords(aids, tokens, labels, top)
    if "legitimacy" in sections:
        lines += _legitimacy(aids, spans, articles, labels, names, top)
        lines += _trust(agreement, "legitimacy")
    if "speakers" in sections:
        lines += _speakers(aids, spans, labels, names, top)
        lines += _trust(agreement, "speakers")
    return "\n".join(lines).rstrip() + "\n"


def reading(articles: pd.DataFrame, spans: pd.DataFrame | None = None, tokens: pd.DataFrame | None = None,
            notebook: str = "03", sections=SECTIONS, agreement: pd.DataFrame | None = None) -> Reading:
    """A notebook's closing reading: :func:`findings` on the current articles, then the
    hand-written reading kept beside them, if any.

    A hand-written reading lives in ``<articles folder>/readings/<notebook>.md``; its first
    line ``<!-- describes: id1 id2 -->`` names the articles it was written for, and it is
    shown only when exactly those articles are loaded (so the seed pair's reading never
    appears on other articles).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = akhbar.files.write_text(folder / "readings" / "03.md",
        ...                             "<!-- describes: a -->\\nحفتر يُلقَّب «المشير».")
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({
        ...     "article_id": ["a"], "path": [str(folder / "a.txt")], "text": ["وقال المشير خليفة حفتر"]}))
        >>> text = reading(arts, akhbar.annotate(arts), notebook="03")
        >>> text.splitlines()[0], text.splitlines()[-1]
        ('### What the data say', 'حفتر يُلقَّب «المشير».')
    """
    text = "### What the data say\n\n" + findings(articles, spans, tokens, sections=sections, agreement=agreement)
    hand = _hand_reading(articles, notebook)
    if hand:
        text += "\n### A reading written by hand for these articles\n\n" + hand
    return Reading(text)


def _hand_reading(articles: pd.DataFrame, notebook: str) -> str:
    if "path" not in articles or not len(articles) or not str(articles["path"].iloc[0]):
        return ""
    path = Path(str(articles["path"].iloc[0])).parent / "readings" / f"{notebook}.md"
    if not path.is_file():
        return ""
    first, _, body = path.read_text(encoding="utf-8").partition("\n")
    match = re.fullmatch(r"<!--\s*describes:\s*(.*?)\s*-->", first.strip())
    if not match or set(match.group(1).split()) != set(articles["article_id"]):
        return ""
    return safe_markdown(body.lstrip())


_LINK_TARGET = re.compile(r"\](\s*[(:]\s*<?\s*)(?![Hh][Tt][Tt][Pp][Ss]?:|[Mm][Aa][Ii][Ll][Tt][Oo]:|#|/|\.)"
                          r"(?=[A-Za-z][A-Za-z0-9+.-]*:)")


_PLAIN_TAGS = re.compile(r"&lt;(/?)(bdi|b|i|em|strong|sub|sup|br)&gt;")
"""The tags a reading may keep: isolation and emphasis, none with attributes."""


def safe_markdown(text: str) -> str:
    """A hand-written Markdown reading shown as Markdown, never as HTML: tags are escaped
    (a shared folder's file runs no script) but for ``<bdi>`` and plain emphasis, and a
    link to anything but http(s), mailto or a page anchor (``javascript:``, ``data:``) is
    left as plain text.

    Example:
        >>> safe_markdown("**<bdi>حفتر</bdi>** <script>x()</script> [هنا](javascript:alert(1)) [هناك](https://a.example)")
        '**<bdi>حفتر</bdi>** &lt;script&gt;x()&lt;/script&gt; [هنا&#93;(javascript:alert(1)) [هناك](https://a.example)'
    """
    text = _PLAIN_TAGS.sub(r"<\1\2>", html.escape(text, quote=False))
    return _LINK_TARGET.sub(lambda m: "&#93;" + m.group(1), text)


def _section(title: str, aids, labels, say) -> list[str]:
    """A Markdown section: its title, then one line per article, ``say(aid)`` (skipped when None)."""
    lines = [f"- {labels[aid]}: {said}." for aid in aids if (said := say(aid)) is not None]
    return [title, ""] + lines + [""]


def _who(aids, counts, labels, names, top, spans=None) -> list[str]:
    """Who each article names most; unreviewed proposals (``new:``) are left out of the
    counts, and the line says how many of their mentions it left out."""
    from ..analysis.proposals import proposals_left_out

    left = proposals_left_out(spans) if spans is not None else pd.Series(dtype=int)

    def say(aid):
        col = counts[aid] if aid in counts.columns else pd.Series(dtype=int)
        col = col[col > 0].sort_values(ascending=False, kind="stable")
        n_left = int(left.get(aid, 0))
        proposed = (f"; {n_left} mention{'' if n_left == 1 else 's'} of names not yet reviewed left out "
                    f"(new_actors lists them)") if n_left else ""
        if col.empty:
            return "no actor is named" + proposed
        most = ", ".join(f"{_name(c, names)} ({n})" for c, n in col.head(top).items())
        alone = [c for c in col.index if len(aids) > 1 and (counts.loc[c].drop(aid) == 0).all()]
        tail = f"; named here only: {', '.join(_name(c, names) for c in alone[:top])}" if alone else ""
        return f"{len(col)} actor{'' if len(col) == 1 else 's'}; most named {most}{tail}{proposed}"

    return _section("**Who is named.**", aids, labels, say)


def _labels(aids, spans, counts, labels, names) -> list[str]:
    present = [a for a in aids if a in counts.columns]
    shared = [c for c in counts.index if (counts.loc[c, present] > 0).all()]
    shared.sort(key=lambda c: -int(counts.loc[c, present].sum()))
    if not shared:
        return ["**Shared actors.** No actor is named in every article.", ""]
    table = actor_labels(spans)
    out = ["**How the actors every article names are labelled**"
           + (f" (the {min(5, len(shared))} most named of {len(shared)})." if len(shared) > 5 else "."), ""]
    for cid in shared[:5]:
        parts = []
        for aid in aids:
            mine = table[(table["canonical_id"] == cid) & (table["article_id"] == aid)]
            titles = mine[mine["kind"] == "title"]["form"].drop_duplicates()
            forms = mine[mine["kind"] != "title"].sort_values("n", ascending=False, kind="stable")["form"]
            forms = forms.drop_duplicates()
            title = (f", titled {_quote(list(titles.head(3)))}{_more(3, len(titles))}" if len(titles) else "")
            parts.append(f"in {labels[aid]} {_quote(list(forms.head(3)))}{_more(3, len(forms))}{title}")
        out.append(f"- {_name(cid, names)}: " + "; ".join(parts) + ".")
    return out + [""]


def _keywords(aids, tokens, labels, top) -> list[str]:
    def say(aid):
        try:
            kw = keyness(tokens, aid)
        except ValueError:
            return None
        passing = kw[(kw["side"] == "target") & (kw["g2"] > G2_THRESHOLD)]
        strong = passing.head(top)
        words = ", ".join(f"«{bdi(w)}» ({a}:{b})" for w, a, b in zip(strong["word"], strong["a"], strong["b"]))
        return words + _more(len(strong), len(passing)) if words else "no word passes the threshold"

    return _section("**Keywords** (G², p < 0.01, against all other articles).", aids, labels, say)


def _legitimacy(aids, spans, articles, labels, names, top) -> list[str]:
    table = legitimacy_by_target(spans)
    evidence = legitimacy_evidence(spans, articles, width=90) if "text" in articles else None

    def example(aid, target):
        """The first cue for ``target`` in ``aid`` and the sentence it comes from, as a sub-item."""
        if evidence is None:
            return []
        mine = evidence[(evidence["article_id"] == aid) & (evidence["target"] == target)
                        & (evidence["target_confidence"] == "high")]
        if mine.empty:
            return []
        first = mine.iloc[0]
        link = span_anchor(aid, "framing", first["start"], first["end"])
        return [f"  - {_name(target, names)}: [«{bdi(first['cue'])}»](#{link}) in «{bdi(first['sentence'])}»."]

    lines = ["**Legitimacy cues by target** (+ legitimising, − delegitimising, descriptive ones counted apart; under each article one cue per "
             "target and the sentence it comes from; only targets the text links to the cue are counted, the "
             "others apart).", ""]
    for aid in aids:
        mine = table[table["article_id"] == aid]
        apart = mine["target"].isin(["(none)", LOW_CONFIDENCE_TARGET])
        named = mine[~apart].sort_values("total", ascending=False, kind="stable").head(top)
        none = int(mine[mine["target"] == "(none)"]["total"].sum())
        low = int(mine[mine["target"] == LOW_CONFIDENCE_TARGET]["total"].sum())
        parts = [f"{_name(t, names)} " + (f"{p}+ / {m}−" + (f" / {z} descriptive" if z else "") if p or m
                                          else f"{z} descriptive")
                 for t, p, m, z in zip(named["target"], named["+"], named["-"], named["0"])]
        text = "; ".join(parts) if parts else "no cue with a named target"
        text += f"; {none} with no named target" if none else ""
        text += f"; {low} whose target was read by a wider rule left out" if low else ""
        lines.append(f"- {labels[aid]}: {text}.")
        for t in named["target"]:
            lines += example(aid, t)
    return lines + [""]


def _speakers(aids, spans, labels, names, top) -> list[str]:
    q = quoted(spans)

    def one(r) -> str:
        name = _name(r.speaker, names) if r.speaker not in ("(unnamed)", "") else "a speaker not resolved"
        if r.speaker.startswith("unnamed_") and r.speaker not in UNNAMED:
            name = r.speaker.replace("_", " ")
        verb = f"[«{bdi(r.verb)}»](#{span_anchor(r.article_id, 'quote', r.start, r.end)})"
        said = f"{verb} «{bdi(r.said)}…»" if r.said else verb
        if r.implicit == r.total:  # never named at its reports: say so
            return f"{name} ({r.total}) as an implicit subject: {said}"
        mention = f" as «{bdi(r.mention)}»" if r.mention else ""
        return f"{name} ({r.total}){mention}: {said}"

    def say(aid):
        mine = q[q["article_id"] == aid]
        if mine.empty:
            return "no reported statement"
        # speakers read from the text first; implicit-only and unresolved ones after them
        order = (mine["implicit"] == mine["total"]) | (mine["speaker"] == "(unnamed)")
        mine = mine.assign(_later=order).sort_values(["_later", "total"], ascending=[True, False], kind="stable")
        return "; ".join(one(r) for r in mine.head(top).itertuples())

    return _section("**Who speaks** (reported statements).", aids, labels, say)
