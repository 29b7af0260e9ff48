"""Ids that look like others are kept as written and named in one warning per kind."""

import pandas as pd

from labelwright.config import DataConfig
from labelwright.data import dataset_from_frame, read_dataset

LABELS = ("ham", "spam")
NFD = "cafe\u0301"  # "café" as "e" plus a combining accent


def _dataset(ids):
    return dataset_from_frame(pd.DataFrame({"id": ids, "text": ["t"] * len(ids)}),
                              id_column="id", text_column="text", labels=LABELS)


def test_ids_with_spaces_around_them_are_kept_and_named():
    ids = [" 55 ", "56", "57\t"] + [f"x{k} " for k in range(6)]
    data = _dataset(ids)
    assert data.ids == ids  # never changed
    [said] = [w for w in data.warnings if "spaces around" in w]
    assert said.startswith("<DataFrame>: 8 id(s) in column 'id' have spaces around them, "
                           "kept as written")
    assert "' 55 ' (row 1), '57\\t' (row 3), 'x0 ' (row 4)" in said and "and 3 more" in said


def test_ids_equal_after_nfc_are_kept_and_named_escaped(tmp_path):
    ids = ["café", "b", NFD, "\u212b", "\u00c5", "plain"]  # Angstrom sign vs Å
    data = _dataset(ids)
    assert data.ids == ids
    [said] = [w for w in data.warnings if "Unicode" in w]
    assert "2 group(s) of ids in column 'id' are one id written in other Unicode forms " \
           "(equal after NFC normalisation), kept as distinct items: " \
           "'caf\\xe9' (row 1) and 'cafe\\u0301' (row 3), '\\u212b' (row 4) and '\\xc5' " \
           "(row 5)" in said
    # read from a file too, with the file's rows
    path = tmp_path / "items.csv"
    path.write_text("id,text\n" + "".join(f"{i},t\n" for i in ["a", NFD, "café"]),
                    encoding="utf-8")
    data = read_dataset(DataConfig(path=path, id_column="id", text_column="text"), LABELS)
    assert any("'cafe\\u0301' (row 2) and 'caf\\xe9' (row 3)" in w for w in data.warnings)


def test_ids_unlike_each_other_say_nothing():
    assert _dataset(["a", "café", "cafe", "55"]).warnings == []
