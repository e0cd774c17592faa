"""Output records: one per speech, one audit record per input, one reject per failed input."""
from __future__ import annotations

from pathlib import PurePath

from .pipeline import CleanResult


def source_stem(source: str) -> str:
    name = PurePath(source).name or source
    for suffix in (".gz", ".zst"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name else name


def speech_records(result: CleanResult, rules_version: str, meta: dict | None = None,
                   keep_id: bool = False) -> list[dict]:
    out = []
    # a file is named by its stem; a JSONL record by its id as given (ids are not file names)
    stem = result.source if keep_id else source_stem(result.source)
    for sp in result.speeches:
        rec = {
            "id": f"{stem}#{sp.index}",
            "source": result.source,
            "source_sha256": result.source_sha256,
            "encoding": result.encoding,
            "site": result.site,
            "document": result.document,
            "index": sp.index,
            "count": len(result.speeches),
            "title": sp.title,
            "speaker": sp.speaker,
            "date": sp.date,
            "text": sp.text,
            "span": list(sp.span),
            "warnings": result.warnings,
            "rules_version": rules_version,
        }
        if sp.duplicate_of is not None:
            rec["duplicate_of"] = sp.duplicate_of
        if result.conversion:
            rec["conversion"] = result.conversion
        if result.decode_errors != "strict":
            rec["decode_errors"] = result.decode_errors
        if meta:
            rec["meta"] = meta
        out.append(rec)
    return out


def audit_record(result: CleanResult, rules_version: str) -> dict:
    spans = [list(sp.clean_span) for sp in result.speeches]
    gaps, pos = [], 0
    for a, b in spans:
        gaps.append(result.text[pos:a])
        pos = b
    gaps.append(result.text[pos:])
    return {
        "source": result.source,
        "source_sha256": result.source_sha256,
        "encoding": result.encoding,
        "rules_version": rules_version,
        "edits": [e.to_json() for e in result.edits],
        "speeches": spans,
        "gaps": gaps,
        "warnings": result.warnings,
        "conversion": result.conversion,
        "decode_errors": result.decode_errors,
    }


def rebuild_cleaned(speech_texts: list[str], audit: dict) -> str:
    """D from the speech texts and the audit's gaps (whitespace between the speeches)."""
    parts = []
    for gap, text in zip(audit["gaps"], speech_texts):
        parts.append(gap)
        parts.append(text)
    parts.append(audit["gaps"][-1])
    return "".join(parts)
