"""Page artifacts: stray page numbers at page breaks, preview-chunk numbers, running headers."""
from __future__ import annotations

from collections import Counter

import regex

from ..engine import split_lines
from ..provenance import Proposal
from ..text import ITEM_START, NON_INITIAL, ends_sentence, fold
from . import fixer

# a number that is the quantity of something, not a page number
QUANTITY_AFTER = ("年月日号%%.．、,,::个位名人项条次万亿元岁届期批家所户座公里米亩吨天周小分秒倍页级点层栋"
                  "块张份册台辆艘套幢件笔篇株棵匹")
LEAD_NUMBER = regex.compile(rf"^(\d{{1,3}})(?:\s+|(?=\p{{Han}}))(?![{QUANTITY_AFTER}])", regex.VERSION1)
TRAIL_NUMBER = regex.compile(r"(?<=\p{Han}|[,、])\s+(\d{1,3})$", regex.VERSION1)
# a page number printed after the last sentence of a page (the text is width-folded: 。!?; and
# their full-width forms, a closing quote after them); not after a colon, where a number is a value
TRAIL_NUMBER_AFTER_END = regex.compile(r"(?<=[。!?;][”’」』]?)\s+([1-9]\d{0,2})$", regex.VERSION1)
PARAGRAPH_MIN = 20     # the text before such a number is a paragraph, not a label (人数: 2)
CHUNK = regex.compile(r"^(\d{1,3})、")
# "n / m" printed where a page ends or begins, run into the text line
FRACTION_AT_END = regex.compile(r"(?<=\S)[ \t\u3000]*(?<![\d./])(\d{1,3})\s*/\s*(\d{1,3})$", regex.VERSION1)
FRACTION_AT_START = regex.compile(r"^(\d{1,3})\s*/\s*(\d{1,3})(?![\d./])[ \t\u3000]*(?=\S)", regex.VERSION1)
# a page marker a scrape left between spaces inside a line (…引发的 1/3 邻里纠纷…)
FRACTION_INLINE = regex.compile(
    r"(?<=\S)[ \t\u3000]++(?<![\d./])(\d{1,3})\s*/\s*(\d{1,3})(?![\d./])[ \t\u3000]++(?=\S)", regex.VERSION1)


def _content_lines(text: str):
    return [ln for ln in split_lines(text) if ln.text.strip()]


def _page_number_after_sentence(body: str, m, nxt: str) -> bool:
    """``…取得实效。 2`` then another line: the number is the page's, printed after its last
    sentence, when it plainly stands apart: the text before it is a paragraph (not a short line:
    ``合计。 2``), and the next line does not go on from the number (``2`` + ``、加强…``, ``15`` +
    ``个百分点``). After a colon a number is a value (``缺席人数: 2``): never taken."""
    if len(body[:m.start()].strip()) < PARAGRAPH_MIN:
        return False
    nxt = nxt.lstrip()
    if ITEM_START.match(nxt):
        return True          # an item heading opens the next page: 2、以产业…
    head = nxt[:1]
    return bool(head) and not head.isdigit() and head not in QUANTITY_AFTER and head not in NON_INITIAL


@fixer("stray-page-number")
def stray_page_numbers(text: str, ctx, rule) -> list[Proposal]:
    """A page number left where a page break cut a sentence goes.

    ``…获得了全县双创工作的先 1\\n\\n进单位`` -> ``…的先\\n\\n进单位`` (the break is rejoined later);
    ``…舒\\n\\n2 适的城市环境`` -> ``…舒\\n\\n适的城市环境``; ``…取得实效。 2\\n(三)…`` ->
    ``…取得实效。\\n(三)…``. A number that counts something (``2020年``, ``15个``), a value after
    a colon, or a number after a finished sentence that does not plainly stand apart is left alone.
    """
    lines = _content_lines(text)
    out = []
    for k, line in enumerate(lines):
        body = line.text
        m = TRAIL_NUMBER.search(body)
        if m and k + 1 < len(lines) and not ends_sentence(body[:m.start()]):
            out.append(Proposal(line.start + m.start(), line.start + m.end(), "", rule.id))
            continue
        m = TRAIL_NUMBER_AFTER_END.search(body)
        if m and k + 1 < len(lines) and _page_number_after_sentence(body, m, lines[k + 1].text):
            out.append(Proposal(line.start + m.start(), line.start + m.end(), "", rule.id))
            continue
        m = LEAD_NUMBER.match(body)
        if not m or len(body) <= m.end() or k == 0:
            continue
        rest = body[m.end():]
        if lines[k - 1].text.rstrip()[-1:].isdigit():
            continue    # 宣传牌近10 / 0块: a number the wrap cut in two
        after_break = not ends_sentence(lines[k - 1].text)
        # after a finished sentence a number is a page number only when it plainly stands apart
        # from what follows: a paragraph it is glued to, or an item heading after a space
        glued = m.end() == len(m.group(1)) and len(rest) >= 20 and not m.group(1).startswith("0")
        spaced = m.end() > len(m.group(1)) and (ITEM_START.match(rest) or len(rest) >= 30)
        if after_break or glued or spaced:
            out.append(Proposal(line.start, line.start + m.end(), "", rule.id))
    return out


@fixer("fraction-page-markers")
def fraction_page_markers(text: str, ctx, rule) -> list[Proposal]:
    """``n / m`` page markers run into the first or last line of a page, or left between spaces
    inside a line, go, when the page shows at least two of them counting up to the same total
    (a fraction in a sentence does not), or one opens a line, followed by a space, after a line
    the page break cut mid-sentence.

    ``…取得了明显 2 / 8\n成效…`` + ``…教育 4 / 8\n和廉洁…`` -> ``…取得了明显\n成效…`` + ``…教育\n和廉洁…``
    """
    found: dict[str, list] = {}
    lines = _content_lines(text)
    for k, line in enumerate(lines):
        body = line.text.rstrip()
        for pattern in (FRACTION_AT_END, FRACTION_AT_START):
            m = pattern.search(body)
            if m and 0 < int(m.group(1)) <= int(m.group(2)) and m.end() - m.start() < len(body.strip()):
                # alone, a marker opening a line after a sentence the page break cut: 统 / 5/7 领…
                alone = (pattern is FRACTION_AT_START and m.end() > len(m.group().rstrip()) and k > 0
                         and not ends_sentence(lines[k - 1].text))
                found.setdefault(m.group(2), []).append(
                    (line.start + m.start(), line.start + m.end(), int(m.group(1)), alone))
        for m in FRACTION_INLINE.finditer(body):
            if 0 < int(m.group(1)) <= int(m.group(2)):
                found.setdefault(m.group(2), []).append((line.start + m.start(), line.start + m.end(), int(m.group(1)), False))
    out = []
    for total, hits in found.items():
        hits = sorted(set(hits))
        if (len(hits) >= 2 and len({n for _, _, n, _ in hits}) == len(hits)) or (len(hits) == 1 and hits[0][3]):
            out.extend(Proposal(a, b, "", rule.id) for a, b, _, _ in hits)
    return sorted(out, key=lambda p: p.start)


@fixer("preview-chunks")
def preview_chunks(text: str, ctx, rule) -> list[Proposal]:
    """Numbers a preview site puts before each chunk (1、 2、 …) go, where they cut sentences.

    Chunks are recognised as a run of lines numbered 1、2、3… in order where most chunks end
    mid-sentence; a real numbered list (whose items end with 。) is left alone. The chunk is
    joined to the one before it when that one ended mid-sentence.
    """
    lines = _content_lines(text)
    numbered = [(i, int(m.group(1))) for i, ln in enumerate(lines) if (m := CHUNK.match(ln.text))]
    runs, run = [], []
    for i, n in numbered:
        if run and n == run[-1][1] + 1:
            run.append((i, n))
        else:
            if len(run) >= 3:
                runs.append(run)
            run = [(i, n)] if n == 1 else []
    if len(run) >= 3:
        runs.append(run)
    out = []
    for run in runs:
        idx = [i for i, _ in run]
        cut = sum(1 for a in idx[1:] if not ends_sentence(lines[a - 1].text)
                  or lines[a].text[len(CHUNK.match(lines[a].text).group()):][:1] in NON_INITIAL)
        long_chunks = sum(1 for a in idx if len(lines[a].text) >= rule.options.get("min_chunk", 150))
        if cut * 2 < len(idx) - 1 or long_chunks * 2 < len(idx):
            continue
        for a in idx:
            line, m = lines[a], CHUNK.match(lines[a].text)
            prev = lines[a - 1] if a > 0 else None
            if a != idx[0] and prev is not None and not ends_sentence(prev.text):
                out.append(Proposal(prev.end, line.start + m.end(), "", rule.id))
            else:
                out.append(Proposal(line.start, line.start + m.end(), "", rule.id))
    return out


@fixer("running-header")
def running_headers(text: str, ctx, rule) -> list[Proposal]:
    """A short line repeated on every page (the document title as a running header) goes.

    A repeated line is known for a running header when one of its copies interrupts a
    sentence; then every copy after the first goes (the first too when it cuts a paragraph;
    over a speaker line or a salutation it is the title over the body). A copy of the page title between two
    paragraphs goes too.
    """
    lines = _content_lines(text)
    counts = Counter(ln.text.strip() for ln in lines if 4 <= len(ln.text.strip()) <= 40)
    title = fold(ctx.document.get("title") or "").strip()
    repeated = {k for k, n in counts.items() if n >= rule.options.get("min_repeats", 3) and not ends_sentence(k)}
    if not repeated:
        return []
    positions: dict[str, list[int]] = {}
    for k, ln in enumerate(lines):
        if ln.text.strip() in repeated:
            positions.setdefault(ln.text.strip(), []).append(k)

    def interrupts(k: int) -> bool:
        return 0 < k < len(lines) - 1 and not ends_sentence(lines[k - 1].text)

    out = []
    for key, ks in positions.items():
        header = any(interrupts(k) for k in ks)
        for k in ks:
            prev = lines[k - 1].text.strip() if k else ""
            nxt = lines[k + 1].text.strip() if k + 1 < len(lines) else ""
            later = k != ks[0]
            # the first copy stays when a header line follows it (a speaker, a salutation): it is
            # the title over the body, not a header cutting a paragraph
            heads = bool(nxt) and nxt not in repeated and (
                len(nxt) <= 20 and not ends_sentence(nxt) and "。" not in nxt
                or nxt.endswith((":", ":")) and len(nxt) <= 40)
            cuts = interrupts(k) and (later or not heads)
            if cuts or (later and (header or (key == title and len(prev) >= 40 and len(nxt) >= 40))):
                out.append(Proposal(lines[k].start, min(lines[k].stop, len(text)), "", rule.id))
    return sorted(out, key=lambda p: p.start)
