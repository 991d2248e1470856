"""Claim checks: a notebook states an expected range right after a result.

``expect`` prints one line when the claim holds and raises ``ClaimFailed`` (so nbval
and ``python -m tlcourse run`` fail loudly) when it does not.
"""

from __future__ import annotations


class ClaimFailed(AssertionError):
    """A measured result is outside the range the course claims."""


def expect(claim: str, value: float, at_least: float | None = None,
           at_most: float | None = None) -> None:
    """Check ``at_least <= value <= at_most`` and say so in words.

    Parameters
    ----------
    claim : str
        The claim in plain words, e.g. "MobileNetV2 features reach 95 % accuracy".
    value : float
        What was measured.
    at_least, at_most : float, optional
        The expected range (either end may be open).
    """
    bounds = []
    if at_least is not None:
        bounds.append(f"≥ {at_least:.4g}")
    if at_most is not None:
        bounds.append(f"≤ {at_most:.4g}")
    expected = " and ".join(bounds) or "any value"
    holds = (at_least is None or value >= at_least) and (at_most is None or value <= at_most)
    if not holds:
        raise ClaimFailed(f"✘ {claim}: measured {value:.4g}, expected {expected}.")
    print(f"✔ {claim}: measured {value:.4g} (expected {expected})")
