"""LFs made in the Python session (a notebook's) and added to a loaded project: a run
keeps their code as it hashed it, or says why it cannot, and ``runs verify`` and
``explain`` name them rather than pass over them or call them simply gone."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import textwrap

import pytest

import labelwright
from labelwright.errors import LFError
from labelwright.glossaries import glossary_from_dict
from labelwright.project import load_project, run_project
from labelwright.runs.verify.runs import verify_runs

CELL = '''
from labelwright import ABSTAIN, labeling_function

@labeling_function()
def says_invoice(item):
    return "billing" if "invoice" in item.text.lower() else ABSTAIN
'''


def _cell(path, code=CELL):
    """``code`` written to ``path`` and imported from it, as a notebook runs a cell's code."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"cell_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _session_lf(path):
    """The LF of :data:`CELL`, imported from ``path``."""
    return _cell(path).says_invoice


def _manifest(result) -> dict:
    return json.loads((result.run_dir / "manifest.json").read_text())


@pytest.fixture
def cell_run(make_project, tmp_path):
    """A run of a project with an LF from a notebook cell (ipykernel names its files so)."""
    root = make_project()
    project = load_project(root)
    project.lfs.append(_session_lf(tmp_path / "ipykernel_4242" / "1234.py"))
    return root, run_project(project=project, report=False)


def test_the_run_keeps_a_session_lfs_code_as_it_hashed_it(cell_run):
    root, result = cell_run
    manifest = _manifest(result)
    (entry,) = [lf for lf in manifest["labeling_functions"] if lf["name"] == "says_invoice"]
    assert entry["defined_in"] == "a notebook cell"
    (kept,) = [f for f in manifest["sources"]["files"] if f["kind"] == "session LF"]
    assert kept["lf"] == "says_invoice" and kept["copy"] == "sources/_session/says_invoice.py"
    code = (result.run_dir / kept["copy"]).read_bytes()
    assert code.decode().startswith("@labeling_function()\ndef says_invoice(item):")
    # README "Hash recipes": the copy is the text the LF's source_sha256 is of
    assert hashlib.sha256(code + b"\0").hexdigest() == entry["source_sha256"]
    assert hashlib.sha256(code).hexdigest() == kept["sha256"]
    assert manifest["sources"]["not_kept"] == []
    (warning,) = [w for w in result.warnings if "says_invoice" in w]
    assert warning == ("LF made in the Python session, not in the project's LF folder: "
                       "says_invoice (code kept in sources/_session/; to check the run, give "
                       "them again: verify_runs(..., lfs=[...]))")
    assert warning in manifest["run_warnings"]  # the report leads with them


def test_verify_and_explain_name_a_session_lf_and_its_copy(cell_run):
    root, result = cell_run
    (check,) = verify_runs(root)
    assert check.ok and check.sources_hashed == 3  # config, LF module, the session LF
    (note,) = [n for n in check.notes if n.startswith("LF says_invoice")]
    assert "defined in a notebook cell, not in the project's LF folder" in note
    assert f"runs/{result.run_id}/sources/_session/says_invoice.py" in note
    (check,) = verify_runs(root, inputs=True)
    (change,) = check.inputs.changes
    assert change.key == "says_invoice" and change.now is None
    assert "sources/_session/says_invoice.py" in change.note
    assert "the project cannot give it back to compare" in change.note
    explained = labelwright.explain_item(root, "t6")
    (vote,) = [v for v in explained.votes if v.lf == "says_invoice"]
    assert vote.vote == "billing" and "defined in a notebook cell" in vote.location
    # a copy edited since is a problem, as any kept source's
    (result.run_dir / "sources/_session/says_invoice.py").write_text("def other(): pass\n")
    (check,) = verify_runs(root)
    assert any("sources/_session/says_invoice.py" in str(p) for p in check.problems)


def test_verify_compares_and_recomputes_with_the_session_lfs_given_again(cell_run, tmp_path):
    """A run with an LF from a notebook was never recomputable: its LF was always a change
    the project could not give back, so --recompute refused."""
    root, result = cell_run
    (check,) = verify_runs(root, recompute=True)
    assert check.recomputed.refused  # without the LF: a change, nothing recomputed
    assert "verify_runs(..., lfs=[...])" in check.inputs.changes[0].note
    lf = _session_lf(tmp_path / "ipykernel_4242" / "1234.py")
    (check,) = verify_runs(root, recompute=True, lfs=[lf])
    assert check.ok, (check.inputs, check.recomputed)
    assert not check.inputs.changes and not check.recomputed.refused
    assert "says_invoice" in check.recomputed.lfs and not check.recomputed.votes
    other = _session_lf(tmp_path / "ipykernel_4242" / "5678.py")
    other.source_hash = "0" * 64  # another LF under its name
    (check,) = verify_runs(root, inputs=True, lfs=[other])
    (change,) = check.inputs.changes
    assert "the LF given with lfs= is not the one the run ran" in change.note
    with pytest.raises(ValueError, match="an LF named 'mentions_refund' is given twice, or "
                                         "the project has one"):
        verify_runs(root, inputs=True, lfs=[load_project(root).lfs[0]])


def test_code_that_cannot_be_had_is_listed_with_why(make_project):
    root = make_project()
    space: dict = {}
    exec(textwrap.dedent(CELL), space)  # Python keeps no source for it
    project = load_project(root)
    project.lfs.append(space["says_invoice"])  # appending is the same as with_lfs
    result = run_project(project=project, report=False)
    manifest = _manifest(result)
    (left,) = manifest["sources"]["not_kept"]
    assert left["lf"] == "says_invoice" and left["kind"] == "session LF"
    assert "its source cannot be read" in left["reason"]
    assert not (result.run_dir / "sources/_session").exists()
    (check,) = verify_runs(root)
    (note,) = [n for n in check.notes if n.startswith("LF says_invoice")]
    assert "its code was not kept: its source cannot be read" in note
    assert any("no code kept of" in w and "only its hash" in w for w in result.warnings)


def test_a_file_outside_the_lf_folder_is_named(make_project, tmp_path):
    root = make_project()
    lf = _session_lf(tmp_path / "notebooks" / "explore.py")
    result = run_project(project=load_project(root).with_lfs(lf), report=False)
    (entry,) = [lf for lf in _manifest(result)["labeling_functions"]
                if lf["name"] == "says_invoice"]
    assert entry["defined_in"] == f"the file {tmp_path / 'notebooks' / 'explore.py'}"
    # the project's own LFs are not session LFs
    assert [lf["name"] for lf in _manifest(result)["labeling_functions"]
            if "defined_in" in lf] == ["says_invoice"]


def test_with_lfs_refuses_what_is_no_lf_and_a_name_taken(make_project, tmp_path):
    root = make_project()
    project = load_project(root)
    lf = _session_lf(tmp_path / "cell.py")
    added = project.with_lfs(lf)
    assert [x.name for x in added.lfs] == [*[x.name for x in project.lfs], "says_invoice"]
    assert "says_invoice" not in [x.name for x in project.lfs]  # the project is left as it was
    with pytest.raises(TypeError, match=r"argument 1 .* is no labeling function; decorate"):
        project.with_lfs(lambda item: "billing")
    # a project LF's name is a true clash, named with both places
    clash = tmp_path / "clash.py"
    clash.write_text(CELL.replace("says_invoice", "mentions_refund"), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("cell_clash", clash)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(LFError, match=rf"{clash}:4: the LF name 'mentions_refund' is taken by "
                                      rf"the LF at {root / 'labeling_functions'}.*"
                                      r"project.without_lfs\('mentions_refund'\)"):
        project.with_lfs(module.mentions_refund)
    with pytest.raises(LFError, match="the LF name 'says_invoice' is given twice"):
        project.with_lfs(lf, _session_lf(tmp_path / "other" / "cell.py"))


def test_a_cell_run_again_replaces_its_lf_in_place(make_project, tmp_path):
    """Re-running a notebook cell that defines an LF, edited or not, and adding it again
    was refused as a clash with itself ("taken by the LF at <the same place>")."""
    root = make_project()
    project = load_project(root)
    cell = tmp_path / "ipykernel_1" / "cell3.py"
    first = _session_lf(cell)
    added = project.with_lfs(first)
    again = added.with_lfs(first)  # the same LF: nothing changes
    assert [x.name for x in again.lfs] == [x.name for x in added.lfs]
    (cell.parent / "cell3b.py").write_text(textwrap.dedent(CELL).replace(
        '"invoice"', '"invoices"'), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("cell3b", cell.parent / "cell3b.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    edited = again.with_lfs(module.says_invoice)  # the edited cell, at another file
    assert [x.name for x in edited.lfs] == [x.name for x in added.lfs]
    (lf,) = [x for x in edited.lfs if x.name == "says_invoice"]
    assert lf is module.says_invoice
    result = run_project(project=edited, report=False)
    assert list(result.applied.matrix.lf_names) == [x.name for x in added.lfs]
    # and one is taken out by name
    fewer = edited.without_lfs("says_invoice", "crashes")
    assert [x.name for x in fewer.lfs] == [x.name for x in project.lfs if x.name != "crashes"]
    with pytest.raises(KeyError, match=r"no LF is named 'says_invoce'; did you mean "
                                       r"'says_invoice'\? LFs: mentions_refund"):
        edited.without_lfs("says_invoce")


SNORKEL_CELL = '''
from snorkel.labeling import labeling_function

@labeling_function()
def says_refund(x):
    return 0 if "refund" in x.text.lower() else -1
'''


def test_verify_takes_a_snorkel_lf_given_again_as_with_lfs_took_it(make_project, tmp_path):
    """with_lfs took a snorkel LF; verify_runs(lfs=[it]) raised AttributeError."""
    root = make_project()
    module = _cell(tmp_path / "ipykernel_1" / "9.py", SNORKEL_CELL)
    run_project(project=load_project(root).with_lfs(module.says_refund), report=False)
    (check,) = verify_runs(root, recompute=True, lfs=[module.says_refund])
    assert check.ok, (check.inputs, check.recomputed)
    assert "says_refund" in check.recomputed.lfs
    with pytest.raises(TypeError, match=r"verify_runs: lfs item 1 \(.*\) is no labeling "
                                        r"function"):
        verify_runs(root, inputs=True, lfs=[len])


SNORKEL_PRE_CELL = '''
from snorkel.labeling import labeling_function
from snorkel.preprocess import preprocessor


@preprocessor()
def lower_text(x):
    x.low = x.text.lower()
    return x


@labeling_function()
def says_long(x):
    return 1 if len(x.text) > 20 else -1


@labeling_function(pre=[lower_text], resources=dict(word="refund"))
def says_word(x, word):
    return 0 if word in x.low else -1
'''


def test_a_snorkel_lf_made_in_the_session_is_kept_with_its_preprocessors(make_project,
                                                                          tmp_path):
    """A snorkel LF from the session was never kept, with a false reason: its copy was read
    from labelwright's adapter, not from the code its hash is of (the file 'changed')."""
    root = make_project()
    module = _cell(tmp_path / "ipykernel_1" / "11.py", SNORKEL_PRE_CELL)
    result = run_project(project=load_project(root).with_lfs(module.says_long,
                                                             module.says_word), report=False)
    manifest = _manifest(result)
    assert manifest["sources"]["not_kept"] == []
    kept = {f["lf"]: f for f in manifest["sources"]["files"] if f["kind"] == "session LF"}
    assert sorted(kept) == ["says_long", "says_word"]
    hashes = {lf["name"]: lf["source_sha256"] for lf in manifest["labeling_functions"]}
    code = (result.run_dir / kept["says_long"]["copy"]).read_bytes()
    assert code.decode().startswith("@labeling_function()\ndef says_long(x):")
    assert "made_with" not in kept["says_long"]
    assert hashlib.sha256(code + b"\0").hexdigest() == hashes["says_long"]
    code = (result.run_dir / kept["says_word"]["copy"]).read_bytes()
    made_with = kept["says_word"]["made_with"]
    assert "def lower_text(x):" in made_with and "'refund'" in made_with  # preprocessor kept
    assert hashlib.sha256(code + b"\0" + made_with.encode() + b"\0").hexdigest() \
        == hashes["says_word"]  # README "Hash recipes"


SNORKEL_INVOICE_CELL = '''
from snorkel.labeling import labeling_function

@labeling_function()
def snorkel_invoice(x):
    return 0 if "invoice" in x.text.lower() else -1
'''


def test_a_snorkel_lf_appended_to_project_lfs_runs_as_with_lfs_runs_it(make_project, tmp_path):
    """project.lfs.append(snorkel_lf) then a run failed on `'LabelingFunction' object has no
    attribute 'kind'` (the run's first check read it as labelwright's); the list takes it
    as with_lfs does."""
    root = make_project()
    lf = _cell(tmp_path / "ipykernel_4242" / "77.py", SNORKEL_INVOICE_CELL).snorkel_invoice
    project = load_project(root)
    project.lfs.append(lf)
    assert project.lfs[-1].kind == "snorkel" and project.lfs[-1].snorkel is lf
    result = run_project(project=project, report=False)
    texts = result.dataset.texts
    expected = [0 if "invoice" in text.lower() else -1 for text in texts]
    assert 0 in expected and -1 in expected  # the data has items either way
    assert result.applied.matrix.column("snorkel_invoice").tolist() == expected
    (entry,) = [x for x in _manifest(result)["labeling_functions"]
                if x["name"] == "snorkel_invoice"]
    assert entry["kind"] == "snorkel" and entry["defined_in"] == "a notebook cell"
    # with_lfs takes it to the same LF
    added = load_project(root).with_lfs(lf)
    assert added.lfs[-1].source_hash == project.lfs[-1].source_hash


def test_project_lfs_takes_lfs_every_way_a_list_is_changed(make_project, tmp_path):
    root = make_project()
    lf = _cell(tmp_path / "cell.py", SNORKEL_INVOICE_CELL).snorkel_invoice
    project = load_project(root)
    own = list(project.lfs)
    project.lfs += [lf]
    project.lfs.insert(0, lf)
    project.lfs[1] = lf
    assert [x.kind for x in project.lfs[:2]] == ["snorkel", "snorkel"]
    assert project.lfs[-1].kind == "snorkel"
    project.lfs = [*own, lf]  # assigned: a plain list is taken the same way
    assert project.lfs[-1].kind == "snorkel"
    assert project.replaced(glossaries=[]).lfs[-1].kind == "snorkel"

    def plain(item):
        return "billing"

    with pytest.raises(TypeError, match=r"^project\.lfs\.append: argument \(<function .*plain"
                                        r".*\) is no labeling function; decorate it"):
        project.lfs.append(plain)
    with pytest.raises(TypeError, match=r"^project\.lfs\.extend: item 2 .* is no labeling"):
        project.lfs.extend([lf, plain])
    with pytest.raises(TypeError, match=r"^project\.lfs: item 1 .* is no labeling function"):
        project.lfs = [plain]
    assert project.lfs[-1].kind == "snorkel"  # nothing was added by the refused calls


def test_a_session_lf_reading_an_object_of_the_lf_folder_records_it_as_the_cache_keys_it(
        make_project, tmp_path, monkeypatch):
    """A notebook LF reads a table an LF-folder module made: the vote cache keys it by
    that module's file, and the manifest says so rather than "cannot be hashed"."""
    from labelwright.runs.session_lfs import session_lfs

    root = make_project()
    project = load_project(root)
    folder = project.config.lf_path
    (folder / "_table_helper.py").write_text(
        "import pandas as pd\nTABLE = pd.DataFrame({'word': ['invoice']})\n")
    monkeypatch.syspath_prepend(str(folder))
    project.lfs.append(_cell(tmp_path / "ipykernel_4242" / "77.py", '''
        import _table_helper
        from labelwright import ABSTAIN, labeling_function

        @labeling_function()
        def says_table(item):
            return "billing" if item.text in set(_table_helper.TABLE.word) else ABSTAIN
    ''').says_table)
    (found,) = [s for s in session_lfs(project) if s.lf.name == "says_table"]
    (read,) = [r for r in found.globals_read if r.name == "_table_helper.TABLE"]
    assert read.sha256 is not None


def test_verify_compares_and_recomputes_with_the_session_glossaries_given_again(make_project):
    """verify_runs took the session's LFs but not its glossaries: a run that matched a
    glossary made from a dict always failed --recompute ("glossary money ... gone",
    "nothing recomputed"), whatever was given."""
    root = make_project()
    spec = {"name": "money", "label": "billing", "terms": ["invoice", "charged"]}
    run_project(project=load_project(root).with_glossaries(spec), report=False)
    (check,) = verify_runs(root, recompute=True)
    assert check.recomputed.refused
    assert [c.key for c in check.inputs.changes] == ["money"]
    (check,) = verify_runs(root, recompute=True, glossaries=[spec])
    assert check.ok, (check.inputs, check.recomputed)
    assert not check.inputs.changes and not check.recomputed.refused
    assert "glossary:money" in check.recomputed.lfs and not check.recomputed.votes
    # a Glossary, as with_glossaries takes it, hashes the same
    made = glossary_from_dict(spec, ["billing", "technical"])
    (check,) = verify_runs(root, inputs=True, glossaries=[made])
    assert not check.inputs.changes
    # other terms under its name: a difference, not the run's glossary
    (check,) = verify_runs(root, inputs=True, glossaries=[{**spec, "terms": ["invoice"]}])
    (change,) = check.inputs.changes
    assert change.what == "glossary" and change.key == "money" and change.now is not None
    with pytest.raises(ValueError, match="a glossary named 'money' is given twice"):
        verify_runs(root, inputs=True, glossaries=[spec, spec])
