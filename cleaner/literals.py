"""Literal prefilters: the strings one of which every match of a pattern must contain.

A line that holds none of a rule's literals cannot match it, so the rule is skipped there with
a substring test instead of a regex search. Derived from the pattern itself (Python's own regex
parser); a pattern it cannot read, or one with no such literal, gets no prefilter (None).
"""
from __future__ import annotations

try:  # Python 3.11+
    import re._parser as sre_parse
    from re._constants import (ANY, AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, NOT_LITERAL,
                               SUBPATTERN, POSSESSIVE_REPEAT, ASSERT, ASSERT_NOT)
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse
    from sre_constants import (ANY, AT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, NOT_LITERAL,
                               SUBPATTERN, ASSERT, ASSERT_NOT)
    POSSESSIVE_REPEAT = None

import re

Need = frozenset  # a set of alternative strings, one of which a match contains
MAX_ALTERNATIVES = 64


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """``时间[::]\\d+`` -> {"时间"}; ``^(?:下载|点击下载)文档$`` -> {"下载"} (or the two words);
    ``\\p{Han}+`` -> None."""
    if flags & re.IGNORECASE or "(?i" in pattern:
        return None
    try:
        tree = sre_parse.parse(_neutralise(pattern))
    except Exception:
        return None
    need = _seq(list(tree))
    if not need or any(not s for s in need) or len(need) > MAX_ALTERNATIVES:
        return None
    return frozenset(need)


def _neutralise(pattern: str) -> str:
    """Replace the regex module's property escapes (\\p{Han}) by something that requires no
    literal: any character outside a class, a range inside one."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            if pattern[i + 1] in "pP" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                j = pattern.find("}", i)
                out.append("\\x00-\\x01" if in_class else ".")
                i = j + 1 if j > 0 else len(pattern)
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
            out.append(c)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":
                out.append("]")
                i += 1
        elif c == "]" and in_class:
            in_class = False
            out.append(c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _better(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    """Of two requirements of one sequence, the more selective (longest shortest string)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _seq(items: list) -> frozenset | None:
    best: frozenset | None = None
    run = ""
    for op, av in items:
        if op is LITERAL:
            run += chr(av)
            continue
        if run:
            best = _better(best, frozenset([run]))
            run = ""
        best = _better(best, _item(op, av))
    if run:
        best = _better(best, frozenset([run]))
    return best


def _item(op, av) -> frozenset | None:
    if op is SUBPATTERN:
        return _seq(list(av[-1]))
    if op is BRANCH:
        alts = [_seq(list(b)) for b in av[1]]
        if any(a is None for a in alts):
            return None
        out = frozenset().union(*alts)
        return out if len(out) <= MAX_ALTERNATIVES else None
    if op in (MAX_REPEAT, MIN_REPEAT) or (POSSESSIVE_REPEAT is not None and op is POSSESSIVE_REPEAT):
        lo, _hi, sub = av
        return _seq(list(sub)) if lo >= 1 else None
    if op is IN:
        chars = [chr(v) for o, v in av if o is LITERAL]
        if len(chars) == len(av) and 0 < len(chars) <= 8:
            return frozenset(chars)
        return None
    return None  # ANY, AT, categories, lookarounds, back references: nothing required
