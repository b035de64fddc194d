"""The command line as a researcher meets it: one .txt file or an archive in, one-line messages
and documented exit codes out, a progress bar with the time left, warnings through logging,
and HTML archives read with a real parser."""

import gzip
import json
import logging
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from tqdm import tqdm

from akhbar.cli import main as cli
from akhbar.corpus.archive import load_corpus
from akhbar.files import output_lock

from conftest import ROOT

ARCHIVE = ROOT / "tests" / "data" / "archive" / "articles.jsonl"
A2020 = "004_89c82ba38a398626"
FORMATS = "(akhbar reads a .txt file, a folder of .txt, a .jsonl, .jsonl.gz or a .parquet file)"


def run(*args, exe=None):
    command = [exe] if exe else [sys.executable, "-m", "akhbar"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=300)


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def seeds(tmp_path, seeds_dir):
    """A copy of the seed folder (two articles and their articles.csv)."""
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    return folder


def one_line(err: str) -> str:
    """The single line of a message on standard error (and no traceback)."""
    assert "Traceback" not in err and err.endswith("\n") and err.count("\n") == 1, err
    return err.rstrip("\n")


# --- 1. one .txt file --------------------------------------------------------------------
def test_a_single_txt_file_is_annotated(seeds, tmp_path):
    out = tmp_path / "one.csv"
    r = run("annotate", seeds / f"{A2020}.txt", "--out", out, "--quiet")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"annotated 1 articles, {len(pd.read_csv(out))} spans -> {out}; 0 skipped\n"
    spans = pd.read_csv(out)
    assert set(spans["article_id"]) == {A2020} and "khalifa_haftar" in set(spans["canonical_id"])
    text = next(load_corpus(seeds / f"{A2020}.txt")).loc[0, "text"]
    assert all(text[s:e] == surface for s, e, surface in zip(spans["start"], spans["end"], spans["surface"]))


def test_a_single_txt_file_keeps_its_folders_metadata_safe(seeds):
    before = (seeds / "articles.csv").read_bytes()
    r = run("annotate", seeds / f"{A2020}.txt", "--out", seeds / "articles.csv", "--quiet")
    assert r.returncode == 2
    assert one_line(r.stderr) == (f"akhbar: {seeds / 'articles.csv'}: --out would replace the input folder's "
                                  "own articles.csv; choose another file")
    assert (seeds / "articles.csv").read_bytes() == before


# --- 2. --batch and --workers of at least 1 ------------------------------------------------
@pytest.mark.parametrize("option, value", [("--batch", "0"), ("--batch", "-5"), ("--workers", "0"),
                                           ("--workers", "-1")])
def test_batch_and_workers_below_one_are_refused(seeds, tmp_path, capsys, option, value):
    out = tmp_path / "spans.csv"
    assert cli.main(["annotate", str(seeds), "--out", str(out), option, value]) == cli.EXIT_USAGE == 2
    captured = capsys.readouterr()
    assert one_line(captured.err) == f"akhbar: {option} must be at least 1, got {value}"
    assert captured.out == "" and not out.exists()


# --- 3. the program's name in its help ------------------------------------------------------
def test_help_names_python_m_akhbar_when_run_as_a_module():
    r = run("--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: python -m akhbar [-h]")
    assert "exit codes:" in r.stdout and "  130  interrupted" in r.stdout
    r = run("annotate", "x.jsonl")
    assert r.returncode == 2
    assert one_line(r.stderr) == ("akhbar: the following arguments are required: --out "
                                  "(see python -m akhbar annotate --help)")


def test_help_names_akhbar_when_run_as_the_installed_command(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/akhbar"])
    with pytest.raises(SystemExit) as stop:
        cli.main(["annotate", "--help"])
    assert stop.value.code == 0 and capsys.readouterr().out.startswith("usage: akhbar annotate [-h] --out OUT")
    monkeypatch.setattr(sys, "argv", ["/x/lib/akhbar/__main__.py"])
    assert cli.build_parser().prog == "python -m akhbar"


def test_the_installed_command_says_akhbar():
    exe = Path(sys.executable).parent / "akhbar"
    if not exe.exists():
        pytest.skip("akhbar is not installed as a command beside this Python")
    r = run("--help", exe=exe)
    assert r.returncode == 0 and r.stdout.startswith("usage: akhbar [-h]")


# --- 4. user errors: one line, a documented exit code --------------------------------------
def test_missing_and_unknown_inputs(tmp_path, capsys):
    out = tmp_path / "spans.csv"
    assert cli.main(["annotate", str(tmp_path / "none.jsonl"), "--out", str(out)]) == cli.EXIT_INPUT == 3
    assert one_line(capsys.readouterr().err) == f"akhbar: {tmp_path / 'none.jsonl'}: no such file or folder {FORMATS}"
    (tmp_path / "a.docx").write_text("x")
    assert cli.main(["annotate", str(tmp_path / "a.docx"), "--out", str(out)]) == 3
    assert one_line(capsys.readouterr().err) == (f"akhbar: {tmp_path / 'a.docx'}: unknown corpus format "
                                                 f"'.docx' {FORMATS}")
    assert cli.main(["annotate", str(tmp_path / "a.docx"), "--out", str(tmp_path / "spans.txt")]) == 2
    assert "--out must end in .csv or .parquet" in one_line(capsys.readouterr().err)
    (tmp_path / "empty").mkdir()
    assert cli.main(["annotate", str(tmp_path / "empty"), "--out", str(out)]) == 3
    assert one_line(capsys.readouterr().err) == (f"akhbar: {tmp_path / 'empty'}: no .txt or .parquet articles "
                                                 "in this folder")
    assert not out.exists()


def test_a_locked_output_is_refused(seeds, tmp_path, capsys):
    out = tmp_path / "spans.csv"
    out.write_text("previous\n")
    with output_lock(out):
        assert cli.main(["annotate", str(seeds), "--out", str(out), "--quiet"]) == cli.EXIT_OUTPUT == 4
    message = one_line(capsys.readouterr().err)
    assert message.startswith(f"akhbar: {out}: another run is writing it (lock ")
    assert out.read_text() == "previous\n"


def test_bad_corrections_and_gazetteer_files_stop_before_the_run(seeds, tmp_path, capsys):
    out = tmp_path / "spans.csv"
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / f"{A2020}.csv").write_text("action,start,end\nreject,1,2\n", encoding="utf-8")
    assert cli.main(["annotate", str(seeds), "--out", str(out), "--annotations", str(notes)]) == 3
    assert one_line(capsys.readouterr().err) == (f"akhbar: {notes / A2020}.csv: row 1: header lacks columns "
                                                 "['surface', 'layer']")
    assert cli.main(["annotate", str(seeds), "--out", str(out), "--annotations", str(tmp_path / "nope")]) == 3
    assert one_line(capsys.readouterr().err) == f"akhbar: {tmp_path / 'nope'}: no such folder of corrections"
    gazetteer = tmp_path / "actors.csv"
    gazetteer.write_text("form,canonical_id\nحفتر,haftar\n", encoding="utf-8")
    assert cli.main(["annotate", str(seeds), "--out", str(out), "--gazetteer", str(gazetteer)]) == 3
    message = one_line(capsys.readouterr().err)
    assert message.startswith(f"akhbar: {gazetteer}: missing columns [") and "'type'" in message
    assert not out.exists()


def test_a_full_disk_keeps_the_previous_output(seeds, tmp_path, capsys, monkeypatch):
    out = tmp_path / "spans.csv"
    out.write_text("previous\n")

    def full(self, df):
        raise OSError(28, "No space left on device", str(self.part))

    monkeypatch.setattr(cli.SpanWriter, "write", full)
    assert cli.main(["annotate", str(seeds), "--out", str(out), "--quiet"]) == cli.EXIT_OUTPUT
    message = one_line(capsys.readouterr().err)
    assert re.fullmatch(rf"akhbar: {re.escape(str(tmp_path))}/\.spans\.csv\.\d+\.partial\.csv: "
                        "No space left on device", message), message
    assert out.read_text() == "previous\n" and sorted(p.name for p in tmp_path.iterdir()) == ["seeds", "spans.csv"]


def test_the_exit_codes_are_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in cli.EXIT_CODES:
        assert re.search(rf"^\| {code} \| ", readme, re.MULTILINE), code


# --- 5. progress: share read and time left ------------------------------------------------------
def test_progress_by_compressed_bytes_for_a_gzip_archive(tmp_path):
    gz = tmp_path / "a.jsonl.gz"
    gz.write_bytes(gzip.compress(ARCHIVE.read_bytes()))
    r = run("annotate", gz, "--out", tmp_path / "s.csv", "--batch", "3")
    assert r.returncode == 0, r.stderr
    last = re.split(r"[\r\n]", r.stderr.strip())[-1]
    size = tqdm.format_sizeof(gz.stat().st_size, divisor=1024)
    assert size != tqdm.format_sizeof(ARCHIVE.stat().st_size, divisor=1024)  # compressed, not read, bytes
    assert re.fullmatch(rf"annotate: 100%\|█+\| {re.escape(size)}/{re.escape(size)} "
                        r"\[\d\d:\d\d<00:00, .*B/s, 11 articles\]", last), last


def test_progress_by_files_for_a_folder(seeds, tmp_path):
    r = run("annotate", seeds, "--out", tmp_path / "s.csv", "--batch", "1")
    assert r.returncode == 0, r.stderr
    frames = re.split(r"[\r\n]", r.stderr.strip())
    assert any(re.match(r"annotate:  50%\|.*\| 1/2 \[\d\d:\d\d<", f) for f in frames), frames
    assert re.match(r"annotate: 100%\|█+\| 2/2 \[\d\d:\d\d<00:00, .*, 2 articles\]", frames[-1]), frames[-1]


# --- 6. warnings as one line through the akhbar logger ---------------------------------------
def test_warnings_and_skipped_records_are_one_line_each(tmp_path):
    src = write_jsonl(tmp_path / "w.jsonl", [
        {"id": "a", "title": "t", "text": "قال إن تركيا", "published": "soon"},
        {"id": "a", "title": "t", "text": "قال إن قطر"}])
    with open(src, "a", encoding="utf-8") as fh:
        fh.write("not json\n")
    r = run("annotate", src, "--out", tmp_path / "o.csv", "--quiet")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"akhbar: {src}:1: published 'soon': not a date akhbar reads (ISO 8601 or RFC 822); left empty",
        f"akhbar: {src}:2: duplicate id 'a' (first at {src}:1); this copy skipped",
        f"akhbar: {src}:3: invalid JSON (Expecting value at column 1); skipped"]
    assert r.stdout.endswith("; 2 skipped (1 duplicate id, 1 invalid JSON)\n")


def test_drifted_corrections_are_logged_on_the_akhbar_logger(seeds, tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / f"{A2020}.csv").write_text("action,start,end,surface,layer,label\nreject,16,20,حفتر,entity,\n",
                                        encoding="utf-8")
    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append((record.name, record.levelname, record.getMessage()))

    keep = Keep()
    logging.getLogger("akhbar").addHandler(keep)
    try:
        assert cli.main(["annotate", str(seeds), "--out", str(tmp_path / "s.csv"), "--quiet",
                         "--annotations", str(notes)]) == 0
    finally:
        logging.getLogger("akhbar").removeHandler(keep)
    drift = f"{notes / A2020}.csv: row 2: offsets 16-20 no longer slice to 'حفتر'"
    assert [(n, lvl) for n, lvl, m in seen if m.startswith(drift)] == [("akhbar", "WARNING")]
    captured = capsys.readouterr()
    assert [line for line in captured.err.splitlines() if drift in line][0].startswith(f"akhbar: {drift}")
    assert captured.out.endswith("; 0 skipped; 1 correction rows not applied\n")


def test_other_libraries_warnings_are_one_line_too(seeds, tmp_path, capsys, monkeypatch):
    def stream(*args, **kwargs):
        warnings.warn("a future change", FutureWarning)
        return 0, 0, [], []

    monkeypatch.setattr(cli, "annotate_stream", stream)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert cli.main(["annotate", str(seeds), "--out", str(tmp_path / "s.csv")]) == 0
    line = re.escape(Path(__file__).name)
    assert re.fullmatch(rf"akhbar: {line}:\d+: FutureWarning: a future change\n", capsys.readouterr().err)


# --- 7. HTML archives ------------------------------------------------------------------------
def test_html_archive_records_are_annotated_on_their_text(tmp_path):
    page = ("<html><head><style>body {font: 'قطر'}</style></head><body><h1>حفتر في أنقرة</h1>"
            "<p>قال المشير خليفة حفتر إن &quot;تركيا&quot; &amp;amp; مصر شريكان.</p>"
            "<script>var x = 'قطر والجزائر';</script><noscript>الجزائر</noscript></body></html>")
    src = write_jsonl(tmp_path / "h.jsonl", [{"id": "h1", "title": "حفتر في أنقرة", "text": page}])
    out = tmp_path / "h.csv"
    r = run("annotate", src, "--out", out, "--quiet")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    spans = pd.read_csv(out)
    text = next(load_corpus(src)).loc[0, "text"]
    assert text == 'حفتر في أنقرة\nقال المشير خليفة حفتر إن "تركيا" &amp; مصر شريكان.'
    assert {"khalifa_haftar", "turkey", "egypt"} <= set(spans["canonical_id"])
    assert not {"qatar", "algeria"} & set(spans["canonical_id"])
    assert all(text[s:e] == surface for s, e, surface in zip(spans["start"], spans["end"], spans["surface"]))


def test_layers_leave_out_the_name_tagger_and_an_unknown_layer_is_refused(tmp_path):
    article = tmp_path / "a1.txt"
    article.write_text("قال جورج بوش إن أنقرة بعيدة عن المفاوضات.\n", encoding="utf-8")
    every, some = tmp_path / "every.csv", tmp_path / "some.csv"
    assert run("annotate", article, "--out", every, "--quiet").returncode == 0
    r = run("annotate", article, "--out", some, "--quiet", "--layers", "entity,quote")
    assert r.returncode == 0, r.stderr
    with_tagger, without = pd.read_csv(every, dtype=str), pd.read_csv(some, dtype=str)
    assert "جورج بوش" in set(with_tagger.loc[with_tagger["source"] == "model", "surface"])  # no list holds him
    assert "model" not in set(without["source"]) and set(without["layer"]) <= {"entity", "quote"}
    bad = run("annotate", article, "--out", tmp_path / "x.csv", "--quiet", "--layers", "entity,names")
    assert bad.returncode == 2 and "--layers takes names from" in bad.stderr and "got entity,names" in bad.stderr
