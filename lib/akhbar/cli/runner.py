"""The workbook runner: every notebook in order on a folder of articles (or on a few article
files), executed with papermill and exported as the shared HTML.

    akhbar workbook ARTICLES [--exports DIR]
    akhbar compare A.txt B.txt [--dates 2018-05-17,2018-06-28] [--sources BBC,CNN] [--exports DIR]
    akhbar workbook seeds --inplace        (in a checkout: refresh the committed notebooks)

The notebooks are found in the repository checkout (``notebooks/``) or, in an installed
package, in ``akhbar/notebooks`` (the wheel ships them). Every run but the checkout's own
(``seeds/`` into ``exports/``) passes every path parameter of the notebooks, absolute, so
their relative defaults never matter. Executed copies go to ``EXPORTS/NN-name.ipynb`` and
``EXPORTS/NN-name.html`` with an ``EXPORTS/index.html`` linking them; a failed notebook
leaves the pages of the previous complete run in place.

Running the notebooks needs the ``workbook`` extra (papermill, nbconvert, ipykernel):
``pip install akhbar[workbook]``.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..files import write_text

PACKAGE = Path(__file__).resolve().parent.parent


def checkout() -> Path | None:
    """The repository root when akhbar runs from a checkout (``lib/akhbar``), else ``None``.

    Example:
        >>> root = checkout()
        >>> root is None or (root / "notebooks" / "01-reading.ipynb").is_file()
        True
    """
    root = PACKAGE.parents[1]
    if PACKAGE.parent.name == "lib" and (root / "notebooks" / "01-reading.ipynb").is_file():
        return root
    return None


def notebooks_dir() -> Path:
    """Where the workbook's notebooks are: ``notebooks/`` of a checkout, else the package's copy.

    Example:
        >>> sorted(p.name[:2] for p in notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
        ['01', '02', '03', '04', '05']
    """
    root = checkout()
    return root / "notebooks" if root is not None else PACKAGE / "notebooks"


def _default(kind: str) -> Path:
    """The checkout's ``annotations/`` or ``gazetteer/actors.csv``, else the package's copy
    (the worked example of notebook 02 and an empty gazetteer)."""
    root = checkout()
    base = root if root is not None else PACKAGE
    return base / "annotations" if kind == "annotations" else base / "gazetteer" / "actors.csv"


KERNEL = {"name": "akhbar", "display_name": "akhbar (Python 3.11)", "language": "python"}
"""The kernel the README names, registered by ``make workbook`` (``.venv``'s Python)."""

def kernel_name() -> str:
    """The akhbar kernel when it is registered for this interpreter, else ``python3``
    (ipykernel's kernel of the running interpreter).

    Example:
        >>> kernel_name() in ("akhbar", "python3")
        True
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL["name"])
    except NoSuchKernel:
        return "python3"
    # a venv's interpreters are links to one base Python: compare where they are, not what
    same = spec.argv and Path(spec.argv[0]).parent == Path(sys.executable).parent
    return KERNEL["name"] if same else "python3"


def clean(nb):
    """Drop execution-time metadata so that a rerun changes nothing but real outputs; the
    notebook names the akhbar kernel, as the README tells readers to pick. A widget that also
    carries HTML keeps the HTML only (:func:`without_live_widgets`): a saved notebook has no
    kernel behind its widgets, so it shows what the review panel recorded until it is rerun.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# قراءة")])
        >>> nb.cells[0].metadata["papermill"] = {"duration": 1.5}
        >>> nb = clean(nb)
        >>> nb.metadata["kernelspec"]["name"], dict(nb.cells[0].metadata)
        ('akhbar', {})
    """
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
    return without_live_widgets(nb)


def _staged_name(src: Path, taken: set) -> str:
    """A file name for ``src`` in the staging folder that no other staged file has: its own
    name, else with its folder's name in front (``y2020-article.txt``), else numbered.

    Example:
        >>> taken = set()
        >>> _staged_name(Path("y2018/article.txt"), taken), _staged_name(Path("y2020/article.txt"), taken)
        ('article.txt', 'y2020-article.txt')
    """
    names = [src.name, f"{src.parent.name}-{src.name}"]
    names += [f"{src.stem}-{k}{src.suffix}" for k in range(2, len(taken) + 3)]
    name = next(n for n in names if n.lower() not in taken)
    taken.add(name.lower())
    return name


def stage_files(files: list[str | Path], dates: list[str] | None = None,
                sources: list[str] | None = None) -> Path:
    """Copy single article files into a temporary folder, with an ``articles.csv``.

    Each file's row comes from the ``articles.csv`` beside it, if it has one; ``dates``
    and ``sources`` (one per file, in order, ``""`` to keep) set or replace its
    ``published`` and ``source``. The caller removes the folder.

    Raises:
        ValueError: a file is missing, or ``dates``/``sources`` do not give one value per file.

    Example:
        >>> import akhbar
        >>> a = Path(tempfile.mkdtemp(), "a.txt")
        >>> _ = a.write_text("عنوان\\nقال إن تركيا", encoding="utf-8")
        >>> folder = stage_files([a], ["2018-05-17"], ["BBC"])
        >>> arts = akhbar.load_articles(folder)
        >>> arts["article_id"][0], str(arts["published"][0].date()), arts["source"][0]
        ('a', '2018-05-17', 'BBC')
        >>> shutil.rmtree(folder)
    """
    import csv

    from ..articles.loading import read_metadata

    dates, sources = list(dates or []), list(sources or [])
    for given, what in ((dates, "--dates"), (sources, "--sources")):
        if given and len(given) != len(files):
            raise ValueError(f"{what}: {len(given)} values for {len(files)} files (one per file, in order)")
    for f in files:
        if not Path(f).is_file():
            raise ValueError(f"{f}: no such article file")
    folder = Path(tempfile.mkdtemp(prefix="akhbar-articles-"))
    rows, metadata, taken = [], {}, set()
    for n, f in enumerate(files):
        src = Path(f).resolve()
        name = _staged_name(src, taken)
        shutil.copy(src, folder / name)
        row = {"article_id": Path(name).stem, "file": name, "title": "", "source": "", "published": ""}
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


def notebook_parameters(articles: Path, exports: Path, annotations: Path | None = None,
                        gazetteer: Path | None = None) -> dict:
    """Every path parameter of the five notebooks, absolute, for a run on ``articles``.

    Empty for a checkout's own run (its ``seeds/`` into its ``exports/``, the researcher's
    ``annotations/`` and ``gazetteer/``): the notebooks' defaults name exactly these, and
    the committed notebooks stay free of papermill's injected cell. Notebook 05 reads the
    same articles as its archive; figures go to ``EXPORTS/figures``.

    Example:
        >>> p = notebook_parameters(Path("مقالات"), Path("out"))
        >>> Path(p["articles_dir"]).name, Path(p["figures_dir"]).relative_to(Path("out").resolve()).as_posix()
        ('مقالات', 'figures')
        >>> sorted(p) == sorted(["project_dir", "articles_dir", "corpus_path", "annotations_dir", "gazetteer_path",
        ...                      "exports_dir", "figures_dir", "out_dir"])
        True
    """
    articles, exports = Path(articles).resolve(), Path(exports).resolve()
    annotations = Path(annotations).resolve() if annotations else _default("annotations")
    gazetteer = Path(gazetteer).resolve() if gazetteer else _default("gazetteer")
    root = checkout()
    if root is not None and (articles, exports, annotations, gazetteer) == (
            root / "seeds", root / "exports", root / "annotations", root / "gazetteer" / "actors.csv"):
        return {}
    return {"project_dir": str(articles), "articles_dir": str(articles), "corpus_path": str(articles),
            "annotations_dir": str(annotations),
            "gazetteer_path": str(gazetteer), "exports_dir": str(exports),
            "figures_dir": str(exports / "figures"), "out_dir": str(exports / "05-corpus-parquet")}


def workbook(articles: str | Path, exports: str | Path = "exports", only: list[str] | None = None,
             inplace: bool = False, annotations: str | Path | None = None,
             gazetteer: str | Path | None = None, label: str | None = None) -> int:
    """Run every notebook on a folder of articles and export the pages; returns an exit code.

    ``only`` keeps the notebooks whose names start with one of its prefixes (``["01"]``);
    ``inplace`` (a checkout's own seeds run only) writes the executed notebooks back.
    A problem is printed (naming the folder or notebook) and gives 1 or 2.

    Example:
        >>> workbook("لا-يوجد")  # a missing folder
        2
    """
    folder = Path(articles)
    if not folder.is_dir():
        print(f"{articles}: no such folder of articles", file=sys.stderr)
        return 2
    for given, ok, what in ((annotations, Path.is_dir, "folder of corrections"),
                            (gazetteer, Path.is_file, "gazetteer file")):
        if given is not None and not ok(Path(given)):
            print(f"{given}: no such {what}", file=sys.stderr)
            return 2
    params = notebook_parameters(folder, Path(exports), annotations, gazetteer)
    if inplace and params:
        print("--inplace refreshes the committed notebooks: only for a checkout's seeds/ into exports/",
              file=sys.stderr)
        return 2
    books = sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
    if only:
        books = [b for b in books if b.name.startswith(tuple(only))]
        if not books:
            print(f"--only {' '.join(only)}: no notebook's name starts so (01 to 05)", file=sys.stderr)
            return 2
    return publish(books, Path(exports).resolve(), params, inplace, label or str(articles))


def compare(files: list[str | Path], exports: str | Path = "exports/compare", dates: list[str] | None = None,
            sources: list[str] | None = None, only: list[str] | None = None,
            annotations: str | Path | None = None, gazetteer: str | Path | None = None) -> int:
    """Run every notebook on a few article files (staged with their dates and sources).

    Example:
        >>> compare(["أ.txt", "ب.txt"], dates=["2018-05-17"])
        2
    """
    try:
        folder = stage_files(files, dates, sources)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        return workbook(folder, exports, only, annotations=annotations, gazetteer=gazetteer,
                        label=", ".join(str(f) for f in files))
    finally:  # the temporary copy of the article files
        shutil.rmtree(folder, ignore_errors=True)


OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}{{ super() }}<p class="akhbar-index"><a href="index.html">&larr; akhbar workbook: all pages</a></p>{%- endblock body_header -%}
"""
"""The lab template without its CDN scripts (require.js, MathJax, mermaid): the pages
need none of them, and readers without network must not wait on them."""


def export_html(nb_path: Path, html_path: Path) -> None:
    """The notebook as a page titled with its own title, linking back to the index.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("مقدمة\\n# قراءة المقالات")])
        >>> folder = Path(tempfile.mkdtemp())
        >>> nbformat.write(nb, folder / "01-reading.ipynb")
        >>> export_html(folder / "01-reading.ipynb", folder / "01-reading.html")
        >>> page = (folder / "01-reading.html").read_text(encoding="utf-8")
        >>> "<title>قراءة المقالات</title>" in page, 'href="index.html"' in page
        (True, True)
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", template_file="akhbar-offline.html.j2",
                            extra_loaders=[DictLoader({"akhbar-offline.html.j2": OFFLINE_TEMPLATE})])
    nb = without_live_widgets(nbformat.read(nb_path, 4))
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title_of(nb, nb_path.stem)}})
    html_path.write_text(body, encoding="utf-8")


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def without_live_widgets(nb):
    """The notebook with each widget output that also carries HTML reduced to that HTML.

    A page has no kernel to run a widget: the review panel, for one, shows its reviewed
    state and agreement table instead (its ``text/html``), not an empty widget box.

    Example:
        >>> import nbformat
        >>> out = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "x"}, "text/html": "<p>3 kept</p>"})
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("panel", outputs=[out])])
        >>> sorted(without_live_widgets(nb).cells[0].outputs[0]["data"])
        ['text/html']
    """
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data and "text/html" in data:
                del data[WIDGET_VIEW]
    nb.metadata.pop("widgets", None)
    return nb


def write_index(exports: Path, pages: list[tuple[str, str]], articles: str, folder: Path | None = None) -> None:
    """The export's front page: what was compared (each article's title, date and source,
    when ``folder`` is given) and a link to every page.

    Example:
        >>> exports = Path(tempfile.mkdtemp())
        >>> write_index(exports, [("01-reading.html", "قراءة المقالات")], "seeds")
        >>> '<a href="01-reading.html">قراءة المقالات</a>' in (exports / "index.html").read_text(encoding="utf-8")
        True
    """
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
    """The compared articles as an HTML table (id, title, date, source), right to left; a
    date no metadata gave says where it was guessed from.

    Example:
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a1.txt").write_text("عنوان الخبر\\nزار أردوغان الدوحة.", encoding="utf-8")
        >>> table = article_table(folder)
        >>> table.count("<tr>"), '<td dir="auto">a1</td>' in table
        (2, True)
    """
    import warnings

    import pandas as pd

    from ..articles.loading import load_articles

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notebooks report the metadata problems
        arts = load_articles(folder)
    def day(published, guess: str) -> str:
        if pd.isna(published):
            return "no date"
        return published.date().isoformat() + (f" (guessed from the {guess})" if guess else "")

    rows = "\n".join(
        f'<tr><td dir="auto">{html.escape(str(a))}</td><td dir="auto">{html.escape(str(t))}</td>'
        f'<td dir="auto">{html.escape(day(p, g))}</td>'
        f'<td dir="auto">{html.escape(str(s))}</td></tr>'
        for a, t, p, g, s in zip(arts["article_id"], arts["title"], arts["published"], arts["published_guess"],
                                 arts["source"]))
    return ('<table dir="rtl"><thead><tr><th>article</th><th>title</th><th>published</th><th>source</th></tr>'
            f"</thead><tbody>\n{rows}\n</tbody></table>")


def title_of(nb, default: str) -> str:
    """The notebook's first ``# `` heading, else ``default``.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("مقدمة\\n# قراءة المقالات")])
        >>> title_of(nb, "01-reading"), title_of(nbformat.v4.new_notebook(), "01-reading")
        ('قراءة المقالات', '01-reading')
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return default


def publish(books: list[Path], exports: Path, params: dict, inplace: bool, articles_label: str) -> int:
    """Run the notebooks, then put their pages in place together and write the index.

    Example:
        With no notebooks to run, only the index is written:

        >>> exports = Path(tempfile.mkdtemp())
        >>> publish([], exports, {}, False, "مقالات")  # doctest: +ELLIPSIS
        wrote 0 notebooks to ... (index.html lists 0)
        0
        >>> (exports / "index.html").is_file()
        True
    """
    from ..files import OutputLocked, output_lock

    exports.mkdir(parents=True, exist_ok=True)
    try:
        with output_lock(exports / "workbook"):  # a second run into the same exports is refused
            return _publish(books, exports, params, inplace, articles_label)
    except OutputLocked as exc:
        print(exc, file=sys.stderr)
        return 1


def _publish(books: list[Path], exports: Path, params: dict, inplace: bool, articles_label: str) -> int:
    """:func:`publish` under the exports' lock. With ``params``, the notebooks' own outputs
    (``spans.csv``, ``brat/``, figures, Parquet) are written to a staging folder and moved
    into ``exports`` only when every notebook ran, as the pages are."""
    import nbformat

    staging = exports / f".outputs-{os.getpid()}"
    run_params = {**params, "exports_dir": str(staging), "figures_dir": str(staging / "figures"),
                  "out_dir": str(staging / "05-corpus-parquet")} if params else params
    try:
        staged = run_books(books, exports, run_params, staging if params else None)
        if staging.is_dir():
            _move_outputs(staging, exports)
    except NotebookFailed as exc:
        print(f"{exc}; {exports} keeps the pages and outputs of the previous complete run", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for book, (nb, out) in zip(books, staged):  # every notebook ran: the new pages go in together
        for part in (out, out.with_suffix(".html")):
            os.replace(part, exports / part.name.removeprefix(".staged-"))
        if inplace and not params:
            nbformat.write(nb, book)
    # the index lists every exported notebook, also those of an earlier run with --only
    listed = [(p.name, title_of(nbformat.read(p.with_suffix(".ipynb"), 4), p.stem))
              for p in sorted(exports.glob("[0-9][0-9]-*.html")) if p.with_suffix(".ipynb").exists()]
    root = checkout()
    folder = params.get("articles_dir") or (root / "seeds" if root is not None else None)
    write_index(exports, listed, articles_label, Path(folder) if folder else None)
    print(f"wrote {len(staged)} notebooks to {exports} (index.html lists {len(listed)})")
    return 0


def _move_outputs(staging: Path, exports: Path) -> None:
    """Put each file and folder of ``staging`` in place of its namesake in ``exports`` by
    renames: a folder replaced is first renamed aside, then removed."""
    for entry in sorted(staging.iterdir()):
        target = exports / entry.name
        aside = exports / f".previous-{os.getpid()}-{entry.name}"
        if target.is_dir() and not target.is_symlink():
            os.replace(target, aside)
        os.replace(entry, target)
        shutil.rmtree(aside, ignore_errors=True)


class NotebookFailed(RuntimeError):
    """A notebook of the workbook raised; the message names it and the error.

    Example:
        >>> try:
        ...     raise NotebookFailed("01-reading.ipynb failed in cell 3: KeyError: 'text'")
        ... except RuntimeError as exc:
        ...     print(exc)
        01-reading.ipynb failed in cell 3: KeyError: 'text'
    """


def kernel_config():
    """How the workbook talks to its kernels: over IPC sockets in Jupyter's runtime folder
    where the system has them (no network port, so the kernel has nothing to warn about),
    else TCP on the local machine.

    Example:
        >>> kernel_config()["KernelManager"]["transport"] in ("ipc", "tcp")
        True
    """
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc" if os.name == "posix" else "tcp"}})


def quiet_kernel_manager():
    """The kernel manager of the workbook's runs: jupyter_client's, except that stopping an
    idle kernel at the end of a notebook does not interrupt it first (the interrupt made
    ipykernel log "KeyboardInterrupt caught in kernel" after every successful notebook).
    A kernel that does not stop when asked is still ended by signal.

    Example:
        >>> quiet_kernel_manager().__name__
        'QuietKernelManager'
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:
                return  # shutting down an idle kernel: the shutdown request is enough
            await super()._async_interrupt_kernel()

    return QuietKernelManager


def shown_where_moved(nb, staging: Path, exports: Path):
    """The notebook as a reader should see it once its outputs moved from ``staging`` to ``exports``:
    papermill's parameters cell and the printed outputs name ``exports``, where the files are.

    Example:
        >>> import nbformat
        >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('exports_dir = "/x/.outputs-7"')])
        >>> shown_where_moved(nb, Path("/x/.outputs-7"), Path("/x")).cells[0].source
        'exports_dir = "/x"'
    """
    old, new = str(staging), str(exports)
    for cell in nb.cells:
        cell.source = cell.source.replace(old, new)
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = output["text"].replace(old, new)
            for kind, value in output.get("data", {}).items():
                if kind.startswith("text/") and isinstance(value, str):
                    output["data"][kind] = value.replace(old, new)
    return nb


def run_books(books: list[Path], exports: Path, params: dict,
              staging: Path | None = None) -> list[tuple[object, Path]]:
    """Execute the notebooks into hidden ``.staged-`` files of ``exports`` (notebook and HTML).

    With ``params`` (every path absolute) the kernel runs in ``exports``; without, in the
    notebooks' folder, where their relative defaults point into the checkout. ``staging``:
    the folder the notebooks wrote their outputs to, shown as ``exports`` (they move there).

    Raises:
        NotebookFailed: naming the notebook; the staged files are removed, so the pages
            of the previous run stay as they were.

    Example:
        >>> run_books([], Path(tempfile.mkdtemp()), {})
        []
    """
    import nbformat
    import papermill
    from tqdm import tqdm

    staged = []
    kernel = kernel_name()
    cwd = exports if params else books[0].parent if books else exports
    # Kernels must draw figures inline: an inherited MPLBACKEND=Agg (the Makefile sets it for
    # the tests) would leave the notebooks and their exported pages without charts.
    backend = os.environ.pop("MPLBACKEND", None)
    try:
        for book in tqdm(books, desc="notebooks", unit="nb"):
            out = exports / f".staged-{book.name}"
            declared = papermill.inspect_notebook(str(book))  # each notebook gets the parameters it has
            try:
                nb = papermill.execute_notebook(str(book), str(out), cwd=str(cwd),
                                                parameters={k: v for k, v in params.items() if k in declared},
                                                kernel_name=kernel, progress_bar=False, log_output=False,
                                                config=kernel_config(), kernel_manager_class=quiet_kernel_manager())
            except papermill.PapermillExecutionError as exc:
                raise NotebookFailed(f"{book.name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}") \
                    from None
            nb = clean(nbformat.from_dict(nb))
            if staging is not None:
                nb = shown_where_moved(nb, staging, exports)
            nbformat.write(nb, out)
            export_html(out, out.with_suffix(".html"))
            staged.append((nb, out))
    except BaseException:
        for part in exports.glob(".staged-*"):
            part.unlink(missing_ok=True)
        raise
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
    return staged


def _listed(values: str) -> list[str]:
    return [v.strip() for v in values.split(",")] if values.strip() else []


COMMANDS = ("workbook", "compare")


def add_commands(sub) -> None:
    """Add the ``workbook`` and ``compare`` subcommands to an argparse ``add_subparsers()``.

    Example:
        >>> ap = argparse.ArgumentParser()
        >>> add_commands(ap.add_subparsers(dest="command"))
        >>> args = ap.parse_args(["compare", "أ.txt", "ب.txt", "--dates", "2018-05-17,2018-06-28"])
        >>> args.files, args.dates, args.exports
        (['أ.txt', 'ب.txt'], '2018-05-17,2018-06-28', 'exports/compare')
    """
    w = sub.add_parser("workbook", help="run every notebook on a folder of articles and export the HTML")
    w.add_argument("articles", help="folder of .txt articles (with articles.csv)")
    w.add_argument("--exports", default="exports", help="where executed notebooks and HTML go (default: exports)")
    w.add_argument("--inplace", action="store_true",
                   help="in a checkout, on seeds/ into exports/: write the executed notebooks back to notebooks/")
    c = sub.add_parser("compare", help="run every notebook on a few article files, with their dates and outlets")
    c.add_argument("files", nargs="+", help="the article .txt files to compare")
    c.add_argument("--exports", default="exports/compare", help="where the pages go (default: exports/compare)")
    c.add_argument("--dates", default="", help="publication dates, one per file, comma-separated "
                   "(e.g. 2018-05-17,2018-06-28)")
    c.add_argument("--sources", default="", help="outlets, one per file, comma-separated (e.g. BBC,CNN)")
    for p in (w, c):
        p.add_argument("--only", nargs="+", default=None, help="notebook name prefixes to run, e.g. 01 02")
        p.add_argument("--annotations", default=None,
                       help="folder of the researcher's <article_id>.csv corrections (default: annotations/ "
                       "of the checkout, else the package's worked example)")
        p.add_argument("--gazetteer", default=None,
                       help="the researcher's gazetteer CSV (default: gazetteer/actors.csv of the checkout, "
                       "else an empty one)")


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed ``workbook`` or ``compare`` command; returns the exit code.

    Example:
        >>> ap = argparse.ArgumentParser()
        >>> add_commands(ap.add_subparsers(dest="command"))
        >>> run_command(ap.parse_args(["workbook", "لا-يوجد"]))  # a missing folder
        2
    """
    from importlib.util import find_spec

    missing = [m for m in ("papermill", "nbconvert", "ipykernel") if find_spec(m) is None]
    if missing:
        print(f"akhbar {args.command} needs the workbook extra ({', '.join(missing)} missing): "
              "pip install 'akhbar[workbook]'", file=sys.stderr)
        return 2
    if args.command == "compare":
        return compare(args.files, args.exports, _listed(args.dates), _listed(args.sources), args.only,
                       args.annotations, args.gazetteer)
    return workbook(args.articles, args.exports, args.only, args.inplace, args.annotations, args.gazetteer)


def main(argv: list[str] | None = None) -> int:
    """``python -m akhbar.cli.runner workbook|compare ...``, the same as ``akhbar workbook|compare``.

    Example:
        >>> main(["workbook", "لا-يوجد"])  # a missing folder
        2
    """
    ap = argparse.ArgumentParser(prog="python -m akhbar.cli.runner", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    add_commands(ap.add_subparsers(dest="command", required=True))
    return run_command(ap.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
