"""Round trips with INCEpTION through UIMA CAS XMI (XML 1.0), written and read with dkpro-cassis.

:func:`to_inception` writes ``TypeSystem.xml`` and one ``<article_id>.xmi`` per article:
the text as the CAS's document, one span layer per akhbar layer under
``webanno.custom.Akhbar*`` (the namespace INCEpTION gives custom layers), with the span
fields as string features, plus DKPro Core ``Sentence`` (one per non-empty line) and
``Token`` annotations so the editor can lay the text out.

In INCEpTION: *Project settings > Layers > Import* ``TypeSystem.xml`` (this creates the
five Akhbar layers; set their granularity to *Character-level*, since akhbar's spans do
not always fall on INCEpTION's tokens), then import the ``.xmi`` files as *UIMA CAS XMI
(XML 1.0)*. After editing, export the documents in the same format and give the files,
the folder or the ZIP files to :func:`from_inception`, which appends the edits to the
correction files (:mod:`akhbar.io.edits`).

Offsets: UIMA counts UTF-16 code units (Java strings), Python counts code points; they
differ after every character outside the Basic Multilingual Plane (emoji, some rare
CJK). dkpro-cassis converts both ways when it writes and reads XMI, so the span table's
offsets hold in Python and the XMI's in Java.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from pathlib import Path

import pandas as pd

from ..files import check_file_name, read_regular, write_text
from ..layers.registry import UnknownLayer, layer, table
from .edits import import_edits, match_article

TYPE_PREFIX = "webanno.custom.Akhbar"
"""Custom layers live in ``webanno.custom``, where INCEpTION creates its own."""
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
"""DKPro Core's document annotation: the document's id and title, over the whole text."""
MAX_XMI_BYTES = 256 * 1024 * 1024
"""Largest XMI read (a file, or one member of a ZIP, uncompressed): a small ZIP can
unpack to gigabytes."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold (control characters, U+FFFE, U+FFFF, lone surrogates)."""


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold replaced by U+FFFD: one character,
    and one UTF-16 unit, for one, so every offset still holds.

    Example:
        >>> xml_safe("قال\\x0bحفتر\\x1b") == "قال\\ufffdحفتر\\ufffd"
        True
    """
    return _NOT_XML.sub("\ufffd", text)

def cas_layers() -> dict[str, tuple[str, str, list[tuple[str, str, str]]]]:
    """Per layer with rows of its own (:mod:`akhbar.layers.registry`): its type name suffix, its
    description, and ``(feature, span column, description)`` per field.

    Example:
        >>> name, about, features = cas_layers()["date"]
        >>> name, [f for f, _c, _a in features]
        ('Date', ['dateType', 'value', 'source', 'note'])
    """
    return {lay.name: (lay.inception, lay.about, [(f.feature, f.column, f.about) for f in lay.fields])
            for lay in table() if lay.inception}


def _cas_layer(name: str) -> tuple[str, str, list[tuple[str, str, str]]]:
    """The CAS layer of a span layer.

    Raises:
        UnknownLayer: for a layer the registry does not hold, or one without a CAS layer.
    """
    lay = layer(name)
    if not lay.inception:
        raise UnknownLayer(f"the {lay.name} layer has no INCEpTION layer (its rows are {lay.product} rows)")
    return cas_layers()[lay.name]


def typesystem():
    """The UIMA type system of the Akhbar layers (and DKPro Core Sentence and Token).

    Example:
        >>> ts = typesystem()
        >>> [f.name for f in ts.get_type("webanno.custom.AkhbarFraming").features]
        ['code', 'target', 'polarity', 'voice', 'source', 'note']
    """
    from cassis import TypeSystem

    ts = TypeSystem()
    meta = ts.create_type(METADATA, "uima.tcas.DocumentAnnotation", "The document's id and title")
    for feature in ("documentTitle", "documentId", "documentUri", "documentBaseUri", "collectionId"):
        ts.create_feature(meta, feature, "uima.cas.String")
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    ts.create_type(SENTENCE, "uima.tcas.Annotation", "A non-empty line of the article")
    ts.create_type(TOKEN, "uima.tcas.Annotation", "A word or punctuation mark")
    for name, description, features in cas_layers().values():
        t = ts.create_type(TYPE_PREFIX + name, "uima.tcas.Annotation", description)
        for feature, _column, about in features:
            ts.create_feature(t, feature, "uima.cas.String", description=about)
    return ts


def _tokens(text: str):
    """``(start, end)`` of the words (runs of letters, marks and digits) and of each
    other non-space character."""
    start = None
    for i, ch in enumerate(text):
        word = unicodedata.category(ch)[0] in "LMN"
        if start is not None and not word:
            yield start, i
            start = None
        if word and start is None:
            start = i
        elif not word and not ch.isspace():
            yield i, i + 1
    if start is not None:
        yield start, len(text)


def article_cas(text: str, spans: pd.DataFrame, ts=None, article_id: str = "", title: str = ""):
    """One article as a CAS: the text, its lines and tokens, and its spans on the Akhbar layers.

    The document annotation is DKPro's ``DocumentMetaData`` over the whole text, with the
    article's id and title. A character XML cannot hold (a control character) is written
    as U+FFFD (:func:`xml_safe`), so the offsets still hold.

    Example:
        >>> text = "زار أردوغان أنقرة 🙂 ثم تركيا"
        >>> spans = pd.DataFrame([{"layer": "entity", "start": 23, "end": 28, "label": "NAM",
        ...                        "canonical_id": "turkey", "type": "state"}])
        >>> cas = article_cas(text, spans)
        >>> [a.get_covered_text() for a in cas.select("webanno.custom.AkhbarEntity")]
        ['تركيا']
        >>> 'begin="24"' in cas.to_xmi()  # the emoji is two UTF-16 code units
        True
    """
    from cassis import Cas

    ts = ts or typesystem()
    text = xml_safe(text)
    cas = Cas(typesystem=ts, sofa_string=text)
    sentence, token = ts.get_type(SENTENCE), ts.get_type(TOKEN)
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            s = m.start() + len(m.group()) - len(m.group().lstrip())
            cas.add(sentence(begin=s, end=m.start() + len(m.group().rstrip())))
    cas.add_all([token(begin=s, end=e) for s, e in _tokens(text)])
    for r in spans.to_dict("records"):
        name, _about, features = _cas_layer(r["layer"])
        values = {f: xml_safe(str(r[c])) for f, c, _ in features
                  if r.get(c) not in (None, "") and r.get(c) == r.get(c)}
        cas.add(ts.get_type(TYPE_PREFIX + name)(begin=int(r["start"]), end=int(r["end"]), **values))
    cas.add(ts.get_type(METADATA)(begin=0, end=len(text), language="ar", documentId=xml_safe(str(article_id)),
                                  documentTitle=xml_safe(str(title)), isLastSegment=False))
    return cas


def to_inception(articles: pd.DataFrame, spans: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    """Write ``TypeSystem.xml`` and ``<article_id>.xmi`` per article, for INCEpTION.

    Each file is written to a temporary name and renamed when complete. Export the spans
    you want to review: ``akhbar.annotate(articles)`` for the automatic ones, or with
    ``annotations_dir`` to see your corrections too (:func:`from_inception` handles both).

    Returns:
        The ``.xmi`` paths written.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> [p.name for p in to_inception(arts, akhbar.annotate(arts), folder)]
        ['a1.xmi']
        >>> sorted(p.name for p in folder.iterdir())
        ['TypeSystem.xml', 'a1.xmi']
    """
    out = Path(out_dir)
    for aid in articles["article_id"]:  # every id before any file: never half an export
        check_file_name(aid)
    ts = typesystem()
    write_text(out / "TypeSystem.xml", ts.to_xml())
    written = []
    by_article = dict(tuple(spans.groupby("article_id", sort=False))) if len(spans) else {}
    titles = articles["title"] if "title" in articles else [""] * len(articles)
    for aid, text, title in zip(articles["article_id"], articles["text"], titles):
        cas = article_cas(text, by_article.get(aid, spans.iloc[:0]), ts, aid, title)
        written.append(write_text(out / f"{aid}.xmi", cas.to_xmi()))
    return written


def _xmi_sources(paths) -> list[tuple[str, bytes, bytes | None]]:
    """``(name, xmi bytes, type system bytes or None)`` for each XMI file in ``paths``:
    ``.xmi`` files (with the ``TypeSystem.xml`` beside them), folders of them (searched
    through) and ZIP files as INCEpTION exports them."""
    items = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    files = []
    for item in items:
        if item.is_dir():
            files += sorted(p for p in item.rglob("*") if p.suffix.lower() in (".xmi", ".zip"))
        elif item.exists():
            files.append(item)
        else:
            raise FileNotFoundError(f"{item}: no such file or folder")
    out = []
    for f in files:
        if f.suffix.lower() == ".zip":
            with zipfile.ZipFile(_zip_file(f)) as z:
                names = z.namelist()
                ts = next((_member(z, n, f) for n in names if Path(n).name.lower() == "typesystem.xml"), None)
                out += [(f"{f}!{n}", _member(z, n, f), ts) for n in sorted(names) if n.lower().endswith(".xmi")]
        else:
            ts_path = next((p for p in f.parent.iterdir() if p.name.lower() == "typesystem.xml"), None)
            out.append((str(f), read_regular(f, MAX_XMI_BYTES),
                        read_regular(ts_path, MAX_XMI_BYTES) if ts_path else None))
    return out


def _zip_file(path: Path):
    """A ZIP file opened for reading, refused unless it is a regular file."""
    return io.BytesIO(read_regular(path, MAX_XMI_BYTES))


def _member(z: zipfile.ZipFile, name: str, where: Path) -> bytes:
    """One member of a ZIP, read up to :data:`MAX_XMI_BYTES` as it unpacks (its stated
    size may lie), else a ValueError naming it."""
    with z.open(name) as fh:
        data = fh.read(MAX_XMI_BYTES + 1)
    if len(data) > MAX_XMI_BYTES:
        raise ValueError(f"{where}!{name}: unpacks to more than {MAX_XMI_BYTES:,} bytes; not read")
    return data


def read_xmi(data: bytes, typesystem_xml: bytes | None = None, where: str = "<xmi>"):
    """A CAS from XMI bytes, with the type system exported beside it (else akhbar's).

    Types the type system lacks are skipped (INCEpTION adds its own).

    Raises:
        ValueError: naming ``where``, for a file that is not CAS XMI.

    Example:
        >>> xmi = article_cas("قال أردوغان إن تركيا", pd.DataFrame(columns=["layer"])).to_xmi().encode()
        >>> read_xmi(xmi).sofa_string
        'قال أردوغان إن تركيا'
        >>> read_xmi(b"not xml", where="a1.xmi")
        Traceback (most recent call last):
        ...
        ValueError: a1.xmi: not a UIMA CAS XMI file (XMLSyntaxError: Start tag expected, '<' not found, line 1, column 1 (<string>, line 1))
    """
    from cassis import load_cas_from_xmi, load_typesystem

    try:
        ts = load_typesystem(io.BytesIO(typesystem_xml)) if typesystem_xml else typesystem()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # offsets outside the text are reported below
            return load_cas_from_xmi(io.BytesIO(data), typesystem=ts, lenient=True)
    except Exception as exc:  # lxml and cassis raise many kinds for a bad file
        raise ValueError(f"{where}: not a UIMA CAS XMI file ({type(exc).__name__}: {exc})") from None


def cas_spans(cas, where: str = "<xmi>") -> pd.DataFrame:
    """The spans on the Akhbar layers of a CAS, with offsets into its text.

    ``attrs["layers"]`` lists the layers the CAS's type system defines (only those are
    compared with akhbar's spans).

    Example:
        >>> text = "قال أردوغان إن تركيا تدعم طرابلس"
        >>> spans = cas_spans(article_cas(text, akhbar.annotate(text)))
        >>> spans.loc[spans["layer"] == "entity", ["start", "end", "canonical_id"]].values.tolist()
        [[4, 11, 'erdogan'], [15, 20, 'turkey'], [26, 32, 'libya']]
    """
    rows, layers = [], []
    columns = ["layer", "start", "end", "label", "canonical_id", "type", "note", "polarity", "value", "verb",
               "via", "voice"]
    blank = dict.fromkeys(columns, "")  # every field a string: no fillna over mixed columns
    ts = cas.typesystem
    text = cas.sofa_string or ""
    for layer_name, (name, _about, features) in cas_layers().items():
        if not ts.contains_type(TYPE_PREFIX + name):
            continue
        layers.append(layer_name)
        known = {f.name for f in ts.get_type(TYPE_PREFIX + name).all_features}
        for fs in cas.select(TYPE_PREFIX + name):
            if not (0 <= fs.begin < fs.end <= len(text)):
                raise ValueError(f"{where}: {name} annotation {fs.begin}-{fs.end} is outside the text "
                                 f"({len(text)} characters) or empty")
            row = {**blank, "layer": layer_name, "start": fs.begin, "end": fs.end,
                   "type": layer(layer_name).fixed_type}
            for feature, column, _ in features:
                if feature in known:
                    value = fs.get(feature)
                    row[column] = "" if value is None else str(value).strip()
            rows.append(row)
    df = pd.DataFrame(rows, columns=columns)
    df.attrs["layers"] = layers
    return df


def from_inception(xmi_dir_or_files, articles: pd.DataFrame, annotations_dir: str | Path,
                   gazetteer: str | Path | None = None) -> pd.DataFrame:
    """Append the edits made in INCEpTION to the correction files, as correction rows.

    Reads each CAS XMI (a file, a folder searched through, or INCEpTION's export ZIP),
    finds its article by file name or text, compares its Akhbar layers with
    ``akhbar.annotate(articles)`` (without corrections) and appends ``add``, ``correct``
    and ``reject`` rows to ``annotations_dir/<article_id>.csv`` (rules in
    :mod:`akhbar.io.edits`): rows already there are kept byte for byte and none is repeated.

    Args:
        xmi_dir_or_files: A folder, a file, or a list of them (``.xmi`` or ``.zip``).
        articles: From :func:`akhbar.load_articles`: the texts the XMI was made from.
        annotations_dir: The folder of correction files.
        gazetteer: The researcher's gazetteer, if the spans were made with one.

    Returns:
        The rows added, one per line appended (:data:`akhbar.io.edits.ADDED_COLUMNS`).

    Raises:
        ValueError: naming the file: not CAS XMI, a text no article has, or an article in
            two files (nothing is written then).

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"],
        ...                                                "text": ["قال أردوغان إن تركيا تدعم طرابلس"]}))
        >>> folder = Path(tempfile.mkdtemp())
        >>> [xmi] = to_inception(arts, akhbar.annotate(arts), folder / "inception")
        >>> edited = xmi.read_text(encoding="utf-8").replace('actor="turkey"', 'actor="turkiye"')
        >>> _ = xmi.write_text(edited, encoding="utf-8")  # as if the id had been changed in INCEpTION
        >>> added = from_inception(folder / "inception", arts, folder / "annotations")
        >>> added[["action", "surface", "canonical_id"]].values.tolist()
        [['correct', 'تركيا', 'turkiye']]
    """
    texts = {aid: xml_safe(t) for aid, t in zip(articles["article_id"], articles["text"])}  # as written
    docs = []
    for where, data, ts in _xmi_sources(xmi_dir_or_files):
        cas = read_xmi(data, ts, where)
        aid = match_article(texts, where, cas.sofa_string or "", where)
        spans = cas_spans(cas, where)
        if not len(spans):  # rather than reject every automatic span
            warnings.warn(f"{where}: no annotation on the Akhbar layers (was TypeSystem.xml imported into "
                          "the project's layers?); skipped", UserWarning, stacklevel=2)
            continue
        docs.append((where, aid, spans))
    return import_edits(docs, articles, annotations_dir, "INCEpTION", gazetteer)
