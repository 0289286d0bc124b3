"""From text to Report: build the Document once, run the families, apply the model."""
from __future__ import annotations

import gc
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from scorer import consistency, quality, readability, spin
from scorer.config import DEFAULT, Config
from scorer.document import Document
from scorer.errors import InputError
from scorer.features import MODES, describe, mode_of
from scorer.model import WORD_COUNT, Classifier, default_classifier
from scorer.report import FamilyResult, Finding, Reason, Report

#: How many reasons a report lists.
MAX_REASONS = 3


def check_text(text: object, config: Config = DEFAULT, what: str = "text") -> str:
    """Return ``text`` if it can be scored, else raise a one-line InputError."""
    if not isinstance(text, str):
        raise InputError(f"{what} must be str, not {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{what} is empty: nothing to score")
    if len(text) > config.max_chars:
        raise InputError(f"{what} is too long: {len(text):,} characters (limit {config.max_chars:,}, see max_chars)")
    if "\x00" in text:
        raise InputError(f"{what} contains NUL bytes: binary data, not text")
    return text


#: Texts analysed together, one family at a time. A family's tables (spin's bigram keys, consistency's token
#: tables) then stay in the CPU caches across the block instead of being evicted by the next family after every
#: text; the block bounds how many Documents are held at once. Same results as one text at a time (tested).
#: Measured against one text at a time, same process, alternating (``bench.time_scorer``, 1,000 distinct
#: 600-word texts, one core, medians of 3): 391 -> 402 texts/s without a reference, 165 -> 175 pairs/s with one.
#: Spin also makes each of its model lookups once for the whole block (``spin.extract_many``): 2.85-3.39 -> 1.66-1.91
#: ms per text (session 19). Blocks of 64 or 128 were no faster for the whole pipeline (406, 419, 411 texts/s).
BLOCK = 32

def _each(extract: Callable[[Document, Any], FamilyResult]) -> Callable[[list[Document], Any], list[FamilyResult]]:
    """A family's ``extract`` over a block of texts, one at a time."""
    return lambda docs, config: [extract(doc, config) for doc in docs]


#: The families every text gets, in feature-column order, each run over a block of texts; consistency follows
#: where there is a reference. Spin looks up its models' tables for the whole block at once (``spin.extract_many``).
_FAMILIES = (
    (_each(readability.extract), "readability"),
    (_each(quality.extract), "quality"),
    (spin.extract_many, "spin"),
)

Row = tuple[dict[str, float], list[Finding]]


def analyze(text: str, reference: str | consistency.Reference | None = None,
            config: Config = DEFAULT) -> Row:
    """Features and findings of one text, without the classifier.

    ``reference`` may be a :func:`consistency.prepare` d source, when many texts are judged against it.
    """
    return analyze_many([text], [reference], config)[0]


def analyze_many(texts: Sequence[str], references: Sequence[str | consistency.Reference | None],
                 config: Config = DEFAULT) -> list[Row]:
    """:func:`analyze` of each text against its reference, computed family by family in blocks of ``BLOCK``."""
    rows: list[Row] = []
    with collector_paused():
        for k in range(0, len(texts), BLOCK):
            rows += _analyze_block(texts[k : k + BLOCK], references[k : k + BLOCK], config)
    return rows


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, and restore its state after.

    Analysis allocates many small lists and tuples and creates no reference cycles (tested: a
    collection after scoring finds nothing), so the collector's passes are pure cost there:
    pausing it gives 4-9% more texts per second (same-process A/B, 600 bench texts, one core).
    Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyze_block(texts: Sequence[str], references: Sequence[str | consistency.Reference | None],
                   config: Config) -> list[Row]:
    docs = [Document(text) for text in texts]
    rows: list[Row] = [({}, []) for _ in docs]
    for extract, key in _FAMILIES:
        for (features, findings), result in zip(rows, extract(docs, getattr(config, key))):
            features.update(result.features)
            findings.extend(result.findings)
    for doc, reference, (features, findings) in zip(docs, references, rows):
        if reference is not None:
            ref = Document(reference) if isinstance(reference, str) else reference
            result = consistency.extract(doc, ref, config.consistency)
            features.update(result.features)
            findings.extend(result.findings)
    for _, findings in rows:
        findings.sort(key=lambda f: (f.start, f.end, f.code))
    return rows


def _reasons(model: Classifier, features: dict[str, float], contrib: np.ndarray,
             shortness: Reason | None = None) -> tuple[Reason, ...]:
    """The features that pushed this document's score down most, in words (with ``shortness``, where the
    text was too short for the model's full confidence and that lowered its score)."""
    worst = [int(k) for k in np.argsort(contrib)[:MAX_REASONS] if contrib[k] < 0]
    reasons = [
        Reason(f, round(float(contrib[k]), 4), _explain(f, features[f], model.typical.get(f)))
        for k in worst
        for f in (model.feature_ids[k],)
    ]
    if shortness is not None and shortness.contribution < 0:
        reasons.append(shortness)
    return tuple(sorted(reasons, key=lambda r: r.contribution)[:MAX_REASONS])


def _shortness(model: Classifier, features: dict[str, float], evidence: float, raw: float) -> Reason | None:
    """How much scaling the log-odds ``raw`` of a text shorter than every training text (``Classifier.evidence``)
    moved them."""
    if evidence >= 1.0 or model.fewest_words is None:
        return None
    n = int(features[WORD_COUNT])
    return Reason(WORD_COUNT, round(raw * evidence - raw, 4),
                  f"too short to judge with full confidence: {n} word{'s' if n != 1 else ''}, fewer than the "
                  f"{model.fewest_words:.0f} of the shortest text the '{model.name}' model learned from, so its "
                  f"log-odds are scaled by {evidence:.2f}")


def _explain(feature: str, value: float, typical: float | None) -> str:
    """`spin: flagged substitutions per 100 words is 4.2 (typical of reliable text: 0)`."""
    family = feature.split(".", 1)[0]
    text = f"{family}: {describe(feature)} is {value:.3g}"
    return text if typical is None else f"{text} (typical of reliable text: {typical:.3g})"


def shared_references(refs: Sequence[str | None]) -> list[str]:
    """The references a batch uses more than once, in first-use order: each is prepared once.

    A source judged against many copies keeps its view and units (``consistency.prepare``):
    1.27x pairs per second with 100 documents per reference. References used once are left
    out: keeping a prepared object alive for each costs more than it saves.
    """
    counts = Counter(r for r in refs if isinstance(r, str))  # anything else fails check_text, with its message
    return [r for r, k in counts.items() if k > 1]


def score(text: str, *, reference: str | None = None, config: Config = DEFAULT) -> Report:
    """Score one document, optionally against a trusted reference text."""
    return score_many([text], references=None if reference is None else [reference], config=config)[0]


def score_many(
    texts: Iterable[str],
    *,
    references: Iterable[str | None] | None = None,
    config: Config = DEFAULT,
) -> list[Report]:
    """Score many documents; the classifier runs once over the whole batch.

    ``references`` pairs one reference (or None) with each text. Bad input
    raises :class:`InputError` naming the position; use the batch runner
    (``scorer batch``) to collect errors per record instead.
    """
    texts = list(texts)
    refs: Sequence[str | None] = [None] * len(texts) if references is None else list(references)
    if len(refs) != len(texts):
        raise InputError(f"{len(texts)} texts but {len(refs)} references")
    for i, (text, ref) in enumerate(zip(texts, refs)):
        where = "text" if len(texts) == 1 else f"text #{i}"
        check_text(text, config, where)
        if ref is not None:
            check_text(ref, config, f"reference of {where}")
    prepared = {ref: consistency.prepare(Document(ref)) for ref in shared_references(refs)}
    rows = analyze_many(texts, [prepared.get(ref, ref) for ref in refs], config)
    modes = [mode_of(text, ref) for text, ref in zip(texts, refs)]
    reports: list[Report | None] = [None] * len(texts)
    for mode in MODES:
        idx = [i for i, m in enumerate(modes) if m == mode]
        if not idx:
            continue
        model = default_classifier(mode)
        batch = [rows[i][0] for i in idx]
        probs, contribs, evidence, log_odds = model.scored(batch)
        for i, p, contrib, k, z in zip(idx, probs, contribs, evidence, log_odds):
            features, findings = rows[i]
            s = float(p)
            reasons = _reasons(model, features, contrib, _shortness(model, features, float(k), float(z)))
            out_of_scope = _out_of_scope(features, findings, config)
            if out_of_scope is not None:
                # an English model's synonym-swap evidence means nothing in another language or a word list
                # (the alphabet repeated twenty times drew 460 spin findings)
                findings = [f for f in findings if f.family != "spin"]
                if s > config.out_of_scope_score:
                    reasons = (_capped(out_of_scope, s, config.out_of_scope_score), *reasons)[:MAX_REASONS]
                    s = config.out_of_scope_score
            reports[i] = Report(
                score=s,
                label="reliable" if s >= config.threshold else "unreliable",
                features=features,
                findings=tuple(findings),
                reasons=reasons,
                has_reference=refs[i] is not None,
                model=model.name,
                out_of_scope=None if out_of_scope is None else out_of_scope.code,
            )
    return [r for r in reports if r is not None]


def _out_of_scope(features: dict[str, float], findings: list[Finding], config: Config) -> Finding | None:
    """The finding of the first ``out_of_scope_rules`` rule that fails, in a text long enough for them; else None.

    The classifiers learned English news, genuine or spun: a text in another language or a word list is
    outside what they saw, and their score for it means nothing (a German article read 0.82, a repeated
    alphabet 1.00). Web-text pipelines drop such documents; here they are not labelled reliable.
    """
    if features[WORD_COUNT] < config.out_of_scope_min_words:
        return None
    by_code = {f.code: f for f in findings if f.family == "quality"}
    return next((by_code[r] for r in config.out_of_scope_rules if r in by_code), None)


def _capped(finding: Finding, score: float, cap: float) -> Reason:
    """The reason that says why the score was capped, with the log-odds the cap took away."""
    drop = _log_odds(cap) - _log_odds(score)
    return Reason(finding.code, round(drop, 4),
                  f"quality: {finding.message} (out of scope: score capped at {cap:g})")


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))
