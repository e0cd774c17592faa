"""Coverage-guided fuzzing (atheris / libFuzzer) of the byte-level decoder and ``clean_bytes``.

Not part of the test suite (atheris is optional): see docs/fuzzing.md. Run directly:

    .venv/bin/python fuzz/fuzz_decode.py /tmp/fuzz-corpus fuzz/corpus -max_len=4096 -timeout=30

or the long campaign through ``fuzz/run_long.py``. What an input means and what counts as a crash
is ``fuzz/oracle.py`` (``check_one``): any exception other than ``DecodeError`` escaping
``decode``/``clean_bytes``/``clean_text``, an inexact decoding, or a broken provenance contract.

``FUZZ_KEEP_GOING=1`` records each new crash signature (exception type + innermost frame of the
cleaner or of the contract check) under ``fuzz/crashes/`` and carries on instead of stopping at
the first crash: what the long campaign uses so that one known bug does not end it.
"""
from __future__ import annotations

import hashlib
import os
import sys
import traceback
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "fuzz"))

with atheris.instrument_imports(include=["cleaner"]):
    import cleaner
    # the fixers, segmentation and the rule catalog are imported lazily, at the first clean:
    # do that here so that they are instrumented too
    cleaner.clean_bytes("同志们:\n今天开会。".encode("gb18030"))
    import cleaner.batch, cleaner.decode, cleaner.segment, cleaner.fixers  # noqa: E401,F401

from oracle import check_one  # noqa: E402  (not instrumented: it is the oracle)

KEEP_GOING = os.environ.get("FUZZ_KEEP_GOING") == "1"
CRASH_DIR = Path(os.environ.get("FUZZ_CRASH_DIR", ROOT / "fuzz" / "crashes"))
_seen: set[str] = set()


def _signature(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if "/cleaner/" in f.filename or f.filename.endswith("helpers.py")]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__}@{where}"


def TestOneInput(data: bytes) -> None:
    try:
        check_one(data)
    except Exception as exc:  # noqa: BLE001 - everything that escapes is a finding
        if not KEEP_GOING:
            raise
        sig = _signature(exc)
        if sig in _seen:
            return
        _seen.add(sig)
        CRASH_DIR.mkdir(parents=True, exist_ok=True)
        name = f"crash-{hashlib.sha1(data).hexdigest()[:16]}"
        (CRASH_DIR / name).write_bytes(data)
        (CRASH_DIR / (name + ".txt")).write_text(
            f"{sig}\n\n{''.join(traceback.format_exception(exc))}", encoding="utf-8")
        print(f"\n=== NEW CRASH {sig} -> {CRASH_DIR / name}", file=sys.stderr, flush=True)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
