"""Finding a person from the command line: quotes --speaker, speakers --name (issue 13)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from searchkit.cli import cli


def invoke(index_dir: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--index", str(index_dir)])
    return result.exit_code, result.stdout, result.stderr


def test_quotes_by_speaker_count_as_speakers_does(seed_index_dir: Path) -> None:
    code, out, _ = invoke(seed_index_dir, "speakers", "--name", "kang")
    assert code == 0
    assert out.split()[:3] == ["5", "Kang", "Chol-hwan"]
    code, out, _ = invoke(seed_index_dir, "quotes", "--speaker", "Kang Chol-hwan", "-n", "1")
    assert code == 0
    assert out.splitlines()[0] == "5 quotes match"


def test_speakers_by_name_is_not_speakers_about_a_text(seed_index_dir: Path) -> None:
    _, by_name, _ = invoke(seed_index_dir, "speakers", "--name", "kim")
    assert [line.split()[1:3] for line in by_name.splitlines()] == [["Kim", "Tae-hoon"]]
    _, about, _ = invoke(seed_index_dir, "speakers", "Kim")
    assert by_name != about


def test_a_misspelt_speaker_gets_a_did_you_mean(seed_index_dir: Path) -> None:
    code, out, _ = invoke(seed_index_dir, "quotes", "--speaker", "Kang Chol-hwon")
    assert code == 0
    assert out.splitlines()[:2] == ["0 quotes match", "Did you mean: Kang Chol-hwan?"]


def test_a_question_that_finds_nothing_suggests_quotes_by_speaker(seed_index_dir: Path) -> None:
    code, out, err = invoke(seed_index_dir, "query", "what did Kang say about zebras")
    assert code == 0
    assert out.startswith("0 articles match")
    assert err.strip() == "To see what Kang said: searchkit quotes --speaker Kang"


def test_help_says_which_speakers_listing_is_which() -> None:
    result = CliRunner().invoke(cli, ["speakers", "--help"])
    assert "--name" in result.output
    assert "speakers --name kim" in " ".join(result.output.split())
