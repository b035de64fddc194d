"""Charts with correct Arabic: the one label helper, the font, and saving figures."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager
from packaging.version import Version

from .files import atomic_path

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
