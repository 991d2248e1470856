"""Exercises of notebook 01: what transfer learning is."""

from __future__ import annotations

from . import exercise

SCENARIOS = {
    "frozen VGG16, pooled outputs fed to a logistic regression": "feature extraction",
    "ResNet50 with its last block unfrozen, trained at learning rate 1e-5": "fine-tuning",
    "GloVe vectors in an Embedding layer with trainable=False": "feature extraction",
    "GloVe vectors as initial Embedding weights, updated while training": "fine-tuning",
}


@exercise("01.fc_params",
          "How many parameters do AlexNet's fully connected layers fc6, fc7 and fc8 hold together?",
          "Sum layer.count_params() over the layers named fc6, fc7 and fc8 of "
          "tlcourse.backbones.alexnet(). Each holds inputs × units weights plus units biases; "
          "fc6's inputs are the 6 × 6 × 256 flattened feature map.")
def fc_params() -> int:
    from ..backbones import alexnet

    model = alexnet()
    return sum(model.get_layer(name).count_params() for name in ("fc6", "fc7", "fc8"))


@exercise("01.kind_of_transfer",
          "For each scenario in tlcourse.exercises.nb01.SCENARIOS, answer 'feature extraction' "
          "or 'fine-tuning' (a dict scenario → answer).",
          "Ask: are the pretrained weights updated during training? Frozen (trainable=False) "
          "means feature extraction; updated means fine-tuning.")
def kind_of_transfer() -> dict[str, str]:
    return dict(SCENARIOS)


@exercise("01.vgg_vs_mobilenet",
          "How many times more parameters does VGG16 have than MobileNetV2 alpha 0.35, both "
          "with their ImageNet classifier? Round to the nearest integer.",
          "Build both with tlcourse.backbones.build(name, weights=None, include_top=True) and "
          "divide their count_params(); then round().")
def vgg_vs_mobilenet() -> int:
    from ..backbones import build

    vgg = build("vgg16", weights=None, include_top=True).count_params()
    mobile = build("mobilenet_v2_0.35", weights=None, include_top=True).count_params()
    return round(vgg / mobile)
