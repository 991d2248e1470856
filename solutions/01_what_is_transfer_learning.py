"""Solutions to the exercises of notebook 01 (run by tests/test_exercises.py)."""

from tlcourse import backbones
from tlcourse.exercises.nb01 import SCENARIOS


def fc_params():
    model = backbones.alexnet()
    return sum(layer.count_params() for layer in model.layers if layer.name.startswith("fc"))


def kind_of_transfer():
    return {scenario: ("fine-tuning" if "unfrozen" in scenario or "updated" in scenario
                       else "feature extraction") for scenario in SCENARIOS}


def vgg_vs_mobilenet():
    vgg = backbones.build("vgg16", weights=None, include_top=True)
    mobile = backbones.build("mobilenet_v2_0.35", weights=None, include_top=True)
    return round(vgg.count_params() / mobile.count_params())


ANSWERS = {"01.fc_params": fc_params, "01.kind_of_transfer": kind_of_transfer,
           "01.vgg_vs_mobilenet": vgg_vs_mobilenet}
