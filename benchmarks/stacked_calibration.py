"""Calibration that also reads the end model: does it bring ECE under 5 where the label
model's own calibration cannot? (Measured, not used by labelwright.)

Protocol of ``labelwright bench wrench`` without gold: the ``default`` model is fit on the
train votes; calibrators are fit on the valid items and scored on test (ECE, 10 bins).
The end model's signal is :func:`labelwright.end_model.out_of_fold_proba` over train +
valid + test, trained on the label model's probabilistic labels of covered items (no gold;
no item's own label scores it), as the review ranking computes it.

* ``current``: labelwright's :class:`~labelwright.models.calibration.Calibrator` (the
  bench's ``ece_calibrated``);
* ``stacked``: ``softmax(a * log p_label_model + b * log p_end_model + bias)``, k + 2
  parameters fit by maximum likelihood on the valid items (L2 1e-3 on the biases);
* ``end model``: the same without the label model's term.

Sets: WRENCH youtube and sms, and the UCI SMS / YouTube sets of ``uci_wrench.py`` for
split seeds 0, 1, 2 (written to a temporary folder).

    python benchmarks/stacked_calibration.py [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from uci_data import write_sets

from labelwright.bench.wrench import load_wrench
from labelwright.end_model import out_of_fold_proba
from labelwright.models import ece, get_model
from labelwright.models.calibration import Calibrator

WRENCH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "wrench"
PENALTY = 1e-3


def _log(p: np.ndarray) -> np.ndarray:
    return np.log(np.clip(p, 1e-12, 1.0))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fit_stack(lp: np.ndarray | None, le: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights (a, b, bias...) of softmax(a lp + b le + bias); without ``lp``, (b, bias...)."""
    k, rows = le.shape[1], np.arange(len(y))
    n_a = 0 if lp is None else 1

    def loss(theta: np.ndarray) -> float:
        z = stack_logits(theta, lp, le)
        z = z - z.max(axis=1, keepdims=True)
        nll = -(z[rows, y] - np.log(np.exp(z).sum(axis=1))).mean()
        return float(nll + PENALTY * (theta[n_a + 1:] ** 2).sum())

    start = np.r_[[1.0] * n_a, 1.0, np.zeros(k)]
    return minimize(loss, start, method="L-BFGS-B").x


def stack_logits(theta: np.ndarray, lp: np.ndarray | None, le: np.ndarray) -> np.ndarray:
    if lp is None:
        return theta[0] * le + theta[1:]
    return theta[0] * lp + theta[1] * le + theta[2:]


def measure(folder: Path, name: str) -> dict:
    ds = load_wrench(folder)
    k = ds.cardinality
    model = get_model("default", k, random_state=0, tie_break="random").fit(ds.train.L)
    L = np.vstack([ds.train.L, ds.valid.L, ds.test.L])
    texts = [*ds.train.texts, *ds.valid.texts, *ds.test.texts]
    P = model.predict_proba(L)
    covered = (L >= 0).any(axis=1)
    E = out_of_fold_proba(texts, P, [str(c) for c in range(k)], train_mask=covered, seed=0)
    n_train, n_valid = len(ds.train.ids), len(ds.valid.ids)
    va, te = slice(n_train, n_train + n_valid), slice(n_train + n_valid, len(L))
    yv, yt = ds.valid.y, ds.test.y
    own = model.predict(ds.test.L)
    current = Calibrator(random_state=0).fit(P[va], yv, covered=covered[va])
    out = {"set": name, "ece_raw": 100 * ece(P[te], yt),
           "ece_current": 100 * ece(current.transform(P[te], covered=covered[te]), yt),
           "accuracy_label_model": 100 * float((own == yt).mean())}
    for variant, lp in (("stacked", _log(P)), ("end_model", None)):
        theta = fit_stack(None if lp is None else lp[va], _log(E[va]), yv)
        Q = _softmax(stack_logits(theta, None if lp is None else lp[te], _log(E[te])))
        out[f"ece_{variant}"] = 100 * ece(Q, yt)
        out[f"accuracy_{variant}"] = 100 * float((Q.argmax(axis=1) == yt).mean())
        out[f"labels_changed_{variant}"] = int((Q.argmax(axis=1) != own).sum())
        out[f"weights_{variant}"] = [round(float(x), 2) for x in theta]
    return {key: round(value, 2) if isinstance(value, float) else value
            for key, value in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    args = parser.parse_args()
    for name in ("youtube", "sms"):
        print(json.dumps(measure(WRENCH / name, f"wrench_{name}")), flush=True)
    with tempfile.TemporaryDirectory(prefix="labelwright-stack-") as tmp:
        for seed in args.seeds:
            for folder in write_sets(Path(tmp) / f"seed{seed}", seed=seed):
                print(json.dumps(measure(folder, f"{folder.name}/{seed}")), flush=True)


if __name__ == "__main__":
    main()
