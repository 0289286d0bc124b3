"""Labelled training and test sets for the classifier, built from ../shared/data.

Label 1 = reliable, 0 = unreliable. Every example keeps the id of the article
it came from, and splits are by article (``scorer.data.split_of``), never by
row: a spun or corrupted copy always lands in its original's split.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from scorer.data import Article, data_dir, genuine_split

#: Spinner rates (share of eligible words replaced) sampled for training.
SPIN_RATES = (0.1, 0.2, 0.3, 0.5, 0.8)


@dataclass(frozen=True)
class Example:
    """One labelled document, with its reference when the mode has one."""

    group: str
    kind: str
    text: str
    label: int
    reference: str | None = None
    #: training weight: spun copies of one article share the weight of one document
    weight: float = 1.0


def excerpt(text: str, rng: random.Random, min_share: float = 0.5) -> str:
    """A contiguous run of paragraphs: what a republisher quotes from a report."""
    paras = [p for p in text.split("\n") if p.strip()]
    if len(paras) <= 2:
        return text
    n = max(2, round(len(paras) * rng.uniform(min_share, 1.0)))
    start = rng.randrange(0, len(paras) - n + 1)
    return "\n\n".join(paras[start : start + n])


def spun(article: Article, rng: random.Random, spinner_fn=None) -> Example:
    """The article through the training spinner at a random rate and style."""
    from scorer.training import spinner

    fn = spinner_fn or spinner.spin
    style = rng.choice(spinner.STYLES)
    rate = rng.choice(SPIN_RATES)
    out = fn(article.text, rate=rate, style=style, seed=rng.randrange(1 << 30))
    return Example(article.id, f"spun:{style}:{rate}", out.text, 0)


#: The classifier learns from articles the feature families never saw in training.
CLASSIFIER_SPLITS = ("fit", "val")


def articles(split: str, limit: int | None = None) -> list[Article]:
    """Articles of a split; ``classifier`` means the splits in CLASSIFIER_SPLITS."""
    names = CLASSIFIER_SPLITS if split == "classifier" else (split,)
    return [a for name in names for a in genuine_split(name)][:limit]


def document_examples(split: str, seed: int, limit: int | None = None, copies: int = 1) -> list[Example]:
    """No-reference set: each genuine article, and ``copies`` spun copies of it (weighted 1/copies).

    Several copies at different rates and styles show the classifier more
    kinds of spin without outweighing the genuine class.
    """
    rng = random.Random(seed)
    arts = articles(split, limit)
    out: list[Example] = []
    for a in arts:
        out.append(Example(a.id, "genuine", a.text, 1))
        for _ in range(copies):
            s = spun(a, rng)
            out.append(Example(s.group, s.kind, s.text, 0, weight=1.0 / copies))
    return out


def reference_examples(split: str, seed: int, limit: int | None = None) -> list[Example]:
    """With-reference set: excerpts of an article against the full article.

    Reliable: a faithful excerpt. Unreliable: a spun excerpt, or one with
    FactCC-style corruptions (numbers, names, dates, negations). SummEdits
    pairs are added by :func:`summedits_examples`.
    """
    from scorer.training import corrupt

    rng = random.Random(seed + 1)
    out: list[Example] = []
    for a in articles(split, limit):
        ex = excerpt(a.text, rng)
        out.append(Example(a.id, "excerpt", ex, 1, a.text))
        s = spun(Article(a.id, a.topic, ex), rng)
        out.append(Example(a.id, s.kind, s.text, 0, a.text))
        bad = corrupt.corrupt(ex, seed=rng.randrange(1 << 30))
        if bad.edits:
            out.append(Example(a.id, "corrupted", bad.text, 0, a.text))
    return out


#: Words of a short excerpt: what the excerpt model serves (see ``scorer.features.mode_of``).
SHORT_EXCERPT_WORDS = (60, 200)


def short_excerpt(text: str, rng: random.Random) -> str | None:
    """One to three whole paragraphs, 60-200 words: a quoted passage; None when the article has none."""
    paras = [p for p in text.split("\n") if p.strip()][1:]  # not the headline
    lo, hi = SHORT_EXCERPT_WORDS
    starts = list(range(len(paras)))
    rng.shuffle(starts)
    for start in starts:
        run: list[str] = []
        for p in paras[start : start + 3]:
            if sum(len(q.split()) for q in run) + len(p.split()) > hi:
                break
            run.append(p)
            if sum(len(q.split()) for q in run) >= lo:
                return "\n\n".join(run)
    return None


def short_excerpt_examples(split: str, seed: int, limit: int | None = None) -> list[Example]:
    """Short passages of an article against the full article: faithful, spun, or corrupted.

    Long excerpts (:func:`reference_examples`) are mostly judged by the ``ref``
    model; these give the excerpt model rows of its own kind to learn from and
    to be calibrated on.
    """
    from scorer.training import corrupt

    rng = random.Random(seed + 2)
    out: list[Example] = []
    for a in articles(split, limit):
        ex = short_excerpt(a.text, rng)
        if ex is None:
            continue
        out.append(Example(a.id, "excerpt", ex, 1, a.text))
        s = spun(Article(a.id, a.topic, ex), rng)
        out.append(Example(a.id, s.kind, s.text, 0, a.text))
        bad = corrupt.corrupt(ex, seed=rng.randrange(1 << 30))
        if bad.edits:
            out.append(Example(a.id, "corrupted", bad.text, 0, a.text))
    return out


def summedits_files() -> list[Path]:
    return sorted((data_dir() / "consistency" / "summedits").glob("summedits_*.json"))


def summedits_sources() -> dict[str, list[str]]:
    """Unique SummEdits source documents (``doc`` fields), in file order, per ``domain:split``.

    Genuine text from outside the 2004 BBC corpus (2022-23 news, science
    abstracts, dialogues, calls), for checks on text the families never saw.
    """
    out: dict[str, dict[str, None]] = {}
    for path in summedits_files():
        domain = path.stem.removeprefix("summedits_")
        for row in json.loads(path.read_text(encoding="utf-8")):
            out.setdefault(f"{domain}:{row['split']}", {}).setdefault(row["doc"], None)
    return {k: list(v) for k, v in sorted(out.items())}


def summedits_examples(part: str) -> list[Example]:
    """SummEdits pairs (summary = document, source = reference) of one part.

    ``part`` is SummEdits' own split: ``evaluation`` (used for training) or ``test``.
    """
    out = []
    for path in summedits_files():
        domain = path.stem.removeprefix("summedits_")
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item["split"] == part:
                out.append(
                    Example(f"summedits/{domain}/{_short_hash(item['doc'])}", f"summedits:{domain}",
                            item["summary"], int(item["label"]), item["doc"])
                )
    return out


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]
