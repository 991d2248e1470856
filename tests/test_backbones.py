import numpy as np
import pytest

from tlcourse import backbones, folders
from conftest import real_data_or_skip

SKIMAGE_CAT_CLASSES = range(281, 288)  # ImageNet tabby … Egyptian cat


@pytest.mark.parametrize("name, boundary, first_trainable, size", [
    ("vgg16", "block4_pool", "block5_conv1", 224),
    ("vgg19", "block4_pool", "block5_conv1", 224),
    ("resnet50", "conv4_block6_out", "conv5_block1_1_conv", 224),
    ("inception_v3", "mixed8", None, 299),
])
def test_big_backbones_build_without_weights(name, boundary, first_trainable, size):
    spec = backbones.get(name)
    model = backbones.build(name, weights=None, image_size=96 if name != "inception_v3" else 139)
    names = [layer.name for layer in model.layers]
    assert boundary in names
    if first_trainable:
        assert names[names.index(boundary) + 1] == first_trainable
    assert spec.input_size == size
    assert spec.weights_file().endswith("_notop.h5")


@pytest.mark.parametrize("name", sorted(backbones.REGISTRY))
def test_each_entrys_scaling_is_its_keras_applications_preprocess_input(name):
    import keras

    spec = backbones.get(name)
    pixels = np.random.default_rng(0).uniform(0, 255, (2, 5, 5, 3)).astype("float32")
    own = getattr(keras.applications, spec.family).preprocess_input(pixels.copy())
    assert np.allclose(spec.preprocess(pixels.copy()), own)


def test_preprocessing_matches_each_family():
    pixels = np.full((1, 4, 4, 3), 255.0, dtype="float32")
    assert np.allclose(backbones.get("mobilenet_v2_0.35").preprocess(pixels.copy()), 1.0)
    assert np.allclose(backbones.get("inception_v3").preprocess(pixels.copy()), 1.0)
    caffe = backbones.get("vgg16").preprocess(pixels.copy())  # BGR minus ImageNet means
    assert np.allclose(caffe[0, 0, 0], [255 - 103.939, 255 - 116.779, 255 - 123.68])
    assert backbones.get("resnet50").preprocessing == "caffe"
    assert backbones.get("mobilenet").preprocessing == "tf"


@pytest.mark.parametrize("name, include_top, size", [
    ("mobilenet_v2_0.35", False, 224), ("mobilenet_0.25", True, 128), ("mobilenet", False, 224),
    ("resnet50", False, 224), ("vgg16", False, 224), ("inception_v3", False, 299)])
def test_keras_weight_file_names_are_the_ones_keras_asks_for(monkeypatch, name, include_top,
                                                            size):
    from keras.src.utils import file_utils

    asked = []

    def get_file(fname, origin=None, *args, **kwargs):
        asked.append((fname, origin))
        raise LookupError("stop before downloading")

    monkeypatch.setattr(file_utils, "get_file", get_file)
    spec = backbones.get(name)
    alpha = {"alpha": spec.alpha} if spec.alpha is not None else {}
    with pytest.raises(LookupError):
        spec.constructor(weights="imagenet", include_top=include_top,
                         input_shape=(size, size, 3), **alpha)
    assert asked == [(spec.weights_file(include_top, size), spec.weights_url(include_top, size))]


def test_missing_weights_offline_never_fall_back_to_random(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(backbones, "weights_downloadable", lambda *a, **k: False)
    with pytest.raises(backbones.WeightsUnavailableError) as error:
        backbones.build("vgg16")
    message = str(error.value)
    assert "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" in message
    assert "python -m tlcourse fetch" in message and "weights=None" in message


def test_alexnet_is_architecture_only():
    model = backbones.alexnet()
    assert 60e6 < model.count_params() < 63e6
    with pytest.raises(ValueError, match="No Keras ImageNet weights exist for AlexNet"):
        backbones.alexnet(weights="imagenet")
    with pytest.raises(ValueError, match="no Keras ImageNet weights"):
        backbones.get("alexnet")


def test_unknown_backbone_lists_choices():
    with pytest.raises(KeyError, match="mobilenet_v2_0.35"):
        backbones.get("vgg11")


@pytest.mark.real_data
def test_pretrained_mobilenet_recognises_chelsea_the_cat():
    real_data_or_skip()
    from skimage import data as samples

    spec = backbones.get("mobilenet_0.25")
    assert backbones.weights_cached(spec, include_top=True, size=128), folders.keras_home()
    model = backbones.build("mobilenet_0.25", include_top=True, image_size=128)
    import keras

    photo = keras.ops.image.resize(samples.chelsea()[None].astype("float32"), (128, 128))
    probabilities = np.asarray(model.predict(spec.preprocess(np.array(photo)), verbose=0))[0]
    assert probabilities[list(SKIMAGE_CAT_CLASSES)].sum() >= 0.5


def test_unfreeze_top_keeps_lower_layers_and_batchnorm_frozen():
    import keras

    spec = backbones.get("mobilenet_v2_0.35")
    model = backbones.build("mobilenet_v2_0.35", weights=None)
    model.trainable = False
    assert not model.trainable_weights
    backbones.unfreeze_top(model, spec)
    trainable = [layer for layer in model.layers if layer.trainable and layer.weights]
    names = [layer.name for layer in model.layers]
    boundary = names.index(spec.finetune_after)
    assert trainable and all(names.index(layer.name) > boundary for layer in trainable)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in trainable)


def test_available_or_fallback_falls_back_and_says_so_when_weights_are_missing(monkeypatch, capsys):
    monkeypatch.setattr(backbones, "weights_available", lambda spec, *a: spec.name != "vgg16")
    assert backbones.available_or_fallback("resnet50") == "resnet50"
    assert capsys.readouterr().out == ""
    assert backbones.available_or_fallback("vgg16") == "mobilenet_v2_0.35"
    assert "this run uses mobilenet_v2_0.35 instead" in capsys.readouterr().out
