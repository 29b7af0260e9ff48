"""What a large glossary costs: reading the files, the lemma-clash check, building the
matcher and matching one item.

    PYTHONPATH=src python benchmarks/glossary_scale.py PROJECT [--repeat 3]

Prints a table of CPU seconds (``time.process_time``, best of ``--repeat``: on a machine
shared with other work, wall-clock times vary by half) for a project's glossaries: reading them
(with libyaml's loader where PyYAML has it, and with the pure-Python one), the lemma-clash
check, building the :class:`~labelwright.glossaries.matching.GlossaryMatcher`, and
matching every item of its data (parsed beforehand, so only matching is timed), with the
microseconds per item. Run it against another checkout's ``src`` to compare.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from labelwright.config import load_config
from labelwright.glossaries import reading
from labelwright.glossaries.checks import lemma_problems
from labelwright.glossaries.matching import GlossaryMatcher
from labelwright.nlp import load_pipeline
from labelwright.project.apply import project_dataset


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` calls of ``work``, in CPU seconds, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        began = time.process_time()
        result = work()
        times.append(time.process_time() - began)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = load_config(args.project)
    nlp = load_pipeline(config.nlp)
    rows = []

    def read() -> list[Any]:
        return reading.load_glossaries(config.glossary_path, config.labels)

    seconds, glossaries = best(args.repeat, read)
    phrases = sum(len(t.phrases) for g in glossaries for t in g.terms)
    fast = getattr(reading, "FAST_LOADER", None)
    rows.append((f"read {len(glossaries)} glossaries ({phrases:,} phrases)"
                 + (", libyaml" if fast is not None else ""), seconds))
    if fast is not None:
        reading.FAST_LOADER = None
        rows.append(("read them, pure-Python loader", best(args.repeat, read)[0]))
        reading.FAST_LOADER = fast
    rows.append(("lemma-clash check", best(args.repeat,
                                            lambda: lemma_problems(glossaries, nlp))[0]))
    seconds, matcher = best(args.repeat, lambda: GlossaryMatcher(glossaries, nlp))
    rows.append(("build the matcher", seconds))
    texts = [str(t) for t in project_dataset(config).texts]
    docs = list(nlp.pipe(texts))
    seconds, found = best(args.repeat, lambda: [matcher.match(d, t)
                                                for d, t in zip(docs, texts)])
    matches = sum(len(f) for f in found)
    rows.append((f"match {len(texts):,} items ({matches:,} matches)", seconds))
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:8.3f} s CPU")
    print(f"{'per item':<{width}}  {rows[-1][1] / max(len(texts), 1) * 1e6:8.1f} µs")


if __name__ == "__main__":
    main()
