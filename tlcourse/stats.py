"""How sure a measured accuracy is: an interval for one model, a paired test for two."""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import stats


def accuracy_interval(correct, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of the accuracy behind ``correct`` (one boolean per item)."""
    correct = np.asarray(correct, dtype=bool)
    n, z = len(correct), stats.norm.ppf(0.5 + confidence / 2)
    share = correct.mean()
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return float(centre - half), float(centre + half)


def describe_accuracy(correct, confidence: float = 0.95) -> str:
    """``correct``'s accuracy with its interval and item count, e.g. "0.976 [0.959–0.986], n = 500"."""
    correct = np.asarray(correct, dtype=bool)
    low, high = accuracy_interval(correct, confidence)
    return f"{correct.mean():.3f} [{low:.3f}–{high:.3f}], n = {len(correct)}"


@dataclasses.dataclass(frozen=True)
class PairedComparison:
    """Two models scored on the same items: accuracy difference and McNemar's exact test."""

    difference: float  # accuracy of a minus accuracy of b
    only_a: int        # items a got right and b wrong
    only_b: int        # items b got right and a wrong
    p_value: float

    def within_noise(self, level: float = 0.05) -> bool:
        return self.p_value >= level

    def __str__(self) -> str:
        verdict = ("within the noise of these items" if self.within_noise()
                   else "beyond the noise of these items")
        items = "item" if self.only_a == 1 else "items"
        return (f"{100 * self.difference:+.1f} points ({self.only_a} {items} only the first got "
                f"right, {self.only_b} only the second; McNemar p = {self.p_value:.2g}: "
                f"{verdict})")


def paired_comparison(correct_a, correct_b) -> PairedComparison:
    """Compare two models on the same items from their per-item correctness."""
    correct_a, correct_b = np.asarray(correct_a, bool), np.asarray(correct_b, bool)
    if correct_a.shape != correct_b.shape:
        raise ValueError(f"the two models were scored on different items: {correct_a.shape} "
                         f"vs {correct_b.shape}; pass one boolean per item of the same split")
    only_a, only_b = int(np.sum(correct_a & ~correct_b)), int(np.sum(correct_b & ~correct_a))
    discordant = only_a + only_b
    p_value = 1.0 if discordant == 0 else stats.binomtest(only_a, discordant).pvalue
    return PairedComparison(float(correct_a.mean() - correct_b.mean()), only_a, only_b,
                            float(p_value))
