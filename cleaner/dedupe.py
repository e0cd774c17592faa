"""Repeated speeches: a speech that repeats an earlier one on the same page, exactly or nearly."""
from __future__ import annotations

from functools import lru_cache

import regex

from .fixers import fixer
from .provenance import Proposal

SHINGLE = 4
THRESHOLD = 0.8
# a speech is compared with the WINDOW speeches before it and with every earlier speech that
# shares one of its sentences (the first WINDOW of them): all pairs on any real page, and a
# bounded number on a pathological one (thousands of tiny "speeches")
WINDOW = 50
SENTENCE = regex.compile(r"[^。!?;!?;.\n]+")


def sentences(text: str) -> frozenset[str]:
    return frozenset(s.strip() for s in SENTENCE.findall(text) if len(s.strip()) >= 4)


@lru_cache(maxsize=256)
def shingles(text: str) -> frozenset[str]:
    t = "".join(text.split())
    return frozenset(t[i:i + SHINGLE] for i in range(max(1, len(t) - SHINGLE + 1)))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(small: frozenset, big: frozenset) -> float:
    return len(small & big) / len(small) if small else 0.0


def repeats(a_text: str, b_text: str, a_sent: frozenset, b_sent: frozenset) -> bool:
    """Same speech, exactly or nearly: character-shingle Jaccard >= 0.8, or one contained in the
    other. Sentence sets rule out most pairs before any shingling."""
    small, big = (a_sent, b_sent) if len(a_sent) <= len(b_sent) else (b_sent, a_sent)
    if small and containment(small, big) < 0.3:
        return False
    a, b = shingles(a_text), shingles(b_text)
    s_small, s_big = (a, b) if len(a) <= len(b) else (b, a)
    return jaccard(a, b) >= THRESHOLD or (len(s_small) > 50 and containment(s_small, s_big) >= 0.9)


@fixer("dedupe")
def dedupe(text: str, ctx, rule) -> list[Proposal]:
    """A speech repeating an earlier one (Jaccard of 4-character shingles >= 0.8, or one
    contained in the other) is dropped, with an edit naming the speech it duplicates; with
    ``--keep-duplicates`` it stays, marked ``duplicate_of``. Of two copies the more complete
    one is kept."""
    speeches = ctx.speeches or []
    texts = [text[s.start:s.end] for s in speeches]
    sents = [sentences(t) for t in texts]
    sharing: dict[str, list[int]] = {}   # sentence -> the first speeches that hold it
    out = []
    for j, later in enumerate(speeches):
        for i in _candidates(j, sents[j], sharing):
            earlier = speeches[i]
            if earlier.dropped or earlier.duplicate_of is not None:
                continue
            if not repeats(texts[i], texts[j], sents[i], sents[j]):
                continue
            keep, drop = (i, j) if len(texts[j]) <= len(texts[i]) * 1.05 else (j, i)
            speeches[drop].duplicate_of = keep
            if speeches[keep].title is None:
                speeches[keep].title = speeches[drop].title
            if not ctx.options.keep_duplicates:
                speeches[drop].dropped = True
                s = speeches[drop]
                out.append(Proposal(s.start, s.end, "", rule.id, note=f"duplicate_of={keep}"))
            break
        for sentence in sents[j]:
            holders = sharing.setdefault(sentence, [])
            if len(holders) < WINDOW:
                holders.append(j)
    shingles.cache_clear()
    return sorted(out, key=lambda p: p.start)


def _candidates(j: int, sents: frozenset, sharing: dict[str, list[int]]) -> list[int]:
    """Earlier speeches worth comparing with speech ``j``, in page order."""
    found = set(range(max(0, j - WINDOW), j))
    for sentence in sents:
        found.update(sharing.get(sentence, ()))
    return sorted(found)
