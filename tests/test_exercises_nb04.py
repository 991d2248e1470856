"""Checkers of notebook 04's exercises: the truth comes from Keras, wrong answers get the hint of
the mistake they make."""

import pytest

from tlcourse import exercises
from tlcourse.exercises import nb04

DIAGNOSES = {"a": "batchnorm trains", "b": "everything trains", "c": "still frozen", "d": "right"}


@pytest.mark.real_data  # MobileNetV2's ImageNet weights
@pytest.mark.parametrize("letter", sorted(DIAGNOSES))
def test_each_version_does_what_its_diagnosis_says(letter):
    assert nb04.diagnose(nb04.VERSIONS[letter]) == DIAGNOSES[letter]


@pytest.mark.real_data
def test_the_right_diagnoses_are_accepted():
    exercises.check("04.unfreeze", DIAGNOSES, strict=True)


@pytest.mark.real_data
def test_a_wrong_diagnosis_gets_the_hint_for_what_the_version_does(expect_hint):
    expect_hint("04.unfreeze", {**DIAGNOSES, "a": "right"},
                "Version a does not do what you said ('right')")
    expect_hint("04.unfreeze", {**DIAGNOSES, "a": "right"},
                "Follow one BatchNormalization layer after from_layer")
    expect_hint("04.unfreeze", {**DIAGNOSES, "b": "right"}, "Follow Conv1, the first layer")
    expect_hint("04.unfreeze", {**DIAGNOSES, "c": "right"}, "Follow Conv_1, the last convolution")
    expect_hint("04.unfreeze", {**DIAGNOSES, "a": "frozen"}, "is not one of the diagnoses")
    expect_hint("04.unfreeze", ["right"] * 4, "Answer a dict")


PREDICTED = {"stops_after": 8, "model_holds": 5, "file_holds": 5}


def test_keras_callbacks_do_what_the_prediction_says(tmp_path):
    assert nb04.callbacks_on_script(str(tmp_path / "best.keras")) == PREDICTED


def test_the_right_prediction_is_accepted():
    exercises.check("04.early_stopping", PREDICTED, strict=True)


@pytest.mark.parametrize("wrong, problem, hint", [
    ({"stops_after": 6}, "does not stop after epoch 6", "Compare epoch 5's loss with epoch 3's"),
    ({"stops_after": 5}, "does not stop after epoch 5", "cannot know an epoch is the best"),
    ({"stops_after": 10}, "does not stop after epoch 10", "fail to improve for that many"),
    ({"stops_after": 9}, "does not stop after epoch 9", "Count the epochs after the best one"),
    ({"model_holds": 8}, "the model does not hold epoch 8's", "restore_best_weights=True change"),
    ({"model_holds": 3}, "the model does not hold epoch 3's", "lowest validation loss"),
    ({"file_holds": 8}, "the file does not hold epoch 8's", "which write is last"),
])
def test_a_wrong_prediction_gets_the_hint_of_its_mistake(expect_hint, wrong, problem, hint):
    expect_hint("04.early_stopping", {**PREDICTED, **wrong}, problem)
    expect_hint("04.early_stopping", {**PREDICTED, **wrong}, hint)


def test_no_hint_before_an_attempt(capsys):
    for key in ("04.unfreeze", "04.early_stopping"):
        exercises.check(key, None)
        out = capsys.readouterr().out
        assert "not answered yet" in out and "Hint" not in out
