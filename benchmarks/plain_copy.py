"""Glossary matching on texts with typographic apostrophes: the plain copy spliced from the
item's Doc (:mod:`labelwright.glossaries.plain_copy`) against the plain text parsed again
through the whole pipeline, as matching did before.

A project's items are parsed once with its pipeline; then, ``--repeats`` times in turn,
every item is matched with the copy made the old way (``nlp(plain)``, the line this
replaced) and the new way, checking that both give the same matches. Prints the
median seconds of each and how many texts needed a copy.

    python benchmarks/plain_copy.py PROJECT [--data FILE] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

from labelwright.glossaries.matching import GlossaryMatcher
from labelwright.nlp import plain_forms
from labelwright.project import load_project
from labelwright.project.apply import project_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--data", type=Path, help="a data file in place of [data] path")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    project = load_project(args.project)
    config = project.config
    if args.data is not None:
        from labelwright.config import with_data

        config = with_data(config, args.data, "plain_copy")[0]
    texts = list(project_dataset(config, None).texts)
    nlp = project.nlp
    started = time.perf_counter()
    docs = list(nlp.pipe(texts))
    parse = time.perf_counter() - started
    new = GlossaryMatcher(project.glossaries, nlp)
    old = GlossaryMatcher(project.glossaries, nlp)
    old._copies.copy = lambda doc, text, plain, lemmas: nlp(plain)  # type: ignore[method-assign]
    copied = sum(plain_forms(t) != t for t in texts)
    print(f"{args.project}: {len(texts)} items, {sum(map(len, texts)):,} characters, "
          f"{copied} with a character plain_forms changes; parsed in {parse:.2f} s")
    seconds: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(args.repeats):
        found = {}
        for name, matcher in (("old", old), ("new", new)):
            gc.collect()
            started = time.perf_counter()
            found[name] = [matcher.match(doc, text) for doc, text in zip(docs, texts)]
            seconds[name].append(time.perf_counter() - started)
        if found["old"] != found["new"]:
            differ = sum(a != b for a, b in zip(found["old"], found["new"]))
            raise SystemExit(f"matches differ on {differ} items")
    n = sum(map(len, found["new"]))
    old_s, new_s = statistics.median(seconds["old"]), statistics.median(seconds["new"])
    print(f"matching ({n:,} matches, the same both ways): whole-pipeline copy {old_s:.2f} s, "
          f"spliced copy {new_s:.2f} s (median of {args.repeats}; {old_s / new_s:.1f}x)")


if __name__ == "__main__":
    main()
