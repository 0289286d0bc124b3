"""Places inside places, from WordNet's part holonyms: `London` is in `England`, which is in the `U.K.`

A document that says `London` where its source says `the U.K.` (or the other
way round) names the same place at another scale; the consistency family must
not call that a contradiction. WordNet 3.0 records, for its ~3,200 location
synsets (lexicographer file ``noun.location``), which larger place each is a
part of (``#p``). ``python -m scorer.places`` compiles that relation into
``models/consistency_places.tsv``: one line per place name with every place
that contains it, transitively. Names are matched after :func:`place_key`
(lower case, no dots, no leading "the"), so `U.K.`, `UK` and `the UK` agree.
A name with several senses (`Paris`, France or Texas) is inside the union of
its senses' containers: a lenient reading, the right side to err on when the
alternative is reporting a contradiction.
"""
from __future__ import annotations

import argparse
from functools import lru_cache
from pathlib import Path

from scorer.paths import MODELS

PLACES_PATH = MODELS / "consistency_places.tsv"
#: WordNet's lexicographer file number of ``noun.location``.
_LOCATION_FILE = "15"
#: Part-of steps followed upwards (city -> county -> region -> country -> continent).
_MAX_DEPTH = 8


def place_key(name: str) -> str:
    """How a place name is looked up: lower case, dots and a leading "the" dropped, spaces single."""
    words = name.replace(".", "").replace("_", " ").lower().split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _location_synsets(data_noun: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Offset -> (capitalised lemma names, offsets it is a part of) for WordNet's location synsets."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for line in data_noun.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        parts = line.split(" ")
        if parts[1] != _LOCATION_FILE:
            continue
        n_words = int(parts[3], 16)
        names = [parts[4 + 2 * k] for k in range(n_words)]
        p = 4 + 2 * n_words
        n_ptr = int(parts[p])
        part_of = [parts[p + 2 + 4 * k] for k in range(n_ptr) if parts[p + 1 + 4 * k] == "#p"]
        out[parts[0]] = ([n for n in names if n[:1].isupper()], part_of)
    return out


def build_places(wordnet_dir: str | Path = "/usr/share/wordnet", out: Path = PLACES_PATH) -> int:
    """Compile ``name<TAB>container|container...`` lines from WordNet; returns the number of names."""
    synsets = _location_synsets(Path(wordnet_dir) / "data.noun")
    containers: dict[str, set[str]] = {}
    for offset, (names, _) in synsets.items():
        seen: set[str] = set()
        frontier = list(synsets[offset][1])
        for _ in range(_MAX_DEPTH):
            frontier = [o for o in frontier if o in synsets and o not in seen]
            if not frontier:
                break
            seen.update(frontier)
            frontier = [up for o in frontier for up in synsets[o][1]]
        around = {place_key(n) for o in seen for n in synsets[o][0]}
        for name in names:
            key = place_key(name)
            containers.setdefault(key, set()).update(around - {key})
    rows = {k: v for k, v in containers.items() if v}
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        f.write("# WordNet 3.0 (Princeton WordNet licence; Debian wordnet-base): each noun.location name with the "
                "places it is part of (#p, transitively). Rebuild: python -m scorer.places\n")
        for key in sorted(rows):
            f.write(f"{key}\t{'|'.join(sorted(rows[key]))}\n")
    return len(rows)


@lru_cache(maxsize=1)
def _containers() -> dict[str, frozenset[str]]:
    """The compiled table, loaded on first use (empty when it was never built)."""
    if not PLACES_PATH.exists():
        return {}
    table: dict[str, frozenset[str]] = {}
    with PLACES_PATH.open(encoding="utf-8") as f:
        next(f)
        for line in f:
            key, _, around = line.rstrip("\n").partition("\t")
            table[key] = frozenset(around.split("|"))
    return table


def within(inner: str, outer: str) -> bool:
    """Whether the place named ``inner`` is part of the place named ``outer`` (`London` in `the U.K.`)."""
    return place_key(outer) in _containers().get(place_key(inner), ())


def same_place_scale(a: str, b: str) -> bool:
    """Whether one of two place names contains the other: another scale of one place, not a different one."""
    return within(a, b) or within(b, a)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile WordNet's places-inside-places table.")
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    args = parser.parse_args(argv)
    print(f"{build_places(args.wordnet)} place names -> {PLACES_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
