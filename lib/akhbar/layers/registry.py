"""The layer registry: one ordered table of akhbar's span layers.

Each :class:`Layer` says how its spans are computed (its function, its phrase matchers, the
layers it requires and those whose columns it reads), what its spans mean (its label
vocabulary, the span fields it fills) and how tools show it (colour, brat and INCEpTION
names). The engine (:func:`akhbar.pipeline.engine.annotate_texts`) runs the layers asked for and
what they require, in an order that follows what they read; the exporters (Excel, brat,
INCEpTION, the highlighter, the edits import) build their per-layer tables from it and raise
:class:`UnknownLayer` on a layer it does not hold.

The table's order is the order of the span table's rows at one offset and of the Excel
sheets. Adding a layer: its module (a function ``columns(run)`` giving arrays ``start,
end`` and the fields it fills), its data file, and one :class:`Layer` here.

Example:
    >>> [layer.name for layer in table()]
    ['entity', 'framing', 'date', 'quote', 'group', 'name']
    >>> [layer.name for layer in run_order(("date",))]
    ['date']
    >>> [layer.name for layer in run_order(("quote",))]
    ['entity', 'quote', 'framing']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import dates, entities, framing, groups, names, quotes


class UnknownLayer(ValueError):
    """A layer the registry does not hold.

    Example:
        >>> layer("theme")
        Traceback (most recent call last):
        ...
        akhbar.layers.registry.UnknownLayer: no layer 'theme' in the layer registry (known: entity, framing, date, quote, group, name)
    """


@dataclass(frozen=True)
class Field:
    """A span field a layer fills: its span table column, its INCEpTION feature, what it holds."""

    column: str
    feature: str
    about: str


@dataclass
class Run:
    """What a layer's functions get: the scan of the texts, the researcher's gazetteer, the
    publication dates, the paragraph table, and the columns found so far, by layer."""

    sc: object
    gazetteer: object = None
    published: list = field(default_factory=list)
    paras: dict = field(default_factory=dict)
    found: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Layer:
    """One span layer.

    Attributes:
        name: The ``layer`` value of its spans.
        about: What one span is (the codebook's section).
        columns: ``columns(run)``: its spans as arrays (``start``, ``end`` into the scan's text
            and the fields it fills).
        matchers: ``matchers(gazetteer)``: the phrase matchers it searches (searched together
            in one pass), or None.
        requires: Layers that must run when it runs.
        reads: Layers whose columns it reads when they run (they run before it).
        rows_in: The layer its rows go to, when not its own (the name tagger's proposals are
            entity rows).
        settle: ``settle(run)``: its columns again once every layer has run (for what it
            takes from layers that read it), or None.
        labels: The values of its ``label`` field (the codebook's codes).
        types: The values of its ``type`` field (entities), else ().
        fixed_type: The ``type`` of every span, when a tool does not carry it.
        fields: The span fields it fills, in the order tools show them.
        colour: Its display colour (highlighter, brat).
        underline: The highlighter underlines its spans instead of shading them (the actors
            and cues inside a quotation keep their own colour).
        type_colours: Colours by ``type`` (entity types in brat).
        shown_as: Its name in a legend.
        shown: Highlighted by default.
        brat: Its brat type prefix (``Frame_`` + label); "" for entities, named by type.
        inception: Its INCEpTION layer (``webanno.custom.Akhbar`` + this).
    """

    name: str
    about: str
    columns: Callable
    matchers: Callable | None = None
    requires: tuple = ()
    reads: tuple = ()
    rows_in: str = ""
    settle: Callable | None = None
    labels: tuple = ()
    types: tuple = ()
    fixed_type: str = ""
    fields: tuple = ()
    colour: str = "#eeeeee"
    underline: bool = False
    type_colours: dict = field(default_factory=dict)
    shown_as: str = ""
    shown: bool = True
    brat: str = ""
    inception: str = ""

    @property
    def product(self) -> str:
        """The layer whose rows it makes."""
        return self.rows_in or self.name


def _entity(run: Run) -> dict:
    return entities.entity_columns(run.sc, run.gazetteer, published=run.published)


def _names(run: Run) -> dict:
    # a speaker or a target can be a name no list holds
    blocked = entities.excluded_spans(run.sc, run.gazetteer)
    return names.with_names(run.sc, run.found["entity"], blocked=blocked)


def _group(run: Run) -> dict:
    # «بين البلدين» names both parties of a relation
    return groups.group_columns(run.sc, run.found["entity"], run.paras["start"])


def _quote(run: Run) -> dict:
    # reported statements first: a label inside one never frames its speaker
    return quotes.quote_columns(run.sc, run.found["entity"])


def _framing(run: Run) -> dict:
    return framing.framing_columns(run.sc, run.found["entity"], quotes=run.found.get("quote"),
                                   groups=run.found.get("group"))


def _date(run: Run) -> dict:
    return dates.date_columns(run.sc, run.published)


def _quote_settled(run: Run) -> dict:
    """Statements without those whose verb is a framing cue: «موطئ قدم» is a cue, not the
    verb قدّم; a cue that is the verb itself («أشادت»: praise) leaves the quote."""
    cues, found = run.found["framing"], run.found["quote"]
    if not len(cues["start"]) or not len(found["start"]):
        return found
    k = np.searchsorted(cues["start"], found["start"], side="left") - 1
    inside = (k >= 0) & (cues["end"][np.maximum(k, 0)] > found["start"])
    return {c: v[~inside] for c, v in found.items()}


def _framing_settled(run: Run) -> dict:
    """The cues with their voice: the speaker of the last quote whose content holds the cue
    (``unnamed`` without one), else ``author``."""
    cues, found = run.found["framing"], run.found.get("quote")
    starts = cues["start"]
    voice = np.full(starts.size, "author", dtype=object)
    if found is not None and len(found["start"]) and starts.size:
        lo = np.searchsorted(starts, found["content_start"], side="left").tolist()
        hi = np.searchsorted(starts, found["content_end"], side="left").tolist()
        for a, b, who in zip(lo, hi, found["canonical_id"].tolist()):
            if a < b:  # later quotes overwrite earlier ones: the last holding a cue wins
                voice[a:b] = who or "unnamed"
    return {**cues, "voice": voice}


def _source(who: str = "") -> Field:
    return Field("source", "source", f"Who made the span{who} (read only)")


NOTE = Field("note", "note", "Free note")

TABLE: tuple[Layer, ...] = (
    Layer("entity", "An actor mention (codebook section 1)", _entity,
          matchers=lambda gazetteer: entities.matchers(gazetteer),
          labels=entities.MENTIONS, types=entities.TYPES,
          fields=(Field("label", "mention", "NAM (name), NOM (description) or ADJ (nisba adjective)"),
                  Field("canonical_id", "actor",
                        "Canonical actor id (snake_case, or new: for a name the gazetteer lacks)"),
                  Field("type", "actorType", ", ".join(entities.TYPES[:-1]) + " or " + entities.TYPES[-1]),
                  Field("literal_id", "literalId",
                        "Before metonymy: the capital a state reading came from (read only)"),
                  _source(": auto, pattern or manual"), NOTE),
          colour="#cfe8ff", shown_as="actor", inception="Entity",
          type_colours={"person": "#ffccaa", "state": "#8fb2ff", "organization": "#aaddff",
                        "armed_force": "#ff9f9f", "place": "#ccffcc", "event": "#eeddaa"}),
    Layer("framing", "A framing cue (codebook section 2)", _framing,
          matchers=lambda gazetteer: framing.matchers(),
          requires=("entity",), reads=("entity", "quote", "group"), settle=_framing_settled,
          labels=framing.CODES,
          fields=(Field("label", "code", "Framing code, e.g. LEGITIMACY"),
                  Field("canonical_id", "target", "Target actor id(s), joined by | for a relation"),
                  Field("polarity", "polarity", "+, - or 0 towards the target (shown; not imported)"),
                  Field("voice", "voice", "author, or the speaker's id (read only)"),
                  _source(), NOTE),
          colour="#ffe2b8", shown_as="framing cue", brat="Frame_", inception="Framing"),
    Layer("date", "A time expression (codebook section 4)", _date, labels=dates.LABELS,
          fields=(Field("label", "dateType", " or ".join(dates.LABELS)),
                  Field("value", "value", "ISO value, e.g. 2020-07 or PXY (shown; not imported)"),
                  _source(), NOTE),
          colour="#d8f5d0", shown_as="time expression", brat="Time_", inception="Date"),
    Layer("quote", "An attributed statement (codebook section 5)", _quote,
          matchers=lambda gazetteer: quotes.matchers(),
          requires=("entity", "framing"), reads=("entity",), settle=_quote_settled,
          labels=quotes.MODES,
          fields=(Field("label", "mode", ", ".join(quotes.MODES[:-1]) + " or " + quotes.MODES[-1]),
                  Field("canonical_id", "speaker", "Speaker's actor id"),
                  Field("verb", "verb", "Reporting verb (read only)"),
                  Field("via", "via", "Relaying source's id (shown; not imported)"),
                  _source(), NOTE),
          colour="#f3d9f7", underline=True, shown_as="quotation", brat="Quote_", inception="Quote"),
    Layer("group", "A plural reference to two actors (codebook rule 8)", _group,
          matchers=lambda gazetteer: groups.matchers(),
          requires=("entity",), reads=("entity",), labels=tuple(groups.KINDS), fixed_type="group",
          fields=(Field("label", "kind", ", ".join(tuple(groups.KINDS)[:-1]) + " or " + tuple(groups.KINDS)[-1]),
                  Field("canonical_id", "members", "The two members' ids joined by |"),
                  _source(), NOTE),
          colour="#e6e0cf", shown_as="pair of actors", shown=False, brat="Group_", inception="Group"),
    Layer("name", "A name no list holds, proposed by the name tagger (akhbar.layers.names) as an entity row "
          "with source=model", _names, requires=("entity",), reads=("entity",), rows_in="entity",
          shown=False),
)
"""The layers, in the span table's order."""


def table() -> tuple[Layer, ...]:
    """The registered layers, in order (read at call time, so a test may register more)."""
    return TABLE


def names_of(with_rows: bool = False) -> tuple[str, ...]:
    """The registered layers' names; with ``with_rows``, only those whose rows are their own.

    Example:
        >>> names_of(with_rows=True)
        ('entity', 'framing', 'date', 'quote', 'group')
    """
    return tuple(lay.name for lay in table() if not (with_rows and lay.rows_in))


def layer(name: str) -> Layer:
    """The registered layer of this name.

    Raises:
        UnknownLayer: naming the layer and the known ones.
    """
    for lay in table():
        if lay.name == name:
            return lay
    raise UnknownLayer(f"no layer {name!r} in the layer registry (known: {', '.join(names_of())})")


def run_order(layers) -> list[Layer]:
    """The layers to run for ``layers``: those and what they require, each after the running
    layers whose columns it reads (and after those adding rows to them), else in table order.

    Raises:
        UnknownLayer: for a name the registry does not hold.

    Example:
        >>> [lay.name for lay in run_order(("framing", "name"))]
        ['entity', 'name', 'framing']
    """
    wanted, todo = set(), [layer(name).name for name in layers]
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo += list(layer(name).requires)
    running = [lay for lay in table() if lay.name in wanted]
    order, done = [], set()
    while len(order) < len(running):
        for lay in running:
            if lay.name in done:
                continue
            before = {o.name for o in running if o is not lay and o.product in lay.reads}
            if before <= done:
                order.append(lay)
                done.add(lay.name)
                break
        else:
            raise ValueError(f"the layers {sorted(wanted - done)} read each other's columns: no order runs them")
    return order
