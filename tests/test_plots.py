import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from tlcourse import plots  # noqa: E402


def test_plots_draw_what_they_are_given():
    history = {"accuracy": [0.5, 0.9], "val_accuracy": [0.5, 0.7], "loss": [1, 0.2],
               "val_loss": [1, 0.8]}
    fig = plots.training_curves({"scratch": history})
    assert len(fig.axes[0].lines) == 2
    images = np.zeros((5, 8, 8, 3), dtype=np.uint8)
    assert len(plots.image_grid(images, [str(i) for i in range(5)], columns=3).axes) == 6
    fig = plots.confusion_matrix([0, 0, 1, 1], [0, 1, 1, 1], ["cats", "dogs"])
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["0", "1", "1", "2"]
    fig = plots.bars({"a": 0.9, "b": 0.8}, "accuracy")
    assert len(fig.axes[0].patches) == 2
    fig = plots.scatter_2d({"pixels": np.zeros((4, 2))}, [0, 1, 0, 1], ["cats", "dogs"])
    assert len(fig.axes[0].collections) == 2
    fig = plots.curves_with_bands([10, 20], {"features": np.ones((3, 2))}, "n", "acc")
    assert len(fig.axes[0].lines) == 1
    fig = plots.curves_with_bands([10, 20], {"a": np.ones((3, 2)), "b": np.ones((3, 2))}, "n",
                                  "acc", references={"b": 0.9}, reference_label=", all data")
    assert fig.axes[0].get_legend_handles_labels()[1] == ["a", "b", "b, all data"]


def test_word_map_labels_every_word():
    fig = plots.word_map(np.zeros((3, 2)), ["cat", "dog", "paris"], ["animal", "animal", "city"])
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["cat", "dog", "paris"]
    assert len(fig.axes[0].collections) == 2


def test_curves_with_bands_draws_levels_and_limits():
    import matplotlib.pyplot as plt

    runs = {"features": np.array([[0.8, 0.9], [0.82, 0.92]])}
    plots.curves_with_bands([10, 100], runs, "photos", "accuracy",
                            levels={"chance": 0.5, "zero-shot": 0.7}, ylim=(0, 1))
    ax = plt.gcf().axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["features", "chance", "zero-shot"]
    assert ax.get_ylim() == (0, 1)
    plt.close("all")
