"""Fit the per-word likelihood ratio that ``spin.lm_synonym_llr`` sums: how much likelier a synonym gain is at a
swapped word than at a genuine one.

For BBC ``fit`` articles and one training-spinner copy of each (rate 0.3, styles in turn), every word with
synonyms gets its ``spin.word_synonym_gains`` value, binned; the words the spinner swapped are counted apart from
the rest. The log ratio of the two bin frequencies rises almost linearly with the gain, so ``spin`` keeps three
numbers: the level below a gain of 0 (the word is its own best fit, or fits well and is not looked at), and an
intercept and slope from 0 up. Run: ``python -m scorer.training.synonym_gain [--articles N]``; it prints the bins
and the fitted numbers to copy into ``scorer/spin.py`` (``GAIN_LOG_RATIO``, ``NO_GAIN_LOG_RATIO``).
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

#: Bin edges of the gains (nats); gains below 0 and words not looked at share the first bin.
EDGES: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def bin_counts(n_articles: int | None = 600, rate: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Words per gain bin at swapped words and at all other words (genuine articles and the copies' unswapped ones)."""
    from scorer import spin
    from scorer.document import Document
    from scorer.training.datasets import articles
    from scorer.training.spinner import CLASSIFIER_STYLES
    from scorer.training.spinner import spin as spin_copy

    swapped, other = np.zeros(len(EDGES) + 1), np.zeros(len(EDGES) + 1)
    for i, article in enumerate(articles("fit", n_articles)):
        _, gains = spin.word_synonym_gains(Document(article.text))
        other += np.bincount(_bins(gains), minlength=len(EDGES) + 1)
        copy = spin_copy(article.text, rate=rate, style=CLASSIFIER_STYLES[i % len(CLASSIFIER_STYLES)], seed=seed + i)
        doc = Document(copy.text)
        pos, gains = spin.word_synonym_gains(doc)
        starts = np.asarray(doc.word_starts)
        hit = {int(np.searchsorted(starts, s.start, side="right") - 1) for s in copy.substitutions if " " not in s.text}
        mask = np.array([p in hit for p in pos.tolist()], dtype=bool)
        swapped += np.bincount(_bins(gains[mask]), minlength=len(EDGES) + 1)
        other += np.bincount(_bins(gains[~mask]), minlength=len(EDGES) + 1)
    return swapped, other


def _bins(gains: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(EDGES), gains, side="right")


def fit_ratio(swapped: np.ndarray, other: np.ndarray) -> dict:
    """Per-bin log ratios (add-one smoothed), and the level below 0 with a weighted line through the bins from 0 up."""
    log_ratio = np.log((swapped + 1) / (swapped.sum() + len(swapped))) - np.log((other + 1) / (other.sum() + len(other)))
    mids = np.array([(a + b) / 2 for a, b in zip(EDGES[:-1], EDGES[1:])] + [EDGES[-1]])
    weight = np.sqrt(swapped[1:] + other[1:])
    slope, intercept = np.polyfit(mids, log_ratio[1:], 1, w=weight)
    return {"bins": {f"<{EDGES[0]:g}" if k == 0 else f">={EDGES[k - 1]:g}": round(float(v), 3)
                     for k, v in enumerate(log_ratio)},
            "no_gain_log_ratio": round(float(log_ratio[0]), 2),
            "gain_log_ratio": [round(float(intercept), 2), round(float(slope), 2)],
            "words": {"swapped": int(swapped.sum()), "other": int(other.sum())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scorer.training.synonym_gain", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600, help="BBC fit articles to use (default 600)")
    args = parser.parse_args(argv)
    json.dump(fit_ratio(*bin_counts(args.articles)), sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
