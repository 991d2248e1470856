"""Exercises of notebook 05: how much data, and how far does ImageNet's knowledge travel?"""

from __future__ import annotations

from . import exercise


@exercise("05.subset_size",
          "How many photos does tlcourse.datasets.balanced_indices(far.train.labels, 30, seed=0) "
          "pick from EuroSAT's 2,000 training labels (10 classes, 200 each)?",
          "It picks per_class photos of every class, and EuroSAT has more than two classes.")
def subset_size() -> int:
    import numpy as np

    from ..datasets import balanced_indices

    return len(balanced_indices(np.repeat(np.arange(10), 200), 30, seed=0))


@exercise("05.steps_at_200",
          "In the cpu profile, how many training steps does the compact CNN get with all 200 "
          "EuroSAT photos per class?",
          "tlcourse.training.scratch_steps(photos, profile.curve_scratch_steps, "
          "epochs=profile.curve_scratch_epochs): passes over all the photos in batches of 32, "
          "but at least the profile's minimum.")
def steps_at_200() -> int:
    from ..settings import PROFILES
    from ..training import scratch_steps

    cpu = PROFILES["cpu"]
    return scratch_steps(2000, cpu.curve_scratch_steps, epochs=cpu.curve_scratch_epochs)


@exercise("05.params_per_photo",
          "With 10 photos per class on EuroSAT, how many compact-CNN parameters (cpu profile "
          "size) are there per training photo? Round to the nearest integer.",
          "Count the parameters of the 10-class model at the profile's curve size, then divide "
          "by the number of training photos, all classes together.")
def params_per_photo() -> int:
    from ..models import compact_cnn
    from ..settings import PROFILES

    return round(compact_cnn(PROFILES["cpu"].curve_scratch_image_size, 10).count_params() / 100)
