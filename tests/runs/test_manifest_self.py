"""A manifest checked against itself: the hashes it records of a glossary, an LF module
and an LF's code against the run's kept copies. An edited one had passed ``runs verify``,
and made ``--inputs`` name a project file, byte for byte the run's copy, as changed."""

from __future__ import annotations

import json

from labelwright.project import run_project
from labelwright.runs.verify.manifest_self import plain_code, self_contradictions

GLOSSARY = ("name: money\nlabel: billing\nterms:\n  - term: refund\n"
            "    synonyms: [money back]\n")


def _edit(run_dir, edit):
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def test_an_untouched_manifest_agrees_with_itself(make_project):
    root = make_project(glossaries={"money": GLOSSARY})
    run = run_project(root, report=False)
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["glossaries"] and manifest["labeling_functions"]
    assert self_contradictions(run.run_dir, manifest) == []


def test_an_edited_glossary_or_lf_hash_is_named(make_project, cli):
    root = make_project(glossaries={"money": GLOSSARY})
    run = run_project(root, report=False)

    def edit(manifest):
        manifest["glossaries"][0]["sha256"] = "0" * 64
        python = [lf for lf in manifest["labeling_functions"] if lf["kind"] == "python"]
        python[0]["source_sha256"] = "1" * 64

    manifest = _edit(run.run_dir, edit)
    lf = next(lf for lf in manifest["labeling_functions"] if lf["kind"] == "python")
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1, out
    assert ("manifest.json: glossaries[money].sha256: the manifest says 000000000000, the "
            "run's copy of glossaries/money.yaml (sources/glossaries/money.yaml, as "
            "sources.files records it) has sha256") in out, out
    assert (f"manifest.json: labeling_functions[{lf['name']}].source_sha256: the manifest "
            f"says 111111111111, its code in the run's copy sources/"
            f"{lf['location'].rpartition(':')[0]}:{lf['location'].rpartition(':')[2]} "
            "hashes to") in out, out


def test_only_an_lf_that_binds_nothing_is_read_without_importing_it():
    module = ("from labelwright import labeling_function\n\n"
              "@labeling_function()\ndef plain(text):\n    return None\n\n"
              "@labeling_function()\ndef with_default(text, word='x'):\n    return None\n\n"
              "@labeling_function(resources={'w': 1})\ndef with_resources(text, w):\n"
              "    return None\n\n"
              "def factory(word):\n    @labeling_function()\n    def inner(text):\n"
              "        return word\n    return inner\n")
    lines = module.splitlines(keepends=True)
    assert plain_code(lines, 3) == "@labeling_function()\ndef plain(text):\n    return None\n"
    assert plain_code(lines, 7) is None  # a default argument is hashed too
    assert plain_code(lines, 11) is None  # resources are hashed too
    assert plain_code(lines, 17) is None  # nested in a factory: its closure is hashed too


def test_inputs_says_the_project_file_is_the_runs_copy_when_only_the_hash_was_edited(
        make_project, cli):
    """--inputs had pointed at the run's copy to compare with a project file identical
    to it."""
    root = make_project(glossaries={"money": GLOSSARY})
    run = run_project(root, report=False)
    _edit(run.run_dir, lambda m: m["glossaries"][0].update(sha256="0" * 64))
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    assert ("glossary money (glossaries/money.yaml): sha256 000000000000 -> ") in out, out
    assert (f"the project's file is the run's copy (runs/{run.run_id}/sources/glossaries/"
            "money.yaml) byte for byte: it is the manifest's hash that differs (edited)") \
        in out, out
