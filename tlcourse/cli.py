"""The learner's commands behind ``python -m tlcourse``: doctor and fetch."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from . import assets, settings
from .downloads import FETCH_COMMAND


def _folder_state(path: Path) -> str:
    if not path.exists():
        return "missing"
    return "writable" if settings.is_writable(path) else "READ-ONLY"


def doctor() -> int:
    """Print the environment report; return 1 when a required asset is missing."""
    import keras
    import psutil

    print(f"Python      {platform.python_version()} ({sys.executable})")
    print(f"Keras       {keras.__version__}, backend '{keras.backend.backend()}' "
          "(switch: set KERAS_BACKEND=tensorflow|jax|torch before starting Python)")
    try:
        import tensorflow as tf

        print(f"TensorFlow  {tf.__version__}")
    except ImportError:
        print("TensorFlow  not installed")
    memory = psutil.virtual_memory()
    print(f"Hardware    {os.cpu_count()} CPU cores, {memory.total / 2**30:.1f} GiB RAM "
          f"({memory.available / 2**30:.1f} GiB free), "
          f"GPU: {'yes' if settings.gpu_available() else 'none'}")
    profile = settings.profile()
    print(profile.describe())
    print(f"Data home   {settings.data_home()} [{_folder_state(settings.data_home())}]"
          f"  ({settings.DATA_ENV})")
    try:
        cache = settings.cache_dir()
        print(f"Cache       {cache} [writable]  ({settings.CACHE_ENV})")
    except PermissionError as error:
        print(f"Cache       PROBLEM: {error}")
    print(f"Keras home  {settings.keras_home()} [{_folder_state(settings.keras_home())}]"
          "  (KERAS_HOME; weights in models/)")
    missing = []
    print("Assets:")
    for asset in assets.for_profile(profile):
        location = asset.location()
        mark = "✔" if location else ("✘" if asset.required else "–")
        print(f"  {mark} {asset.name}: {location or 'missing'}")
        if location is None and asset.required:
            missing.append(asset.name)
    if missing:
        print(f"Missing {len(missing)} required asset(s). Fetch them with: {FETCH_COMMAND}"
              f" --profile {profile.name}")
        return 1
    print("Everything this profile needs is here.")
    return 0


def fetch(profile_name: str | None, only_backbones: list[str]) -> int:
    """Download what a profile (or the named backbones) needs; return 1 on any failure."""
    profile = settings.use_profile(profile_name) if profile_name else settings.profile()
    if only_backbones:
        wanted = [assets._weights_asset(name) for name in only_backbones]
    else:
        wanted = assets.for_profile(profile)
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
