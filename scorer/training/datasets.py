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
    style = rng.choice(spinner.CLASSIFIER_STYLES)
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
    rng = random.Random(seed + 1)
    return [e for a in articles(split, limit) for e in excerpt_triple(a, excerpt(a.text, rng), rng)]


def excerpt_triple(article: Article, ex: str, rng: random.Random) -> list[Example]:
    """An excerpt against its article: faithful (1), spun (0) and, when the corruptor finds something, corrupted (0)."""
    from scorer.training import corrupt

    out = [Example(article.id, "excerpt", ex, 1, article.text)]
    s = spun(Article(article.id, article.topic, ex), rng)
    out.append(Example(article.id, s.kind, s.text, 0, article.text))
    bad = corrupt.corrupt(ex, seed=rng.randrange(1 << 30))
    if bad.edits:
        out.append(Example(article.id, "corrupted", bad.text, 0, article.text))
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
    rng = random.Random(seed + 2)
    out: list[Example] = []
    for a in articles(split, limit):
        ex = short_excerpt(a.text, rng)
        if ex is not None:
            out += excerpt_triple(a, ex, rng)
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


#: Unsupported details :func:`hallucinate` splices into a sentence, in the ways real summarisers invent
#: them (a day, a year, a place, a count, a source, a sum). Hand-written; no dataset text.
_DETAILS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (" on {}", ("Monday", "Tuesday", "Thursday", "Friday", "Sunday")),
    (" in {}", tuple(str(y) for y in range(2009, 2021))),
    (" {}", ("in Chicago", "in Manchester", "in southern France", "near the border", "in Sydney", "in the capital")),
    (", for the first time in {} years", tuple(str(n) for n in range(3, 40))),
    (" with {}", ("12 staff", "40 workers", "300 customers", "85 members", "two partners", "six people")),
    (", according to {}", ("a police spokesman", "the company chairman", "local officials", "a senior minister")),
    (" for {}", ("$4 million", "£12 million", "$2.5 billion", "£800,000")),
)


def hallucinate(summary: str, other_source: str, rng: random.Random) -> tuple[str, str]:
    """The summary with one thing its source never says: a sentence of another source, or a spliced detail.

    Returns ``(kind, text)`` with kind ``sentence`` or ``detail``. SummEdits' own
    edits are mostly in-place swaps; these are the extrinsic hallucinations that
    abstractive summarisers add, which a model fitted on swaps alone would
    learn to ignore (its novel-word weight was 0).
    """
    from scorer.text import split_sentences

    sentences = split_sentences(summary)
    borrowed = [other_source[a:b].strip() for a, b in split_sentences(other_source) if 8 <= len((other_source[a:b]).split()) <= 30]
    if borrowed and rng.random() < 0.5:
        at = rng.choice([0] + [b for _, b in sentences])
        return "sentence", f"{summary[:at].rstrip()} {rng.choice(borrowed)} {summary[at:].lstrip()}".strip()
    a, b = rng.choice(sentences)
    sentence = summary[a:b].rstrip()
    cut = len(sentence) - (sentence[-1:] in (".", "!", "?"))
    template, fillers = rng.choice(_DETAILS)
    detail = template.format(rng.choice(fillers))
    return "detail", summary[:a] + sentence[:cut] + detail + sentence[cut:] + summary[a + len(sentence):]


def hallucinated_examples(part: str, seed: int = 0) -> list[Example]:
    """For each consistent SummEdits summary of ``part``, a copy with one extrinsic hallucination (label 0).

    Kind ``hallucinated:<domain>:<sentence|detail>``; grouped with its SummEdits
    domain in cross-validation.
    """
    rng = random.Random(seed + 3)
    out = []
    for path in summedits_files():
        domain = path.stem.removeprefix("summedits_")
        items = [i for i in json.loads(path.read_text(encoding="utf-8")) if i["split"] == part]
        sources = list(dict.fromkeys(i["doc"] for i in items))
        for item in items:
            others = [s for s in sources if s != item["doc"]]
            if item["label"] != 1 or not others or not item["summary"].strip():
                continue
            kind, text = hallucinate(item["summary"], rng.choice(others), rng)
            out.append(Example(f"summedits/{domain}/{_short_hash(item['doc'])}", f"hallucinated:{domain}:{kind}",
                               text, 0, item["doc"]))
    return out


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]
