"""Repeated speeches: a speech that repeats an earlier one on the same page, exactly or nearly."""
from __future__ import annotations

from .fixers import fixer
from .provenance import Proposal

SHINGLE = 4
THRESHOLD = 0.8


def shingles(text: str) -> set[str]:
    t = "".join(text.split())
    return {t[i:i + SHINGLE] for i in range(max(1, len(t) - SHINGLE + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(small: set[str], big: set[str]) -> float:
    return len(small & big) / len(small) if small else 0.0


@fixer("dedupe")
def dedupe(text: str, ctx, rule) -> list[Proposal]:
    """A speech repeating an earlier one (Jaccard of 4-character shingles >= 0.8, or one
    contained in the other) is dropped, with an edit naming the speech it duplicates; with
    ``--keep-duplicates`` it stays, marked ``duplicate_of``. Of two copies the more complete
    one is kept."""
    speeches = ctx.speeches or []
    sets = [shingles(text[s.start:s.end]) for s in speeches]
    out = []
    for j, later in enumerate(speeches):
        for i in range(j):
            earlier = speeches[i]
            if earlier.dropped or earlier.duplicate_of is not None:
                continue
            a, b = sets[i], sets[j]
            small, big = (a, b) if len(a) <= len(b) else (b, a)
            if jaccard(a, b) < THRESHOLD and not (len(small) > 50 and containment(small, big) >= 0.9):
                continue
            keep, drop = (i, j) if len(b) <= len(a) * 1.05 else (j, i)
            speeches[drop].duplicate_of = keep
            if speeches[keep].title is None:
                speeches[keep].title = speeches[drop].title
            if not ctx.options.keep_duplicates:
                speeches[drop].dropped = True
                s = speeches[drop]
                out.append(Proposal(s.start, s.end, "", rule.id, note=f"duplicate_of={keep}"))
            break
    return sorted(out, key=lambda p: p.start)
