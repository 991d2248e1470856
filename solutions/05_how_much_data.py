"""Solutions to the exercises of notebook 05 (run by tests/test_exercises.py)."""

from tlcourse import models, settings, training


def subset_size():
    return 10 * 30  # 30 photos of each of the 10 classes


def steps_at_200():
    cpu = settings.PROFILES["cpu"]
    return training.scratch_steps(10 * 200, cpu.curve_scratch_steps,
                                  epochs=cpu.curve_scratch_epochs)


def params_per_photo():
    model = models.compact_cnn(settings.PROFILES["cpu"].curve_scratch_image_size, classes=10)
    return round(model.count_params() / (10 * 10))


ANSWERS = {"05.subset_size": subset_size, "05.steps_at_200": steps_at_200,
           "05.params_per_photo": params_per_photo}
