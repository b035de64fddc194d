"""The workbook runner: a failed run keeps the previous outputs, not only the pages; a second
run into the same exports is refused; two files of the same name are two articles."""

import nbformat

import akhbar
from akhbar.cli import runner
from akhbar.files import output_lock


def writing_notebook(path, fails):
    params = nbformat.v4.new_code_cell('exports_dir = "exports"')
    params.metadata["tags"] = ["parameters"]
    cells = [nbformat.v4.new_markdown_cell("# Writes"), params,
             nbformat.v4.new_code_cell("from pathlib import Path\nPath(exports_dir).mkdir(parents=True, exist_ok=True)\n"
                                       "Path(exports_dir, 'spans.csv').write_text('new')\n"
                                       "Path(exports_dir, 'brat').mkdir(exist_ok=True)")]
    if fails:
        cells.append(nbformat.v4.new_code_cell("raise ValueError('boom')"))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_outputs_go_in_only_when_every_notebook_ran(tmp_path, capsys):
    exports = tmp_path / "exports"
    (exports / "brat").mkdir(parents=True)
    (exports / "brat" / "a.ann").write_text("previous")
    (exports / "spans.csv").write_text("previous")
    params = runner.notebook_parameters(tmp_path, exports)
    book = writing_notebook(tmp_path / "08-writes.ipynb", fails=True)
    assert runner.publish([book], exports, params, False, "x") == 1
    assert "ValueError: boom" in capsys.readouterr().err
    assert (exports / "spans.csv").read_text() == "previous" and (exports / "brat" / "a.ann").exists()
    assert sorted(p.name for p in exports.iterdir()) == ["brat", "spans.csv"]  # nothing staged is left
    book = writing_notebook(tmp_path / "08-writes.ipynb", fails=False)
    assert runner.publish([book], exports, params, False, "x") == 0
    assert (exports / "spans.csv").read_text() == "new" and not (exports / "brat" / "a.ann").exists()
    assert not [p for p in exports.iterdir() if p.name.startswith(".")]  # no staging, no lock, no old copy


def test_a_second_run_into_the_same_exports_is_refused(tmp_path, capsys):
    exports = tmp_path / "exports"
    with output_lock(exports / "workbook"):
        assert runner.publish([], exports, {}, False, "x") == 1
    assert "another run is writing it" in capsys.readouterr().err
    assert not (exports / "index.html").exists()
    assert runner.publish([], exports, {}, False, "x") == 0  # released after


def test_two_files_of_the_same_name_are_two_articles(tmp_path):
    for year, text in (("y2018", "عنوان أول\nقال إن تركيا"), ("y2020", "عنوان ثان\nقال إن قطر")):
        (tmp_path / year).mkdir()
        (tmp_path / year / "article.txt").write_text(text, encoding="utf-8")
    folder = runner.stage_files([tmp_path / "y2018" / "article.txt", tmp_path / "y2020" / "article.txt"],
                                ["2018-05-17", "2020-06-28"])
    arts = akhbar.load_articles(folder)
    assert arts["article_id"].tolist() == ["article", "y2020-article"]
    assert arts["title"].tolist() == ["عنوان أول", "عنوان ثان"]
    assert [str(d.date()) for d in arts["published"]] == ["2018-05-17", "2020-06-28"]
