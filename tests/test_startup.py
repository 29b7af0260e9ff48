"""The CLI imports spaCy without torch when nothing needs it (see labelwright.startup).

Each check runs in a fresh interpreter: in the test process spaCy is already imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from labelwright.startup import import_spacy
hidden = import_spacy(sys.argv[1])
seen = {"hidden": hidden, "spacy": "spacy" in sys.modules, "torch": "torch" in sys.modules}
if seen["spacy"]:
    import thinc.compat
    seen["thinc_has_torch"] = thinc.compat.has_torch
print(json.dumps(seen))
"""
UNTOUCHED = {"hidden": False, "spacy": False, "torch": False}


def probe(project: Path, **env: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(project)], check=True,
                         capture_output=True, text=True, env={**os.environ, **env}).stdout
    return json.loads(out)


def test_a_blank_pipeline_imports_spacy_without_torch(make_project):
    seen = probe(make_project())
    assert seen == {"hidden": True, "spacy": True, "torch": False, "thinc_has_torch": False}
    # torch itself stays importable afterwards (snorkel's LabelModel needs it)
    code = (f"{PROBE}\nimport torch\nprint(torch.__name__)")
    out = subprocess.run([sys.executable, "-c", code, str(make_project())], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip().endswith("torch")


def test_a_named_pipeline_or_a_bad_config_leaves_the_import_alone(make_project, tmp_path):
    named = make_project(extra='\n[nlp]\npipeline = "en_core_web_sm"\n')
    assert probe(named) == UNTOUCHED
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "labelwright.toml").write_text("[project\n", encoding="utf-8")
    assert probe(broken) == UNTOUCHED


def test_lf_code_that_may_build_a_torch_model_or_the_opt_out_keep_torch(make_project):
    # an LF module that loads a pipeline or builds a thinc PyTorch model needs thinc to see
    # torch, whatever [nlp] says
    source = "import spacy\nNLP = spacy.load('my_pipeline')\n"
    assert probe(make_project(lfs={"loads": source})) == UNTOUCHED
    wrapped = "from thinc.api import PyTorchWrapper\n"
    assert probe(make_project(lfs={"wraps": wrapped})) == UNTOUCHED
    assert probe(make_project(), LABELWRIGHT_KEEP_TORCH="1") == UNTOUCHED


def test_the_check_command_runs_with_torch_hidden(make_project):
    code = ("import sys\nfrom typer.testing import CliRunner\n"
            "from labelwright.cli.app import app\n"
            "result = CliRunner().invoke(app, ['check', '-p', sys.argv[1]])\n"
            "print(result.exit_code, 'torch' in sys.modules, 'spacy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(make_project())], check=True,
                         capture_output=True, text=True).stdout.split()
    assert out == ["0", "False", "True"]


def test_the_cli_starts_without_scikit_learn_or_scipy_optimize():
    """Every command, --help included, imported the label models for `labelwright bench`,
    and with them scikit-learn and scipy.optimize: 0.8 s of a 1.6 s `labelwright --help`."""
    code = ("import sys, labelwright.cli\n"
            "print(sorted(m for m in ('sklearn', 'scipy.optimize', 'spacy', 'torch') "
            "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_review_import_and_stats_load_without_spacy_or_torch():
    """The review commands read files and the ledger; they imported spaCy and torch (about
    2.5 s, 6 s on a busy machine) through the LF table's type hints."""
    code = ("import sys, labelwright.review.importing, labelwright.review.stats\n"
            "print(sorted(m for m in ('spacy', 'torch', 'thinc') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_ctrl_c_while_the_commands_load_ends_quietly_with_130():
    """Ctrl-C in the first second of any command (the commands loading) printed a
    KeyboardInterrupt traceback; later it exits 130 with no traceback."""
    code = ("import builtins, labelwright.__main__\n"
            "real = builtins.__import__\n"
            "def interrupted(name, *args, **kwargs):\n"
            "    if name == 'labelwright.cli.app':\n"
            "        raise KeyboardInterrupt\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = interrupted\n"
            "labelwright.__main__.main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 130 and "Traceback" not in done.stderr


def test_the_cli_package_exports_the_typer_app():
    """`from labelwright.cli import app` gave the module labelwright.cli.app for a while."""
    import typer

    from labelwright.cli import app

    assert isinstance(app, typer.Typer)
