from tlcourse import results


def test_record_get_and_table(isolated):
    assert results.get("02_scratch", "best_val_accuracy") is None
    results.record("02_scratch", "best_val_accuracy", 0.71)
    results.record("02_scratch", "epoch_seconds", 12.5, unit="s")
    assert results.get("02_scratch", "best_val_accuracy") == 0.71
    table = results.markdown_table()
    assert "| 02_scratch | best_val_accuracy | 0.71 | cpu |" in table
    assert "12.5 s" in table
