"""Provenance: every change to a page is an edit in the coordinates of the decoded source.

The page being cleaned is held as a piece table over the decoded source. Each piece covers a
half-open source range and either copies it unchanged or replaces it with new text under a
rule id. Stages see only the current text and propose edits in its coordinates; the table
composes them onto the source, so the final edit list is always sorted, non-overlapping and
complete: applying it to the source gives the cleaned text D, and every removed character is
attributed to a rule.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from operator import attrgetter, sub
from typing import Iterable, Sequence


# Not frozen: a frozen dataclass pays an object.__setattr__ per field on every construction,
# and pages make tens of thousands of these. Treat them as immutable all the same.
@dataclass(slots=True, unsafe_hash=True)
class Edit:
    """A change to the decoded source: ``source[start:end]`` (== ``old``) became ``new``."""

    rule: str
    start: int
    end: int
    old: str
    new: str
    note: str | None = None

    def to_json(self) -> dict:
        d = {"rule": self.rule, "start": self.start, "end": self.end, "old": self.old, "new": self.new}
        if self.note:
            d["note"] = self.note
        return d


@dataclass(slots=True, unsafe_hash=True)
class Proposal:
    """A stage's proposed change, in coordinates of the text the stage was shown."""

    start: int
    end: int
    new: str
    rule: str
    note: str | None = None


@dataclass(slots=True)
class _Piece:
    src_start: int
    src_end: int
    text: str
    rule: str | None  # None: an unchanged copy of the source range
    note: str | None = None


class PositionMap:
    """Maps positions in the text before a batch of proposals to the text after it."""

    def __init__(self, proposals: Sequence[Proposal]):
        self._starts = [p.start for p in proposals]
        self._props = proposals
        self._shift_before: list[int] = []
        shift = 0
        for p in proposals:
            self._shift_before.append(shift)
            shift += len(p.new) - (p.end - p.start)
        self._total = shift

    def __call__(self, pos: int, *, prefer_end: bool = False) -> int:
        i = bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        p = self._props[i]
        before = self._shift_before[i]
        if pos >= p.end:
            return pos + before + len(p.new) - (p.end - p.start)
        # inside (or at the start of) a replaced range: snap to its edge
        base = p.start + before
        return base + len(p.new) if prefer_end else base


class Page:
    """The piece table of one page: the decoded source plus the edits applied so far.

    ``fold`` is an optional character-by-character view of the text (e.g. width folding): the
    same length, the same offsets, so it is kept up to date by splicing like the text itself.
    """

    def __init__(self, source: str, fold=None):
        self.source = source
        self._pieces: list[_Piece] = [_Piece(0, len(source), source, None)] if source else []
        self._text: str = source
        self._fold = fold
        self._folded: str = fold(source) if fold else source
        self._bounds: tuple[list[int], list[int]] | None = None  # piece starts and ends, cached

    @property
    def folded(self) -> str:
        return self._folded

    @property
    def text(self) -> str:
        return self._text

    def apply(self, proposals: Iterable[Proposal]) -> PositionMap:
        """Apply proposals given in current-text coordinates; returns the old->new position map.

        Proposals must not overlap one another (touching is fine); no-op proposals are dropped.
        A proposal that cuts into text an earlier edit produced absorbs that edit: the composed
        edit covers both source ranges and carries the later rule.
        """
        text = self._text
        props = sorted((p for p in proposals if text[p.start:p.end] != p.new),
                       key=lambda p: (p.start, p.end))
        props = self._split_around_deletions(props)
        for a, b in zip(props, props[1:]):
            if b.start < a.end or (b.start == a.start == a.end == b.end):
                raise ValueError(f"overlapping proposals: {a} and {b}")
        for p in props:
            if not 0 <= p.start <= p.end <= len(text):
                raise ValueError(f"proposal out of range: {p}")
        if not props:
            return PositionMap([])
        self._pieces = self._rebuild(props)
        self._bounds = None
        self._text = _splice(text, props)
        self._folded = _splice(self._folded, props, self._fold) if self._fold else self._text
        return PositionMap(props)

    def _piece_bounds(self) -> tuple[list[int], list[int]]:
        """(starts, ends) of the pieces in the current text; computed at C speed, once per state."""
        if self._bounds is None:
            lengths = list(map(len, map(_TEXT, self._pieces)))
            ends = list(accumulate(lengths))
            self._bounds = (list(map(sub, ends, lengths)), ends)
        return self._bounds

    def _split_around_deletions(self, props: list[Proposal]) -> list[Proposal]:
        """Cut a deletion at earlier deletions lying inside it, so that each removed character
        stays attributed to the rule that removed it (rather than to the later one)."""
        if not any(p.new == "" and p.end > p.start for p in props):
            return props
        starts, _ = self._piece_bounds()
        marks = [starts[k] for k, pc in enumerate(self._pieces)
                 if pc.rule is not None and pc.text == "" and pc.src_end > pc.src_start]
        if not marks:
            return props
        marks = sorted(set(marks))
        out = []
        for p in props:
            inner = marks[bisect_right(marks, p.start):bisect_left(marks, p.end)] if p.new == "" else []
            if not inner:
                out.append(p)
                continue
            edges = [p.start, *inner, p.end]
            out.extend(Proposal(a, b, "", p.rule, p.note) for a, b in zip(edges, edges[1:]) if b > a)
        return out

    def _rebuild(self, props: list[Proposal]) -> list[_Piece]:
        """The new piece list. Runs of pieces between regions are copied as list slices (found by
        bisection) and a copy is only sliced where a region cuts it, so the cost grows with the
        proposals and the text they touch, not with the pieces or the length of the page."""
        pieces, n = self._pieces, len(self._pieces)
        starts, ends = self._piece_bounds()
        out: list[_Piece] = []
        k, off = 0, 0   # what is not yet consumed: pieces[k].text[off:], then pieces[k + 1:]
        for rs, re_, group in self._regions(props, pieces, starts):
            if k < n and ends[k] <= rs:  # pieces wholly before the region (and deletions at its start)
                _push(out, _tail(pieces[k], off))
                k2 = bisect_right(ends, rs, lo=k + 1)
                if k2 > k + 1:
                    _push(out, pieces[k + 1])
                    out.extend(pieces[k + 2:k2])
                k, off = k2, 0
            src_start = self._src_at(k, rs, starts)
            if k < n and starts[k] + off < rs:  # a copy cut by the region start
                pc, cut = pieces[k], rs - starts[k]
                _push(out, _Piece(pc.src_start + off, pc.src_start + cut, pc.text[off:cut], None))
                off = cut
            if k < n and starts[k] + off < re_ and ends[k] <= re_:  # pieces inside are absorbed
                k, off = min(bisect_right(ends, re_, lo=k + 1), bisect_left(starts, re_, lo=k + 1)), 0
            if k < n and starts[k] + off < re_:  # a copy cut by the region end
                off = re_ - starts[k]
            src_end = self._src_at(k, re_, starts) if re_ > rs else src_start
            if len(group) == 1 and group[0].start == rs and group[0].end == re_:
                p = group[0]   # the usual case: a proposal that cuts into no earlier edit
                _push(out, _Piece(src_start, src_end, p.new, p.rule, p.note))
                continue
            old = self._text[rs:re_]
            new_text, pos = [], 0
            for p in group:
                new_text.append(old[pos:p.start - rs])
                new_text.append(p.new)
                pos = p.end - rs
            new_text.append(old[pos:])
            note = next((p.note for p in group if p.note), None)
            _push(out, _Piece(src_start, src_end, "".join(new_text), group[-1].rule, note))
        if k < n:
            _push(out, _tail(pieces[k], off))
            out.extend(pieces[k + 1:])
        return out

    def _src_at(self, k: int, pos: int, starts: list[int]) -> int:
        """Source offset of current position ``pos``, which lies in (or at the start of) piece
        ``k``; a position inside an edited piece maps to the piece's source start."""
        if k >= len(self._pieces):
            return len(self.source)
        pc = self._pieces[k]
        if pc.rule is None:
            return pc.src_start + (pos - starts[k])
        return pc.src_start

    @staticmethod
    def _regions(props: list[Proposal], pieces: list[_Piece], starts: list[int]):
        """Group proposals into regions; a region widens to whole earlier edits it cuts into."""
        def widen(pos: int, lo: bool) -> int:
            k = bisect_left(starts, pos) - 1
            if k >= 0 and pieces[k].rule is not None and starts[k] + len(pieces[k].text) > pos:
                return starts[k] if lo else starts[k] + len(pieces[k].text)
            return pos

        regions: list[list] = []
        for p in props:
            rs, re_ = widen(p.start, True), widen(p.end, False)
            if regions and rs < regions[-1][1]:
                last = regions[-1]
                last[1] = max(last[1], re_)
                last[2].append(p)
            else:
                regions.append([rs, re_, [p]])
        return regions

    def edits(self) -> list[Edit]:
        src = self.source
        return [Edit(p.rule, p.src_start, p.src_end, src[p.src_start:p.src_end], p.text, p.note)
                for p in self._pieces if p.rule is not None]

    def source_end(self, pos: int) -> int:
        """The source position just after the character before current-text position ``pos``:
        where a span of the current text ending at ``pos`` ends in the source, whatever was
        deleted right after it (the end of an edited piece when that character is new text)."""
        if pos <= 0 or not self._pieces:
            return self.source_offset(pos)
        starts, ends = self._piece_bounds()
        k = bisect_right(ends, pos - 1)   # the piece holding the character at pos - 1
        if k == len(self._pieces):
            return len(self.source)
        p = self._pieces[k]
        return p.src_start + (pos - starts[k]) if p.rule is None else p.src_end

    def source_offset(self, pos: int) -> int:
        """The source position of current-text position ``pos`` (start of an edited range)."""
        starts, ends = self._piece_bounds()
        # the first piece that ends after pos (or the last piece, for the end of the text)
        k = bisect_right(ends, pos)
        if k == len(self._pieces):
            if not self._pieces or pos > ends[-1]:
                return len(self.source)
            k -= 1
        p = self._pieces[k]
        if p.rule is None:
            return p.src_start + (pos - starts[k])
        return p.src_start if pos == starts[k] else p.src_end


_TEXT = attrgetter("text")


def _tail(pc: _Piece, off: int) -> _Piece:
    """What is left of a copy piece after its first ``off`` characters (the piece itself at 0)."""
    return pc if off == 0 else _Piece(pc.src_start + off, pc.src_end, pc.text[off:], None)


def _push(out: list[_Piece], p: _Piece) -> None:
    """Append ``p``, merging it into the previous piece when both copy adjacent source ranges."""
    if p.rule is None and not p.text and p.src_start == p.src_end:
        return
    if out and p.rule is None and out[-1].rule is None and out[-1].src_end == p.src_start:
        last = out[-1]
        out[-1] = _Piece(last.src_start, p.src_end, last.text + p.text, None)
    else:
        out.append(p)


def _splice(text: str, props: Sequence[Proposal], fold=None) -> str:
    """``text`` with the sorted, non-overlapping ``props`` applied (their new text folded)."""
    parts, pos = [], 0
    for p in props:
        parts.append(text[pos:p.start])
        parts.append(fold(p.new) if fold else p.new)
        pos = p.end
    parts.append(text[pos:])
    return "".join(parts)


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    """Rebuild D from the source and its edits (the audit's replay)."""
    parts, pos = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}")
        if source[e.start:e.end] != e.old:
            raise ValueError(f"edit {e.rule} at {e.start} does not match the source")
        parts.append(source[pos:e.start])
        parts.append(e.new)
        pos = e.end
    parts.append(source[pos:])
    return "".join(parts)


def revert_edits(cleaned: str, edits: Sequence[Edit]) -> str:
    """Rebuild the source from D and the edits: the inverse of :func:`apply_edits`."""
    parts, pos, shift = [], 0, 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        d_start = e.start + shift
        if cleaned[d_start:d_start + len(e.new)] != e.new:
            raise ValueError(f"edit {e.rule} at {e.start} does not match the cleaned text")
        parts.append(cleaned[pos:d_start])
        parts.append(e.old)
        pos = d_start + len(e.new)
        shift += len(e.new) - (e.end - e.start)
    parts.append(cleaned[pos:])
    return "".join(parts)
