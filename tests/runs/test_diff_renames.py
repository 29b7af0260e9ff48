"""``runs diff`` on a renamed LF or glossary: "renamed old -> new", not removed + added."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from ticket_data import BILLING_GLOSSARY


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_renamed_lf_is_said_renamed(make_project, cli):
    """Renaming a function showed as one LF removed and one added, in runs diff and the
    report, though nothing but its name had changed."""
    root = make_project()
    first = run_project(root, report=False)
    module = root / "labeling_functions" / "tickets.py"
    _edit(module, "def crashes(item):", "def crash_or_error(item):")
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.lfs.renamed == [("crashes", "crash_or_error")]
    assert (d.lfs.added, d.lfs.removed, d.lfs.edited) == ([], [], [])
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert "LFs renamed (the same votes on every item): crashes -> crash_or_error" in out
    assert "LFs added" not in out and "LFs removed" not in out


def test_a_renamed_lf_whose_votes_moved_stays_removed_and_added(make_project):
    root = make_project()
    first = run_project(root, report=False)
    module = root / "labeling_functions" / "tickets.py"
    _edit(module, "def crashes(item):", "def crash_only(item):")
    _edit(module, 'or "error" in item.text.lower()', "")
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert (d.lfs.added, d.lfs.removed, d.lfs.renamed) == (["crash_only"], ["crashes"], [])


def test_two_lfs_voting_alike_are_no_rename_of_one(make_project):
    """A removed LF that two added ones vote like: which one renames it cannot be told."""
    root = make_project()
    first = run_project(root, report=False)
    module = root / "labeling_functions" / "tickets.py"
    body = ('    return "technical" if "crash" in item.text.lower() or "error" in '
            'item.text.lower() else ABSTAIN\n')
    _edit(module, "def crashes(item):", "def crash_a(item):")
    module.write_text(module.read_text(encoding="utf-8")
                      + f"\n\n@labeling_function()\ndef crash_b(item):\n{body}",
                      encoding="utf-8")
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.lfs.renamed == []
    assert sorted(d.lfs.added) == ["crash_a", "crash_b"] and d.lfs.removed == ["crashes"]


def test_a_renamed_glossary_file_is_said_renamed_with_its_lf(make_project):
    root = make_project(glossaries={"billing_terms": BILLING_GLOSSARY})
    first = run_project(root, report=False)
    (root / "glossaries" / "billing_terms.yaml").rename(root / "glossaries" / "money.yaml")
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.glossaries.renamed == [("billing_terms", "money")]
    assert d.lfs.renamed == [("glossary:billing_terms", "glossary:money")]
    assert not (d.glossaries.added or d.glossaries.removed or d.lfs.added or d.lfs.removed)


def test_no_rename_is_said_when_a_label_matrix_is_missing(make_project):
    root = make_project()
    first = run_project(root, report=False)
    _edit(root / "labeling_functions" / "tickets.py", "def crashes(item):", "def crash2(item):")
    second = run_project(root, report=False)
    (first.run_dir / "label_matrix.parquet").unlink()
    d = diff_runs(first.run_dir, second.run_dir)
    assert (d.lfs.added, d.lfs.removed, d.lfs.renamed) == (["crash2"], ["crashes"], [])
