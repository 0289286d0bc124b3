"""The feature registry: every feature id, in the order the model sees them."""
from __future__ import annotations

from scorer import consistency, quality, readability, spin

#: Families computed on every document, in column order.
DOCUMENT_FAMILIES = (readability, quality, spin)


#: The classifiers: ``noref`` (no reference), ``ref`` (a document against its source,
#: e.g. a republished copy) and ``summary`` (a much shorter text against its source).
MODES = ("noref", "ref", "summary")
#: A document at most this many words long, and under half its reference, is a summary.
SUMMARY_MAX_WORDS = 200
SUMMARY_MAX_RATIO = 0.5

#: The direction each consistency feature can move the odds of "reliable": +1 only up, -1 only down.
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
    "consistency.support_min": 1,
    "consistency.unsupported_sentence_share": -1,
    "consistency.novel_word_share": -1,
    "consistency.novel_rare_max": -1,
    "consistency.rewrite_share": -1,
    "consistency.rewrite_swap_rate": -1,
    "consistency.score": 1,
    "consistency.unexplained_novel_share": -1,
    "consistency.unexplained_novel_ratio": -1,
}


def mode_of(text: str, reference: str | None) -> str:
    """Which classifier scores this pair.

    A summary is judged only on its consistency with the source: its style says
    little (SummEdits' summaries are a sentence or three), and the copy-vs-original
    model, trained on article excerpts, is not calibrated for it.
    """
    if reference is None:
        return "noref"
    words, ref_words = len(text.split()), len(reference.split())
    return "summary" if words <= SUMMARY_MAX_WORDS and words < SUMMARY_MAX_RATIO * ref_words else "ref"


def feature_ids(mode: str | bool) -> tuple[str, ...]:
    """Ordered feature ids of the model for a mode (its column names); True/False mean ref/noref."""
    mode = {True: "ref", False: "noref"}.get(mode, mode) if isinstance(mode, bool) else mode
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {MODES}")
    document = [fid for fam in DOCUMENT_FAMILIES for fid in fam.FEATURES]
    if mode == "noref":
        return tuple(document)
    if mode == "summary":
        return tuple(consistency.FEATURES)
    return (*document, *consistency.FEATURES)


def describe(feature_id: str) -> str:
    """The human description of a feature id."""
    for fam in (*DOCUMENT_FAMILIES, consistency):
        if feature_id in fam.FEATURES:
            return fam.FEATURES[feature_id]
    raise KeyError(feature_id)
