"""The settings one run takes in place of the config's (``labelwright run --ranking``,
``--queue-limit``; ``run_project(ranking=..., queue_limit=...)``), checked and recorded
where they came from, as the manifest says."""

from __future__ import annotations

from dataclasses import replace

from labelwright.config import RANKINGS, ProjectConfig
from labelwright.errors import ConfigError

#: what the manifest's ``triage.ranking_from`` says when ``labelwright run --ranking`` set it
RANKING_OPTION = "--ranking"
#: what the manifest's ``triage.queue_files.limit_from`` says when ``--queue-limit`` set it
QUEUE_LIMIT_OPTION = "--queue-limit"
#: ... and when ``run_project(queue_limit=...)`` did (the config's says ``[review] queue_limit``)
QUEUE_LIMIT_ARGUMENT = "queue_limit="


def with_ranking(config: ProjectConfig, ranking: str) -> ProjectConfig:
    """``config`` ordering the review queue by ``ranking`` for one run (``--ranking``),
    which must be one of :data:`~labelwright.config.RANKINGS`."""
    if ranking not in RANKINGS:
        raise ConfigError(f"--ranking {ranking!r}; valid: {', '.join(RANKINGS)} (as for "
                          "[triage] ranking)")
    return replace(config, triage=replace(config.triage, ranking=ranking,
                                          ranking_from=RANKING_OPTION))


def with_queue_limit(config: ProjectConfig, limit: int,
                     given_as: str = QUEUE_LIMIT_OPTION) -> ProjectConfig:
    """``config`` writing the queue's first ``limit`` items (a count >= 0) to the review
    files for one run (``given_as``: ``--queue-limit`` or ``queue_limit=``, as the
    manifest's ``limit_from`` and the error say)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        shown = f"{given_as} {limit!r}" if given_as.startswith("-") else f"{given_as}{limit!r}"
        raise ConfigError(f"{shown}: a count of items >= 0 (0 writes only the "
                          "audit sample), as for [review] queue_limit")
    return replace(config, review=replace(config.review, queue_limit=limit,
                                          queue_limit_from=given_as))
