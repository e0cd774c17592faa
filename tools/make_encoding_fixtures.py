#!/usr/bin/env python3
"""Generate the encoding fixtures (and the common-character list) from reviewed UTF-8 text.

Usage:
  make_encoding_fixtures.py                 write fixtures/encodings/ from fixtures/seeds/
  make_encoding_fixtures.py --common-chars  also rewrite cleaner/data/common_chars.txt
                                            from the gold texts in fixtures/gold/
  make_encoding_fixtures.py --check         exit 1 if the files on disk differ from what
                                            this script would write (nothing is written)

Everything is deterministic: fixed seed pages, fixed slices, no randomness, no clock.

Each fixture ``<name>.<ext>`` is a byte file in one encoding; ``<name>.expected.txt`` (UTF-8)
is the text that ``cleaner.decode.decode`` followed by the mojibake fixers must give back. The
expected text is always derived from the seed (the reviewed UTF-8 source) by plain codec
calls and OpenCC, never from the cleaner's own output:

  utf8_bom          UTF-8 with a BOM                      expected: the seed slice
  utf8_crlf         UTF-8, CRLF line ends                 expected: the slice with CRLF
                    (decode() keeps line ends exactly as they are)
  utf16le_bom       UTF-16 LE with a BOM                  expected: the seed slice
  utf16be_bom       UTF-16 BE with a BOM                  expected: the seed slice
  utf16le_nobom     UTF-16 LE without a BOM               expected: the seed slice
  gb18030           GB18030 (GBK for everything here)     expected: the seed slice
  big5              Big5, from the OpenCC s2tw conversion expected: the traditional slice
                    (s2tw: Taiwan forms, which Big5 holds; s2t gives variants it lacks)
  utf8_truncated    UTF-8 cut in the middle of a char     expected: the slice + U+FFFD
  mojibake_latin1   UTF-8 bytes read as Latin-1 and       expected: the seed slice (exactly)
                    saved again as UTF-8
  mojibake_gbk      UTF-8 bytes read as GBK (Python's     expected: the seed slice; the repair
                    codec, errors="replace") and saved    is lossy, so tests compare
                    again as UTF-8                        character by character
  mojibake_gb18030  the same read as GB18030 (user-       expected: the seed slice (lossy, but
                    defined areas become private-use      fewer bytes are lost)
                    characters, as Windows' cp936 does)

The common-character list (``--common-chars``) is every CJK ideograph in the gold speech
texts and titles plus its OpenCC s2t and s2tw traditional forms: a frequency set of the characters
that make up real speeches, simplified and traditional, used by the decoder's scoring and
by the GBK-mojibake fixer.
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
GOLD = ROOT / "fixtures" / "gold"
OUT = ROOT / "fixtures" / "encodings"
COMMON = ROOT / "cleaner" / "data" / "common_chars.txt"

# (fixture name, seed file, start char, length in chars). Slices start at a line start.
SLICE_CHARS = 4000


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _slice(text: str, start: int, length: int = SLICE_CHARS) -> str:
    """A slice of ``length`` characters starting at the first line start at/after ``start``."""
    if start:
        start = text.index("\n", start) + 1
    end = min(len(text), start + length)
    nl = text.rfind("\n", start, end)
    return text[start:nl + 1] if nl > start else text[start:end]


@lru_cache(maxsize=None)
def _opencc(config: str):
    from opencc import OpenCC
    return OpenCC(config)


def _s2t(text: str, config: str = "s2t") -> str:
    return _opencc(config).convert(text)


def _big5_encodable(text: str) -> str:
    """The lines of ``text`` that Big5 can hold (it lacks a few variants); the rest are dropped."""
    keep = []
    for line in text.splitlines(keepends=True):
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            continue  # drop the line rather than corrupt it: the expected text follows
        keep.append(line)
    return "".join(keep)


def _latin1_mojibake(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def _gbk_mojibake(text: str, codec: str = "gbk") -> str:
    return text.encode("utf-8").decode(codec, errors="replace")


def build_fixtures() -> dict[str, bytes]:
    """Map of file name -> bytes for everything under fixtures/encodings/."""
    s0 = _seed("000_3c868d3ef72c328c.txt")
    s1 = _seed("001_e1b3b74997207657.txt")
    s2 = _seed("002_880b41d3d6e7ffda.txt")
    s3 = _seed("003_5c63eede7426c25a.txt")
    s4 = _seed("004_afa1f4f367c7ea41.txt")
    files: dict[str, bytes] = {}

    def put(name: str, ext: str, data: bytes, expected: str) -> None:
        files[f"{name}.{ext}"] = data
        files[f"{name}.expected.txt"] = expected.encode("utf-8")

    t = _slice(s0, 0)
    put("utf8_bom", "txt", b"\xef\xbb\xbf" + t.encode("utf-8"), t)

    t = _slice(s1, 2000).replace("\n", "\r\n")
    put("utf8_crlf", "txt", t.encode("utf-8"), t)

    t = _slice(s2, 5000)
    put("utf16le_bom", "txt", b"\xff\xfe" + t.encode("utf-16-le"), t)
    t = _slice(s3, 30000)
    put("utf16be_bom", "txt", b"\xfe\xff" + t.encode("utf-16-be"), t)
    t = _slice(s4, 1000)
    put("utf16le_nobom", "txt", t.encode("utf-16-le"), t)

    t = _slice(s3, 60000)
    put("gb18030", "txt", t.encode("gb18030"), t)   # strict: fails loudly if it cannot

    t = _big5_encodable(_s2t(_slice(s0, 12000), "s2tw"))
    put("big5", "txt", t.encode("big5"), t)          # strict: fails loudly if it cannot

    t = _slice(s2, 15000, 1500)
    data = t.encode("utf-8")
    cut = data[:-1] if t.endswith("\n") else data
    # cut inside the last multi-byte character: drop its final byte
    while cut and cut[-1] < 0x80:
        cut = cut[:-1]
    cut = cut[:-1]
    put("utf8_truncated", "txt", cut, cut.decode("utf-8", errors="replace"))

    t = _slice(s1, 4000)
    put("mojibake_latin1", "txt", _latin1_mojibake(t).encode("utf-8"), t)

    t = _slice(s3, 50000, 8000)
    put("mojibake_gbk", "txt", _gbk_mojibake(t).encode("utf-8"), t)

    t = _slice(s0, 4000, 6000)
    put("mojibake_gb18030", "txt", _gbk_mojibake(t, "gb18030").encode("utf-8"), t)
    return files


def build_common_chars() -> str:
    texts = []
    for path in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for sp in gold["speeches"]:
            texts.append(sp.get("text") or "")
            texts.append(sp.get("title") or "")
        texts.append(gold.get("document", {}).get("title") or "")
    simplified = {c for c in "".join(texts) if "\u4e00" <= c <= "\u9fff"}
    traditional = {t for cfg in ("s2t", "s2tw") for c in sorted(simplified)
                   for t in _s2t(c, cfg) if "\u4e00" <= t <= "\u9fff"}
    chars = sorted(simplified | traditional)
    lines = [
        "# Common CJK characters, simplified and traditional (generated; do not edit by hand).",
        "# Every ideograph of the reviewed gold speech texts and titles (fixtures/gold/) plus its",
        "# OpenCC s2t and s2tw traditional forms. Regenerate: python tools/make_encoding_fixtures.py --common-chars",
        f"# {len(simplified)} simplified, {len(chars)} in all; 64 per line, in code point order.",
    ]
    for i in range(0, len(chars), 64):
        lines.append("".join(chars[i:i + 64]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--common-chars", action="store_true", help="also rewrite " + str(COMMON.relative_to(ROOT)))
    ap.add_argument("--check", action="store_true", help="compare with the files on disk, write nothing")
    args = ap.parse_args(argv)
    wanted: dict[Path, bytes] = {OUT / name: data for name, data in build_fixtures().items()}
    if args.common_chars:
        wanted[COMMON] = build_common_chars().encode("utf-8")
    stale = [p for p, data in wanted.items() if not p.exists() or p.read_bytes() != data]
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)}")
        return 1 if stale else 0
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if (data := wanted[p]) else b"")
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
