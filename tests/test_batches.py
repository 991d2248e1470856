import numpy as np

from tlcourse.batches import Batches


def test_batches_serve_array_rows_with_a_fixed_step_budget():
    inputs = np.arange(10)[:, None] * np.ones((1, 3))
    labels = np.arange(10)
    batches = Batches(inputs, labels, batch_size=4, shuffle=True, seed=1, steps=5)
    rows = [batches[i] for i in range(len(batches))]
    assert len(rows) == 5
    for x, y in rows:
        assert (x[:, 0] == y).all()
    assert sorted(batches.order[:10]) == list(range(10))


def test_batches_pass_keras_loader_options_on():
    batches = Batches(np.zeros((10, 2)), np.zeros(10), batch_size=4, workers=2,
                               max_queue_size=3)
    assert (batches.workers, batches.max_queue_size, len(batches)) == (2, 3, 3)
