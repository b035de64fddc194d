"""Researchers' tools: Excel and CSV with a BOM, Gephi (GEXF), quanteda/Voyant corpus CSV,
Williams-corrected keyness, and a citable, versioned package."""

import subprocess
import sys
import warnings
from importlib.resources import files

import networkx as nx
import openpyxl
import pandas as pd
import pytest

import akhbar
from akhbar.cli import main as cli
from akhbar.files import atomic_path
from akhbar.io import export
from akhbar.io.export import TooManyRows, to_corpus_csv, to_gexf, write_spans

BOM = b"\xef\xbb\xbf"
A2020, A2025 = "004_89c82ba38a398626", "000_36100a86710d4ed9"


@pytest.fixture(scope="module")
def seed(articles):
    return {"articles": articles, "spans": akhbar.annotate(articles), "paras": akhbar.paragraphs(articles)}


def cli_run(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "akhbar", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


# --- Excel ------------------------------------------------------------------------------
def sheet_frame(sheet) -> pd.DataFrame:
    rows = list(sheet.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_cli_writes_an_excel_workbook_one_sheet_per_layer(seeds_dir, articles, tmp_path):
    out = tmp_path / "spans.xlsx"
    r = cli_run("annotate", seeds_dir, "--out", out, "--quiet", "--batch", "1")
    assert r.returncode == 0, r.stderr
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["entity", "framing", "date", "quote", "group", "themes", "articles"]
    ent = sheet_frame(book["entity"])
    assert list(ent.columns) == akhbar.SPAN_COLUMNS
    assert (ent["layer"] == "entity").all() and ent["counts"].isin([True, False]).all()
    texts = dict(zip(articles["article_id"], articles["text"]))
    first = ent.iloc[0]
    assert first["surface"] == texts[first["article_id"]][first["start"]:first["end"]] == "حفتر"
    assert all(texts[a][s:e] == surface for a, s, e, surface in
               zip(ent["article_id"], ent["start"], ent["end"], ent["surface"]))
    n = sum(len(sheet_frame(book[name])) for name in ["entity", "framing", "date", "quote", "group"])
    assert f"{n} spans" in r.stdout
    meta = sheet_frame(book["articles"])
    assert list(meta.columns) == ["article_id", "title", "source", "published", "url"]
    row = meta.set_index("article_id").loc[A2020]
    assert row["title"] == "اجتماعات متسارعة.. هل يمتد الحلف القطري - التركي إلى ليبيا؟"
    assert row["source"] == "التغيير" and row["published"].date().isoformat() == "2020-07-21"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spans.xlsx"]  # no partial file, no lock


def test_write_spans_xlsx_keeps_text_as_text(seed, tmp_path):
    spans = seed["spans"][seed["spans"]["layer"] == "entity"].head(3).copy()
    spans.loc[spans.index[0], "note"] = "=1+1"
    path = write_spans(spans, tmp_path / "s.xlsx", articles=seed["articles"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["entity", "articles"]
    cell = book["entity"].cell(row=2, column=akhbar.SPAN_COLUMNS.index("note") + 1)
    assert cell.value == "=1+1" and cell.data_type == "s"
    assert book["entity"].cell(row=2, column=4).value == spans["surface"].iloc[0]
    with pytest.raises(ValueError, match=r"writes \.csv, \.parquet, \.xlsx"):
        write_spans(spans, tmp_path / "s.json")


@pytest.mark.filterwarnings("ignore::akhbar.MetadataWarning")
def test_a_layer_beyond_an_excel_sheet_is_refused_and_nothing_is_left(seed, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 5)
    out = tmp_path / "spans.xlsx"
    with pytest.raises(TooManyRows, match=r"the (entity|framing) layer has more than 4 spans.*spans\.parquet"):
        write_spans(seed["spans"], out)
    assert list(tmp_path.iterdir()) == []
    src = tmp_path / "arts"
    src.mkdir()
    (src / "a.txt").write_text("عنوان\nقال حفتر إن تركيا وقطر ومصر والجزائر وتونس والمغرب دول", encoding="utf-8")
    with pytest.raises(TooManyRows):
        cli.annotate_stream(src, out, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arts"]


def test_only_csv_parquet_and_xlsx_are_accepted(tmp_path, seeds_dir):
    r = cli_run("annotate", seeds_dir, "--out", tmp_path / "spans.json")
    assert r.returncode == 2 and "--out must end in .csv or .parquet (or .xlsx" in r.stderr
    assert cli._output_problem(seeds_dir, tmp_path / "s.XLSX") == ""


# --- CSV with one BOM ----------------------------------------------------------------------
def test_cli_csv_in_several_batches_has_one_bom(seeds_dir, tmp_path):
    out = tmp_path / "spans.csv"
    r = cli_run("annotate", seeds_dir, "--out", out, "--quiet", "--batch", "1")
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith(BOM + b"article_id,start,end,surface") and data.count(BOM) == 1
    got = pd.read_csv(out, encoding="utf-8-sig")
    assert got.columns[0] == "article_id" and set(got["article_id"]) == {A2020, A2025}
    assert "حفتر" in set(got["surface"])


def test_empty_and_library_csv_start_with_the_bom(seed, tmp_path):
    path = write_spans(seed["spans"], tmp_path / "s.csv")
    assert path.read_bytes().startswith(BOM) and path.read_bytes().count(BOM) == 1
    assert pd.read_csv(path)["surface"].tolist() == seed["spans"]["surface"].tolist()
    with atomic_path(tmp_path / "empty.csv") as part:  # as the command line writes it
        cli.SpanWriter(tmp_path / "empty.csv", part).commit()
    assert (tmp_path / "empty.csv").read_bytes() == BOM + (",".join(akhbar.SPAN_COLUMNS) + "\n").encode()


# --- Gephi ------------------------------------------------------------------------------------
def test_gexf_has_arabic_and_english_labels_and_weights(seed, tmp_path):
    path = to_gexf(seed["spans"], tmp_path / "actors.gexf", paras=seed["paras"])
    g = nx.read_gexf(path)
    want = akhbar.cooccurrence(seed["spans"], seed["paras"])
    assert set(g.nodes) == set(want.nodes) and g.number_of_edges() == want.number_of_edges()
    haftar = g.nodes["khalifa_haftar"]
    assert haftar["label"] == "خليفة حفتر · Khalifa Haftar"
    assert haftar["name_ar"] == "خليفة حفتر" and haftar["name_en"] == "Khalifa Haftar"
    assert haftar["type"] == "person" and haftar["mentions"] == want.nodes["khalifa_haftar"]["total"]
    assert haftar["articles"] == 2
    for u, v, d in want.edges(data=True):
        assert g[u][v]["weight"] == d["weight"]
    assert max(d["weight"] for _, _, d in g.edges(data=True)) > 1
    with pytest.raises(ValueError, match="needs paras"):
        to_gexf(seed["spans"], tmp_path / "x.gexf")
    g2 = nx.read_gexf(to_gexf(want, tmp_path / "g.gexf"))  # a graph works too
    assert g2.nodes["turkey"]["name_en"] == "Turkey" and not (tmp_path / "x.gexf").exists()


# --- quanteda / Voyant -----------------------------------------------------------------------
def test_corpus_csv_for_quanteda_and_voyant(seed, tmp_path):
    path = to_corpus_csv(seed["articles"], tmp_path / "corpus.csv")
    assert path.read_bytes().startswith(BOM + b"doc_id,text,") and path.read_bytes().count(BOM) == 1
    df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert list(df.columns) == ["doc_id", "text", "title", "source", "published", "url", "language"]
    arts = seed["articles"].set_index("article_id")
    assert df["doc_id"].tolist() == seed["articles"]["article_id"].tolist()
    for row in df.itertuples():
        assert row.text == arts.loc[row.doc_id, "text"] and row.title == arts.loc[row.doc_id, "title"]
    assert dict(zip(df["doc_id"], df["published"])) == {A2025: "2025-04-04", A2020: "2020-07-21"}
    assert set(df["language"]) == {"ar"}


# --- Keyness: Williams' correction -------------------------------------------------------------
def two_by_two_tokens() -> pd.DataFrame:
    """Target: «قطر» 30 times in 1,000 words; reference: 10 times in 1,000 words."""
    rows = ([("t", "قطر")] * 30 + [("t", "كلمة")] * 970 + [("r", "قطر")] * 10 + [("r", "كلمة")] * 990)
    df = pd.DataFrame(rows, columns=["article_id", "base"])
    return df.assign(token=df["base"], norm=df["base"], kind="word", stop=False)


def test_g2_with_and_without_williams_on_a_hand_computed_table():
    # 2x2 table: qatar 30 | 10, other words 970 | 990; N = 2000; expected qatar 20 | 20, others 980 | 980.
    # G2 = 2 (30 ln 30/20 + 970 ln 970/980 + 10 ln 10/20 + 990 ln 990/980) = 10.669048
    # q = 1 + (N/40 + N/1960 - 1)(N/1000 + N/1000 - 1) / 6N = 1 + 50.020408 * 3 / 12000 = 1.012505
    plain = akhbar.keyness(two_by_two_tokens(), "t").set_index("base").loc["قطر"]
    assert (plain["a"], plain["b"], plain["target_total"], plain["reference_total"]) == (30, 10, 1000, 1000)
    assert plain["g2"] == pytest.approx(10.669048, abs=1e-6) and plain["side"] == "target"
    assert akhbar.williams_q(30, 10, 1000, 1000) == pytest.approx(1.012505102, abs=1e-9)
    corrected = akhbar.keyness(two_by_two_tokens(), "t", correction="williams").set_index("base").loc["قطر"]
    assert corrected["g2"] == pytest.approx(10.537278, abs=1e-6)
    assert corrected["p"] == pytest.approx(0.0011699, abs=1e-7) and corrected["p"] > plain["p"]
    assert corrected["log_ratio"] == plain["log_ratio"]
    with pytest.raises(ValueError, match="correction must be None or 'williams'"):
        akhbar.keyness(two_by_two_tokens(), "t", correction="yates")


def test_williams_lowers_every_g2_of_the_seeds(seed):
    toks = akhbar.tokens(seed["articles"])
    plain = akhbar.keyness(toks, A2020).set_index("base")
    corrected = akhbar.keyness(toks, A2020, correction="williams").set_index("base").loc[plain.index]
    assert (corrected["g2"] <= plain["g2"]).all() and (corrected["g2"] < plain["g2"]).any()
    assert plain.loc["قطر", "g2"] == pytest.approx(7.828796, abs=1e-6)  # unchanged without correction


# --- A citable, versioned package ---------------------------------------------------------------
def test_version_flag_prints_the_package_version():
    r = cli_run("--version", timeout=60)
    assert r.returncode == 0 and r.stdout == f"akhbar {akhbar.__version__}\n"
    assert akhbar.__version__ == "0.1.0"


def test_package_metadata_license_citation_and_types():
    from importlib.metadata import metadata

    from conftest import ROOT

    meta = metadata("akhbar")
    assert meta["Name"] == "akhbar"
    assert files("akhbar").joinpath("py.typed").is_file()
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert "cff-version: 1.2.0" in cff and 'version: "0.1.0"' in cff and "license: MIT" in cff
    assert "akhbar contributors" in cff
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "CC BY 4.0" in licence and "Unicode License v3" in licence


def test_aggregate_without_duckdb_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    with pytest.raises(ImportError, match=r"pip install akhbar\[corpus\]"):
        akhbar.aggregate(tmp_path)


def test_setup_workbook_does_not_silence_deprecations_globally():
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.simplefilter("always")
        before = list(warnings.filters)
        akhbar.setup_workbook()
        added = [f for f in warnings.filters if f not in before]
        assert all(not (f[0] == "ignore" and f[1] is None and issubclass(DeprecationWarning, f[2]))
                   for f in added)
        with warnings.catch_warnings(record=True) as caught:  # keeps the filters setup_workbook left
            warnings.warn("the researcher's own deprecation", DeprecationWarning)
        assert [str(w.message) for w in caught] == ["the researcher's own deprecation"]
