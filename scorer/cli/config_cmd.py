"""`scorer config --show`: print the effective configuration and where each value came from."""
from __future__ import annotations

import argparse
import sys

from scorer.cli import EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    from scorer.gate.options import add_settings_arguments

    p = sub.add_parser(
        "config",
        help="show the effective configuration and where each value came from",
        description="Reads pyproject.toml [tool.scorer] and scorer.toml like `scorer check` does, "
        "applies the same options, and prints the result with the source of every value.",
    )
    p.add_argument("--show", action="store_true", help="print the effective configuration (the default action)")
    p.add_argument("--format", choices=("toml", "json"), default="toml")
    add_settings_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from scorer.gate.evaluate import validate_keys
    from scorer.gate.options import settings_from
    from scorer.gate.show import render_json, render_toml

    settings = settings_from(args)
    validate_keys(settings)
    sys.stdout.write(render_json(settings) if args.format == "json" else render_toml(settings))
    return EXIT_OK
