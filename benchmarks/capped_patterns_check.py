"""What check's warning of phrases cut to ``MAX_MARKED_PATTERNS`` patterns with marks costs.

The warning builds the matcher of the project's lemma-mode glossaries with ``accents:
ignore`` (only those make such patterns) to know which phrases were cut. Measured on
Spanish glossaries of the terms :mod:`glossary_matching` uses and of every run of one to
four words of its Spanish sentences (their phrases hold "está", "esta", "se", "sé": words
matched as spelt), best of ``--rounds``. Run as
``python benchmarks/capped_patterns_check.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from glossary_matching import SPANISH, SPANISH_TERMS  # noqa: E402


def word_runs(sentences: list[str], longest: int = 4) -> list[str]:
    """Every run of one to ``longest`` words of ``sentences``, each once, in order."""
    found: dict[str, None] = {}
    for sentence in sentences:
        words = [w.strip(",.?!") for w in sentence.lower().split()]
        for n in range(1, longest + 1):
            for i in range(len(words) - n + 1):
                found.setdefault(" ".join(words[i:i + n]), None)
    return list(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from labelwright.config import NLPConfig
    from labelwright.glossaries.capped_patterns import capped_pattern_warnings
    from labelwright.glossaries.core import Glossary, Term
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="es"))
    runs = word_runs(SPANISH)
    workloads = {"es/terms": SPANISH_TERMS, "es/word runs": runs}
    print(f"| glossary | terms | check's extra time, s (first; best of {args.rounds}) "
          "| phrases named |")
    print("| --- | ---: | ---: | ---: |")
    for name, terms in workloads.items():
        glossary = Glossary("g", "billing", "lemma", tuple(Term(t) for t in terms),
                            exclusions=("no está",), accents="ignore")
        times, said = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            said = capped_pattern_warnings([glossary], nlp)
            times.append(time.perf_counter() - start)
        print(f"| {name} | {len(terms):,} | {times[0]:.2f}; {min(times):.2f} | {len(said)} |")


if __name__ == "__main__":
    main()
