"""What a run's manifest records of its pipeline (:func:`pipeline_description`), in a
module of its own: a run whose pipeline was never built (a
:class:`~labelwright.nlp.lazy.LazyPipeline`) describes it without importing spaCy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from labelwright.nlp.fingerprint import pipeline_fingerprint
from labelwright.nlp.lazy import known_facts

if TYPE_CHECKING:
    from spacy.language import Language


def pipeline_description(nlp: Language, fingerprint: str | None = None) -> dict[str, object]:
    """What a manifest records of ``nlp``; ``fingerprint``: its
    :func:`pipeline_fingerprint`, when the caller has it already (it hashes the lookup
    tables and sources again otherwise)."""
    facts = known_facts(nlp)
    if facts is not None:  # not built: what was recorded of it when it last was
        description = dict(facts["description"])
        return {**description, "fingerprint": fingerprint or description["fingerprint"]}
    import spacy  # loaded already: ``nlp`` is built

    segmenter = getattr(getattr(nlp.tokenizer, "segmenter", None), "value",
                        getattr(nlp.tokenizer, "segmenter", None))
    return {
        "lang": nlp.lang,
        # how Chinese is split into words ([nlp] segmenter); other tokenizers have none
        **({"segmenter": str(segmenter)} if isinstance(segmenter, str) else {}),
        "name": nlp.meta.get("name"),
        "version": nlp.meta.get("version"),
        "components": list(nlp.pipe_names),
        "disabled": list(nlp.disabled),
        "spacy": spacy.__version__,
        "fingerprint": pipeline_fingerprint(nlp) if fingerprint is None else fingerprint,
    }
