"""Which phrases of a 12-phrase complaints glossary `check`'s lemma-shift warning names, per
language (Spanish, French, German, English telecom complaints), and how long reading a
language's dictionary by word class takes (``glossaries/word_classes.py``: the first
`check` of a process with a candidate shift pays it; the median of ``--repeats``), beside
the lookup table's words, which it shares with the check of forms read as another word.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/lemma_shift_warnings.py

With ``--old SRC`` (a checkout's ``src``, e.g. from ``git archive <commit> | tar -x -C
/tmp/old``) the named phrases are read with that code too, in a process of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

PHRASES = {
    "es": ["factura", "cobro indebido", "me cobran de más", "no tengo internet",
           "la fibra no funciona", "hay una avería", "sin conexión", "el router no enciende",
           "dar de baja", "recargo", "la línea va lenta", "no hay señal"],
    "fr": ["facture", "prélèvement", "je n'ai plus internet", "la fibre ne marche pas",
           "il y a une panne", "le débit est lent", "box", "vu", "résiliation", "frais",
           "la ligne est coupée", "on m'a facturé"],
    "de": ["die Rechnung ist falsch", "Kündigung", "kein Internet", "Störung",
           "der Router geht nicht", "Gebühren", "abgebucht", "zu viel bezahlt", "Vertrag",
           "Leitung tot", "gekündigt", "Mahnung"],
    "en": ["refund", "charges", "tax id", "left", "account locked", "something went wrong",
           "broken", "not working", "sales tax", "no internet", "the router is down", "bill"],
}


def named(lang: str) -> list[str]:
    """The phrases the lemma-shift warning names for ``lang``'s glossary."""
    import labelwright.glossaries.lemma_shifts as shifts
    from labelwright.config import NLPConfig
    from labelwright.glossaries.core import Glossary, Term
    from labelwright.nlp import load_pipeline

    shifts.SHOWN_SHIFTS = 100
    nlp = load_pipeline(NLPConfig(lang=lang))
    glossary = Glossary("g", "complaint", "lemma", tuple(Term(p) for p in PHRASES[lang]))
    (message,) = shifts.lemma_shifts([glossary], nlp) or [""]
    return [p for p in PHRASES[lang] if f"'{p}' (terms[" in message]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", help="another checkout's src, read the same way")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--named-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    found = {lang: named(lang) for lang in PHRASES}
    if args.named_only:
        print(json.dumps(found))
        return
    old = None
    if args.old:
        env = dict(os.environ, PYTHONPATH=args.old)
        old = json.loads(subprocess.run([sys.executable, __file__, "--named-only"], env=env,
                                        capture_output=True, text=True, check=True).stdout)
    for lang, phrases in found.items():
        before = f"{len(old[lang])} of 12 before, " if old else ""
        print(f"{lang}: {before}{len(phrases)} of 12 named: {phrases}")
        if old:
            print(f"    no longer named: {[p for p in old[lang] if p not in phrases]}")
    from labelwright.glossaries.word_classes import word_classes
    from labelwright.nlp.lemma_tables import table_words

    for lang in ("es", "fr", "en"):
        table_words.cache_clear()
        start = time.perf_counter()
        table_words(lang)  # read by the check of forms read as another word too
        shared = time.perf_counter() - start
        seconds = []
        for _ in range(args.repeats):
            word_classes.cache_clear()
            start = time.perf_counter()
            word_classes(lang)
            seconds.append(time.perf_counter() - start)
        print(f"{lang}: dictionary by word class read in {statistics.median(seconds):.2f} s "
              f"(median of {args.repeats}), its lookup table's words in {shared:.2f} s")


if __name__ == "__main__":
    main()
