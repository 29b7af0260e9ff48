"""EM that stopped at ``max_iter`` before it converged: the warning (the run's, and what a
fit outside a run logs), and the setting that gives it more rounds (``[label_model]
max_iter``, which ``auto`` passes to every ``dawid_skene`` it fits)."""

from __future__ import annotations

from typing import Any


def more_rounds(max_iter: int) -> int:
    """A ``max_iter`` worth trying after EM ran out of ``max_iter`` rounds: 5 times as many."""
    return 5 * int(max_iter)


def convergence_warning(model: Any) -> str | None:
    """The warning when ``model`` (``auto``'s chosen one, or the model itself) stopped EM at
    ``max_iter`` before it converged; None when it converged, or does not run EM. A run
    gives it among its warnings; a fit outside a run logs it."""
    shown = getattr(model, "model_", model)
    if getattr(shown, "converged_", None) is not False:  # None: saved before it was known
        return None
    name, rounds = shown.name, int(shown.max_iter)
    via = (f" (auto passes it to every {name} it fits)" if shown is not model else "")
    return (f"the label model ({name}) stopped EM at max_iter = {rounds} rounds before it "
            f"converged (the mean log-likelihood still moved by more than tol = "
            f"{shown.tol:g} in its last round): labels may still move; to give it more "
            f"rounds, write max_iter = {more_rounds(rounds)} under [label_model], or from Python "
            f"pass max_iter={more_rounds(rounds)} to the model{via}")
