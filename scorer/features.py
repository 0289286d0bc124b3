"""The feature registry: every feature id, in the order the model sees them."""
from __future__ import annotations

from scorer import consistency, quality, readability, spin

#: Families computed on every document, in column order.
DOCUMENT_FAMILIES = (readability, quality, spin)


def feature_ids(with_reference: bool) -> tuple[str, ...]:
    """Ordered feature ids of the model for this mode (the model's column names)."""
    ids = [fid for fam in DOCUMENT_FAMILIES for fid in fam.FEATURES]
    if with_reference:
        ids.extend(consistency.FEATURES)
    return tuple(ids)


def describe(feature_id: str) -> str:
    """The human description of a feature id."""
    for fam in (*DOCUMENT_FAMILIES, consistency):
        if feature_id in fam.FEATURES:
            return fam.FEATURES[feature_id]
    raise KeyError(feature_id)
