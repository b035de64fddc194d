"""Charts with correct Arabic: the one label helper, the font, saving figures, and the house style
every chart shares (figure, bilingual title, legend below, time axis)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib import font_manager
from packaging.version import Version

from ..files import atomic_path

NATIVE_RTL = Version(matplotlib.__version__) >= Version("3.11")
"""matplotlib 3.11+ shapes Arabic and orders right-to-left runs itself (libraqm)."""

FIGURES = Path("figures")


def label(s: str) -> str:
    """Prepare a string for matplotlib; the only place in akhbar that reshapes text.

    On matplotlib >= 3.11 the string is returned unchanged, because reshaping it
    first would make matplotlib draw it reversed. Older versions draw characters in
    logical order without joining, so they get ``get_display(reshape(s))``.

    Example:
        >>> label("المشير حفتر")  # matplotlib >= 3.11 shapes it itself: unchanged
        'المشير حفتر'
    """
    if NATIVE_RTL or not isinstance(s, str) or not s:
        return s
    from arabic_reshaper import reshape
    from bidi import get_display

    return get_display(reshape(s))


def setup_fonts() -> str:
    """Register Noto Sans Arabic (from PyPI, no system install) and make it the default.

    Latin letters fall back to DejaVu Sans, which matplotlib ships.

    Returns:
        The font family name in use.

    Example:
        >>> setup_fonts()
        'Noto Sans Arabic'
    """
    family = "DejaVu Sans"
    try:
        import fontpkg_noto_sans_arabic as noto

        for path in sorted(Path(noto.ROOT, "files").glob("*.ttf")):
            font_manager.fontManager.addfont(str(path))
        family = noto.FAMILY
    except ImportError:  # DejaVu Sans covers Arabic too, less beautifully
        pass
    matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "akhbar"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def save_fig(fig, name: str, folder: str | Path = FIGURES, dpi: int = 150) -> list[Path]:
    """Save ``fig`` as PNG and SVG under ``folder`` with no date stamp (same bytes each run).

    Returns:
        The two paths written.

    Example:
        >>> import tempfile
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> _ = ax.set_title(label("تركيا وليبيا"))
        >>> [p.name for p in save_fig(fig, "title", tempfile.mkdtemp())]
        ['title.png', 'title.svg']
        >>> plt.close(fig)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    with atomic_path(paths[0]) as part:  # a failed save never leaves half an image
        fig.savefig(part, dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    with atomic_path(paths[1]) as part:
        fig.savefig(part, bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return paths


def figure(width: float, height: float, **kw):
    """A figure of ``width`` x ``height`` inches with constrained layout (room for the legends
    outside the plotting area); ``kw`` go to :func:`matplotlib.pyplot.subplots`.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = figure(4, 3)
        >>> fig.get_size_inches().tolist(), fig.get_layout_engine() is not None
        ([4.0, 3.0], True)
        >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height), layout="constrained", **kw)


def title(ax, ar: str, en: str) -> None:
    """A bilingual title: the Arabic (through :func:`label`) over the English.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = figure(4, 3)
        >>> title(ax, "الفاعلون", "Actors")
        >>> ax.get_title().endswith("Actors")
        True
        >>> plt.close(fig)
    """
    ax.set_title(label(ar) + "\n" + en, fontsize=11)


def legend(fig, handles, title: str | None = None, ncols: int = 3):
    """A legend below the plotting area (never over the data or a title).

    Example:
        >>> import matplotlib.pyplot as plt
        >>> from matplotlib.patches import Patch
        >>> fig, ax = figure(4, 3)
        >>> [t.get_text() for t in legend(fig, [Patch(label="a"), Patch(label="b")]).get_texts()]
        ['a', 'b']
        >>> plt.close(fig)
    """
    return fig.legend(handles=handles, loc="outside lower center", ncols=min(ncols, len(handles)),
                      fontsize=8, frameon=False, title=title, title_fontsize=8)


def time_axis(ax, start=None, end=None, most: int = 9) -> None:
    """Ticks in whole years, months or days, as the span from ``start`` to ``end`` (the
    axis limits when not given) needs: never a fraction of a year, and never days on
    data that spans months.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> _ = ax.plot(pd.to_datetime(["2018-02-20", "2018-10-19"]), [1, 2])
        >>> time_axis(ax)
        >>> {mdates.num2date(t).day for t in ax.get_xticks()}
        {1}
        >>> plt.close(fig)
    """
    lo, hi = ax.get_xlim()
    start = pd.Timestamp(start) if start is not None else pd.Timestamp(mdates.num2date(lo)).tz_localize(None)
    end = pd.Timestamp(end) if end is not None else pd.Timestamp(mdates.num2date(hi)).tz_localize(None)
    days = max((end - start).days, 1)
    if days > 3 * 366:
        locator = mdates.YearLocator(base=max(1, math.ceil(days / 365.25 / most)))
    elif days > 62:
        locator = mdates.MonthLocator(interval=max(1, math.ceil(days / 30.44 / most)))
    else:
        locator = mdates.DayLocator(interval=max(1, math.ceil(days / most)))
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # the year beside months
    # faint minor ticks for the unit below, where they stay few (a century of months would not)
    minor = (mdates.YearLocator() if days > 3 * 366 else mdates.MonthLocator() if days > 62 else mdates.DayLocator())
    if days <= 3 * 366 or days / 365.25 <= 60:
        ax.xaxis.set_minor_locator(minor)
