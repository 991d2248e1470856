"""Plots a learner would rather look at than read: curves, grids, matrices, maps, bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def training_curves(histories: dict[str, dict], metrics=("accuracy", "loss"), title: str = ""):
    """Train (solid) and validation (dashed) curves for one or more Keras histories.

    ``histories`` maps a run name to ``history.history``.
    """
    fig, axes = plt.subplots(1, len(metrics), figsize=(6 * len(metrics), 4))
    axes = np.atleast_1d(axes)
    for ax, metric in zip(axes, metrics):
        for index, (name, history) in enumerate(histories.items()):
            color = f"C{index}"
            epochs = np.arange(1, len(history[metric]) + 1)
            ax.plot(epochs, history[metric], color=color, label=f"{name} train")
            if f"val_{metric}" in history:
                ax.plot(epochs, history[f"val_{metric}"], color=color, linestyle="--",
                        label=f"{name} validation")
        _label_epoch_axes(ax, metric)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _label_epoch_axes(ax, metric: str) -> None:
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def image_grid(images, titles=None, columns: int = 6, size: float = 2.0, title: str = ""):
    """Show uint8 images in a grid with optional per-image titles."""
    count = len(images)
    rows = max(1, int(np.ceil(count / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows + 0.4))
    for index, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.axis("off")
        if index < count:
            ax.imshow(np.asarray(images[index]).astype("uint8"))
            if titles is not None:
                ax.set_title(titles[index], fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(y_true, y_pred, class_names, title: str = "Confusion matrix"):
    """Counts of true class (rows) vs predicted class (columns), annotated (scikit-learn's
    ``ConfusionMatrixDisplay``)."""
    from sklearn.metrics import ConfusionMatrixDisplay

    classes = len(class_names)
    fig, ax = plt.subplots(figsize=(1.6 * classes + 1.5, 1.6 * classes + 1))
    ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=range(classes), display_labels=class_names, cmap="Blues",
        colorbar=False, ax=ax)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def scatter_2d(panels: dict[str, np.ndarray], labels, class_names, title: str = ""):
    """Side-by-side 2-D maps (e.g. PCA of pixels vs of features), coloured by class."""
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4.5))
    labels = np.asarray(labels)
    for ax, (name, points) in zip(np.atleast_1d(axes), panels.items()):
        for index, class_name in enumerate(class_names):
            chosen = labels == index
            ax.scatter(points[chosen, 0], points[chosen, 1], s=6, alpha=0.6, label=class_name)
        ax.set_title(name)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.legend(markerscale=3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def bars(values: dict[str, float], ylabel: str, title: str = "", fmt: str = "{:.3f}",
         ylim=None, intervals: dict[str, tuple[float, float]] | None = None):
    """A labelled bar chart of one number per name; ``intervals`` (low, high) per name draws
    each one's interval as an error bar (e.g. from ``stats.accuracy_interval``)."""
    fig, ax = plt.subplots(figsize=(max(4, 1.3 * len(values)), 3.5))
    positions = np.arange(len(values))
    heights = np.array(list(values.values()), dtype=float)
    ax.bar(positions, heights, color=[f"C{i}" for i in positions])
    tops = heights
    if intervals:
        low, high = (np.array([intervals.get(name, (value, value))[i] for name, value
                               in values.items()]) for i in (0, 1))
        ax.errorbar(positions, heights, yerr=[heights - low, high - heights], fmt="none",
                    ecolor="black", capsize=4, linewidth=1)
        tops = high
    for x, value, top in zip(positions, heights, tops):
        ax.text(x, top, fmt.format(value), ha="center", va="bottom", fontsize=9)
    ax.set_xticks(positions, list(values), rotation=20, ha="right")
    ax.set_ylabel(ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def curves_with_bands(sizes, runs: dict[str, np.ndarray], xlabel: str, ylabel: str,
                      title: str = "", log_x: bool = True,
                      references: dict[str, float] | None = None, reference_label: str = "",
                      levels: dict[str, float] | None = None, ylim: tuple | None = None,
                      legend_outside: bool = False):
    """Mean line with ± 1 sd band per method; ``runs[name]`` is (seeds, len(sizes)).

    ``references[name]`` draws a dashed level in that method's colour (for example its
    accuracy with all the data), labelled ``name`` + ``reference_label``. ``levels`` draws
    grey dotted levels that belong to no method (chance, a zero-shot accuracy).
    ``legend_outside`` puts the legend right of the axes (for many methods).
    """
    fig, ax = plt.subplots(figsize=(10, 4.5) if legend_outside else (7, 4.5))
    for index, (name, values) in enumerate(runs.items()):
        values = np.asarray(values)
        mean, sd = values.mean(axis=0), values.std(axis=0)
        ax.plot(sizes, mean, marker="o", color=f"C{index}", label=name)
        ax.fill_between(sizes, mean - sd, mean + sd, color=f"C{index}", alpha=0.2)
        if references and name in references:
            ax.axhline(references[name], color=f"C{index}", linestyle="--", linewidth=1,
                       label=f"{name}{reference_label}")
    for index, (name, level) in enumerate((levels or {}).items()):
        ax.axhline(level, color=("0.2", "0.55", "0.75")[index % 3], linestyle=":",
                   linewidth=1.5, label=name)
    if ylim:
        ax.set_ylim(*ylim)
    if log_x:
        ax.set_xscale("log")
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if legend_outside:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=9)
    else:
        ax.legend()
    ax.set_title(title)
    fig.tight_layout()
    return fig


def transfer_learning_diagram():
    """Traditional ML (one isolated model per task) vs transfer learning (knowledge reused)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))

    def box(ax, x, y, text, color):
        ax.text(x, y, text, ha="center", va="center", fontsize=10, wrap=True,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": color, "edgecolor": "0.3"})

    def arrow(ax, start, end, text=""):
        ax.annotate("", xy=end, xytext=start,
                    arrowprops={"arrowstyle": "->", "lw": 1.8, "color": "0.25"})
        if text:
            ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.05, text,
                    ha="center", fontsize=9, style="italic")

    for ax, title in ((left, "Traditional machine learning"), (right, "Transfer learning")):
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        ax.set_title(title, fontsize=13, weight="bold")
    for y, task in ((0.75, "Task 1: ImageNet\n(1.2 M photos)"), (0.25, "Task 2: cats vs dogs\n(2,000 photos)")):
        box(left, 0.2, y, task, "#dbe9f6")
        box(left, 0.8, y, "Model " + task[5], "#f6e2c8")
        arrow(left, (0.38, y), (0.64, y), "learn from scratch")
    box(right, 0.2, 0.75, "Source task: ImageNet\n(1.2 M photos)", "#dbe9f6")
    box(right, 0.8, 0.75, "Pretrained model", "#f6e2c8")
    box(right, 0.2, 0.25, "Target task: cats vs dogs\n(2,000 photos)", "#dbe9f6")
    box(right, 0.8, 0.25, "Target model", "#d5efd5")
    arrow(right, (0.38, 0.75), (0.64, 0.75), "learn once")
    arrow(right, (0.8, 0.66), (0.8, 0.34), "")
    right.text(0.83, 0.5, "knowledge:\nfeatures, weights", fontsize=9, style="italic")
    arrow(right, (0.4, 0.25), (0.64, 0.25), "learn a little")
    fig.tight_layout()
    return fig


def word_map(points: np.ndarray, words: list[str], groups: list[str], title: str = ""):
    """Labelled 2-D word positions (e.g. PCA of embeddings), one colour per group."""
    fig, ax = plt.subplots(figsize=(9, 6.5))
    for index, group in enumerate(dict.fromkeys(groups)):
        chosen = [i for i, g in enumerate(groups) if g == group]
        ax.scatter(points[chosen, 0], points[chosen, 1], color=f"C{index}", label=group)
        for i in chosen:
            ax.annotate(words[i], points[i], fontsize=9, xytext=(3, 3),
                        textcoords="offset points")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend()
    ax.set_title(title)
    fig.tight_layout()
    return fig


def two_stage_curves(stage1: dict, stage2: dict, metrics=("accuracy", "loss"), title: str = ""):
    """Stage 1 (head on the frozen base) and stage 2 (fine-tuning) as one curve per metric.

    Both arguments are ``history.history`` dicts; a vertical line marks where fine-tuning
    starts. Train solid, validation dashed.
    """
    fig, axes = plt.subplots(1, len(metrics), figsize=(6 * len(metrics), 4))
    first = len(stage1[metrics[0]])
    for ax, metric in zip(np.atleast_1d(axes), metrics):
        for split, style in ((metric, "-"), (f"val_{metric}", "--")):
            values = list(stage1[split]) + list(stage2[split])
            ax.plot(np.arange(1, len(values) + 1), values, style, color="C0" if style == "-"
                    else "C1", label="train" if style == "-" else "validation")
        ax.axvline(first + 0.5, color="0.3", linestyle=":")
        ax.text(first + 0.7, 0.02, "fine-tuning starts", transform=ax.get_xaxis_transform(),
                fontsize=9, color="0.3")
        _label_epoch_axes(ax, metric)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def learning_rate_sweep(rates, losses, chosen: float, reference: float | None = None,
                        reference_label: str = "", title: str = ""):
    """Validation loss after a short run at each learning rate (log x), the chosen one marked."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot(rates, losses, marker="o")
    ax.scatter([chosen], [losses[list(rates).index(chosen)]], s=160, facecolors="none",
               edgecolors="C3", linewidths=2, label=f"chosen: {chosen:g}", zorder=3)
    if reference is not None:
        ax.axhline(reference, color="0.4", linestyle="--", linewidth=1, label=reference_label)
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("validation loss after the short run")
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(title)
    fig.tight_layout()
    return fig


def heatmaps(images, maps, titles, columns: int = 4, size: float = 2.4, title: str = ""):
    """Each uint8 image with its heat map (values 0–1, any resolution) laid over it."""
    fig = image_grid(images, titles, columns=columns, size=size, title=title)
    for ax, image, heat in zip(fig.axes, images, maps):
        height, width = np.asarray(image).shape[:2]
        ax.imshow(heat, cmap="jet", alpha=0.4, extent=(-0.5, width - 0.5, height - 0.5, -0.5),
                  interpolation="bilinear", vmin=0, vmax=1)
    return fig
