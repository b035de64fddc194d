"""One call that prepares a notebook (fonts, figure size, pandas display, RTL tables, one-line
warnings), and :func:`project`, the paths a notebook reads and writes, from one folder."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd

from ..views.style import setup_fonts
from ..views.tables import register_rtl_tables


def setup_workbook(dpi: int = 110) -> dict:
    """Set up fonts, DPI, pandas display options and RTL table rendering.

    Warning filters are left alone: a DeprecationWarning the researcher's own code
    triggers is still shown.

    Returns:
        What was set, for the notebook to print.

    Example:
        >>> info = setup_workbook()
        >>> info["font"], info["rtl_tables"]  # rtl_tables: False outside IPython
        ('Noto Sans Arabic', False)
    """
    family = setup_fonts()
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["figure.figsize"] = (8, 4.5)
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)
    pd.set_option("display.max_colwidth", 80)
    # No warning filter: the researcher's own code keeps its DeprecationWarnings (Python
    # and IPython already hide those raised inside libraries).
    rtl = register_rtl_tables()
    warnings.formatwarning = one_line_warning
    return {"font": family, "matplotlib": matplotlib.__version__, "rtl_tables": rtl}


def one_line_warning(message, category, filename, lineno, line=None) -> str:
    """A warning as one line: akhbar's own say the file and row in their message; another
    library's name where it was raised. Never the library's source line.

    Example:
        >>> from akhbar.pipeline.corrections import CorrectionSkipped
        >>> one_line_warning("annotations/a.csv: row 3: no such layer", CorrectionSkipped, "/x/annotate.py", 295)
        'CorrectionSkipped: annotations/a.csv: row 3: no such layer\\n'
        >>> one_line_warning("old option", FutureWarning, "/x/pandas/core.py", 12)
        'FutureWarning: old option (core.py, line 12)\\n'
    """
    text = " ".join(str(message).split())
    if getattr(category, "__module__", "").startswith("akhbar"):
        return f"{category.__name__}: {text}\n"
    return f"{category.__name__}: {text} ({Path(filename).name}, line {lineno})\n"


@dataclass(frozen=True)
class Project:
    """The paths of a research project, every one absolute (see :func:`project`)."""

    folder: Path
    articles: Path
    annotations: Path | None
    gazetteer: Path | None
    exports: Path
    figures: Path
    corpus: Path
    out: Path

    def __repr__(self) -> str:
        rows = [f"{k}: {v if v is not None else '(none)'}" for k, v in self.__dict__.items()]
        return "\n".join(rows)


def project(project_dir: str | Path = ".", articles_dir=None, annotations_dir=None, gazetteer_path=None,
            exports_dir=None, figures_dir=None, corpus_path=None, out_dir=None) -> Project:
    """Every path a notebook uses, from one project folder; each can be given on its own.

    Inside ``project_dir``: the articles in ``articles/`` (or ``seeds/``, as in akhbar's
    repository; else the ``.txt`` files of the folder itself), the researcher's corrections
    in ``annotations/`` and own gazetteer in ``gazetteer/actors.csv``; pages go to
    ``exports/`` and charts to ``figures/``. A missing ``annotations/`` or gazetteer is an
    empty one. ``corpus_path`` (notebook 05's archive) is the articles unless given; a given
    one that does not exist is reported and the articles are read instead. Relative paths
    are read from where the notebook runs.

    Raises:
        FileNotFoundError: the project folder, or a given articles folder, is missing.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "articles").mkdir(), (folder / "articles" / "a.txt").write_text("عنوان", encoding="utf-8")
        >>> p = project(folder)
        >>> p.articles.name, p.annotations, p.gazetteer, p.figures.name, p.corpus == p.articles
        ('articles', None, None, 'figures', True)
    """
    folder = Path(project_dir).expanduser().resolve()
    if not folder.is_dir():
        raise FileNotFoundError(f"project_dir {project_dir}: no such folder")

    def given(path):
        return Path(path).expanduser().resolve() if path not in (None, "") else None

    articles = given(articles_dir) or next((folder / n for n in ("articles", "seeds") if (folder / n).is_dir()),
                                           folder)
    if not articles.is_dir():
        raise FileNotFoundError(f"articles_dir {articles_dir}: no such folder of articles")
    annotations = given(annotations_dir) or (folder / "annotations")
    if annotations_dir in (None, "") and not annotations.is_dir():
        annotations = None  # no corrections yet
    gazetteer = given(gazetteer_path) or (folder / "gazetteer" / "actors.csv")
    if gazetteer_path in (None, "") and not gazetteer.is_file():
        gazetteer = None  # an empty own gazetteer
    exports = given(exports_dir) or folder / "exports"
    corpus = given(corpus_path) or articles
    if not corpus.exists():
        print(f"corpus_path {corpus_path}: not found; reading the project's articles ({articles}) instead")
        corpus = articles
    return Project(folder, articles, annotations, gazetteer, exports, given(figures_dir) or folder / "figures",
                   corpus, given(out_dir) or exports / "05-corpus-parquet")
