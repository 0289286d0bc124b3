"""The feature registry: every feature id, in the order the model sees them."""
from __future__ import annotations

import re

from scorer import consistency, quality, readability, spin

#: Families computed on every document, in column order.
DOCUMENT_FAMILIES = (readability, quality, spin)


#: The classifiers: ``noref`` (no reference), ``ref`` (a document against its source,
#: e.g. a republished copy), ``summary`` (a much shorter rewrite of its source) and
#: ``excerpt`` (a much shorter text mostly copied from its source).
MODES = ("noref", "ref", "summary", "excerpt")
#: A document at most this many words long, and under half its reference, is a summary or an excerpt.
SUMMARY_MAX_WORDS = 200
SUMMARY_MAX_RATIO = 0.5
#: ... an excerpt when at least this share of its word pairs is copied from the reference.
#: Copied text and paraphrase need separate calibrations: an unsupported number is damning in a
#: copied paragraph (a corruption) and weak evidence in a paraphrase (SummEdits' consistent
#: summaries say "Q2" or "YoY" where the call said "second quarter"); one model for both was
#: over-confident on one and under-confident on the other (ECE 0.104). Chosen by out-of-fold
#: calibration error on the training rows among 0.5-0.9 (``scorer.training.train``).
EXCERPT_MIN_COPIED = 0.8
_WORD = re.compile(r"\w+")

#: The direction each feature can move the odds of "reliable": +1 only up, -1 only down.
#: The classifiers are fitted with these signs as bounds (``scorer.training.train.fit_model``), so a
#: benchmark artefact cannot teach that, say, more unsupported sentences mean a more faithful summary
#: (SummEdits' consistent paraphrases carry more new words than its edited summaries), and every
#: reason a report gives reads the right way round. Features not listed are unconstrained: overall
#: alignment and bigram overlap are high both for a faithful excerpt and for a spun copy of the source.
EXPECTED_SIGN: dict[str, int] = {
    "consistency.number_precision": 1,
    "consistency.date_precision": 1,
    "consistency.entity_precision": 1,
    "consistency.entity_local_precision": 1,
    "consistency.unsupported_unit_share": -1,
    "consistency.contradiction_count": -1,
    "consistency.contradiction_rate": -1,
    "consistency.negation_mismatch_count": -1,
    "consistency.antonym_count": -1,
    "consistency.alignment_min": 1,
    # alignment_mean and bigram_precision stay free, though by their meaning more support can only help: the
    # summary model weighs bigram_precision -0.06 (SummEdits' consistent summaries reword more). Bounded at >= 0
    # (session 14, full retrain): summary AUC 0.593 -> 0.585, excerpt 0.989 -> 0.983 (ECE 0.017 -> 0.021),
    # inserted-hallucination check sentence 0.802 -> 0.800, detail 0.792 -> 0.797. No gain to show for it.
    "consistency.support_min": 1,
    "consistency.unsupported_sentence_share": -1,
    "consistency.novel_word_share": -1,
    "consistency.novel_rare_max": -1,
    "consistency.rewrite_share": -1,
    "consistency.rewrite_swap_rate": -1,
    "consistency.score": 1,
    "consistency.unexplained_novel_share": -1,
    "consistency.unexplained_novel_ratio": -1,
    # Spin evidence only ever lowers the odds (unbounded, the collinear evidence columns let
    # `strong_evidence_rate` take a positive weight). The text's overall unfamiliarity to the bigram
    # tables (novelty and the three background rates of unattested pairs) only ever raises them:
    # on a new topic or era the same spin evidence means less.
    **{f"spin.{name}": -1 for name in (
        "finding_density", "posterior_mean", "prior", "evidence_mean", "strong_evidence_rate",
        "strict_density", "lexicon_density", "context_density", "top_context_odds", "weak_odds_sum",
        "original_elsewhere")},
    **{f"spin.{name}": 1 for name in ("novelty", "weak_share", "weak_pair_rate", "unseen_bigram_rate")},
    # Stronger collocations between common words only ever raise them (a swap breaks them).
    "spin.common_pair_pmi": 1,
    # So does a better fit under the trigram model.
    "spin.lm_fit": 1,
    "spin.lm_swappable_fit": 1,
    "spin.lm_worst_fit": 1,
    # Synonyms that fit the model far better than the words in place only ever lower them.
    "spin.lm_synonym_llr": -1,
    "spin.lm_phrase_llr": -1,
    # Readability and quality columns stay free: bounding them too (harder words and quality defects
    # only lower the odds) moved seed 004 from 0.15 to 0.35 and cost the held-out evaluation spinner
    # 0.003-0.01 AUC (``python -m scorer.training.train`` with each set of bounds, session 12).
}


def mode_of(text: str, reference: str | None) -> str:
    """Which classifier scores this pair.

    A summary is judged only on its consistency with the source: its style says
    little (SummEdits' summaries are a sentence or three), and the copy-vs-original
    model, trained on article excerpts, is not calibrated for it. A short text
    mostly copied from its source (an excerpt, a corrupted or lightly spun one) is
    judged on the same features by its own model: see EXCERPT_MIN_COPIED.
    """
    if reference is None:
        return "noref"
    words, ref_words = len(text.split()), len(reference.split())
    if words > SUMMARY_MAX_WORDS or words >= SUMMARY_MAX_RATIO * ref_words:
        return "ref"
    return "excerpt" if copied_pair_share(text, reference) >= EXCERPT_MIN_COPIED else "summary"


def copied_pair_share(text: str, reference: str) -> float:
    """Share of the text's adjacent word pairs (lower-cased) that the reference also has; 1 when it has none.

    One regex pass over each text, so routing costs little next to the consistency
    family; an excerpt scores near 1, a paraphrase lower (SummEdits: 0.1-0.8).
    """
    words = _WORD.findall(text.lower())
    pairs = set(zip(words, words[1:]))
    if not pairs:
        return 1.0
    ref = _WORD.findall(reference.lower())
    return len(pairs & set(zip(ref, ref[1:]))) / len(pairs)


def feature_ids(mode: str | bool) -> tuple[str, ...]:
    """Ordered feature ids of the model for a mode (its column names); True/False mean ref/noref."""
    mode = {True: "ref", False: "noref"}.get(mode, mode) if isinstance(mode, bool) else mode
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    document = [fid for fam in DOCUMENT_FAMILIES for fid in fam.FEATURES]
    if mode == "noref":
        return tuple(document)
    if mode in ("summary", "excerpt"):
        return tuple(consistency.FEATURES)
    return (*document, *consistency.FEATURES)


def describe(feature_id: str) -> str:
    """The human description of a feature id."""
    for fam in (*DOCUMENT_FAMILIES, consistency):
        if feature_id in fam.FEATURES:
            return fam.FEATURES[feature_id]
    raise KeyError(feature_id)
