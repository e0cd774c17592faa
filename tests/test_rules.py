"""Every rule in the catalog runs its own examples: `match` must change, `keep` must not,
`fix` must give exactly the expected text (sqlfluff's pass_str/fail_str/fix_str, as data)."""
import pytest

from cleaner.pipeline import run_rule_alone
from cleaner.rules import load_rules

RULES = load_rules()


def _cases(field):
    for rule in RULES.rules:
        for i, example in enumerate(getattr(rule, field)):
            yield pytest.param(rule, example, id=f"{rule.id}[{field}{i}]")


def _own(rule, props):
    return [p for p in props if p.rule == rule.id]


# a part, or a page-level rule, runs after what it depends on: judge it by its own edits
BY_EDITS = {"part"}


@pytest.mark.parametrize("rule,text", list(_cases("match")))
def test_match_examples_are_changed(rule, text):
    out, props = run_rule_alone(rule, text, rules=RULES)
    if rule.kind in BY_EDITS or rule.stage == "dedupe":
        assert _own(rule, props), f"{rule.id} ({rule.path}) did not fire on its match example"
    else:
        assert out != text, f"{rule.id} ({rule.path}) did not fire on its match example"


@pytest.mark.parametrize("rule,text", list(_cases("keep")))
def test_keep_examples_are_untouched(rule, text):
    out, props = run_rule_alone(rule, text, rules=RULES)
    if rule.kind in BY_EDITS or rule.stage == "dedupe":
        assert not _own(rule, props), f"{rule.id} ({rule.path}) fired on its keep example: {_own(rule, props)}"
    else:
        assert out == text, f"{rule.id} ({rule.path}) changed its keep example: {props}"


@pytest.mark.parametrize("rule,pair", list(_cases("fix")))
def test_fix_examples_give_expected_text(rule, pair):
    text, expected = pair
    out, _ = run_rule_alone(rule, text, rules=RULES)
    assert out == expected


def test_every_rule_has_examples_and_docs():
    for rule in RULES.rules:
        assert rule.description and len(rule.description) > 10, rule.id
        assert rule.match or rule.fix, rule.id


def test_rule_ids_are_stable_dotted_names():
    import re
    for rule in RULES.rules:
        assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9-]+)+", rule.id), rule.id
