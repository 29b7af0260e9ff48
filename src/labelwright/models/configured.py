"""The label model a project's config names: made (a wrong name or setting is a
ConfigError naming the config file, its line and the valid choices) and fit on the
project's votes with its ``[label_model] class_balance``."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from labelwright.config import LabelModelConfig, ProjectConfig
from labelwright.config.model_settings import check_param_types_of
from labelwright.errors import ConfigError, SettingError
from labelwright.matrix import LabelMatrix
from labelwright.models.auto import AutoLabelModel
from labelwright.models.balance_notes import balance_note
from labelwright.models.base import LabelModel
from labelwright.models.class_prior import LEARNED_BALANCE_NOTE, VOTES_BALANCE_NOTE, votes_prior
from labelwright.models.gold_use import reviewed_class_balance
from labelwright.models.inputs import check_label_matrix
from labelwright.models.module_models import model_from_module, names_a_module
from labelwright.models.registry import (
    DEFAULT_MODEL,
    UnknownModelError,
    get_model,
    setting_guess,
)
from labelwright.models.snorkel_habits import (
    MODEL_WITHOUT_COUNTERPART,
    RENAMED_SETTINGS,
    WITHOUT_COUNTERPART,
)

#: ``[label_model]``'s own keys, beside the model's hyperparameters
_TABLE_KEYS = ("name", "tie_break", "class_balance", "params")
#: settings snorkel names otherwise (:data:`~labelwright.models.snorkel_habits.RENAMED_SETTINGS`:
#: ``fit(seed=...)``, ``predict(tie_break_policy=...)``) -> where a project sets them: the
#: seed is the project's, every other under its own name in [label_model]
_SET_ELSEWHERE = {
    key: ("; the seed is [project] seed (every random choice of the run derives from it, "
          "the label model's random_state too)") if ours == "random_state"
    else f"; snorkel's {key} is [label_model] {ours} here"
    for key, ours in RENAMED_SETTINGS.items()} | {
    key: (f"; snorkel's fit option {key} has no counterpart here (a run logs no epochs and "
          "shows no progress bar): leave it out") for key in WITHOUT_COUNTERPART} | {
    key: (f"; snorkel's LabelModel option {key} has no counterpart here (a run logs no "
          "epochs, and labelwright's label models fit on the CPU): leave it out")
    for key in MODEL_WITHOUT_COUNTERPART}


def make_label_model(config: ProjectConfig) -> LabelModel:
    """The configured label model, unfitted; a wrong name or setting is a ConfigError that
    names the config file and the valid choices. A name ``module:Class`` is a class of the
    user's, imported from the project folder (:mod:`~labelwright.models.module_models`)."""
    spec = config.label_model
    if names_a_module(spec.name):  # a class of the user's: "my_models:AccuracyVote"
        try:
            model_from_module(spec.name, config.root)
        except ValueError as exc:
            where = config.where(("label_model", "name"))
            raise ConfigError(f"{where}: [label_model] name: {exc}") from None
        _check_module_param_types(config)
    try:
        return get_model(spec.name, cardinality=len(config.labels),
                                random_state=config.seed, tie_break=spec.tie_break,
                                **spec.params).check_params()
    except UnknownModelError as exc:
        where = config.where(("label_model", "name"))
        raise ConfigError(f"{where}: [label_model] name: {exc}") from None
    except ValueError as exc:  # a value the model cannot use, found before any fit
        # check_params names the setting first: "prior_strength must be > 0", "unknown
        # scoring 'xyz'"; a message that opens otherwise gets no line
        named = re.match(r"(?:unknown )?(\w+)", str(exc))
        where = config.where(*_model_keys(spec, named.group(1) if named else ""))
        raise ConfigError(f"{where}: [label_model] {exc}") from None
    except TypeError as exc:
        valid = get_model(spec.name, cardinality=len(config.labels)).get_params()
        own = [k for k in valid if k not in ("cardinality", "random_state", "tie_break")]
        unknown = sorted(set(spec.params) - set(valid))
        where = config.where(*_model_keys(spec, unknown[0] if unknown else ""))
        if not unknown:  # not an unknown key: say what the model said
            raise ConfigError(f"{where}: [label_model]: {exc}") from None
        hint = (f'; to set a hyperparameter of another model, name it (e.g. name = '
                f'"{DEFAULT_MODEL}")' if spec.name == "auto"
                and not set(unknown) <= set(_SET_ELSEWHERE) else "")
        guess = setting_guess(unknown, [*own, *_TABLE_KEYS])
        takes = (f"; {guess}valid: {', '.join(own)} (and" if own
                 else f", which takes none ({guess}valid:")
        are = "are not settings" if len(unknown) > 1 else "is not a setting"
        raise ConfigError(f"{where}: [label_model] {', '.join(map(repr, unknown))} {are} "
                          f"of the {spec.name!r} label model{takes} [label_model]'s "
                          f"own keys: {', '.join(_TABLE_KEYS)}){hint}"
                          f"{''.join(_SET_ELSEWHERE.get(key, '') for key in unknown)}") from None



def _check_module_param_types(config: ProjectConfig) -> None:
    """The types of a ``module:Class`` model's settings, checked as a built-in model's are
    when the config is read (:func:`~labelwright.config.model_settings.check_param_types`, which
    cannot import the project's module): ``alpha = "x"`` for a float had passed ``check``
    and failed inside numpy in the run's fit. Unknown settings are said by the caller."""
    spec = config.label_model
    if not spec.params:
        return
    try:
        made = get_model(spec.name, cardinality=len(config.labels))
    except TypeError:  # an unknown setting: said with the valid ones below
        return
    try:
        check_param_types_of(made, spec, lambda key: ("label_model", key))
    except SettingError as exc:
        where = config.where(*_model_keys(spec, exc.key[-1]))
        raise ConfigError(f"{where}: {exc}") from None


def _model_keys(spec: LabelModelConfig, setting: str) -> tuple[tuple[str, ...], ...]:
    """Where hyperparameter ``setting`` may be written, if the config sets it: in the
    ``[label_model]`` params sub-table, which wins over a key of the same name, or beside
    name."""
    if setting not in spec.params:
        return ()
    return ("label_model", "params", setting), ("label_model", setting)


def fit_label_model(config: ProjectConfig, votes: np.ndarray | LabelMatrix, *,
                    y_dev: np.ndarray | None = None, sampled: np.ndarray | None = None,
                    sample_unsettled: int = 0) -> Any:
    """Fit the configured label model; ``y_dev`` holds reviewed labels (-1 elsewhere),
    ``sampled`` marks those reviewed from a run's random sample (``auto`` uses it, and
    says why it chose its model in terms of reviewed labels; ``sample_unsettled``: the
    sample's items reviewed without a label, tied or awaiting adjudication). A ``[label_model]
    class_balance`` is passed to the fit (``"votes"`` estimated here); without one, every
    model that takes its class balance from reviewed labels takes ``auto``'s estimate
    (:func:`~labelwright.models.gold_use.reviewed_class_balance`), and the model the run
    prints gets ``class_balance_note_``: where its balance came from, in words (None when
    reviewed labels did not set it). ``votes``: an array, or a :class:`LabelMatrix`
    (``applied.matrix``), read as its votes; a ValueError when its labels or votes are not
    the config's labels' (:func:`~labelwright.models.inputs.check_label_matrix`)."""
    votes = check_label_matrix(votes, len(config.labels))
    model = make_label_model(config)
    given = config.label_model.class_balance
    balance = (votes_prior(votes, len(config.labels)) if given == "votes"
               else None if given is None else np.asarray(given))
    marked = marked_sample(sampled)
    n_gold = gold_count(y_dev)
    if isinstance(model, AutoLabelModel):
        model.fit(votes, y_dev=y_dev, sampled=marked, class_balance=balance, reviewed=True,
                  sample_unsettled=sample_unsettled, labels=config.labels)
    else:
        if balance is None and not learns_balance_always(model):
            # auto's estimate, not the reviewed labels' raw mix: queue reviews are no
            # random sample (UCI YouTube: the queue's first 30, 25 of them spam, had set
            # snorkel's balance to 81% spam where the items are 51%)
            balance, record = reviewed_class_balance(
                votes, y_dev, len(config.labels), sampled=marked,
                random_state=config.seed, tie_break=config.label_model.tie_break,
                sample_unsettled=sample_unsettled)
            model.gold_sample_ = record  # the manifest records it, as auto's
        model.fit(votes, y_dev=y_dev, class_balance=balance)
    note_class_balance(config, model, n_gold)
    return model


def learns_balance_always(model: Any) -> bool:
    """Whether ``model`` learns its class balance by EM whatever the reviews say
    (``learn_class_balance`` true); ``"auto"`` takes the reviewed labels' balance first."""
    value = getattr(model, "learn_class_balance", False)
    return not isinstance(value, str) and bool(value)


def marked_sample(sampled: np.ndarray | None) -> np.ndarray | None:
    """``sampled`` (the items reviewed from a run's random sample) when it marks any item;
    None when there is no sample, or none of it was reviewed."""
    return sampled if sampled is not None and sampled.any() else None


def gold_count(y_dev: np.ndarray | None) -> int:
    """How many items ``y_dev`` gives a reviewed label (-1: none)."""
    return 0 if y_dev is None else int((np.asarray(y_dev) >= 0).sum())


def note_class_balance(config: ProjectConfig, model: Any, n_gold: int) -> None:
    """Set ``class_balance_note_`` (where the class balance came from, in words; None when
    the config sets it, or neither reviewed labels nor the votes did) on the model the run
    prints: auto's refit model, or the model itself; from the record of the reviews it fit
    on, else the model's own estimate: from the votes (``balance_from_votes_``) or by its
    EM (``balance_learned_``, under ``learn_class_balance="auto"``)."""
    shown = model.model_ if isinstance(model, AutoLabelModel) else model
    note = (None if config.label_model.class_balance is not None
            else balance_note(getattr(model, "gold_sample_", None), n_gold))
    if note is None and getattr(shown, "balance_from_votes_", False):
        note = VOTES_BALANCE_NOTE
    if note is None and getattr(shown, "balance_learned_", False) and not learns_balance_always(
            shown):
        note = LEARNED_BALANCE_NOTE
    shown.class_balance_note_ = note
