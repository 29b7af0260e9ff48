"""The project config: ``labelwright.toml`` at the root of a project folder.

A project is a folder holding ``labelwright.toml``, ``labeling_functions/`` and
``glossaries/``. The config names the labels (in order: label *i* is vote *i*),
the dataset, the spaCy pipeline, the label model, triage settings and the seed.
Every key is checked: a misspelt key is an error that lists the valid ones. An error about
a setting names the line it is on (``labelwright.toml:12:``): each check raises a
:class:`~labelwright.errors.SettingError` with the setting's path, and :func:`located` puts
the file and line in front (:mod:`labelwright.config.toml_lines` finds the lines).

Submodules: :mod:`~labelwright.config.schema` (what a checked config holds: its
dataclasses and the valid values of its settings), :mod:`~labelwright.config.loading`
(finding the project, reading the file, placing errors on their lines),
:mod:`~labelwright.config.tables` (the check of each table, in the order errors are
found; ``[data]``'s in :mod:`~labelwright.config.data_table`, ``[review]``'s in
:mod:`~labelwright.config.review_table`), :mod:`~labelwright.config.settings` (the
checks of single settings, some shared with other modules),
:mod:`~labelwright.config.toml_lines` (the line each key is written on),
:mod:`~labelwright.config.data_override` (``--data PATH`` in place of ``[data]
path`` for one command). Every name below imports from ``labelwright.config`` as well.
"""

from labelwright.config.loading import (
    find_project_root,
    load_config,
    located,
    parse_config,
    project_folder,
    toml_error,
)
from labelwright.config.schema import (
    APPLY_ENGINES,
    CONFIG_NAME,
    DATA_BAD_ROWS,
    DATA_DUPLICATE_ROWS,
    DATA_FORMATS,
    DATA_MANY_FILES,
    DATA_QUOTINGS,
    DATA_SUFFIXES,
    END_MODEL_FEATURES,
    MAX_WORKERS,
    NO_LABEL,
    RANKINGS,
    REVIEW_POLICIES,
    STATE_DIR,
    TIE_BREAKS,
    ApplyConfig,
    DataConfig,
    EndModelConfig,
    LabelModelConfig,
    NLPConfig,
    ProjectConfig,
    ReviewConfig,
    TriageConfig,
    delimiter_problem,
    place,
)
from labelwright.config.settings import (
    check_doc_cache,
    find_label,
    label_problem,
    shared_column,
)
from labelwright.config.toml_lines import KeyPath

__all__ = [
    "APPLY_ENGINES", "CONFIG_NAME", "DATA_BAD_ROWS", "DATA_DUPLICATE_ROWS", "DATA_FORMATS",
    "DATA_QUOTINGS",
    "DATA_MANY_FILES",
    "DATA_SUFFIXES",
    "END_MODEL_FEATURES", "MAX_WORKERS", "NO_LABEL", "RANKINGS", "REVIEW_POLICIES",
    "STATE_DIR", "TIE_BREAKS",
    "ApplyConfig", "DataConfig", "EndModelConfig", "KeyPath", "LabelModelConfig", "NLPConfig",
    "ProjectConfig", "ReviewConfig", "TriageConfig",
    "check_doc_cache", "delimiter_problem", "find_label", "find_project_root", "label_problem",
    "load_config", "located", "parse_config", "place", "project_folder", "shared_column",
    "toml_error",
]
