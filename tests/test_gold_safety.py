"""No rule, run alone, may change clean body text: every gold speech passes every rule untouched.

A failure names the rule and the sentence it would have damaged.
"""
import json
from pathlib import Path

import pytest

from cleaner.pipeline import run_rule_alone
from cleaner.rules import load_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RULES = load_rules()
# segmentation and de-duplication act on whole pages, not on text; tested end to end instead
PAGE_LEVEL = {"segment", "dedupe"}


def _gold_texts():
    for path in sorted((FIXTURES / "gold").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for i, sp in enumerate(gold["speeches"]):
            yield f"{path.stem}#{i}", sp["text"], gold.get("site", "unknown")


GOLD = list(_gold_texts())


@pytest.mark.parametrize("rule", [r for r in RULES.rules if r.stage not in PAGE_LEVEL], ids=lambda r: r.id)
def test_rule_leaves_gold_bodies_untouched(rule):
    for name, text, site in GOLD:
        out, props = run_rule_alone(rule, text, rules=RULES, site=site if rule.scope == site else None)
        if out != text:
            p = props[0]
            line_start = text.rfind("\n", 0, p.start) + 1
            line_end = text.find("\n", p.end)
            sentence = text[line_start:line_end if line_end >= 0 else None]
            pytest.fail(f"{rule.id} changes {name} at {p.start}: {text[p.start:p.end]!r} -> {p.new!r}\n"
                        f"in: {sentence[:200]}")
