"""The real clients accept what akhbar writes: brat's annotation checks (rewritten here as
rules, not brat's code), the official GEXF 1.3 schema, INCEpTION's document metadata, and
the README's instructions for reading the CSVs in R, LibreOffice and Excel."""

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd

import akhbar
from akhbar.io import export, inception

from conftest import ROOT

GEXF_XSD = Path(__file__).parent / "data" / "gexf" / "gexf.xsd"
TEXT = ("حفتر يهاجم طرابلس\n\nقال المشير خليفة حفتر إن تركيا تدعم طرابلس\n\n"
        "وأضاف\u2028أن قطر\x0cترسل السلاح 🙂 إلى حكومة الوفاق")


def hostile_spans(arts):
    """The automatic spans and three that brat would refuse if written naively: across a blank
    line, across a line separator, across a form feed."""
    spans = akhbar.annotate(arts)
    text = arts["text"].iloc[0]
    extra = []
    for a, b in ((text.index("طرابلس"), text.index("تركيا") + 5), (text.index("وأضاف"), text.index("قطر") + 3),
                 (text.index("قطر"), text.index("السلاح") + 6)):
        extra.append({**spans.iloc[0].to_dict(), "layer": "quote", "label": "indirect", "start": a, "end": b,
                      "surface": text[a:b], "note": "line one\nline two\ttab"})
    return pd.concat([spans, pd.DataFrame(extra)], ignore_index=True)


def conf_sections(path):
    sections, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is not None and line.strip() and not line.startswith("#"):
            current.append(line)
    return sections


def brat_problems(folder: Path, doc: str) -> list[str]:
    """brat's checks of one document, as its documentation and server state them: every
    text-bound annotation's offsets inside the text, its fragments free of line breaks, its
    text equal to the fragments' text joined by one space; types, attributes and
    normalization databases declared in the configuration; every reference to an existing
    annotation; unique ids."""
    conf = conf_sections(folder / "annotation.conf")
    types = {line.split()[0] for line in conf["entities"]}
    attributes = {}
    for line in conf["attributes"]:
        name, spec = line.split("\t", 1)
        args = dict(part.strip().split(":", 1) for part in spec.split(","))
        attributes[name] = (set(args["Arg"].split("|")), set(args["Value"].split("|")))
    databases = {line.split("\t")[0] for line in conf_sections(folder / "tools.conf")["normalization"]}
    text = (folder / f"{doc}.txt").read_text(encoding="utf-8")
    problems, bound, seen = [], {}, set()
    lines = (folder / f"{doc}.ann").read_text(encoding="utf-8").splitlines()  # every line end Python knows
    for n, line in enumerate(lines, 1):
        ident, _, rest = line.partition("\t")
        if ident in seen:
            problems.append(f"line {n}: id {ident} repeated")
        seen.add(ident)
        if ident.startswith("T"):
            m = re.fullmatch(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)", rest)
            if not m:
                problems.append(f"line {n}: malformed text-bound annotation {line!r}")
                continue
            frags = [tuple(map(int, f.split())) for f in m.group(2).split(";")]
            if m.group(1) not in types:
                problems.append(f"line {n}: type {m.group(1)} not in annotation.conf")
            if any(not 0 <= a < b <= len(text) for a, b in frags):
                problems.append(f"line {n}: offsets outside the text")
                continue
            if any(re.search("[\n\r]", text[a:b]) for a, b in frags):
                problems.append(f"line {n}: a fragment crosses a line end")
            if m.group(3) != " ".join(text[a:b] for a, b in frags):
                problems.append(f"line {n}: Text-bound annotation text does not match marked span(s)")
            bound[ident] = m.group(1)
        elif ident.startswith("A"):
            name, target, value = rest.split(" ")
            args, values = attributes.get(name, (set(), set()))
            if target not in bound or bound[target] not in args or value not in values:
                problems.append(f"line {n}: attribute {rest!r} not declared for its annotation")
        elif ident.startswith("N"):
            ref, _, _name = rest.partition("\t")
            kind, target, key = ref.split(" ")
            if kind != "Reference" or target not in bound or key.split(":")[0] not in databases:
                problems.append(f"line {n}: normalization {ref!r} refers to nothing declared")
        elif ident.startswith("#"):
            kind, target = rest.split("\t")[0].split(" ")
            if kind != "AnnotatorNotes" or target not in bound or len(rest.split("\t")) != 2:
                problems.append(f"line {n}: malformed note {line!r}")
        else:
            problems.append(f"line {n}: unknown annotation {line!r}")
    return problems


def test_brat_accepts_every_span_of_the_export(tmp_path):
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": [TEXT]}))
    spans = hostile_spans(arts)
    akhbar.io.export.to_brat(arts, spans, tmp_path)
    assert brat_problems(tmp_path, "a1") == []
    ann = (tmp_path / "a1.ann").read_text(encoding="utf-8")
    assert "طرابلس قال المشير خليفة حفتر إن تركيا\t" not in ann  # not with the blank line's two spaces
    assert "\tطرابلس قال المشير خليفة حفتر إن تركيا" in ann


def test_the_brat_rules_catch_what_brat_refuses(tmp_path):
    """The checker fails on the export as it was written before (two spaces for a blank line)."""
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": [TEXT]}))
    akhbar.io.export.to_brat(arts, hostile_spans(arts), tmp_path)
    ann = tmp_path / "a1.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("طرابلس قال", "طرابلس  قال"), encoding="utf-8")
    assert any("does not match marked span" in p for p in brat_problems(tmp_path, "a1"))


def test_the_gexf_validates_against_the_official_gexf_1_3_schema(tmp_path):
    from lxml import etree

    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1", "a2"], "text": [
        TEXT, "دعمت تركيا وقطر حكومة الوفاق في طرابلس"]}))
    spans = akhbar.annotate(arts)
    spans.loc[spans["canonical_id"] == "qatar", "canonical_id"] = 'new:<قطر & "شركاه">'
    path = export.to_gexf(spans, tmp_path / "actors.gexf", paras=akhbar.paragraphs(arts))
    schema = etree.XMLSchema(etree.parse(str(GEXF_XSD)))
    assert schema.validate(etree.parse(str(path))), schema.error_log
    import networkx as nx

    g = nx.read_gexf(path)
    assert g.nodes["turkey"]["mentions"] == 2 and g.edges["turkey", "libya"]["weight"] >= 1


def test_inception_gets_the_document_metadata(tmp_path):
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "title": ["حفتر يهاجم طرابلس"],
                                                   "text": [TEXT]}))
    [xmi] = inception.to_inception(arts, akhbar.annotate(arts, layers=("entity",)), tmp_path)
    cas = inception.read_xmi(xmi.read_bytes(), (tmp_path / "TypeSystem.xml").read_bytes())
    [meta] = cas.select(inception.METADATA)
    assert (meta.begin, meta.end, meta.documentId, meta.documentTitle) == (0, len(TEXT), "a1", "حفتر يهاجم طرابلس")
    assert 'begin="0" end="0"' not in xmi.read_text(encoding="utf-8")


def test_the_readme_says_how_to_read_the_csvs_and_it_holds(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Reading the CSVs in R, LibreOffice and Excel", 1)[1].split("\n## ", 1)[0]
    for needed in ('read.csv("spans.csv", fileEncoding = "UTF-8-BOM")', "Unicode (UTF-8)",
                   "65001: Unicode (UTF-8)", 'docid_field = "doc_id"', 'encoding="utf-8-sig"'):
        assert needed in section
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": [TEXT]}))
    path = export.to_corpus_csv(arts, tmp_path / "corpus.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdoc_id,") and raw.count(b"\xef\xbb\xbf") == 1  # one BOM, at the start
    assert raw.decode("utf-8-sig").startswith("doc_id,")  # R's "UTF-8-BOM" drops it, as Python's utf-8-sig
    assert raw.decode("latin-1").startswith("ï»¿doc_id")  # what a non-UTF-8 locale sees: the README's warning
    assert pd.read_csv(path).columns[0] == "doc_id"
    rscript = shutil.which("Rscript")
    if rscript:  # where R is installed, the README's own line
        r = subprocess.run([rscript, "-e", f'd <- read.csv("{path}", fileEncoding = "UTF-8-BOM"); '
                            'cat(names(d)[1], d$doc_id[1])'], capture_output=True, text=True,
                           env={"LANG": "C", "LC_ALL": "C", "PATH": "/usr/bin:/bin"})
        assert r.stdout.split() == ["doc_id", "a1"], r.stderr


def test_inception_import_raises_no_pandas_deprecation(tmp_path):
    """fillna("") over columns no span fills warned that pandas 4 will raise."""
    import warnings

    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a1"], "text": [TEXT]}))
    inception.to_inception(arts, akhbar.annotate(arts, layers=("entity",)), tmp_path / "x")
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        warnings.simplefilter("error", DeprecationWarning)  # pandas' Pandas4Warning is one
        spans = inception.cas_spans(inception.read_xmi((tmp_path / "x" / "a1.xmi").read_bytes()))
        inception.from_inception(tmp_path / "x", arts, tmp_path / "annotations")
    assert (spans["value"] == "").all() and spans["start"].dtype.kind == "i"
