"""Stand-ins shared by the batch, sources and Dask tests (importable by worker processes)."""
from __future__ import annotations

from scorer.report import Finding, Report


def fake_score(texts, references):
    """Deterministic stand-in for the classifier: score from the length, a spin finding where the text says 'spin'."""
    out = []
    for text, ref in zip(texts, references):
        at = text.find("spin")
        found = () if at < 0 else (Finding("spin", "spin.substitution", at, at + 4, "spin", "fake"),)
        s = (len(text) % 10) / 10
        out.append(Report(s, "reliable" if s >= 0.5 else "unreliable", {"x.len": float(len(text))}, found,
                          has_reference=ref is not None, model="fake"))
    return out
