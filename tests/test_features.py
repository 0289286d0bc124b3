"""The registry: stable, namespaced ids for features and rules, reused everywhere."""
from __future__ import annotations

import re

from scorer import consistency, quality, readability, spin
from scorer.features import MODES, copied_pair_share, describe, feature_ids, mode_of

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


def test_modes_and_their_columns() -> None:
    assert feature_ids(True) == feature_ids("ref") and feature_ids(False) == feature_ids("noref")
    assert feature_ids("summary") == feature_ids("excerpt") == tuple(consistency.FEATURES)
    assert set(MODES) == {"noref", "ref", "summary", "excerpt"}
    try:
        feature_ids("other")
    except ValueError as exc:
        assert "unknown mode 'other'" in str(exc)
    else:
        raise AssertionError("an unknown mode must be refused")


def test_mode_of_routes_summaries_copies_and_lone_documents() -> None:
    source = "word " * 400
    assert mode_of("a short summary of it", None) == "noref"
    assert mode_of("a short summary of it", source) == "summary"
    assert mode_of("word " * 300, source) == "ref"  # long: a copy or an excerpt, not a summary
    assert mode_of("word " * 150, "word " * 200) == "ref"  # short, but not under half the source
    article = " ".join(f"The council met on day {i} and agreed item {i} of the budget." for i in range(40))
    assert mode_of("The council met on day 3 and agreed item 3 of the budget.", article) == "excerpt"
    assert mode_of("Councillors approved three budget items over several weeks.", article) == "summary"


def test_copied_pair_share_counts_word_pairs_found_in_the_reference() -> None:
    ref = "The Mayor said the bridge will open in May."
    assert copied_pair_share("the mayor SAID the bridge", ref) == 1.0  # case-insensitive
    # pairs: (the, mayor) (mayor, said) (said, it) (it, will) (will, open): three copied
    assert copied_pair_share("The mayor said it will open", ref) == 3 / 5
    assert copied_pair_share("Bridge", ref) == 1.0  # no pair to judge: nothing to paraphrase
    assert copied_pair_share("open bridge", ref) == 0.0  # the words are there, the pair is not
