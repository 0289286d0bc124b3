"""Reading documents from disk with one-line errors for bad input."""
from __future__ import annotations

from pathlib import Path

from scorer.errors import InputError

#: Files larger than this are refused before being read (bytes).
MAX_FILE_BYTES = 8_000_000


def read_text_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (BOM tolerated) or raise InputError saying why not."""
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
    if b"\x00" in data[:8192]:
        raise InputError(f"{p}: binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not valid UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise InputError(f"{p}: empty file: nothing to score")
    return text
