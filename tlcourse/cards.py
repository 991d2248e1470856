"""Expected-results cards: each notebook's main numbers as mean ± sd over seeded runs.

A notebook's last cell calls ``show(NOTEBOOK)``: the card, read from
``tlcourse/expected_results.json``, next to the values of the learner's own run.
``python -m tlcourse cards`` (``tlcourse.maintainer.cardgen``) writes that file.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import results

EXPECTED = Path(__file__).with_name("expected_results.json")
# The cross-notebook comparison: (approach, task, split measured on, notebook, recorded
# name). Runtime data, not maintainer data: notebook 00 shows it (comparison_table) from the
# installed package, and the README copies the same table.
COMPARISON = [
    ("zero-shot: the ImageNet classifier alone (MobileNet α 0.25)",
     "cats vs dogs, no training photo", "test", "05_how_much_data",
     "near_zero_shot_test_accuracy"),
    ("scratch CNN", "cats vs dogs, 2,000 photos", "test", "02_scratch_cnn_overfits",
     "test_accuracy"),
    ("scratch CNN + augmentation + dropout", "cats vs dogs, 2,000 photos", "test",
     "02_scratch_cnn_overfits", "test_accuracy_augmented"),
    ("feature extraction, MobileNet α 0.25", "cats vs dogs, 2,000 photos", "test",
     "03_feature_extraction", "mobilenet_0.25_test_accuracy"),
    ("feature extraction, MobileNetV2 α 0.35", "cats vs dogs, 2,000 photos", "test",
     "03_feature_extraction", "mobilenet_v2_0.35_test_accuracy"),
    ("the same, random weights (what pretraining buys)", "cats vs dogs, 2,000 photos", "test",
     "03_feature_extraction", "random_weights_test_accuracy"),
    ("fine-tuning the top blocks, MobileNetV2 α 0.35", "cats vs dogs, 2,000 photos", "test",
     "03_feature_extraction", "fine_tuned_test_accuracy"),
    ("compact CNN from scratch, 64 px", "cats vs dogs, 10 photos per class", "test",
     "05_how_much_data", "near_scratch_10_per_class"),
    ("feature extraction, MobileNetV2 α 0.35", "cats vs dogs, 10 photos per class", "test",
     "05_how_much_data", "near_features_10_per_class"),
    ("compact CNN from scratch, 64 px", "EuroSAT (far), 10 photos per class", "test",
     "05_how_much_data", "far_scratch_10_per_class"),
    ("feature extraction, MobileNetV2 α 0.35 at 96 px", "EuroSAT (far), 10 photos per class",
     "test", "05_how_much_data", "far_features_96px_10_per_class"),
    ("compact CNN from scratch, 64 px", "EuroSAT (far), 200 photos per class", "test",
     "05_how_much_data", "far_scratch_200_per_class"),
    ("feature extraction, MobileNetV2 α 0.35 at 96 px", "EuroSAT (far), 200 photos per class",
     "test", "05_how_much_data", "far_features_96px_200_per_class"),
    ("frozen MobileNetV2 α 0.35 + head, 64 px", "EuroSAT (far), 200 photos per class", "test",
     "04_fine_tuning", "frozen_test_accuracy"),
    ("fine-tuning all blocks but the first, 64 px", "EuroSAT (far), 200 photos per class", "test",
     "04_fine_tuning", "fine_tuned_test_accuracy"),
    ("the kept model: frozen head, or fine-tuned when ahead beyond the noise",
     "your own folder (demo: 206 photos)",
     "validation", "09_your_own_images", "assembled_val_accuracy"),
    ("text: embeddings from scratch", "BBC News, all articles", "test", "07_text_transfer",
     "scratch_test_accuracy_all"),
    ("text: frozen GloVe", "BBC News, all articles", "test", "07_text_transfer",
     "frozen GloVe_test_accuracy_all"),
    ("text: fine-tuned GloVe", "BBC News, all articles", "test", "07_text_transfer",
     "fine-tuned GloVe_test_accuracy_all"),
    ("text: embeddings from scratch", "BBC News, 5 articles per topic", "test",
     "07_text_transfer", "scratch_test_accuracy_5_per_topic"),
    ("text: frozen GloVe", "BBC News, 5 articles per topic", "test", "07_text_transfer",
     "frozen GloVe_test_accuracy_5_per_topic"),
    ("text: TF-IDF + logistic regression", "BBC News, all articles", "test", "07_text_transfer",
     "tfidf_logreg_test_accuracy_all"),
    ("text: mean GloVe + logistic regression", "BBC News, all articles", "test",
     "07_text_transfer", "mean_glove_logreg_test_accuracy_all"),
    ("text: TF-IDF + logistic regression", "BBC News, 5 articles per topic", "test",
     "07_text_transfer", "tfidf_logreg_test_accuracy_5_per_topic"),
    ("text: mean GloVe + logistic regression", "BBC News, 5 articles per topic", "test",
     "07_text_transfer", "mean_glove_logreg_test_accuracy_5_per_topic"),
    ("transformer: zero-shot from topic descriptions (all-MiniLM-L6-v2)",
     "BBC News, no training label (validation picks the wording)", "test", "08_transformers",
     "zero_shot_test_accuracy"),
    ("transformer: frozen all-MiniLM-L6-v2 + logistic regression", "BBC News, all articles",
     "test", "08_transformers", "frozen_test_accuracy_all"),
    ("transformer: frozen all-MiniLM-L6-v2 + logistic regression",
     "BBC News, 5 articles per topic", "test", "08_transformers",
     "frozen_test_accuracy_5_per_topic"),
    ("transformer: all-MiniLM-L6-v2 fine-tuned in two stages", "BBC News, 5 articles per topic",
     "test", "08_transformers", "fine_tuned_test_accuracy_5_per_topic"),
    ("transformer: the same architecture from random weights", "BBC News, 5 articles per topic",
     "test", "08_transformers", "random_init_test_accuracy_5_per_topic"),
]


def load(path: Path = EXPECTED) -> dict | None:
    """The expected results shipped with the course, or None if never generated."""
    return json.loads(path.read_text()) if path.exists() else None


def format_summary(summary: dict, runs: int) -> str:
    """``mean ± sd unit``, saying so when fewer than ``runs`` runs measured it."""
    unit = f" {summary['unit']}" if summary["unit"] else ""
    if summary["n"] == 1:
        return f"{summary['mean']:.3f}{unit} (1 of {runs} runs measured it)"
    text = f"{summary['mean']:.3f} ± {summary['sd']:.3f}{unit}"
    return text if summary["n"] == runs else f"{text} ({summary['n']} of {runs} runs)"


def card_markdown(notebook: str, expected: dict, yours: dict[str, dict] | None = None) -> str:
    """One notebook's card as Markdown: expected mean ± sd, and this run's value."""
    entry = expected["notebooks"].get(notebook)
    if entry is None:
        return f"No expected results recorded for {notebook}."
    runs = len(entry["seeds"])
    lines = [f"**Expected results** — profile `{expected['profile']}`, {expected['machine']}, "
             f"backend {expected['backend']}, {entry['date']}; mean ± sd over {runs} runs "
             f"(`TLCOURSE_SEED` 0–{runs - 1}); about {entry['minutes']:.1f} min and "
             f"{entry['peak_gb']:.1f} GB per run.", "",
             "| result | expected | your run |", "|---|---|---|"]
    yours = yours or {}
    for name, summary in entry["results"].items():
        mine = yours.get(name)
        mine_text = f"{mine['value']:.3f}" if mine else "—"
        if mine and mine["profile"] != expected["profile"]:
            mine_text += f" (profile {mine['profile']})"
        lines.append(f"| {name} | {format_summary(summary, runs)} | {mine_text} |")
    return "\n".join(lines)


def show(notebook: str):
    """Display ``notebook``'s expected-results card in Jupyter (returns the Markdown)."""
    from IPython.display import Markdown, display

    expected = load()
    if expected is None:
        text = "No expected results yet: `python -m tlcourse cards` generates them."
    else:
        text = card_markdown(notebook, expected, results.of(notebook))
    display(Markdown(text))
    return text


def comparison_table(expected: dict) -> str:
    """The cross-notebook table (notebook 00, the README): approach, task, split, accuracy."""
    entries = expected["notebooks"].values()
    runs = min(len(entry["seeds"]) for entry in entries)
    dates = sorted({entry["date"] for entry in entries})
    period = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    lines = [f"Accuracy, mean ± sd over {runs} runs (`TLCOURSE_SEED` 0–{runs - 1}); profile "
             f"`{expected['profile']}`, {expected['machine']}, backend {expected['backend']}, "
             f"{period} "
             "(`python -m tlcourse cards`). The split column says where each accuracy was "
             "measured: a held-out test split is touched once per run.", "",
             "| approach | task | split | accuracy | notebook |", "|---|---|---|---|---|"]
    for approach, task, split, notebook, name in COMPARISON:
        summary = expected["notebooks"].get(notebook, {}).get("results", {}).get(name)
        if summary is not None:
            lines.append(f"| {approach} | {task} | {split} | "
                         f"{format_summary(summary, len(expected['notebooks'][notebook]['seeds']))} | "
                         f"{notebook} |")
    return "\n".join(lines)

