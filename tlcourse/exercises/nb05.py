"""Exercises of notebook 05: how much data do you need?"""

from __future__ import annotations

from . import exercise


@exercise("05.subset_size",
          "How many photos does tlcourse.datasets.balanced_indices(labels, 50, seed=0) pick "
          "from the 2,000 training labels (1,000 cats, 1,000 dogs)?",
          "It picks per_class photos of every class: 50 of each of the two classes.")
def subset_size() -> int:
    import numpy as np

    from ..datasets import balanced_indices

    return len(balanced_indices(np.repeat([0, 1], 1000), 50, seed=0))


@exercise("05.steps_at_1000",
          "In the cpu profile, how many training steps does the scratch CNN get at 1,000 photos "
          "per class?",
          "tlcourse.training.scratch_steps(photos, profile.curve_scratch_steps): 8 passes over "
          "2,000 photos in batches of 32, but at least the profile's minimum.")
def steps_at_1000() -> int:
    from ..settings import PROFILES
    from ..training import scratch_steps

    return scratch_steps(2000, PROFILES["cpu"].curve_scratch_steps)


@exercise("05.params_per_photo",
          "At 10 photos per class, how many scratch-CNN parameters (cpu profile curve size) are "
          "there per training photo? Round to the nearest integer.",
          "models.scratch_cnn(profile.curve_scratch_image_size).count_params() divided by the "
          "20 training photos.")
def params_per_photo() -> int:
    from ..models import scratch_cnn
    from ..settings import PROFILES

    return round(scratch_cnn(PROFILES["cpu"].curve_scratch_image_size).count_params() / 20)
