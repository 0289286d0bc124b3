"""The registry: stable, namespaced ids for features and rules, reused everywhere."""
from __future__ import annotations

import re

from scorer import consistency, quality, readability, spin
from scorer.features import describe, feature_ids

FAMILIES = {"readability": readability, "quality": quality, "spin": spin, "consistency": consistency}


def test_feature_ids_are_namespaced_unique_and_ordered() -> None:
    ids = feature_ids(True)
    assert len(ids) == len(set(ids))
    assert ids[: len(feature_ids(False))] == feature_ids(False)
    for fid in ids:
        family, _, name = fid.partition(".")
        assert family in FAMILIES and re.fullmatch(r"[a-z0-9_]+", name), fid
        assert describe(fid)


def test_every_family_declares_its_rules() -> None:
    for family, module in FAMILIES.items():
        assert module.RULES, family
        for code in module.RULES:
            assert code.startswith(f"{family}."), code


def test_emitted_codes_are_declared(seed_texts: dict[str, str]) -> None:
    from scorer.config import DEFAULT
    from scorer.document import Document

    texts = list(seed_texts.values())
    docs = [Document(t) for t in texts]
    for doc, ref in zip(docs, docs[::-1]):
        results = [readability.extract(doc, DEFAULT.readability), quality.extract(doc, DEFAULT.quality),
                   spin.extract(doc, DEFAULT.spin), consistency.extract(doc, ref, DEFAULT.consistency)]
        for result in results:
            for f in result.findings:
                assert f.code in FAMILIES[f.family].RULES, f.code
