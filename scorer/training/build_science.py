"""Compile the scientific-register word pairs of the spin detector: ``models/spin/science_pairs.tsv``.

``python -m scorer.training.build_science``

Source: the Problematic Paper Screener list (``../shared/data/spin/pps_tortured_2025-07.csv``),
its single-phrase rows only, and of those only the *train* half: a row belongs to the held-out half
when ``sha1(tortured phrase) % 2 == 1`` (``is_heldout``), which ``scorer.evaluation.spin`` measures on.
A tortured phrase and its expected text with the same number of words are aligned word by word;
each position where they differ is one spinner pair ``observed -> original`` (``profound -> deep``).
Rows of one word are skipped, so no row of the list is ever stored whole: the artifact holds word
pairs and counts only.

Columns of the TSV (sorted by observed word, then count descending, then original):
``observed, original, pair_count, observed_output, observed_expected, prior`` where
``observed_output`` is how often the word is a spinner output in the train half,
``observed_expected`` how often it occurs in the train half's expected texts (legitimate use), and
``prior = log((observed_output + 0.5) / (observed_expected + 0.5))``. Deterministic: same input, same bytes.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from pathlib import Path

from scorer.data import REPO, data_dir
from scorer.document import Document
from scorer.training.build_spin import record_provenance

OUT_DIR = REPO / "models" / "spin"
PAIRS_FILE = "science_pairs.tsv"
PPS_FILE = Path("spin") / "pps_tortured_2025-07.csv"
SPLIT_RULE = "single-phrase rows; held out where int(sha1(tortured phrase, utf-8).hexdigest(), 16) % 2 == 1; built from the other half"
HEADER = ("observed", "original", "pair_count", "observed_output", "observed_expected", "prior")


def pps_rows(path: Path | None = None) -> list[tuple[str, str]]:
    """(tortured phrase, expected text) of the PPS rows that are one plain phrase (no AND/NOT/~N, no '?')."""
    from scorer.lexicon import parse_query, read_pps

    rows = []
    for fp, expected in read_pps(path or data_dir() / PPS_FILE):
        q = parse_query(fp)
        if len(q.phrases) == 1 and not q.near and expected and "?" not in expected and "[" not in expected:
            rows.append((q.phrases[0], expected.split("(")[0].strip()))
    return rows


def is_heldout(phrase: str) -> bool:
    """The evaluation's split: a fixed hash of the tortured phrase, independent of file order."""
    return int(hashlib.sha1(phrase.encode()).hexdigest(), 16) % 2 == 1


def aligned_pairs(rows: list[tuple[str, str]]) -> tuple[Counter, Counter, Counter]:
    """Word pairs (observed, original), spinner-output counts and expected-text counts of ``rows``.

    Words are ``Document(...).lower`` tokens, the detector's own tokens (hyphenated words stay one).
    """
    pairs: Counter = Counter()
    output: Counter = Counter()
    expected: Counter = Counter()
    for tortured, original in rows:
        tw, ew = Document(tortured).lower, Document(original).lower
        expected.update(ew)
        if len(tw) == len(ew) >= 2:
            for a, b in zip(tw, ew):
                if a != b:
                    pairs[a, b] += 1
                    output[a] += 1
    return pairs, output, expected


def prior(output: int, expected: int) -> float:
    """Log-odds that the word is a spinner output rather than its legitimate use."""
    return math.log((output + 0.5) / (expected + 0.5))


def table_lines(pairs: Counter, output: Counter, expected: Counter) -> list[str]:
    """The TSV lines (header first), in a fixed order."""
    lines = ["\t".join(HEADER)]
    for (a, b), c in sorted(pairs.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        lines.append(f"{a}\t{b}\t{c}\t{output[a]}\t{expected[a]}\t{prior(output[a], expected[a]):.4f}")
    return lines


def build(out_dir: Path = OUT_DIR) -> dict:
    """Write ``science_pairs.tsv`` and its entry ``science_pairs`` in ``provenance.json``."""
    src = data_dir() / PPS_FILE
    rows = pps_rows(src)
    train = [r for r in rows if not is_heldout(r[0])]
    pairs, output, expected = aligned_pairs(train)
    lines = table_lines(pairs, output, expected)
    (out_dir / PAIRS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    entry = {
        "artifact": PAIRS_FILE,
        "built_by": "python -m scorer.training.build_science",
        "source": f"../shared/data/{PPS_FILE.as_posix()}",
        "source_sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
        "split": SPLIT_RULE,
        "rows": {"single_phrase": len(rows), "train_half": len(train), "heldout_half": len(rows) - len(train)},
        "pairs": len(pairs),
        "observed_words": len(output),
        "content": "word pairs and counts only (rows of one word skipped; no phrase or row of the list stored)",
    }
    return record_provenance(out_dir, "science_pairs", entry)


if __name__ == "__main__":
    import argparse

    argparse.ArgumentParser(prog="python -m scorer.training.build_science",
                            description="Compile models/spin/science_pairs.tsv from the train half of the PPS list "
                            "in ../shared.").parse_args()
    print(json.dumps(build(), indent=2))
