#!/usr/bin/env python3
"""The simple floor: read a JSONL corpus and write it back, json.loads + json.dumps per line.

Usage: python bench/floor_json.py IN.jsonl OUT.jsonl
"""
import json
import sys


def main(src: str, dst: str) -> int:
    n = 0
    with open(src, encoding="utf-8") as fi, open(dst, "w", encoding="utf-8", newline="\n") as fo:
        for line in fi:
            rec = json.loads(line)
            fo.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} records", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
