"""What digesting the values LFs read costs an apply whose votes all come from the cache.

Every LF of the user's code (the LF folder's too) has the values its code reads in its vote
cache key (README "The vote cache"), digested once per apply. Two projects in a temp folder:
the bundled example (its 28 LFs on 729 tickets) and one of 40 LFs in four modules, each
reading a module-level regex and a helper that reads a shared ``--words``-word set of the LF
folder's ``_words.py`` (it digests that set on every apply). For each source tree given, in a
fresh process: one apply to fill the vote cache, then the median of ``--repeats`` applies
from it, and the digests alone (what the applier reads for the keys).

    python benchmarks/values_read_key.py --src /work/main/src --src src
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = '''
WORDS = {{f"word{{k}}" for k in range({words})}} | {{"refund", "invoice", "crash", "login"}}


def has_word(text):
    return any(word in WORDS for word in text.lower().split())
'''

LF = '''

PATTERN_{i} = re.compile(r"\\b(please|help|error{i})\\b", re.I)


@labeling_function()
def lf_{i}(item):
    if PATTERN_{i}.search(item.text) and has_word(item.text):
        return "{label}"
    return ABSTAIN
'''

CHILD = '''
import json, sys
from labelwright.project import apply_project, load_project
from labelwright.lfs import session_globals as sg

root, repeats = sys.argv[1], int(sys.argv[2])
sys.path.append(sys.argv[3])  # this folder, after the source tree measured
from timing import median_seconds

project = load_project(root)
data, _ = apply_project(project)  # fills the vote cache


def median(work):
    return 1000 * median_seconds(work, repeats)[0]


def digests():
    try:
        digester = sg.Digester(project.config.lf_path)
    except TypeError:  # a labelwright before LF folder values were read
        digester = sg.Digester()
    return [sg.session_globals(lf, digester=digester) for lf in project.lfs]


read = digests()
print(json.dumps({"lfs": len(project.lfs), "items": len(data),
                  "reads": sum(len(r.reads) for r in read),
                  "apply_ms": median(lambda: apply_project(project)),
                  "digests_ms": median(digests)}))
'''


def example(folder: Path) -> Path:
    for name in ("labeling_functions", "glossaries", "data"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "labelwright.toml", folder)
    return folder


def forty_lfs(folder: Path, words: int) -> Path:
    example(folder)
    lfs = folder / "labeling_functions"
    shutil.rmtree(lfs)
    lfs.mkdir()
    shutil.rmtree(folder / "glossaries")
    (folder / "glossaries").mkdir()
    (lfs / "_words.py").write_text(WORDS.format(words=words))
    labels = ("billing", "bug", "account", "how_to")
    for m in range(4):
        code = "import re\n\nfrom labelwright import ABSTAIN, labeling_function\n" \
               "from _words import has_word\n"
        code += "".join(LF.format(i=10 * m + i, label=labels[(m + i) % 4]) for i in range(10))
        (lfs / f"rules_{m}.py").write_text(code)
    return folder


def measure(src: str, root: Path, repeats: int) -> dict[str, float]:
    shutil.rmtree(root / ".labelwright", ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", CHILD, str(root), str(repeats),
                           str(Path(__file__).resolve().parent)],
                          env={**os.environ, "PYTHONPATH": os.path.abspath(src)},
                          capture_output=True, text=True, cwd=root)
    if done.returncode:
        raise SystemExit(f"{src} on {root}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", action="append", default=None)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        projects = {"example": example(Path(tmp, "example")),
                    f"40 LFs, {args.words:,}-word set": forty_lfs(Path(tmp, "forty"),
                                                                  args.words)}
        print("| project | source | LFs | values read | apply from the cache (ms) | "
              "digests (ms) |")
        print("|---|---|---|---|---|---|")
        for name, root in projects.items():
            for src in args.src or ["src"]:
                got = measure(src, root, args.repeats)
                print(f"| {name} | {src} | {got['lfs']} | {got['reads']} | "
                      f"{got['apply_ms']:.0f} | {got['digests_ms']:.1f} |")


if __name__ == "__main__":
    main()
