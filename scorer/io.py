"""Reading documents from disk with one-line errors for bad input."""
from __future__ import annotations

import sys
from pathlib import Path

from scorer.errors import InputError
from scorer.html_text import page_text

#: Files larger than this are refused before being read (bytes).
MAX_FILE_BYTES = 8_000_000


#: The path that means standard input on the command line.
STDIN = "-"


def read_text_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (BOM tolerated), or standard input for ``-``, or raise InputError saying why not."""
    if str(path) == STDIN:
        return _decode("<stdin>", sys.stdin.buffer.read(max_bytes + 1), max_bytes)
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
    if p.is_dir():
        raise InputError(f"{p}: is a directory")
    if size > max_bytes:
        raise InputError(f"{p}: file is too large ({size:,} bytes, limit {max_bytes:,})")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
    return _decode(str(p), data, max_bytes)


def _decode(name: str, data: bytes, max_bytes: int) -> str:
    """The bytes of a text input as str, or InputError: too large, binary, not UTF-8, or empty."""
    if len(data) > max_bytes:
        raise InputError(f"{name}: input is too large (over {max_bytes:,} bytes)")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise InputError(f"{name}: empty file: nothing to score")
    return text


#: File name endings read as HTML pages (:func:`read_document`); any input that starts with a doctype or an
#: ``<html>`` tag is read as one too.
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


def is_html(name: str, text: str) -> bool:
    """Whether a document is an HTML page: by its file name ending, or by how its text begins."""
    dot = name.rfind(".")
    if dot >= 0 and name[dot:].lower() in HTML_SUFFIXES:
        return True
    return text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))


def read_document(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The text to score from a file (or ``-``): :func:`document_text` of its contents, or InputError saying why not."""
    name = "<stdin>" if str(path) == STDIN else str(path)
    out = document_text(read_text_file(path, max_bytes), name)
    if not out.strip():
        raise InputError(f"{name}: the HTML page holds no text outside scripts, styles and page furniture")
    return out


def document_text(text: str, name: str = "") -> str:
    """``text`` as it is, or an HTML page (:func:`is_html`) reduced to its text (:func:`scorer.html_text.page_text`)."""
    return page_text(text) if is_html(name, text) else text
