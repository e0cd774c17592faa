"""What a fuzz input means and what the cleaner must answer: shared by the atheris harness
(``fuzz_decode.py``), the minimizer and the regression tests (``tests/test_fuzz.py``, which
replays every saved crash); imports no atheris.

The first byte of an input picks a mode so that the fuzzer reaches deep into the cleaner and
not only into the decoder's rejection paths: ``% 8 == 0`` = the whole input as raw bytes;
7 = the rest as raw bytes; 1-5 = the rest read as UTF-8 text (errors replaced) and re-encoded as
GB18030 / Big5 / UTF-16-LE (no BOM) / UTF-16 with BOM / UTF-8 with BOM; 6 = that text cleaned
with ``clean_text`` directly.

For every input:

* ``decode(data)`` either raises ``DecodeError`` (the documented rejection, a one-line message)
  or returns ``d`` with ``data.decode(d.encoding, d.errors) == d.text`` (and a warning when lossy);
* ``clean_bytes(data)`` agrees with ``decode`` and its result keeps the provenance contract
  (``tests.helpers.check_contract``);
* anything else (another exception, a broken contract) is a crash.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import cleaner  # noqa: E402
from cleaner.decode import DecodeError, decode  # noqa: E402
from tests.helpers import check_contract  # noqa: E402

REENCODE = {1: "gb18030", 2: "big5", 3: "utf-16-le", 4: "utf-16", 5: "utf-8-sig"}


def prepare(data: bytes) -> tuple[str, bytes | str]:
    """(mode, payload): what one fuzz input stands for."""
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
        assert d.errors == "strict" or d.warnings, "lossy decoding without a warning"
    try:
        result = cleaner.clean_bytes(payload, source="fuzz")
    except DecodeError:
        assert d is None, "clean_bytes rejected what decode() accepted"
        return
    assert d is not None, "clean_bytes accepted what decode() rejected"
    assert result.encoding == d.encoding
    check_contract(result)
