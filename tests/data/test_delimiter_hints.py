"""A CSV file read with the wrong delimiter: the error says which one the file has."""

import pytest

from labelwright.config import DataConfig
from labelwright.data import read_dataset
from labelwright.errors import DataError


def _error(tmp_path, content, **settings):
    path = tmp_path / "items.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_dataset(DataConfig(path=path, id_column="id", text_column="text", **settings),
                     ("ham", "spam"))
    return str(info.value)


@pytest.mark.parametrize(("delimiter", "settings", "advice"), [
    (";", {}, "delete the first line 'sep=;' (an Excel hint, not a header), and set "
              "[data] delimiter = \";\""),
    # read with the delimiter it names, the line is still no header
    (";", {"delimiter": ";"}, "delete the first line 'sep=;' (an Excel hint, not a header)"),
    (",", {}, "delete the first line 'sep=,' (an Excel hint, not a header)"),
])
def test_an_excel_sep_line_is_named(tmp_path, delimiter, settings, advice):
    d = delimiter
    said = _error(tmp_path, f"sep={d}\nid{d}text{d}gold\n1{d}hi{d}ham\n", **settings)
    assert advice in said


@pytest.mark.parametrize(("delimiter", "settings"), [(";", {"delimiter": ";"}), (",", {})])
def test_an_excel_sep_line_over_two_columns_is_named(tmp_path, delimiter, settings):
    """With two columns the sep line is a header of two names, the second blank (pandas
    calls it 'Unnamed: 1'), and the missing id column had no hint."""
    d = delimiter
    said = _error(tmp_path, f"sep={d}\nid{d}text\n1{d}hello\n", **settings)
    assert said.endswith(f"(delete the first line 'sep={d}' (an Excel hint, not a header))")


def test_a_pipe_separated_file_gets_its_delimiter(tmp_path):
    said = _error(tmp_path, "id|text|gold\n1|hi, there|ham\n")
    assert said.endswith('the header looks separated by "|": set [data] delimiter = "|"')
    # a file whose rows all read as one value: the missing column says it too
    path = tmp_path / "one.csv"
    path.write_text("id|text\n1|hi\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"no id column 'id'; columns present: id\|text "
                                        r'\(the header looks separated by "\|": set'):
        read_dataset(DataConfig(path=path, id_column="id", text_column="text"), ("a", "b"))


def test_a_comma_separated_file_read_with_another_delimiter_gets_its_delimiter(tmp_path):
    """[data] delimiter = ";" on a comma file said only 'no id column 'id'; columns present:
    id,text,gold', with no word of the delimiter (the other way round had one)."""
    said = _error(tmp_path, "id,text,gold\n1,hi,ham\n2,yo,spam\n", delimiter=";")
    assert said.endswith('(the header looks separated by commas: set [data] delimiter = ","'
                         " (or leave it unset: a .csv file's default))"), said
    assert "looks separated by commas" not in _error(tmp_path, "id;text\n1;hi\n")


def test_a_file_read_with_the_wrong_delimiter_is_not_told_to_skip_its_rows(tmp_path):
    """Its rows read wrong because the file does: the error names the delimiter setting and
    not ``bad_rows = "skip"``, which would leave every row out; a row of a file read right
    still gets that hint. The mark survives a pool worker's pickling."""
    import pickle

    from labelwright.data.csv_errors import field_count_error
    from labelwright.data.csv_format import CsvDialect

    wrong = _error(tmp_path, "id;text;gold\n1;hi, there;ham\n2;ok, then;spam\n")
    assert 'set [data] delimiter = ";"' in wrong and "bad_rows" not in wrong
    right = _error(tmp_path, "id,text,gold\n1,hi, there,ham\n")
    assert 'bad_rows = "skip"' in right
    error = field_count_error("f.csv:2: row 1", 3, 1, CsvDialect(), spaces_only=False,
                              header=["id|text"])
    assert pickle.loads(pickle.dumps(error)).whole_file is True
