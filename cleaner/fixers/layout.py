"""Layout: one paragraph per line, no blank lines, no leading or trailing spaces."""
from __future__ import annotations

from ..engine import split_lines
from ..provenance import Proposal
from . import fixer

WS = " \t\u3000"


@fixer("tidy")
def tidy(text: str, ctx, rule) -> list[Proposal]:
    """Blank lines go and lines lose leading/trailing spaces (indentation included).

    ``\\u3000\\u3000同志们:\\n\\n\\n今天的会议。 `` -> ``同志们:\\n今天的会议。``
    """
    lines = split_lines(text)
    out = []
    content = [i for i, ln in enumerate(lines) if ln.text.strip(WS)]
    first, last = (content[0], content[-1]) if content else (len(lines), -1)
    for i, ln in enumerate(lines):
        s = ln.text
        if not s.strip(WS):
            if i < first:                       # leading blank lines, newline included
                out.append(Proposal(ln.start, min(ln.stop, len(text)), "", rule.id))
            elif i > last:                      # trailing blank lines: the newline before them
                out.append(Proposal(ln.start - 1, ln.end, "", rule.id))
            else:
                out.append(Proposal(ln.start, ln.stop, "", rule.id))
            continue
        lead = len(s) - len(s.lstrip(WS))
        if lead:
            out.append(Proposal(ln.start, ln.start + lead, "", rule.id))
        trail = len(s.rstrip(WS))
        if trail < len(s):
            out.append(Proposal(ln.start + trail, ln.end, "", rule.id))
    return _merge(out)


def _merge(props: list[Proposal]) -> list[Proposal]:
    props.sort(key=lambda p: (p.start, p.end))
    out: list[Proposal] = []
    for p in props:
        if p.start == p.end:
            continue
        if out and p.start <= out[-1].end:
            last = out[-1]
            out[-1] = Proposal(last.start, max(last.end, p.end), "", p.rule)
        else:
            out.append(p)
    return out
