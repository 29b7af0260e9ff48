"""``runs show`` and ``runs diff`` of a run ``runs prune --keep-manifests`` removed: they
failed (no run matching it), though its archive keeps the manifest they read."""

from __future__ import annotations

import json

import pytest

from labelwright.project import run_project


@pytest.fixture
def pruned(make_project, cli):
    """Three runs, the first two pruned with their archives kept; the LFs edited before
    the second."""
    root = make_project()
    first = run_project(root, report=False)
    lfs = root / "labeling_functions" / "tickets.py"
    lfs.write_text(lfs.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    second = run_project(root, report=False)
    latest = run_project(root, report=False)
    code, out = cli("runs", "prune", "--keep", "1", "--no-keep-review-sources",
                    "--keep-manifests", "--no-caches", "-p", str(root))
    assert code == 0 and not first.run_dir.exists() and not second.run_dir.exists(), out
    return root, first, second, latest


def test_show_reads_a_pruned_run_s_archived_manifest(pruned, cli):
    root, first, _, _ = pruned
    code, out = cli("runs", "show", first.run_id, "-p", str(root))
    assert code == 0, out
    assert f"run {first.run_id} runs/pruned/{first.run_id}" in out.replace(f"{root}/", "")
    assert (f"run {first.run_id} was pruned on ") in out
    assert (f"read from its archive {root / 'runs' / 'pruned' / first.run_id}, which keeps "
            "manifest.json and sources/ only; its labels, votes and other outputs went with "
            "its folder") in out
    assert "outputs (pruned with its folder): glossary_hits.csv" in out
    assert "not the manifest pruned" not in out


def test_show_warns_of_an_archived_manifest_edited_since(pruned, cli):
    root, first, _, _ = pruned
    path = root / "runs" / "pruned" / first.run_id / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "seed": 7}), encoding="utf-8")
    code, out = cli("runs", "show", first.run_id, "-p", str(root))
    assert code == 0 and "not the manifest pruned (its sha256 is not the one" in out, out


def test_diff_compares_a_pruned_run_by_its_manifest(pruned, cli):
    root, first, second, latest = pruned
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert f"{first.run_id} -> {second.run_id}" in out
    assert f"run {first.run_id} was pruned on" in out and f"run {second.run_id} was" in out
    assert "LF modules edited: tickets.py" in out  # the edit between them: the manifests
    assert (f"labels: not compared ({first.run_id} and {second.run_id} pruned: the "
            "manifests alone are compared") in out
    code, out = cli("runs", "diff", second.run_id, "-p", str(root))  # against the latest
    assert code == 0 and f"{second.run_id} -> {latest.run_id}" in out, out
    assert "inputs: unchanged" in out
    code, out = cli("runs", "diff", second.run_id, "--exit-code", "-p", str(root))
    assert code == 2, out  # labels and votes cannot be compared: neither 0 nor 1
