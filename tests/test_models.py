import keras
import numpy as np
import pytest

from tlcourse import backbones, models


def test_compact_cnn_is_small_and_outputs_class_probabilities():
    model = models.compact_cnn(64, classes=10)
    assert 50_000 < model.count_params() < 200_000
    photos = np.random.default_rng(0).integers(0, 256, (3, 64, 64, 3)).astype("uint8")
    probabilities = np.asarray(model.predict(photos, verbose=0))
    assert probabilities.shape == (3, 10) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)


def test_scratch_cnn_is_the_articles_three_blocks_and_two_dense_layers():
    model = models.scratch_cnn(64)
    conv = [layer for layer in model.layers if layer.__class__.__name__ == "Conv2D"]
    dense = [layer for layer in model.layers if layer.__class__.__name__ == "Dense"]
    assert [layer.filters for layer in conv] == [16, 64, 128]
    assert [layer.units for layer in dense] == [512, 512, 1]


def test_random_rotate90_turns_each_photo_by_a_quarter_multiple_only_while_training():
    photos = np.random.default_rng(1).integers(0, 256, (64, 8, 8, 3)).astype("float32")
    layer = models.RandomRotate90(seed=0)
    assert np.array_equal(np.asarray(layer(photos, training=False)), photos)
    turned = np.asarray(layer(photos, training=True))
    turns = []
    for before, after in zip(photos, turned):
        matches = [k for k in range(4) if np.array_equal(np.rot90(before, k), after)]
        assert len(matches) == 1
        turns.append(matches[0])
    assert set(turns) == {0, 1, 2, 3}


def test_preprocess_layer_applies_the_backbones_own_scaling_and_survives_saving(tmp_path):
    import keras

    photos = np.random.default_rng(2).integers(0, 256, (2, 16, 16, 3)).astype("uint8")
    inputs = keras.Input((16, 16, 3))
    model = keras.Model(inputs, models.Preprocess("vgg16")(models.square_symmetries(0)(inputs)))
    expected = backbones.get("vgg16").preprocess(photos.astype("float32"))
    assert np.allclose(np.asarray(model(photos, training=False)), expected, atol=1e-4)
    model.save(tmp_path / "m.keras")
    reloaded = keras.models.load_model(tmp_path / "m.keras")
    assert reloaded.layers[-1].backbone == "vgg16"
    assert np.allclose(np.asarray(reloaded(photos, training=False)), expected, atol=1e-4)


def test_preprocessing_is_plain_keras_where_the_registry_scaling_allows():
    photos = np.random.default_rng(3).integers(0, 256, (2, 8, 8, 3)).astype("float32")
    for name, kind in (("mobilenet_v2_0.35", "Rescaling"), ("vgg16", "Preprocess")):
        layer = models.preprocessing(name)
        assert type(layer).__name__ == kind
        expected = backbones.get(name).preprocess(photos.copy())
        assert np.allclose(np.asarray(layer(photos)), expected, atol=1e-4)


@pytest.mark.real_data  # random weights give features near 0 whatever the scaling
def test_image_classifier_is_preprocessing_then_backbone_then_head():
    name = "mobilenet_v2_0.35"
    head = keras.Sequential([keras.Input((1280,)), keras.layers.Dense(3, activation="softmax")])
    classifier = models.image_classifier(name, head, image_size=64)
    photos = np.random.default_rng(4).integers(0, 256, (2, 64, 64, 3)).astype("float32")
    base = classifier.get_layer(name)
    expected = head(base(backbones.get(name).preprocess(photos.copy())))
    assert np.allclose(np.asarray(classifier(photos)), np.asarray(expected), atol=1e-5)
    assert not base.trainable_weights and classifier.trainable_weights == head.trainable_weights


def test_image_classifier_fine_tunes_the_registry_top_blocks_behind_its_augmentation():
    name = "mobilenet_v2_0.35"
    head = keras.Sequential([keras.Input((1280,)), keras.layers.Dense(1, activation="sigmoid")])
    classifier = models.image_classifier(name, head, image_size=64, fine_tune=True,
                                         augmentation=models.square_symmetries(0), weights=None)
    base = classifier.get_layer(name)
    reference = backbones.build(name, weights=None, image_size=64)
    backbones.unfreeze_top(reference, backbones.get(name))
    assert ([layer.name for layer in base.layers if layer.trainable and layer.weights]
            == [layer.name for layer in reference.layers if layer.trainable and layer.weights])
    assert classifier.get_layer("augmentation")
    photos = np.random.default_rng(5).integers(0, 256, (2, 64, 64, 3)).astype("float32")
    inference = head(base(backbones.get(name).preprocess(photos.copy()), training=False))
    assert np.allclose(np.asarray(classifier(photos, training=False)), np.asarray(inference),
                       atol=1e-5)


def test_linear_head_learns_a_separable_problem():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    keras.utils.set_random_seed(0)
    head = models.linear_head(8, dropout=0.2)
    head.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                 metrics=["accuracy"])
    head.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert head.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] > 0.9
    assert head.evaluate(x, 1 - y, verbose=0, return_dict=True)["accuracy"] < 0.1
    assert head.layers[-1].name == "probability"  # whatever the task, not "cat_or_dog"
