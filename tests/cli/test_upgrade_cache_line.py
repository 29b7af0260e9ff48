"""The line after an upgrade naming the caches that missed because their keys hold
labelwright's own code (cli.run_output.upgrade_cache_line)."""

from __future__ import annotations

import json
import shutil
import textwrap
from types import SimpleNamespace

from labelwright.cli.run_output import upgrade_cache_line
from labelwright.project import run_project
from labelwright.runs.store import read_manifest
from ticket_data import BILLING_GLOSSARY

OLD = "5" * 64  # a code hash no labelwright of today has


def _manifest(doc_hits, ranking_reused, refreshed=False, code="c"):
    return {"apply": {"doc_cache": {"used": True, "hits": doc_hits}},
            "pipeline": {"fingerprint_parts": {"labelwright_text_code": code}},
            "triage": {"ranking_cache": {"used": True, "reused": ranking_reused,
                                         "refreshed": refreshed, "code": code}}}


def test_the_doc_match_and_ranking_caches_that_missed_are_named_with_why():
    """The first run after an upgrade parsed, matched and ranked afresh, and said only
    "review ranking: computed": the Doc cache's miss was not said at all."""
    moved = SimpleNamespace(pipeline={"a": {}, "b": {}})
    older = _manifest(0, False, code="older")
    said = upgrade_cache_line(moved, _manifest(0, False), older)
    assert said == ("caches missed once after the upgrade: the Doc and match caches (the "
                    "spaCy pipeline's fingerprint holds labelwright's own text-processing "
                    "code, which moved: every text parsed and matched again) and the ranking "
                    "cache (its key holds labelwright's ranking and end-model code: the queue "
                    "ranked again)")
    # a run of a labelwright from before the code hashes were recorded: both named
    assert upgrade_cache_line(moved, _manifest(0, False), {}) == said
    same = SimpleNamespace(pipeline=None)  # the same pipeline: its misses are not the code's
    assert upgrade_cache_line(same, _manifest(0, False), older) == (
        "caches missed once after the upgrade: the ranking cache (its key holds "
        "labelwright's ranking and end-model code: the queue ranked again)")
    assert upgrade_cache_line(moved, _manifest(12, True), older) is None  # both read back
    assert upgrade_cache_line(same, _manifest(0, False, refreshed=True),
                              older) is None  # --no-cache


def test_misses_of_the_inputs_are_not_put_on_the_upgrade():
    """The pipeline's fingerprint holds the [nlp] settings and the ranking's key the votes
    too: after an upgrade that left both codes as they were, an [nlp] edit's or a new LF's
    misses were said to be the upgrade's."""
    moved = SimpleNamespace(pipeline={"a": {}, "b": {}})
    assert upgrade_cache_line(moved, _manifest(0, False), _manifest(3, True)) is None
    ranked_nothing = {**_manifest(0, False, code="older"), "triage": {"ranking_cache": None}}
    assert upgrade_cache_line(moved, _manifest(0, False), ranked_nothing) == (
        "caches missed once after the upgrade: the Doc and match caches (the spaCy "
        "pipeline's fingerprint holds labelwright's own text-processing code, which moved: "
        "every text parsed and matched again)")  # no entry of the run before to miss
    no_own_code = _manifest(0, False, code="older")  # the ranking code as the run before's
    no_own_code["pipeline"]["fingerprint_parts"]["labelwright_text_code"] = None  # no
    # component of labelwright's: none of its code in the fingerprint
    assert upgrade_cache_line(moved, no_own_code, _manifest(0, True, code="older")) is None


def _as_an_older_labelwright_made_it(run_dir, *, text_code=True, ranking_code=True):
    """The run's manifest as another labelwright would have written it: its code hash,
    and where asked the text-processing code in its pipeline's fingerprint and the ranking
    code in its ranking cache key, another."""
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["labelwright_code"] = {"sha256": OLD, "files": 3}
    if text_code:
        manifest["pipeline"]["fingerprint"] = OLD
        manifest["pipeline"]["fingerprint_parts"]["labelwright_text_code"] = OLD
    if ranking_code:
        manifest["triage"]["ranking_cache"]["code"] = OLD
    path.write_text(json.dumps(manifest), encoding="utf-8")


DOC_CACHE = "\n[apply]\ndoc_cache = true\n"


def test_a_run_after_an_upgrade_names_the_caches_the_code_made_miss(make_project, cli):
    """The first run after an upgrade reads none of the older labelwright's entries."""
    root = make_project(glossaries={"billing": BILLING_GLOSSARY}, extra=DOC_CACHE)
    first = run_project(root, report=False)
    assert read_manifest(first.run_dir)["triage"]["ranking_cache"]["code"]  # recorded
    _as_an_older_labelwright_made_it(first.run_dir)
    for folder in ("votes", "docs", "matches", "ranking"):  # keyed by the older code
        shutil.rmtree(root / ".labelwright" / "cache" / folder)
    code, out = cli("run", "--no-report", "-p", str(root))
    assert code == 0, out
    assert f"labelwright changed since run {first.run_id} (code 555555555555 ->" in out, out
    assert ("caches missed once after the upgrade: the Doc and match caches (the spaCy "
            "pipeline's fingerprint holds labelwright's own text-processing code, which "
            "moved: every text parsed and matched again) and the ranking cache (its key "
            "holds labelwright's ranking and end-model code: the queue ranked again)") in out


def test_an_nlp_edit_and_a_new_lf_after_an_upgrade_are_not_blamed_on_it(make_project, cli):
    """Reported: an [nlp] edit (the Doc and match caches miss) and a new LF (the ranking
    misses) in the first run after an upgrade that changed neither code were said to be
    misses of the upgrade."""
    root = make_project(glossaries={"billing": BILLING_GLOSSARY}, extra=DOC_CACHE)
    first = run_project(root, report=False)
    _as_an_older_labelwright_made_it(first.run_dir, text_code=False, ranking_code=False)
    config = root / "labelwright.toml"
    config.write_text(config.read_text() + "\n[nlp]\nsentencizer = true\n")
    lfs = root / "labeling_functions" / "tickets.py"
    lfs.write_text(lfs.read_text() + textwrap.dedent('''
        @labeling_function()
        def says_invoice(item):
            return "billing" if "invoice" in item.text.lower() else ABSTAIN
    '''))
    code, out = cli("run", "--no-report", "-p", str(root))
    assert code == 0, out
    assert f"labelwright changed since run {first.run_id}" in out, out
    assert "review ranking: computed, kept in the ranking cache" in out, out  # it missed
    second = read_manifest(sorted(p for p in (root / "runs").iterdir() if p.is_dir())[-1])
    assert second["apply"]["doc_cache"] == {"used": True, "hits": 0}  # these missed too
    assert "caches missed once" not in out, out
