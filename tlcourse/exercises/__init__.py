"""Exercises: each notebook's questions with a checker that recomputes the true answer, or
that runs the learner's code (a function, a model) and tests what it does.

In a learner's notebook ``check(key, answer)`` prints whether the answer is right or what is
wrong with it, with a hint chosen by the mistake the checker diagnosed (a checker returns a
:class:`Mistake` for a mistake it recognises), and never stops the notebook. Before any
attempt it says only what to do: a hint is the answer to a mistake, never the solution. Solutions (in ``solutions/``) are run by the tests
with ``strict=True`` so a wrong solution fails. In a graded (nbgrader) assignment each test
cell calls ``grade(key, answer)``, which raises on a wrong answer and writes nothing to stderr.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import sys
import warnings
from typing import Any, Callable

REGISTRY: dict[str, "Exercise"] = {}


@dataclasses.dataclass(frozen=True)
class Mistake:
    """A mistake a checker recognised: what went wrong, and the hint for that mistake."""

    problem: str
    hint: str


@dataclasses.dataclass(frozen=True)
class Exercise:
    """A question, how to compute its answer, and the hint for a mistake no checker names."""

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
    generated data and returns ``None`` when it behaves right, otherwise what went wrong: a
    :class:`Mistake` with the hint for that mistake, or one sentence (then ``hint``, the
    exercise's general hint, follows it).
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
        print(f"Exercise {key}: not answered yet. {item.question}")
        return
    mistake = _mistake(item, answer)
    if mistake is None:
        print(f"✔ Exercise {key}: correct.")
    elif strict:
        raise AssertionError(f"Exercise {key}: {mistake.problem}")
    else:
        print(f"✘ Exercise {key}: not quite. {mistake.problem}\nHint: {mistake.hint}")


def _mistake(item: Exercise, answer: Any) -> Mistake | None:
    """What is wrong with ``answer`` to ``item``, with its hint (None when it is right)."""
    if item.verify is None:
        right = _matches(answer, item.expected(), item.tolerance)
        return None if right else Mistake(f"{answer!r} is wrong.", item.hint)
    found = item.verify(answer)
    return found if found is None or isinstance(found, Mistake) else Mistake(found, item.hint)


@contextlib.contextmanager
def silenced():
    """Drop warnings, log records and all that is written to stderr, by Python or by C++ code
    such as TensorFlow's (file descriptor 2), while the block runs."""
    sys.stderr.flush()
    saved_descriptor, saved_disable = os.dup(2), logging.root.manager.disable
    try:
        with open(os.devnull, "w") as null, contextlib.redirect_stderr(null), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.disable(logging.CRITICAL)
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved_descriptor, 2)
        os.close(saved_descriptor)
        logging.disable(saved_disable)


def grade(key: str, answer: Any) -> None:
    """Grade ``answer`` to exercise ``key`` in an nbgrader test cell.

    Runs the exercise's checker with warnings and stderr silenced (nbgrader gives no points to
    a cell that writes to stderr) and prints a tick when the answer is right. Otherwise raises
    ``AssertionError`` with what went wrong, including an error the learner's code raised, and
    the hint, so the cell scores zero and the feedback shows both.
    """
    _load_all()
    item = REGISTRY[key]
    if answer is None:
        raise AssertionError(f"Exercise {key}: not answered yet (answer is None). {item.question}")
    try:
        with silenced():
            mistake = _mistake(item, answer)
    except Exception as error:  # the learner's code (or what it returned) failed
        lines = str(error).strip().splitlines()
        mistake = Mistake(f"checking your answer raised {type(error).__name__}"
                          + (f": {lines[0][:300]}" if lines else "."), item.hint)
    if mistake is not None:
        raise AssertionError(f"Exercise {key}: {mistake.problem}\nHint: {mistake.hint}")
    print(f"✔ Exercise {key}: correct.")


def _load_all() -> None:
    from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08, nb09, nb10  # noqa: F401 (they register)
