"""Apply throughput: labelwright's engines against Snorkel's PandasLFApplier and a bare loop.

Texts come from the SMS and YouTube spam collections in ``<repo>/../shared/data/raw``
(read in place, never copied), replicated with light perturbation to ``--rows`` items.
The same LF bodies run as Snorkel LFs and as labelwright LFs: 10 keyword/regex LFs,
2 spaCy-token LFs and 2 glossaries of 1,000+ terms (one Snorkel LF each, matching the
lowercased tokens against the term set). Every matrix is checked to be identical.

    python benchmarks/apply_throughput.py --rows 100000
    python benchmarks/apply_throughput.py --rows 1000000 --snorkel-rows 100000
"""

from __future__ import annotations

import argparse
import csv
import gc
import platform
import re
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from timing import median_seconds

from labelwright.apply import Applier
from labelwright.config import NLPConfig
from labelwright.data.dataset import dataset_from_frame
from labelwright.glossaries.core import Glossary, GlossaryMatcher, GlossaryVote, Term, glossary_lf
from labelwright.lfs.core import labeling_function
from labelwright.lfs.item import Item
from labelwright.nlp import load_pipeline

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "raw"
LABELS = ("ham", "spam")
HAM, SPAM, ABSTAIN = 0, 1, -1


def load_texts() -> tuple[list[str], list[int]]:
    texts, gold = [], []
    with open(RAW / "sms_spam_collection_uci" / "SMSSpamCollection", encoding="utf-8") as fh:
        for line in fh:
            label, _, text = line.rstrip("\n").partition("\t")
            texts.append(text)
            gold.append(SPAM if label == "spam" else HAM)
    for path in sorted((RAW / "youtube_spam_uci").glob("*.csv")):
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts.append(row["CONTENT"])
                gold.append(int(row["CLASS"]))
    return texts, gold


FILLERS = ["ok", "thanks", "lol", "pls", "now", "today", "!!", "k", "yes", "song"]


def replicate(texts: list[str], n: int, seed: int = 0) -> list[str]:
    """``n`` texts: the originals, then copies with a word appended or the case changed."""
    rng = np.random.default_rng(seed)
    base = len(texts)
    picks = rng.integers(0, len(FILLERS), n)
    kinds = rng.integers(0, 3, n)
    out = []
    for i in range(n):
        text = texts[i % base]
        if i >= base:
            kind = kinds[i]
            if kind == 0:
                text = f"{text} {FILLERS[picks[i]]}"
            elif kind == 1:
                text = f"{FILLERS[picks[i]]} {text}"
            else:
                text = text.lower()
        out.append(text)
    return out


# --- the LF bodies, shared by Snorkel and labelwright (x.text, x.doc work on both) -------
URL = re.compile(r"https?://|www\.", re.I)
DIGITS = re.compile(r"\d{5,}")
PRIZE = re.compile(r"\b(prize|win|won|winner|cash)\b", re.I)
CHAT = re.compile(r"\b(lol|haha|ok|okay)\b", re.I)


def kw_free(x): return SPAM if "free" in x.text.lower() else ABSTAIN
def kw_call(x): return SPAM if "call " in x.text.lower() or "txt" in x.text.lower() else ABSTAIN
def re_url(x): return SPAM if URL.search(x.text) else ABSTAIN
def kw_subscribe(x): return SPAM if "subscribe" in x.text.lower() else ABSTAIN
def kw_check_out(x): return SPAM if "check out" in x.text.lower() else ABSTAIN
def re_digits(x): return SPAM if DIGITS.search(x.text) else ABSTAIN
def re_prize(x): return SPAM if PRIZE.search(x.text) else ABSTAIN
def kw_love(x): return HAM if "love" in x.text.lower() else ABSTAIN
def short(x): return HAM if len(x.text) < 20 else ABSTAIN
def re_chat(x): return HAM if CHAT.search(x.text) else ABSTAIN
def tok_like_url(x): return SPAM if any(t.like_url for t in x.doc) else ABSTAIN
def tok_song(x): return HAM if any(t.lemma_ == "song" for t in x.doc) else ABSTAIN


BODIES = [kw_free, kw_call, re_url, kw_subscribe, kw_check_out, re_digits, re_prize, kw_love,
          short, re_chat, tok_like_url, tok_song]
DOC_BODIES = {"tok_like_url", "tok_song"}


def glossary_terms(texts: list[str], gold: list[int], n_terms: int,
                   nlp) -> dict[int, list[str]]:
    """``n_terms`` one-token terms per label: words seen mostly under that label, padded."""
    counts = {HAM: Counter(), SPAM: Counter()}
    for text, g in zip(texts, gold):
        counts[g].update(w for w in re.findall(r"[a-z]{4,}", text.lower()))
    terms: dict[int, list[str]] = {}
    taken: set[str] = set()
    for label in (SPAM, HAM):
        other = counts[1 - label]
        words = [w for w, c in counts[label].most_common()
                 if c > 2 * other[w] and w not in taken and len(nlp.tokenizer(w)) == 1]
        words = words[:n_terms]
        words += [f"zz{label}term{i}" for i in range(n_terms - len(words))]
        taken.update(words)
        terms[label] = words
    return terms


def make_glossary(name: str, label: int, words: list[str]) -> Glossary:
    return Glossary(name=name, label=LABELS[label], mode="lowercase",
                    terms=tuple(Term(w) for w in words), sha256=f"{name}-{len(words)}")


def labelwright_lfs(glossaries):
    lfs = [labeling_function(name=f.__name__, doc=f.__name__ in DOC_BODIES)(f) for f in BODIES]
    return lfs + [glossary_lf(g) for g in glossaries]


def snorkel_lfs(nlp, terms: dict[int, list[str]]):
    from snorkel.labeling import LabelingFunction
    from snorkel.preprocess import preprocessor

    @preprocessor(memoize=True)
    def spacy_doc(x):
        x.doc = nlp(x.text)
        return x

    lfs = [LabelingFunction(f.__name__, f, pre=[spacy_doc] if f.__name__ in DOC_BODIES else [])
           for f in BODIES]
    for label, name in ((SPAM, "glossary:spam_terms"), (HAM, "glossary:ham_terms")):
        words = frozenset(terms[label])

        def keyword(x, words=words, label=label):
            return label if any(t.lower_ in words for t in x.doc) else ABSTAIN

        lfs.append(LabelingFunction(name, keyword, pre=[spacy_doc]))
    return lfs


def bare_loop(texts, nlp, glossaries) -> np.ndarray:
    """The floor: parse in batches, match glossaries, call each body, store its vote."""
    matcher = GlossaryMatcher(glossaries, nlp)
    bodies = BODIES + [GlossaryVote(g.name, g.label) for g in glossaries]
    codes = {ABSTAIN: -1, HAM: 0, SPAM: 1, "ham": 0, "spam": 1}
    out = np.full((len(texts), len(bodies)), -1, dtype=np.int8)
    for i, doc in enumerate(nlp.pipe(texts, batch_size=256)):
        item = Item(str(i), texts[i], None, doc, matcher.match(doc))
        row = out[i]
        for j, body in enumerate(bodies):
            row[j] = codes[body(item)]
    return out


def edit_benchmark(texts: list[str], nlp, glossaries, engine: str) -> tuple[float, float]:
    """Full run of 30 LFs (28 Python, 2 glossary) with the cache, then after editing one."""
    folder = Path(tempfile.mkdtemp(prefix="lw-bench-"))
    try:
        module = folder / "lfs_thirty.py"
        def write(threshold: int) -> None:
            parts = ["import re", "from labelwright import labeling_function, ABSTAIN", ""]
            for k in range(28):
                limit = threshold if k == 0 else 20 + k
                parts.append(textwrap.dedent(f"""
                    @labeling_function()
                    def lf_{k:02d}(x):
                        hit = len(x.text) > {limit} and "{chr(97 + k % 26)}" in x.text
                        return "spam" if hit else ABSTAIN
                """))
            module.write_text("\n".join(parts))
        from labelwright.lfs.discovery import discover

        frame = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts})
        data = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
        cache = folder / "cache"
        write(40)
        lfs = discover(folder) + [glossary_lf(g) for g in glossaries]
        applier = Applier(lfs, LABELS, nlp=nlp, glossaries=glossaries, engine=engine,
                          cache_dir=cache, workers=2)
        t0 = time.perf_counter()
        applier.apply(data)
        full = time.perf_counter() - t0
        write(41)  # edit one LF's body
        time.sleep(0.01)
        lfs = discover(folder) + [glossary_lf(g) for g in glossaries]
        applier = Applier(lfs, LABELS, nlp=nlp, glossaries=glossaries, engine=engine,
                          cache_dir=cache, workers=2)
        t0 = time.perf_counter()
        result = applier.apply(data)
        again = time.perf_counter() - t0
        assert sum(1 for v in result.computed.values() if v) == 1, result.computed
        return full, again
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stream_benchmark(rows: int, chunk_size: int) -> str:
    """Generate ``rows`` items as Parquet in a temp folder, stream them, report peak RSS."""
    import resource

    import pyarrow as pa
    import pyarrow.parquet as pq

    from labelwright.apply import apply_file

    base, _ = load_texts()
    folder = Path(tempfile.mkdtemp(prefix="lw-stream-"))
    try:
        source = folder / "items.parquet"
        schema = pa.schema([("id", pa.string()), ("text", pa.string())])
        with pq.ParquetWriter(source, schema) as writer:
            for start in range(0, rows, 100_000):
                stop = min(rows, start + 100_000)
                texts = [base[i % len(base)] for i in range(start, stop)]
                writer.write_table(pa.table({"id": [str(i) for i in range(start, stop)],
                                             "text": texts}, schema=schema))
        keyword = [labeling_function(name=f.__name__)(f) for f in BODIES
                   if f.__name__ not in DOC_BODIES]
        applier = Applier(keyword, LABELS, chunk_size=chunk_size)
        gc.collect()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = apply_file(applier, source, folder / "matrix.parquet")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return (f"- streaming {result.rows:,} generated items (Parquet, {len(keyword)} keyword "
                f"LFs, local engine, chunks of {chunk_size:,}): {result.seconds:.1f} s, "
                f"{result.rows / result.seconds:,.0f} items/s, peak RSS {peak:,.0f} MiB "
                f"(before the stream {before:,.0f} MiB; target <= 2 GiB)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--snorkel-rows", type=int, default=None,
                        help="rows for Snorkel (default: --rows); larger runs extrapolate")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engines", default="local,processes,dask")
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--skip", default="", help="comma list of: snorkel,edit,scaling")
    parser.add_argument("--stream", type=int, default=0,
                        help="only measure a streaming apply of this many generated items")
    args = parser.parse_args()
    if args.stream:
        print(stream_benchmark(args.stream, 50_000))
        return
    skip = set(filter(None, args.skip.split(",")))

    base, gold = load_texts()
    texts = replicate(base, args.rows)
    nlp = load_pipeline(NLPConfig())
    terms = glossary_terms(base, gold, args.terms, nlp)
    glossaries = [make_glossary("spam_terms", SPAM, terms[SPAM]),
                  make_glossary("ham_terms", HAM, terms[HAM])]
    frame = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    lfs = labelwright_lfs(glossaries)
    print(f"{args.rows:,} items; {len(lfs)} LFs + 2 glossaries of {args.terms:,} terms; "
          f"{platform.python_implementation()} {platform.python_version()}", file=sys.stderr)

    rows: list[tuple[str, int, float]] = []
    matrices: dict[str, np.ndarray] = {}

    seconds, floor = median_seconds(lambda: bare_loop(texts, nlp, glossaries), args.repeats,
                                    collect=True)
    rows.append(("bare loop (floor)", args.rows, seconds))
    matrices["bare loop"] = floor
    for engine in args.engines.split(","):
        applier = Applier(lfs, LABELS, nlp=nlp, glossaries=glossaries, engine=engine,
                          workers=2, chunk_size=10_000)
        seconds, result = median_seconds(lambda a=applier: a.apply(dataset), args.repeats,
                                         collect=True)
        rows.append((f"labelwright {engine}", args.rows, seconds))
        matrices[f"labelwright {engine}"] = result.matrix.votes

    if "snorkel" not in skip:
        from snorkel.labeling import PandasLFApplier

        n_snorkel = min(args.snorkel_rows or args.rows, args.rows)
        sframe = pd.DataFrame({"text": texts[:n_snorkel]})
        snorkel = PandasLFApplier(snorkel_lfs(nlp, terms))
        seconds, votes = median_seconds(lambda: snorkel.apply(sframe, progress_bar=False),
                                        1 if n_snorkel >= 100_000 else args.repeats,
                                        collect=True)
        rows.append(("snorkel PandasLFApplier", n_snorkel, seconds))
        matrices["snorkel"] = votes

    reference = matrices["labelwright local"] if "labelwright local" in matrices else floor
    for name, votes in matrices.items():
        assert np.array_equal(votes, reference[: len(votes)]), f"{name}: matrix differs"

    lines = ["| method | items | seconds | items/s |", "| --- | ---: | ---: | ---: |"]
    rates = {}
    for name, n, seconds in rows:
        rates[name] = n / seconds
        lines.append(f"| {name} | {n:,} | {seconds:.2f} | {n / seconds:,.0f} |")
    ratio_lines = []
    local = rates.get("labelwright local")
    if local:
        ratio_lines.append(f"- bare loop / labelwright local time: "
                           f"{rates['bare loop (floor)'] / local:.2f}x (target <= 1.3x)")
        if "snorkel PandasLFApplier" in rates:
            ratio_lines.append(f"- labelwright local vs Snorkel (items/s): "
                               f"{local / rates['snorkel PandasLFApplier']:.1f}x (target >= 20x)")
        if "labelwright processes" in rates:
            ratio_lines.append(f"- processes (2 workers) vs local: "
                               f"{rates['labelwright processes'] / local:.2f}x (target >= 1.7x)")
        if "labelwright dask" in rates:
            ratio_lines.append(f"- dask (LocalCluster, 2 workers, startup included) vs local: "
                               f"{rates['labelwright dask'] / local:.2f}x")
    if "edit" not in skip:
        full, again = edit_benchmark(texts, nlp, glossaries, "local")
        ratio_lines.append(f"- 28 Python LFs + 2 glossary LFs, full run with cache {full:.2f} s; "
                           f"re-run after editing one LF {again:.2f} s = {100 * again / full:.1f}% "
                           "(target <= 10%)")
    if "scaling" not in skip:
        sample = texts[:20_000]
        docs = list(nlp.pipe(sample))
        matchers = {}
        for n_terms in (100, 100_000):
            # the same 100 real terms, plus terms that never occur: the same matches,
            # so the time isolates the cost of the number of terms
            pad = [f"zzpad{i}" for i in range(n_terms - 100)]
            gl = [make_glossary("spam_terms", SPAM, terms[SPAM][:100] + pad),
                  make_glossary("ham_terms", HAM, terms[HAM][:100] + [p + "h" for p in pad])]
            matchers[n_terms] = GlossaryMatcher(gl, nlp)
        # interleaved repeats, so a burst of load on a shared machine hits both sizes alike
        samples: dict[int, list[float]] = {n: [] for n in matchers}
        for _ in range(max(5, args.repeats)):
            for n_terms, matcher in matchers.items():
                seconds, _ = median_seconds(lambda m=matcher: [m.match(x) for x in docs], 1,
                                            collect=True)
                samples[n_terms].append(seconds)
        timings = {n: statistics.median(v) for n, v in samples.items()}
        ratio_lines.append(
            f"- glossary matching per item, 2 glossaries of 100 vs 100,000 terms each "
            "(same 100 real terms, the rest never occur): "
            f"{1e6 * timings[100] / len(sample):.1f} vs {1e6 * timings[100_000] / len(sample):.1f}"
            f" µs = {timings[100_000] / timings[100]:.2f}x (target <= 1.5x; medians of "
            f"{len(samples[100])} interleaved repeats)")
    report = "\n".join(lines + [""] + ratio_lines)
    print(report)
    print(f"\n(date {date.today()}, {platform.machine()}, medians of {args.repeats} repeats; "
          "all matrices identical)")


if __name__ == "__main__":
    main()
