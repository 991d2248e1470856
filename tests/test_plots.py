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
    at = {tuple(np.round(t.get_position()).astype(int)): t.get_text() for t in fig.axes[0].texts}
    assert at[(0, 1)] == "0" and at[(1, 0)] == "1"  # (predicted, true): no dog taken for a cat
    fig = plots.bars({"a": 0.9, "b": 0.8}, "accuracy")
    assert len(fig.axes[0].patches) == 2
    fig = plots.scatter_2d({"pixels": np.zeros((4, 2))}, [0, 1, 0, 1], ["cats", "dogs"])
    assert len(fig.axes[0].collections) == 2
    fig = plots.curves_with_bands([10, 20], {"features": np.ones((3, 2))}, "n", "acc")
    assert len(fig.axes[0].lines) == 1
    fig = plots.curves_with_bands([10, 20], {"a": np.ones((3, 2)), "b": np.ones((3, 2))}, "n",
                                  "acc", references={"b": 0.9}, reference_label=", all data")
    assert fig.axes[0].get_legend_handles_labels()[1] == ["a", "b", "b, all data"]


def test_bars_draw_each_interval_around_its_value():
    fig = plots.bars({"a": 0.9, "b": 0.8}, "accuracy", intervals={"a": (0.85, 0.93)})
    (bars_drawn,) = [c for c in fig.axes[0].containers if hasattr(c, "has_yerr")]
    segments = bars_drawn.lines[2][0].get_segments()
    assert [tuple(np.round(s[:, 1], 3)) for s in segments] == [(0.85, 0.93), (0.8, 0.8)]


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


def test_curves_with_bands_can_put_the_legend_outside_the_axes():
    import matplotlib.pyplot as plt

    runs = {"a": np.ones((3, 2)), "b": np.zeros((3, 2))}
    inside = plots.curves_with_bands([10, 100], runs, "n", "accuracy").axes[0].get_legend()
    outside = plots.curves_with_bands([10, 100], runs, "n", "accuracy",
                                      legend_outside=True).axes[0].get_legend()
    assert inside.get_bbox_to_anchor() != outside.get_bbox_to_anchor()
    assert outside.get_bbox_to_anchor().x0 > outside.axes.bbox.x1
    plt.close("all")


def test_two_stage_curves_join_the_stages_and_mark_where_fine_tuning_starts():
    stage1 = {"accuracy": [0.5, 0.6, 0.7], "val_accuracy": [0.5, 0.55, 0.6],
              "loss": [1, 0.8, 0.7], "val_loss": [1, 0.9, 0.85]}
    stage2 = {"accuracy": [0.8, 0.9], "val_accuracy": [0.7, 0.75], "loss": [0.5, 0.4],
              "val_loss": [0.7, 0.6]}
    fig = plots.two_stage_curves(stage1, stage2)
    train, validation, marker = fig.axes[0].lines
    assert list(train.get_ydata()) == [0.5, 0.6, 0.7, 0.8, 0.9]
    assert list(validation.get_ydata()) == [0.5, 0.55, 0.6, 0.7, 0.75]
    assert list(marker.get_xdata()) == [3.5, 3.5]


def test_learning_rate_sweep_marks_the_chosen_rate_on_a_log_axis():
    fig = plots.learning_rate_sweep([1e-5, 1e-4, 1e-3], [0.5, 0.55, 2.0], 1e-4, reference=0.52)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert list(ax.collections[0].get_offsets()[0]) == [1e-4, 0.55]


def test_heatmaps_lay_each_map_over_its_photo():
    images = np.zeros((3, 64, 64, 3), dtype=np.uint8)
    maps = np.random.default_rng(0).random((3, 8, 8))
    fig = plots.heatmaps(images, maps, ["a", "b", "c"], columns=2)
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == 3 and all(len(ax.images) == 2 for ax in drawn)
    assert drawn[0].images[1].get_extent() == drawn[0].images[0].get_extent()
