"""An option a command takes once, given twice, is a usage error naming both values: a data
engineer's ``check --data part-00000.parquet --data part-00019.parquet`` read only the
second file, and nothing said so (click keeps the last value of an option in silence)."""

import typer

from labelwright.cli.options import ONCE, given


def _commands_with(option: str) -> list[list[str]]:
    """Every command (its words) that takes ``option``, as the CLI defines them."""
    from labelwright.cli.app import app

    found = []

    def walk(command, words):
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*words, name])
        if any(option in getattr(p, "opts", ()) for p in command.params):
            found.append(words)

    walk(typer.main.get_command(app), [])
    return found


def test_data_given_twice_is_a_usage_error_on_every_command_that_reads_it(cli, tmp_path):
    commands = _commands_with("--data")
    assert ["check"] in commands and ["review", "import"] in commands and len(commands) >= 7
    for words in commands:
        # checked before the command's own arguments: those missing are not said first
        code, said = cli(*words, "--data", "part-00000.parquet", "--data=part-00019.parquet",
                         "-p", str(tmp_path))
        assert code == 2, (words, said)
        assert ("Invalid value for --data: given twice, as 'part-00000.parquet' and "
                "'part-00019.parquet': a command takes one --data; for a dataset in many "
                "files give their folder, or a wildcard in quotes (--data "
                "'data/parts/*.parquet'), or list them in [data] path") in said, (words, said)


def test_the_other_options_given_once_are_refused_alike(cli, tmp_path, make_project):
    root = make_project(gold=None)
    for words in _commands_with("--run"):
        code, said = cli(*words, "-r", "a", "--run", "b", "-p", str(root))
        assert code == 2 and "--run: given twice, as 'a' and 'b': a command reads one run" \
            in said, (words, said)
    code, said = cli("erase", "--reviewer", "me", "--reason", "r", "--items-file", "a.txt",
                     "--items-file", "b.txt", "-p", str(root))
    assert code == 2 and "--items-file: given twice" in said, said
    code, said = cli("review", "retire", "-r", "me", "--reason", "r", "--missing", "--rater",
                     "ann", "--rater", "bob", "-p", str(root))
    assert code == 2 and "--rater: given twice, as 'ann' and 'bob'" in said, said
    # review import's -r is the reviewer, not the run: given twice, the last, as click does
    code, said = cli("review", "import", str(tmp_path / "none.csv"), "-r", "a", "-r", "b",
                     "-p", str(root))
    assert code == 1 and "given twice" not in said, said
    assert set(ONCE) == {"--data", "--run", "--items-file", "--skip-reviewed-by", "--rater"}


def test_the_values_of_an_option_are_read_as_click_reads_them():
    names = ("--run", "-r")
    assert given(names, ["x", "--run", "a", "-rb", "--run=c", "-r", "d"]) == ["a", "b", "c", "d"]
    assert given(names, ["--run", "a", "--", "--run", "b"]) == ["a"]  # after --: arguments
    assert given(names, ["--runs", "a", "--reason", "r"]) == []
