"""Repetition the site introduced: a line or block printed twice in a row, a title repeated inline."""
from __future__ import annotations

import regex

from ..engine import split_lines
from ..provenance import Proposal
from . import fixer

MAX_BLOCK = 12
INLINE_REPEAT = regex.compile(r"^(\S(?:[^\s。!?;]{4,58})\S)((?:[ \t\u3000]+\1)+)[ \t\u3000]+(?=\S)", regex.VERSION1)


def _content(text: str):
    return [ln for ln in split_lines(text) if ln.text.strip()]


def _drop(lines, a: int, b: int, text_len: int, rule_id: str) -> Proposal:
    """Drop content lines a..b-1 together with the blank lines after each of them."""
    start = lines[a].start
    stop = lines[b].start if b < len(lines) else min(lines[b - 1].stop, text_len)
    return Proposal(start, stop, "", rule_id)


@fixer("repeated-lines")
def repeated_lines(text: str, ctx, rule) -> list[Proposal]:
    """A block of lines pasted twice in a row keeps one copy; so does a line printed 2-3 times.

    ``标题\\n标题\\n同志们:`` -> ``标题\\n同志们:``; ``甲。\\n乙。\\n甲。\\n乙。`` -> ``甲。\\n乙。\\n``
    """
    lines = _content(text)
    keys = [ln.text.strip() for ln in lines]
    out, i = [], 0
    while i < len(lines):
        for k in range(min(MAX_BLOCK, (len(lines) - i) // 2), 0, -1):
            if keys[i:i + k] == keys[i + k:i + 2 * k] and sum(map(len, keys[i:i + k])) >= 4:
                # the block may itself repeat a shorter unit (a line printed 4 times is a 2-line
                # block printed twice): keep one copy of the smallest unit, in one pass (BUG-13)
                p = _period(keys[i:i + k])
                j = i + p
                while keys[j:j + p] == keys[i:i + p]:
                    j += p
                out.append(_drop(lines, i + p, j, len(text), rule.id))
                i = j
                break
        else:
            i += 1
    return out


def _period(block: list[str]) -> int:
    """The length of the shortest unit that ``block`` repeats whole and that is long enough to
    count as a repetition (>= 4 characters: ``好。`` twice is not one); ``len(block)`` if none."""
    k = len(block)
    for p in range(1, k):
        if k % p == 0 and block == block[:p] * (k // p) and sum(map(len, block[:p])) >= 4:
            return p
    return k


@fixer("prefix-line")
def prefix_lines(text: str, ctx, rule) -> list[Proposal]:
    """A paragraph printed first cut short and then in full keeps only the full copy.

    ``企业的发展亦是如此。\\n企业的发展亦是如此。目前,我们…`` -> ``企业的发展亦是如此。目前,我们…``
    """
    lines = _content(text)
    out = []
    for a, b in zip(lines, lines[1:]):
        ka, kb = a.text.strip(), b.text.strip()
        if len(ka) >= rule.options.get("min_len", 15) and len(kb) > len(ka) and kb.startswith(ka):
            out.append(Proposal(a.start, b.start, "", rule.id))
    return out


@fixer("inline-title")
def inline_repeated_title(text: str, ctx, rule) -> list[Proposal]:
    """A heading repeated at the start of a run-together line becomes one heading line.

    ``讲话 讲话 今天的会议…`` (a preview chunk's first line) -> ``讲话\\n今天的会议…``
    """
    out = []
    for ln in split_lines(text):
        m = INLINE_REPEAT.match(ln.text)
        if m:
            out.append(Proposal(ln.start + m.end(1), ln.start + m.end(), "\n", rule.id))
    return out
