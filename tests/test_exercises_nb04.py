"""Behaviour checkers of notebook 04's exercises name what a wrong answer does."""



def test_behaviour_checker_names_what_a_wrong_unfreeze_does(expect_hint):
    import keras

    def inverted_condition(base, from_layer):
        names = [layer.name for layer in base.layers]
        for layer in base.layers[names.index(from_layer):]:
            layer.trainable = isinstance(layer, keras.layers.BatchNormalization)

    def keeps_batchnorm_trainable(base, from_layer):
        base.trainable = True
        names = [layer.name for layer in base.layers]
        for layer in base.layers[:names.index(from_layer)]:
            layer.trainable = False

    def everything(base, from_layer):
        base.trainable = True
        for layer in base.layers:
            layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)

    for wrong, message in ((inverted_condition, "still frozen"),
                           (keeps_batchnorm_trainable, "BatchNormalization layer"),
                           (everything, "was not frozen")):
        expect_hint("04.unfreeze", wrong, message)


def test_callbacks_checker_names_monitor_restore_and_checkpoint(expect_hint):
    import keras

    def on_training_loss(path):
        return [keras.callbacks.EarlyStopping(monitor="loss", patience=2, restore_best_weights=True),
                keras.callbacks.ModelCheckpoint(path, save_best_only=True)]

    def last_weights(path):
        return [keras.callbacks.EarlyStopping(patience=2),
                keras.callbacks.ModelCheckpoint(path, save_best_only=True)]

    def every_epoch_saved(path):
        return [keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True),
                keras.callbacks.ModelCheckpoint(path)]

    def patient(path):
        return [keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True),
                keras.callbacks.ModelCheckpoint(path, save_best_only=True)]

    for wrong, message in ((on_training_loss, "ran all 30 epochs"),
                           (last_weights, "best weights were not restored"),
                           (every_epoch_saved, "the file holds a later epoch"),
                           (patient, "went on 10 epochs after the best one")):
        expect_hint("04.callbacks", wrong, message)
