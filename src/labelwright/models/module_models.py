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

import hashlib
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from labelwright.models.base import LabelModel
from labelwright.models.registry import _REGISTRY, available_models, register
from labelwright.models.saved_attributes import lists_all

#: between the module and the class in a ``[label_model] name``
SEPARATOR = ":"

#: the sha256 of each module file :func:`model_from_module` imported, as it read it (a
#: run records it, and keeps a copy checked against it, as it does an LF module's)
_READ_SHA256: dict[str, str] = {}


def names_a_module(name: str) -> bool:
    """Whether a ``[label_model] name`` names a class in a module (``my_models:MyModel``)
    rather than a registered model."""
    return SEPARATOR in name


def model_from_module(name: str, root: Path) -> type[LabelModel]:
    """The :class:`LabelModel` subclass ``name`` (``module:Class``) names, imported with the
    project folder ``root`` first on ``sys.path`` and registered under ``name`` and under
    its class's ``name``; a ValueError saying what is wrong (the form, a module not found
    or failing to import, no such class, not a label model, a ``name`` taken) and what is
    valid."""
    module_name, _, class_name = name.partition(SEPARATOR)
    if not (module_name and class_name.isidentifier()
            and all(part.isidentifier() for part in module_name.split("."))):
        raise ValueError(f"{name!r} is not module:Class (e.g. \"my_models:AccuracyVote\" for "
                         f"class AccuracyVote in my_models.py in the project folder); "
                         f"{_built_in()}")
    module = _imported(module_name, root, name)
    cls = getattr(module, class_name, None)
    where = f"{module_name} ({getattr(module, '__file__', None) or module_name})"
    if cls is None:
        found = sorted(n for n, v in vars(module).items()
                       if isinstance(v, type) and issubclass(v, LabelModel) and v is not LabelModel)
        raise ValueError(f"module {where} has no {class_name!r}; its label models: "
                         f"{', '.join(found) or 'none'}")
    if not (isinstance(cls, type) and issubclass(cls, LabelModel)):
        raise ValueError(f"{name} is a {type(cls).__name__}, not a LabelModel subclass: a label "
                         "model of your own subclasses labelwright.models.LabelModel and "
                         "implements _fit and _predict_proba (README: \"Your own label model\")")
    _register(name, cls)
    return cls


def _imported(module_name: str, root: Path, name: str) -> ModuleType:
    """``module_name`` imported with ``root`` first on ``sys.path`` (taken off again after),
    read again from its file when it is the project folder's; a ValueError when it is not
    found or its import raises."""
    folder = str(Path(root).resolve())
    top = module_name.split(".")[0]
    if (Path(folder) / f"{top}.py").is_file() or (Path(folder) / top / "__init__.py").is_file():
        # the project's own module, read afresh: edited since, or another project's of
        # the same name imported before in this process
        for loaded in [m for m in sys.modules if m == top or m.startswith(f"{top}.")]:
            del sys.modules[loaded]
    sys.path.insert(0, folder)
    try:
        module = importlib.import_module(module_name)
        file = getattr(module, "__file__", None)
        if file and Path(file).is_file():
            _READ_SHA256[str(Path(file).resolve())] = _sha256(Path(file))
        return module
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            raise ValueError(f"no module {module_name!r} for {name!r}: not in the project folder "
                             f"({folder}/{module_name.split('.')[0]}.py) nor installed; "
                             f"{_built_in()}") from None
        raise ValueError(f"importing {module_name} for {name!r} failed: {exc}") from None
    except Exception as exc:  # the user's module: any error its code raises
        raise ValueError(f"importing {module_name} for {name!r} failed: "
                         f"{type(exc).__name__}: {exc}{_line_of(exc)}") from None
    finally:
        try:
            sys.path.remove(folder)
        except ValueError:  # the module took it off itself
            pass


def _line_of(exc: BaseException) -> str:
    """`` (my_models.py:12)``: where in the user's code the import raised, or ``""``."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if last is None:
        return ""
    return f" ({Path(last.tb_frame.f_code.co_filename).name}:{last.tb_lineno})"


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
    file, made in a notebook); None for labelwright's own models."""
    cls = type(model)
    if lists_all(cls):
        return None
    file = getattr(sys.modules.get(cls.__module__), "__file__", None)
    record: dict[str, Any] = {"module": cls.__module__, "class": cls.__qualname__,
                              "path": None, "sha256": None}
    if file and Path(file).is_file():
        path = Path(file).resolve()
        try:
            shown = path.relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            shown = path.as_posix()
        record.update(path=shown, sha256=_READ_SHA256.get(str(path)) or _sha256(path))
    return record


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
