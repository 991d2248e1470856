"""P6 of ``python -m tlcourse bench``: sentence embeddings, the course's KerasHub path against
sentence-transformers, on the same BBC articles at the same sequence length.

Each side runs in a fresh Python process of its own (TensorFlow and PyTorch are never loaded
together), the two alternating run by run. A process loads the model, embeds one batch to warm
up, then times the embedding of every article; the parent compares the two sets of vectors
(cosine, article by article) and the speeds. Records go to ``benchmarks/p6/``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .. import encoders, results, texts
from . import read_records, replace_between_markers, save_record
from .repository import README, ROOT, commit

RECORDS = ROOT / "benchmarks" / "p6"
SECTION_START, SECTION_END = "<!-- p6-table:start -->", "<!-- p6-table:end -->"
SIDES = ("keras_hub", "sentence_transformers")


def code_id() -> str:
    """A short hash of this benchmark, of the encoder module it measures and of the module
    that picks its articles (``texts.bbc_news``' test split)."""
    digest = hashlib.sha256()
    for module in (inspect.getmodule(code_id), encoders, texts):
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:10]


def embed(side: str, articles: list[str], length: int, batch_size: int) -> tuple[np.ndarray, float]:
    """One side's unit-length embeddings of ``articles`` and the seconds they took (warm)."""
    folder = str(encoders.encoder_folder(download=False))
    if side == "keras_hub":
        backbone, tokenizer = encoders.load_encoder(download=False)
        encoders.sentence_embeddings(backbone, tokenizer, articles[:batch_size], length,
                                     batch_size, description=None)  # warm-up: traces once
        start = time.perf_counter()
        vectors = encoders.sentence_embeddings(backbone, tokenizer, articles, length, batch_size,
                                               description=None)
    else:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(folder, device="cpu")
        model.max_seq_length = length
        model.encode(articles[:batch_size], batch_size=batch_size)  # warm-up
        start = time.perf_counter()
        vectors = model.encode(articles, batch_size=batch_size, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32), time.perf_counter() - start


def _in_own_process(side: str, articles: list[str], length: int, batch_size: int,
                    folder: Path) -> tuple[np.ndarray, float]:
    """``embed`` in a fresh interpreter; its vectors travel through ``folder``."""
    source, target = folder / "articles.json", folder / f"{side}.npy"
    source.write_text(json.dumps(articles))
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    finished = subprocess.run(
        [sys.executable, "-m", __name__, side, str(source), str(target), str(length),
         str(batch_size)], capture_output=True, text=True, env=environment)
    if finished.returncode:
        raise RuntimeError(f"the {side} side failed:\n{finished.stderr[-2000:]}")
    return np.load(target, allow_pickle=False), float(finished.stdout.strip().splitlines()[-1])


def measure(count: int = 444, runs: int = 3, length: int = encoders.SEQUENCE_LENGTH,
            batch_size: int = encoders.BATCH_SIZE) -> dict:
    """Alternate the two sides ``runs`` times on the first ``count`` BBC test articles."""
    articles = texts.bbc_news(seed=0).test.texts[:count]
    rates: dict[str, list[float]] = {side: [] for side in SIDES}
    vectors = {}
    with tempfile.TemporaryDirectory(prefix="tlcourse-p6-") as folder:
        for _ in range(runs):
            for side in SIDES:
                vectors[side], seconds = _in_own_process(side, articles, length, batch_size,
                                                         Path(folder))
                rates[side].append(len(articles) / seconds)
    cosine = np.sum(vectors["keras_hub"] * vectors["sentence_transformers"], axis=1)
    ratios = np.array(rates["keras_hub"]) / np.array(rates["sentence_transformers"])
    return {"articles": len(articles), "length": length, "batch_size": batch_size,
            "runs": runs, "articles_per_s": rates, "ratio_per_run": ratios.tolist(),
            "ratio": float(np.median(ratios)), "cosine_min": float(cosine.min()),
            "cosine_median": float(np.median(cosine))}


def run(quick: bool, output: Path) -> dict:
    """Measure P6, write ``p6.json`` into ``output`` and, unless ``quick``, a record."""
    import importlib.metadata

    report = measure(count=64, runs=1) if quick else measure()
    report.update(date=datetime.datetime.now().isoformat(timespec="seconds"),
                  machine=results.machine(), commit=commit(), code=code_id(), quick=quick,
                  load_average=os.getloadavg()[0],
                  versions={name: importlib.metadata.version(name) for name in (
                      "keras", "keras-hub", "tensorflow", "torch", "sentence-transformers")})
    output.mkdir(parents=True, exist_ok=True)
    (output / "p6.json").write_text(json.dumps(report, indent=1))
    if not quick:
        save_record(report, RECORDS)
        update_readme(load_records())
    print(summary_table([report]))
    return report


def load_records(folder: Path = RECORDS) -> list[dict]:
    """Every committed P6 run, oldest first."""
    return read_records(folder)


def summary_table(records: list[dict]) -> str:
    """Median and range over every run of the newest measured code."""
    if not records:
        return "No P6 record yet: `python -m tlcourse bench --p6` writes one into benchmarks/p6/."
    current = [r for r in records if r["code"] == records[-1]["code"]]
    last = current[-1]
    keras_rates = np.concatenate([r["articles_per_s"]["keras_hub"] for r in current])
    peer_rates = np.concatenate([r["articles_per_s"]["sentence_transformers"] for r in current])
    ratios = np.concatenate([r["ratio_per_run"] for r in current])
    cosine = min(r["cosine_min"] for r in current)
    versions = last["versions"]
    rows = [("P6 sentence embeddings, course (KerasHub, TensorFlow "
             f"{versions['tensorflow']})", keras_rates, "articles/s", "—"),
            (f"P6 sentence embeddings, sentence-transformers {versions['sentence-transformers']} "
             f"(PyTorch {versions['torch']})", peer_rates, "articles/s", "—"),
            ("P6 speed ratio, course / sentence-transformers", ratios, "×", "≥ 1.0")]
    lines = [f"{len(current)} record(s) of the current code (`{last['code']}`), {last['date'][:10]}, "
             f"{last['machine']}, {last['articles']} BBC test articles at {last['length']} "
             f"tokens, batches of {last['batch_size']}, each side in its own process, warm, the "
             f"two alternating; load average {last['load_average']:.1f} at the end; median "
             "[min–max] over every run (`python -m tlcourse bench --p6`, records in "
             "`benchmarks/p6/`).", "",
             "| measurement | median | range | runs | goal |", "|---|---|---|---|---|"]
    for label, values, unit, goal in rows:
        unit_text = unit if unit == "×" else f" {unit}"
        lines.append(f"| {label} | {np.median(values):.2f}{unit_text} | {values.min():.2f}–"
                     f"{values.max():.2f} | {len(values)} | {goal} |")
    lines.append(f"| P6 cosine between the two embeddings, lowest article | {cosine:.6f} | — | "
                 f"{len(current)} | ≥ 0.9999 |")
    return "\n".join(lines)


def update_readme(records: list[dict], readme: Path = README) -> None:
    """Replace the README's P6 table (between its markers) by ``summary_table``."""
    replace_between_markers(readme, SECTION_START, SECTION_END, summary_table(records))


def _worker(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="one side of P6, in its own process")
    parser.add_argument("side", choices=SIDES)
    parser.add_argument("articles", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("length", type=int)
    parser.add_argument("batch_size", type=int)
    args = parser.parse_args(argv)
    vectors, seconds = embed(args.side, json.loads(args.articles.read_text()), args.length,
                             args.batch_size)
    np.save(args.target, vectors)
    print(seconds)


if __name__ == "__main__":
    _worker(sys.argv[1:])
