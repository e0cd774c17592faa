"""Decode raw bytes into text, and score how Chinese a text looks.

:func:`decode` turns the bytes of a scraped page into the *decoded source*: the text every
later edit is expressed against. It never normalises anything (line ends, BOM-less
whitespace, form feeds, odd characters all stay), so that ``data.decode(encoding) == text``
and the provenance stays exact. Double-encoded text (mojibake) is *not* repaired here: the
decoder returns it as decoded and the ``repair.mojibake.*`` fixers
(:mod:`cleaner.fixers.encoding`) repair it as ordinary, attributed edits.

Supported: UTF-8 (with a BOM: ``utf-8-sig``), UTF-16 with a BOM (``utf-16``) and without one
when the NUL bytes clearly alternate (``utf-16-le`` / ``utf-16-be``), UTF-32 with a BOM
(``utf-32``) and without one (``utf-32-le`` / ``utf-32-be``), GBK/GB18030 (``gb18030``), Big5
(``big5``, or ``big5hkscs`` when plain Big5 fails) and HZ (``hz``, 7-bit GB2312 of old e-mail
and Usenet archives, which is valid ASCII).

How the choice is made, cheapest first:

1. empty input is ``""`` in ``utf-8``; known binary formats (PDF, ZIP/Office, PNG, JPEG,
   GIF, OLE, ELF, ...) raise :class:`DecodeError`;
2. a byte-order mark decides;
3. NUL bytes in every 4-byte unit's high positions mean UTF-32, in alternating positions
   UTF-16; many NUL bytes otherwise mean binary;
4. valid UTF-8 is UTF-8 (no scoring: long non-ASCII text that is valid UTF-8 by accident
   does not occur in practice), except ASCII with ``~{...~}`` runs that read as Chinese in HZ;
5. otherwise every candidate (GB18030, Big5, UTF-16 without NUL bytes, UTF-8 with a few bad
   bytes) decodes a sample of at most the first 64 KB (a candidate with more than ~1% bytes it
   cannot decode is out: only real decoding errors count, not U+FFFD characters the text
   holds; UTF-16, which nearly any even-length input is, must also read as text), and the one
   whose text is most "common Chinese" (:func:`chinese_score`) wins; a strict decoding that scores as plainly
   ordinary Chinese ends the search early; ``chardet`` only breaks near ties.

Lossy fallback: when no candidate decodes the whole input strictly but the best one fails
on only a few bytes (at most ~1%: a truncated multi-byte character at the end, a few
corrupt bytes), the result is ``data.decode(encoding, errors="replace")``: ``errors`` is
then ``"replace"`` and a warning names how many bytes were replaced and where. In that case
the exact-rebuild guarantee holds for the decoded text (every later edit is exact against
it), not for the bytes: ``data.decode(d.encoding, d.errors) == d.text`` is what holds.
More than ~1% bad bytes in every candidate raises :class:`DecodeError`.
"""
from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

SAMPLE_BYTES = 65536          # detection and scoring look at most at this many bytes
SCORE_CHARS = 1024            # ... and score at most this many non-ASCII characters (plenty:
                              # ordinary Chinese and garbage differ by 0.5 or more)
MAX_BAD_SHARE = 0.01          # lossy fallback only while at most 1% of the bytes are bad
MAX_WARN_OFFSETS = 10
CLEAR_SCORE = 0.85            # a strict decoding scoring this high is taken without the rest
UTF16_MIN_QUALITY = 0.8       # UTF-16 without a BOM must read as text (:func:`_text_quality`)


class DecodeError(ValueError):
    """The input is not text in any supported encoding (the message says why, in one line)."""


@dataclass
class Decoded:
    """``text`` is ``data.decode(encoding, errors)``; ``errors`` is ``"strict"`` unless the
    lossy fallback was used (see the module docstring), when ``warnings`` says so."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    errors: str = "strict"


# --------------------------------------------------------------------------------------
# Scoring: how much does a text look like ordinary Chinese?

# Punctuation and symbols of ordinary Chinese text, counted as common like the characters.
CJK_PUNCT = ("，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕—…·～　"
             "０１２３４５６７８９％＋－＝／．")

_CTRL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_PUA_RE = re.compile("[\ue000-\uf8ff]")
_ASCII_RUNS = re.compile("[\x00-\x7f]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """The common-character set: ``cleaner/data/common_chars.txt`` plus :data:`CJK_PUNCT`."""
    raw = resources.files("cleaner").joinpath("data", "common_chars.txt").read_text(encoding="utf-8")
    chars = {c for line in raw.splitlines() if not line.startswith("#") for c in line.strip()}
    return frozenset(chars | set(CJK_PUNCT))


@lru_cache(maxsize=1)
def _delete_common() -> dict[int, None]:
    return dict.fromkeys(map(ord, common_chars()))


def chinese_score(text: str, limit: int = SCORE_CHARS) -> tuple[float, int]:
    """How "common Chinese" ``text`` is: ``(score, n)`` over its first ``limit`` non-ASCII chars.

    ``n`` is the number of non-ASCII characters looked at (plus control characters); the score
    is the share of them that are common CJK characters or punctuation (simplified or
    traditional), minus 2 for each U+FFFD or control character and 1 for each private-use
    character, divided by ``n``. Ordinary Chinese scores about 0.95 or more, garbage (Big5
    read as GBK, GBK mojibake) about 0.1–0.4, and can go below 0. ``(0.0, 0)`` when there is
    nothing to score (pure ASCII).
    """
    first = _NON_ASCII.search(text)       # score the text, not an ASCII (HTML, header) head
    start = first.start() if first else 0
    text = text[start: start + limit * 3]
    controls = len(_CTRL_RE.findall(text)) if _CTRL_RE.search(text) else 0
    wide = _ASCII_RUNS.sub("", text)[:limit] if not text.isascii() else ""
    n = len(wide) + controls
    if not n:
        return 0.0, 0
    common = len(wide) - len(wide.translate(_delete_common()))
    bad = wide.count("\ufffd") + controls
    pua = len(_PUA_RE.findall(wide)) if _PUA_RE.search(wide) else 0
    return (common - 2 * bad - pua) / n, n


# --------------------------------------------------------------------------------------
# Binary input

_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP or Office document"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE / old Office document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"{\\rtf", "RTF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"wOFF", "WOFF font"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"OggS", "Ogg"),
    (b"ID3", "MP3"),
    (b"fLaC", "FLAC"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM"),
    (b"SQLite format 3\x00", "SQLite"),
)

# C0 control bytes that do not occur in text (TAB, LF, VT, FF, CR, ESC and SUB excepted)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x1A), 0x1C, 0x1D, 0x1E, 0x1F])
_NON_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:16]
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP", b"WAVE": "WAV", b"AVI ": "AVI"}[head[8:12]]
    if head[4:8] == b"ftyp":
        return "MP4/ISO media"
    return None


def _control_share(sample: bytes) -> float:
    return len(sample.translate(None, _NON_CONTROL)) / max(1, len(sample))


# --------------------------------------------------------------------------------------
# Helpers


class _TooMany(Exception):
    pass


_COUNT = threading.local()


def _count_handler(exc: UnicodeDecodeError):
    bad = _COUNT.bad
    bad.extend(range(exc.start, exc.end))
    if len(bad) > _COUNT.limit:
        raise _TooMany
    return "\ufffd", exc.end


codecs.register_error("cleaner-count", _count_handler)


def _bad_bytes(data: bytes, encoding: str, limit: int) -> list[int] | None:
    """Offsets of the bytes ``encoding`` cannot decode (None once there are more than ``limit``)."""
    _COUNT.bad, _COUNT.limit = [], limit
    try:
        data.decode(encoding, errors="cleaner-count")
    except _TooMany:
        return None
    finally:
        bad, _COUNT.bad = _COUNT.bad, []
    return bad


def _sample_lossy(sample: bytes, encoding: str, complete: bool, limit: int) -> str | None:
    """The sample decoded with undecodable bytes replaced by U+FFFD, if at most ``limit`` bytes
    are undecodable (a character cut by the sample's end is not an error). Only real decoding
    errors count: U+FFFD characters the text itself holds are text."""
    _COUNT.bad, _COUNT.limit = [], limit
    try:
        return codecs.getincrementaldecoder(encoding)("cleaner-count").decode(sample, final=complete)
    except _TooMany:
        return None
    finally:
        _COUNT.bad = []


def _sample_decode(sample: bytes, encoding: str, complete: bool) -> str | None:
    """Strict decoding of the sample; a character cut by the sample's end is not an error."""
    try:
        dec = codecs.getincrementaldecoder(encoding)("strict")
        return dec.decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def _lossy(data: bytes, encoding: str, why: str = "", min_limit: int = 1) -> Decoded | None:
    """``data`` decoded with ``errors="replace"`` if at most ~1% of its bytes are bad
    (``min_limit``: bad bytes always allowed, e.g. the 1-3 bytes of a character cut at the end)."""
    limit = max(min_limit, int(len(data) * MAX_BAD_SHARE))
    bad = _bad_bytes(data, encoding, limit)
    if bad is None:
        return None
    text = data.decode(encoding, errors="replace")
    shown = ", ".join(str(o) for o in bad[:MAX_WARN_OFFSETS]) + (", ..." if len(bad) > MAX_WARN_OFFSETS else "")
    msg = f"{len(bad)} undecodable byte{'s' if len(bad) != 1 else ''} replaced with U+FFFD ({encoding}) at offsets {shown}"
    return Decoded(text, encoding, [msg + (f"; {why}" if why else "")], errors="replace")


def _strict_or_lossy(data: bytes, encoding: str) -> Decoded | None:
    """``data`` decoded strictly, else with a few bad bytes replaced, else None."""
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        return _lossy(data, encoding)


def _declared(data: bytes, encoding: str, what: str) -> Decoded:
    """Decode input whose byte-order mark names the encoding."""
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    got = _lossy(data, encoding)
    if got is None:
        raise DecodeError(f"starts with a {what} byte-order mark but more than 1% of it is not {encoding}")
    return got


def _utf16_guess(sample: bytes, complete: bool, force: bool = False) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes alternate and that decoding reads as text.

    ``force``: try both byte orders even without NUL bytes (all-CJK UTF-16 has none).
    """
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if not force and (max(even, odd) < 2 or min(even, odd) * 2 > max(even, odd)):
        return None
    order = ("utf-16-le", "utf-16-be") if odd > even else ("utf-16-be", "utf-16-le")
    best, best_q = None, 0.0
    for enc in order:
        text = _sample_decode(sample[: len(sample) & ~1] if not complete else sample, enc, complete)
        if text is None or (force and not _reads_as_cjk(text)):
            continue
        q = _text_quality(text)
        if q > best_q:
            best, best_q = enc, q
    return best if best_q >= UTF16_MIN_QUALITY else None


def _utf32_guess(data: bytes, sample: bytes) -> str | None:
    """``utf-32-le``/``utf-32-be`` when every code unit has the two high (or, in BE, the first
    two) bytes of a BMP-or-plane-1/2 character and the decoding reads as text."""
    if len(data) % 4 or len(sample) < 8:
        return None
    sample = sample[: len(sample) & ~3]
    for enc, zero, small in (("utf-32-le", 3, 2), ("utf-32-be", 0, 1)):
        if sample[zero::4].count(0) * 4 != len(sample) or max(sample[small::4]) > 0x02:
            continue
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _text_quality(text[: SCORE_CHARS * 4]) >= UTF16_MIN_QUALITY:
            return enc
    return None


_HZ_SHIFT = re.compile(rb"~\{[\x21-\x7e]{2,}?~\}")


def _looks_hz(data: bytes) -> bool:
    """HZ (RFC 1843: GB2312 in 7-bit ASCII between ``~{`` and ``~}``) when the input is ASCII,
    has shifted runs, and the HZ reading is plainly Chinese (ordinary ASCII text with a stray
    ``~{`` does not decode, or decodes to rare characters)."""
    if not data.isascii() or b"~{" not in data or not _HZ_SHIFT.search(data):
        return False
    try:
        text = data.decode("hz")
    except UnicodeDecodeError:
        return False
    score, han = chinese_score(text)
    return han >= 4 and score >= CLEAR_SCORE


_PLAIN_ASCII = re.compile(r"[\t\n\r\f\x20-\x7e]+")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s")


def _reads_as_cjk(text: str) -> bool:
    """UTF-16 without NUL bytes is CJK text, or it is not UTF-16: a reading that is text by
    :func:`_text_quality` and at least half Han characters (not whitespace and control bytes
    read in pairs as punctuation: `` \\x1d`` is U+201D in UTF-16-BE)."""
    text = text[: SCORE_CHARS * 4]
    if _text_quality(text) < UTF16_MIN_QUALITY:
        return False
    shown = len(text) - len(_SPACE.findall(text))
    return shown > 0 and len(_HAN.findall(text)) * 2 >= shown


def _text_quality(text: str) -> float:
    """Share of plausible characters in ``text`` (printable ASCII, whitespace, common CJK)."""
    text = text[: SCORE_CHARS * 4]
    if not text:
        return 0.0
    rest = _PLAIN_ASCII.sub("", text)
    plain = len(text) - len(rest)
    score, n = chinese_score(rest)
    return (plain + score * n) / max(1, plain + n)


_LATIN1_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                          "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
                          "\u2039\u203a\u20ac\u2122]")
# characters that GBK-mojibake of ordinary Chinese is made of, far beyond their real use
# (銆 = 。、 prefix, 鐨 = 的, 涓 = 中/一/不, 鍦 = 在, 浜 = 了/人, 鏄 = 是, 浠 = 们, 鍙 = 发, 璁 = 讲/设, 鎴 = 我)
_GBK_HINT = re.compile("[銆鐨涓鍦浜鏄浠鍙璁鎴锛]")


def mojibake_hint(text: str) -> str | None:
    """``"latin1"`` or ``"gbk"`` when the start of ``text`` looks double-encoded, else None.

    Cheap (two regex scans of at most 64 K characters); only a hint for a warning: the
    repair itself is the fixers' job and uses real evidence.
    """
    head = text[:SAMPLE_BYTES]
    if head.isascii():
        return None
    n_wide = len(head) - len(head.encode("ascii", "ignore"))
    hits = len(_LATIN1_HINT.findall(head))
    if hits >= 3 and hits * 3 * 4 >= n_wide:
        return "latin1"
    hits = len(_GBK_HINT.findall(head))
    if hits >= 5 and hits * 25 >= n_wide:
        return "gbk"
    return None


_HINT_MESSAGE = {
    "latin1": "text looks double-encoded (UTF-8 read as Latin-1/cp1252); rule repair.mojibake.latin1 repairs it",
    "gbk": "text looks double-encoded (UTF-8 read as GBK); rule repair.mojibake.gbk repairs what it can",
}


def _chardet_family(sample: bytes) -> str | None:
    try:
        import chardet
    except ImportError:  # pragma: no cover - chardet is a dependency
        return None
    name = (chardet.detect(sample).get("encoding") or "").lower().replace("_", "-")
    if name.startswith(("gb", "hz")):
        return "gb18030"
    if name.startswith("big5") or name in ("cp950", "euc-tw"):
        return "big5"
    if name.startswith("utf-8"):
        return "utf-8"
    return None


# --------------------------------------------------------------------------------------


def decode(data: bytes) -> Decoded:
    """Decode the raw bytes of a page; see the module docstring for the rules.

    Returns :class:`Decoded` with ``data.decode(d.encoding, d.errors) == d.text`` (``errors``
    is ``"strict"`` except in the lossy fallback, which ``d.warnings`` reports). Raises
    :class:`DecodeError` with a one-line reason for binary input or input that is not text
    in any supported encoding.
    """
    if not data:
        return Decoded("", "utf-8")
    kind = _binary_kind(data)
    if kind:
        raise DecodeError(f"binary file ({kind}), not text")

    # 2. byte-order marks (UTF-32 before UTF-16: FF FE 00 00 starts both)
    if data.startswith(b"\xef\xbb\xbf"):
        return _declared(data, "utf-8-sig", "UTF-8")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")) and len(data) % 4 == 0:
        try:
            return Decoded(data.decode("utf-32"), "utf-32")
        except UnicodeDecodeError:
            pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _declared(data, "utf-16", "UTF-16")

    sample = data[:SAMPLE_BYTES]
    complete = len(sample) == len(data)

    # 3. NUL bytes: UTF-32 or UTF-16 without a BOM, or binary
    nuls = sample.count(0)
    if nuls:
        enc = _utf32_guess(data, sample)
        if enc:
            return Decoded(data.decode(enc), enc)
        enc = _utf16_guess(sample, complete)
        got = _strict_or_lossy(data, enc) if enc else None
        if got is not None:
            return got
        if nuls > 8 or nuls * 1000 > len(sample):
            raise DecodeError(f"binary file ({nuls} NUL bytes in the first {len(sample)} bytes, not UTF-16), not text")

    share = _control_share(sample)
    if share > 0.05:
        enc = _utf16_guess(sample, complete, force=True) if len(data) % 2 == 0 else None
        if enc:   # UTF-16 of CJK text without a single ASCII character: no NUL bytes at all
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError:
                pass
        raise DecodeError(f"binary file ({share:.0%} control bytes in the first {len(sample)} bytes), not text")

    # 4. the cheap path: valid UTF-8
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    else:
        if _looks_hz(data):
            return Decoded(data.decode("hz"), "hz")
        hint = mojibake_hint(text)
        return Decoded(text, "utf-8", [_HINT_MESSAGE[hint]] if hint else [])

    # a UTF-8 file cut inside its last character: valid UTF-8 up to the last few bytes
    if first_error.start >= len(data) - 3 and first_error.reason == "unexpected end of data":
        prefix = data[: first_error.start]
        if not prefix.isascii():
            return _lossy(data, "utf-8", "the input ends inside a UTF-8 character (truncated)", min_limit=3)  # type: ignore[return-value]

    return _scored(data, sample, complete)


def _scored(data: bytes, sample: bytes, complete: bool) -> Decoded:
    """Step 5: score the candidate decodings of the sample, then decode the whole input."""
    candidates: list[tuple[float, int, str, bool]] = []   # (score, preference, encoding, strict)
    order = ["gb18030", "big5", "big5hkscs", "utf-16-le", "utf-16-be", "utf-8"]
    limit = max(1, int(len(sample) * MAX_BAD_SHARE))
    strict_big5 = False
    for pref, enc in enumerate(order):
        if (enc == "big5hkscs" and strict_big5) or (enc.startswith("utf-16") and len(data) % 2):
            continue
        text = _sample_decode(sample, enc, complete)
        strict = text is not None
        if not strict:
            text = _sample_lossy(sample, enc, complete, limit)
            if text is None:
                continue
        elif enc == "big5":
            strict_big5 = True
        if enc.startswith("utf-16") and not _reads_as_cjk(text):
            continue    # almost any even-length input is valid UTF-16: it must also read as text
        score, _ = chinese_score(text)
        candidates.append((score, -pref, enc, strict))
        if strict and score >= CLEAR_SCORE:
            break   # plainly ordinary Chinese: the later candidates cannot beat it by much
    if not candidates:
        raise DecodeError("not text in any supported encoding (UTF-8, UTF-16, GB18030, Big5): "
                          "more than 1% undecodable bytes in each")
    candidates.sort(reverse=True)
    if len(candidates) > 1 and candidates[0][0] - candidates[1][0] < 0.05:
        fam = _chardet_family(sample)
        if fam:
            top = candidates[0][0]
            near = [c for c in candidates if top - c[0] < 0.05]
            pick = next((c for c in near if c[2].startswith(fam)), None)
            if pick:
                candidates.remove(pick)
                candidates.insert(0, pick)
    for _score, _pref, enc, _strict in candidates:
        got = _strict_or_lossy(data, enc)
        if got is not None:
            return got
    raise DecodeError("not text in any supported encoding (UTF-8, UTF-16, GB18030, Big5): "
                      "more than 1% undecodable bytes in each")
