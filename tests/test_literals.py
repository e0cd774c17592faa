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


# -- the stage probe: which rules a line can match ---------------------------------------------

def _stage_rule_lists():
    from cleaner.rules import STAGES
    rules = load_rules()
    sites = ["unknown"] + [s.key for s in rules.sites]
    seen = set()
    for stage in STAGES:
        for site in sites:
            data = rules.for_stage(stage, site)
            for kinds in (("line",), ("inline", "table")):
                chosen = [r for r in data if r.kind in kinds]
                key = tuple(map(id, chosen))
                if chosen and key not in seen:   # most sites add nothing outside the chrome stage
                    seen.add(key)
                    yield chosen, kinds


def _lines_to_probe() -> list[str]:
    from cleaner.text import fold
    from tests.helpers import FIXTURES
    out = set()
    for path in sorted(FIXTURES.rglob("*.txt"))[:60]:
        out.update(fold(path.read_text(encoding="utf-8", errors="replace")).split("\n"))
    for rule in load_rules().rules:
        for example in rule.match + rule.keep:
            out.update(fold(example).split("\n"))
    return sorted(out)


def test_probe_candidates_hold_every_rule_whose_literals_occur():
    """engine._Probe (one non-overlapping scan of the whole text, over a trie of the literals)
    never leaves out a rule one of whose literals occurs in the line (or in the line stripped),
    keeps the catalog order, and misses no line."""
    from cleaner.engine import _gate, _line_literals, _probe, split_lines
    lines = _lines_to_probe()
    text = "\n".join(lines)
    every = load_rules().rules
    present: dict[tuple, set] = {}     # (gate, view) -> ids of the rules one of whose literals is in it

    def needed(gate, r, view: str) -> bool:
        key = (gate, view)
        if key not in present:
            present[key] = {id(q) for q in every if gate(q) is None or any(lit in view for lit in gate(q))}
        return id(r) in present[key]

    for rules, kinds in _stage_rule_lists():
        gate = _line_literals if kinds == ("line",) else _gate
        probe = _probe(rules, gate)
        hit = probe.lines_hit(text, split_lines(text))
        for i, line in enumerate(lines):
            got = probe.candidates(hit[i]) if i in hit else probe.free
            for view in (line, line.strip()):
                expected = [r for r in rules if needed(gate, r, view)]
                assert set(map(id, expected)) <= set(map(id, got)), (view, kinds)
                order = [rules.index(r) for r in got]
                assert order == sorted(order), (view, kinds)


def test_trie_pattern_finds_what_the_longest_first_alternation_finds():
    import random
    import re

    from cleaner.engine import _trie_pattern
    rng = random.Random(7)
    for _ in range(300):
        words = sorted({"".join(rng.choice("ab.讲话") for _ in range(rng.randint(1, 4)))
                        for _ in range(rng.randint(1, 12))}, key=len, reverse=True)
        flat = re.compile("|".join(map(re.escape, words)))
        trie = re.compile(_trie_pattern(words))
        for _ in range(20):
            text = "".join(rng.choice("ab.讲话x") for _ in range(30))
            assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)], (words, text)
    assert _trie_pattern(["ab", "ac", "a"]) == "a(?:b|c)?"
