"""PPS query syntax and matching."""
from __future__ import annotations

import pytest

from scorer.document import Document
from scorer.errors import ConfigError
from scorer.lexicon import Lexicon, load_lexicon, parse_query


def test_parse_and_not_and_proximity():
    q = parse_query('"extricating highlights"~20 NOT specular')
    assert q.phrases == ("extricating highlights",) and q.excluded == ("specular",) and q.near == 20
    q = parse_query('"surface region" AND "surface area"')
    assert q.phrases == ("surface region", "surface area") and q.near == 0


def test_and_requires_all_phrases():
    lex = Lexicon([('"surface region" AND "surface area"', "surface area")])
    assert lex.findings(Document("The surface region was large.")) == []
    found = lex.findings(Document("The surface region and the surface area differ."))
    assert [f.text for f in found] == ["surface region"]


def test_not_excludes_and_proximity_allows_gaps():
    lex = Lexicon([('"surface highlights" NOT specular', "surface features"), ('"exactness accuracy"~5', "accuracy")])
    assert lex.findings(Document("Surface highlights and specular light.")) == []
    text = "The exactness of the accuracy was high."
    found = lex.findings(Document(text))
    assert [(f.text, f.suggestion) for f in found] == [("exactness of the accuracy", "accuracy")]
    assert text[found[0].start : found[0].end] == found[0].text


def test_bad_file_raises_config_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(ConfigError):
        load_lexicon(p)
    with pytest.raises(ConfigError):
        load_lexicon(tmp_path / "missing.csv")


def test_real_pps_list_loads_once(shared):
    path = shared / "data" / "spin" / "pps_tortured_2025-07.csv"
    lex = load_lexicon(path)
    assert len(lex) > 7000
    assert load_lexicon(path) is lex
