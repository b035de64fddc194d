"""Shared fixtures: the seed articles, loaded once."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def seeds_dir():
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def articles(seeds_dir):
    import akhbar

    return akhbar.load_articles(seeds_dir)
