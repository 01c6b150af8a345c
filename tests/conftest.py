"""Shared fixtures: the seed corpus, a built seed index, and the shared research data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import searchkit

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = Path(os.environ.get("SEARCHKIT_SHARED") or ROOT.parent / "shared")
SAMPLE_TXT = SHARED / "data" / "news" / "sample_txt"
NEWS_JSONL = SHARED / "data" / "news" / "news_articles.jsonl"
SEED_000 = "000_f4a1817f0992edb7"
SEED_004 = "004_fa3c53416344d620"


def need(path: Path) -> Path:
    """Skip the test when a piece of shared research data is absent."""
    if not path.exists():
        pytest.skip(f"{path} not present (set SEARCHKIT_SHARED)")
    return path


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, searchkit.Article]:
    return {a.id: a for a in searchkit.read_articles(SEEDS)}


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    return searchkit.Index.build(tmp_path_factory.mktemp("seed-index"), SEEDS)


@pytest.fixture(scope="session")
def seed_index_dir(seed_index: searchkit.Index) -> Path:
    return seed_index.directory


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    return searchkit.Index.build(tmp_path_factory.mktemp("sample-index"), need(SAMPLE_TXT))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of seeds/ for tests that change files."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
