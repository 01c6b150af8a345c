"""The public surface: a sorted __all__, every name importable, the README example runs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import searchkit
from tests.conftest import ROOT


def test_all_is_sorted_and_importable() -> None:
    assert searchkit.__all__ == sorted(searchkit.__all__)
    for name in searchkit.__all__:
        assert getattr(searchkit, name) is not None


def test_readme_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"## In Python\n\n```python\n(.*?)```", readme, re.S)
    assert example is not None
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    monkeypatch.chdir(tmp_path)
    exec(compile(example.group(1), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert out.startswith("2024-01-01 The Straits Times China has come under pressure")
    assert "repatriating" in out
    assert os.path.isdir(tmp_path / "index")


def test_every_subpackage_is_installed() -> None:
    """A sub-package missing from pyproject's list imports in a checkout, not once installed."""
    import tomllib

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "searchkit").rglob("__init__.py")
    }
    assert sorted(listed) == sorted(found)
