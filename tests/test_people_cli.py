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


def test_a_surname_speaker_is_listed_under_the_full_name_given_earlier(tmp_path: Path) -> None:
    # A wire story: the full name once (a double surname), then the first surname alone.
    story = tmp_path / "news" / "venezuela.txt"
    story.parent.mkdir()
    story.write_text(
        "PDVSA INCOME FELL IN 1986\n\n"
        "Income from oil sales fell 45 pct, Minister of Energy and Mines "
        "Arturo Hernandez Grisanti said on Tuesday.\n\n"
        'The drop, Hernandez said, "had a very serious impact on Venezuela."\n',
        encoding="utf-8",
    )
    index_dir = tmp_path / "index"
    assert (
        CliRunner().invoke(cli, ["index", str(story.parent), "--index", str(index_dir)]).exit_code
        == 0
    )
    code, out, _ = invoke(index_dir, "speakers", "--name", "hernandez")
    assert code == 0
    assert out.split()[:4] == ["1", "Arturo", "Hernandez", "Grisanti"]
