#!/usr/bin/env python3
"""Build the benchmark corpus from the fixture pages (used by bench/run.py and bench/profile.py).

Every raw page under ``fixtures/`` (``seeds/*.txt``, ``variants/*.txt``, ``sites/*.txt`` and
``encodings/*.txt`` without the ``*.expected.txt`` answers) is replicated round after round
(copy 1 of every page, then copy 2, ...) until the corpus reaches the requested size, so the
corpus has the fixtures' mix of sites, sizes and encodings. Each copy differs from the others by a small deterministic change:

- the longest run of 4+ ASCII digits (a document id, a phone number, a year) gets a different
  value of the same length (``(n + copy) mod 10**k``), spliced into the raw bytes so that the
  page's encoding (GB18030, Big5, UTF-16, a truncated UTF-8 tail, ...) is untouched;
- a page without such a run gets a trailing line holding the copy number (the kind of stray
  page number real scrapes end with), encoded in the page's own encoding and line ending.

Every copy is checked with the cleaner's own decoder: same encoding, and the decoded text is
the original decoded text with exactly that change.

Output (``OUT`` is ``bench/corpus`` by default):

- ``OUT/files/<copy>-<group>-<stem>.txt``: the copies, raw bytes (copy-major order, so a chunk
  of consecutive files mixes all the fixture pages);
- ``OUT/corpus.jsonl``: the same pages as ``{"id": ..., "text": <decoded text>}`` per line
  (UTF-8, ``ensure_ascii=False``), for the floors and for ``--input-format jsonl``;
- ``OUT/manifest.json``: parameters, fixture hashes and totals; a corpus whose manifest matches
  is reused instead of rebuilt.

Usage: ``.venv/bin/python bench/build_corpus.py [--size-mb 100] [--out bench/corpus]``
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DEFAULT_OUT = ROOT / "bench" / "corpus"
GROUPS = ("seeds", "variants", "sites", "encodings")
GENERATOR_VERSION = 3

_DIGITS = re.compile(r"[0-9]{4,}")


@dataclass
class Page:
    group: str
    stem: str
    data: bytes
    encoding: str
    text: str           # decoded text (what the cleaner's decoder returns)
    errors: str


def fixture_pages(fixtures: Path = FIXTURES) -> list[Page]:
    """Every raw page under ``fixtures/``, decoded with the cleaner's decoder."""
    from cleaner.decode import decode

    pages = []
    for group in GROUPS:
        folder = fixtures / group
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            if path.name.endswith((".expected.txt", ".gold.txt")):
                continue
            data = path.read_bytes()
            try:
                d = decode(data)
            except ValueError as exc:  # an undecodable fixture would only measure the reject path
                print(f"skip {path}: {exc}", file=sys.stderr)
                continue
            pages.append(Page(group, path.stem, data, d.encoding, d.text, d.errors))
    if not pages:
        raise SystemExit(f"no fixture pages under {fixtures}")
    return pages


def _bare_codec(encoding: str) -> str:
    """The codec that encodes a piece of text in the middle of the page (no BOM)."""
    if encoding == "utf-16":
        return "utf-16"  # resolved per page by _piece_codec
    return {"utf-8-sig": "utf-8", "utf-32": "utf-32-le"}.get(encoding, encoding)


def _piece_codec(page: Page) -> str:
    if page.encoding == "utf-16":
        return "utf-16-be" if page.data.startswith(b"\xfe\xff") else "utf-16-le"
    if page.encoding == "utf-32":
        return "utf-32-be" if page.data.startswith(b"\x00\x00\xfe\xff") else "utf-32-le"
    return _bare_codec(page.encoding)


def _byte_offset(page: Page, char_offset: int) -> int:
    """Byte offset in ``page.data`` of the character at ``char_offset`` of the decoded text."""
    codec = _piece_codec(page)
    bom = {"utf-8-sig": 3, "utf-16": 2, "utf-32": 4}.get(page.encoding, 0)
    return bom + len(page.text[:char_offset].encode(codec, errors="strict"))


def vary(page: Page, copy: int) -> tuple[bytes, str]:
    """Copy number ``copy`` (>= 1) of ``page``: its raw bytes and its decoded text."""
    codec = _piece_codec(page)
    runs = list(_DIGITS.finditer(page.text))
    if runs:
        m = max(runs, key=lambda r: (len(r.group()), -r.start()))
        k = min(len(m.group()), 6)
        head, tail = m.group()[:-k], m.group()[-k:]
        new = head + f"{(int(tail) + copy) % 10 ** k:0{k}d}"
        try:
            b0 = _byte_offset(page, m.start())
            b1 = b0 + len(m.group().encode(codec))
            if page.data[b0:b1] == m.group().encode(codec):
                data = page.data[:b0] + new.encode(codec) + page.data[b1:]
                return data, page.text[:m.start()] + new + page.text[m.end():]
        except UnicodeEncodeError:  # text before the run holds U+FFFD from a lossy decoding
            pass
    nl = "\r\n" if "\r\n" in page.text else "\n"
    sep = "" if page.text.endswith(("\n", "\r")) else nl
    extra = f"{sep}{copy}{nl}"
    return page.data + extra.encode(codec), page.text + extra


def _check(page: Page, data: bytes, text: str) -> None:
    from cleaner.decode import decode

    d = decode(data)
    if d.encoding != page.encoding or d.text != text:
        raise AssertionError(f"variation of {page.group}/{page.stem} changed its decoding "
                             f"({page.encoding} -> {d.encoding})")


def _fingerprint(pages: list[Page], size_mb: float) -> dict:
    h = hashlib.sha256()
    for p in pages:
        h.update(f"{p.group}/{p.stem}\0".encode())
        h.update(hashlib.sha256(p.data).digest())
    return {"generator": GENERATOR_VERSION, "size_mb": size_mb, "fixtures_sha256": h.hexdigest()}


def build(size_mb: float = 100.0, out: Path = DEFAULT_OUT, *, force: bool = False,
          quiet: bool = False) -> dict:
    """Build (or reuse) the corpus of about ``size_mb`` MB under ``out``; returns the manifest."""
    out = Path(out)
    pages = fixture_pages()
    fp = _fingerprint(pages, size_mb)
    manifest_path = out / "manifest.json"
    if not force and manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            old = {}
        if old.get("fingerprint") == fp and (out / "files").is_dir() and (out / "corpus.jsonl").exists():
            if not quiet:
                print(f"reusing corpus {out} ({old['files']} files, {old['bytes'] / 1e6:.1f} MB)", file=sys.stderr)
            return old
    base = sum(len(p.data) for p in pages)
    copies = max(1, math.ceil(size_mb * 1e6 / base))
    if not quiet:
        print(f"building corpus {out}: {len(pages)} fixture pages ({base / 1e6:.2f} MB), up to {copies} copies of each",
              file=sys.stderr)
    files_dir = out / "files"
    if files_dir.exists():
        shutil.rmtree(files_dir)
    files_dir.mkdir(parents=True)
    manifest_path.unlink(missing_ok=True)
    total = jsonl_bytes = 0
    by_group = {p.group: {"pages": 0, "files": 0, "bytes": 0} for p in pages}
    for p in pages:
        by_group[p.group]["pages"] += 1
    encodings: dict[str, int] = {}
    tmp_jsonl = out / ".corpus.jsonl.tmp"
    target = size_mb * 1e6
    files = 0
    with tmp_jsonl.open("w", encoding="utf-8", newline="\n") as jf:
        for copy in range(1, copies + 1):
            if total >= target:
                break
            for p in pages:
                if total >= target:
                    break
                data, text = vary(p, copy)
                if copy <= 2:  # the change is the same for every copy; check it on the first ones
                    _check(p, data, text)
                name = f"{copy:05d}-{p.group}-{p.stem}"
                (files_dir / f"{name}.txt").write_bytes(data)
                line = json.dumps({"id": name, "text": text}, ensure_ascii=False) + "\n"
                jf.write(line)
                total += len(data)
                files += 1
                jsonl_bytes += len(line.encode("utf-8"))
                g = by_group[p.group]
                g["files"] += 1
                g["bytes"] += len(data)
                encodings[p.encoding] = encodings.get(p.encoding, 0) + 1
    os.replace(tmp_jsonl, out / "corpus.jsonl")
    manifest = {"fingerprint": fp, "fixture_pages": len(pages), "copies": math.ceil(files / len(pages)),
                "files": files, "bytes": total, "jsonl_bytes": jsonl_bytes,
                "groups": by_group, "encodings_by_file": encodings,
                "pages": [{"group": p.group, "stem": p.stem, "bytes": len(p.data), "encoding": p.encoding,
                           "errors": p.errors} for p in pages]}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=float, default=100.0)
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--force", action="store_true", help="rebuild even if the manifest matches")
    a = ap.parse_args(argv)
    m = build(a.size_mb, Path(a.out), force=a.force)
    print(f"{m['files']} files, {m['bytes'] / 1e6:.1f} MB; jsonl {m['jsonl_bytes'] / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
