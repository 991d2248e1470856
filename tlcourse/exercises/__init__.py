"""Exercises: each notebook's questions with a checker that recomputes the true answer, or
that runs the learner's code (a function, a model) and tests what it does.

In a learner's notebook ``check(key, answer)`` prints whether the answer is right, or a
hint, and never stops the notebook. Solutions (in ``solutions/``) are run by the tests
with ``strict=True`` so a wrong solution fails.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable

REGISTRY: dict[str, "Exercise"] = {}


@dataclasses.dataclass(frozen=True)
class Exercise:
    """A question, how to compute its answer, and a hint for wrong answers."""

    key: str
    question: str
    expected: Callable[[], Any] | None
    hint: str
    tolerance: float = 0.0
    verify: Callable[[Any], str | None] | None = None


def exercise(key: str, question: str, hint: str, tolerance: float = 0.0):
    """Register the decorated function as the computation of exercise ``key``'s answer."""
    def register(function: Callable[[], Any]) -> Callable[[], Any]:
        REGISTRY[key] = Exercise(key, question, function, hint, tolerance)
        return function
    return register


def behaviour(key: str, question: str, hint: str):
    """Register the decorated function as a behaviour checker for exercise ``key``.

    It receives the learner's answer (their function or model), exercises it on real or
    generated data and returns ``None`` when it behaves right, otherwise one sentence on what
    went wrong (printed before the hint).
    """
    def register(function: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
        REGISTRY[key] = Exercise(key, question, None, hint, verify=function)
        return function
    return register


def _matches(answer: Any, expected: Any, tolerance: float) -> bool:
    if isinstance(expected, float) or (tolerance and isinstance(answer, (int, float))):
        return isinstance(answer, (int, float)) and math.isclose(
            answer, expected, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(expected, str) and isinstance(answer, str):
        return answer.strip().lower() == expected.lower()
    if isinstance(expected, dict) and isinstance(answer, dict):
        return set(answer) == set(expected) and all(
            _matches(answer[k], expected[k], tolerance) for k in expected)
    return answer == expected


def check(key: str, answer: Any, strict: bool = False) -> None:
    """Say whether ``answer`` to exercise ``key`` is right; with ``strict`` raise if not."""
    _load_all()
    item = REGISTRY[key]
    if answer is None and not strict:
        print(f"Exercise {key}: not answered yet. {item.question}\nHint: {item.hint}")
        return
    problem = item.verify(answer) if item.verify else (
        None if _matches(answer, item.expected(), item.tolerance) else f"{answer!r} is wrong.")
    if problem is None:
        print(f"✔ Exercise {key}: correct.")
    elif strict:
        raise AssertionError(f"Exercise {key}: {problem}")
    else:
        print(f"✘ Exercise {key}: not quite. {'' if item.verify is None else problem + ' '}"
              f"Hint: {item.hint}")


def _load_all() -> None:
    from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb09, nb10  # noqa: F401 (they register)
