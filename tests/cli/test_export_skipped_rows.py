"""``export`` says the rows of the data the run left out as it read it (``[data] bad_rows``
and ``duplicate_rows = "skip"``), and its provenance records them: without them the
training set's rows and the data file's did not add up, and nothing in the export said
where the others went."""

from __future__ import annotations

import json

import pandas as pd

from labelwright.project import run_project
from raw_data_project import project_with_data

HEADER = "id,text,gold\n"
ROWS = ["t1,please refund my order,billing\n", "t2,the app crashes,technical\n",
        "t3,charged twice,billing\n", "t4,cannot log in,\n"]


def test_the_rows_the_run_left_out_are_said_and_recorded(make_project, cli, tmp_path):
    # a row that cannot be read and a copy of row 2: 6 rows in the file, 4 items
    data = HEADER + ROWS[0] + "t9,one,two,three\n" + "".join(ROWS[1:]) + ROWS[1]
    root = project_with_data(make_project, data, 'bad_rows = "skip"\nduplicate_rows = "skip"')
    result = run_project(root)
    out = tmp_path / "training.parquet"
    code, said = cli("export", "-p", str(root), "--out", str(out), "--with-gold")
    assert code == 0, said
    listed = f"runs/{result.run_dir.name}/skipped_rows.jsonl"
    assert ('not in it either: 2 rows of the data that the run left out as it read it '
            '([data] bad_rows = "skip", and 1 copies of an earlier row under duplicate_rows = '
            f'"skip"), listed in {listed}') in " ".join(said.split())
    provenance = json.loads(out.with_name("training.parquet.provenance.json").read_text())
    assert provenance["data_skipped_rows"] == {"count": 2, "copies": 1, "file": listed}
    # the file's rows, the items left out (no label, ...) and the rows skipped: the data's
    written, left_out = len(pd.read_parquet(out)), sum(provenance["left_out"].values())
    assert written + left_out + provenance["data_skipped_rows"]["count"] \
        == len(data.splitlines()) - 1
    assert len((root / listed).read_text().splitlines()) == 2


def test_only_copies_name_their_own_setting(make_project, cli, tmp_path):
    root = project_with_data(make_project, HEADER + "".join(ROWS) + ROWS[0],
                             'duplicate_rows = "skip"')
    run_project(root)
    code, said = cli("export", "-p", str(root), "--out", str(tmp_path / "t.parquet"))
    assert code == 0, said
    assert ('1 row of the data that the run left out as it read it ([data] duplicate_rows = '
            '"skip": copies of an earlier row)') in " ".join(said.split())


def test_a_run_that_left_nothing_out_says_nothing_of_it(make_project, cli, tmp_path):
    root = project_with_data(make_project, HEADER + "".join(ROWS), 'bad_rows = "skip"')
    run_project(root)
    out = tmp_path / "t.parquet"
    code, said = cli("export", "-p", str(root), "--out", str(out))
    assert code == 0, said
    assert "not in it either" not in said
    provenance = json.loads(out.with_name("t.parquet.provenance.json").read_text())
    assert "data_skipped_rows" not in provenance
