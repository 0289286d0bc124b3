"""`scorer check PATH...`: the quality gate for CI (see docs/check.md)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scorer.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK
from scorer.errors import ConfigError

#: Input errors echoed to stderr when the report itself goes elsewhere; the report has all of them.
MAX_STDERR_ERRORS = 20


def register(sub: argparse._SubParsersAction) -> None:
    from scorer.gate.formats import FORMATS
    from scorer.gate.options import add_settings_arguments

    p = sub.add_parser(
        "check",
        help="fail when documents score too low (a CI gate)",
        description="Check text and Markdown files against the quality bar. Exit codes: 0 passed, "
        "1 the gate failed, 2 usage or configuration error, 3 input errors (the rest still checked).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (searched for .txt/.md) or globs")
    ref = p.add_mutually_exclusive_group()
    ref.add_argument("--reference", metavar="FILE", type=Path, help="trusted reference text for every document")
    ref.add_argument("--reference-dir", metavar="DIR", type=Path, help="references matched by file name")
    p.add_argument("--update-baseline", action="store_true", help="write the current results to the baseline and pass")
    p.add_argument(
        "--format", metavar="FORMAT[:FILE]", action="append", dest="formats",
        help=f"output format, one of {', '.join(FORMATS)} (default text); repeat with :FILE to write several",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the (first) report to FILE instead of stdout")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour text output (auto: on a terminal)")
    p.add_argument("--max-annotations", metavar="N", type=int, help="github format: annotations per level (default 10)")
    p.add_argument("-j", "--jobs", metavar="N", type=int, help="worker processes (default: automatic)")
    p.add_argument("-q", "--quiet", action="store_true", help="text format: only failing results")
    p.add_argument("-v", "--verbose", action="store_true", help="text format: list passed documents too")
    add_settings_arguments(p)
    p.set_defaults(func=run)


def parse_formats(specs: list[str] | None, output: str | None) -> list[tuple[str, str | None]]:
    """`--format json --format sarif:out.sarif` -> [(json, None), (sarif, out.sarif)]."""
    from scorer.gate.formats import FORMATS

    out: list[tuple[str, str | None]] = []
    for spec in specs or ["text"]:
        name, _, dest = spec.partition(":")
        if name not in FORMATS:
            raise ConfigError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
        out.append((name, dest or None))
    to_stdout = [i for i, (_, d) in enumerate(out) if d is None]
    if output is not None:
        if not to_stdout:
            raise ConfigError("--output names a file but every --format already has one")
        out[to_stdout[0]] = (out[to_stdout[0]][0], output)
        to_stdout = to_stdout[1:]
    if len(to_stdout) > 1:
        raise ConfigError("only one --format can go to standard output; give the others a file (FORMAT:FILE)")
    return out


def use_color(mode: str) -> bool:
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def exit_code(run) -> int:
    """3 when any file could not be checked (the result is incomplete), else 1 when the gate failed."""
    if run.input_errors:
        return EXIT_INPUT
    return EXIT_FAILED if run.failed else EXIT_OK


def _write(dest: str, text: str) -> None:
    try:
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        Path(dest).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {dest}: {exc.strerror}") from None


def run(args: argparse.Namespace) -> int:
    from scorer.gate.formats import RenderOptions, renderer
    from scorer.gate.formats.github_format import job_summary
    from scorer.gate.options import settings_from
    from scorer.gate.runner import CheckOptions, run_check

    formats = parse_formats(args.formats, args.output)
    settings = settings_from(args)
    options = CheckOptions(
        paths=tuple(args.paths),
        reference=args.reference,
        reference_dir=args.reference_dir,
        update_baseline=args.update_baseline,
        jobs=args.jobs,
    )
    result = run_check(options, settings)
    code = exit_code(result)
    for warning in result.warnings:
        print(f"scorer: warning: {warning}", file=sys.stderr)
    if not result.documents:
        print("scorer: warning: no documents to check", file=sys.stderr)
    text_on_stdout = any(name == "text" and dest is None for name, dest in formats)
    if not text_on_stdout:
        errors = [d.error for d in result.documents if d.status == "error"]
        for message in errors[:MAX_STDERR_ERRORS]:
            print(f"scorer: error: {message}", file=sys.stderr)
        if len(errors) > MAX_STDERR_ERRORS:
            print(f"scorer: error: ... and {len(errors) - MAX_STDERR_ERRORS} more input errors (all are in the report)", file=sys.stderr)
    cap = settings.gate.max_annotations if args.max_annotations is None else max(0, args.max_annotations)
    for name, dest in formats:
        opts = RenderOptions(
            color=dest is None and name == "text" and use_color(args.color),
            max_annotations=cap, verbose=args.verbose, quiet=args.quiet, exit_code=code,
        )
        rendered = renderer(name)(result, opts)
        if dest is None:
            sys.stdout.write(rendered)
            sys.stdout.flush()
        else:
            _write(dest, rendered)
        if name == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            try:
                with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
                    fh.write(job_summary(result))
            except OSError as exc:
                print(f"scorer: warning: cannot write the job summary: {exc.strerror}", file=sys.stderr)
    return code
