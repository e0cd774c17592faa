"""Mojibake repair: text whose UTF-8 bytes were decoded with the wrong codec and saved again.

Both fixers work on the decoded text (so a whole double-encoded file is repaired as ordinary
edits against what :func:`cleaner.decode.decode` returned, and the provenance stays exact),
re-encode the suspicious runs with the codec that garbled them and decode the bytes as
UTF-8. They only propose a repair when that decoding is valid UTF-8 *and* the result is
clearly Chinese; otherwise the text is left alone.

- :func:`mojibake_latin1` (UTF-8 read as Latin-1/cp1252) is lossless.
- :func:`mojibake_gbk` (UTF-8 read as GBK) is lossy: each byte GBK could not pair became one
  U+FFFD (or "?"), or was cut at the end of a run. A lost byte is restored only when exactly
  one byte value is consistent with both UTF-8 and the way a GBK decoder fails; otherwise
  the character is marked U+FFFD and a document warning says how many were lost.
"""
from __future__ import annotations

import codecs
import os
import re
import unicodedata
from functools import lru_cache

import regex

from ..decode import chinese_score, common_chars
from ..provenance import Proposal
from ..text import fold
from . import fixer

# --------------------------------------------------------------------------------------
# shared


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFFEF)


def _printable(c: str) -> bool:
    if c in "\t\n\r\f":
        return True
    return unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cn", "Cs")


def _real_text(text: str, ctx) -> str:
    """The text to work on: ``ctx.raw`` when it is the real text behind the folded view.

    Stages are shown a width-folded view (full-width forms folded to ASCII, same offsets);
    mojibake must be re-encoded from the real characters (GBK mojibake is full of full-width
    forms), so the fixers read ``ctx.raw`` whenever it is the text ``text`` is a view of.
    """
    raw = getattr(ctx, "raw", None)
    if raw and raw is not text and len(raw) == len(text) and fold(raw) == text:
        return raw
    return text


# --------------------------------------------------------------------------------------
# UTF-8 read as Latin-1 / cp1252

_CP1252_EXTRA = {
    "\u20ac": 0x80, "\u201a": 0x82, "\u0192": 0x83, "\u201e": 0x84, "\u2026": 0x85,
    "\u2020": 0x86, "\u2021": 0x87, "\u02c6": 0x88, "\u2030": 0x89, "\u0160": 0x8A,
    "\u2039": 0x8B, "\u0152": 0x8C, "\u017d": 0x8E, "\u2018": 0x91, "\u2019": 0x92,
    "\u201c": 0x93, "\u201d": 0x94, "\u2022": 0x95, "\u2013": 0x96, "\u2014": 0x97,
    "\u02dc": 0x98, "\u2122": 0x99, "\u0161": 0x9A, "\u203a": 0x9B, "\u0153": 0x9C,
    "\u017e": 0x9E, "\u0178": 0x9F,
}
# every character a Latin-1 or cp1252 decoder makes of a byte >= 0x80, back to that byte
_LATIN1_BYTE = {chr(b): b for b in range(0x80, 0x100)} | _CP1252_EXTRA
_LATIN1_TABLE = str.maketrans({c: chr(b) for c, b in _LATIN1_BYTE.items()})
_LATIN1_RUN = re.compile("[" + "".join(sorted(_LATIN1_BYTE)).replace("\\", "\\\\").replace("]", "\\]")
                         .replace("^", "\\^").replace("-", "\\-") + "]{2,}")
# a lead byte of a 3-byte UTF-8 character (CJK, CJK punctuation, full-width forms) then a
# continuation byte, as Latin-1/cp1252 shows them: a clean page almost never has one
_LATIN1_GATE = re.compile("[\u00e2-\u00e9\u00ef][" + "".join(
    re.escape(c) for c, b in sorted(_LATIN1_BYTE.items()) if b < 0xC0) + "]")
_UTF8_MULTI = re.compile(
    rb"(?:[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2})+")


def _latin1_chinese(s: str) -> bool:
    """A repaired group counts on its own only if it is visibly Chinese."""
    if not all(_printable(c) for c in s):
        return False
    cjk = [c for c in s if _is_cjk(c)]
    if not cjk:
        return False
    if len(cjk) == 1 and cjk[0] not in common_chars():
        return False   # one rare character from three Latin-1 letters: not evidence enough
    return True


@fixer("mojibake-latin1")
def mojibake_latin1(text: str, ctx, rule) -> list[Proposal]:
    """Repair UTF-8 that was decoded as Latin-1/cp1252 and saved again (lossless).

    Runs of characters a Latin-1/cp1252 decoder makes of bytes >= 0x80 are turned back into
    those bytes; every stretch of them that is valid multi-byte UTF-8 and reads as Chinese
    becomes the UTF-8 decoding. Once a page has such Chinese repairs, its other valid
    stretches (curly quotes, accented pinyin, private-use characters) are repaired too::

        "æ–‡æ˜Žä¼šè®®"                ->  "文明会议"
        "â€œæ–‡æ˜Žä¼šè®®, chuÃ\\xa0ng"  ->  "“文明会议, chuàng"
        "café, chuàng"                  ->  unchanged
    """
    if text.isascii() or not _LATIN1_GATE.search(text):
        return []
    text = _real_text(text, ctx)
    found: list[tuple[int, int, str, bool]] = []
    for m in _LATIN1_RUN.finditer(text):
        raw = m.group().translate(_LATIN1_TABLE).encode("latin-1")
        for g in _UTF8_MULTI.finditer(raw):
            new = g.group().decode("utf-8")
            found.append((m.start() + g.start(), m.start() + g.end(), new, _latin1_chinese(new)))
    if not any(chinese for *_, chinese in found):
        return []
    # the page is double-encoded: every valid multi-byte stretch is a repair (lossless)
    return [Proposal(s, e, new, rule.id) for s, e, new, _chinese in found]


# --------------------------------------------------------------------------------------
# UTF-8 read as GBK

HOLE, QHOLE = -1, -2          # a byte lost as U+FFFD; a "?" that may stand for a lost byte
_RUN = re.compile(r"[^\x00-\x7f](?:[^\x00-\x7f]|\?(?=[^\x00-\x7f]))*\??")
_HOLES = re.compile("([\ufffd?])")
_CONT = range(0x80, 0xC0)
_LEADS = range(0xC2, 0xF5)


@lru_cache(maxsize=65536)
def _pairs(x: int, t: int, model: str) -> bool:
    """Would a ``model`` (gbk or gb18030) decoder read bytes ``x t`` as one character?"""
    try:
        bytes((x, t)).decode(model)
        return True
    except UnicodeDecodeError:
        return False


def _lost_ok(x: int, t: int | None, model: str) -> bool:
    """Could the decoder have replaced byte ``x`` (followed by byte ``t``) with U+FFFD?

    Python's and Java's GBK decoders replace exactly the one lead byte they cannot pair and
    go on at the next byte. ``model`` "gbk" (the default, conservative) also counts the
    user-defined areas as unpairable; "gb18030" is used once the page shows that its decoder
    mapped those areas to private-use characters instead.
    """
    if x < 0x80:
        return False
    if x in (0x80, 0xFF) or t is None:
        return True
    return not _pairs(x, t, model)


@lru_cache(maxsize=8192)
def _window(tail: bytes, pattern: tuple[int, ...], after: int | None, model: str = "gbk") -> tuple[str, ...]:
    """All decodings of ``tail + pattern`` consistent with UTF-8 and with how GBK loses bytes.

    ``pattern`` holds known bytes and holes (:data:`HOLE`, :data:`QHOLE`); ``after`` is the
    byte following the window (None at the end of the text).
    """
    holes = [i for i, b in enumerate(pattern) if b < 0]
    if len(holes) > 2:
        return ()
    choices = []
    for i in holes:
        if i == 0:   # right after complete characters a lost byte starts one; after a tail it continues it
            vals = list(_CONT) if tail else list(_LEADS)
        else:
            vals = list(_CONT) + list(_LEADS)
        if pattern[i] == QHOLE:
            vals = [0x3F] + vals
        choices.append(vals)
    results: set[str] = set()

    def fill(k: int, cur: list[int]) -> None:
        if k == len(holes):
            raw = tail + bytes(cur)
            try:
                s = raw.decode("utf-8")
            except UnicodeDecodeError:
                return
            for i in holes:
                if pattern[i] == QHOLE and cur[i] == 0x3F:
                    continue
                nxt = cur[i + 1] if i + 1 < len(cur) else after
                if not _lost_ok(cur[i], nxt, model):
                    return
            results.add(s)
            return
        i = holes[k]
        for v in choices[k]:
            cur[i] = v
            fill(k + 1, cur)
        cur[i] = pattern[i]

    fill(0, list(pattern))
    return tuple(sorted(results))


@lru_cache(maxsize=65536)
def _unit_bytes(c: str, cp936_euro: bool = False) -> bytes:
    if c == "\u20ac" and cp936_euro:
        return b"\x80"     # Windows' GBK (cp936) reads a lone 0x80 as the euro sign
    return c.encode("gb18030")   # (GB18030 has it at A2 E3)


def _gbk_bytes(run: str, cp936_euro: bool = False) -> bytes:
    """The bytes a GBK decoder read ``run`` from (lost bytes, U+FFFD, are left out)."""
    if cp936_euro and "\u20ac" in run:
        return b"".join(_unit_bytes(c, True) for c in run if c != "\ufffd")
    return run.encode("gb18030", errors="replace")


def _repair_run(run: str, after: int | None, model: str = "gbk") -> tuple[str, int] | None:
    """UTF-8 decoding of the GBK bytes of ``run``: ``(text, characters lost)``, or None.

    None when the bytes are not UTF-8 (with the lost bytes filled in), i.e. ``run`` is not
    GBK mojibake. A lost character becomes U+FFFD.
    """
    got = _repair_run_full(run, after, model)
    return None if got is None else got[:2]


def _repair_run_full(run: str, after: int | None, model: str = "gbk") -> tuple[str, int, bool] | None:
    """:func:`_repair_run` plus whether the bytes ended inside a character (a cut).

    A euro sign is byte 0x80 to Windows' GBK and A2 E3 to GB18030: both are tried, and a run
    that decodes both ways into different text is not repaired.
    """
    if "\u20ac" in run:
        got = {_repair_bytes(run, after, model, euro) for euro in (False, True)} - {None}
        return got.pop() if len(got) == 1 else None
    return _repair_bytes(run, after, model, False)


def _repair_bytes(run: str, after: int | None, model: str, cp936_euro: bool) -> tuple[str, int, bool] | None:
    if "\ufffd" not in run and "?" not in run and not cp936_euro:
        raw = run.encode("gb18030")
        try:
            return raw.decode("utf-8"), 0, False
        except UnicodeDecodeError as exc:
            if exc.reason != "unexpected end of data" or exc.end != len(raw):
                return None
            return raw[:exc.start].decode("utf-8") + "\ufffd", 1, True
    # with holes: a list of known bytes (ints) and hole markers
    seq: list[int] = []
    for part in _HOLES.split(run):
        if part == "\ufffd":
            seq.append(HOLE)
        elif part == "?":
            seq.append(QHOLE)
        elif part:
            seq.extend(_gbk_bytes(part, cp936_euro))
    out: list[str] = []
    lost = 0
    n = len(seq)
    i = 0
    dec = codecs.getincrementaldecoder("utf-8")()
    while i < n:
        h = i
        while h < n and seq[h] >= 0:
            h += 1
        dec.reset()
        try:
            out.append(dec.decode(bytes(seq[i:h]), final=(h == n)))
        except UnicodeDecodeError as exc:
            if h == n and exc.reason == "unexpected end of data":
                chunk = bytes(seq[i:h])
                out.append(chunk[:exc.start].decode("utf-8"))
                out.append("\ufffd")  # cut at the end of the run: the rest of the character is lost
                return "".join(out), lost + 1, True
            return None
        if h == n:
            break
        tail = dec.getstate()[0]
        # the window: the hole, then following continuation bytes / holes (a UTF-8 char is <= 4)
        e = h + 1
        while e < n and e - h + len(tail) < 4 and (seq[e] < 0 or 0x80 <= seq[e] < 0xC0):
            e += 1
        pattern = tuple(seq[h:e])
        if e < n:
            nxt = seq[e] if seq[e] >= 0 else None
        else:
            nxt = after
        fixed, certain = _resolve(tail, pattern, nxt, model)
        out.append(fixed)
        if not certain:
            lost += 1
        i = e
    return "".join(out), lost, False


@lru_cache(maxsize=8192)
def _resolve(tail: bytes, pattern: tuple[int, ...], after: int | None, model: str) -> tuple[str, bool]:
    """The window's text and whether it is certain (else its lost character is U+FFFD)."""
    cands = _window(tail, pattern, after, model)
    if len(cands) == 1:
        return cands[0], True
    if pattern == (QHOLE,) and not tail:
        return "?", True      # a plain question mark between characters
    return _common_edges(cands), False


def _common_edges(cands: tuple[str, ...]) -> str:
    """What all candidate decodings share at the start and the end, around one U+FFFD."""
    if not cands:
        return "\ufffd"
    pre = os.path.commonprefix(list(cands))
    rests = [c[len(pre):][::-1] for c in cands]
    suf = os.path.commonprefix(rests)[::-1]
    return pre + "\ufffd" + suf


def _run_evidence(run: str, fixed: str) -> tuple[bool, bool, int]:
    """``(plausible, strong, cjk)`` for one repaired run.

    plausible: the repair is printable text with some Chinese in it and more common Chinese
    than the run itself. strong: it also has at least 3 CJK characters, scores as ordinary
    Chinese (>= 0.6) and at least 0.4 above the run: evidence on its own.
    """
    core = fixed.replace("\ufffd", "")
    if not all(_printable(c) for c in core):
        return False, False, 0
    cjk = sum(1 for c in core if _is_cjk(c))
    if not cjk:
        if not core.strip("? "):
            return True, False, 0                 # nothing but lost characters
        # accented Latin (pinyin tone marks: "fù" read as GBK is "f霉"), only next to evidence
        return len(core) <= 3 and all(unicodedata.name(c, "").startswith("LATIN") for c in core), False, 0
    after, _ = chinese_score(core)
    before, _ = chinese_score(run)
    plausible = after >= 0.5 and after > before + 0.2
    strong = plausible and cjk >= 3 and after >= 0.6 and after - before >= 0.4
    return plausible, strong, cjk


_GB_PUA = re.compile("[\ue000-\ue765]")
# GBK mojibake of Chinese holds, somewhere, three whole UTF-8 CJK characters (or CJK / full-width
# punctuation) in a row once re-encoded; ordinary text essentially never does. One encode and
# one search (the regex module is much faster than re here) rule out almost every clean page.
_GATE = regex.compile(rb"(?:[\xe2-\xe9\xef][\x80-\xbf]{2}){3}")


def _suspect_start(seg: str) -> int | None:
    """Byte offset where the last UTF-8 character before the break in ``seg`` starts.

    That character may straddle bytes dropped without a trace, so a piece must end before
    it. None when ``seg`` holds lost bytes (then the caller trims more conservatively).
    """
    if "\ufffd" in seg or "?" in seg or "\u20ac" in seg:
        return None
    raw = _gbk_bytes(seg)
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        prefix = raw[:exc.start]
    dec = codecs.getincrementaldecoder("utf-8")()
    txt = dec.decode(prefix, final=False)
    complete = len(prefix) - len(dec.getstate()[0])
    return complete - len(txt[-1].encode("utf-8")) if txt else 0


def _pieces(run: str, model: str) -> list[tuple[int, int, str, int]]:
    """Stretches of a run that is not mojibake as a whole (bytes were dropped without a
    trace, or the run mixes real text and mojibake) that decode on their own.

    A stretch starts at a character whose GBK bytes start a UTF-8 character. When it ends at
    a break, the last UTF-8 character before the break is left out (two, when lost bytes make
    it unclear which): with bytes dropped there it may be made of two characters' pieces and
    valid only by chance.
    """
    n = len(run)
    starts = [i for i, c in enumerate(run)
              if c != "?" and (c == "\ufffd" or 0xC2 <= _unit_bytes(c)[0] <= 0xF4)]
    ok = lambda a, b: _repair_run_full(run[a:b], None, model)  # noqa: E731
    out: list[tuple[int, int, str, int]] = []
    pos = 0
    for a in starts:
        if a < pos:
            continue
        lo, step, hi = a, 2, None           # gallop, then bisect, to the longest valid stretch
        while True:
            b = min(n, a + step)
            if ok(a, b) is not None:
                lo = b
                if b == n:
                    break
                step *= 2
            else:
                hi = b
                break
        while hi is not None and hi - lo > 1:
            mid = (lo + hi) // 2
            if ok(a, mid) is not None:
                lo = mid
            else:
                hi = mid
        pos = lo                            # the char that broke it may start the next piece
        if lo - a < 3:
            continue
        if lo == n:                          # runs to the end of the run: ends as the run does
            fixed, lost, _cut = ok(a, n)
            out.append((a, n, fixed, lost))
            continue
        limit = _suspect_start(run[a:lo + 1])
        clean = []                           # ends at a character boundary, no cut
        for b in range(lo, a + 2, -1):
            got = ok(a, b)
            if got is None or got[2] or run[b - 1] == "\ufffd":
                continue
            if limit is not None and len(_gbk_bytes(run[a:b])) > limit:
                continue
            if not clean or len(got[0]) < len(clean[-1][1]):
                clean.append((b, got[0], got[1]))
            if len(clean) == (1 if limit is not None else 2):
                break
        want = 1 if limit is not None else 2
        if len(clean) < want:
            continue
        b, fixed, lost = clean[want - 1]
        out.append((a, b, fixed, lost))
    return out


def _find_runs(text: str, model: str):
    """Every repairable run (or piece of one): ``[(start, end, fixed, lost, strong)]`` and the
    number of CJK characters the strong ones hold (the page's evidence)."""
    found = []
    strong_cjk = 0
    for m in _RUN.finditer(text):
        run = m.group()
        nxt = text[m.end()] if m.end() < len(text) else None
        after = ord(nxt) if nxt is not None and nxt < "\x80" else None
        got = _repair_run(run, after, model)
        if got is None:
            if len(run) >= 4 and (_GATE.search(_gbk_bytes(run)) or _GATE.search(_gbk_bytes(run, True))):
                for a, b, fixed, lost in _pieces(run, model):
                    plausible, strong, cjk = _run_evidence(run[a:b], fixed)
                    if strong:
                        strong_cjk += cjk
                        found.append((m.start() + a, m.start() + b, fixed, lost, True))
            continue
        fixed, lost = got
        if fixed == run:
            continue
        plausible, strong, cjk = _run_evidence(run, fixed)
        if not plausible:
            continue
        if strong:
            strong_cjk += cjk
        found.append((m.start(), m.end(), fixed, lost, strong))
    return found, strong_cjk


@fixer("mojibake-gbk")
def mojibake_gbk(text: str, ctx, rule) -> list[Proposal]:
    """Repair UTF-8 that was decoded as GBK and saved again, recovering what is certain.

    Each run of non-ASCII characters is encoded as GBK/GB18030 and decoded as UTF-8. A run is
    repaired when that works and the result is far more common Chinese than the run (at
    least three CJK characters, score >= 0.6 and 0.4 above the run's); once a page has such
    runs, its shorter runs that decode to plausible Chinese are repaired too. A run that is
    not mojibake as a whole (bytes dropped without a trace, or real text next to mojibake)
    has its certain stretches repaired. Ordinary simplified or traditional Chinese never
    decodes as UTF-8 this way and is left alone::

        "鍦ㄥ弻鍒涘伐浣滀細璁\ufffd涓婄殑璁茶瘽"  ->  "在双创工作会\ufffd上的讲话"
        "鍦ㄥ弻鍒涘伐浣"                        ->  "在双创工\ufffd"
        "鍦ㄥ弻鍒涘伐浣滀細璁笂鐨勮璇?"          ->  "在双创工作会璁笂鐨勮璇?"
        "在双创工作会议上的讲话"                ->  unchanged

    A byte the GBK decoder lost (U+FFFD, "?", or a cut at the end of a run) is restored only
    when exactly one byte value fits; otherwise the character becomes U+FFFD and
    ``ctx.warnings`` gets one line saying how many characters could not be recovered.
    """
    if text.isascii():
        return []
    text = _real_text(text, ctx)
    if not (_GATE.search(_gbk_bytes(text)) or ("\u20ac" in text and _GATE.search(_gbk_bytes(text, True)))):
        return []
    found, strong_cjk = _find_runs(text, "gbk")
    if strong_cjk >= 3 and any(_GB_PUA.search(text, s, e) for s, e, *_ in found):
        # private-use characters inside the mojibake: its decoder mapped GBK's user-defined
        # areas instead of losing them, so fewer byte values can be the lost ones
        found, strong_cjk = _find_runs(text, "gb18030")
    if not found or strong_cjk < 3:
        return []
    if strong_cjk < 8:   # a little evidence: repair only the strong runs themselves
        found = [f for f in found if f[4]]
    props, lost_total = [], 0
    for s, e, fixed, lost, _strong in found:
        note = f"{lost} character{'s' if lost != 1 else ''} lost" if lost else None
        props.append(Proposal(s, e, fixed, rule.id, note))
        lost_total += lost
    if lost_total and ctx is not None:
        ctx.warnings.append(
            f"{rule.id}: {lost_total} character{'s' if lost_total != 1 else ''} could not be recovered "
            "from GBK mojibake (bytes lost when UTF-8 was decoded as GBK) and are marked U+FFFD")
    return props
