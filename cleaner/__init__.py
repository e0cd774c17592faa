"""cleaner: turn pages scraped from Chinese template-essay sites into clean speeches with provenance."""
from __future__ import annotations

import hashlib

from .context import Options
from .pipeline import CleanResult, Speech, run
from .provenance import Edit, apply_edits, revert_edits

__version__ = "0.1.0"
__all__ = ["clean_text", "clean_bytes", "CleanResult", "Speech", "Edit", "Options",
           "apply_edits", "revert_edits", "__version__"]


def clean_text(text: str, source: str = "<text>", *, options: Options | None = None,
               rules=None) -> CleanResult:
    """Clean one decoded page. Pure: no I/O beyond loading the rule catalog once."""
    return run(text, source=source, rules=rules, options=options)


def clean_bytes(data: bytes, source: str = "<bytes>", *, options: Options | None = None,
                rules=None) -> CleanResult:
    """Decode raw bytes (any of the supported encodings), then clean them."""
    from .decode import decode

    decoded = decode(data)
    result = run(decoded.text, source=source, rules=rules, options=options)
    result.encoding = decoded.encoding
    result.decode_errors = getattr(decoded, "errors", "strict")
    result.source_sha256 = hashlib.sha256(data).hexdigest()
    result.warnings[:0] = decoded.warnings
    return result
