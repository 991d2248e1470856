import keras
import numpy as np

from tlcourse import training


def test_progress_bar_times_every_epoch():
    x = np.random.default_rng(0).normal(size=(64, 3)).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    progress = training.ProgressBar("test")
    model.fit(x, x[:, :1], epochs=5, batch_size=32, verbose=0, callbacks=[progress])
    assert len(progress.epoch_seconds) == 5
    assert progress.seconds >= sum(progress.epoch_seconds) * 0.9


def test_scratch_steps_give_small_sets_a_minimum_and_large_sets_epochs():
    assert training.scratch_steps(20, minimum_steps=100) == 100
    assert training.scratch_steps(2000, minimum_steps=100) == 500


def test_restart_equals_compiling_again_with_a_fresh_optimizer():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = rng.normal(size=(64, 1)).astype("float32")

    def fitted(model):
        model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        return [np.asarray(w) for w in model.get_weights()]

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    start = model.get_weights()
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="mse")
    fitted(model)  # moves the weights and the optimizer's moments and step count
    training.restart(model, start, 0.01)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), start))
    restarted = fitted(model)
    model.set_weights(start)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    recompiled = fitted(model)
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(restarted, recompiled))
