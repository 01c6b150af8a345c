"""Saved searches: ``searchkit watch`` and ``Index.watches`` print only what is new."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

import searchkit
from searchkit.cli.commands import cli
from searchkit.index.watches import WATCHES_FILE

ROOT = Path(__file__).resolve().parents[1]


def _article(folder: Path, name: str, source: str, date: str, body: str) -> None:
    (folder / f"{name}.txt").write_text(
        f"title: {name}\nsource: {source}\ndate: {date}\n\n{body}\n", encoding="utf-8"
    )


def test_a_watch_shows_only_articles_indexed_since_it_last_ran(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _article(folder, "old", "Harbour Times", "2024-03-03", "The ferry terminal opens in spring.")
    index = searchkit.Index.build(tmp_path / "ix", folder)
    watch, now = index.watches.add("ferries", "ferry", source=["harbour times"])
    assert (watch.name, watch.source, now) == ("ferries", ("harbour times",), 1)
    [(ran, results)] = index.watches.run()
    assert ran.name == "ferries" and list(results) == []

    _article(folder, "new", "Harbour Times", "2024-03-09", "Ferry fares will rise in April.")
    _article(folder, "elsewhere", "Coast Gazette", "2024-03-09", "Ferry fares rise too.")
    index = index.update()
    [(_, results)] = index.watches.run("ferries")
    assert [hit.id for hit in results] == ["new"]
    assert index.watches.run("ferries")[0][1].total == 0  # remembered

    # A rebuild keeps the watch, and what it has seen.
    (folder / "old.txt").write_text(
        "title: old\nsource: Harbour Times\ndate: 2024-03-03\n\nThe ferry now opens in May.\n"
    )
    index.close()
    index = searchkit.Index.build(tmp_path / "ix", folder)
    [(_, results)] = index.watches.run()
    assert [hit.id for hit in results] == ["old"]  # re-indexed with new content
    index.watches.remove("ferries")
    assert index.watches.all() == []
    index.close()


def test_watch_commands(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _article(folder, "old", "Harbour Times", "2024-03-03", "The ferry terminal opens in spring.")
    index_dir = str(tmp_path / "ix")
    runner = CliRunner()
    assert runner.invoke(cli, ["index", folder.as_posix(), "--index", index_dir]).exit_code == 0
    result = runner.invoke(cli, ["watch", "add", "ferries", "ferry", "--index", index_dir])
    assert result.exit_code == 0
    assert result.stderr.startswith("watch 'ferries' added: 1 article matches now;")
    _article(folder, "new", "Coast Gazette", "2024-03-09", "Ferry fares will rise in April.")
    assert runner.invoke(cli, ["index", "--index", index_dir]).exit_code == 0
    result = runner.invoke(cli, ["watch", "run", "--index", index_dir, "--format", "csv"])
    assert result.exit_code == 0
    header, row = result.stdout.splitlines()
    assert header.startswith("watch,rank,id,") and row.startswith("ferries,1,new,")
    result = runner.invoke(cli, ["watch", "run", "ferries", "--index", index_dir])
    assert result.stdout == "watch ferries: 0 articles match 'ferry'\n"
    result = runner.invoke(cli, ["watch", "list", "--index", index_dir, "--format", "json"])
    [listed] = json.loads(result.stdout)
    assert listed["name"] == "ferries" and listed["last_run"]
    stored = json.loads((tmp_path / "ix" / WATCHES_FILE).read_text(encoding="utf-8"))
    assert stored["version"] == 1 and set(stored["watches"]) == {"ferries"}

    result = runner.invoke(cli, ["watch", "run", "boats", "--index", index_dir])
    assert result.exit_code == 1
    assert "no watch named 'boats'; the watches are: ferries" in result.stderr
    result = runner.invoke(cli, ["watch", "add", "ferries", "x", "--index", index_dir])
    assert "there is already a watch 'ferries'" in result.stderr
    result = runner.invoke(cli, ["watch", "add", "dates", "date:someday", "--index", index_dir])
    assert result.exit_code == 1 and "write dates as date:2024" in result.stderr
    assert runner.invoke(cli, ["watch", "remove", "ferries", "--index", index_dir]).exit_code == 0
    result = runner.invoke(cli, ["watch", "list", "--index", index_dir])
    assert result.stdout == "no watches; add one with `searchkit watch add`\n"


def test_a_damaged_watch_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _article(folder, "old", "Harbour Times", "2024-03-03", "The ferry terminal opens in spring.")
    searchkit.Index.build(tmp_path / "ix", folder).close()
    (tmp_path / "ix" / WATCHES_FILE).write_text("{not json")
    result = CliRunner().invoke(cli, ["watch", "list", "--index", str(tmp_path / "ix")])
    assert result.exit_code == 1
    assert "watches.json is damaged (JSONDecodeError); fix or delete it" in result.stderr


def test_every_watch_command_and_option_has_help_and_is_in_the_readme() -> None:
    from searchkit.cli.watch import watch

    readme = (ROOT / "README.md").read_text()
    for name, command in watch.commands.items():
        assert command.help, name
        assert f"searchkit watch {name}" in readme, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (name, param.opts)
                assert max(param.opts, key=len) in readme, (name, param.opts)
