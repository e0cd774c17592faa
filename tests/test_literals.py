"""The literal prefilter never hides a match: for every rule, every match example is still
matched, and the derived literals are really required (checked on the examples)."""
import pytest

from cleaner.literals import required_literals
from cleaner.rules import load_rules


@pytest.mark.parametrize("pattern,expected", [
    (r"时间[::]\d+", {"时间:"}),
    (r"^(?:下载文档|点击下载)$", {"下载文档", "点击下载"}),
    (r"\p{Han}+讲话", {"讲话"}),
    (r"[\p{Han}a]x", {"x"}),
    (r"(?i)copyright", None),
    (r"\d+", None),
    (r"(?<=\p{Han})[((]", {"(", "("}),
])
def test_required_literals(pattern, expected):
    got = required_literals(pattern)
    assert (set(got) if got is not None else None) == expected


def test_every_rule_example_passes_its_prefilter():
    from cleaner.text import fold
    for rule in load_rules().rules:
        if rule.literals is None:
            continue
        for example in rule.match + tuple(f for f, _ in rule.fix):
            for line in fold(example).split("\n"):
                if rule.pattern.search(line.strip()):
                    assert any(lit in line for lit in rule.literals), (rule.id, line, rule.literals)
