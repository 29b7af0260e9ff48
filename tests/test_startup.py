"""The CLI imports spaCy without torch for blank pipelines (see labelwright.startup).

Each check runs in a fresh interpreter: in the test process spaCy is already imported.
"""

from __future__ import annotations

import json
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


def probe(project: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(project)], check=True,
                         capture_output=True, text=True).stdout
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
    assert probe(named) == {"hidden": False, "spacy": False, "torch": False}
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "labelwright.toml").write_text("[project\n", encoding="utf-8")
    assert probe(broken) == {"hidden": False, "spacy": False, "torch": False}
