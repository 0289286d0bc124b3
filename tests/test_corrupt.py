"""FactCC-style corruptions: deterministic, well-formed edits the consistency family detects."""
from __future__ import annotations

import pytest

from scorer.consistency import ConsistencyConfig, extract
from scorer.document import Document
from scorer.training.corrupt import KINDS, corrupt

ARTICLE = (
    "Shares in Acme rose 12% on Monday after the firm said profits had reached $30 million. "
    "Chief executive John Smith said the company was confident about next year. "
    "Analysts at Barclays said the results were strong, but Maria Lopez of Citigroup was more cautious. "
    "The firm will publish its full accounts in March 2005 and employs 4,500 people in Leeds."
)


def test_deterministic_and_offsets_point_into_result():
    a = corrupt(ARTICLE, seed=3)
    assert a == corrupt(ARTICLE, seed=3)
    assert a.text != ARTICLE and 1 <= len(a.edits) <= 3
    for e in a.edits:
        assert a.text[e.start:e.end] == e.new and e.old != e.new and e.kind in KINDS


def test_seeds_differ():
    assert len({corrupt(ARTICLE, seed=s).text for s in range(10)}) > 3


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_applies_and_is_detected(kind):
    detected = 0
    for seed in range(6):
        c = corrupt(ARTICLE, kinds=(kind,), seed=seed, n_edits=1)
        assert len(c.edits) == 1 and c.edits[0].kind == kind
        e = c.edits[0]
        res = extract(Document(c.text), Document(ARTICLE), ConsistencyConfig())
        detected += any(f.start < e.end and e.start < f.end for f in res.findings)
    assert detected >= 4, kind


def test_unknown_kind_rejected():
    with pytest.raises(ValueError, match="unknown corruption kinds"):
        corrupt(ARTICLE, kinds=("typo",))


def test_nothing_to_corrupt_returns_text_unchanged():
    c = corrupt("lovely weather", kinds=("number", "date"), seed=1)
    assert c.text == "lovely weather" and c.edits == ()
