"""akhbar's data files (``akhbar/data``): where they are and how they are read.

Every layer reads its word lists through :func:`read_data`, so this module sits at the
bottom of the import graph and imports nothing else of akhbar.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent / "data"
"""The package's data folder."""


def read_data(name: str | Path) -> pd.DataFrame:
    """Read one of akhbar's CSV data files (``#`` lines are comments), all as text.

    Args:
        name: A file name inside ``akhbar/data`` or a path of the researcher's own.

    Raises:
        FileNotFoundError: naming the path, when there is no such file.

    Example:
        >>> read_data("months.csv").query("month == '7'")["form"].tolist()[:2]
        ['يوليو', 'يوليه']
    """
    path = Path(name) if isinstance(name, Path) or "/" in str(name) else DATA / name
    if not path.exists():
        raise FileNotFoundError(f"{path}: data file not found")
    return pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, skipinitialspace=True)
