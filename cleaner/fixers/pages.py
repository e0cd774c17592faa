"""Fixers of the pages stage."""
from __future__ import annotations

from . import fixer  # noqa: F401
