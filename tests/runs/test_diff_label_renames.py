"""``runs diff`` across a label rename: the flips that are only the rename are named."""

from __future__ import annotations

from labelwright.runs.diff.manifest_changes import label_renames


def manifest(labels, renamed=None):
    return {"project": {"labels": labels},
            "reviews": {"renamed": renamed} if renamed is not None else {}}


def test_only_renames_from_run_a_labels_to_run_b_labels_count():
    before = manifest(["negative", "positive"])
    after = manifest(["neutral", "positive", "complaint"],
                     {"negative": "complaint", "grumble": "complaint"})
    # grumble was no label of run a: no flip of the diff can be it
    assert label_renames(before, after) == {"negative": "complaint"}
    assert label_renames(before, manifest(["neutral", "positive", "complaint"])) == {}
    # run a made after the rename already has the new name
    assert label_renames(after, after) == {}


def test_runs_diff_names_a_rename_in_a_project_without_reviews(make_project, cli):
    """`[project] renamed` was recorded only with the run's reviews (``reviews.renamed``),
    which a project without a review ledger has none of: every flip of a renamed label
    counted as a change of label, and `runs diff` did not say it was only the rename."""
    from label_sets import change_labels
    from labelwright.project import run_project
    from labelwright.runs.diff.compare import diff_runs
    from labelwright.runs.store import read_manifest

    root = make_project()
    first = run_project(root, report=False).run_dir
    change_labels(root, ["billing", "tech"], gold={"technical": "tech"},
                  renamed={"technical": "tech"})
    lfs = root / "labeling_functions" / "tickets.py"
    lfs.write_text(lfs.read_text(encoding="utf-8").replace('"technical"', '"tech"'),
                   encoding="utf-8")
    second = run_project(root, report=False).run_dir
    assert "renamed" not in read_manifest(first)["project"]  # (a project that renamed none)
    manifest = read_manifest(second)
    assert manifest["reviews"] is None
    assert manifest["project"]["renamed"] == {"technical": "tech"}
    d = diff_runs(first, second)
    assert d.transitions == {("technical", "tech"): d.flipped} and d.flipped > 0
    assert d.label_renames == {"technical": "tech"}
    assert d.renamed_flips == d.flipped
    code, out = cli("runs", "diff", first.name, second.name, "-p", str(root))
    assert code == 0, out
    assert (f"of which {d.flipped} only renamed: technical -> tech is one label under its "
            f"new name ([project] renamed of {second.name})") in out


def test_a_run_made_before_project_renamed_was_recorded_reads_reviews_renamed():
    """Runs made before ``project.renamed`` was recorded had it under ``reviews`` only."""
    after = manifest(["billing", "tech"], {"technical": "tech"})
    assert label_renames(manifest(["billing", "technical"]), after) == {"technical": "tech"}
    # the project record is read first
    after["project"]["renamed"] = {"technical": "tech"}
    after["reviews"] = None
    assert label_renames(manifest(["billing", "technical"]), after) == {"technical": "tech"}
