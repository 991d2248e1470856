"""``python -m tlcourse doctor``: versions, hardware, folders and which assets are present."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from . import assets, fileio, folders, settings
from .downloads import FETCH_COMMAND


def _folder_state(path: Path) -> str:
    if not path.exists():
        return "missing"
    return "writable" if fileio.is_writable(path) else "READ-ONLY"


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
    print(f"Data home   {folders.data_home()} [{_folder_state(folders.data_home())}]"
          f"  ({folders.DATA_ENV})")
    try:
        cache = folders.cache_dir()
        print(f"Cache       {cache} [writable]  ({folders.CACHE_ENV})")
    except PermissionError as error:
        print(f"Cache       PROBLEM: {error}")
    print(f"Keras home  {folders.keras_home()} [{_folder_state(folders.keras_home())}]"
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
