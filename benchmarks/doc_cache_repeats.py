"""Doc cache: reading back a dataset whose texts repeat across chunks.

A text is stored once, in the shard of the chunk that first parsed it, so a chunk that
repeats earlier chunks' texts finds a few of them in each of many shards. This fills a Doc
cache chunk by chunk from a CSV's ``text`` column (as a cold run does), then reads every
chunk back from a fresh cache object (a re-run after editing a Doc-reading LF), twice:
loading every shard that holds a wanted text (as before 2026-12-06), and loading a shard
only when the Docs wanted from it pay for the load (the default). Prints shard loads, Docs
read and parsed, and CPU seconds.

    python benchmarks/doc_cache_repeats.py reviews.csv --chunk-size 10000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from labelwright.apply import doc_cache
from labelwright.apply.doc_cache import DocCache, pipeline_key
from labelwright.config import NLPConfig
from labelwright.nlp import load_pipeline


def read_back(folder: Path, nlp, texts: list[str], chunk: int, every_shard: bool) -> dict:
    cache = DocCache(folder, pipeline_key(nlp))
    if every_shard:
        cache._worth_reading = lambda wanted, held: True  # type: ignore[method-assign]
    loads = [0]
    real = doc_cache.ShardReader

    def counting(path, nlp):
        loads[0] += 1
        return real(path, nlp)

    doc_cache.ShardReader = counting  # type: ignore[misc]
    try:
        started = time.process_time()
        for start in range(0, len(texts), chunk):
            for _ in cache.docs(nlp, texts[start:start + chunk], store=False):
                pass
        seconds = time.process_time() - started
    finally:
        doc_cache.ShardReader = real  # type: ignore[misc]
    return {"shards": "every one holding a wanted text" if every_shard else "worth loading",
            "shard loads": loads[0], "read": cache.read, "parsed": cache.parsed,
            "CPU s": round(seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--chunk-size", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=None)
    args = parser.parse_args()
    texts = pd.read_csv(args.csv, nrows=args.rows)["text"].fillna("").astype(str).tolist()
    nlp = load_pipeline(NLPConfig())
    distinct = len(set(texts))
    print(f"{len(texts):,} texts, {distinct:,} distinct, chunks of {args.chunk_size:,}")
    with tempfile.TemporaryDirectory(prefix="lw-docs-") as tmp:
        folder = Path(tmp)
        cold = DocCache(folder, pipeline_key(nlp))
        started = time.process_time()
        for start in range(0, len(texts), args.chunk_size):
            for _ in cold.docs(nlp, texts[start:start + args.chunk_size]):
                pass
        print(f"filled: {cold.parsed:,} parsed, {cold.read:,} read, "
              f"{time.process_time() - started:.1f} CPU s")
        rows = [read_back(folder, nlp, texts, args.chunk_size, every)
                for every in (True, False)]
    print("| shards loaded | shard loads | Docs read | parsed | CPU s |")
    print("|---|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(f"{v:,}" if isinstance(v, int) else str(v)
                                for v in row.values()) + " |")


if __name__ == "__main__":
    main()
