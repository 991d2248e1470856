"""Notebook 10's behaviour checker names what a wrong build_replicated does, on a real
tf.distribute.MirroredStrategy: here over the devices this process has, and in a fresh
interpreter over two logical CPU devices, as in the notebook."""

import os
import subprocess
import sys
import textwrap

import pytest
import tensorflow as tf


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
