"""``toml_string``: a value pasted into labelwright.toml from a message (a tool's user id
for ``[review] same_rater``, a data file's name for ``[data] path``) reads back as itself.
JSON's quoting, which they used, writes a letter past U+FFFF as a surrogate pair
(``\\ud83e\\udd8a``), which TOML refuses, and leaves DEL unescaped, which TOML refuses too."""

from __future__ import annotations

import tomllib

import pytest

from labelwright.toml_text import toml_string

VALUES = ["plain", "🦊 bot", 'a "quoted" \\ name', "tab\tand\nline", "del\x7fhere", "Zoë",
          "", "\x00\x1f"]


@pytest.mark.parametrize("value", VALUES)
def test_a_value_reads_back_as_itself(value):
    assert tomllib.loads(f"k = {toml_string(value)}")["k"] == value
    assert tomllib.loads(f"t = {{ {toml_string(value)} = \"NAME\" }}")["t"] == {value: "NAME"}


def test_the_user_id_line_of_review_import_reads_back(capsys):
    """The line ``review import`` prints for a tool's user id with no name."""
    from labelwright.cli.review_import_lines import same_rater_entries

    said = same_rater_entries(["argilla:🦊"])
    assert tomllib.loads(f"same_rater = {{ {said} }}")["same_rater"] == {"argilla:🦊": "NAME"}
