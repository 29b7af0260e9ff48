"""EM that stopped at ``max_iter`` before it converged: the warning (the run's, and what a
fit outside a run logs), and the setting that gives it more rounds (``[label_model]
max_iter``, which ``auto`` passes to every ``dawid_skene`` it fits)."""

from __future__ import annotations

from typing import Any


def more_rounds(max_iter: int) -> int:
    """A ``max_iter`` worth trying after EM ran out of ``max_iter`` rounds: 5 times as many."""
    return 5 * int(max_iter)


def convergence_warning(model: Any, *, reused: str | None = None) -> str | None:
    """The warning when ``model`` (``auto``'s chosen one, or the model itself) stopped EM at
    ``max_iter`` before it converged; None when it converged, or does not run EM. A run
    gives it among its warnings; a fit outside a run logs it. ``reused``: ``"reused from run
    X (fit by run Y)"`` for a model a run reused (``run --label-model-from``), which this run
    did not fit: more rounds need a run that fits one."""
    shown = getattr(model, "model_", model)
    if getattr(shown, "converged_", None) is not False:  # None: saved before it was known
        return None
    name, rounds = shown.name, int(shown.max_iter)
    via = (f" (auto passes it to every {name} it fits)" if shown is not model else "")
    if reused:
        return (f"the label model ({name}) {reused} had stopped EM at max_iter = {rounds} "
                "rounds before it converged when that run fit it: labels may still move; "
                "to fit one with more rounds, run without --label-model-from, with max_iter "
                f"= {more_rounds(rounds)} under [label_model]{via}")
    return (f"the label model ({name}) stopped EM at max_iter = {rounds} rounds before it "
            f"converged (the mean log-likelihood still moved by more than tol = "
            f"{shown.tol:g} in its last round): labels may still move; to give it more "
            f"rounds, write max_iter = {more_rounds(rounds)} under [label_model], or from Python "
            f"pass max_iter={more_rounds(rounds)} to the model{via}")
