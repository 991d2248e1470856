"""Notebook 10's behaviour checker names what a wrong build_replicated does, on a real
tf.distribute.MirroredStrategy: here over the devices this process has, and in a fresh
interpreter over two logical CPU devices, as in the notebook."""

import os
import subprocess
import sys
import textwrap

import pytest
import tensorflow as tf

from tlcourse import exercises


def outside_scope(strategy, build):
    return build()


def scope_not_entered(strategy, build):
    strategy.scope()  # makes the context manager but never enters it
    return build()


def own_strategy(strategy, build):
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        return build()


def forgets_to_call(strategy, build):
    with strategy.scope():
        return build


def forgets_to_return(strategy, build):
    with strategy.scope():
        build()


@pytest.mark.parametrize("wrong, message", [
    (outside_scope, "It built the model outside strategy.scope(): 10 of its 10 variables live "
                    "on one device only"),
    (scope_not_entered, "outside strategy.scope()"),
    (own_strategy, "in the scope of another strategy (one it made itself?), on 1 device (CPU:0)"),
    (forgets_to_call, "It returned build itself"),
    (forgets_to_return, "It returned None"),
], ids=lambda value: getattr(value, "__name__", ""))
def test_checker_names_the_mistake(wrong, message, expect_hint):
    expect_hint("10.build_replicated", wrong, message)


TWO_DEVICES = textwrap.dedent("""
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from tlcourse import exercises

    def solution(strategy, build):
        with strategy.scope():
            return build()

    exercises.check("10.build_replicated", solution)
    exercises.check("10.build_replicated", lambda strategy, build: build())
    exercises.check("10.build_replicated", lambda strategy, build: strategy.run(build))
""")


@pytest.mark.slow
def test_checker_on_two_logical_devices_as_in_the_notebook():
    env = dict(os.environ, KERAS_BACKEND="tensorflow", CUDA_VISIBLE_DEVICES="-1")
    done = subprocess.run([sys.executable, "-c", TWO_DEVICES], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    right, outside, per_replica = [line for line in done.stdout.splitlines()
                                   if line.startswith(("✔", "✘"))]
    assert right == "✔ Exercise 10.build_replicated: correct."
    assert "not mirrored on the strategy's 2 devices (CPU:0, CPU:1)" in outside
    assert "It returned one model per device (strategy.run" in per_replica


def test_scale_up_accepts_the_linear_scaling_rule(capsys):
    exercises.check("10.scale_up", {"global_batch": 128, "learning_rate": 4e-4})
    assert "✔ Exercise 10.scale_up: correct." in capsys.readouterr().out


@pytest.mark.parametrize("answer, problem, hint", [
    ({"global_batch": 32, "learning_rate": 1e-4}, "each of the 4 GPUs receives 8 photos",
     "not what one of them receives"),
    ({"global_batch": 128, "learning_rate": 1e-4}, "the learning rate stays at 0.0001",
     "The notebook names a rule (Goyal et al. 2017)"),
    ({"global_batch": 128, "learning_rate": 2e-4}, "the learning rate 2 times",
     "by what factor did the global batch change?"),
    ({"global_batch": 256, "learning_rate": 8e-4}, "more than the 32 it has memory for",
     "count what one GPU then holds"),
], ids=["batch_not_grown", "rate_not_scaled", "square_root_rule", "per_gpu_batch_too_big"])
def test_scale_up_names_the_mistake(answer, problem, hint, capsys):
    exercises.check("10.scale_up", answer)
    out = capsys.readouterr().out
    assert "not quite" in out and problem in out and hint in out, out
    assert "Work out two things in turn" not in out  # the mistake's own hint, not the general one


def test_scale_up_says_what_to_answer(capsys):
    exercises.check("10.scale_up", 4e-4)
    assert "answer with a dict of two entries" in capsys.readouterr().out
