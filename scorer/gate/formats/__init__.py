"""Output formats of `scorer check`: each module renders a CheckRun to a string."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scorer.gate.results import CheckRun

FORMATS = ("text", "json", "github", "sarif", "junit")


@dataclass(frozen=True)
class RenderOptions:
    """How to render: colour (text), annotation cap (github), verbosity, the exit code."""

    color: bool = False
    max_annotations: int = 10
    verbose: bool = False
    quiet: bool = False
    exit_code: int = 0


def renderer(name: str) -> Callable[[CheckRun, RenderOptions], str]:
    """The render function of a format name."""
    import importlib

    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"scorer.gate.formats.{name}_format")
    return module.render
