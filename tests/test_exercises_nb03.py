"""Behaviour checkers of notebook 03's exercises name what a wrong answer does."""

import pytest

pytestmark = pytest.mark.real_data  # the checkers run MobileNetV2 with ImageNet weights


def test_behaviour_checker_names_what_a_wrong_feature_extractor_does(expect_hint):
    import keras

    def base():
        return keras.applications.MobileNetV2(alpha=0.35, include_top=False, pooling="avg",
                                              input_shape=(224, 224, 3))

    def unscaled():
        model = base()
        model.trainable = False
        return model

    def trainable():
        inputs = keras.Input((224, 224, 3))
        return keras.Model(inputs, base()(keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)))

    for wrong, message in ((unscaled, "features differ"), (trainable, "trainable weight")):
        expect_hint("03.extractor", wrong, message)


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
    for wrong in (reversed_order, scaled_twice):
        expect_hint("03.features_of_files", wrong, "point elsewhere")
