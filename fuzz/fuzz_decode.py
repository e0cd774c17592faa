"""Coverage-guided fuzzing (atheris / libFuzzer) of the byte-level decoder and ``clean_bytes``.

Not part of the test suite (atheris is optional): see docs/fuzzing.md. Run directly:

    .venv/bin/python fuzz/fuzz_decode.py /tmp/fuzz-corpus fuzz/corpus -max_len=4096 -timeout=30

or the long campaign through ``fuzz/run_long.py``.

For every input:

* ``decode(data)`` either raises ``DecodeError`` (the documented rejection, a one-line message)
  or returns ``d`` with ``data.decode(d.encoding, d.errors) == d.text``;
* ``clean_bytes(data)`` either raises ``DecodeError`` or returns a result that keeps the
  provenance contract (``tests.helpers.check_contract``);
* anything else (another exception, a broken contract) is a crash.

The first byte of the input picks a mode so that the fuzzer reaches deep into the cleaner and
not only into the decoder's rejection paths: 0 = the bytes as they are; 1-5 = the rest of the
input read as UTF-8 text (errors replaced) and re-encoded as GB18030 / Big5 / UTF-16-LE (no BOM)
/ UTF-16 with BOM / UTF-8 with BOM; 6 = that text cleaned with ``clean_text`` directly.

``FUZZ_KEEP_GOING=1`` records each new crash signature (exception type + innermost cleaner
frame) under ``fuzz/crashes/`` and carries on instead of stopping at the first crash: what the
long campaign uses so that one known bug does not end it.
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

with atheris.instrument_imports(include=["cleaner"]):
    import cleaner
    from cleaner.decode import DecodeError, decode

from tests.helpers import check_contract  # noqa: E402  (not instrumented: it is the oracle)

KEEP_GOING = os.environ.get("FUZZ_KEEP_GOING") == "1"
CRASH_DIR = Path(os.environ.get("FUZZ_CRASH_DIR", ROOT / "fuzz" / "crashes"))
_seen: set[str] = set()

REENCODE = {1: "gb18030", 2: "big5", 3: "utf-16-le", 4: "utf-16", 5: "utf-8-sig"}


def prepare(data: bytes) -> tuple[str, bytes | str]:
    """(mode, payload): what one fuzz input stands for (see the module docstring)."""
    if not data:
        return "bytes", b""
    mode, rest = data[0] % 8, data[1:]
    if mode in REENCODE:
        text = rest.decode("utf-8", errors="replace")
        return REENCODE[mode], text.encode(REENCODE[mode], errors="replace")
    if mode == 6:
        return "text", rest.decode("utf-8", errors="replace")
    return "bytes", rest if mode == 7 else data


def check_one(data: bytes) -> None:
    """The oracle: raises on anything that is not a documented outcome."""
    mode, payload = prepare(data)
    if mode == "text":
        check_contract(cleaner.clean_text(payload))
        return
    try:
        d = decode(payload)
    except DecodeError as exc:
        msg = str(exc)
        assert msg and "\n" not in msg, f"DecodeError message is not one line: {msg!r}"
        d = None
    if d is not None:
        assert payload.decode(d.encoding, d.errors) == d.text, f"decode() not exact for {d.encoding}/{d.errors}"
    try:
        result = cleaner.clean_bytes(payload, source="fuzz")
    except DecodeError:
        assert d is None, "clean_bytes rejected what decode() accepted"
        return
    assert d is not None, "clean_bytes accepted what decode() rejected"
    assert result.encoding == d.encoding
    check_contract(result)


def _signature(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/cleaner/" in f.filename]
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
