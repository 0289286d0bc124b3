"""Shared fixtures. Tests that need ../shared skip without it, and fail under CI.

CI sets SCORER_REQUIRE_SHARED=1 so that nothing is silently skipped there.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from scorer.data import REPO
from scorer.errors import ScorerError

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """Path to ../shared; skips (or fails under CI) when absent."""
    from scorer.data import shared_dir

    try:
        return shared_dir()
    except ScorerError as exc:
        if os.environ.get("SCORER_REQUIRE_SHARED"):
            pytest.fail(f"SCORER_REQUIRE_SHARED is set but {exc}")
        pytest.skip(f"needs the shared data: {exc}")


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """The project's own seed copies, by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}
