"""``labelwright runs show``: a run's manifest in readable lines."""

from __future__ import annotations

import pytest

from labelwright.project import run_project
from labelwright.runs.store import file_sha256, read_manifest
from labelwright.triage import REASONS
from ticket_data import TICKETS


def test_triage_counts_are_said_in_words_not_as_a_dict(make_project, cli):
    """They were printed as Python's repr: triage {'accepted': 3, 'review': 3, ...}."""
    root = make_project()
    run = run_project(root, report=False)
    counts = read_manifest(run.run_dir)["triage"]["counts"]
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    reasons = ", ".join(f"{counts[r]} {r}" for r in REASONS if counts[r])
    assert (f"triage: {counts['accepted']} accepted, {counts['review']} to review "
            f"({reasons}) outputs:") in out
    assert "{" not in out


@pytest.mark.parametrize(("setting", "said"), [
    ("", "data read with [data] quoting and columns as default: sha256 is the file's own, as "
         "sha256sum gives it"),
    ('quoting = "csv"\n', "data read with quoting csv, columns from the header row: sha256 is "
                          "the file's own, as sha256sum gives it"),
    ('quoting = "none"\n', "data read with quoting none, columns from the header row: sha256 "
                           "is of the file and these settings, not the file's own (the same "
                           "bytes read otherwise are other items)"),
])
def test_show_says_what_the_data_hash_is_of(make_project, cli, setting, said):
    """A user whose sha256sum of the data file differs from the run's hash got no hint
    that the hash covers [data] quoting and columns."""
    root = make_project(rows=[{**row, "text": row["text"].replace(",", "")}  # quoting none
                              for row in TICKETS])
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("[data]\n", f"[data]\n{setting}"))
    run = run_project(root, report=False)
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    assert said in out
    own = file_sha256(root / "data" / "items.csv") == run.dataset.sha256
    assert own == ("file's own, as sha256sum" in said)  # what it says of the hash is so
