"""Exceptions with one-line messages, and the exit codes the command line maps them to."""
from __future__ import annotations


class ScorerError(Exception):
    """Base class: every error the scorer raises on purpose."""

    exit_code = 2


class InputError(ScorerError):
    """The text cannot be scored (empty, binary, not UTF-8, too large)."""

    exit_code = 3


class ConfigError(ScorerError):
    """Configuration or usage is invalid."""

    exit_code = 2


class ModelError(ScorerError):
    """The trained model is missing or does not match the code."""

    exit_code = 2
