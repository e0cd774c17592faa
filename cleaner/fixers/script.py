"""Fixers of the script stage."""
from __future__ import annotations

from . import fixer  # noqa: F401
