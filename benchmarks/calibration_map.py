"""What the Calibrator's confidence map does, on probabilities whose truth is known.

Two kinds of binary probabilities, each fit on ``n`` gold rows and scored (ECE, %) on 20,000
fresh rows drawn the same way, median over 10 seeds:

* ``calibrated``: right exactly as often as they say (top probabilities spread over 0.5-1);
* ``two-level``: right as often as they say at 0.7, but claiming 0.999 where they are right
  85% of the time (a label model over-confident on its most common vote pattern), which no
  single temperature or bias fixes.

Columns: the scaling alone (``bins=False``); the default (the map kept only when it lowers
the cross-validated log loss); every step kept whatever the cross-validation says
(``min_gain=-inf``: the most complex scaling, then the map); and how often the default kept
the map.

    python benchmarks/calibration_map.py
"""

from __future__ import annotations

import numpy as np

from labelwright.models.calibration import Calibrator
from labelwright.models.reliability import ece
from labelwright.models.synthetic import two_level_probs


def calibrated(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p1 = rng.beta(0.7, 0.7, n)
    y = (rng.random(n) < p1).astype(int)
    return np.column_stack([1 - p1, p1]), y


def main() -> None:
    print("| probabilities | gold rows | scaling alone | default | every step kept | map kept |")
    print("|---|---|---|---|---|---|")
    for name, draw in (("calibrated", calibrated), ("two-level", two_level_probs)):
        for n in (60, 150, 400, 1000):
            rows = []
            for seed in range(10):
                probs, y = draw(n, seed)
                test, test_y = draw(20_000, 100 + seed)
                fits = (Calibrator(bins=False).fit(probs, y), Calibrator().fit(probs, y),
                        Calibrator(min_gain=-np.inf).fit(probs, y))
                rows.append([100 * ece(c.transform(test), test_y) for c in fits]
                            + [fits[1].confidence_map_ is not None])
            med = np.median(np.array(rows, dtype=float), axis=0)
            kept = np.mean([r[-1] for r in rows])
            print(f"| {name} | {n} | {med[0]:.2f} | {med[1]:.2f} | {med[2]:.2f} | "
                  f"{kept:.0%} |")


if __name__ == "__main__":
    main()
