"""labelwright: weak-supervision programmatic labeling.

Labeling functions and glossaries in; probabilistic labels, a review queue and a
record of what produced each label out.
"""

from functools import cache as _cache
from typing import TYPE_CHECKING, Any

from labelwright.errors import LabelwrightError
from labelwright.lfs.core import ABSTAIN, LabelingFunction, labeling_function

if TYPE_CHECKING:
    from labelwright.end_model.train import train_run
    from labelwright.lfs.item import GlossaryMatch, Item
    from labelwright.project.apply import apply_project
    from labelwright.project.check import check_project
    from labelwright.project.load import Project, load_project
    from labelwright.project.result import RunResult
    from labelwright.project.run import run_project
    from labelwright.review.training_set import export_training_set
    from labelwright.runs.erase.items import erase_items
    from labelwright.runs.erase.raters import erase_rater_names
    from labelwright.runs.explain.item import explain_item
    from labelwright.runs.prune import prune_runs
    from labelwright.runs.saved_run import SavedRun, load_run
    from labelwright.runs.verify.runs import verify_runs
    from labelwright.scaffold import init_project

# spaCy and pandas load only when something needs them, so `labelwright --help` is quick.
_LAZY = {
    "GlossaryMatch": "labelwright.lfs.item",
    "Item": "labelwright.lfs.item",
    "Project": "labelwright.project.load",
    "RunResult": "labelwright.project.result",
    "SavedRun": "labelwright.runs.saved_run",
    "load_run": "labelwright.runs.saved_run",  # reads a run folder back (pandas, no spaCy)
    "verify_runs": "labelwright.runs.verify.runs",  # imports spaCy when called (startup.py)
    "prune_runs": "labelwright.runs.prune",
    "erase_items": "labelwright.runs.erase.items",  # reads the data (pandas) when called
    "erase_rater_names": "labelwright.runs.erase.raters",
    "init_project": "labelwright.scaffold",
}
#: functions whose modules import spaCy or pandas: (module, the argument naming the
#: project's path; None: the function needs no spaCy of its own, or is given a loaded
#: project). Looking one up imports nothing; calling it imports its module, and first
#: spaCy as the CLI does, with torch hidden where the project does not need it (startup.py).
_CALLS = {
    # each names the module that defines the function: its source gives the signature
    "load_project": ("labelwright.project.load", "path"),
    "run_project": ("labelwright.project.run", "path"),
    "apply_project": ("labelwright.project.apply", None),
    "check_project": ("labelwright.project.check", "path"),
    "explain_item": ("labelwright.runs.explain.item", "root"),
    "train_run": ("labelwright.end_model.train", "root"),
    "export_training_set": ("labelwright.review.training_set", None),
}

@_cache
def _modules() -> frozenset[str]:
    """The package's modules: each is an attribute once named (``labelwright.runs.resolve_run``
    after a plain ``import labelwright``), imported then, as many import pandas or spaCy
    (config and lfs are imported with the package itself). Read from the package's folder
    on the first name not found otherwise, so a new module needs no list kept by hand."""
    import pkgutil

    return frozenset(m.name for m in pkgutil.iter_modules(__path__)) - {"__main__"}


def __getattr__(name: str) -> Any:
    if name in _CALLS:
        from labelwright.startup import api_function

        module, project_arg = _CALLS[name]
        function = globals()[name] = api_function(module, name, project_arg)  # made once
        return function
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _modules():
        import importlib

        return importlib.import_module(f"{__name__}.{name}")  # the package's attribute now
    raise AttributeError(f"module 'labelwright' has no attribute {name!r}")


def __dir__() -> list[str]:
    """What a notebook's completion offers: the names above and the modules, not what
    this module imports for itself (``Any``, ``TYPE_CHECKING``) or keeps private."""
    own = {name for name in globals() if not name.startswith("_")} - {"Any", "TYPE_CHECKING"}
    return sorted({*own, *_LAZY, *_CALLS, *_modules(), "__version__"})


__version__ = "0.1.0"

__all__ = [
    "ABSTAIN",
    "GlossaryMatch",
    "Item",
    "LabelingFunction",
    "LabelwrightError",
    "Project",
    "RunResult",
    "SavedRun",
    "apply_project",
    "check_project",
    "erase_items",
    "erase_rater_names",
    "explain_item",
    "export_training_set",
    "init_project",
    "labeling_function",
    "load_project",
    "load_run",
    "prune_runs",
    "run_project",
    "train_run",
    "verify_runs",
]
