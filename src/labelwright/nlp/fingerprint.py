"""A pipeline's fingerprint: a hash that changes whenever it could parse differently."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright import text_form
from labelwright.caches import sources_sha256

if TYPE_CHECKING:  # spaCy is imported where a pipeline is hashed: OWN_SOURCES needs none
    from spacy.language import Language

#: labelwright's own parsing code: this package's modules (its lemma components import
#: the table reading, match forms and lemma keys of the others) and the invisible
#: characters they leave out (zero-width characters, direction marks). A component of
#: labelwright's stands for all of them, so an edit to any one changes the fingerprint.
OWN_SOURCES: tuple[Path, ...] = (*sorted(Path(__file__).parent.glob("*.py")),
                                 Path(text_form.__file__ or ""))


def own_sources_sha256() -> bytes:
    """The sha256 of :data:`OWN_SOURCES`, read in their order."""
    return sources_sha256(OWN_SOURCES)


def pipeline_fingerprint(nlp: Language) -> str:
    """A hash that changes whenever the pipeline could parse differently.

    The spaCy version, the config, the pipeline's name and version, plus what the config
    does not show: the tokenizer's rules (prefixes, suffixes, infixes, special cases:
    :func:`invisible_affixes` adds some), the lookup tables of every component
    (``spacy-lookups-data`` may change), the source of components defined outside spaCy
    (labelwright's lemma components, by :data:`OWN_SOURCES`; a
    project's own, by their module's file) and the files of a pipeline loaded
    from disk. The vote cache, the Doc cache and the match cache are keyed by it, so none
    returns what another pipeline made.
    """
    return fingerprint_parts(nlp)["fingerprint"] or ""


def fingerprint_parts(nlp: Language, *, file_times: bool = True) -> dict[str, str | None]:
    """:func:`pipeline_fingerprint` (``fingerprint``) and its parts apart, so that a
    changed fingerprint can be put down to its cause: ``labelwright_text_code``, the
    sha256 of :data:`OWN_SOURCES` (None when no component of labelwright's is in the
    pipeline, so they do not count); ``without_labelwright_code``, the same digest with
    them left out (spaCy, its config, the tokenizer, the lookup tables, other components'
    sources and a pipeline's files); ``spacy_config``, the sha256 of the pipeline's spaCy
    config (what ``[nlp]`` sets). ``file_times=False`` leaves the modification times of
    a pipeline's files out (their sizes stay): the fingerprint two machines holding the same
    pipeline agree on, which Dask workers compare with the client's."""
    from labelwright.nlp.lazy import known_facts  # it imports this module

    facts = known_facts(nlp)
    if facts is not None:  # a blank pipeline not built: no files of its own, no times
        return dict(facts["fingerprint_parts"])
    import spacy

    whole, rest = hashlib.sha256(), hashlib.sha256()

    def update(data: bytes) -> None:
        whole.update(data)
        rest.update(data)

    config = nlp.config.to_str().encode()
    update(spacy.__version__.encode())
    update(config)
    update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    tokenizer: Any = nlp.tokenizer
    if hasattr(tokenizer, "to_bytes"):  # its vocabulary grows with every text: left out
        update(b"|tokenizer:" + hashlib.sha256(tokenizer.to_bytes(exclude=["vocab"])).digest())
    sources = {type(nlp.tokenizer).__module__}
    for name, component in nlp.components:
        # a class instance's module is its class's; a function component's is its own
        module = str(getattr(component, "__module__", None) or type(component).__module__)
        update(f"|{name}:{module}.{type(component).__name__}".encode())
        sources.add(module)
        lookups = getattr(component, "lookups", None)
        if lookups is not None:
            update(hashlib.sha256(lookups.to_bytes()).digest())
    own: bytes | None = None
    for module in sorted(sources):
        if module.split(".")[0] in ("spacy", "thinc"):
            continue  # covered by the spaCy version
        if module.startswith("labelwright."):
            own = own or own_sources_sha256()
            whole.update(module.encode() + own)
            rest.update(module.encode())
            continue
        file = getattr(sys.modules.get(module), "__file__", None)
        if file:
            update(module.encode() + hashlib.sha256(Path(file).read_bytes()).digest())
    path = getattr(nlp, "_path", None)
    if path is not None and Path(path).is_dir():
        for file in sorted(Path(path).rglob("*")):
            if file.is_file():
                stat = file.stat()
                time = f":{stat.st_mtime_ns}" if file_times else ""
                update(f"{file.relative_to(path)}:{stat.st_size}{time}".encode())
    return {"fingerprint": whole.hexdigest(),
            "labelwright_text_code": own.hex() if own is not None else None,
            "without_labelwright_code": rest.hexdigest(),
            "spacy_config": hashlib.sha256(config).hexdigest()}
