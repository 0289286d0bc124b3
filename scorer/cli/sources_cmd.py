"""`scorer sources INPUT`: how reliable each source (outlet) of a corpus is."""
from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import IO

from scorer.cli import EXIT_OK
from scorer.cli.batch_cmd import add_column_options, columns_from, positive
from scorer.sources import FIELDS, SourceScore, aggregate, collect, format_table, load_ratings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sources",
        help="aggregate document scores per source, with shrinkage and intervals",
        description="Score each source of INPUT: raw records (folder, JSONL, CSV; scored now) or the "
        "output of `scorer batch`. A record's source is its `source` field, else the registered "
        "domain of its URL; in a folder, the top-level subfolder.",
    )
    p.add_argument("input", metavar="INPUT")
    p.add_argument("--ratings", metavar="PATH",
                   help="ratings table giving each domain a prior (Lin et al. 2023 domain,pc1 CSV or "
                   "Baly et al. 2018 corpus.tsv; a folder holding one works too)")
    p.add_argument("--ratings-format", choices=("lin2023", "baly2018"), help="default: detected from the header")
    p.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--min-docs", type=positive, default=1, metavar="N", help="list only sources with N documents or more")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")
    p.add_argument("-o", "--output", metavar="PATH", help="write the table here instead of stdout")
    p.add_argument("--jobs", "-j", type=positive, default=1, metavar="N", help="processes when scoring raw records")
    add_column_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ratings = load_ratings(args.ratings, args.ratings_format) if args.ratings else None
    got = collect(args.input, columns=columns_from(args), jobs=args.jobs)
    rows = [r for r in aggregate(got.docs, ratings=ratings, level=args.level) if r.n >= args.min_docs]
    out: IO[str] = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        write(rows, args.format, out, args.level)
    finally:
        if args.output:
            out.close()
    notes = []
    if got.unresolved:
        notes.append(f"{got.unresolved} documents without a resolvable source were left out")
    if got.failed:
        notes.append(f"{got.failed} records could not be scored (run `scorer batch` to list them)")
    if got.out_of_scope:
        notes.append(f"{got.out_of_scope} documents that are not English prose (out_of_scope) were left out")
    if notes:
        print("scorer: " + "; ".join(notes), file=sys.stderr)
    return EXIT_OK


def write(rows: list[SourceScore], fmt: str, out: IO[str], level: float) -> None:
    if fmt == "json":
        json.dump([r.to_dict() for r in rows], out, indent=2)
        out.write("\n")
    elif fmt == "csv":
        w = csv.DictWriter(out, FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow(r.to_dict())
    else:
        out.write(format_table(rows, level) + "\n")


