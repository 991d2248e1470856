"""``python -m tlcourse bench``: the course against its baselines, as ratios in one process.

Each comparison runs both sides in the same process on the same data and weights and
reports their ratio (absolute times on shared machines are noisy; ratios are not).
``quick=True`` shrinks every measurement so CI can keep the command working.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import inspect
import json
import os
import tempfile
import time
from pathlib import Path
from unittest import mock

import keras
import numpy as np

from .. import backbones, datasets, embeddings, features, folders, models, results, settings
from . import read_records, replace_between_markers, save_record
from .repository import README, ROOT, commit, notebook_paths, versions

BACKBONE = "mobilenet_v2_0.35"
# Every full run's record is committed here; the README's performance section is generated
# from the records of the current measured code (``python -m tlcourse bench --readme``).
RECORDS = ROOT / "benchmarks"
SECTION_START, SECTION_END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"
# (measurement, where in a report, unit, goal): one README row each.
SUMMARY_ROWS = [
    ("P1 time to classifier, course, cold cache", ("P1", "cold_s"), "s", "—"),
    ("P1 time to classifier, tutorial recipe", ("P1", "baseline_s"), "s", "—"),
    ("P1 speed-up, cold cache", ("P1", "speedup_cold"), "×", "≥ 5×"),
    ("P1 speed-up, warm cache", ("P1", "speedup_warm"), "×", "—"),
    ("P1 validation accuracy, course", ("P1", "accuracy"), "", "≥ tutorial"),
    ("P1 validation accuracy, tutorial recipe", ("P1", "baseline_accuracy"), "", "—"),
    ("P2 photos on disk → features, efficiency vs in memory", ("P2", "efficiency"), "", "≥ 0.9"),
    ("P2 photos on disk → features", ("P2", "disk_photos_per_s"), "photos/s", "—"),
    ("P4 analogy evaluation speed-up over gensim", ("P4", "speedup"), "×", "≥ 20×"),
    ("P4 GloVe 6B 50 d load, cached", ("P4", "glove_cached_load_s"), "s", "≤ 2 s"),
    ("P5 scratch CNN training", ("P5", "images_per_s"), "images/s", "measured"),
]


def code_id() -> str:
    """A short hash of the benchmark and of the modules it measures: the "current code"."""
    digest = hashlib.sha256()
    for module in (inspect.getmodule(code_id), backbones, datasets, embeddings, features,
                   models):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:10]


@contextlib.contextmanager
def fresh_cache():
    """Point ``TLCOURSE_CACHE`` at an empty temporary folder (a cold cache) for a while."""
    with tempfile.TemporaryDirectory(prefix="tlcourse-bench-") as folder, \
            mock.patch.dict(os.environ, {folders.CACHE_ENV: folder}):
        features.feature_model.cache_clear()
        features.weights_id.cache_clear()
        datasets._verified_folders.clear()
        yield Path(folder)


def _timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def split_folder(split: str, folder: Path) -> Path:
    """``folder`` holding links to the course's ``split`` of cats vs dogs, one subfolder per
    class, as ``image_dataset_from_directory`` reads it (so both sides see the same photos)."""
    source = datasets.cats_vs_dogs_folder()
    files, labels = datasets.split_files(split)
    for name, label in zip(files, labels):
        link = folder / datasets.CATS_VS_DOGS.class_folders[label] / Path(name).name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(source / name)
    return folder


def tutorial_baseline(epochs: int, batches: int | None) -> float:
    """The public TensorFlow transfer-learning tutorial's recipe, as published, in Keras 3.

    Frozen MobileNetV2 inside the model behind its augmentation layers; photos decoded
    from JPEG and pushed through the backbone every epoch. It trains and is scored on the
    course's own train and validation photos (the archive's validation folder also holds the
    course's test split). Returns validation accuracy.
    """
    load = dict(batch_size=32, image_size=(224, 224), shuffle=True, seed=0, verbose=False)
    with tempfile.TemporaryDirectory(prefix="tlcourse-p1-") as folder:
        train, validation = (keras.utils.image_dataset_from_directory(
            split_folder(split, Path(folder) / split), **load) for split in ("train", "validation"))
        if batches is not None:
            train, validation = train.take(batches), validation.take(batches)
        return _fit_tutorial_model(train, validation, epochs)


def _fit_tutorial_model(train, validation, epochs: int) -> float:
    augmentation = keras.Sequential([keras.layers.RandomFlip("horizontal"),
                                     keras.layers.RandomRotation(0.2)])
    base = backbones.build(BACKBONE, pooling=None)
    base.trainable = False
    inputs = keras.Input((224, 224, 3))
    x = augmentation(inputs)
    x = keras.layers.Rescaling(1 / 127.5, offset=-1)(x)  # mobilenet_v2.preprocess_input
    x = base(x, training=False)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(0.2)(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    model.compile(optimizer=keras.optimizers.Adam(1e-4),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(threshold=0.0, name="accuracy")])
    history = model.fit(train, epochs=epochs, validation_data=validation, verbose=0)
    return float(history.history["val_accuracy"][-1])


def course_pipeline(per_class: int | None) -> float:
    """The course's pipeline: decode once, cached features, a linear head. Returns accuracy."""
    data = datasets.cats_vs_dogs(image_size=224, per_class=per_class)
    train = features.extract(BACKBONE, data.train).features
    validation = features.extract(BACKBONE, data.validation).features
    settings.set_seeds(0)
    head = models.linear_head(train.shape[1])
    head.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    head.fit(train, data.train.labels, epochs=30, batch_size=64, verbose=0)
    return head_accuracy(head, validation, data.validation.labels)


def head_accuracy(head: keras.Model, x, y) -> float:
    """Accuracy of a one-sigmoid-unit model at threshold 0.5 (Keras' ``BinaryAccuracy``)."""
    metric = keras.metrics.BinaryAccuracy(threshold=0.5)
    metric.update_state(y, head.predict(x, batch_size=64, verbose=0))
    return float(metric.result())


def p1_time_to_classifier(quick: bool) -> dict:
    """P1: wall time to an accurate cats-vs-dogs classifier, tutorial recipe vs course."""
    baseline_accuracy, baseline_s = _timed(lambda: tutorial_baseline(
        epochs=1 if quick else 10, batches=2 if quick else None))
    per_class = 16 if quick else None
    with fresh_cache():
        ours_accuracy, cold_s = _timed(lambda: course_pipeline(per_class))
        features.feature_model.cache_clear()
        _, warm_s = _timed(lambda: course_pipeline(per_class))
    return {"baseline_s": baseline_s, "baseline_accuracy": baseline_accuracy,
            "cold_s": cold_s, "warm_s": warm_s, "accuracy": ours_accuracy,
            "speedup_cold": baseline_s / cold_s, "speedup_warm": baseline_s / warm_s}


def p2_extraction_efficiency(quick: bool) -> dict:
    """P2: photos on disk → features, against the same backbone on in-memory tensors.

    Measured in rounds: each streams a slice of the photos from disk between two in-memory
    runs of the model, and its efficiency is the disk rate over the mean of those two. The
    median round is the result, so a drift of the machine's speed favours neither side.
    """
    count, rounds = (64, 2) if quick else (2500, 5)  # all of train and validation: 500 a round
    files, _ = datasets.split_files("train")
    validation_files, _ = datasets.split_files("validation")
    folder = datasets.cats_vs_dogs_folder()
    paths = [folder / f for f in (files + validation_files)[:count]]
    if len(paths) != count or count % rounds:
        raise ValueError(f"P2 needs {count} photos in {rounds} equal rounds; "
                         f"train and validation hold {len(paths)}")
    spec = backbones.get(BACKBONE)
    model = features.feature_model(BACKBONE, 224, "imagenet")
    batch_size = settings.profile().feature_batch_size  # the model's fastest, for both sides
    chunks = list(features.in_batches(paths, count // rounds))
    in_memory = datasets.decode_images(paths[:256], 224)
    # every batch shape a round will see (a round's last batch may be short) is traced here
    warm_up = [in_memory[:batch_size]] * 4 + [in_memory[:size] for size in
                                              {len(chunk) % batch_size for chunk in chunks} if size]
    features.compute(model, spec.preprocess, warm_up, sum(map(len, warm_up)), "warm-up")
    repeats = int(np.ceil(count / rounds / len(in_memory)))
    batches = [batch for _ in range(repeats)
               for batch in features.in_batches(in_memory, batch_size)]

    def memory_rate():
        _, seconds = _timed(lambda: features.compute(model, spec.preprocess, batches,
                                                     repeats * len(in_memory), "in memory"))
        return repeats * len(in_memory) / seconds

    memory_rates, disk_seconds = [memory_rate()], []
    for chunk in chunks:
        disk_seconds.append(_timed(lambda: features.extract_paths(BACKBONE, chunk, 224))[1])
        memory_rates.append(memory_rate())
    efficiencies = [len(chunk) / seconds / ((before + after) / 2)
                    for chunk, seconds, before, after
                    in zip(chunks, disk_seconds, memory_rates, memory_rates[1:])]
    streamed = sum(map(len, chunks))
    return {"photos": streamed, "batch_size": batch_size, "rounds": len(chunks),
            "disk_photos_per_s": streamed / sum(disk_seconds),
            "memory_photos_per_s": float(np.mean(memory_rates)),
            "efficiency": float(np.median(efficiencies)),
            "efficiency_per_round": [round(e, 3) for e in efficiencies]}


def p4_embeddings(quick: bool) -> dict:
    """P4: batched analogy evaluation vs gensim; GloVe loading cold, cached, from text."""
    vocabulary = 10_000 if quick else 100_000
    with fresh_cache():
        _, first_s = _timed(lambda: embeddings.load_glove(50))
        glove, cached_s = _timed(lambda: embeddings.load_glove(50))
        lines = 20_000 if quick else len(glove)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            for word, vector in zip(glove.index_to_key[:lines], glove.vectors[:lines]):
                handle.write(word + " " + " ".join(f"{v:.5f}" for v in vector) + "\n")
        with open(handle.name, encoding="utf-8") as text:
            _, text_s = _timed(lambda: embeddings.parse_glove_text(text))
        os.unlink(handle.name)
        ours, ours_s = _timed(lambda: embeddings.evaluate_analogies(glove,
                                                                     restrict_vocab=vocabulary))
        (gensim_accuracy, _), gensim_s = _timed(lambda: glove.evaluate_word_analogies(
            embeddings.datapath(embeddings.ANALOGIES), restrict_vocab=vocabulary))
    return {"restrict_vocab": vocabulary, "ours_s": ours_s, "gensim_s": gensim_s,
            "ours_accuracy": ours.accuracy, "gensim_accuracy": gensim_accuracy,
            "speedup": gensim_s / ours_s, "glove_first_load_s": first_s,
            "glove_cached_load_s": cached_s, "glove_text_parse_s": text_s * len(glove) / lines}


def p5_scratch_cnn(quick: bool) -> dict:
    """P5: the scratch CNN of notebook 02 at the profile's image size: images/s per step."""
    size = settings.profile().scratch_image_size
    steps = 3 if quick else 40
    data = datasets.cats_vs_dogs(image_size=size)
    model = models.scratch_cnn(size)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    x, y = np.asarray(data.train.images[:32]), data.train.labels[:32]
    model.train_on_batch(x, y)
    _, seconds = _timed(lambda: [model.train_on_batch(x, y) for _ in range(steps)])
    rate = steps * 32 / seconds
    return {"image_size": size, "images_per_s": rate, "epoch_s": len(data.train) / rate}


def p3_notebooks() -> list[dict]:
    """P3: every notebook headless in a fresh kernel: wall time and peak kernel memory."""
    from . import runner

    with tempfile.TemporaryDirectory() as folder:
        return [runner.execute_notebook(path, Path(folder), timeout=1800)
                for path in notebook_paths()]


def markdown(report: dict) -> str:
    """The report as a Markdown table: measurement, ours, baseline, ratio, goal."""
    p1, p2, p4, p5 = (report[k] for k in ("P1", "P2", "P4", "P5"))
    rows = [
        ("P1 time to classifier, cold cache", f"{p1['cold_s']:.0f} s (acc {p1['accuracy']:.3f})",
         f"{p1['baseline_s']:.0f} s (acc {p1['baseline_accuracy']:.3f})",
         f"{p1['speedup_cold']:.1f}×", "≥ 5×, acc ≥ baseline"),
        ("P1 time to classifier, warm cache", f"{p1['warm_s']:.1f} s",
         f"{p1['baseline_s']:.0f} s", f"{p1['speedup_warm']:.0f}×", "—"),
        ("P2 photos on disk → features", f"{p2['disk_photos_per_s']:.0f} photos/s",
         f"{p2['memory_photos_per_s']:.0f} photos/s in memory (batch {p2['batch_size']})",
         f"{p2['efficiency']:.2f} (median of {p2['rounds']} rounds)", "≥ 0.9"),
        (f"P4 analogies, restrict_vocab {p4['restrict_vocab']:,}",
         f"{p4['ours_s']:.2f} s (acc {p4['ours_accuracy']:.4f})",
         f"gensim {p4['gensim_s']:.1f} s (acc {p4['gensim_accuracy']:.4f})",
         f"{p4['speedup']:.1f}×", "≥ 20×, same accuracy"),
        ("P4 GloVe 6B 50 d load", f"cached {p4['glove_cached_load_s']:.2f} s",
         f"first {p4['glove_first_load_s']:.1f} s; text format {p4['glove_text_parse_s']:.1f} s",
         f"{p4['glove_text_parse_s'] / p4['glove_cached_load_s']:.0f}× vs text",
         "cached ≤ 2 s"),
        (f"P5 scratch CNN training at {p5['image_size']} px",
         f"{p5['images_per_s']:.0f} images/s", f"epoch of 2,000 photos {p5['epoch_s']:.1f} s",
         "—", "measured"),
    ]
    lines = [f"Benchmark ({report['machine']}, {report['date']}, backend {report['backend']}"
             f"{', quick mode' if report['quick'] else ''})", "",
             "| measurement | course | baseline | ratio | goal |", "|---|---|---|---|---|"]
    for notebook in report.get("P3", []):
        rows.append((f"P3 {notebook['notebook']}", f"{notebook['seconds'] / 60:.1f} min",
                     f"peak {notebook['peak_gb']:.2f} GB", notebook["outcome"], "≤ 2 GB"))
    if report.get("P3"):
        total = sum(n["seconds"] for n in report["P3"]) / 60
        rows.append(("P3 all notebooks", f"{total:.1f} min", "—", "—", "≤ 15 min"))
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def run(quick: bool, output: Path, notebooks: bool = True) -> dict:
    """Run every measurement, write ``bench.json`` and ``bench.md`` into ``output``.

    P3 (running every notebook) is skipped in quick mode or with ``notebooks=False``;
    CI runs the notebooks through nbval anyway.
    """
    report = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": results.machine(), "versions": versions(), "commit": commit(),
        "code": code_id(), "backend": keras.backend.backend(), "quick": quick,
        "P1": p1_time_to_classifier(quick), "P2": p2_extraction_efficiency(quick),
        "P4": p4_embeddings(quick), "P5": p5_scratch_cnn(quick),
        "P3": p3_notebooks() if notebooks and not quick else [],
        "load_average": os.getloadavg()[0],  # 1-minute load at the end: other work sharing the CPU
    }
    output.mkdir(parents=True, exist_ok=True)
    (output / "bench.json").write_text(json.dumps(report, indent=1))
    if not quick:
        save_record(report, RECORDS)
        update_readme(load_records())
    table = markdown(report)
    (output / "bench.md").write_text(table + "\n")
    print(json.dumps(report, indent=1))
    print(table)
    return report


def load_records(folder: Path = RECORDS) -> list[dict]:
    """Every committed full run, oldest first."""
    return read_records(folder)


def summary_table(records: list[dict]) -> str:
    """Median and range over every run of the newest measured code, one row per measurement."""
    if not records:
        return "No benchmark record yet: `python -m tlcourse bench` writes one into benchmarks/."
    current = [r for r in records if r["code"] == records[-1]["code"]]
    first, last = current[0], current[-1]
    lines = [f"{len(current)} run(s) of the current code (`{last['code']}`), "
             f"{first['date'][:10]} to {last['date'][:10]}, {last['machine']}, backend "
             f"{last['backend']} {last['versions'].get(last['backend'], '')}, load average "
             f"{min(r['load_average'] for r in current):.1f}–"
             f"{max(r['load_average'] for r in current):.1f} at the end of a run; median "
             "[min–max] over the runs (`python -m tlcourse bench`, records in `benchmarks/`).",
             "", "| measurement | median | range | runs | goal |", "|---|---|---|---|---|"]
    for label, (part, key), unit, goal in SUMMARY_ROWS:
        values = np.array([r[part][key] for r in current])
        digits = 3 if values.max() < 10 else 1 if values.max() < 100 else 0
        unit_text = f" {unit}" if unit and unit != "×" else unit
        lines.append(f"| {label} | {np.median(values):.{digits}f}{unit_text} | "
                     f"{values.min():.{digits}f}–{values.max():.{digits}f} | {len(values)} | "
                     f"{goal} |")
    with_notebooks = [r for r in current if r.get("P3")]
    if with_notebooks:
        totals = np.array([sum(n["seconds"] for n in r["P3"]) / 60 for r in with_notebooks])
        lines.append(f"| P3 all notebooks, wall time | {np.median(totals):.1f} min | "
                     f"{totals.min():.1f}–{totals.max():.1f} | {len(totals)} | ≤ 20 min |")
    return "\n".join(lines)


def update_readme(records: list[dict], readme: Path = README) -> None:
    """Replace the README's performance table (between its markers) by ``summary_table``."""
    replace_between_markers(readme, SECTION_START, SECTION_END, summary_table(records))
