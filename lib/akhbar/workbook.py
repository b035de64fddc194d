"""One call that prepares a notebook: fonts, figure size, pandas display, RTL tables."""

from __future__ import annotations

import matplotlib
import pandas as pd

from .display import register_rtl_tables
from .plot import setup_fonts


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
    return {"font": family, "matplotlib": matplotlib.__version__, "rtl_tables": rtl}
