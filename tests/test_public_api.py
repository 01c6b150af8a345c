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


def test_the_exported_members_are_the_public_names() -> None:
    """As httpx's test_exported_members: what ``__all__`` says is exactly what is public."""
    public = {name for name in dir(searchkit) if not name.startswith("_")}
    public -= {"TYPE_CHECKING", "annotations", "importlib", "Any"}  # the module's own imports
    lazy = set(searchkit._EXPORTS)  # type: ignore[attr-defined]
    assert set(searchkit.__all__) - {"__version__"} == lazy
    assert public <= lazy


def test_every_command_and_option_has_help_and_is_in_the_readme() -> None:
    """As sqlite-utils' test_docs: nothing on the command line is undocumented."""
    import click

    from searchkit.cli import cli

    readme = (ROOT / "README.md").read_text()
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"searchkit {name}" in readme, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (name, param.opts)
                longest = max(param.opts, key=len)
                assert longest in readme, (name, longest)


def test_every_subpackage_is_installed() -> None:
    """A sub-package the build does not find imports in a checkout, not once installed."""
    import tomllib

    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = find_packages(str(ROOT), include=config["packages"]["find"]["include"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "searchkit").rglob("__init__.py")
    }
    assert sorted(listed) == sorted(found)
