"""The notebooks as a reader meets them: every section shows something, a copied notebook
runs on a project folder with one parameter, and a run says nothing about its kernel.

The committed notebooks are the seed run (``make notebooks``); the browser test checks the
same sections on the run over the twelve unseen dev articles (``test_browser.py``).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _shows(output) -> bool:
    """Whether an output puts something on the page: text, a table, a figure."""
    if output.get("output_type") == "stream":
        return bool(output.get("text", "").strip())
    data = output.get("data", {})
    return any(str(data.get(k, "")).strip() for k in ("text/html", "text/markdown", "image/png", "text/plain"))


def silent_sections(nb) -> list[str]:
    """The ``##`` headings of a notebook not followed, before the next heading, by any
    code output that shows something (a table built in a loop and never displayed, a
    table inside an ``if`` that is not the cell's last expression)."""
    silent, heading, shown = [], None, False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = [line for line in cell.source.splitlines() if line.startswith("## ")]
            if lines:
                if heading is not None and not shown:
                    silent.append(heading)
                heading, shown = lines[-1][3:].strip(), False
        elif cell.cell_type == "code" and heading is not None:
            shown = shown or any(_shows(o) for o in cell.get("outputs", []))
    if heading is not None and not shown:
        silent.append(heading)
    return silent


def undisplayed_tables(nb) -> list[str]:
    """The first line of each code cell that builds a table (``show(``) but puts none on
    the page: the table was the value of a line inside a loop or a branch."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"(?<!plt\.)\bshow(_table)?\(", cell.source):
            if not any("text/html" in o.get("data", {}) for o in cell.get("outputs", [])):
                out.append(next((line for line in cell.source.splitlines() if "show" in line), cell.source[:60]))
    return out


def test_a_table_left_in_a_loop_is_caught():
    """Words in context: the cell prints a line, but its tables, built in a loop, never show."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## الكلمات في سياقها"),
        nbformat.v4.new_code_cell("print('two words')\nfor w in words:\n    akhbar.show(akhbar.kwic(articles, w))",
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="two words\n")]),
    ])
    assert silent_sections(nb) == [] and undisplayed_tables(nb) == ["    akhbar.show(akhbar.kwic(articles, w))"]


def test_a_section_without_output_is_caught():
    """«Keywords» shows nothing because its table sits in a branch: the check names it."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## المقالات\nThe articles."),
        nbformat.v4.new_code_cell("akhbar.show(articles)", outputs=[nbformat.v4.new_output(
            "execute_result", data={"text/html": "<table dir='rtl'></table>"}, execution_count=1)]),
        nbformat.v4.new_markdown_cell("## Keywords"),
        nbformat.v4.new_code_cell("if True:\n    akhbar.show(kw)", outputs=[]),
    ])
    assert silent_sections(nb) == ["Keywords"]


@pytest.mark.parametrize("book", BOOKS, ids=[b.stem for b in BOOKS])
def test_every_section_of_the_seed_run_shows_output(book):
    """The committed notebooks are the seed run: under every heading a table, a figure or text."""
    nb = nbformat.read(book, 4)
    assert silent_sections(nb) == [] and undisplayed_tables(nb) == []


def _project(tmp_path: Path) -> Path:
    """A researcher's project folder: two articles in articles/, nothing else."""
    project = tmp_path / "مشروع"
    (project / "articles").mkdir(parents=True)
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copy(seed, project / "articles" / seed.name)
    shutil.copy(ROOT / "seeds" / "articles.csv", project / "articles" / "articles.csv")
    return project


def _env():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "lib"))
    env.pop("MPLBACKEND", None)
    return env


def test_a_copied_notebook_runs_on_a_project_folder_with_one_parameter(tmp_path):
    """Notebook 02 copied out of the checkout, run with only ``project_dir`` set: no own
    gazetteer and no corrections in the project, both empty; spans.csv in its exports/."""
    project = _project(tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / "02-annotation.ipynb", work / "02.ipynb")
    done = subprocess.run([sys.executable, "-m", "papermill", "02.ipynb", "out.ipynb", "-p", "project_dir",
                           f"../{project.name}", "--kernel", "python3", "--no-progress-bar"],
                          cwd=work, env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(work / "out.ipynb", 4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert (project / "exports" / "spans.csv").is_file()
    assert sorted(p.name for p in project.iterdir()) == ["articles", "exports"]  # nothing else written
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "No correction file for these articles yet." in text


def test_a_run_is_quiet_and_its_warnings_are_one_line(tmp_path):
    """``akhbar compare`` prints no kernel transport warning and no interrupt; a correction
    file it cannot apply is named with its row in one line, without a line of akhbar's code."""
    a, b = sorted((ROOT / "seeds").glob("*.txt"))
    notes = tmp_path / "annotations"
    notes.mkdir()
    (notes / f"{a.stem}.csv").write_text("action,start,end\nadd,0,4\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "akhbar", "compare", str(a), str(b), "--only", "02",
                           "--annotations", str(notes), "--exports", str(tmp_path / "out")],
                          cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    said = done.stdout + done.stderr
    for noise in ("without encryption", "KeyboardInterrupt", "WARNING", "Traceback"):
        assert noise not in said, said[-2000:]
    nb = nbformat.read(tmp_path / "out" / "02-annotation.ipynb", 4)
    warned = [line for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "stream" and o.name == "stderr" for line in o.text.splitlines() if line.strip()]
    assert warned and all(f"{a.stem}.csv" in line and "row" in line and ".py" not in line for line in warned), warned
