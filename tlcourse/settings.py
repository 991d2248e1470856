"""What a notebook runs (profiles) and with which seeds.

``TLCOURSE_PROFILE``
    ``cpu`` (default without a GPU: what a laptop or Binder finishes) or ``gpu``
    (default with a GPU: the article-scale setup).
``TLCOURSE_SEED``
    The run's seed offset (default 0); ``python -m tlcourse cards`` runs 0, 1 and 2.

Where files go is ``folders``; writing them safely is ``fileio``.
"""

from __future__ import annotations

import dataclasses
import os

PROFILE_ENV = "TLCOURSE_PROFILE"
SEED_ENV = "TLCOURSE_SEED"


@dataclasses.dataclass(frozen=True)
class Profile:
    """What a notebook runs: image sizes, subset sizes, epochs and backbones."""

    name: str
    description: str
    scratch_image_size: int
    scratch_epochs: int
    augmented_epochs: int
    feature_backbones: tuple[str, ...]
    feature_batch_size: int
    finetune_backbone: str
    finetune_epochs: int
    sweep_steps: int
    near_finetune_steps: int
    curve_sizes: tuple[int, ...]
    curve_scratch_image_size: int
    far_feature_sizes: tuple[int, ...]
    seeds: tuple[int, ...]
    devices_per_class: int | None  # notebook 10: EuroSAT photos per class (None = all)
    devices_image_size: int
    devices_epochs: int

    def describe(self) -> str:
        """One paragraph a notebook prints so learners know what runs."""
        lines = [
            f"Profile '{self.name}': {self.description}",
            f"  scratch CNN: {self.scratch_image_size} px images, "
            f"{self.scratch_epochs} epochs (+{self.augmented_epochs} with augmentation)",
            f"  feature extraction: {', '.join(self.feature_backbones)}, "
            f"{self.feature_batch_size} photos per forward pass",
            f"  fine-tuning: {self.finetune_backbone}; EuroSAT up to {self.finetune_epochs} "
            f"epochs, learning-rate sweep {self.sweep_steps} steps per rate; cats vs dogs "
            f"{self.near_finetune_steps} steps",
            f"  data-size curves (cats vs dogs and EuroSAT): {list(self.curve_sizes)} photos "
            f"per class, seeds {list(self.seeds)}; compact CNN from scratch at "
            f"{self.curve_scratch_image_size} px (rate and stopping epoch chosen on "
            "validation); EuroSAT features at "
            f"{', '.join(f'{s} px' for s in self.far_feature_sizes)}",
            f"  switch with: os.environ['{PROFILE_ENV}'] = 'cpu' | 'gpu' before importing,"
            " or tlcourse.settings.use_profile('gpu')",
        ]
        return "\n".join(lines)


PROFILES = {
    "cpu": Profile(
        name="cpu",
        description="fits a 2-core laptop or Binder (small images for the scratch CNN, "
        "light backbones, cached features)",
        scratch_image_size=64,
        scratch_epochs=10,
        augmented_epochs=10,
        feature_backbones=("mobilenet_v2_0.35", "mobilenet_0.25"),
        feature_batch_size=8,  # fastest on 2 cores: activations stay in cache (1.5x batch 32)
        finetune_backbone="mobilenet_v2_0.35",
        finetune_epochs=8,
        sweep_steps=32,
        near_finetune_steps=32,
        curve_sizes=(10, 50, 200),
        curve_scratch_image_size=64,
        far_feature_sizes=(64, 96),
        seeds=(0, 1, 2),
        devices_per_class=50,
        devices_image_size=64,
        devices_epochs=2,
    ),
    "gpu": Profile(
        name="gpu",
        description="the article-scale setup: 150 px scratch CNN, VGG16 / VGG19 / ResNet50 / "
        "InceptionV3 / MobileNetV2 at full size, tens of epochs",
        scratch_image_size=150,
        scratch_epochs=30,
        augmented_epochs=60,
        feature_backbones=("vgg16", "vgg19", "resnet50", "inception_v3", "mobilenet_v2",
                           "mobilenet_v2_0.35", "mobilenet_0.25"),
        feature_batch_size=64,
        finetune_backbone="mobilenet_v2",
        finetune_epochs=20,
        sweep_steps=300,
        near_finetune_steps=630,
        curve_sizes=(10, 20, 50, 100, 200),
        curve_scratch_image_size=64,
        far_feature_sizes=(64, 96, 224),
        seeds=(0, 1, 2),
        devices_per_class=None,
        devices_image_size=224,
        devices_epochs=5,
    ),
}

_active_profile: Profile | None = None


def gpu_available() -> bool:
    """True when the active Keras backend sees a GPU."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    if backend == "jax":
        import jax

        return any(d.platform == "gpu" for d in jax.devices())
    if backend == "torch":
        import torch

        return torch.cuda.is_available()
    return False


def use_profile(name: str) -> Profile:
    """Select a profile by name for this Python session and return it."""
    global _active_profile
    if name not in PROFILES:
        raise ValueError(
            f"Unknown profile {name!r}. Choose one of {sorted(PROFILES)} "
            f"(or set {PROFILE_ENV})."
        )
    _active_profile = PROFILES[name]
    return _active_profile


def profile() -> Profile:
    """The active profile: chosen in code, else ``TLCOURSE_PROFILE``, else by hardware."""
    if _active_profile is not None:
        return _active_profile
    name = os.environ.get(PROFILE_ENV) or ("gpu" if gpu_available() else "cpu")
    return use_profile(name)


def run_seed() -> int:
    """The run's seed offset from ``TLCOURSE_SEED`` (default 0); ``cards`` varies it."""
    value = os.environ.get(SEED_ENV, "0")
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{SEED_ENV}={value!r} is not a whole number; unset it or use 0, 1, 2 …")


def set_seeds(seed: int = 0) -> None:
    """Seed Python, NumPy and the Keras backend in one call (``keras.utils.set_random_seed``).

    The seed used is ``seed + 1000 × TLCOURSE_SEED``, so the same notebook run with another
    ``TLCOURSE_SEED`` draws other initial weights, shuffles and augmentations.
    """
    import keras

    keras.utils.set_random_seed(seed + 1000 * run_seed())
