"""Intervals for one accuracy and paired tests for two models on the same items."""

import numpy as np
import pytest

from tlcourse import stats


def test_wilson_interval_matches_the_textbook_values():
    low, high = stats.accuracy_interval([True] * 50 + [False] * 50)
    assert (round(low, 3), round(high, 3)) == (0.404, 0.596)
    low, high = stats.accuracy_interval([True] * 444)  # never outside [0, 1], even at 100 %
    assert 0.99 < low < 1.0 and high == pytest.approx(1.0)


def test_interval_narrows_with_more_items():
    widths = [np.subtract(*stats.accuracy_interval([True] * (9 * n) + [False] * n)[::-1])
              for n in (5, 50, 500)]
    assert widths[0] > widths[1] > widths[2]


def test_paired_comparison_counts_the_discordant_items():
    a = np.array([True] * 90 + [False] * 10)
    b = np.array([True] * 80 + [False] * 20)
    result = stats.paired_comparison(a, b)
    assert (result.only_a, result.only_b) == (10, 0)
    assert result.difference == pytest.approx(0.10)
    assert result.p_value == pytest.approx(2 * 0.5 ** 10)  # exact two-sided binomial
    assert not result.within_noise() and "beyond the noise" in str(result)
    same = stats.paired_comparison(a, a)
    assert same.p_value == 1.0 and same.within_noise() and "+0.0 points" in str(same)


def test_models_scored_on_different_items_are_refused():
    with pytest.raises(ValueError, match="different items"):
        stats.paired_comparison([True, False], [True, False, True])


def test_describe_accuracy_gives_the_share_its_interval_and_the_count():
    correct = [True] * 488 + [False] * 12
    low, high = stats.accuracy_interval(correct)
    assert stats.describe_accuracy(correct) == f"0.976 [{low:.3f}–{high:.3f}], n = 500"


def test_a_paired_comparison_reads_as_a_sentence():
    one = stats.paired_comparison([True, True, False, True], [False, True, False, True])
    assert str(one).startswith("+25.0 points (1 item only the first got right, 0 only the second")
