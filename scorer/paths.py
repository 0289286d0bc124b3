"""Where the compiled artifacts (models, tables) live.

In a checkout (and an editable install) that is the repository's ``models/``;
a wheel ships the same folder as the package data ``scorer/_models``.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def models_root() -> Path:
    installed = PACKAGE / "_models"
    return installed if installed.is_dir() else PACKAGE.parent / "models"


#: The folder holding every compiled artifact of the project.
MODELS = models_root()
