"""`scorer batch INPUT -o OUTPUT`: score a folder, JSONL or CSV corpus into JSONL or CSV rows."""
from __future__ import annotations

import argparse
import sys

from scorer.batch import CHUNK_SIZE, Columns, run_batch
from scorer.cli import EXIT_INPUT, EXIT_OK
from scorer.errors import ConfigError


def add_column_options(p: argparse.ArgumentParser) -> None:
    """--text-column and friends, shared with `scorer sources`."""
    g = p.add_argument_group("input columns (JSONL keys or CSV header names)")
    for name, default in ((f, getattr(Columns(), f)) for f in Columns.__dataclass_fields__):
        g.add_argument(f"--{name}-column", dest=f"{name}_column", default=default, metavar="NAME",
                       help=f"field holding the {name} (default: {default})")


def columns_from(args: argparse.Namespace) -> Columns:
    return Columns(**{f: getattr(args, f"{f}_column") for f in Columns.__dataclass_fields__})


def positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="score a corpus (folder, JSONL, CSV) into JSONL or CSV, in input order",
        description="Score every record of INPUT into OUTPUT in input order. Records that cannot be "
        "scored go to the errors file with their id and reason (exit 3); the rest are still scored.",
    )
    p.add_argument("input", metavar="INPUT", help="a folder of text files, a .jsonl or a .csv file")
    p.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="rows out: .jsonl or .csv")
    p.add_argument("--errors", metavar="PATH", help="errors file (default: OUTPUT stem + .errors.jsonl)")
    p.add_argument("--format", choices=("jsonl", "csv"), help="output format (default: from OUTPUT's suffix)")
    p.add_argument("--jobs", "-j", type=positive, default=1, metavar="N", help="local worker processes (default 1)")
    p.add_argument("--chunk-size", type=positive, default=CHUNK_SIZE, metavar="N",
                   help=f"records scored per call (default {CHUNK_SIZE})")
    p.add_argument("--resume", action="store_true", help="skip ids already in OUTPUT or the errors file")
    p.add_argument("--dask", metavar="ADDRESS",
                   help="score on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' "
                   "for a local cluster of --jobs worker processes")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show a progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")
    add_column_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.dask is not None:
        from scorer.distributed import connect

        with connect(args.dask, n_workers=args.jobs) as client:
            summary = _run(args, client)
    else:
        summary = _run(args, None)
    print(
        f"scorer: scored {summary.scored}, failed {summary.failed}, skipped {summary.skipped} "
        f"in {summary.seconds:.1f} s ({summary.docs_per_second:.0f} docs/s) -> {summary.output}"
        + (f"; errors in {summary.errors}" if summary.failed else ""),
        file=sys.stderr,
    )
    return EXIT_INPUT if summary.failed else EXIT_OK


def _run(args: argparse.Namespace, client: object):
    if args.dask is not None and args.jobs > 1 and args.dask != "local":
        raise ConfigError("--jobs sets local processes; with a remote --dask cluster, size the cluster instead")
    return run_batch(
        args.input,
        args.output,
        columns=columns_from(args),
        errors=args.errors,
        output_fmt=args.format,
        jobs=args.jobs if client is None else 1,
        chunk_size=args.chunk_size,
        resume=args.resume,
        client=client,
        progress=args.progress,
    )
