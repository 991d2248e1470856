import pytest

from tlcourse import checks


def test_claim_inside_range_prints_and_returns(capsys):
    checks.expect("accuracy is high", 0.97, at_least=0.95)
    assert "✔ accuracy is high" in capsys.readouterr().out


@pytest.mark.parametrize("value", [0.90, 1.2])
def test_claim_outside_range_fails_loudly(value):
    with pytest.raises(checks.ClaimFailed, match="expected ≥ 0.95 and ≤ 1"):
        checks.expect("accuracy is high", value, at_least=0.95, at_most=1.0)
