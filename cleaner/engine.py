"""Run the data rules of one stage (line, block, zone, inline, table) over a text.

One pass: zones and blocks claim whole lines first, then line rules run on the lines left,
then inline and table rules on what survives. The proposals returned never overlap.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import regex

from .provenance import Proposal
from .rules import Rule

META_KEYS = ("title", "published", "author", "uploader", "source", "doc_id", "format", "pages", "size")


@dataclass(slots=True)
class Line:
    start: int      # offset of the first character
    end: int        # offset of the newline (or end of text)
    text: str

    @property
    def stop(self) -> int:
        """End including the newline, so dropping [start, stop) removes the whole line."""
        return self.end + 1


_LAST_SPLIT: list = [None, None]


def split_lines(text: str) -> list[Line]:
    """The lines of ``text`` with their offsets. The last result is kept: consecutive stages
    that leave the text unchanged share one split (callers must not mutate the list)."""
    if _LAST_SPLIT[0] is text:
        return _LAST_SPLIT[1]
    lines, pos = [], 0
    for chunk in text.split("\n"):
        lines.append(Line(pos, pos + len(chunk), chunk))
        pos += len(chunk) + 1
    _LAST_SPLIT[0], _LAST_SPLIT[1] = text, lines
    return lines


def _line_span(line: Line, text_len: int) -> tuple[int, int]:
    return line.start, min(line.stop, text_len)


def _neighbour(lines: list[Line], i: int, step: int) -> str | None:
    j = i + step
    while 0 <= j < len(lines):
        if lines[j].text.strip():
            return lines[j].text.strip()
        j += step
    return None


def _line_matches(rule: Rule, lines: list[Line], i: int, text: str | None = None):
    text = lines[i].text.strip() if text is None else text
    if not text or (rule.max_len and len(text) > rule.max_len):
        return None
    if rule.literals is not None and not any(lit in text for lit in rule.literals):
        return None
    # the neighbours first: their patterns are anchored and fail fast on most lines
    if rule.next is not None:
        nxt = _neighbour(lines, i, 1)
        if nxt is None or not rule.next.search(nxt):
            return None
    if rule.prev is not None:
        prv = _neighbour(lines, i, -1)
        if prv is None or not rule.prev.search(prv):
            return None
    return rule.pattern.search(text)


@lru_cache(maxsize=512)
def _field_pattern(pattern: str):
    return regex.compile(pattern, regex.VERSION1)


def extract_metadata(m, rule: Rule, raw_line: str | None = None) -> dict:
    """Facts a chrome line states: its named groups, plus ``options.fields`` searched anywhere
    in the line (sites print upload metadata in any order). Values are cut from ``raw_line``
    (the line as written) at the offsets matched in the folded view."""
    raw_line = m.string if raw_line is None else raw_line
    found = {k: raw_line[m.start(k):m.end(k)] for k, v in m.groupdict().items() if v is not None}
    for key, pattern in rule.options.get("fields", {}).items():
        fm = _field_pattern(pattern).search(m.string)
        if fm and not found.get(key):
            found[key] = raw_line[fm.start(1):fm.end(1)]
    out = {}
    for key, value in found.items():
        if key in META_KEYS and value and value.strip():
            value = value.strip()
            out[key] = int(value) if key == "pages" and value.isdigit() else value
    for key, value in rule.options.get("set", {}).items():
        out[key] = value
    return out


def _gate(rule: Rule):
    """Strings one of which a line must hold for an inline rule to be tried there: the
    ``requires`` hint, or the literals every match of the pattern contains."""
    if rule.kind == "table":
        return frozenset(k[0] for k, _ in rule.table)
    req = rule.options.get("requires")
    return frozenset(req) if req else rule.literals


class _Probe:
    """Which of a stage's rules can match a line, from the literals each rule needs.

    One pass of a plain alternation over the whole text finds the lines holding any literal
    (most body lines hold none, and skip every rule that has literals). On those lines the same
    scan gives the literals found; a rule is a candidate when one of its literals is a prefix of
    a literal found (the longer one won at that position) or could start inside it (the scan
    does not overlap). Candidates still test their literals; rules without literals are
    candidates everywhere; the order is the catalog's.
    """

    def __init__(self, rules: list[Rule], gate):
        self.rules = tuple(rules)   # also keeps the ids in the cache key from being reused
        needs = [gate(r) for r in rules]
        self.need = {id(r): g for r, g in zip(rules, needs)}   # each rule's literals, by rule
        # literals hold no newline, so a match never crosses from one line into the next
        literals = sorted({lit for g in needs if g for lit in g if "\n" not in lit}, key=len, reverse=True)
        self.free = [r for r, g in zip(rules, needs) if g is None]
        self._free_mask = 0
        owners: dict[str, int] = {}
        for i, g in enumerate(needs):
            if g is None:
                self._free_mask |= 1 << i
            for lit in g or ():
                if "\n" not in lit:
                    owners[lit] = owners.get(lit, 0) | (1 << i)
        # the standard library's engine, on the literals folded into a trie: at each position
        # one branch per distinct next character, so the scan does not try every literal
        self.pattern = re.compile(_trie_pattern(literals)) if literals else None
        # rules whose literals begin with a given string: the literals a match may run into
        starting: dict[str, int] = {}
        for lit, m in owners.items():
            for k in range(1, len(lit) + 1):
                starting[lit[:k]] = starting.get(lit[:k], 0) | m
        self._mask = {found: self._reach(found, owners, starting) for found in literals}
        self._by_mask: dict[int, list[Rule]] = {}

    @staticmethod
    def _reach(found: str, owners: dict[str, int], starting: dict[str, int]) -> int:
        """The rules with a literal that may be present where ``found`` matched: one inside
        ``found`` (at any offset), or one that starts inside it and runs on past its end. Found
        by lookups, not by comparing every pair of literals (the catalog has hundreds)."""
        mask = 0
        n = len(found)
        for i in range(n):
            for j in range(i + 1, n + 1):
                mask |= owners.get(found[i:j], 0)
            if i:
                mask |= starting.get(found[i:], 0)
        return mask

    def lines_hit(self, text: str, lines: list[Line]) -> dict[int, int]:
        """The lines holding a literal, each with the mask of the rules that may match it
        (one scan of the whole text; literals hold no newline, so no match crosses lines)."""
        if self.pattern is None:
            return {}
        starts = [line.start for line in lines] if len(lines) > 1 else [0]
        hit: dict[int, int] = {}
        masks = self._mask
        i, line_end, mask = -1, -1, 0
        for m in self.pattern.finditer(text):
            if m.start() > line_end:
                if i >= 0:
                    hit[i] = mask
                i = bisect_right(starts, m.start()) - 1
                line_end, mask = lines[i].end, self._free_mask
            mask |= masks[m.group()]
        if i >= 0:
            hit[i] = mask
        return hit

    def candidates(self, mask: int) -> list[Rule]:
        """The rules of ``mask`` (from :meth:`lines_hit`): a superset of those whose literals
        occur in the line, and a small one, in catalog order."""
        rules = self._by_mask.get(mask)
        if rules is None:
            rules = self._by_mask[mask] = [r for i, r in enumerate(self.rules) if mask >> i & 1]
        return rules


def _trie_pattern(words: list[str]) -> str:
    """One regular expression matching the same strings as the alternation of ``words``,
    longest first (``ab|a`` and ``a(?:b)?`` find the same matches), with shared prefixes
    factored out.

    >>> _trie_pattern(["ab", "ac", "a"])
    'a(?:b|c)?'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:   # no word ends here
            return body
        grouped = len(branches) > 1 or len(body) == 1
        return (body if grouped else "(?:" + body + ")") + "?"

    return build(trie)


_PROBES: dict[tuple, _Probe] = {}


def _probe(rules: list[Rule], gate) -> _Probe:
    key = (tuple(id(r) for r in rules), gate)
    probe = _PROBES.get(key)
    if probe is None:
        probe = _PROBES[key] = _Probe(rules, gate)
    return probe


def _line_literals(rule: Rule):
    return rule.literals


def run_data_rules(text: str, rules: list[Rule], metadata: dict, raw: str | None = None) -> list[Proposal]:
    """Proposals of every data rule in ``rules`` over ``text`` (the folded view; ``raw`` is the
    real text at the same offsets); fills ``metadata`` from extract rules."""
    raw = text if raw is None else raw
    lines = split_lines(text)

    def raw_stripped(line: Line) -> str:
        lead = len(line.text) - len(line.text.lstrip())
        return raw[line.start + lead:line.start + lead + len(line.text.strip())]

    claimed: dict[int, str] = {}  # line index -> rule id
    for rule in rules:
        if rule.kind == "zone":
            _claim_zone(rule, lines, claimed)
    for rule in rules:
        if rule.kind == "block":
            _claim_block(rule, lines, claimed)
    props: list[Proposal] = []
    line_rules = [r for r in rules if r.kind == "line"]
    line_probe = _probe(line_rules, _line_literals)
    line_hits = line_probe.lines_hit(text, lines)
    inline_rules = [r for r in rules if r.kind in ("inline", "table")]
    inline_probe = _probe(inline_rules, _gate)
    inline_hits = inline_probe.lines_hit(text, lines)
    longest = max((r.max_len or 10**9 for r in line_rules), default=0)
    for i, line in enumerate(lines):
        stripped = line.text.strip()
        candidates = line_probe.candidates(line_hits[i]) if i in line_hits else line_probe.free
        if i in claimed:  # inside a zone or block: still read the facts it states, in page order
            for rule in candidates:
                if rule.action == "extract" and (m := _line_matches(rule, lines, i, stripped)):
                    for k, v in extract_metadata(m, rule, raw_stripped(line)).items():
                        metadata.setdefault(k, v)
                    break
            continue
        for rule in (candidates if stripped and len(stripped) <= longest else ()):
            if rule.max_len and len(stripped) > rule.max_len:
                continue
            m = _line_matches(rule, lines, i, stripped)
            if m is None:
                continue
            if rule.action == "replace":
                raw_line = raw[line.start:line.end]
                new = rule.pattern.sub(rule.replace, raw_line)
                if new == raw_line:
                    continue
                props.append(Proposal(line.start, line.end, new, rule.id))
                break
            if rule.action == "extract":
                # every extract rule that matches the line adds what it knows
                for other in candidates:
                    om = m if other is rule else (_line_matches(other, lines, i, stripped)
                                                  if other.action == "extract" else None)
                    if om:
                        for k, v in extract_metadata(om, other, raw_stripped(line)).items():
                            metadata.setdefault(k, v)
            claimed[i] = rule.id
            break
        else:
            for rule in (inline_probe.candidates(inline_hits[i]) if i in inline_hits else inline_probe.free):
                gate = inline_probe.need[id(rule)]
                if gate is None or any(c in line.text for c in gate):
                    props.extend(_inline(rule, line, raw))
            continue
    props.extend(_merge_claimed(lines, claimed, len(text)))
    props.sort(key=lambda p: (p.start, p.end))
    return _drop_overlaps(props)


def _claim_zone(rule: Rule, lines: list[Line], claimed: dict[int, str]) -> None:
    """From the ``anchor`` line to the end of the page (or from its start). With
    ``options.stop`` (a pattern), an ``after`` zone ends before the first line matching it:
    a speech's salutation after a comment section is the next speech, not a comment. With
    ``options.from_share``, only an anchor in the page's last part counts (a comment count
    in a page's header is not its comment section)."""
    stop = _field_pattern(rule.options["stop"]) if rule.options.get("stop") else None
    first = int(len(lines) * rule.options.get("from_share", 0))   # anchors above this are not it
    for i, line in enumerate(lines):
        if i in claimed or i < first:
            continue
        if _line_matches_plain(rule.anchor, line, rule.max_len):
            rng = range(i, len(lines)) if rule.direction == "after" else range(0, i + 1)
            for j in rng:
                if stop is not None and j > i and stop.search(lines[j].text.strip()):
                    break
                claimed.setdefault(j, rule.id)
            return


def _line_matches_plain(pattern, line: Line, max_len: int | None) -> bool:
    text = line.text.strip()
    return bool(text) and not (max_len and len(text) > max_len) and bool(pattern.search(text))


def _claim_block(rule: Rule, lines: list[Line], claimed: dict[int, str]) -> None:
    """From a ``start`` line through the first ``end`` line within ``max_lines``. With
    ``options.inner_max_len``, a longer line (or one ending a sentence) before the end is body
    text: the block is abandoned there, or with ``options.open_end`` ends before it."""
    inner_max = rule.options.get("inner_max_len")
    open_end = rule.options.get("open_end", False)
    i = 0
    while i < len(lines):
        if i not in claimed and _line_matches_plain(rule.start, lines[i], rule.max_len):
            last = None
            for j in range(i, min(len(lines), i + rule.max_lines)):
                text = lines[j].text.strip()
                if (j > i or rule.options.get("same_line_end", True)) and rule.end.search(text):
                    last = j
                    break
                if j > i and inner_max and text and (len(text) > inner_max or text[-1] in "。!?!?"):
                    if open_end:
                        last = j - 1
                        while last > i and not lines[last].text.strip():
                            last -= 1
                    break
            if last is not None:
                for k in range(i, last + 1):
                    claimed.setdefault(k, rule.id)
                i = last
        i += 1


def _inline(rule: Rule, line: Line, raw: str) -> Iterator[Proposal]:
    if rule.kind == "table":
        pattern = _table_pattern(rule)
        for m in pattern.finditer(line.text):
            yield Proposal(line.start + m.start(), line.start + m.end(), dict(rule.table)[m.group()], rule.id)
        return
    for m in rule.pattern.finditer(line.text):
        if m.start() == m.end():
            continue
        new = _expand_raw(m, rule.replace, raw, line.start) if rule.action == "replace" else ""
        yield Proposal(line.start + m.start(), line.start + m.end(), new, rule.id)


def _expand_raw(m, template: str, raw: str, offset: int) -> str:
    """``m.expand(template)`` with group values taken from the real text, not the folded view."""
    if "\\" not in template and "$" not in template:
        return template
    parts = regex.split(r"\\(\d+)|\\g<(\w+)>", template)
    out = []
    for k, part in enumerate(parts):
        if part is None:
            continue
        if k % 3 == 0:
            out.append(part.encode().decode("unicode_escape") if "\\" in part else part)
        else:
            g = int(part) if part.isdigit() else part
            if m.group(g) is not None:
                out.append(raw[offset + m.start(g):offset + m.end(g)])
    return "".join(out)


_TABLE_CACHE: dict[int, object] = {}


def _table_pattern(rule: Rule):
    key = id(rule)
    if key not in _TABLE_CACHE:
        keys = sorted((k for k, _ in rule.table), key=len, reverse=True)
        _TABLE_CACHE[key] = regex.compile("|".join(regex.escape(k) for k in keys))
    return _TABLE_CACHE[key]


def _merge_claimed(lines: list[Line], claimed: dict[int, str], text_len: int) -> list[Proposal]:
    """Whole-line drops; a run of dropped lines with the same rule becomes one proposal."""
    out: list[Proposal] = []
    for i in sorted(claimed):
        start, stop = _line_span(lines[i], text_len)
        if start >= stop:
            continue
        if out and out[-1].end == start and out[-1].rule == claimed[i]:
            out[-1] = Proposal(out[-1].start, stop, "", claimed[i])
        else:
            out.append(Proposal(start, stop, "", claimed[i]))
    return out


def _drop_overlaps(props: list[Proposal]) -> list[Proposal]:
    out: list[Proposal] = []
    for p in props:
        if out and p.start < out[-1].end:
            continue
        out.append(p)
    return out
