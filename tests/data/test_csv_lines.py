"""A CSV file is read without a whole-file ``io.StringIO`` (4 bytes a character): its
records are counted over :func:`text_lines` blocks and pandas reads its bytes. Both must
give what the whole-text reads gave."""

from __future__ import annotations

import io
import random

import pandas as pd

from labelwright.data.csv_field_counts import text_lines
from labelwright.data.formats import read_frame


def test_text_lines_are_the_lines_stringio_gives_whatever_the_block() -> None:
    rng = random.Random(4)
    pieces = ["a", "bb", "é", ",", '"', "\n", "\r\n", "\r", " ", "\u2028"]
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 60)))
        expected = list(io.StringIO(text, newline=""))
        for block in (1, 2, 3, 7, 1 << 20):
            assert list(text_lines(text, block)) == expected, (text, block)


def test_a_file_with_a_bom_crlf_and_quoted_line_breaks_reads_as_its_text(tmp_path) -> None:
    text = ('id,text,plan\r\n1,"two\r\nlines",pro\r\n2,café ünïcode,\r\n'
            '3,"a ""quote""",free\r\n4,,x\r\n')
    path = tmp_path / "items.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    frame = read_frame(path)
    expected = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                           na_values=[""])
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert frame["text"].tolist()[:2] == ["two\r\nlines", "café ünïcode"]
    assert frame["text"].isna().tolist() == [False, False, False, True]
