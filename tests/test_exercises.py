"""Every solution in solutions/ passes its exercise check; wrong answers get hints."""

import importlib.util
import os
from pathlib import Path

import pytest

from tlcourse import exercises

SOLUTIONS = sorted((Path(__file__).parent.parent / "solutions").glob("[0-9][0-9]_*.py"))


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def solution_cases():
    for path in SOLUTIONS:
        for key, function in load(path).ANSWERS.items():
            yield pytest.param(key, function, id=key)


@pytest.mark.real_data  # checkers run on the real photos and pretrained weights
@pytest.mark.parametrize("key, solve", list(solution_cases()))
def test_solution_is_accepted(key, solve, private_cache):
    try:  # the solution and its checker may both need a corpus package of the `course` extra
        exercises.check(key, solve(), strict=True)
    except ImportError as missing:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(missing))


def test_every_exercise_has_a_solution():
    exercises._load_all()
    solved = {key for path in SOLUTIONS for key in load(path).ANSWERS}
    assert solved == set(exercises.REGISTRY)


@pytest.fixture
def halving_exercise(monkeypatch):
    """Exercise 'test.half': write half(x); its checker recognises one mistake (doubling)."""
    exercises._load_all()
    monkeypatch.setattr(exercises, "REGISTRY", dict(exercises.REGISTRY))

    @exercises.behaviour("test.half", "Write half(x).", "Check half(10).")
    def half_behaves(half):
        if half(10) == 20:
            return exercises.Mistake("half(10) returned 20.", "You multiplied where you divide.")
        return None if half(10) == 5 else f"half(10) returned {half(10)!r}, not 5."
    return "test.half"


def test_before_an_attempt_only_the_question_is_shown(halving_exercise, capsys):
    exercises.check(halving_exercise, None)
    assert capsys.readouterr().out == "Exercise test.half: not answered yet. Write half(x).\n"


def test_a_recognised_mistake_gets_its_own_hint(halving_exercise, capsys):
    exercises.check(halving_exercise, lambda x: 2 * x)
    assert capsys.readouterr().out == ("✘ Exercise test.half: not quite. half(10) returned 20.\n"
                                       "Hint: You multiplied where you divide.\n")
    exercises.check(halving_exercise, lambda x: x - 1)
    assert capsys.readouterr().out.endswith("not 5.\nHint: Check half(10).\n")


def test_wrong_answers_give_hints_without_stopping_unless_strict(halving_exercise, capsys):
    exercises.check(halving_exercise, lambda x: x)
    assert "not quite." in capsys.readouterr().out
    exercises.check(halving_exercise, lambda x: x / 2)
    assert "correct" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="returned 20"):
        exercises.check(halving_exercise, lambda x: 2 * x, strict=True)
