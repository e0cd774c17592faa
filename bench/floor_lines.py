#!/usr/bin/env python3
"""The second floor: a naive line filter over the raw files.

Reads every file under DIR (sorted walk), decodes it as UTF-8 (bad bytes replaced: no
encoding detection), drops the lines that match one chrome-like regex and writes the rest
to one output file.

Usage: python bench/floor_lines.py DIR OUT.txt
"""
import os
import re
import sys

CHROME = re.compile(r"下载|收藏|举报|分享到|上一篇|下一篇|相关文档|本文由|https?://|www\.|第\s*\d+\s*页|^\s*\d+\s*$")


def main(src: str, dst: str) -> int:
    files = kept = dropped = 0
    with open(dst, "w", encoding="utf-8", newline="\n") as fo:
        for root, dirs, names in os.walk(src):
            dirs.sort()
            for name in sorted(names):
                with open(os.path.join(root, name), "rb") as fh:
                    text = fh.read().decode("utf-8", errors="replace")
                out = []
                for line in text.splitlines():
                    if CHROME.search(line):
                        dropped += 1
                    else:
                        out.append(line)
                kept += len(out)
                fo.write("\n".join(out) + "\n")
                files += 1
    print(f"{files} files, {kept} lines kept, {dropped} dropped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
