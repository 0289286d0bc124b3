"""The `scorer` command line: one module per subcommand.

Exit codes (documented in the README and stable):
  0  success / the gate passed
  1  the gate failed (documents scored too low)
  2  usage, configuration or model error
  3  input errors (unreadable, empty, binary files); the rest were still processed
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scorer.errors import ScorerError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from scorer import __version__
    from scorer.cli import score_cmd

    parser = _Parser(prog="scorer", description="Score how reliable a document is and how good its text is.")
    parser.add_argument("--version", action="version", version=f"scorer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in (score_cmd, *_optional_commands()):
        module.register(sub)
    return parser


def _optional_commands() -> list:
    """Subcommands living in their own modules (check, config, batch, sources, ...)."""
    import importlib

    mods = []
    for name in ("check_cmd", "config_cmd", "batch_cmd", "sources_cmd"):
        try:
            mods.append(importlib.import_module(f"scorer.cli.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"scorer.cli.{name}":
                raise
    return mods


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ScorerError as exc:
        print(f"scorer: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("scorer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
