"""Shared fixtures: the seed articles, loaded once; the material beside the repository."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
"""The evaluation material beside the repository (dev articles, gold, archive): never copied in."""
sys.path.insert(0, str(Path(__file__).parent))


def in_ci() -> bool:
    """Whether the tests run in CI (``CI=true``), where nothing they need may be missing."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def shared_path(relative: str, why: str = "") -> Path:
    """``../shared/<relative>`` for a test that needs it.

    When it is absent the test is skipped on a researcher's machine, but fails under
    ``CI=true`` with a message naming the path: CI must not pass by skipping the tests
    behind the README's figures.
    """
    path = SHARED / relative
    if not path.exists():
        message = f"{path} is absent" + (f": {why}" if why else "")
        if in_ci():
            pytest.fail(f"{message} (CI=true: tests that need ../shared fail instead of skipping)",
                        pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seeds_dir():
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def articles(seeds_dir):
    import akhbar

    return akhbar.load_articles(seeds_dir)
