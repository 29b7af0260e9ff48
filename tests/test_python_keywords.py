"""A message that tells the user to pass an option names its Python keyword as well when
the function raising it is called from Python too: ``--force (force=True from Python)``."""

import pytest

from labelwright.errors import ConfigError


def test_both_spellings_is_the_one_way_messages_say_it():
    from labelwright.errors import both_spellings

    assert both_spellings("--skip-bad-rows", "skip_bad_rows=True") == (
        "--skip-bad-rows (skip_bad_rows=True from Python)")


def test_init_project_names_force_both_ways(tmp_path):
    from labelwright.scaffold import init_project

    init_project(tmp_path / "p")
    with pytest.raises(ConfigError, match=r"; --force \(force=True from Python\) overwrites the "
                                          r"\d+ template file\(s\) already there"):
        init_project(tmp_path / "p")


def test_a_file_in_place_of_the_cache_names_the_cache_setting_both_ways(make_project):
    """--no-cache is not named: it stores the votes it computes, so it needs the folder."""
    from labelwright.folders import make_folders
    from labelwright.project import load_project

    root = make_project()
    (root / ".labelwright").write_text("")
    with pytest.raises(ConfigError, match=r"set \[apply\] cache = false \(cache=False "
                                          r"from Python\)"):
        make_folders(load_project(root).config)
