"""Shared test helpers: fixture discovery and the provenance contract check."""
from __future__ import annotations

import json
from pathlib import Path

from cleaner import apply_edits, revert_edits

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def raw_fixtures() -> list[Path]:
    """Every raw page under fixtures/ (seeds, variants, sites, encodings)."""
    out = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".html", ".htm") and not path.name.endswith(
                (".expected.txt",)) and path.parent.name != "gold" and "README" not in path.name:
            out.append(path)
    return out


def gold_for(raw: Path) -> dict | None:
    for cand in (raw.with_name(raw.stem + ".gold.json"), FIXTURES / "gold" / (raw.stem + ".gold.json")):
        if cand.exists():
            return json.loads(cand.read_text(encoding="utf-8"))
    return None


def check_contract(result) -> None:
    """The provenance contract of one cleaned page."""
    source, cleaned, edits = result.source_text, result.text, result.edits
    spans = [(e.start, e.end) for e in edits]
    assert spans == sorted(spans), "edits are not sorted"
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "edits overlap"
    assert all(not (e.start == e.end and e.new == "") for e in edits), "empty edit"
    assert apply_edits(source, edits) == cleaned, "source + edits != D"
    assert revert_edits(cleaned, edits) == source, "D - edits != source"
    pos = 0
    for sp in result.speeches:
        a, b = sp.clean_span
        assert a >= pos and b >= a
        assert cleaned[pos:a].strip() == "", f"non-whitespace outside speeches: {cleaned[pos:a][:80]!r}"
        assert cleaned[a:b] == sp.text
        assert sp.text == sp.text.strip() and "\n\n" not in sp.text
        sa, sb = sp.span
        assert 0 <= sa <= sb <= len(source)
        pos = b
    assert cleaned[pos:].strip() == "", f"non-whitespace after the last speech: {cleaned[pos:][:80]!r}"
