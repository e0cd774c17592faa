"""What a stage is shown: the current text and what is known about the page so far."""
from __future__ import annotations

from dataclasses import dataclass, field

from .rules import RuleSet


@dataclass(frozen=True)
class Options:
    script: str = "simplified"        # simplified | traditional | keep
    keep_duplicates: bool = False


@dataclass
class SpeechDraft:
    """A speech found by segmentation: a span of the current text plus its metadata."""

    start: int
    end: int
    title: str | None = None
    speaker: str | None = None
    date: str | None = None
    duplicate_of: int | None = None
    dropped: bool = False


@dataclass
class Context:
    """``text`` is the width-folded view stages match on; ``raw`` the real current text, the
    source of anything a stage copies into the output or the metadata (same offsets)."""

    text: str
    rules: RuleSet
    site: str = "unknown"
    options: Options = field(default_factory=Options)
    document: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    speeches: list[SpeechDraft] | None = None
    facts: dict = field(default_factory=dict)   # what one stage learns for a later one
    raw: str = ""

    def __post_init__(self):
        self.raw = self.raw or self.text
