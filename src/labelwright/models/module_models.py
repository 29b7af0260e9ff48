"""Label models of a user's own, named in a project's config as ``module:Class``.

A model registered in a Python session (:func:`~labelwright.models.registry.register`)
could not be named in ``labelwright.toml`` for a CLI run: each ``labelwright run`` is a
new process. ``[label_model] name = "my_models:AccuracyVote"`` names a
:class:`~labelwright.models.base.LabelModel` subclass in ``my_models.py`` (or a package
``my_models/``) in the project folder, or in an installed module; the class is registered
under that name and under its own ``name`` (which its saved files carry), so the run, its
comparisons and ``load_model`` of the run's ``label_model.json`` in that process find it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from labelwright.models.base import LabelModel
from labelwright.models.project_modules import helpers_read, import_project_module, read_sha256
from labelwright.models.registry import _REGISTRY, available_models, register
from labelwright.models.saved_attributes import lists_all
from labelwright.spelling import did_you_mean

#: between the module and the class in a ``[label_model] name``
SEPARATOR = ":"

def names_a_module(name: str) -> bool:
    """Whether a ``[label_model] name`` names a class in a module (``my_models:MyModel``)
    rather than a registered model."""
    return SEPARATOR in name


def model_from_module(name: str, root: Path) -> type[LabelModel]:
    """The :class:`LabelModel` subclass ``name`` (``module:Class``) names, imported with the
    project folder ``root`` at the end of ``sys.path`` and registered under ``name`` and under
    its class's ``name``; a ValueError saying what is wrong (the form, a module not found
    or failing to import, no such class, not a label model, a ``name`` taken) and what is
    valid."""
    module_name, _, class_name = name.partition(SEPARATOR)
    if not (module_name and class_name.isidentifier()
            and all(part.isidentifier() for part in module_name.split("."))):
        raise ValueError(f"{name!r} is not module:Class (e.g. \"my_models:AccuracyVote\" for "
                         f"class AccuracyVote in my_models.py in the project folder); "
                         f"{_built_in()}")
    module = import_project_module(module_name, root, name, hint=_built_in())
    cls = getattr(module, class_name, None)
    where = f"{module_name} ({getattr(module, '__file__', None) or module_name})"
    if cls is None:
        found = sorted(n for n, v in vars(module).items()
                       if isinstance(v, type) and issubclass(v, LabelModel) and v is not LabelModel)
        raise ValueError(f"module {where} has no {class_name!r}; "
                         f"{did_you_mean(class_name, found)}its label models: "
                         f"{', '.join(found) or 'none'}")
    if not (isinstance(cls, type) and issubclass(cls, LabelModel)):
        raise ValueError(f"{name} is a {type(cls).__name__}, not a LabelModel subclass: a label "
                         "model of your own subclasses labelwright.models.LabelModel and "
                         "implements _fit and _predict_proba (README: \"Your own label model\")")
    _register(name, cls)
    return cls


def _register(name: str, cls: type[LabelModel]) -> None:
    """Register ``cls`` as ``name`` and as ``cls.name``, unless that name is another
    class's (a built-in model's, or another module's)."""
    own = cls.name
    if own == LabelModel.name:
        raise ValueError(f"{name}: the class sets no name; give it one (name = "
                         f"\"{cls.__name__.lower()}\"): its saved files carry it")
    taken = _REGISTRY.get(own)
    if taken is not None and taken is not cls and not _same_class(taken, cls):
        raise ValueError(f"{name}: its name {own!r} is already the label model "
                         f"{_described(taken)}; give the class a name of its own")
    register(own, cls)
    register(name, cls)


def _same_class(a: object, b: type) -> bool:
    """The same class imported again (a module read once more in a session)."""
    return isinstance(a, type) and (a.__module__, a.__qualname__) == (b.__module__,
                                                                      b.__qualname__)


def _described(factory: object) -> str:
    module = getattr(factory, "__module__", "?")
    return f"{module}.{getattr(factory, '__qualname__', factory)}"


def _built_in() -> str:
    """The registered names (the built-in models, and any registered so far)."""
    names = [n for n in available_models() if not names_a_module(n)]
    return f"registered label models: {', '.join(names)}"


def model_source(model: Any, root: Path) -> dict[str, Any] | None:
    """Where the class of ``model`` is, for a run's manifest (``label_model.source``):
    ``{"module", "class", "path", "sha256"}`` of a class defined outside labelwright (its
    module's file: relative to the project folder ``root`` when inside it, its sha256 as
    :func:`model_from_module` read it; ``path`` and ``sha256`` None for a class with no
    file, made in a notebook), with ``helpers``, ``[{"path", "sha256"}]`` of the project
    folder's modules its import read, when it read any; None for labelwright's own
    models."""
    cls = type(model)
    if lists_all(cls):
        return None
    file = getattr(sys.modules.get(cls.__module__), "__file__", None)
    record: dict[str, Any] = {"module": cls.__module__, "class": cls.__qualname__,
                              "path": None, "sha256": None}
    if file and Path(file).is_file():
        path = os.path.realpath(file)
        record.update(path=_shown(path, root), sha256=read_sha256(path))
        helpers = helpers_read(path)
        if helpers:
            record["helpers"] = [{"path": _shown(p, root), "sha256": sha}
                                 for p, sha in sorted(helpers.items())]
    return record


def _shown(path: str, root: Path) -> str:
    """``path`` as the manifest names it: relative to the project folder when inside it."""
    try:
        return Path(path).relative_to(os.path.realpath(root)).as_posix()
    except ValueError:
        return Path(path).as_posix()
