"""What a malformed WRENCH folder's error says: which items, and where in a one-line file."""

from __future__ import annotations

import pytest

from labelwright.bench import WrenchFormatError, load_wrench
from wrench_toy import edit_split, write_wrench


def _short(doc, ids):
    for item_id in ids:
        doc[item_id]["weak_labels"] = doc[item_id]["weak_labels"][:3]


def test_a_short_first_item_is_the_one_named_not_every_item_after_it(tmp_path):
    """Measured against the first item, a short first item blamed the second."""
    folder = write_wrench(tmp_path / "toy")
    edit_split(folder, "valid.json", lambda d: _short(d, ["0"]))
    with pytest.raises(WrenchFormatError) as err:
        load_wrench(folder)
    said = str(err.value)
    assert said.startswith(f"{folder / 'valid.json'}: 1 item of 60 has another number")
    assert "other items' 4: '0' (3);" in said and "'1'" not in said


def test_several_odd_items_are_all_named(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    edit_split(folder, "train.json", lambda d: _short(d, ["5", "7"]))
    with pytest.raises(WrenchFormatError, match=r"train\.json: 2 items of 60 have another "
                       r"number of weak labels than the other items' 4: '5' \(3\), '7' \(3\)"):
        load_wrench(folder)


def test_a_truncated_one_line_file_gets_its_column_and_the_text_there(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    text = (folder / "test.json").read_text()
    (folder / "test.json").write_text(text[:-40])
    with pytest.raises(WrenchFormatError) as err:
        load_wrench(folder)
    said = str(err.value)
    assert "invalid JSON: " in said and "at line 1, column " in said
    column = int(said.split("column ")[1].split(" ")[0])
    assert repr(text[column - 1:column + 9])[1:-1] in said  # the snippet around it
    assert said.endswith("was it cut short?")


def test_a_bad_character_mid_file_shows_no_cut_short_guess(tmp_path):
    folder = write_wrench(tmp_path / "toy", n=200)
    text = (folder / "test.json").read_text()
    middle = text.index("}}, ", len(text) // 2) + 2  # between two items
    (folder / "test.json").write_text(text[:middle] + "@" + text[middle:])
    with pytest.raises(WrenchFormatError, match=rf"column {middle + 1} \(character {middle}\)"
                       ) as err:
        load_wrench(folder)
    assert "@" in str(err.value) and "cut short" not in str(err.value)
