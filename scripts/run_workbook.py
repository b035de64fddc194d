"""Run every notebook in order on a folder of articles and export the shared HTML.

    python scripts/run_workbook.py --articles seeds --exports exports
    python scripts/run_workbook.py --files my/a.txt my/b.txt --exports exports/compare
    python scripts/run_workbook.py --inplace     # refresh the committed notebooks

Executed copies go to ``EXPORTS/NN-name.ipynb`` and ``EXPORTS/NN-name.html`` with an
``EXPORTS/index.html`` linking them. ``--inplace`` also writes the executed notebooks
back into ``notebooks/``, stripped of execution-time metadata.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
import pandas as pd
import papermill
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from tqdm import tqdm

from akhbar.files import write_text

# Kernels must draw figures inline: an inherited MPLBACKEND=Agg (the Makefile sets it for
# the tests) would leave the notebooks and their exported pages without charts.
os.environ.pop("MPLBACKEND", None)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


KERNEL = {"name": "akhbar", "display_name": "akhbar (Python 3.11)", "language": "python"}
"""The kernel the README names, registered by ``make workbook`` (``.venv``'s Python)."""


def kernel_name() -> str:
    """The akhbar kernel when it is registered, else the current environment's ``python3``."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL["name"] if KERNEL["name"] in KernelSpecManager().find_kernel_specs() else "python3"


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop execution-time metadata so that a rerun changes nothing but real outputs; the
    notebook names the akhbar kernel, as the README tells readers to pick."""
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if cell.cell_type == "code":
            for out in cell.outputs:
                out.get("metadata", {}).pop("papermill", None)
    return nb


def stage_files(files: list[str], dates: list[str] | None = None, sources: list[str] | None = None) -> Path:
    """Copy single article files into a temporary folder, with an ``articles.csv``.

    Each file's row comes from the ``articles.csv`` beside it, if it has one; ``dates``
    and ``sources`` (one per file, in order, ``""`` to keep) set or replace its
    ``published`` and ``source``.
    """
    import csv

    from akhbar.corpus import read_metadata

    dates, sources = list(dates or []), list(sources or [])
    for given, what in ((dates, "--dates"), (sources, "--sources")):
        if given and len(given) != len(files):
            sys.exit(f"{what}: {len(given)} values for {len(files)} files (one per file, in order)")
    folder = Path(tempfile.mkdtemp(prefix="akhbar-articles-"))
    rows, metadata = [], {}
    for n, f in enumerate(files):
        src = Path(f).resolve()
        if not src.is_file():
            sys.exit(f"{f}: no such article file")
        shutil.copy(src, folder / src.name)
        row = {"article_id": src.stem, "file": src.name, "title": "", "source": "", "published": ""}
        if src.parent not in metadata:  # the articles.csv beside the file, read once per folder
            metadata[src.parent] = read_metadata(src.parent)
        for r in metadata[src.parent][metadata[src.parent]["article_id"] == src.stem].to_dict("records")[:1]:
            row.update({k: r[k] for k in ("title", "source", "published") if r.get(k)})
        if n < len(dates) and dates[n]:
            row["published"] = dates[n]
        if n < len(sources) and sources[n]:
            row["source"] = sources[n]
        rows.append(row)
    with (folder / "articles.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else ["article_id"])
        writer.writeheader()
        writer.writerows(rows)
    return folder


OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}{{ super() }}<p class="akhbar-index"><a href="index.html">&larr; akhbar workbook: all pages</a></p>{%- endblock body_header -%}
"""
"""The lab template without its CDN scripts (require.js, MathJax, mermaid): the pages
need none of them, and readers without network must not wait on them."""


def export_html(nb_path: Path, html_path: Path) -> None:
    """The notebook as a page titled with its own title, linking back to the index."""
    exporter = HTMLExporter(template_name="lab", template_file="akhbar-offline.html.j2",
                            extra_loaders=[DictLoader({"akhbar-offline.html.j2": OFFLINE_TEMPLATE})])
    nb = nbformat.read(nb_path, 4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title_of(nb, nb_path.stem)}})
    html_path.write_text(body, encoding="utf-8")


def write_index(exports: Path, pages: list[tuple[str, str]], articles: str, folder: Path | None = None) -> None:
    """The export's front page: what was compared (each article's title, date and source,
    when ``folder`` is given) and a link to every page."""
    items = "\n".join(f'<li><a href="{html.escape(f)}">{html.escape(t)}</a></li>' for f, t in pages)
    write_text(exports / "index.html", f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>akhbar workbook</title></head>
<body>
<h1>akhbar: how Arabic news frames the same actors</h1>
<p>Articles: <code dir="auto">{html.escape(articles)}</code></p>
{article_table(folder) if folder is not None else ""}
<ol>
{items}
</ol>
</body></html>
""")


def article_table(folder: Path) -> str:
    """The compared articles as an HTML table (id, title, date, source), right to left."""
    import warnings

    import akhbar

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notebooks report the metadata problems
        arts = akhbar.load_articles(folder)
    rows = "\n".join(
        f'<tr><td dir="auto">{html.escape(str(a))}</td><td dir="auto">{html.escape(str(t))}</td>'
        f'<td dir="auto">{html.escape(p.date().isoformat() if pd.notna(p) else "no date")}</td>'
        f'<td dir="auto">{html.escape(str(s))}</td></tr>'
        for a, t, p, s in zip(arts["article_id"], arts["title"], arts["published"], arts["source"]))
    return ('<table dir="rtl"><thead><tr><th>article</th><th>title</th><th>published</th><th>source</th></tr>'
            f"</thead><tbody>\n{rows}\n</tbody></table>")


def title_of(nb: nbformat.NotebookNode, default: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", default=None, help="folder of .txt articles (default: seeds)")
    ap.add_argument("--files", nargs="+", default=None, help="article files to compare instead of a folder")
    ap.add_argument("--exports", default="exports", help="where executed notebooks and HTML go")
    ap.add_argument("--dates", default="", help="with --files: publication dates, one per file, comma-separated "
                    "(e.g. 2018-05-17,2018-06-28)")
    ap.add_argument("--sources", default="", help="with --files: outlets, one per file, comma-separated")
    ap.add_argument("--only", nargs="*", default=None, help="notebook name prefixes to run, e.g. 01 02")
    ap.add_argument("--inplace", action="store_true", help="write executed notebooks back to notebooks/")
    args = ap.parse_args(argv)

    params = {}
    articles_label = "seeds/"
    if args.files:
        params["articles_dir"] = str(stage_files(args.files, _listed(args.dates), _listed(args.sources)))
        articles_label = ", ".join(args.files)
    elif args.articles:
        folder = Path(args.articles).resolve()
        if not folder.is_dir():
            sys.exit(f"{args.articles}: no such folder of articles")
        if folder != (ROOT / "seeds").resolve():
            params["articles_dir"] = str(folder)
            articles_label = args.articles
    if params:
        params["corpus_path"] = params["articles_dir"]  # 05 reads the same articles as an archive
        params["out_dir"] = str((Path(args.exports) / "05-corpus-parquet").resolve())
        params["exports_dir"] = str(Path(args.exports).resolve())
        params["figures_dir"] = str((Path(args.exports) / "figures").resolve())
    exports = Path(args.exports).resolve()
    exports.mkdir(parents=True, exist_ok=True)

    books = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    if args.only:
        books = [b for b in books if b.name.startswith(tuple(args.only))]
    try:
        return publish(books, exports, params, args.inplace, articles_label)
    finally:
        if args.files:  # the temporary copy of the article files
            shutil.rmtree(params["articles_dir"], ignore_errors=True)


def publish(books: list[Path], exports: Path, params: dict, inplace: bool, articles_label: str) -> int:
    """Run the notebooks, then put their pages in place together and write the index."""
    try:
        staged = run_books(books, exports, params)
    except NotebookFailed as exc:
        print(f"{exc}; {exports} keeps the pages of the previous complete run", file=sys.stderr)
        return 1
    for book, (nb, out) in zip(books, staged):  # every notebook ran: the new pages go in together
        for part in (out, out.with_suffix(".html")):
            os.replace(part, exports / part.name.removeprefix(".staged-"))
        if inplace and not params:
            nbformat.write(nb, book)
    # the index lists every exported notebook, also those of an earlier run with --only
    listed = [(p.name, title_of(nbformat.read(p.with_suffix(".ipynb"), 4), p.stem))
              for p in sorted(exports.glob("[0-9][0-9]-*.html")) if p.with_suffix(".ipynb").exists()]
    write_index(exports, listed, articles_label, Path(params.get("articles_dir", ROOT / "seeds")))
    print(f"wrote {len(staged)} notebooks to {exports} (index.html lists {len(listed)})")
    return 0


def _listed(values: str) -> list[str]:
    return [v.strip() for v in values.split(",")] if values.strip() else []


class NotebookFailed(RuntimeError):
    """A notebook of the workbook raised; the message names it and the error."""


def run_books(books: list[Path], exports: Path, params: dict) -> list[tuple[nbformat.NotebookNode, Path]]:
    """Execute the notebooks into hidden ``.staged-`` files of ``exports`` (notebook and HTML).

    Raises:
        NotebookFailed: naming the notebook; the staged files are removed, so the pages
            of the previous run stay as they were.
    """
    staged = []
    kernel = kernel_name()
    try:
        for book in tqdm(books, desc="notebooks", unit="nb"):
            out = exports / f".staged-{book.name}"
            try:
                nb = papermill.execute_notebook(str(book), str(out), parameters=params, cwd=str(NOTEBOOKS),
                                                kernel_name=kernel, progress_bar=False, log_output=False)
            except papermill.PapermillExecutionError as exc:
                raise NotebookFailed(f"{book.name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}") \
                    from None
            nb = clean(nbformat.from_dict(nb))
            nbformat.write(nb, out)
            export_html(out, out.with_suffix(".html"))
            staged.append((nb, out))
    except BaseException:
        for part in exports.glob(".staged-*"):
            part.unlink(missing_ok=True)
        raise
    return staged


if __name__ == "__main__":
    raise SystemExit(main())
