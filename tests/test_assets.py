from tlcourse import __main__ as command
from tlcourse import backbones


def test_fetch_reports_failures_offline(fake_photos, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(backbones, "weights_downloadable", lambda *a, **k: False)
    code = command.main(["fetch", "--backbone", "vgg16"])
    out = capsys.readouterr().out
    assert code == 1
    assert "✘ vgg16 ImageNet weights" in out and "cannot be downloaded" in out
