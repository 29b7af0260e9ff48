"""Why the spaCy pipeline is not the one a run used: its fingerprint's cause, named.

The fingerprint (:func:`~labelwright.nlp.pipeline_fingerprint`) hashes the ``[nlp]``
settings, spaCy, its lookup data and labelwright's own text-processing code together, so
an upgrade of labelwright alone changes it. A run's manifest records the fingerprint's
parts apart (``pipeline.fingerprint_parts``), which name the part that moved; for a run
from before them, what the manifest does record (the config file's hash, the pipeline's
description, spaCy's and spacy-lookups-data's versions) tells an upgrade of labelwright
when all of it is as it is now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

    from labelwright.config import ProjectConfig

#: the fields of ``pipeline_description`` that the ``[nlp]`` settings decide
DESCRIBED = ("lang", "name", "version", "components", "disabled")
#: the part an upgrade of labelwright moves
CODE = "labelwright's own text-processing code"
#: what moves the fingerprint's part without labelwright's code when no setting or package did
OTHER = "the tokenizer's rules, a component's lookup tables or code, or a pipeline's files"
EITHER = "[nlp] settings, spaCy or its lookup data, or labelwright's own text-processing code"


def pipeline_change(manifest: dict[str, Any], nlp: Language, config: ProjectConfig) -> str:
    """What differs between the spaCy pipeline the run of ``manifest`` used and ``nlp``,
    the one ``config`` gives now, as the words a message puts in brackets after "the spaCy
    pipeline is not the one the run used"; call it when the fingerprints differ."""
    import spacy

    from labelwright.nlp import fingerprint_parts, pipeline_description
    from labelwright.runs.provenance import config_fingerprint
    from labelwright.runs.store import package_versions

    recorded = manifest.get("pipeline") or {}
    packages: dict[str, Any] = manifest.get("packages") or {}
    packages = packages if isinstance(packages, dict) else {}
    lookups_now = package_versions()["spacy-lookups-data"]
    versions = {"spaCy": (recorded.get("spacy") or packages.get("spacy"), spacy.__version__),
                "spacy-lookups-data": (packages.get("spacy-lookups-data", lookups_now),
                                       lookups_now)}
    moved = [f"{name} {then or 'not installed'} -> {now or 'not installed'}"
             for name, (then, now) in versions.items() if then != now]
    same = (f"spaCy {versions['spaCy'][1]} and spacy-lookups-data "
            f"{versions['spacy-lookups-data'][1] or 'not installed'}")
    parts, now = recorded.get("fingerprint_parts"), fingerprint_parts(nlp)
    if isinstance(parts, dict) and "without_labelwright_code" in parts:
        code_moved = parts.get("labelwright_text_code") != now["labelwright_text_code"]
        if parts["without_labelwright_code"] == now["without_labelwright_code"]:
            return (f"{CODE} differs from the run's: labelwright was upgraded or edited "
                    f"since; its [nlp] settings, {same} are the run's" if code_moved
                    else EITHER)
        settings = ["its [nlp] settings"] if parts.get("spacy_config") != now["spacy_config"] \
            else []
        # the part without labelwright's code moved: its cause named, or the rest it may be
        named = settings + moved or [OTHER]
        if code_moved:
            named.append(f"{CODE} as well: labelwright was upgraded or edited")
        return "; ".join(named)
    # a run from before the parts: its [nlp] settings are today's when its config file is
    # and the pipeline they describe is; then only labelwright's own code is left
    described = pipeline_description(nlp, now["fingerprint"] or "")
    config_now = config_fingerprint(config.config_path, config.root)
    config_then = manifest.get("config")
    settings_same = (isinstance(config_then, dict) and config_now is not None
                     and config_then.get("sha256") == config_now["sha256"]
                     and all(recorded.get(key) == described.get(key) for key in DESCRIBED))
    # labelwright's code is in the fingerprint only with a component of its own; a
    # pipeline read from disk adds its files, which nothing recorded tells apart
    own_code = now["labelwright_text_code"] is not None and getattr(nlp, "_path", None) is None
    if settings_same and not moved and own_code:
        return (f"{CODE} differs from the run's: labelwright was upgraded or edited since; "
                f"its [nlp] settings, {same} are the run's, which recorded the fingerprint "
                "whole, so that is what is left")
    return EITHER + (f"; {'; '.join(moved)}" if moved else "")
