"""`scorer score FILE... [--reference FILE] [--format text|json|html] [--lexicon FILE] [--register auto|news|science]`."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scorer.cli import EXIT_INPUT, EXIT_OK
from scorer.config import DEFAULT
from scorer.errors import ConfigError, InputError
from scorer.gate.formats.text_format import shorten
from scorer.html_report import Scored, render_page
from scorer.io import STDIN, read_document
from scorer.pipeline import score
from scorer.report import Report
from scorer.spin import SpinConfig

TOP_FINDINGS = 10


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score documents and print reports")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="UTF-8 text files or HTML pages (.html, .htm: scored by their text) to score; '-' reads "
                   "standard input")
    p.add_argument("--reference", metavar="FILE", help="trusted reference text to check facts against ('-': standard input)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text",
                   help="text for people (default), json for machines, html: one self-contained page with the "
                   "findings marked in the text (redirect it to a file)")
    p.add_argument("--lexicon", metavar="FILE", type=Path,
                   help="external tortured-phrase list (Problematic Paper Screener CSV export)")
    p.add_argument("--register", choices=("auto", "news", "science"), default="auto",
                   help="where the learned scientific spinner pairs (spin.science_pair) apply: "
                   "auto (texts that read as scientific), news (never) or science (always)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if [args.reference, *args.files].count(STDIN) > 1:
        raise ConfigError("standard input ('-') can be read only once: use it for one document or the reference")
    config = DEFAULT.model_copy(update={"spin": spin_config(args)})
    reference = read_document(args.reference) if args.reference else None
    results: list[dict] = []
    pages: list[Scored] = []
    failed = False
    for path in args.files:
        try:
            text = read_document(path)
            report = score(text, reference=reference, config=config)
        except InputError as exc:
            failed = True
            print(f"scorer: error: {exc}", file=sys.stderr)
            results.append({"path": path, "error": str(exc)})
            pages.append(Scored(path, error=str(exc)))
            continue
        if args.format == "json":
            results.append({"path": path, **report.to_dict()})
        elif args.format == "html":
            pages.append(Scored(path, text, report))
        else:
            print(render_text(path, text, report))
    if args.format == "json":
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        print()
    elif args.format == "html":
        sys.stdout.write(render_page(pages))
    return EXIT_INPUT if failed else EXIT_OK


def spin_config(args: argparse.Namespace) -> SpinConfig:
    """The spin settings the command line asks for (``--lexicon``, ``--register``)."""
    if args.lexicon is not None and not args.lexicon.is_file():
        raise ConfigError(f"--lexicon {args.lexicon}: no such file")
    return SpinConfig(lexicon=args.lexicon, register=args.register)


def render_text(path: str, text: str, report: Report) -> str:
    """A short human summary: score, label, reasons and the top findings with line numbers."""
    out = [f"{path}: {report.label} (score {report.score:.2f})"]
    for r in report.reasons:
        out.append(f"  why: {r.message}")
    severity_rank = {"error": 0, "warning": 1, "info": 2}
    top = sorted(report.findings, key=lambda f: (severity_rank[f.severity], f.start))[:TOP_FINDINGS]
    for f in top:
        line = text.count("\n", 0, f.start) + 1
        hint = f" -> {f.suggestion!r}" if f.suggestion else ""
        out.append(f"  {line}: {f.severity} {f.code} {shorten(f.text)!r}{hint}: {f.message}")
    if len(report.findings) > TOP_FINDINGS:
        out.append(f"  ... and {len(report.findings) - TOP_FINDINGS} more findings (use --format json)")
    return "\n".join(out)
