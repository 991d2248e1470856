import keras
import numpy as np

from tlcourse import training


def test_progress_bar_times_every_epoch_and_head_learns():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    keras.utils.set_random_seed(0)
    head = training.linear_head(8)
    head.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                 metrics=["accuracy"])
    progress = training.ProgressBar("test")
    head.fit(x, y, epochs=5, batch_size=32, verbose=0, callbacks=[progress])
    assert len(progress.epoch_seconds) == 5
    assert progress.seconds >= sum(progress.epoch_seconds) * 0.9
    assert training.binary_accuracy(head, x, y) > 0.9


def test_scratch_steps_give_small_sets_a_minimum_and_large_sets_epochs():
    assert training.scratch_steps(20, minimum_steps=100) == 100
    assert training.scratch_steps(2000, minimum_steps=100) == 500


def test_batches_serve_array_rows_with_a_fixed_step_budget():
    inputs = np.arange(10)[:, None] * np.ones((1, 3))
    labels = np.arange(10)
    batches = training.Batches(inputs, labels, batch_size=4, shuffle=True, seed=1, steps=5)
    rows = [batches[i] for i in range(len(batches))]
    assert len(rows) == 5
    for x, y in rows:
        assert (x[:, 0] == y).all()
    assert sorted(batches.order[:10]) == list(range(10))


def test_batches_pass_keras_loader_options_on():
    batches = training.Batches(np.zeros((10, 2)), np.zeros(10), batch_size=4, workers=2,
                               max_queue_size=3)
    assert (batches.workers, batches.max_queue_size, len(batches)) == (2, 3, 3)
