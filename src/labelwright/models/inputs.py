"""What a label model is given, checked: the label matrix, gold labels (``y_dev``), which
of them were drawn at random (``sampled``) and a class balance, each as an array or a
ValueError that says what is wrong and where."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from labelwright.config.settings import find_label
from labelwright.matrix import LabelMatrix
from labelwright.spelling import did_you_mean


def check_label_matrix(L: Any, cardinality: int) -> np.ndarray:
    """Return ``L`` as a 2-D integer array, or raise ValueError saying what is wrong and where.

    ``L`` is an array of votes, a DataFrame of them, or a :class:`LabelMatrix`
    (``applied.matrix``: its votes), whose labels must be ``cardinality`` many: a model of
    another cardinality would read its indices as other classes."""
    if isinstance(cardinality, bool) or not isinstance(cardinality, int | np.integer):
        raise ValueError(f"cardinality must be an int >= 2, got {cardinality!r}")
    if cardinality < 2:
        raise ValueError(f"cardinality must be >= 2, got {cardinality}")
    if isinstance(L, LabelMatrix):
        L = _matrix_votes(L, cardinality)
    _refuse_text_columns(L)
    _refuse_sparse(L)
    arr = _nullable_ints(L)
    arr = whole_numbers(arr, "label matrix", f"-1 = abstain, 0..{cardinality - 1} = votes")
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"label matrix must hold integers (-1 = abstain, 0..{cardinality - 1} = votes), "
            f"got dtype {arr.dtype}"
        )
    if arr.ndim != 2:
        raise ValueError(
            f"label matrix must be 2-D (n_items, n_lfs), got {arr.ndim}-D shape {arr.shape}"
        )
    n, m = arr.shape
    if n == 0:
        raise ValueError("label matrix has 0 items (rows); a label model needs at least one")
    if m == 0:
        raise ValueError("label matrix has 0 labeling functions (columns); need at least one")
    lo, hi = arr.min(), arr.max()
    if lo < -1 or hi >= cardinality:
        bad = (arr < -1) | (arr >= cardinality)
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"label matrix value {int(arr[row, col])} at row {row}, column {col} is out of "
            f"range; expected -1 (abstain) or 0..{cardinality - 1} for cardinality {cardinality}"
        )
    return arr


def _refuse_text_columns(L: Any) -> None:
    """A ValueError naming a DataFrame's columns of text: the ids of
    ``LabelMatrix.to_frame()`` (or of a run's ``label_matrix.parquet``) beside the votes
    were "got dtype object", which named neither the column nor the way out."""
    import pandas as pd

    if not isinstance(L, pd.DataFrame):
        return
    text = [str(c) for c in L.columns if pd.api.types.is_string_dtype(L[c].dtype)
            or (L[c].dtype == object and pd.api.types.infer_dtype(L[c]) == "string")]
    if text:
        raise ValueError(
            f"label matrix: the DataFrame's column(s) {', '.join(map(repr, text))} hold text, "
            "not votes; a frame of LabelMatrix.to_frame() or label_matrix.parquet has the "
            "item ids in 'id': pass the LabelMatrix itself (applied.matrix, or "
            "LabelMatrix.read_parquet(path)), or the votes alone, frame.set_index('id')")


def whole_numbers(arr: np.ndarray, what: str, meaning: str) -> np.ndarray:
    """``arr`` as int64 when it is a float array whose values are all whole numbers (a
    matrix read from a CSV or built with ``np.full(..., np.nan)`` and filled is often
    float); unchanged when it is no float array. A NaN or a fraction is a ValueError naming
    the first one's place (``what``: the array's name; ``meaning``: its valid values)."""
    if arr.dtype.kind != "f":
        return arr
    bad = ~np.isfinite(arr) | (arr != np.round(arr))
    if bad.any():
        place = tuple(int(i) for i in np.argwhere(bad)[0])
        where = (f"row {place[0]}, column {place[1]}" if len(place) == 2
                 else f"row {place[0]}" if place else "")
        value = arr[place].item()
        raise ValueError(f"{what} must hold whole numbers ({meaning}); got {value!r} at "
                         f"{where} (a float array is read when every value is a whole number)")
    return arr.astype(np.int64)


def _matrix_votes(matrix: LabelMatrix, cardinality: int) -> np.ndarray:
    """The votes of ``matrix``, when its labels (if it names any) are ``cardinality``."""
    if matrix.labels and len(matrix.labels) != cardinality:
        raise ValueError(f"the label matrix has {len(matrix.labels)} labels "
                         f"({', '.join(map(repr, matrix.labels))}) and the label model "
                         f"cardinality {cardinality}: make the model with "
                         f"cardinality={len(matrix.labels)} (get_model(name, "
                         f"cardinality=len(matrix.labels)))")
    return matrix.votes


def is_share(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and 0.0 < float(value) <= 1.0)


def _refuse_sparse(L: Any) -> None:
    """A scipy sparse matrix is a ValueError saying how to pass it: numpy reads one as a
    single object (the error had been "got dtype object"), and an entry it does not store
    is 0, a vote for class 0, where a label matrix needs -1 for abstain."""
    if hasattr(L, "toarray") and hasattr(L, "nnz"):  # scipy.sparse, not imported here
        raise ValueError(f"label matrix is a scipy sparse matrix ({type(L).__name__}); "
                         "label models take a dense one: pass L.toarray(), after making "
                         "sure abstains are stored as -1 (an entry a sparse matrix does not "
                         "store is 0, a vote for class 0)")


def _nullable_ints(L: Any) -> np.ndarray:
    """``L`` as an array; a pandas frame of nullable integer columns (``Int64``) with no
    missing value is its plain integers (numpy alone would give objects); a missing one
    (``pd.NA``) is a ValueError naming its row and column, as a NaN's is."""
    dtypes = getattr(L, "dtypes", None) if hasattr(L, "columns") else None  # a DataFrame
    if dtypes is not None and hasattr(L, "to_numpy") and len(dtypes) and all(
            getattr(t, "kind", None) in ("i", "u") for t in dtypes):
        missing = L.isna().to_numpy()
        if missing.any():
            row, col = (int(i) for i in np.argwhere(missing)[0])
            raise ValueError(f"label matrix must hold whole numbers (-1 = abstain); got "
                             f"<NA> at row {row}, column {col} ({L.columns[col]!r}): a "
                             f"missing vote that means abstain is -1 (L.fillna(-1))")
        return L.to_numpy(dtype=np.int64)
    return np.asarray(L)


def check_y_dev(y_dev: Any, n: int, cardinality: int, what: str = "y_dev"
                ) -> np.ndarray | None:
    """Return ``y_dev`` as an int64 array of length ``n`` (-1 = no gold), or None; floats
    that are all whole numbers count (:func:`whole_numbers`). ``what``: its name in errors
    (``score``'s ``y``)."""
    if y_dev is None:
        return None
    y = _missing_as_no_gold(y_dev)
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"{what} must be 1-D with one entry per item ({n}), got shape "
                         f"{y.shape}")
    y = whole_numbers(y, what, "-1 = no gold")
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
        names = (f"; label names are read by a LabelMatrix's labels (applied.matrix as L), "
                 f"from an array give indices: pd.Series({what}).map({{label: i for i, label "
                 f"in enumerate(labels)}}).fillna(-1).astype(int)"
                 if y.dtype.kind in "OUS" else "")
        raise ValueError(f"{what} must hold integers (-1 = no gold), got dtype {y.dtype}"
                         + names)
    bad = (y < -1) | (y >= cardinality)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{what} value {int(y[row])} at row {row} is out of range; "
            f"expected -1 (no gold) or 0..{cardinality - 1}"
        )
    return y.astype(np.int64, copy=False)


def _missing_as_no_gold(y_dev: Any) -> np.ndarray:
    """``y_dev`` as an array, a missing value (NaN, or ``pd.NA`` of a nullable ``Int64``
    column) read as -1, no gold: ``df["gold"].map(index)`` holds NaN wherever a row has
    none, and ``lf_summary``'s ``gold`` took it while ``fit`` refused it. (A NaN in the
    label matrix stays an error: an abstain or a lost vote, it cannot tell.)"""
    dtype = getattr(y_dev, "dtype", None)
    if hasattr(y_dev, "to_numpy") and getattr(dtype, "kind", None) in ("i", "u") \
            and not isinstance(dtype, np.dtype):  # pandas' nullable integers
        y_dev = y_dev.to_numpy(dtype=np.float64, na_value=np.nan)
    y = np.asarray(y_dev)
    if y.dtype.kind == "f":
        y = np.where(np.isnan(y), -1.0, y)
    return y


def named_gold(values: Any, matrix: Any, name: str, who: str) -> Any:
    """``values`` as class indices when ``matrix`` is a :class:`LabelMatrix` naming its
    labels and ``values`` are not numbers: label names (``df["gold"]``, ``None`` or NaN
    for none), read as :func:`~labelwright.lfs.stats.lf_summary` reads its ``gold``.
    A Series indexed by the matrix's item ids is read by id (:func:`in_item_order`).
    Anything else is returned as given, for :func:`check_y_dev`. ``who``: the method the
    messages name (``fit``)."""
    if values is None or not isinstance(matrix, LabelMatrix) or not matrix.labels:
        return values
    from labelwright.lfs.stats_inputs import class_indices, in_item_order

    array = in_item_order(values, matrix)
    if array.dtype.kind in "biuf":
        return array

    return class_indices(values, matrix, name, who)


def check_sampled(sampled: Any, n: int) -> np.ndarray | None:
    """``sampled`` (``auto``'s: a bool per row, True for gold rows drawn at random) as a
    mask of ``n`` rows, or None when not given."""
    if sampled is None:
        return None
    mask = np.asarray(sampled)
    if mask.dtype != bool or mask.shape != (n,):
        raise ValueError(f"sampled must be a bool array with one entry per item ({n}), "
                         f"got dtype {mask.dtype} and shape {mask.shape}")
    return mask


#: how far from 1 a class balance's sum may be (rounded shares: 0.3333333 x 3)
BALANCE_SUM_TOLERANCE = 1e-5


def check_class_balance(class_balance: Any, cardinality: int,
                        labels: Sequence[str] = ()) -> np.ndarray | None:
    """Return ``class_balance`` as k positive priors summing to 1, or None. A mapping by
    label name (as ``[label_model] class_balance`` takes one) is read in the order of
    ``labels``, the label matrix's when it names them (a :class:`LabelMatrix`)."""
    if class_balance is None:
        return None
    if isinstance(class_balance, Mapping):
        class_balance = _shares_in_label_order(class_balance, labels)
    if isinstance(class_balance, str):  # the config's "votes" is resolved by the project
        raise ValueError(f"class_balance must be {cardinality} shares summing to 1, got "
                         f"{class_balance!r} (a project's class_balance = \"votes\" is "
                         "estimated from the votes before the fit: see "
                         "labelwright.models.class_prior)")
    try:
        p = np.asarray(class_balance, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"class_balance must be {cardinality} shares summing to 1, got "
                         f"{class_balance!r}") from None
    if p.shape != (cardinality,):
        raise ValueError(f"class_balance must have {cardinality} entries, got shape {p.shape}")
    if not np.all(p > 0):  # NaN too
        raise ValueError(f"class_balance must hold a share above 0 for every class (a class "
                         f"at 0 could never be predicted), got {p.tolist()}")
    if not np.isclose(p.sum(), 1.0, rtol=0, atol=BALANCE_SUM_TOLERANCE):
        raise ValueError(f"class_balance must sum to 1 (within "
                         f"{BALANCE_SUM_TOLERANCE:g}; it is then divided by its sum), got "
                         f"{p.tolist()}, which sums to {p.sum():.6g}")
    return p / p.sum()


def _shares_in_label_order(shares: Mapping[Any, Any], labels: Sequence[str]) -> list[Any]:
    """A class balance by label name as the list in the order of ``labels``: every label
    once, no other name (the shares themselves are checked as a list's are)."""
    if not labels:
        raise ValueError(f"class_balance by label name needs the labels' order, which an "
                         f"array of votes does not give: fit a LabelMatrix (applied.matrix), "
                         f"or pass a list in label order, [balance[label] for label in "
                         f"labels]; got {dict(shares)!r}")
    by_label: dict[str, Any] = {}
    for name, share in shares.items():
        label = find_label(str(name), labels)
        if label is None:
            raise ValueError(f"class_balance: {name!r} is not a label; "
                             f"{did_you_mean(str(name), labels)}valid labels: "
                             f"{', '.join(labels)}")
        if label in by_label:
            raise ValueError(f"class_balance gives label {label!r} twice")
        by_label[label] = share
    missing = [label for label in labels if label not in by_label]
    if missing:
        raise ValueError(f"class_balance gives no share for {', '.join(map(repr, missing))}; "
                         f"give one per label: {', '.join(labels)}")
    return [by_label[label] for label in labels]
