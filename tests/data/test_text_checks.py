"""Bytes that are not UTF-8: the advice depends on what came before them."""

from pathlib import Path

import pytest

from labelwright.apply.file_blocks import iter_frames
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
    with pytest.raises(DataError, match=r"may be Latin-1 or Windows-1252, in which byte 0xe9 "
                                        r"is 'é'\); save the file as UTF-8$"):
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


#: support tickets as each East Asian Windows saves them, and the page the error names
EAST_ASIAN = [
    ("您好，我的订单已经三天了还没有发货，请帮我查一下", "gbk", "GBK/GB18030 (Simplified Chinese)"),
    ("請問退款要多久？訂單一直沒有出貨", "cp950", "Big5 (Traditional Chinese)"),
    ("注文した商品がまだ届いていません。確認してください", "cp932", "Shift-JIS (Japanese)"),
    ("주문한 상품이 아직 도착하지 않았습니다", "cp949", "CP949/EUC-KR (Korean)"),
]


@pytest.mark.parametrize("read", [read_whole, read_streamed])
@pytest.mark.parametrize(("text", "encoding", "named"), EAST_ASIAN)
def test_a_file_in_an_east_asian_code_page_is_named_and_read(tmp_path, read, text,
                                                             encoding, named):
    """A GBK file from a Chinese support team was "Latin-1 or Windows-1252": the error
    shows the line as the multi-byte page that reads it as its script reads it."""
    path = tmp_path / "tickets.csv"
    path.write_bytes(f"id,text\n1,order 17\n2,{text}\n".encode(encoding))
    with pytest.raises(DataError) as info:
        read(path)
    said = str(info.value)
    assert said.startswith(f"{path}:3:")
    # the page's reading comes first: it reads the line, not one word
    assert f"the word there reads as {text[:12]!r} in {named}" in said \
        or f"the word there reads as {text.split()[0]!r} in {named}" in said
    assert "Latin-1 or Windows-1252" not in said
    assert said.endswith("save the file as UTF-8")
    # the other East Asian pages decode some of these bytes too, as rare characters: only
    # Korean, spaced as Chinese is not, is also common hanzi in GBK (shown after it)
    others = [name for _, _, name in EAST_ASIAN if name != named]
    shown = [name for name in others if name in said]
    assert shown == (["GBK/GB18030 (Simplified Chinese)"] if encoding == "cp949" else [])


@pytest.mark.parametrize("line", [
    "Réunion à Orléans demain", "Größe stimmt nicht, Rückgabe bitte", "Übergrößenträger",
    "Não recebi a encomenda, ação judicial", "“Hello” don’t – it’s fine…", "ÄÖÜ",
    "Señor, mi pedido llegó dañado", "Le colis est arrivé abîmé",
])
def test_latin_text_is_not_called_east_asian(tmp_path, line):
    """Latin-1 'é' before a letter is a GBK character (``Réunion`` is ``R閡nion``), two
    accented letters a common one (``Größe`` is ``Gr鲞e``): a Western file keeps its
    message, no East Asian page named."""
    path = tmp_path / "latin.csv"
    path.write_bytes(f'id,text\n1,"{line}"\n'.encode("cp1252"))
    with pytest.raises(DataError) as info:
        read_frame(path)
    said = str(info.value)
    for _, _, named in EAST_ASIAN:
        assert named not in said
    assert "Latin-1 or Windows-1252" in said or "in Windows-1252" in said


@pytest.mark.parametrize(("line", "encoding"), [
    ("Не работает карта, верните деньги", "cp1251"), ("Заказ не пришёл", "cp1251"),
    ("ما وصلتني الحوالة من يومين", "cp1256"), ("Η παραγγελία δεν έφτασε", "cp1253"),
    ("ההזמנה לא הגיעה", "cp1255"), ("สินค้ายังไม่มาถึง", "cp874"),
])
def test_other_scripts_code_pages_name_no_east_asian_page(tmp_path, line, encoding):
    path = tmp_path / "other.csv"
    path.write_bytes(f'id,text\n1,"{line}"\n'.encode(encoding))
    with pytest.raises(DataError) as info:
        read_frame(path)
    for _, _, named in EAST_ASIAN:
        assert named not in str(info.value)


@pytest.mark.parametrize("read", [read_whole, read_streamed])
def test_an_east_asian_line_pasted_into_utf8_names_its_code_page(tmp_path, read):
    """One GBK row pasted into a UTF-8 file was to be typed again from "the byte '´' in
    Windows-1252": the line is Chinese, in GBK."""
    path = tmp_path / "mixed.csv"
    path.write_bytes("id,text\n1,退款还没到账\n".encode() + "2,戴森吹风机坏了\n".encode("gbk"))
    with pytest.raises(DataError) as info:
        read(path)
    said = str(info.value)
    assert "bytes before it are UTF-8, such as '退' on line 2, which saving the file as " \
           "UTF-8 from GBK/GB18030 (Simplified Chinese) would garble" in said
    assert "it reads as '戴森吹风机坏了' in GBK/GB18030 (Simplified Chinese)" in said
    assert "Windows-1252" not in said


def test_the_east_asian_reading_crosses_process_boundaries(tmp_path):
    import pickle

    path = tmp_path / "mixed.csv"
    path.write_bytes("id,text\n1,退款\n".encode() + "2,戴森吹风机坏了\n".encode("gbk"))
    with pytest.raises(DataError) as err:
        read_frame(path)
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == str(err.value) and again.readings == err.value.readings


def test_a_dataset_and_a_review_file_say_the_same_of_a_windows_1252_byte(tmp_path):
    """The review import said only "not UTF-8 (byte 0xfc)", the dataset reader that the file
    may be Latin-1 or Windows-1252: both now name the line, the column and the letter the
    byte is in Windows-1252, so the user sees which character of theirs is the cause."""
    from labelwright.errors import ReviewError
    from labelwright.review.imports.records import read_text

    path = tmp_path / "items.csv"
    path.write_bytes("id,text\n1,hi\n2,M\u00fcller\n".encode("cp1252"))
    cause = ("not valid UTF-8 (byte 0xfc at column 4; the file may be Latin-1 or "
             "Windows-1252, in which byte 0xfc is 'ü'); save the file as UTF-8")
    with pytest.raises(DataError) as data_error:
        read_frame(path)
    with pytest.raises(ReviewError) as review_error:
        read_text(path)
    assert str(data_error.value) == f"{path}:3: row 2: {cause}"
    assert str(review_error.value) == f"{path}:3: {cause} (in Excel: 'CSV UTF-8')"
    # a byte Windows-1252 leaves undefined is only named
    path.write_bytes(b"id,text\n1,a\x81b\n")
    with pytest.raises(DataError, match=r"byte 0x81 at column 4; the file may be Latin-1 or "
                                        r"Windows-1252\)"):
        read_frame(path)
