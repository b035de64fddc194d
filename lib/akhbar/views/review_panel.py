"""Review a sample of the automatic coding inside the notebook, one item at a time.

:func:`review_sample` draws a seeded, stratified random sample of one layer's spans (the
way content analysts draw a reliability sample) and never offers an item already reviewed.
:func:`review` shows the sample in a panel (ipywidgets, in JupyterLab 4 and VS Code): the
sentence with the span marked, what the coding proposes, and buttons to keep, correct,
reject or skip. Every decision appends one row to ``annotations/<article_id>.csv`` in the
correction format, so the next run of any notebook uses it; existing rows are never
rewritten. Proposed actors (``new:`` ids) kept or rejected are also appended to the
project gazetteer, as a confirmed name or an ``exclude`` row.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis.reliability import agreement, reviewed_rows
from ..articles.loading import read_table
from ..files import atomic_path, check_file_name
from ..io.edits import append_rows
from ..pipeline.corrections import MANUAL_COLUMNS
from ..text import sentence_spans

REVIEW_COLUMNS = MANUAL_COLUMNS + ["polarity"]
"""Columns of a correction file the review panel creates (``polarity`` is optional in older files)."""
STRATA = {"entity": "type", "framing": "label", "quote": "canonical_id", "date": "label", "group": "label"}
"""The column a layer's sample is stratified by unless ``by`` says otherwise."""
SHORTCUTS = {"k": "keep", "c": "correct", "r": "reject", "s": "skip"}
"""Keyboard shortcuts of the panel: type the letter in its shortcut box."""
POLARITIES = ("+", "0", "-")


def _reviewed_keys(annotations_dir: str | Path | None, article_ids) -> set[tuple]:
    if annotations_dir is None:
        return set()
    rows = reviewed_rows(annotations_dir, article_ids)
    return set(zip(rows["article_id"], rows["layer"], rows["start"], rows["end"]))


def review_sample(spans: pd.DataFrame, layer: str, n: int, by: str | None = None, seed: int = 0,
                  annotations_dir: str | Path | None = None) -> pd.DataFrame:
    """A seeded random sample of ``n`` spans of one layer, stratified, for review.

    Strata are the values of ``by`` (default: framing code, entity type, quote speaker, date
    type: :data:`STRATA`). Each stratum gets its proportional share of ``n`` (largest
    remainders), and at least one item while ``n`` allows, so rare codes are checked too.
    Only body, title and subhead spans are offered; items already reviewed in
    ``annotations_dir`` (any keep, correct or reject row at the same offsets) never are.
    The same spans, seed and folder give the same sample.

    Args:
        spans: From :func:`akhbar.annotate`.
        layer: ``"framing"``, ``"entity"``, ``"quote"``, ``"date"`` or ``"group"``.
        n: How many items (fewer if fewer are left).
        by: The column to stratify by.
        seed: The random seed; say it in the report so the sample can be drawn again.
        annotations_dir: The correction folder, to leave out what was reviewed.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a1"], "published": [None], "source": [""],
        ...     "text": ["دعت الحكومة الشرعية إلى الحوار. واتهمت الميليشيات بالتصعيد والتوتر. وقال السفير إن الحوار مستمر."]})
        >>> sample = review_sample(akhbar.annotate(arts), "framing", 3, seed=1)
        >>> len(sample), sample["label"].nunique() == min(3, sample["label"].nunique())
        (3, True)
        >>> sample["surface"].tolist() == review_sample(akhbar.annotate(arts), "framing", 3, seed=1)["surface"].tolist()
        True
    """
    by = by or STRATA.get(layer, "label")
    pool = spans[(spans["layer"] == layer) & spans["zone"].isin(["body", "title", "subhead"])]
    done = _reviewed_keys(annotations_dir, pool["article_id"].unique())
    if done:
        keys = list(zip(pool["article_id"], pool["layer"], pool["start"].astype(int), pool["end"].astype(int)))
        pool = pool[[k not in done for k in keys]]
    pool = pool.sort_values(["article_id", "start", "end", "label", "canonical_id"], kind="stable")
    pool = pool.drop_duplicates(["article_id", "start", "end", "label"]).reset_index(drop=True)
    if pool.empty or n <= 0:
        return pool.iloc[0:0]
    rng = np.random.default_rng(seed)
    strata = pool[by].fillna("").astype(str)
    sizes = strata.value_counts().sort_index()
    quota = _allocate(sizes, min(n, len(pool)))
    picked = []
    for value, k in quota.items():
        members = np.flatnonzero((strata == value).to_numpy())
        picked.extend(rng.choice(members, size=k, replace=False).tolist())
    order = rng.permutation(len(picked))
    return pool.iloc[[picked[i] for i in order]].reset_index(drop=True)


def _allocate(sizes: pd.Series, n: int) -> dict[str, int]:
    """Proportional allocation of ``n`` over strata, at least one each while ``n`` allows.

    Example:
        >>> _allocate(pd.Series({"A": 8, "B": 1, "C": 1}), 5)
        {'A': 3, 'B': 1, 'C': 1}
    """
    quota = {k: 0 for k in sizes.index}
    for k in sorted(sizes.index, key=lambda k: (-sizes[k], str(k)))[:n]:
        quota[k] = 1
    left = n - sum(quota.values())
    if left > 0:
        room = {k: sizes[k] - quota[k] for k in sizes.index}
        total = sum(room.values())
        share = {k: left * room[k] / total for k in sizes.index}
        for k in sizes.index:
            quota[k] += min(room[k], int(share[k]))
        rest = n - sum(quota.values())
        for k in sorted(sizes.index, key=lambda k: (-(share[k] - int(share[k])), str(k))):
            if rest <= 0:
                break
            if quota[k] < sizes[k]:
                quota[k] += 1
                rest -= 1
    return {k: int(v) for k, v in quota.items() if v}


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence (or sentences) that hold ``text[start:end]``.

    Example:
        >>> t = "وصل الوفد إلى أنقرة. ثم غادر حفتر؟"
        >>> s, e = sentence_of(t, 29, 33)
        >>> t[s:e]
        'ثم غادر حفتر؟'
    """
    spans = sentence_spans(text)
    inside = [(s, e) for s, e in spans if s < end and e > start]
    if not inside:
        return (max(0, start - 80), min(len(text), end + 80))
    return (inside[0][0], inside[-1][1])


def marked_sentence(text: str, start: int, end: int, extra: tuple[int, int] | None = None) -> str:
    """The sentence of a span as HTML, right to left, the span in ``<mark>`` (all else escaped).

    Example:
        >>> marked_sentence("قال حفتر إن الحوار مستمر.", 4, 8)
        '<p dir="rtl" style="font-size:1.25em;line-height:1.9">قال <mark>حفتر</mark> إن الحوار مستمر.</p>'
    """
    s, e = sentence_of(text, start, end)
    if extra is not None:
        s, e = min(s, sentence_of(text, *extra)[0]), max(e, sentence_of(text, *extra)[1])
    body = (html.escape(text[s:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>"
            + html.escape(text[end:e]))
    return f'<p dir="rtl" style="font-size:1.25em;line-height:1.9">{body}</p>'


def article_actors(spans: pd.DataFrame, article_id: str) -> list[tuple[str, str]]:
    """The actors an article names, as ``(label, canonical_id)`` choices, most named first.

    Example:
        >>> spans = akhbar.annotate("قال أردوغان إن تركيا تدعم طرابلس. وأكد أردوغان ذلك.")
        >>> [cid for _, cid in article_actors(spans, "text1")][:2]
        ['erdogan', 'turkey']
    """
    ents = spans[(spans["article_id"] == article_id) & (spans["layer"] == "entity")
                 & (spans["canonical_id"].fillna("") != "")]
    if ents.empty:
        return []
    ids = ents["canonical_id"].str.split("|").explode()
    order = ids.value_counts(sort=False)
    order = order.sort_values(ascending=False, kind="stable")
    forms = dict(zip(ents["canonical_id"], ents["surface"]))
    return [(f"{forms.get(cid, cid)} ({cid})", cid) for cid in order.index]


def decision_row(item: dict, action: str, text: str, **changes) -> dict:
    """The correction row a decision on ``item`` (a span) appends, in :data:`REVIEW_COLUMNS`.

    ``keep`` records a checked span as it is; ``reject`` carries the span's label so only
    that span goes; ``correct`` carries the changed fields (``label``, ``canonical_id``,
    ``type``, ``polarity``).

    Example:
        >>> item = {"start": 4, "end": 8, "layer": "framing", "label": "LEGITIMACY", "canonical_id": "gna",
        ...         "type": "", "polarity": "-"}
        >>> r = decision_row(item, "correct", "قال حفتر إن", canonical_id="lna")
        >>> r["action"], r["surface"], r["canonical_id"], r["label"], r["note"]
        ('correct', 'حفتر', 'lna', 'LEGITIMACY', 'reviewed: was LEGITIMACY gna -')
    """
    start, end = int(item["start"]), int(item["end"])
    row = {c: "" for c in REVIEW_COLUMNS}
    row.update(action=action, start=start, end=end, surface=text[start:end], layer=item["layer"])
    was = " ".join(str(item.get(c, "") or "") for c in ("label", "canonical_id", "polarity")).strip()
    if action in ("keep", "reject"):
        row.update(label=item.get("label", "") or "", canonical_id=item.get("canonical_id", "") or "",
                   note=f"reviewed: {'kept' if action == 'keep' else 'rejected'}")
        if action == "reject":
            row["canonical_id"] = ""
    else:
        merged = {c: item.get(c, "") or "" for c in ("label", "canonical_id", "type", "polarity")}
        merged.update({k: v for k, v in changes.items() if v is not None})
        row.update(merged, note=f"reviewed: was {was}")
    return row


def append_decision(annotations_dir: str | Path, article_id: str, row: dict) -> Path:
    """Append one decision row to ``annotations_dir/<article_id>.csv``; earlier rows stay byte for byte.

    A new file gets the :data:`REVIEW_COLUMNS` header (with ``polarity``). An older file
    without a ``polarity`` column cannot hold a polarity change: that raises, naming the file.

    Raises:
        ValueError: a polarity change for a file whose header has no ``polarity`` column.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> row = {"action": "keep", "start": 4, "end": 8, "surface": "حفتر", "layer": "entity", "label": "NAM",
        ...        "canonical_id": "khalifa_haftar", "type": "person", "polarity": "", "note": "reviewed: kept"}
        >>> path = append_decision(folder, "a1", row)
        >>> path.read_text(encoding="utf-8").splitlines()[1:]
        ['action,start,end,surface,layer,label,canonical_id,type,note,polarity', '# reviewed in the notebook', 'keep,4,8,حفتر,entity,NAM,khalifa_haftar,person,reviewed: kept,']
    """
    path = Path(annotations_dir) / f"{check_file_name(article_id)}.csv"
    header = read_table(path, comments=True)[1] if path.exists() else REVIEW_COLUMNS
    if "polarity" not in header and row.get("polarity") and row["action"] == "correct":
        raise ValueError(f"{path}: its header has no polarity column, so a polarity correction cannot be "
                         "stored there; add ',polarity' to the header line and review again")
    return append_rows(path, [row], "reviewed in the notebook", article_id, columns=header)


def ascii_id(name: str) -> str:
    """An ASCII snake_case id for a name no list holds, letter by letter (``data/transliteration.csv``).

    A plain transliteration, not a spelling: the researcher may rename the id in the gazetteer.

    Example:
        >>> ascii_id("هدى مزيودات"), ascii_id("سالم الورفلي")
        ('hda_mzywdat', 'salm_alwrfly')
    """
    table = _transliteration()
    words = ["".join(table.get(ch, ch if ch.isascii() and ch.isalnum() else "") for ch in w).lower()
             for w in str(name).split()]
    return "_".join(w for w in words if w) or "unnamed"


def _transliteration() -> dict[str, str]:
    from ..resources import read_data

    df = read_data("transliteration.csv")
    return dict(zip(df["letter"], df["latin"].fillna("")))


def confirm_actor(gazetteer_path: str | Path, item: dict, keep: bool, name_en: str = "") -> Path:
    """Append a reviewed proposal (``new:`` id) to the project gazetteer: a name, or an ``exclude`` row.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "actors.csv"
        >>> item = {"canonical_id": "new:هدى_مزيودات", "surface": "هدى مزيودات", "type": "person"}
        >>> _ = confirm_actor(path, item, keep=True)
        >>> path.read_text(encoding="utf-8").splitlines()[-1]
        'hda_mzywdat,person,هدى مزيودات,name,,,,,,review'
    """
    from ..layers.entities import ACTOR_COLUMNS, OPTIONAL_COLUMNS

    path = Path(gazetteer_path)
    columns = read_table(path, comments=True)[1] if path.exists() else ACTOR_COLUMNS + OPTIONAL_COLUMNS
    cid = ascii_id(item["surface"])
    row = {c: "" for c in columns}
    row.update(canonical_id=cid, type=item.get("type", "") or "person", form=item["surface"],
               kind="name" if keep else "exclude", name_en=name_en, source="review")
    raw = path.read_bytes() if path.exists() else b""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if not raw:
        writer.writerow(columns)
    elif not raw.endswith(b"\n"):
        buf.write("\n")
    writer.writerow([row.get(c, "") for c in columns])
    with atomic_path(path) as part:
        part.write_bytes(raw + buf.getvalue().encode("utf-8"))
    return path


def review(spans: pd.DataFrame, articles: pd.DataFrame, layer: str = "framing", sample=20,
           annotations_dir: str | Path = "annotations", gazetteer: str | Path | None = None,
           by: str | None = None, seed: int = 0):
    """A review panel for a sample of one layer's spans (ipywidgets).

    One item a screen: the sentence with the span marked, the proposed code, target or
    speaker, and the article's actors to choose from. Keep (k), correct (c), reject (r) and
    skip (s) each append one row to ``annotations_dir/<article_id>.csv`` (skip writes
    nothing); type the letter in the shortcut box to decide without the mouse. Kept or
    rejected proposals (``new:`` ids) also go to ``gazetteer`` when given.

    Args:
        spans: From :func:`akhbar.annotate` (automatic, or with corrections applied).
        articles: The annotated articles (their text shows the sentences).
        layer: The layer to review.
        sample: How many items to draw (:func:`review_sample`), or a table of spans to review.
        annotations_dir: Where the decisions go.
        gazetteer: The project gazetteer, for proposals.
        by, seed: Passed to :func:`review_sample`.

    Returns:
        A :class:`ReviewPanel`; displayed in a notebook it is the panel, and in a page
        exported without a kernel it shows the reviewed state and the agreement table.

    Example:
        >>> import tempfile
        >>> arts = akhbar.load_articles("seeds")
        >>> panel = review(akhbar.annotate(arts), arts, "framing", sample=3, annotations_dir=tempfile.mkdtemp())
        >>> sorted(panel.items["layer"].unique()), len(panel.items)
        (['framing'], 3)
    """
    items = sample if isinstance(sample, pd.DataFrame) else review_sample(
        spans, layer, int(sample), by=by, seed=seed, annotations_dir=annotations_dir)
    return ReviewPanel(items.reset_index(drop=True), spans, articles, layer, annotations_dir, gazetteer)


class ReviewPanel:
    """The review panel (see :func:`review`); ``decide`` is what its buttons call.

    Example:
        >>> import tempfile
        >>> arts = pd.DataFrame({"article_id": ["a1"], "published": [None], "source": [""],
        ...     "text": ["اتهمت تركيا الحكومة السورية بالتصعيد."]})
        >>> spans = akhbar.annotate(arts)
        >>> folder = Path(tempfile.mkdtemp())
        >>> panel = review(spans, arts, "entity", sample=2, annotations_dir=folder)
        >>> _ = panel.decide("keep"); _ = panel.decide("reject")
        >>> [r.split(",")[0] for r in (folder / "a1.csv").read_text(encoding="utf-8").splitlines()[2:]]
        ['# reviewed in the notebook', 'keep', '# reviewed in the notebook', 'reject']
    """

    def __init__(self, items, spans, articles, layer, annotations_dir, gazetteer):
        self.items, self.spans, self.layer = items, spans, layer
        self.texts = dict(zip(articles["article_id"], articles["text"]))
        self.titles = dict(zip(articles["article_id"], articles.get("title", articles["article_id"])))
        self.annotations_dir, self.gazetteer = Path(annotations_dir), gazetteer
        self.position, self.log = 0, []
        self._widget = None

    # --- decisions (no widgets needed: the buttons call these) ---------------------------------
    @property
    def current(self) -> dict | None:
        """The item on screen, or None when the sample is done."""
        return self.items.iloc[self.position].to_dict() if self.position < len(self.items) else None

    def decide(self, action: str, **changes) -> dict | None:
        """Record ``keep``/``correct``/``reject`` (or ``skip``) for the current item and move on.

        Returns the row appended (None for skip or when done).
        """
        item = self.current
        if item is None:
            return None
        row = None
        if action != "skip":
            aid = item["article_id"]
            row = decision_row(item, action, self.texts[aid], **changes)
            append_decision(self.annotations_dir, aid, row)
            cid = str(item.get("canonical_id", "") or "")
            if self.gazetteer is not None and item["layer"] == "entity" and cid.startswith("new:") \
                    and action in ("keep", "reject"):
                confirm_actor(self.gazetteer, item, keep=action == "keep")
        self.log.append((self.position, action))
        self.position += 1
        if self._widget is not None:
            self._show()
        return row

    # --- the widget --------------------------------------------------------------------------
    def widget(self):
        """The ipywidgets box (built on first use)."""
        if self._widget is None:
            self._build()
        return self._widget

    def _build(self) -> None:
        import ipywidgets as w

        self._sentence = w.HTML()
        self._proposal = w.HTML()
        self._status = w.HTML()
        self._target = w.Dropdown(description="target / id", layout=w.Layout(width="420px"))
        self._code = w.Dropdown(description="code", layout=w.Layout(width="420px"))
        self._polarity = w.ToggleButtons(options=list(POLARITIES), description="polarity",
                                         style={"button_width": "48px"})
        buttons = []
        for key, action in SHORTCUTS.items():
            b = w.Button(description=f"{action} ({key})", tooltip=f"{action}: type {key} in the shortcut box",
                         button_style={"keep": "success", "correct": "warning", "reject": "danger"}.get(action, ""))
            b.on_click(lambda _, a=action: self._click(a))
            buttons.append(b)
        self._shortcut = w.Text(placeholder="shortcut: k keep · c correct · r reject · s skip",
                                layout=w.Layout(width="340px"), continuous_update=True)
        self._shortcut.observe(self._key, names="value")
        self._widget = w.VBox([self._proposal, self._sentence, w.HBox([self._target, self._code]),
                               self._polarity, w.HBox(buttons + [self._shortcut]), self._status],
                              layout=w.Layout(max_width="1100px"))
        self._show()

    def _key(self, change) -> None:
        key = (change["new"] or "")[-1:].lower()
        if key in SHORTCUTS:
            self._shortcut.value = ""
            self._click(SHORTCUTS[key])

    def _click(self, action: str) -> None:
        changes = {}
        if action == "correct":
            changes = {"canonical_id": self._target.value or ""}
            if self.layer in ("framing", "quote", "date", "group"):
                changes["label"] = self._code.value or ""
            else:
                changes["type"] = self._code.value or ""
            if self.layer == "framing":
                changes["polarity"] = self._polarity.value
        item = self.current
        try:
            row = self.decide(action, **changes)
        except (ValueError, OSError) as exc:
            self._status.value = f"<b>not written</b>: {html.escape(str(exc))}"
            return
        if row is not None:
            where = f"{self.annotations_dir.name}/{item['article_id']}.csv"
            self._status.value = f"appended <code>{row['action']}</code> to {html.escape(where)}"

    def _show(self) -> None:
        item = self.current
        done = len(self.log)
        if item is None:
            self._proposal.value = f"<b>Sample done</b>: {done} items ({self._counts()})."
            self._sentence.value = ""
            for c in (self._target, self._code, self._polarity):
                c.layout.display = "none"
            return
        aid = item["article_id"]
        text = self.texts[aid]
        extra = None
        if self.layer == "quote" and pd.notna(item.get("content_start")):
            extra = (int(item["content_start"]), int(item["content_end"]))
        self._sentence.value = marked_sentence(text, int(item["start"]), int(item["end"]), extra)
        proposal = {"framing": f"{item['label']} {item.get('polarity', '')} → {item['canonical_id'] or '(no target)'}"
                               f" · voice: {item.get('voice', '') or 'author'}",
                    "quote": f"speaker: {item['canonical_id'] or '(none)'} · mode: {item['label']}"
                             f" · verb: «{item.get('verb', '')}»",
                    "entity": f"{item['canonical_id']} · {item['type']} · {item['label']}",
                    "date": f"{item['label']} = {item.get('value', '')}"}.get(self.layer, str(item["label"]))
        title = html.escape(str(self.titles.get(aid, aid)))
        self._proposal.value = (f"<b>{self.position + 1} of {len(self.items)}</b> · {html.escape(self.layer)} · "
                                f"<bdi>{title}</bdi><br>proposed: <bdi>{html.escape(proposal)}</bdi>")
        actors = article_actors(self.spans, aid)
        current = str(item.get("canonical_id", "") or "")
        options = [("(none)", "")] + actors
        if current and current not in {c for _, c in options}:
            options.append((current, current))
        self._target.options = options
        self._target.value = current if current in {c for _, c in options} else ""
        codes = self._codes(item)
        self._code.options = codes
        field = "type" if self.layer == "entity" else "label"
        self._code.value = item.get(field) if item.get(field) in codes else codes[0]
        self._polarity.layout.display = "" if self.layer == "framing" else "none"
        if self.layer == "framing" and item.get("polarity") in POLARITIES:
            self._polarity.value = item["polarity"]

    def _codes(self, item: dict) -> list[str]:
        if self.layer == "framing":
            from ..layers.framing import CODES
            return list(CODES)
        if self.layer == "entity":
            from ..layers.entities import TYPES
            return sorted(TYPES)
        if self.layer == "quote":
            return ["direct", "indirect", "mixed"]
        if self.layer == "date":
            return ["DATE", "DURATION"]
        return [str(item.get("label", ""))]

    def _counts(self) -> str:
        counts = pd.Series([a for _, a in self.log]).value_counts() if self.log else pd.Series(dtype=int)
        return ", ".join(f"{counts.get(a, 0)} {a}" for a in ("keep", "correct", "reject", "skip"))

    def summary_html(self) -> str:
        """The reviewed state as HTML: what a page exported without a kernel shows."""
        from .tables import rtl_html

        table = agreement(self.spans, self.annotations_dir)
        table = table[table["layer"] == self.layer]
        head = (f"<p>Review of the {html.escape(self.layer)} layer: {len(self.items)} items in this sample; "
                f"decisions are in <code>{html.escape(self.annotations_dir.name)}/</code>.</p>")
        if table.empty:
            return head + "<p>No item of this layer has been reviewed yet.</p>"
        return head + rtl_html(table.round(3), max_rows=None, caption="agreement with the reviewed items")

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.summary_html()
        bundle["text/plain"] = f"ReviewPanel({self.layer}, {len(self.items)} items)"
        return bundle
