"""Which files a check covers: paths, folders and globs; exclusion patterns; references."""
from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Target:
    """A file to check: ``display`` is how it is named in every output (posix, as given)."""

    display: str
    path: Path


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-like glob as a regex: `**` spans folders, `*` and `?` stay in one segment.

    A pattern without a slash matches the file name in any folder.
    """
    pat = pattern.strip().replace("\\", "/")
    anchored = "/" in pat.rstrip("/")
    pat = pat.lstrip("/")
    if pat.endswith("/"):
        pat += "**"
    out, i = [], 0
    while i < len(pat):
        c = pat[i]
        if pat.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pat.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pat.find("]", i + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pat[i + 1 : j].replace("\\", "\\\\")
                out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    body = "".join(out)
    return re.compile(("" if anchored else "(?:.*/)?") + body + "(?:/.*)?\\Z")


def relative_to_root(path: Path, root: Path) -> str:
    """The path as patterns see it: relative to the configuration root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def matches_any(rel: str, patterns: tuple[str, ...] | list[str]) -> bool:
    return any(glob_regex(p).match(rel) for p in patterns)


def _walk(folder: Path, extensions: tuple[str, ...]) -> list[Path]:
    """Files under ``folder`` with a checked extension; hidden folders and files skipped."""
    exts = tuple(e.lower() for e in extensions)
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(exts):
                found.append(Path(dirpath) / name)
    return found


def _display(p: Path) -> str:
    s = p.as_posix()
    return s[2:] if s.startswith("./") else s


def collect(
    paths: list[str], extensions: tuple[str, ...], exclude: tuple[str, ...], root: Path
) -> tuple[list[Target], list[tuple[str, str]], list[str]]:
    """Expand PATH arguments: (targets, [(path, error)], [warnings]).

    A file named on the command line is checked whatever its extension; folders
    and globs yield only files with a checked extension. Exclusions apply to all.
    """
    targets: list[Target] = []
    errors: list[tuple[str, str]] = []
    warnings: list[str] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key in seen or matches_any(relative_to_root(p, root), exclude):
            return
        seen.add(key)
        targets.append(Target(_display(p), p))

    exts = tuple(e.lower() for e in extensions)
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            for f in _walk(p, extensions):
                add(f)
        elif p.exists() or p.is_symlink():
            add(p)
        elif _GLOB_CHARS.search(arg):
            hits = sorted(glob.glob(arg, recursive=True))
            files = [Path(h) for h in hits if Path(h).is_file() and h.lower().endswith(exts)]
            if not files:
                warnings.append(f"{arg}: no files match")
            for f in files:
                add(f)
        else:
            errors.append((_display(p), f"{_display(p)}: no such file or folder"))
    return targets, errors, warnings


def reference_for(target: Target, reference_dir: Path, extensions: tuple[str, ...]) -> Path | None:
    """The reference of a document in ``reference_dir``: same file name, else same stem."""
    same = reference_dir / target.path.name
    if same.is_file():
        return same
    for ext in extensions:
        cand = reference_dir / (target.path.stem + ext)
        if cand.is_file():
            return cand
    return None
