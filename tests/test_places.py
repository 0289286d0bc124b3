"""Places inside places: the compiled WordNet part-holonym table and its lookups."""
from __future__ import annotations

from pathlib import Path

import pytest

from scorer import places
from scorer.places import build_places, place_key, same_place_scale, within


def test_place_key_ignores_dots_case_and_a_leading_the() -> None:
    assert place_key("the U.K.") == place_key("UK") == "uk"
    assert place_key("United_Kingdom") == "united kingdom"


def test_build_follows_part_holonyms_transitively(tmp_path: Path) -> None:
    # data.noun lines: offset lex_filenum ss_type w_cnt (hex) word lex_id ... p_cnt (ptr pos offset src/tgt)...
    lines = [
        "  1 This software and database is being provided ...",
        "00000001 15 n 02 London 0 Greater_London 0 001 #p 00000002 n 0000 | a city",
        "00000002 15 n 01 England 0 001 #p 00000003 n 0000 | a country",
        "00000003 15 n 02 United_Kingdom 0 U.K. 0 000 | a kingdom",
        "00000004 15 n 01 Paris 0 000 | a city with no recorded container",
        "00000005 05 n 01 London 0 001 #p 00000003 n 0000 | not a location file entry",
    ]
    (tmp_path / "data.noun").write_text("\n".join(lines) + "\n", encoding="latin-1")
    out = tmp_path / "places.tsv"
    assert build_places(tmp_path, out) == 3  # london, greater london, england: the rest contain nothing
    rows = dict(line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()[1:])
    assert rows["london"] == "england|uk|united kingdom"
    assert rows["england"] == "uk|united kingdom"


@pytest.mark.skipif(not places.PLACES_PATH.exists(), reason="models/consistency_places.tsv not built")
def test_shipped_table_knows_cities_in_countries() -> None:
    assert within("London", "the U.K.") and within("Manchester", "England") and within("Brussels", "Belgium")
    assert not within("U.K.", "London")  # containment has a direction
    assert same_place_scale("the UK", "London") and same_place_scale("Paris", "France")
    assert not same_place_scale("Berlin", "Paris") and not same_place_scale("France", "Germany")
    assert not within("Nowhereville", "France")
