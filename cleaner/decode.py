"""Decode raw bytes into text (placeholder: UTF-8 only until the decoding work lands)."""
from __future__ import annotations

from dataclasses import dataclass, field


class DecodeError(ValueError):
    """The input is not text in any supported encoding."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes) -> Decoded:
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data.decode("utf-8-sig"), "utf-8-sig")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not UTF-8: {exc}") from exc
