"""Glossary matching on already-parsed Docs: ``GlossaryMatcher.match`` alone, per workload.

Workloads (each matched with GC off; the CPU time of the fastest of ``--passes`` passes, as
wall time on a shared machine swings with its load):

* ``example/sms``, ``example/tickets``: the example project's five glossaries (3 lemma,
  2 lowercase) on the UCI SMS texts (``../shared/data/raw``, left out when absent) and on
  the example's tickets repeated 7 times;
* ``lowercase``, ``lowercase+excl``, ``lemma``, ``lemma+excl``: one generated glossary of
  1,000 terms (700 words and 300 bigrams of the SMS texts, drawn with a fixed seed),
  without and with the exclusions "not", "n't", "no", on the SMS texts;
* ``de/lowercase``, ``de/lemma``: a German glossary (terms with "ß" and without) on
  generated German customer messages, a third of them in capitals: the texts whose
  caseless form is not their lowercase (they hold "ß") are matched through their keys;
* ``es/lemma``, ``es/lemma-ignore``: a Spanish lemma-mode glossary, keeping accents and
  with ``accents: ignore``, on generated app reviews, half of them typed without accents:
  under ``ignore`` a text holding a word that a term's word is without accents ("esta",
  "se") is matched once more (``glossaries/respelling.py``);
* ``fr/lemma``, ``fr/lemma-ignore``: a French lemma-mode glossary with reflexive verbs
  (`se connecter`, `s'inscrire`), a verb whose participles the table reads as adjectives
  (`inscrire`) and words with "œ", on 5,000 generated customer messages of two sentences
  (10,000 sentences), half of them typed without accents: negated compound tenses,
  imperatives and participles after an auxiliary are matched on a second reading of the
  keys (``glossaries/second_reading.py``).

``--compare OLD_SRC`` runs this script in ``--rounds`` pairs of processes, this checkout's
code and the code under ``OLD_SRC`` alternating, and prints each workload's median and
range over the rounds::

    git archive <commit> | tar -x -C /tmp/old
    python benchmarks/glossary_matching.py --compare /tmp/old/src --rounds 5

``--only es/`` runs only the workloads whose name starts so.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SMS = REPO.parent / "shared" / "data" / "raw" / "sms_spam_collection_uci" / "SMSSpamCollection"
EXAMPLE_LABELS = ("billing", "bug", "account", "feature_request", "how_to")

GERMAN = [
    "Welche Größe hat das Paket?", "Habt ihr das in Größe M?", "Die Straße ist falsch",
    "Viele Grüße und danke", "Bitte die Maße angeben", "Der Gutschein macht Spaß",
    "Meine Lieferadresse hat sich geändert", "Das Paket ist nicht angekommen",
    "Ich möchte die Bestellung zurückschicken", "Die Rechnung stimmt nicht",
    "Wann kommt die Lieferung?", "Das Passwort geht nicht", "Mein Konto ist gesperrt",
    "Ich warte auf die Rückerstattung", "Die Jacke ist zu groß", "Es ist etwas kaputt",
]
GERMAN_TERMS = ["Größe", "Maße", "Gruß", "Straße", "groß", "Paket", "Lieferung", "Rechnung",
                "Passwort", "Konto gesperrt", "zurückschicken", "Rückerstattung", "kaputt"]


SPANISH = [
    "La app está rota desde ayer", "No se conecta al servidor", "Esta semana no funciona",
    "Me encanta la aplicación", "Se cierra sola cada vez", "Sé que es nueva pero falla",
    "El precio es muy caro", "Ojalá añadan el modo oscuro", "Está muy lenta y se traba",
    "Excelente, la recomiendo", "No me deja entrar con mi cuenta", "Cobran demasiado",
    "Después de la actualización no abre", "Sería genial poder exportar", "Es útil",
]
SPANISH_TERMS = ["está rota", "no se conecta", "no funciona", "cerrar", "error", "lento",
                 "actualización", "caro", "cobrar", "encantar", "recomendar", "útil",
                 "modo oscuro", "añadir", "no me deja entrar"]


FRENCH = [
    "Je ne me suis pas connecté depuis lundi", "Connecte-toi avec ton mot de passe",
    "Je me connecte tous les jours", "Elle ne s'est jamais connectée", "Je suis inscrite",
    "Je me suis inscrit hier", "Connectez-vous à votre espace", "Le produit est cassé",
    "Les œuvres sont livrées", "Il me connait bien", "Je n'arrive pas à me connecter",
    "Le colis est arrivé en retard", "En fait le site ne marche plus", "J'ai fait une demande",
    "Ne vous connectez pas sur ce site", "Mon compte est bloqué", "Merci pour votre aide",
]
FRENCH_TERMS = ["se connecter", "s'inscrire", "inscrire", "œuvre", "compte bloqué",
                "mot de passe", "colis", "retard", "produit", "demande"]


def french_texts(n: int) -> list[str]:
    """``n`` messages of two sentences of :data:`FRENCH`, every other one typed without
    accents."""
    from labelwright.glossaries.words import without_accents

    rng = random.Random(0)
    texts = []
    for i in range(n):
        text = ". ".join(rng.choice(FRENCH) for _ in range(2))
        texts.append(without_accents(text) if i % 2 else text)
    return texts


def spanish_texts(n: int) -> list[str]:
    """``n`` reviews of two or three sentences of :data:`SPANISH`, every other one typed
    without accents (and "se" as "sé" in a tenth)."""
    from labelwright.glossaries.words import without_accents

    rng = random.Random(0)
    texts = []
    for i in range(n):
        text = ". ".join(rng.choice(SPANISH) for _ in range(rng.randint(2, 3)))
        text = without_accents(text) if i % 2 else text
        texts.append(text.replace(" se ", " sé ") if i % 10 == 1 else text)
    return texts


def german_texts(n: int) -> list[str]:
    """``n`` messages of two or three sentences of :data:`GERMAN`, a third in capitals."""
    rng = random.Random(0)
    texts = []
    for i in range(n):
        text = ". ".join(rng.choice(GERMAN) for _ in range(rng.randint(2, 3)))
        texts.append(text.upper() if i % 3 == 0 else text)
    return texts


def sms_texts() -> list[str]:
    if not SMS.is_file():
        return []
    with open(SMS, encoding="utf-8") as file:
        return [line.split("\t", 1)[1].rstrip("\n") for line in file]


def generated_terms(texts: list[str]) -> list[str]:
    """700 words and 300 bigrams of ``texts``, drawn with a fixed seed from the 3,000 most
    frequent words and 2,000 most frequent bigrams (letters only, 3+ letters a word)."""
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for text in texts:
        tokens = [w for w in text.lower().split() if w.isalpha() and len(w) > 2]
        words.update(tokens)
        pairs.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:]))
    rng = random.Random(0)
    top_words = [w for w, _ in words.most_common(3000)]
    top_pairs = [p for p, _ in pairs.most_common(2000)]
    return rng.sample(top_words, 700) + rng.sample(top_pairs, 300)


def measure(passes: int, only: str = "") -> dict[str, dict[str, float]]:
    from labelwright.config import NLPConfig
    from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
    from labelwright.glossaries.reading import load_glossaries
    from labelwright.nlp import load_pipeline

    def glossary(mode: str, terms: list[str], exclusions: tuple[str, ...] = (),
                 accents: str = "keep") -> Glossary:
        return Glossary(name=mode, label="billing", mode=mode,
                        terms=tuple(Term(t) for t in terms), exclusions=exclusions, window=3,
                        accents=accents)

    nlp = load_pipeline(NLPConfig())
    sms = sms_texts()
    with open(REPO / "data" / "tickets.csv", encoding="utf-8", newline="") as file:
        tickets = [row["text"] for row in csv.DictReader(file)] * 7
    example = load_glossaries(REPO / "glossaries", EXAMPLE_LABELS)
    workloads = [("example/tickets", nlp, example, tickets)]
    if sms:
        terms = generated_terms(sms)
        negations = ("not", "n't", "no")
        workloads += [
            ("example/sms", nlp, example, sms),
            ("lowercase", nlp, [glossary("lowercase", terms)], sms),
            ("lowercase+excl", nlp, [glossary("lowercase", terms, negations)], sms),
            ("lemma", nlp, [glossary("lemma", terms)], sms),
            ("lemma+excl", nlp, [glossary("lemma", terms, negations)], sms),
        ]
    german = load_pipeline(NLPConfig(lang="de"))
    de_texts = german_texts(5000)
    for mode in ("lowercase", "lemma"):
        workloads.append((f"de/{mode}", german,
                          [glossary(mode, GERMAN_TERMS, ("nicht", "kein"))], de_texts))
    spanish = load_pipeline(NLPConfig(lang="es"))
    es_texts = spanish_texts(5000)
    for accents in ("keep", "ignore"):
        workloads.append(("es/lemma" + ("-ignore" if accents == "ignore" else ""), spanish,
                          [glossary("lemma", SPANISH_TERMS, ("nunca",), accents)], es_texts))
    french = load_pipeline(NLPConfig(lang="fr"))
    fr_texts = french_texts(5000)
    for accents in ("keep", "ignore"):
        workloads.append(("fr/lemma" + ("-ignore" if accents == "ignore" else ""), french,
                          [glossary("lemma", FRENCH_TERMS, ("pas",), accents)], fr_texts))
    results = {}
    for name, pipeline, glossaries, texts in workloads:
        if not name.startswith(only):
            continue
        matcher = GlossaryMatcher(glossaries, pipeline)
        docs = list(pipeline.pipe(texts))
        matches = sum(len(matcher.match(doc, text)) for doc, text in zip(docs, texts))
        times = []
        gc.disable()
        try:
            for _ in range(passes):
                start = time.process_time()
                for doc, text in zip(docs, texts):
                    matcher.match(doc, text)
                times.append(time.process_time() - start)
        finally:
            gc.enable()
        results[name] = {"texts": len(texts), "matches": matches, "ms": min(times) * 1000}
    return results


def compare(old_src: str, rounds: int, passes: int, only: str = "") -> None:
    """Alternate processes of this checkout's code and ``old_src``'s; print medians."""
    runs: dict[str, list[dict[str, dict[str, float]]]] = {"old": [], "new": []}
    for _ in range(rounds):
        for version in ("old", "new"):
            env = dict(os.environ)
            env["PYTHONPATH"] = old_src if version == "old" else str(REPO / "src")
            out = subprocess.run([sys.executable, __file__, "--json", "--passes", str(passes),
                                  "--only", only],
                                 env=env, check=True, capture_output=True, text=True).stdout
            runs[version].append(json.loads(out))
    print("| workload | texts | old CPU ms (median; range) | new CPU ms (median; range) | "
          "matches old / new |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, first in runs["new"][0].items():
        cells = []
        for version in ("old", "new"):
            ms = [run[name]["ms"] for run in runs[version]]
            cells.append(f"{statistics.median(ms):.1f}; {min(ms):.1f}-{max(ms):.1f}")
        found = f"{runs['old'][0][name]['matches']:,} / {first['matches']:,}"
        print(f"| {name} | {first['texts']:,} | {cells[0]} | {cells[1]} | {found} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passes", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--compare", metavar="OLD_SRC", help="alternate with this src folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="", metavar="PREFIX",
                        help="only the workloads whose name starts so (es/, lemma)")
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args.rounds, args.passes, args.only)
        return
    results = measure(args.passes, args.only)
    if args.json:
        print(json.dumps(results))
        return
    print("| workload | texts | matches | fastest pass (CPU ms) |")
    print("| --- | ---: | ---: | ---: |")
    for name, r in results.items():
        print(f"| {name} | {r['texts']:,} | {r['matches']:,} | {r['ms']:.1f} |")


if __name__ == "__main__":
    main()
