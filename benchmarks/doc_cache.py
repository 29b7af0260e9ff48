"""Doc cache: parsing against reading Docs back, and a re-apply after editing a Doc LF.

Texts as in ``apply_throughput.py`` (the SMS and YouTube spam collections, replicated with
light perturbation). Two measurements, with the default pipeline (blank English + lookup
lemmas):

1. ``nlp.pipe`` over ``--rows`` texts; the same through an empty Doc cache (parse + write
   the shard); reading them back from a fresh cache object (medians of ``--repeats``);
   bytes on disk per item.
2. A project of one LF reading ``x.doc`` + one keyword LF + 2 glossaries of 1,000 terms,
   applied with the vote cache; then the Doc LF is edited and the project applied again,
   with ``doc_cache`` off and on (medians of ``--repeats``, each from a fresh cache).

    python benchmarks/doc_cache.py --rows 30000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd
from apply_throughput import HAM, LABELS, SPAM, glossary_terms, load_texts, make_glossary, replicate

from labelwright.apply import Applier
from labelwright.apply.doc_cache import DocCache, pipeline_key
from labelwright.config import NLPConfig
from labelwright.data.dataset import dataset_from_frame
from labelwright.glossaries.core import glossary_lf
from labelwright.lfs.discovery import discover
from labelwright.nlp import load_pipeline


def write_lfs(folder: Path, lemma: str) -> None:
    (folder / "lfs.py").write_text(textwrap.dedent(f'''
        from labelwright import ABSTAIN, labeling_function

        @labeling_function(doc=True)
        def lemma_vote(x):
            return "ham" if any(t.lemma_ == "{lemma}" for t in x.doc) else ABSTAIN

        @labeling_function()
        def says_free(x):
            return "spam" if "free" in x.text.lower() else ABSTAIN
    '''))


def read_back(texts: list[str], nlp, repeats: int) -> str:
    n = len(texts)
    folder = Path(tempfile.mkdtemp(prefix="lw-docs-"))
    try:
        started = time.perf_counter()
        list(nlp.pipe(texts, batch_size=256))
        parse = time.perf_counter() - started
        started = time.perf_counter()
        list(DocCache(folder, pipeline_key(nlp)).docs(nlp, texts))
        first = time.perf_counter() - started
        reads = []
        for _ in range(repeats):
            cache = DocCache(folder, pipeline_key(nlp))
            started = time.perf_counter()
            list(cache.docs(nlp, texts))
            reads.append(time.perf_counter() - started)
        size = sum(p.stat().st_size for p in folder.rglob("*.npz"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return (f"- {n:,} texts: parse {1e6 * parse / n:.1f} µs/item; parse + write the shard "
            f"{1e6 * first / n:.1f} µs/item; read back {1e6 * statistics.median(reads) / n:.1f}"
            f" µs/item (median of {repeats}); {size / n:.0f} bytes/item on disk")


def re_apply(texts: list[str], nlp, glossaries, repeats: int) -> str:
    frame = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts})
    data = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    lines = []
    for setting in (False, "auto"):
        times, read = [], 0
        for _ in range(repeats):
            folder = Path(tempfile.mkdtemp(prefix="lw-reapply-"))
            try:
                for lemma in ("song", "love"):  # apply, edit the Doc LF, apply again
                    write_lfs(folder, lemma)
                    lfs = discover(folder) + [glossary_lf(g) for g in glossaries]
                    applier = Applier(lfs, LABELS, nlp=nlp, glossaries=glossaries,
                                      cache_dir=folder / "cache", doc_cache=setting)
                    started = time.perf_counter()
                    result = applier.apply(data)
                times.append(time.perf_counter() - started)
                read = result.docs_read
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        lines.append(f"- re-apply after editing the Doc LF, doc_cache = {setting!r}: "
                     f"{statistics.median(times):.2f} s (median of {repeats}; {read:,} Docs "
                     "read back)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base, gold = load_texts()
    texts = replicate(base, args.rows)
    nlp = load_pipeline(NLPConfig())
    terms = glossary_terms(base, gold, 1000, nlp)
    glossaries = [make_glossary("spam_terms", SPAM, terms[SPAM]),
                  make_glossary("ham_terms", HAM, terms[HAM])]
    print(read_back(texts, nlp, args.repeats))
    print(re_apply(texts, nlp, glossaries, args.repeats))


if __name__ == "__main__":
    main()
