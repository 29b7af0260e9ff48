"""An option a command does not take is answered with the one meant: ``review import
--rater X`` said ``Possible options: --data, --format`` (click's guess by letters), never
``--reviewer``, the name that command gives the rater."""

import pytest

from labelwright.cli.options import option_meant


def test_review_import_given_rater_suggests_reviewer(cli, tmp_path):
    code, said = cli("review", "import", "--rater", "ana", "-p", str(tmp_path), "done.csv")
    assert code == 2
    assert ("No such option: --rater; did you mean '--reviewer'? (this command takes the "
            "rater as --reviewer / -r)") in said
    assert "Possible options" not in said


def test_a_command_with_two_such_options_names_both_and_a_typo_its_option(cli, tmp_path):
    # review retire takes who retires (--reviewer) and whose decisions (--rater)
    code, said = cli("review", "retire", "--annotator", "ana", "-p", str(tmp_path))
    assert code == 2
    assert ("No such option: --annotator; did you mean '--reviewer' or '--rater'? (this "
            "command takes each, for a different person: see --help)") in said
    code, said = cli("review", "import", "--reviwer=ana", "-p", str(tmp_path), "done.csv")
    assert code == 2 and "No such option: --reviwer; did you mean '--reviewer'?" in said


def test_an_option_near_nothing_is_named_without_clicks_guess(cli, tmp_path):
    """When no option is meant, click's own guess by letters ("Possible options:
    --format") was still said: the misleading message the answer was written to replace."""
    for args in (["review", "export", "--rater", "ana"], ["run", "--ratr", "x"]):
        code, said = cli(*args, "-p", str(tmp_path))
        assert code == 2, said
        assert f"No such option: {args[-2]}" in said
        assert "Possible options" not in said and "did you mean" not in said


def test_an_option_near_nothing_is_meant_by_none():
    class Option:
        param_type_name = "option"
        opts = ["--format", "-f"]

    assert option_meant("--zzzz", [Option()]) is None
    assert option_meant("--rater", [Option()]) is None  # no option of that meaning here


def test_an_option_sharing_letters_is_no_typo_but_a_typo_is_named():
    """`review export --rater` was offered '--per-pattern' (0.62 alike by letters)."""
    class Option:
        param_type_name = "option"

        def __init__(self, *opts):
            self.opts = list(opts)

    options = [Option("--per-pattern"), Option("--budget"), Option("--format", "-f"),
               Option("--run")]
    assert option_meant("--rater", options) is None
    assert option_meant("--rnu", options) == "did you mean '--run'?"  # a short name's swap
    assert option_meant("--budjet", options) == "did you mean '--budget'?"
    assert option_meant("--formt", options) == "did you mean '--format'?"


@pytest.mark.parametrize("option", ["--jobs", "-j", "--workers"])
def test_a_workers_option_of_other_tools_points_to_the_apply_setting(cli, tmp_path, option):
    """`run --jobs 2` said only "No such option: --jobs"."""
    code, said = cli("run", option, "2", "-p", str(tmp_path))
    assert code == 2, said
    flat = " ".join(said.split())
    assert (f"No such option: {option}; the number of worker processes is a setting: "
            "workers = N under [apply] in labelwright.toml") in flat, said
