"""Doctest set-up for ``pytest --doctest-modules lib/akhbar``: every example in the
library's docstrings sees ``akhbar``, ``pd`` and ``np`` without importing them, and
draws with matplotlib's non-interactive Agg backend."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    """Put ``akhbar``, ``pd`` and ``np`` into every doctest's namespace."""
    import akhbar

    doctest_namespace.update(akhbar=akhbar, pd=pd, np=np)
