"""Paragraphs: rejoin what page breaks, previews and hard wraps cut; split what a site ran together.

The signals are the ones a reader uses: a line that stops without sentence-final punctuation
goes on in the next one, unless that one starts a heading or item; a line cannot start with a
particle or closing punctuation; in hard-wrapped text every full-width line goes on, and a new
paragraph shows itself by its indent. Inside a line, a space between Chinese characters is a
wrap artifact, except where it stands for a paragraph break (after a finished sentence, before
an item marker, after a heading).
"""
from __future__ import annotations

from collections import Counter

import regex

from ..engine import split_lines
from ..provenance import Proposal
from ..text import fold, CONTINUING, ENUMERATOR, ITEM_START, NON_INITIAL, SPEAKER, ends_sentence, is_han
from . import fixer

SPACES = regex.compile(r"[ \t\u3000]+")
CJKISH = regex.compile(r"[\p{Han}\d。,、;:!?“”‘’「」『』()《》【】—…·,;:!?()%%.]", regex.VERSION1)
SENTENCE_FINAL = "。!?!?:"
CLOSINGS = regex.compile(r"^(?:谢谢|谢谢大家|谢谢各位|此致|敬礼|完毕|再见)[。!!]?$")
HEADING_MAX = 60
# a line opening with one character and a clause end goes on from the line before: 能。始终…
LINK = regex.compile(r"https?://|www\.[a-z0-9-]+\.", regex.VERSION1 | regex.IGNORECASE)
SYMBOLS_ONLY = regex.compile(r"^[^\p{L}\p{N}]{3,}$", regex.VERSION1)
QUOTED = regex.compile(r"“[^“”]*”|《[^《》]*》|\"[^\"]*\"", regex.VERSION1)
CUT_WORD_START = regex.compile(r"^\p{Han}[。,,]", regex.VERSION1)


TITLE_END = regex.compile(r"(?:讲话|讲话稿|发言|发言稿|致辞|讲稿|演讲稿|报告|主持词|范文)(?:[((][^))]{1,12}[))])?$", regex.VERSION1)
DATE_LINE = regex.compile(r"^[((]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[))]?$", regex.VERSION1)


def is_header_line(line: str) -> bool:
    """A title, a date line or a bare name: lines that are never half of a wrapped paragraph."""
    if len(line) <= 60 and TITLE_END.search(line) and not any(c in line for c in "。!?,"):
        return True
    return bool(DATE_LINE.match(line)) or (len(line) <= 4 and not any(c in line for c in "。!?,;、"))


def _is_cjkish(ch: str) -> bool:
    return bool(ch) and bool(CJKISH.match(ch))


HEADER_DATE_END = regex.compile(r"[((]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[))]?$", regex.VERSION1)
SALUTATION_AHEAD = regex.compile(
    r"(?:尊敬的|亲爱的|各位)?[^。!?;:,\s]{0,30}?(?:同志们|同事们|朋友们|老师们|同学们|女士们|先生们|代表们|来宾们|领导)\s*:",
    regex.VERSION1)


ENUMERATOR_AT = regex.compile(ENUMERATOR.pattern[1:], regex.VERSION1)   # matched at a position (no ^)
HEAD_ENDS = "。!?;"   # what closes the run before a heading
REST_ENDS = "。!?"    # what the text after a heading must hold


class _SpaceLine:
    """One line whose space runs are judged left to right (``_space_break``). What the judgement
    needs of the text before a run (its length without trailing whitespace, the last sentence
    end) is carried forward from run to run, and what it needs of the text after a run (is there
    a sentence end) is found once: linear in the line, however many runs it has."""

    def __init__(self, line: str):
        self.line = line
        self.last_end = max(line.rfind(c) for c in REST_ENDS)   # the last 。!? of the line
        self.pos = 0        # line[:pos] has been scanned
        self.bend = 0       # len(line[:pos].rstrip())
        self.cut = 0        # after the last 。!?; of line[:pos]
        self.head = (-1, -1)   # cached (cut, first non-whitespace at or after cut)

    def advance(self, start: int) -> None:
        line, pos = self.line, self.pos
        if start <= pos:
            return
        k = len(line[pos:start].rstrip())
        if k:
            self.bend = pos + k
        c = max(line.rfind(ch, pos, start) for ch in HEAD_ENDS)
        if c >= 0:
            self.cut = c + 1
        self.pos = start

    def head_start(self) -> int:
        cut, bend = self.cut, self.bend
        if self.head[0] == cut:
            return self.head[1]
        line, hs = self.line, cut
        while hs < bend and line[hs].isspace():   # str.strip's whitespace
            hs += 1
        if hs < bend:                       # a non-whitespace character: final for this cut
            self.head = (cut, hs)
        return hs


def _bracketed_pair(line: str, date_start: int) -> bool:
    """A date and a name inside one pair of brackets, ``(2016年3月18日 陈国平)``: one header line."""
    s = line.strip()
    return (line[date_start] in "((" and line.lstrip().startswith(line[date_start]) and s[-1:] in "))"
            and not any(c in s[1:-1] for c in "(())") and len(s) <= 40)


def _bracket_space(line: str, start: int, end: int) -> bool:
    """A space run before a short bracketed phrase or after one, between Chinese text."""
    left, right = line[start - 1], line[end]
    if right in "((":
        close = min((i for i in (line.find(")", end), line.find(")", end)) if i >= 0), default=-1)
        return 0 < close - end <= 12 and _is_cjkish(left)
    if left in "))":
        return _is_cjkish(right) and max(line.rfind("(", 0, start), line.rfind("(", 0, start)) >= start - 13
    return False


def _space_break(sl: _SpaceLine, start: int, end: int, title: str) -> str | None:
    """What a run of spaces inside a line stands for: "\\n", "" or None (leave it).
    Runs are judged left to right (``start`` never decreases)."""
    line = sl.line
    sl.advance(start)
    left, right = line[start - 1], line[end]
    bend = sl.bend                          # len(line[:start].rstrip())
    if bend <= 120 and SALUTATION_AHEAD.match(line, end):
        return "\n"  # a header run into the salutation: 县委书记 XXX 同志们:
    if bend <= 80 and (m := HEADER_DATE_END.search(line[:bend])) and not _bracketed_pair(line, m.start()):
        return "\n"  # (2008年10月10日) 县委书记 …
    if left == "." and start >= 2 and is_han(line[start - 2]) and is_han(right):
        return "\n"  # 特色工作. 在这次大会上: a period typed as "." ends the sentence like 。
    if left in SENTENCE_FINAL or (left in "”’」』" and bend > 1 and line[bend - 2] in SENTENCE_FINAL):
        return "\n" if _is_cjkish(right) or right in "“《(" else None
    if left not in CONTINUING + ":;,;" and _is_cjkish(left) and ENUMERATOR_AT.match(line, end):
        return "\n"
    if _bracket_space(line, start, end):
        return ""    # 危化等行业 (领域) 安全监管: spaces around a bracket are wrap artifacts
    # the run since the last sentence end: a heading there, then a space, then its text
    hs = sl.head_start()
    if bend - hs <= HEADING_MAX and len(line) - end >= 30 and sl.last_end >= end:
        head = line[hs:bend]                # line[:start].rstrip()[cut:].strip(): no 。!?; in it
        marker = ITEM_START.match(head)
        if (marker and marker.end() < len(head)) or head == title:
            return "\n"
    if _is_cjkish(left) and _is_cjkish(right) and not (left.isdigit() and right.isdigit()):
        return ""
    return None


@fixer("wrap-spaces")
def wrap_spaces(text: str, ctx, rule) -> list[Proposal]:
    """Spaces inside a line: wrap artifacts between Chinese characters go, and a space that
    stands for a paragraph break becomes one.

    ``有所降 温`` -> ``有所降温``; ``局 (馆) 隆重`` -> ``局(馆)隆重``;
    ``…讲三句话。 第一句话:…`` -> ``…讲三句话。\\n第一句话:…``
    """
    title = fold(ctx.document.get("title") or "").strip()
    out = []
    for ln in split_lines(text):
        s = ln.text
        if " " not in s and "\t" not in s and "\u3000" not in s:
            continue
        lead = len(s) - len(s.lstrip(" \t\u3000"))
        trail = len(s.rstrip(" \t\u3000"))
        sl = _SpaceLine(s)
        for m in SPACES.finditer(s, lead, trail):
            new = _space_break(sl, m.start(), m.end(), title)
            if new is not None:
                out.append(Proposal(ln.start + m.start(), ln.start + m.end(), new, rule.id))
    return out


def _wrap_width(lines) -> int | None:
    """The width of a hard-wrapped text (PDF output), if most lines have one length."""
    lengths = [len(ln.text.rstrip()) for ln in lines]
    long = [n for n in lengths if n >= 15]
    if len(long) < 5:
        return None
    width, _ = Counter(long).most_common(1)[0]
    near = sum(1 for n in long if abs(n - width) <= 1)
    if near < 0.3 * len(lengths) or near < 5 or width > 80:
        return None
    return width


def _indented(raw: str) -> bool:
    return raw.startswith("\u3000") or raw.startswith("  ") or raw.startswith("\t")


def _open_quote(prev: str, nxt: str) -> bool:
    """``prev`` ends inside a quotation that ``nxt`` closes within its first clause."""
    if prev.count("“") <= prev.count("”"):
        return False
    close, stop = nxt.find("”"), min((i for i in map(nxt.find, "。!?“") if i >= 0), default=len(nxt))
    return 0 <= close < stop and close <= 20


def should_join(prev_raw: str, next_raw: str, width: int | None) -> bool:
    prev, nxt = prev_raw.strip(), next_raw.strip()
    if not prev or not nxt or SYMBOLS_ONLY.match(prev) or SYMBOLS_ONLY.match(nxt):
        return False   # a row of dashes or stars divides; it is no half of a sentence
    if LINK.search(prev) or LINK.search(nxt):
        return False   # a line with a web address is a site's, not half of a paragraph
    if width and len(prev_raw.rstrip()) >= width - 1 and not _indented(next_raw):
        return not ENUMERATOR.match(nxt) or not ends_sentence(prev)
    if ends_sentence(prev):
        return False
    if nxt[0] in NON_INITIAL:
        return True
    if prev[-1] == "\ufffd":
        # a character lost in decoding (mojibake), often the 。 that ended the paragraph: the
        # break stays. Decided on the line's last character alone, so a second pass, which sees
        # the lines the first one joined, decides the same way (BUG-7)
        return False
    if _open_quote(prev, nxt):
        return True   # 确保“两评 / 一树”活动取得实效: a quotation does not span two paragraphs
    if ENUMERATOR.match(nxt) or _indented(next_raw) and width:
        return False
    if is_header_line(prev) or is_header_line(nxt):
        return False  # titles, dates and names stand on their own lines
    if prev[-1] in ",、,;;":
        return True
    if CUT_WORD_START.match(nxt) or (len(nxt) <= 6 and nxt.endswith("。")):
        return True   # 要提高工作效 / 能。始终…, …上注重 / 规范性。: no paragraph is a clause that short
    if ITEM_START.match(prev) and len(prev) <= HEADING_MAX and not any(c in prev for c in "。!?!?"):
        return False  # a numbered heading
    if prev[-1] in "“‘「『(《【":
        return True
    if len(prev) < 25 or (width and len(prev_raw.rstrip()) < width - 3):
        # a heading, a title, a name ends where it ends; a clause cut off after its comma does not
        return (not width and len(prev) >= 8 and not TITLE_END.search(prev)
                and not ((m := SPEAKER.match(prev)) and m.group("role"))   # 市委副书记、市长 赵××
                and any(c in QUOTED.sub("", prev) for c in ",,、;;"))
    return True


@fixer("join-lines")
def join_lines(text: str, ctx, rule) -> list[Proposal]:
    """A paragraph cut by a page break, a preview chunk or a hard wrap is joined back, with no
    space at the join.

    ``…在开\\n\\n展双创工作当中…`` -> ``…在开展双创工作当中…``;
    ``一、前一阶段全区创卫工作取\\n\\n得一定成效`` -> ``一、前一阶段全区创卫工作取得一定成效``
    """
    lines = [ln for ln in split_lines(text) if ln.text.strip()]
    width = _wrap_width(lines)
    out = []
    for a, b in zip(lines, lines[1:]):
        if should_join(a.text, b.text, width):
            start = a.start + len(a.text.rstrip(" \t\u3000"))
            stop = b.start + (len(b.text) - len(b.text.lstrip(" \t\u3000")))
            out.append(Proposal(start, stop, "", rule.id))
    return out


@fixer("stray-period")
def stray_period(text: str, ctx, rule) -> list[Proposal]:
    """Pieces a site cut apart with a stray 。 are joined when the reading is unambiguous: a
    line of a few characters ending in 。 between two body lines is not a paragraph.

    ``…×同志回顾。\\n\\n总结。\\n\\n了去年工作`` -> ``…×同志回顾总结了去年工作``
    """
    lines = [ln for ln in split_lines(text) if ln.text.strip()]
    out = []
    for k in range(1, len(lines) - 1):
        prev, frag, nxt = lines[k - 1], lines[k], lines[k + 1]
        f = frag.text.strip()
        p = prev.text.rstrip()
        if not (2 <= len(f) <= 7 and f.endswith("。") and "," not in f and not CLOSINGS.match(f)):
            continue
        if not (p.endswith("。") and len(p.strip()) >= 10) or ENUMERATOR.match(nxt.text.strip()):
            continue
        if any(q.end > prev.end - 1 for q in out):
            continue
        f_end = frag.start + len(frag.text.rstrip())
        out.append(Proposal(prev.start + len(p) - 1, frag.start + (len(frag.text) - len(frag.text.lstrip())), "", rule.id))
        out.append(Proposal(f_end - 1, nxt.start + (len(nxt.text) - len(nxt.text.lstrip())), "", rule.id))
    return out
