"""Bytes that are not UTF-8: the advice depends on what came before them."""

from pathlib import Path

import pytest

from labelwright.apply.stream import iter_frames
from labelwright.data.formats import read_frame
from labelwright.errors import DataError

POUND_THEN_LATIN1 = {
    # UTF-8 '£' on line 3, then a Windows-1252 'é' on line 6 (CRLF lines: counted once)
    "mixed.csv": b"id,text\r\n1,hi\r\n2,costs \xc2\xa35\r\n3,ok\r\n4,ok\r\n5,caf\xe9\r\n",
    "mixed.jsonl": b'{"id": 1, "text": "hi"}\r\n{"id": 2, "text": "\xc2\xa35"}\r\n'
                   b'{"id": 3, "text": "caf\xe9"}\r\n',
}


def read_whole(path):
    read_frame(path)


def read_streamed(path):
    list(iter_frames(Path(path), chunk_size=2))


@pytest.mark.parametrize("read", [read_whole, read_streamed])
@pytest.mark.parametrize("name", sorted(POUND_THEN_LATIN1))
def test_a_file_that_mixes_encodings_is_named_so(tmp_path, name, read):
    path = tmp_path / name
    path.write_bytes(POUND_THEN_LATIN1[name])
    with pytest.raises(DataError) as err:
        read(path)
    said = str(err.value)
    line, pound_line = (6, 3) if name.endswith(".csv") else (3, 2)
    assert said.startswith(f"{path}:{line}:") and "not valid UTF-8 (byte 0xe9" in said
    # saving the whole file from Windows-1252 would garble the '£': the row is to fix
    assert f"the file mixes encodings: bytes before it are UTF-8, such as '£' on line " \
           f"{pound_line}" in said
    assert "fix this line instead (the byte is 'é' in Windows-1252" in said
    assert "the file may be Latin-1" not in said


@pytest.mark.parametrize("read", [read_whole, read_streamed])
def test_a_file_all_in_one_other_encoding_is_to_save_as_utf8(tmp_path, read):
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,text\n1,hi\n2,caf\xe9 \xa35\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"may be Latin-1 or Windows-1252\); save the file as "
                                        r"UTF-8$"):
        read(path)
    # a BOM is no character of the text: the file is still one encoding
    path.write_bytes(b"\xef\xbb\xbf" + "id,text\n1,hi\n2,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataError, match="save the file as UTF-8$"):
        read(path)


@pytest.mark.parametrize("read", [read_whole, read_streamed])
def test_a_file_in_another_scripts_code_page_shows_how_each_reads_a_word(tmp_path, read):
    """Arabic text saved as Windows-1256 was called "Latin-1 or Windows-1252", a wrong
    lead: the error shows the word as each code page reads it, one of them Arabic."""
    path = tmp_path / "arabic.csv"
    path.write_bytes("id,text\n1,hi\n2,رقم البطاقة\n".encode("cp1256"))
    with pytest.raises(DataError) as info:
        read(path)
    said = str(info.value)
    assert "'رقم' in Windows-1256 (Arabic)" in said
    assert "'СЮг' in Windows-1251 (Cyrillic)" in said  # the same bytes, another script
    assert "Latin-1 or Windows-1252" not in said
    assert said.endswith("save the file as UTF-8")
    # a word a wrong code page makes of mixed scripts is not offered: 'GrцЯe'
    path.write_bytes("id,text\n1,Größe\n".encode("cp1252"))
    with pytest.raises(DataError) as info:
        read(path)
    assert "'Größe' in Windows-1252 or Windows-1250" in str(info.value)
    assert "GrцЯe" not in str(info.value)


def test_the_error_crosses_process_boundaries(tmp_path):
    """A worker's error is pickled back to the run: the error's own arguments, kept."""
    import pickle

    path = tmp_path / "mixed.jsonl"
    path.write_bytes(POUND_THEN_LATIN1["mixed.jsonl"])
    with pytest.raises(DataError) as err:
        read_frame(path)
    again = pickle.loads(pickle.dumps(err.value))
    assert type(again) is type(err.value) and str(again) == str(err.value)
