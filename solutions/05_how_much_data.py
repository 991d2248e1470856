"""Solutions to the exercises of notebook 05 (run by tests/test_exercises.py)."""

from tlcourse import models, settings, training


def subset_size():
    return 2 * 50


def steps_at_1000():
    return training.scratch_steps(2 * 1000, settings.PROFILES["cpu"].curve_scratch_steps)


def params_per_photo():
    size = settings.PROFILES["cpu"].curve_scratch_image_size
    return round(models.scratch_cnn(size).count_params() / (2 * 10))


ANSWERS = {"05.subset_size": subset_size, "05.steps_at_1000": steps_at_1000,
           "05.params_per_photo": params_per_photo}
