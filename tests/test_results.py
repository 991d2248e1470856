from tlcourse import results


def test_record_get_and_table(isolated):
    assert results.get("02_scratch", "best_val_accuracy") is None
    results.record("02_scratch", "best_val_accuracy", 0.71)
    results.record("02_scratch", "epoch_seconds", 12.5, unit="s")
    assert results.get("02_scratch", "best_val_accuracy") == 0.71
    table = results.markdown_table()
    assert "| 02_scratch | best_val_accuracy | 0.71 | cpu |" in table
    assert "12.5 s" in table


def test_clear_forgets_one_notebook(isolated):
    results.record("02_scratch", "best_val_accuracy", 0.71)
    results.record("03_features", "accuracy", 0.97)
    results.clear("02_scratch")
    results.clear("never_ran")  # nothing to forget: no error
    assert results.get("02_scratch", "best_val_accuracy") is None
    assert results.get("03_features", "accuracy") == 0.97
