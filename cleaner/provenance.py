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
from typing import Iterable, Sequence


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
    """The piece table of one page: the decoded source plus the edits applied so far."""

    def __init__(self, source: str, fold=None):
        self.source = source
        self._pieces: list[_Piece] = [_Piece(0, len(source), source, None)] if source else []
        self._text: str | None = source
        # an optional same-length view of the text (e.g. width-folded), kept up to date
        # piece by piece so it never has to be recomputed over the whole page
        self._fold = fold
        self._folded_source = fold(source) if fold else None
        self._folded: str | None = self._folded_source

    @property
    def folded(self) -> str:
        if self._fold is None:
            return self.text
        if self._folded is None:
            fs, f = self._folded_source, self._fold
            self._folded = "".join(fs[p.src_start:p.src_end] if p.rule is None else f(p.text)
                                   for p in self._pieces)
        return self._folded

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(p.text for p in self._pieces)
        return self._text

    def apply(self, proposals: Iterable[Proposal]) -> PositionMap:
        """Apply proposals given in current-text coordinates; returns the old->new position map.

        Proposals must not overlap one another (touching is fine); no-op proposals are dropped.
        A proposal that cuts into text an earlier edit produced absorbs that edit: the composed
        edit covers both source ranges and carries the later rule.
        """
        text = self.text
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
        self._text = None
        self._folded = None
        return PositionMap(props)

    def _split_around_deletions(self, props: list[Proposal]) -> list[Proposal]:
        """Cut a deletion at earlier deletions lying inside it, so that each removed character
        stays attributed to the rule that removed it (rather than to the later one)."""
        if not any(p.new == "" and p.end > p.start for p in props):
            return props
        marks, cur = [], 0
        for pc in self._pieces:
            if pc.rule is not None and pc.text == "" and pc.src_end > pc.src_start:
                marks.append(cur)
            cur += len(pc.text)
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
        pieces = self._pieces
        starts, cur = [], 0
        for pc in pieces:
            starts.append(cur)
            cur += len(pc.text)
        regions = self._regions(props, pieces, starts)
        out: list[_Piece] = []
        k = 0
        head: _Piece | None = pieces[0] if pieces else None  # pieces[k], possibly already cut
        head_start = 0
        for rs, re_, group in regions:
            # pieces wholly before the region (and deletions sitting at its start)
            while head is not None and head_start + len(head.text) <= rs:
                out.append(head)
                head_start += len(head.text)
                k += 1
                head = pieces[k] if k < len(pieces) else None
            src_start = self._src_at(head, head_start, rs)
            if head is not None and head_start < rs:  # a copy cut by the region start
                cut = rs - head_start
                out.append(_Piece(head.src_start, head.src_start + cut, head.text[:cut], None))
                head = _Piece(head.src_start + cut, head.src_end, head.text[cut:], None)
                head_start = rs
            # pieces inside the region are absorbed
            while head is not None and head_start < re_ and head_start + len(head.text) <= re_:
                head_start += len(head.text)
                k += 1
                head = pieces[k] if k < len(pieces) else None
            if head is not None and head_start < re_:  # a copy cut by the region end
                cut = re_ - head_start
                head = _Piece(head.src_start + cut, head.src_end, head.text[cut:], None)
                head_start = re_
            src_end = self._src_at(head, head_start, re_) if re_ > rs else src_start
            old = self.text[rs:re_]
            new_text, pos = [], 0
            for p in group:
                new_text.append(old[pos:p.start - rs])
                new_text.append(p.new)
                pos = p.end - rs
            new_text.append(old[pos:])
            note = next((p.note for p in group if p.note), None)
            out.append(_Piece(src_start, src_end, "".join(new_text), group[-1].rule, note))
        if head is not None:
            out.append(head)
            out.extend(pieces[k + 1:])
        return _merge_copies(out)

    def _src_at(self, head: _Piece | None, head_start: int, pos: int) -> int:
        """Source offset of current position ``pos``, which lies in or at the start of ``head``."""
        if head is None:
            return len(self.source)
        if head.rule is None:
            return head.src_start + (pos - head_start)
        return head.src_start

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

    def source_offset(self, pos: int) -> int:
        """The source position of current-text position ``pos`` (start of an edited range)."""
        cur = 0
        for p in self._pieces:
            if pos < cur + len(p.text) or (pos == cur + len(p.text) and p is self._pieces[-1]):
                if p.rule is None:
                    return p.src_start + (pos - cur)
                return p.src_start if pos == cur else p.src_end
            cur += len(p.text)
        return len(self.source)


def _merge_copies(pieces: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    for p in pieces:
        if p.rule is None and not p.text and p.src_start == p.src_end:
            continue
        if out and p.rule is None and out[-1].rule is None and out[-1].src_end == p.src_start:
            last = out[-1]
            out[-1] = _Piece(last.src_start, p.src_end, last.text + p.text, None)
        else:
            out.append(p)
    return out


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
