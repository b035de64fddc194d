"""Round trips with brat: standoff files (``.txt`` + ``.ann``) out, edited ``.ann`` files back
as correction rows.

:func:`to_brat` writes per article ``<article_id>.txt`` (the text as loaded, so brat's
character offsets are the span table's) and ``<article_id>.ann``, and for the folder
``annotation.conf`` (the span types and attributes), ``visual.conf`` (colours and labels),
``tools.conf`` and ``akhbar.tsv`` (the ``akhbar`` normalization database). Copy the folder
into brat's ``data/`` and open it.

How a span is written:

- ``T`` line: its type names layer and label: ``Person``, ``State``, ... for entities,
  ``Frame_<code>``, ``Time_<DATE|DURATION>``, ``Quote_<mode>``, ``Group_<kind>``.
- ``A`` lines: attributes brat shows and edits: ``Mention`` (NAM, NOM, ADJ) on entities,
  ``Polarity`` (positive, negative, neutral) on framing cues.
- ``N`` line: the canonical id (entity, framing target, speaker, group members) as a
  normalization to the ``akhbar`` database (``akhbar:khalifa_haftar``), shown when the
  span is hovered and edited in the span dialog. brat looks the names up once the
  database is built: ``python tools/norm_db_init.py akhbar.tsv`` in brat's folder.
- ``#`` AnnotatorNotes: ``value=…; verb=…; via=…; voice=…; source=…; note=…`` (the note
  last, so it may hold ``;``). Only ``note`` is read back.

:func:`from_brat` reads the edited ``.ann`` files and appends the edits to the
correction files (:mod:`akhbar.io.edits`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from ..files import check_file_name, read_regular, write_text
from ..layers import entities
from ..layers.registry import UnknownLayer, layer, table
from .edits import import_edits, match_article

MENTIONS = entities.MENTIONS
POLARITY = {"+": "positive", "-": "negative", "0": "neutral"}
"""Framing polarity as a brat attribute value."""
NORM_DB = "akhbar"
"""Name of the normalization database that holds canonical ids."""
NOTE_KEYS = ("value", "verb", "via", "voice", "source", "note")
"""Span fields in the AnnotatorNotes, in this order (``note`` last)."""
ENTITY_NAMES = {"organization": "Organization", "armed_force": "Armed_force"}
"""brat names of the entity types that ``capitalize`` would not give."""


def _brat_type(r) -> str:
    """The brat type of a span: its entity type, or its layer's prefix (:mod:`akhbar.layers.registry`)
    and its label.

    Raises:
        UnknownLayer: for a layer the registry does not hold, or one without a brat prefix.
    """
    if r["layer"] == "entity":
        return ENTITY_NAMES.get(r["type"], (r["type"] or "Entity").capitalize())
    lay = layer(r["layer"])
    if not lay.brat:
        raise UnknownLayer(f"the {lay.name} layer has no brat type (its rows are {lay.product} rows)")
    return lay.brat + r["label"]


def _has_polarity(layer_name: str) -> bool:
    """Whether a layer's spans carry a polarity (framing cues)."""
    return any(f.column == "polarity" for f in layer(layer_name).fields)


def _span_of_type(brat_type: str) -> tuple[str, str, str]:
    """``(layer, label, type)`` of a brat type (the entity label comes from ``Mention``).

    Raises:
        UnknownLayer: for a type no registered layer writes.

    Example:
        >>> _span_of_type("Frame_LEGITIMACY"), _span_of_type("Armed_force")
        (('framing', 'LEGITIMACY', ''), ('entity', '', 'armed_force'))
    """
    for lay in table():
        if lay.brat and brat_type.startswith(lay.brat):
            return lay.name, brat_type[len(lay.brat):], lay.fixed_type
    if brat_type == "Entity":
        return "entity", "", ""
    kind = brat_type.lower()
    if kind in entities.TYPES:
        return "entity", "", kind
    raise UnknownLayer(f"brat type {brat_type!r} is no layer's: entity types are "
                       f"{', '.join(_brat_type({'layer': 'entity', 'type': t}) for t in entities.TYPES)}, "
                       "other layers' types start with "
                       f"{', '.join(lay.brat for lay in table() if lay.brat)}")


def _clean(value) -> str:
    """A field as one line of brat text (no tabs or line ends); "" for missing."""
    if value is None or value != value:
        return ""
    return re.sub(r"[\t\r\n]+", " ", str(value)).strip()


def to_brat(articles: pd.DataFrame, spans: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write ``<article_id>.txt`` and ``<article_id>.ann`` per article (brat standoff), and the
    folder's brat configuration.

    Spans that cross a line end are split into fragments, as brat requires. Offsets are
    the span table's, since the ``.txt`` is the text as loaded. Export the automatic
    spans, or the corrected ones (``annotations_dir``): :func:`from_brat` handles both.

    Returns:
        The ``.ann`` paths written.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> [p.name for p in to_brat(arts, akhbar.annotate(arts), folder)]
        ['a1.ann']
        >>> [line for line in (folder / "a1.ann").read_text(encoding="utf-8").splitlines() if "T3" in line]
        ['T3\\tState 15 20\\tتركيا', 'A2\\tMention T3 NAM', 'N3\\tReference T3 akhbar:turkey\\tturkey', '#3\\tAnnotatorNotes T3\\tsource=auto']
    """
    out = Path(out_dir)
    for aid in articles["article_id"]:  # every id before any file: never half an export
        check_file_name(aid)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    by_article = dict(tuple(spans.groupby("article_id", sort=False))) if len(spans) else {}
    for aid, text in zip(articles["article_id"], articles["text"]):
        write_text(out / f"{aid}.txt", text)
        lines, n, k = [], 0, 0
        for r in by_article.get(aid, spans.iloc[:0]).to_dict("records"):
            frags = fragments(text, int(r["start"]), int(r["end"]))
            if not frags:
                continue
            n += 1
            surface = " ".join(text[a:b] for a, b in frags)  # brat joins the fragments with one space
            lines.append(f"T{n}\t{_brat_type(r)} {';'.join(f'{a} {b}' for a, b in frags)}\t{surface}")
            if r["layer"] == "entity" and r.get("label") in MENTIONS:
                k += 1
                lines.append(f"A{k}\tMention T{n} {r['label']}")
            if r.get("polarity") in POLARITY and _has_polarity(r["layer"]):
                k += 1
                lines.append(f"A{k}\tPolarity T{n} {POLARITY[r['polarity']]}")
            cid = _clean(r.get("canonical_id"))
            if cid:
                lines.append(f"N{n}\tReference T{n} {NORM_DB}:{cid.replace(' ', '_')}\t{cid}")
            note = "; ".join(f"{key}={_clean(r.get(key))}" for key in NOTE_KEYS if _clean(r.get(key)))
            if note:
                lines.append(f"#{n}\tAnnotatorNotes T{n}\t{note}")
        path = out / f"{aid}.ann"
        write_text(path, "\n".join(lines) + ("\n" if lines else ""))
        written.append(path)
    for name, content in brat_config(spans).items():
        write_text(out / name, content)
    return written


LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
"""What ends a line when brat (Python) reads a ``.ann`` file: a span's text may hold none."""


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of a span between line breaks (:data:`LINE_BREAKS`), as brat requires.

    Example:
        >>> fragments("قال حفتر\\n\\nإن تركيا", 4, 15)
        [(4, 8), (10, 15)]
    """
    frags, pos = [], start
    for m in LINE_BREAKS.finditer(text, start, end):
        if m.start() > pos:
            frags.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        frags.append((pos, end))
    return frags


def brat_config(spans: pd.DataFrame) -> dict[str, str]:
    """``annotation.conf``, ``visual.conf``, ``tools.conf`` and ``akhbar.tsv`` for these spans.

    Every span type of the codebook is declared (and any other type the spans have), so
    a researcher can add spans of kinds the articles do not have yet.

    Example:
        >>> conf = brat_config(pd.DataFrame(columns=["layer", "label", "type", "canonical_id"]))
        >>> [line for line in conf["annotation.conf"].splitlines() if line.startswith("Mention")]
        ['Mention\\tArg:Person|State|Organization|Armed_force|Place|Event|Entity, Value:NAM|NOM|ADJ']
    """
    types = {"entity": [_brat_type({"layer": "entity", "type": t}) for t in entities.TYPES + ("",)]}
    for lay in table():
        if lay.brat:
            types[lay.name] = [_brat_type({"layer": lay.name, "label": label}) for label in lay.labels]
    for r in spans.drop_duplicates(["layer", "label", "type"]).to_dict("records"):
        t = _brat_type(r)
        if t not in types.setdefault(r["layer"], []):
            types[r["layer"]].append(t)
    entity_types = "|".join(types["entity"])
    annotation = ["# brat configuration written by akhbar.to_brat: the span layers of the codebook.", "",
                  "[entities]", ""]
    for names in types.values():
        annotation += [*names, ""]
    annotation += ["[relations]", "", "# akhbar's spans nest and overlap (a nisba inside a name, a cue over an actor)",
                   "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
                   "[attributes]", "",
                   f"Mention\tArg:{entity_types}, Value:{'|'.join(MENTIONS)}",
                   f"Polarity\tArg:{'|'.join(t for name, ts in types.items() if _has_polarity(name) for t in ts)}, "
                   f"Value:{'|'.join(POLARITY.values())}", ""]
    visual = ["# brat display settings written by akhbar.to_brat", "", "[labels]", ""]
    for layer_name, names in types.items():
        for name in names:
            short = name[len(layer(layer_name).brat):] if layer(layer_name).brat else name
            visual.append(f"{name} | {name.replace('_', ' ')} | {short}")
    visual += ["", "[drawing]", "", "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
               "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5", "ATTRIBUTE_DEFAULT\tglyph:*"]
    for layer_name, names in types.items():
        lay = layer(layer_name)
        for name in names:
            colour = lay.type_colours.get(_span_of_type(name)[2], lay.colour)
            visual.append(f"{name}\tbgColor:{colour}")
    visual += ["Mention\tglyph:(nam)|(nom)|(adj)", "Polarity\tglyph:(+)|(-)|(0)", ""]
    tools = ["# brat tool settings written by akhbar.to_brat", "", "[options]", "",
             "Tokens\ttokenizer:whitespace", "Sentences\tsplitter:newline", "", "[normalization]", "",
             f"{NORM_DB}\tDB:{NORM_DB}, <URL>:{NORM_DB}.tsv", ""]
    return {"annotation.conf": "\n".join(annotation), "visual.conf": "\n".join(visual),
            "tools.conf": "\n".join(tools), f"{NORM_DB}.tsv": _norm_table(spans)}


def _norm_table(spans: pd.DataFrame) -> str:
    """brat's normalization input (``ID<TAB>name:Arabic:…<TAB>name:English:…``) for the ids
    the spans use, for ``tools/norm_db_init.py``."""
    from ..layers.entities import actor_names
    from ..analysis.naming import arabic_names

    ids = sorted({_clean(c).replace(" ", "_") for c in spans["canonical_id"] if _clean(c)})
    if not ids:
        return ""
    ar, en = arabic_names(), actor_names()

    def name(names, cid, fallback):
        return " | ".join(_clean(names.get(part, "")) or fallback(part) for part in cid.split("|"))

    lines = [f"{cid}\tname:Arabic:{name(ar, cid, lambda p: p[4:].replace('_', ' ') if p.startswith('new:') else p)}"
             f"\tname:English:{name(en, cid, lambda p: p)}" for cid in ids]
    return "\n".join(lines) + "\n"


def read_ann(path: str | Path, text: str) -> pd.DataFrame:
    """The spans of a brat ``.ann`` file (as edited in brat), with the fields akhbar reads back.

    A span in fragments runs from its first fragment's start to its last one's end.
    Relations, events and other lines are ignored.

    Raises:
        ValueError: naming the file and line: a text-bound line brat would not write, or
            offsets outside the text.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> ann = akhbar.files.write_text(Path(tempfile.mkdtemp()) / "a.ann", "T1\\tState 4 9\\tتركيا\\n"
        ...     "A1\\tMention T1 NAM\\nN1\\tReference T1 akhbar:turkey\\tturkey\\n")
        >>> read_ann(ann, "قال تركيا")[["start", "end", "label", "canonical_id", "type"]].values.tolist()
        [[4, 9, 'NAM', 'turkey', 'state']]
    """
    spans: dict[str, dict] = {}
    extras = []
    for i, line in enumerate(read_regular(path).decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            m = re.fullmatch(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t.*)?", rest)
            if not m:
                raise ValueError(f"{path}: line {i}: not a brat text-bound annotation: {line!r}")
            frags = [tuple(map(int, f.split())) for f in m.group(2).split(";")]
            start, end = min(s for s, _ in frags), max(e for _, e in frags)
            if not 0 <= start < end <= len(text):
                raise ValueError(f"{path}: line {i}: offsets {start}-{end} are outside the text "
                                 f"({len(text)} characters) or empty")
            try:
                layer_name, label, kind = _span_of_type(m.group(1))
            except UnknownLayer as exc:
                raise UnknownLayer(f"{path}: line {i}: {exc}") from None
            spans[ident] = {"layer": layer_name, "start": start, "end": end, "label": label, "canonical_id": "",
                            "type": kind, "note": "", "polarity": ""}
        else:
            extras.append((i, ident, rest))
    for _i, ident, rest in extras:
        fields = rest.split("\t")
        words = fields[0].split()
        if ident.startswith("A") and len(words) == 3 and words[1] in spans:
            attr, target, value = words
            if attr == "Mention":
                spans[target]["label"] = value
            elif attr == "Polarity":
                spans[target]["polarity"] = {v: k for k, v in POLARITY.items()}.get(value, value)
        elif ident.startswith("N") and len(words) == 3 and words[1] in spans and words[2].startswith(NORM_DB + ":"):
            spans[words[1]]["canonical_id"] = words[2][len(NORM_DB) + 1:]
        elif ident.startswith("#") and len(words) == 2 and words[1] in spans:
            spans[words[1]]["note"] = _note(fields[1] if len(fields) > 1 else "")
    return pd.DataFrame(list(spans.values()), columns=["layer", "start", "end", "label", "canonical_id", "type",
                                                       "note", "polarity"])


def _note(text: str) -> str:
    """The ``note`` of an AnnotatorNotes text written by :func:`to_brat`; a text without
    any ``key=`` field (typed over in brat) is the note as a whole.

    Example:
        >>> _note("value=2020-07; source=auto; note=R1: a; b"), _note("source=auto"), _note("شك")
        ('R1: a; b', '', 'شك')
    """
    m = re.search(r"(?:^|; )note=(.*)$", text)
    if m:
        return m.group(1).strip()
    if re.match(rf"(?:{'|'.join(NOTE_KEYS)})=", text):
        return ""
    return text.strip()


def from_brat(ann_dir: str | Path, articles: pd.DataFrame, annotations_dir: str | Path,
              gazetteer: str | Path | None = None) -> pd.DataFrame:
    """Append the edits made in brat to the correction files, as correction rows.

    Reads every ``.ann`` of ``ann_dir`` with its ``.txt``, finds its article by file name
    or text, compares its spans with ``akhbar.annotate(articles)`` (without corrections)
    and appends ``add``, ``correct`` and ``reject`` rows to
    ``annotations_dir/<article_id>.csv`` (rules in :mod:`akhbar.io.edits`): rows already there
    are kept byte for byte and none is repeated. A file with no span is skipped with a
    warning (rather than rejecting every automatic span).

    Args:
        ann_dir: The brat folder (as :func:`to_brat` wrote it, after editing).
        articles: From :func:`akhbar.load_articles`.
        annotations_dir: The folder of correction files.
        gazetteer: The researcher's gazetteer, if the spans were made with one.

    Returns:
        The rows added (:data:`akhbar.io.edits.ADDED_COLUMNS`).

    Raises:
        ValueError: naming the file: a text no article has, or a malformed line (nothing
            is written then).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> [ann] = to_brat(arts, akhbar.annotate(arts), folder / "brat")
        >>> edited = ann.read_text(encoding="utf-8").replace("akhbar:turkey\\tturkey", "akhbar:turkiye\\tturkiye")
        >>> _ = ann.write_text(edited, encoding="utf-8")  # as if the id had been changed in brat
        >>> from_brat(folder / "brat", arts, folder / "annotations")[["action", "surface", "canonical_id"]].values.tolist()
        [['correct', 'تركيا', 'turkiye']]
    """
    texts = dict(zip(articles["article_id"], articles["text"]))
    docs = []
    for ann in sorted(Path(ann_dir).glob("*.ann")):
        txt = ann.with_suffix(".txt")
        text = read_regular(txt).decode("utf-8") if txt.exists() else texts.get(ann.stem, "")
        aid = match_article(texts, ann.name, text, str(ann))
        spans = read_ann(ann, text)
        if not len(spans):
            warnings.warn(f"{ann}: no annotation in it; skipped", UserWarning, stacklevel=2)
            continue
        docs.append((str(ann), aid, spans))
    return import_edits(docs, articles, annotations_dir, "brat", gazetteer)

