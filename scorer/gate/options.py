"""Command-line options shared by `scorer check` and `scorer config` (they feed the settings)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scorer.gate.settings import Settings, _merge, load_settings, parse_assignment


def add_settings_arguments(p: argparse.ArgumentParser, *, with_baseline: bool = True) -> None:
    g = p.add_argument_group("configuration (overrides pyproject.toml [tool.scorer] and scorer.toml)")
    g.add_argument("--config", metavar="FILE", type=Path, help="read this pyproject.toml or scorer.toml instead of searching")
    g.add_argument("--isolated", action="store_true", help="ignore configuration files: defaults and options only")
    g.add_argument("--fail-under", metavar="SCORE", type=float, help="fail documents scoring below SCORE (0..1)")
    g.add_argument("--fail-on", choices=("error", "warning", "info"), help="lowest severity that fails (default: error)")
    if with_baseline:
        g.add_argument("--baseline", metavar="FILE", help="baseline file: known problems fail only when worse")
    g.add_argument(
        "--set", metavar="KEY=VALUE", action="append", default=[], dest="assignments",
        help="any configuration key, e.g. --set spin.min_score=0.7 or --set thresholds.spin.max=3 (repeatable)",
    )


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    """The command-line layer of the settings."""
    out: dict[str, Any] = {}
    sources: dict = {}
    for text in args.assignments:
        _merge(out, parse_assignment(text), "command line", sources)
    if args.fail_under is not None:
        out["fail_under"] = args.fail_under
    if args.fail_on is not None:
        out["fail_on"] = args.fail_on
    if getattr(args, "baseline", None):
        out["baseline"] = str(Path(args.baseline).resolve())
    return out


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(Path.cwd(), config_file=args.config, isolated=args.isolated, overrides=overrides_from(args))
