"""Code-backed rules: small pure functions, each named by a ``kind = "fixer"`` rule in ``rules/``.

A fixer takes the current text and the page context and returns proposals carrying the rule id
it was called for. It never edits strings itself: the provenance layer applies its proposals.
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..provenance import Proposal

Fixer = Callable[..., Iterable[Proposal]]
FIXERS: dict[str, Fixer] = {}


def fixer(name: str) -> Callable[[Fixer], Fixer]:
    def register(fn: Fixer) -> Fixer:
        if name in FIXERS:
            raise ValueError(f"fixer {name} registered twice")
        FIXERS[name] = fn
        return fn
    return register


def load_all() -> dict[str, Fixer]:
    """Import every fixer module so that its functions register themselves."""
    from . import chrome, encoding, layout, web, script, pages, paragraphs, repeats  # noqa: F401
    from .. import segment, dedupe  # noqa: F401
    return FIXERS
