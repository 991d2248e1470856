"""Behaviour checkers of notebook 03's exercises name what a wrong answer does."""

import pytest

real_data = pytest.mark.real_data  # the checkers run MobileNetV2 with ImageNet weights


@real_data
def test_extractor_checker_tells_each_mistake_apart(expect_hint):
    import keras

    def backbone(pooling="avg", top=False):  # the classifier's weights are not needed: random
        return keras.applications.MobileNetV2(alpha=0.35, include_top=top, pooling=pooling,
                                              input_shape=(224, 224, 3),
                                              weights=None if top else "imagenet")

    def extractor(scale=1 / 127.5, offset=-1, frozen=True, **kwargs):
        def build():
            base = backbone(**kwargs)
            base.trainable = not frozen
            inputs = keras.Input((224, 224, 3))
            return keras.Model(inputs, base(keras.layers.Rescaling(scale, offset=offset)(inputs)))
        return build

    for wrong, problem, hint in (
            (extractor(1, 0), "raw 0–255 pixels", "what its preprocess_input does to a pixel"),
            (extractor(1 / 255, 0), "scaled to [0, 1]", "makes of the pixels 0 and 255"),
            (extractor(frozen=False), "trainable weight tensors", "as the notebook froze `base`"),
            (extractor(pooling=None), "(4, 7, 7, 1280)", "pooled over its 7 × 7 positions"),
            (extractor(pooling="max"), "maximum of the last feature map", "average the positions"),
            (extractor(top=True), "class probabilities", "1,000-class top")):
        expect_hint("03.extractor", wrong, problem)
        expect_hint("03.extractor", wrong, hint)


@real_data
def test_features_of_files_checker_names_batches_order_and_scaling(expect_hint):
    import keras
    import numpy as np

    def photos(paths):
        return np.stack([keras.utils.img_to_array(keras.utils.load_img(path, target_size=(224, 224)))
                         for path in paths])

    def all_at_once(extractor, paths, batch_size=32):
        return extractor.predict(photos(paths))

    def reversed_order(extractor, paths, batch_size=32):
        return np.concatenate([extractor.predict_on_batch(photos(paths[::-1][i:i + batch_size]))
                               for i in range(0, len(paths), batch_size)])

    def scaled_twice(extractor, paths, batch_size=32):
        return np.concatenate([extractor.predict_on_batch(keras.applications.mobilenet_v2.preprocess_input(
            photos(paths[i:i + batch_size]))) for i in range(0, len(paths), batch_size)])

    expect_hint("03.features_of_files", all_at_once, "batches of [24] photos")
    expect_hint("03.features_of_files", all_at_once, "at most batch_size files")
    expect_hint("03.features_of_files", reversed_order, "in another order than paths")
    expect_hint("03.features_of_files", scaled_twice, "photos scaled twice")


def test_choose_backbone_accepts_the_choice_on_validation_within_budget(capsys):
    from tlcourse import exercises

    def on_validation(table, max_ms_per_photo):
        fast = [n for n, row in table.items() if 1000 / row["photos_per_s"] <= max_ms_per_photo]
        return max(fast, key=lambda n: table[n]["val_accuracy"], default=None)

    exercises.check("03.choose_backbone", on_validation)
    assert "correct" in capsys.readouterr().out


def test_choose_backbone_names_test_split_budget_and_aim_mistakes(expect_hint):
    def chooser(rank, within=lambda row, budget: 1000 / row["photos_per_s"] <= budget):
        def choose(table, max_ms_per_photo):
            fast = [n for n, row in table.items() if within(row, max_ms_per_photo)]
            return max(fast, key=lambda n: rank(table[n]), default=None)
        return choose

    on_test = chooser(lambda row: row["test_accuracy"])
    on_validation = chooser(lambda row: row["val_accuracy"])
    fastest = chooser(lambda row: row["photos_per_s"])
    budget_ignored = chooser(lambda row: row["val_accuracy"], within=lambda row, budget: True)
    units_inverted = chooser(lambda row: row["val_accuracy"],
                             within=lambda row, budget: row["photos_per_s"] >= budget)
    expect_hint("03.choose_backbone", on_test, "the best on the test photos")
    expect_hint("03.choose_backbone", on_test, "Choose on validation.")
    expect_hint("03.choose_backbone", fastest, "more accurate on validation")
    expect_hint("03.choose_backbone", fastest, "not the aim")
    for over_budget in (budget_ignored, units_inverted):
        expect_hint("03.choose_backbone", over_budget, "ms per photo you chose resnet50")
        expect_hint("03.choose_backbone", over_budget, "turn one into the other")
    expect_hint("03.choose_backbone", lambda table, budget: None, "you chose none")
    never_none = lambda table, budget: on_validation(table, budget) or "mobilenet_0.25"  # noqa: E731
    expect_hint("03.choose_backbone", never_none, "budget of 2 ms per photo you chose mobilenet_0.25")
