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


def test_wrong_or_missing_answers_give_hints_without_stopping(capsys):
    def no_callbacks(path):
        return []

    exercises.check("04.callbacks", no_callbacks)
    assert "not quite. Training ran all 30 epochs" in capsys.readouterr().out
    exercises.check("04.callbacks", None)
    assert "not answered yet" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="ran all 30 epochs"):
        exercises.check("04.callbacks", no_callbacks, strict=True)
