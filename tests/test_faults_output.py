"""The right output, and nothing left behind: the same keys whatever the hash seed, the
command line matching articles.csv as the notebooks do, a date that is no date left empty,
titles on one line, and a full disk reported once with no temporary files."""

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

import akhbar
from akhbar.cli import main as cli
from akhbar.corpus.archive import load_corpus

KEYS = ("from akhbar.matcher import PhraseMatcher\nimport pandas as pd\n"
        "m = PhraseMatcher.from_table(pd.DataFrame({'form': ['الرئيس', 'تركيا'], 'id': ['p', 't']}), 'form')\n"
        "print('|'.join(m._keys))")


def test_matcher_keys_do_not_depend_on_the_hash_seed():
    """Paragraph themes differed between identical runs: clitics were sorted by length only."""
    env = {**os.environ, "PYTHONPATH": str(Path(akhbar.__file__).parents[1])}
    orders = {subprocess.run([sys.executable, "-c", KEYS], capture_output=True, text=True, check=True,
                             env={**env, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(orders) == 1 and orders.pop().count("|") > 20


def test_the_command_line_reads_articles_csv_as_the_notebooks_do(tmp_path):
    folder = tmp_path / "arts"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "x.txt").write_text("عنوان\nقال المشير خليفة حفتر إن تركيا", encoding="utf-8")
    (folder / "b.txt").write_text("عنوان\nزار أردوغان الدوحة", encoding="utf-8")
    (folder / "articles.csv").write_text("article_id,file,source\nA1,texts/x.txt,الجزيرة\nB2,b.txt,العربية\n",
                                         encoding="utf-8")
    out = tmp_path / "spans.csv"
    assert cli.main(["annotate", str(folder), "--out", str(out), "--quiet"]) == 0
    from_cli = set(pd.read_csv(out, encoding="utf-8-sig")["article_id"])
    assert from_cli == set(akhbar.load_articles(folder)["article_id"]) == {"A1", "B2"}


def test_a_published_value_that_is_no_date_leaves_the_date_empty():
    arts = pd.DataFrame({"article_id": ["a", "b"], "published": ["n/a", "2020-01-01"],
                         "text": ["قال المشير خليفة حفتر إن تركيا", "زار أردوغان الدوحة"]})
    with pytest.warns(akhbar.MetadataWarning, match="article a: published 'n/a': not a date"):
        spans = akhbar.annotate(arts, layers=("entity",))
    assert set(spans["article_id"]) == {"a", "b"}  # article a is annotated, not skipped
    with pytest.warns(akhbar.MetadataWarning):
        assert akhbar.inputs.as_articles(arts)["published"].isna().tolist() == [True, False]


def test_a_title_with_a_line_break_is_one_line(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "title": "حفتر\\nيهاجم طرابلس", "text": "قال حفتر"}\n', encoding="utf-8")
    batch = next(load_corpus(src))
    assert batch["title"].iloc[0] == "حفتر يهاجم طرابلس"
    assert batch["text"].iloc[0].split("\n")[0] == "حفتر يهاجم طرابلس"


def test_a_full_disk_for_xlsx_is_one_message_and_no_temporary_file(tmp_path, monkeypatch, capsys):
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "text": "قال المشير خليفة حفتر إن تركيا"}\n', encoding="utf-8")
    out = tmp_path / "spans.xlsx"
    out.write_text("previous")

    @contextmanager
    def full_disk(path):
        yield Path("/dev/full")  # every write fails with "No space left on device"

    monkeypatch.setattr(cli, "atomic_path", full_disk)
    from akhbar.io import export  # the sheets' streams beside the output, the workbook on the full disk

    workbook = export.SpanWorkbook
    monkeypatch.setattr(export, "SpanWorkbook", lambda path, scratch=None: workbook(path, tmp_path / ".s.partial"))
    before = {p.name for p in Path(tempfile.gettempdir()).glob("openpyxl.*")}
    caught = []
    hook, sys.unraisablehook = sys.unraisablehook, caught.append
    try:
        code = cli.main(["annotate", str(src), "--out", str(out), "--quiet"])
    finally:
        sys.unraisablehook = hook
    err = capsys.readouterr().err
    assert code == cli.EXIT_OUTPUT and "No space left on device" in err
    assert caught == [] and "Traceback" not in err and err.count("\n") == 1
    assert {p.name for p in Path(tempfile.gettempdir()).glob("openpyxl.*")} == before
    assert out.read_text() == "previous" and sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "spans.xlsx"]


def test_a_control_character_in_an_xlsx_cell_is_shown_not_dropped(tmp_path):
    """«a\\x00b» became «ab» in the workbook: two ids merged into one."""
    from openpyxl import load_workbook

    from akhbar.io.export import write_spans

    spans = akhbar.annotate(["قال حفتر", "قال حفتر"], layers=("entity",))
    spans["article_id"] = ["a\x00b", "ab"]
    path = write_spans(spans, tmp_path / "spans.xlsx")
    ids = [row[0] for row in load_workbook(path)["entity"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["a\ufffdb", "ab"]
