"""The fit of spin.lm_synonym_llr's per-word likelihood ratio (scorer.training.synonym_gain)."""
from __future__ import annotations

import numpy as np
import pytest

from scorer.training import synonym_gain


def test_fit_ratio_reads_the_level_below_zero_and_a_line_above():
    bins = len(synonym_gain.EDGES) + 1
    other = np.full(bins, 1000.0)
    mids = np.array([0.25, 0.75, 1.5, 2.5, 3.5, 4.5, 5.5, 7.0, 9.0, 10.0])
    swapped = np.r_[100.0, 1000.0 * np.exp(0.5 * mids)]  # log ratio rises 0.5 a nat
    fit = synonym_gain.fit_ratio(swapped, other)
    assert fit["gain_log_ratio"][1] == pytest.approx(0.5, abs=0.02)
    assert fit["no_gain_log_ratio"] < fit["gain_log_ratio"][0] - 1.5
    assert fit["words"] == {"swapped": int(swapped.sum()), "other": int(other.sum())}


def test_swapped_words_gain_more_than_the_others(shared):
    swapped, other = synonym_gain.bin_counts(40)
    assert swapped.sum() > 100 and other.sum() > 1000
    fit = synonym_gain.fit_ratio(swapped, other)
    # a swapped word is rarely its own best fit, and large gains are mostly at swapped words
    assert fit["no_gain_log_ratio"] < 0 < fit["gain_log_ratio"][1]
    assert fit["bins"][">=5"] > 1.0
