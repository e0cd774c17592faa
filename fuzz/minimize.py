"""Shrink a crashing fuzz input while it still crashes the same way (delta debugging on bytes,
then on characters when the input is text). No atheris needed.

    .venv/bin/python fuzz/minimize.py fuzz/crashes/crash-XXXX [-o fuzz/crashes/crash-XXXX.min]

The signature kept is the exception type plus the innermost frame of the cleaner or of the
contract check (so a different failure found while shrinking is not taken for the same one).
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "fuzz"))


def signature(data: bytes, check) -> str | None:
    try:
        check(data)
    except Exception as exc:  # noqa: BLE001
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if "/cleaner/" in f.filename or f.filename.endswith("helpers.py")]
        f = frames[-1] if frames else None
        return f"{type(exc).__name__}@{Path(f.filename).name}:{f.name}:{f.lineno}" if f else type(exc).__name__
    return None


def ddmin(units: list, test) -> list:
    """Zeller's ddmin: a 1-minimal sublist of ``units`` for which ``test`` still holds."""
    n = 2
    while len(units) >= 2:
        size = max(1, len(units) // n)
        chunks = [units[i:i + size] for i in range(0, len(units), size)]
        reduced = False
        for i in range(len(chunks)):
            rest = [u for j, c in enumerate(chunks) if j != i for u in c]
            if rest and test(rest):
                units, n, reduced = rest, max(n - 1, 2), True
                break
        if not reduced:
            if n >= len(units):
                break
            n = min(len(units), n * 2)
    return units


def minimize(data: bytes, check) -> tuple[bytes, str]:
    """The first byte (the harness's mode) is kept as it is; the rest is shrunk."""
    mode, data = data[:1], data[1:]
    orig = check
    check = lambda d: orig(mode + d)  # noqa: E731
    want = signature(data, check)
    if want is None:
        raise SystemExit("the input does not crash")
    # whole lines first, then bytes (kept as valid UTF-8 where the input was)
    lines = data.split(b"\n")
    data = b"\n".join(ddmin(lines, lambda ls: signature(b"\n".join(ls), check) == want))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        chars = ddmin(list(text), lambda cs: signature("".join(cs).encode("utf-8"), check) == want)
        data = "".join(chars).encode("utf-8")
    else:
        data = bytes(ddmin(list(data), lambda bs: signature(bytes(bs), check) == want))
    return mode + data, want


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("-o", "--output")
    args = ap.parse_args()
    from oracle import check_one

    data = Path(args.input).read_bytes()
    small, sig = minimize(data, check_one)
    out = Path(args.output or args.input + ".min")
    out.write_bytes(small)
    print(f"{sig}: {len(data)} -> {len(small)} bytes -> {out}\n{small!r}")


if __name__ == "__main__":
    main()
