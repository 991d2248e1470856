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


@pytest.mark.parametrize("key, solve", list(solution_cases()))
def test_solution_is_accepted(key, solve, isolated):
    try:
        answer = solve()
    except ImportError as missing:  # a corpus package of the `course` extra is not installed
        if os.environ.get("CI"):
            raise
        pytest.skip(str(missing))
    exercises.check(key, answer, strict=True)


def test_every_exercise_has_a_solution():
    exercises._load_all()
    solved = {key for path in SOLUTIONS for key in load(path).ANSWERS}
    assert solved == set(exercises.REGISTRY)


def test_wrong_or_missing_answers_give_hints_without_stopping(capsys):
    exercises.check("01.fc_params", 12)
    assert "not quite. Hint:" in capsys.readouterr().out
    exercises.check("01.fc_params", None)
    assert "not answered yet" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        exercises.check("01.fc_params", 12, strict=True)


def test_behaviour_checker_names_what_a_wrong_unfreeze_does(capsys):
    import keras

    def inverted_condition(base, from_layer):
        names = [layer.name for layer in base.layers]
        for layer in base.layers[names.index(from_layer):]:
            layer.trainable = isinstance(layer, keras.layers.BatchNormalization)

    def keeps_batchnorm_trainable(base, from_layer):
        base.trainable = True
        names = [layer.name for layer in base.layers]
        for layer in base.layers[:names.index(from_layer)]:
            layer.trainable = False

    def everything(base, from_layer):
        base.trainable = True
        for layer in base.layers:
            layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)

    for wrong, message in ((inverted_condition, "still frozen"),
                           (keeps_batchnorm_trainable, "BatchNormalization layer"),
                           (everything, "was not frozen")):
        exercises.check("04.unfreeze", wrong)
        out = capsys.readouterr().out
        assert "not quite" in out and message in out, (wrong.__name__, out)


def test_behaviour_checker_names_what_a_wrong_feature_extractor_does(capsys):
    import keras

    def base():
        return keras.applications.MobileNetV2(alpha=0.35, include_top=False, pooling="avg",
                                              input_shape=(224, 224, 3))

    def unscaled():
        model = base()
        model.trainable = False
        return model

    def trainable():
        inputs = keras.Input((224, 224, 3))
        return keras.Model(inputs, base()(keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)))

    for wrong, message in ((unscaled, "features differ"), (trainable, "trainable weight")):
        exercises.check("03.extractor", wrong)
        out = capsys.readouterr().out
        assert "not quite" in out and message in out, (wrong.__name__, out)
