"""``labelwright runs show``: a run's manifest in readable lines."""

from __future__ import annotations

import json
import shutil

import pytest

from labelwright.project import run_project
from labelwright.runs.store import file_sha256, read_manifest
from labelwright.triage.reasons import REASONS
from ledger_rows import import_rows
from ticket_data import TICKETS


def test_triage_counts_are_said_in_words_not_as_a_dict(make_project, cli):
    """They were printed as Python's repr: triage {'accepted': 3, 'review': 3, ...}."""
    root = make_project(gold=None)  # no gold items left out of the audit: no line on them
    run = run_project(root, report=False)
    counts = read_manifest(run.run_dir)["triage"]["counts"]
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    reasons = ", ".join(f"{counts[r]} {r}" for r in REASONS if counts[r])
    assert (f"triage: {counts['accepted']} accepted, {counts['review']} to review "
            f"({reasons}) outputs:") in out
    assert "{" not in out
    # a blank pipeline's meta name and version ("pipeline 0.0.0") said nothing
    fingerprint = read_manifest(run.run_dir)["pipeline"]["fingerprint"][:12]
    assert (f"pipeline: spacy.blank('en') (en; labelwright_lookup_lemmas; fingerprint "
            f"{fingerprint}), spaCy ") in out


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


def _record(root, rows, *, sha):
    """Decisions ``(item, label, rater)`` appended to the project's review ledger."""
    import_rows(root, rows, sha=sha, run_id="r1")


def test_show_says_what_auto_chose_and_why_and_each_candidates_score(make_project, cli):
    """runs show printed auto's own hyperparameters only: not the model it chose, its
    settings, the reason, nor the cross-validated scores behind the choice (which the
    manifest did not keep)."""
    rows = [{"id": f"b{i}", "text": f"Please refund order {i}", "gold": "billing"}
            if i % 2 == 0 else
            {"id": f"t{i}", "text": f"The app crashes on screen {i}", "gold": "technical"}
            for i in range(60)]
    root = make_project(rows=rows, model="auto")
    _record(root, [(row["id"], row["gold"], "ana") for row in rows[:30]], sha="s1")
    run = run_project(root, report=False)
    model = read_manifest(run.run_dir)["label_model"]
    assert model["cv_scores"] == json.loads(json.dumps(run.model.cv_scores_))
    assert len(model["cv_scores"]) > 1
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    chosen = model["chosen"]
    settings = ", ".join(f"{k}={v}" for k, v in sorted(chosen["params"].items()))
    assert f"auto chose: {chosen['model']}" + (f" ({settings})" if settings else "") \
        + f": {chosen['reason']}" in out
    assert "CV on 30 reviewed labels" in chosen["reason"]
    assert "calibration: " in out and " probabilities" in out
    assert "cross-validated macro_f1 of each candidate (mean over 5 folds):" in out
    for record in model["cv_scores"]:
        assert f"{record['model']}" in out and f": {record['score']:.4f}" in out


def test_show_gives_the_review_policy_and_how_the_reviews_settled(make_project, cli):
    """The manifest records the review policy, the adjudicators and how many items an
    adjudicator settled or overruled; runs show said none of it."""
    root = make_project()
    first = run_project(root, report=False)
    ids = first.dataset.ids
    _record(root, [
        (ids[0], "billing", "ana"), (ids[0], "technical", "ben"), (ids[0], "billing", "lead"),
        (ids[1], "billing", "ana"), (ids[1], "billing", "ben"), (ids[1], "technical", "cy"),
        (ids[2], "technical", "ana"), (ids[2], "technical", "ben"), (ids[2], "billing", "lead"),
    ], sha="s1")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[review]\nadjudicators = ["lead"]\n')
    run_project(root, report=False)
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    assert ("review policy: majority, adjudicators: lead (2 items with disagreeing raters, "
            "1 tied; 1 settled by an adjudicator; 1 where an adjudicator overruled agreeing "
            "raters; 0 whose adjudicators disagree)") in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_show_names_the_files_a_dirty_run_was_dirty_with(make_project, cli):
    """Every run after the first review read "(dirty)", and an auditor could not tell that
    the review ledger alone made it so."""
    import subprocess

    root = make_project()
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t",
                                                "commit", "-q", "-m", "first"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    (root / "notes.txt").write_text("x")
    run_project(root, report=False)
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0 and "(dirty: ?? notes.txt)" in out
    path = root / "runs" / (root / "runs" / "LATEST").read_text().strip() / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["git"]["changed"] = 25  # 20 named, 5 more
    manifest["git"]["changed_files"] = [f"M f{i}.py" for i in range(20)]
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "show", "-p", str(root))
    assert "(dirty: M f0.py, M f1.py" in out and "M f19.py and 5 more)" in out
    del manifest["git"]["changed_files"]  # a run from before the files were named
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "show", "-p", str(root))
    assert "(dirty)" in out


def test_show_and_diff_say_which_labelwright_made_each_run(make_project, cli):
    """Every run said labelwright 0.1.0 whatever code made it, and the project's git state
    (null outside a repo) is not labelwright's: a diff across an upgrade named no cause."""
    from labelwright.runs.own_code import labelwright_code

    root = make_project()
    older = run_project(root, report=False)
    newer = run_project(root, report=False)
    own = labelwright_code()["sha256"]
    assert read_manifest(newer.run_dir)["labelwright_code"]["sha256"] == own
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0 and f"labelwright: 0.1.0, code sha256 {own[:12]}" in out, out
    code, out = cli("runs", "diff", "-p", str(root))
    assert code == 0 and "labelwright code" not in out, out  # the same code made both
    path = older.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["labelwright_code"]  # as an older labelwright wrote it
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "show", older.run_id, "-p", str(root))
    assert "labelwright: 0.1.0, code sha256 not recorded (an older labelwright)" in out, out
    code, out = cli("runs", "diff", older.run_id, newer.run_id, "-p", str(root))
    assert (f"labelwright code: not recorded (an older labelwright) -> {own[:12]}"
            in out), out
    code, out = cli("runs", "list", "-p", str(root))  # which labelwright made each run
    made = {run_id: out.split(f"│ {run_id} │")[1].split("│")[7].strip()  # its 9th column
            for run_id in (older.run_id, newer.run_id)}
    assert made == {older.run_id: "—", newer.run_id: own[:12]}, out
    assert f"(this one's {own[:12]}: `labelwright --version`" in " ".join(out.split()), out
    manifest["labelwright_code"] = {"sha256": "5" * 64, "files": 3}  # another labelwright
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "diff", older.run_id, newer.run_id, "-p", str(root))
    assert f"labelwright code: 555555555555 -> {own[:12]}" in out, out
    code, out = cli("runs", "list", "-p", str(root))
    assert "555555555555" in out, out


def test_show_prints_the_manifest_hash_and_verify_checks_a_manifest_against_it(make_project,
                                                                            cli):
    """Nothing anchored a manifest: one rewritten with its outputs' new hashes passed every
    check, and no command printed the manifest's own hash to keep elsewhere."""
    root = make_project()
    run = run_project(root, report=False)
    kept = file_sha256(run.run_dir / "manifest.json")
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0 and f"manifest sha256 {kept} (keep it elsewhere" in out
    code, out = cli("runs", "verify", "--manifest-sha256", kept, "-p", str(root))
    assert code == 0 and "its sha256 is the one given with --manifest-sha256" in out
    # the manifest rewritten (a claim changed; the outputs' hashes untouched)
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["seed"] = 7
    path.write_text(json.dumps(manifest), encoding="utf-8")
    code, out = cli("runs", "verify", "--manifest-sha256", kept, "-p", str(root))
    assert code == 1
    assert (f"manifest.json: sha256 {file_sha256(path)}, not the {kept} given with "
            "--manifest-sha256") in out
    code, out = cli("runs", "verify", "--all", "--manifest-sha256", kept, "-p", str(root))
    assert code == 2
    code, out = cli("runs", "verify", "--manifest-sha256", kept[:12], "-p", str(root))
    assert code == 2 and "expected 64 hex digits" in out


def test_show_points_lfs_of_a_file_changed_since_at_the_runs_copy(make_project, cli):
    """A deleted LF was listed at sentiment.py:27, where line 27 now held another LF."""
    from ticket_data import TICKET_LFS

    root = make_project()
    run = run_project(root, report=False)
    recorded = {lf["name"]: lf["location"]
                for lf in read_manifest(run.run_dir)["labeling_functions"]}
    module = root / "labeling_functions" / "tickets.py"
    code, out = cli("runs", "show", run.run_id, "-p", str(root))
    assert code == 0, out
    assert "changed since this run" not in out and "(the run's copy)" not in out
    module.write_text("# a comment moves every LF down a line\n" + TICKET_LFS)
    code, out = cli("runs", "show", run.run_id, "-p", str(root))
    assert code == 0, out
    copy = f"runs/{run.run_id}/sources/labeling_functions/tickets.py"
    for location in recorded.values():
        line = location.rpartition(":")[2]
        assert f"{copy}:{line} (the run's copy)" in out
    assert (f"labeling_functions/tickets.py changed since this run: its LFs are shown at "
            f"their lines in the run's copy, {copy}") in out
    # a copy edited since: the recorded lines, said to be perhaps not the file's
    kept = run.run_dir / "sources" / "labeling_functions" / "tickets.py"
    kept.write_text(kept.read_text() + "\n")
    code, out = cli("runs", "show", run.run_id, "-p", str(root))
    assert next(iter(recorded.values())) in out
    assert ("labeling_functions/tickets.py changed since this run, and the run's copy of it "
            "is missing or edited") in out


def test_the_run_after_an_upgrade_says_labelwright_changed_since_the_previous_run(
        make_project, cli):
    """The first run after an upgrade blamed its flips on "label model (same text and
    votes)" and did not say labelwright had changed; it says so now, with both hashes."""
    from labelwright.runs.own_code import labelwright_code

    root = make_project()
    run_project(root, report=False)
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0 and "since run" in out and "labelwright changed" not in out, out
    older = run_project(root, report=False)
    path = older.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["labelwright_code"] = {"sha256": "5" * 64, "files": 3}  # another labelwright
    path.write_text(json.dumps(manifest))
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0, out
    assert (f"labelwright changed since run {older.run_id} (code 555555555555 -> "
            f"{labelwright_code()['sha256'][:12]}): flips may come from it"
            in " ".join(out.split())), out
    assert "caches missed once" not in out  # the same pipeline, the ranking read back


def test_runs_lists_labelwright_column_is_a_dash_for_any_run_without_a_code_hash():
    """A manifest whose ``labelwright_code`` had a sha256 that is no text (null) put "not
    recorded (an older labelwright)" in the column, where others have a dash."""
    from labelwright.cli.runs import made_by

    assert made_by({"sha256": None}) == made_by({}) == made_by(None) == "—"
    assert made_by({"sha256": "ab" * 32, "files": 3}) == "ab" * 6


def test_show_says_the_rows_left_out_as_read_and_each_parts_own(make_project, cli):
    """A run of parts with bad rows skipped showed "199800 rows" and each part's rows, with
    no word of the 200 left out that the manifest counts, nor where they are listed."""
    root = make_project()
    folder = root / "data" / "parts"
    folder.mkdir()
    rows = [json.dumps({"id": t["id"], "text": t["text"], "gold": t["gold"]}) for t in TICKETS]
    half = len(rows) // 2
    (folder / "a.jsonl").write_text("\n".join(rows[:half] + ['{"id": '] * 2) + "\n")
    (folder / "b.jsonl").write_text("\n".join(rows[half:] + ['{"id": '] * 3) + "\n")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('path = "data/items.csv"',
                                                 'path = "data/parts"\nbad_rows = "skip"'))
    run = run_project(root, report=False)
    data = read_manifest(run.run_dir)["data"]
    assert data["skipped_rows"]["count"] == 5
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    assert (f"{data['rows']} rows (" in out and "left out as read: 5 rows of the data ([data] "
            "bad_rows = \"skip\"), not among the rows above; each is listed in the run's "
            "skipped_rows.jsonl") in out, out
    assert f"a.jsonl ({half} rows, 2 skipped, sha256 " in out, out
    assert f"b.jsonl ({len(rows) - half} rows, 3 skipped, sha256 " in out, out
    # a run that skipped nothing says nothing of it
    shutil.rmtree(folder)
    config.write_text(config.read_text().replace('path = "data/parts"', 'path = "data/items.csv"'))
    run_project(root, report=False)
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0 and "left out as read" not in out and "skipped," not in out, out
