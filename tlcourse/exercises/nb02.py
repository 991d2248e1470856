"""Exercises of notebook 02: a CNN from scratch overfits."""

from __future__ import annotations

from . import exercise


@exercise("02.params_at_150",
          "How many parameters does the scratch CNN have at the article's 150 × 150 px input?",
          "Build tlcourse.models.scratch_cnn(150) and call count_params(). Why does it grow? "
          "The Flatten output (height × width × 128) feeds a Dense layer of 512 units.")
def params_at_150() -> int:
    from ..models import scratch_cnn

    return scratch_cnn(150).count_params()


@exercise("02.flatten_size",
          "How many numbers does the Flatten layer output at 64 × 64 px input?",
          "Each 3 × 3 convolution without padding removes 2 pixels, each pooling halves "
          "(rounding down): 64 → 62 → 31 → 29 → 14 → 12 → 6; then multiply by 128 filters.")
def flatten_size() -> int:
    from ..models import scratch_cnn

    model = scratch_cnn(64)
    flatten = next(layer for layer in model.layers if layer.name.startswith("flatten"))
    return int(flatten.output.shape[-1])


@exercise("02.dense_share",
          "What fraction of the scratch CNN's parameters (64 px) sits in its first Dense layer? "
          "Answer a number between 0 and 1.",
          "Find the first layer whose name starts with 'dense', divide its count_params() by "
          "the model's count_params().", tolerance=0.01)
def dense_share() -> float:
    from ..models import scratch_cnn

    model = scratch_cnn(64)
    first_dense = next(layer for layer in model.layers if layer.name.startswith("dense"))
    return first_dense.count_params() / model.count_params()
