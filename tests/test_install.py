"""akhbar as a user installs it: a wheel in a new virtual environment, run from outside the checkout.

The wheel is built from a copy of the sources (the checkout gets no build/ folder) and
installed without its dependencies; the new environment borrows them from this one through
a ``.pth`` file, so nothing is downloaded.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from akhbar.cli import runner

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "lib", "notebooks", "annotations", "gazetteer"]
PAGES = ["01-reading.html", "02-annotation.html", "03-thematic-comparison.html", "04-charts.html",
         "05-corpus-trends.html"]


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A new virtual environment with the akhbar wheel installed; returns (bin folder, env)."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    built = subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(src)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, f"wheel build failed (setuptools pinned in requirements.txt?):\n{built.stderr[-2000:]}"
    wheel = next((tmp / "dist").glob("akhbar-*.whl"))
    env_dir = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True, timeout=120)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # the dependencies of this environment, after the new one's own site-packages (so the
    # installed akhbar comes first; the checkout's editable link is a .pth there, not read)
    (site / "zz_akhbar_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # and their data files that pip would put in the new environment: nbconvert's templates
    (env_dir / "share" / "jupyter").mkdir(parents=True)
    (env_dir / "share" / "jupyter" / "nbconvert").symlink_to(Path(sys.prefix, "share", "jupyter", "nbconvert"))
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    return env_dir / "bin", env


def akhbar(venv, cwd, *args, timeout=900):
    bin_dir, env = venv
    return subprocess.run([str(bin_dir / "akhbar"), *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_the_installed_package_is_imported(venv, tmp_path):
    bin_dir, env = venv
    out = subprocess.run([str(bin_dir / "python"), "-c",
                          "import akhbar, akhbar.cli.runner as r; print(akhbar.__file__); print(r.checkout()); "
                          "print(r.notebooks_dir()); print(r.kernel_name())"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    installed = bin_dir.parent
    assert Path(out[0]).is_relative_to(installed) and not Path(out[0]).is_relative_to(ROOT / "lib"), out
    assert out[1] == "None"
    assert Path(out[2]).is_relative_to(installed) and Path(out[2]).name == "notebooks", out
    assert sorted(p.name for p in Path(out[2]).glob("*.ipynb")) == [p.replace(".html", ".ipynb") for p in PAGES]
    assert out[3] == "python3"  # no akhbar kernel for this interpreter: ipykernel's own
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert akhbar(venv, tmp_path, "--version").stdout.strip() == f"akhbar {version}"


def test_workbook_from_the_installed_package(venv, tmp_path, seeds_dir):
    """Notebooks 02 (annotations, spans.csv) and 05 (Parquet, figures) on a copy of the seeds,
    every output under --exports, none in the package. (All five notebooks run from the
    checkout in the browser test and under nbval; here the installed copies are exercised.)"""
    arts = tmp_path / "مقالات"
    shutil.copytree(seeds_dir, arts)
    done = akhbar(venv, tmp_path, "workbook", arts.name, "--exports", "X", "--only", "02", "05")
    assert done.returncode == 0, done.stderr[-3000:]
    exports = tmp_path / "X"
    ran = [p for p in PAGES if p.startswith(("02", "05"))]
    assert sorted(p.name for p in exports.glob("*.html")) == sorted([*ran, "index.html"])
    index = (exports / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{page}"' in index for page in ran)
    assert "2020-07-21" in index and "2025-04-04" in index  # the seeds' dates, from their articles.csv
    assert len(list((exports / "figures").glob("*.png"))) >= 3  # notebook 05's charts
    assert (exports / "spans.csv").is_file() and list((exports / "05-corpus-parquet").rglob("*.parquet"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["X", "مقالات"])
    for page in ran:  # ran the installed notebooks, with absolute paths only
        nb = nbformat.read(exports / page.replace(".html", ".ipynb"), 4)
        assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        injected = next(c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
        paths = re.findall(r'= "(.*)"', injected)
        assert paths and all(Path(p).is_absolute() for p in paths), injected
        assert ".outputs-" not in injected and ".outputs-" not in (exports / page).read_text(encoding="utf-8")
        assert f'figures_dir = "{exports}/figures"' in injected or "figures_dir" not in injected, injected
    # the seeds' hand-written reading (beside the articles) and notebook 02's worked correction
    assert "Qatar–Turkey story" in (exports / "02-annotation.html").read_text(encoding="utf-8")
    assert "مندوبها الدائم" in (exports / "02-annotation.html").read_text(encoding="utf-8")
    assert not [p for p in (venv[0].parent).rglob("*.png")]  # nothing written into the environment


def test_compare_from_the_installed_package(venv, tmp_path, seeds_dir):
    for name, seed in zip("ab", sorted(seeds_dir.glob("*.txt"))):
        shutil.copy(seed, tmp_path / f"{name}.txt")
    done = akhbar(venv, tmp_path, "compare", "a.txt", "b.txt", "--dates", "2018-05-17,2018-06-28",
                  "--sources", "BBC,CNN", "--only", "01", "--exports", "out")
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == ["01-reading.html", "index.html"]
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "2018-05-17" in index and "2018-06-28" in index and "CNN" in index
    assert "a.txt, b.txt" in index
    page = (tmp_path / "out" / "01-reading.html").read_text(encoding="utf-8")
    assert "2018-06-28" in page
    wrong = akhbar(venv, tmp_path, "compare", "a.txt", "b.txt", "--dates", "2018-05-17", "--exports", "out2",
                   timeout=120)
    assert wrong.returncode == 2 and "--dates: 1 values for 2 files" in wrong.stderr
    assert not (tmp_path / "out2").exists()


def test_every_path_parameter_is_passed(tmp_path):
    """A notebook's relative default ("../...") would point nowhere in an installed package:
    the runner passes each of them, absolute."""
    params = runner.notebook_parameters(tmp_path / "arts", tmp_path / "out")
    assert all(Path(v).is_absolute() for v in params.values())
    for book in sorted(runner.notebooks_dir().glob("[0-9][0-9]-*.ipynb")):
        cell = next(c for c in nbformat.read(book, 4).cells if "parameters" in c.metadata.get("tags", []))
        relative = {t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)
                    for t in node.targets
                    if isinstance(node.value, ast.Constant) and str(node.value.value).startswith("..")}
        assert relative and relative <= set(params), (book.name, relative - set(params))


def test_the_checkout_seed_run_keeps_the_notebooks_defaults(tmp_path):
    """``make workbook`` / ``make notebooks``: no injected cell in the committed notebooks."""
    root = runner.checkout()
    assert root == ROOT
    assert runner.notebook_parameters(ROOT / "seeds", ROOT / "exports") == {}
    assert runner.notebook_parameters(ROOT / "seeds", tmp_path / "x")["figures_dir"] == str(tmp_path / "x" / "figures")
    assert runner.workbook(ROOT / "seeds", tmp_path / "x", inplace=True) == 2
    assert not (tmp_path / "x").exists()


def test_a_copied_notebook_runs_with_only_project_dir(venv, tmp_path, seeds_dir):
    """The installed notebook 02, copied anywhere, runs on a project folder that holds only
    its articles: the parameter project_dir is the one thing changed (no own gazetteer,
    no corrections: both empty)."""
    bin_dir, env = venv
    shipped = subprocess.run([str(bin_dir / "python"), "-c", "import akhbar.cli.runner as r; print(r.notebooks_dir())"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.strip()
    project = tmp_path / "project"
    shutil.copytree(seeds_dir, project / "articles", ignore=shutil.ignore_patterns("readings"))
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(Path(shipped) / "02-annotation.ipynb", work / "02.ipynb")
    done = subprocess.run([str(bin_dir / "python"), "-m", "papermill", "02.ipynb", "out.ipynb", "-p", "project_dir",
                           "../project", "--kernel", "python3", "--no-progress-bar"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(work / "out.ipynb", 4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert (project / "exports" / "spans.csv").is_file()
    assert sorted(p.name for p in project.iterdir()) == ["articles", "exports"]
