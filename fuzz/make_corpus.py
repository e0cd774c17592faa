"""Write the seed inputs of the fuzz campaign into fuzz/corpus/ (small, deterministic).

Each seed is ``<mode byte> + payload`` in the format ``fuzz/oracle.py: prepare`` reads: byte 0x07
means "the payload is raw bytes"; 0x01..0x06 mean "the payload is UTF-8 text, re-encode it /
clean it as text". Run: ``.venv/bin/python fuzz/make_corpus.py``.
"""
from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"
RAW, GB, BIG5, U16LE, U16BOM, U8BOM, TEXT = b"\x07", b"\x01", b"\x02", b"\x03", b"\x04", b"\x05", b"\x06"


def pieces() -> dict[str, bytes]:
    rng = random.Random(7)
    seeds = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    sites = sorted((ROOT / "fixtures" / "sites").glob("*.txt"))
    out: dict[str, bytes] = {}
    for p in seeds + sites[::3]:
        text = p.read_text(encoding="utf-8", errors="replace")
        head, tail = text[:600], text[-400:]
        out[f"{p.stem}_head_utf8"] = RAW + head.encode("utf-8")
        out[f"{p.stem}_tail_text"] = TEXT + tail.encode("utf-8")
        a = rng.randrange(0, max(1, len(text) - 500))
        mid = text[a:a + 500]
        out[f"{p.stem}_mid_gb"] = GB + mid.encode("utf-8")
    text = (ROOT / "fixtures" / "seeds" / seeds[0].name).read_text(encoding="utf-8")[:400]
    out["big5"] = BIG5 + text.encode("utf-8")
    out["utf16le"] = U16LE + text.encode("utf-8")
    out["utf16bom"] = U16BOM + text.encode("utf-8")
    out["utf8bom"] = U8BOM + text.encode("utf-8")
    out["raw_gb18030"] = RAW + text.encode("gb18030")
    out["raw_big5"] = RAW + text.encode("big5", errors="replace")
    out["raw_utf16be_nobom"] = RAW + text.encode("utf-16-be")
    out["raw_utf32"] = RAW + text.encode("utf-32")
    out["raw_truncated_utf8"] = RAW + text.encode("utf-8")[:-1]
    out["raw_mixed"] = RAW + text[:150].encode("utf-8") + text[150:].encode("gb18030")
    out["raw_latin1_mojibake"] = RAW + text.encode("utf-8").decode("latin-1").encode("utf-8")
    out["raw_gbk_mojibake"] = RAW + text.encode("utf-8").decode("gbk", errors="replace").encode("utf-8")
    for p in sorted((ROOT / "fixtures" / "encodings").glob("*.txt")):
        if not p.name.endswith(".expected.txt"):
            out[f"enc_{p.stem}"] = RAW + p.read_bytes()[:1500]
    out["html"] = RAW + ("<html><body><p>同志们:</p>&nbsp;<br/>" + text[:200] + "</body></html>").encode()
    out["chrome"] = RAW + "时间:2019-05-15 03:33:58下载本文作者:会员上传\n点击下载文档\n第1页 / 共6页\n— 2 —\n".encode()
    out["nul"] = RAW + b"abc\x00def\x00" + text[:50].encode()
    out["pdf"] = RAW + b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    out["png"] = RAW + b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    out["empty"] = RAW
    out["spaces"] = RAW + b" \t\r\n\xe3\x80\x80" * 10
    out["punct"] = RAW + "。。。,,,!!!——……".encode() * 20
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    total = 0
    for name, data in pieces().items():
        (OUT / name).write_bytes(data)
        total += len(data)
    print(f"{len(list(OUT.iterdir()))} seeds, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
