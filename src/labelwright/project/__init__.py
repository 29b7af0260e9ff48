"""A labelwright project end to end: load, apply, fit, triage, write a run.

The CLI is a thin layer over these functions, so a notebook can do everything the
CLI does::

    import labelwright
    result = labelwright.run_project("path/to/project")
    result.labels.head()

One module per step: :mod:`~labelwright.project.load` (``Project``, ``load_project``),
:mod:`~labelwright.project.apply` (``apply_project``, the dataset read),
:mod:`~labelwright.project.inputs` (reviews, the LF table),
:mod:`~labelwright.project.evaluation` (accuracy on held-out gold),
:mod:`~labelwright.project.result` (``RunResult``) and :mod:`~labelwright.project.run`
(``run_project``, the steps in order); ``labelwright check`` is
:mod:`~labelwright.project.check`, ``labelwright analyze --model`` fits the models named
with :mod:`~labelwright.project.model_comparison`. The public names below import from here; each is
imported from its module when first looked up, so that loading or checking a project does
not import every step of a run.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from labelwright.project.apply import (
        Progress,
        apply_project,
        frame_dataset,
        project_dataset,
    )
    from labelwright.project.evaluation import evaluate
    from labelwright.project.inputs import (
        counted_lf_table,
        label_order_warnings,
        project_reviews,
    )
    from labelwright.project.load import (
        Project,
        check_lemma_claims,
        check_session_lf,
        load_project,
        no_lfs,
        project_lfs,
    )
    from labelwright.project.result import RunResult
    from labelwright.project.run import run_project
    from labelwright.project.steps import Stage

#: each public name, and the module of this package that defines it
_MODULES = {
    **dict.fromkeys(("Progress", "apply_project", "frame_dataset", "project_dataset"),
                    "apply"),
    "evaluate": "evaluation",
    **dict.fromkeys(("counted_lf_table", "label_order_warnings", "project_reviews"),
                    "inputs"),
    **dict.fromkeys(("Project", "check_lemma_claims", "check_session_lf", "load_project",
                     "no_lfs", "project_lfs"), "load"),
    "RunResult": "result",
    "run_project": "run",
    "Stage": "steps",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)


__all__ = [
    "Progress",
    "Project",
    "RunResult",
    "Stage",
    "apply_project",
    "check_lemma_claims",
    "check_session_lf",
    "counted_lf_table",
    "evaluate",
    "frame_dataset",
    "label_order_warnings",
    "load_project",
    "no_lfs",
    "project_dataset",
    "project_lfs",
    "project_reviews",
    "run_project",
]
