"""Splitting and repeated speeches, end to end on the seed compilations."""
import json
import random

from hypothesis import given, settings, strategies as st

from cleaner import Options, clean_bytes, clean_text
from cleaner.pipeline import run_rule_alone
from cleaner.rules import load_rules
from cleaner.text import ITEM_START, ends_sentence

from .helpers import FIXTURES, raw_fixtures

SEED_003 = FIXTURES / "seeds" / "003_5c63eede7426c25a.txt"
RULES = load_rules()


def test_repeated_speeches_are_dropped_by_default_with_an_edit_naming_the_original():
    result = clean_bytes(SEED_003.read_bytes())
    assert len(result.speeches) == 15
    dropped = [e for e in result.edits if e.rule == "segment.dedupe"]
    assert {e.note for e in dropped} == {"duplicate_of=13", "duplicate_of=2"}


def test_keep_duplicates_keeps_them_marked():
    result = clean_bytes(SEED_003.read_bytes(), options=Options(keep_duplicates=True))
    gold = json.loads((FIXTURES / "gold" / "003_5c63eede7426c25a.gold.json").read_text(encoding="utf-8"))
    assert len(result.speeches) == len(gold["speeches"]) == 17
    marks = {sp.index: sp.duplicate_of for sp in result.speeches if sp.duplicate_of is not None}
    assert marks == {i: g["duplicate_of"] for i, g in enumerate(gold["speeches"]) if g["duplicate_of"] is not None}


def test_every_edit_names_a_rule_of_the_catalog():
    known = {r.id for r in RULES.rules}
    for path in raw_fixtures():
        try:
            result = clean_bytes(path.read_bytes(), source=path.name)
        except ValueError:
            continue
        unknown = {e.rule for e in result.edits} - known
        assert not unknown, f"{path.name}: edits by rules missing from the catalog: {unknown}"


def _gold_paragraphs():
    paras = []
    for path in sorted((FIXTURES / "gold").glob("*.gold.json")):
        for sp in json.loads(path.read_text(encoding="utf-8"))["speeches"]:
            paras.extend(sp["text"].split("\n"))
    return paras


# A paragraph that stops mid-sentence (001's "…有没有", cut short by the site) is exactly what a
# page break looks like, and the join rule is right to join it; it is not "clean text" here.
PARAS = [p for p in _gold_paragraphs() if ends_sentence(p) or len(p) < 25 or (ITEM_START.match(p) and len(p) <= 60)]
REPAIRS = [r for r in RULES.rules if r.stage not in ("segment", "dedupe", "chrome") and r.kind != "part"]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 12))
def test_repairs_leave_clean_text_alone(seed, n):
    """Clean simplified text in, identical text out: random runs of gold paragraphs (which may
    end up next to paragraphs of another speech) pass every repair rule unchanged."""
    rnd = random.Random(seed)
    start = rnd.randrange(len(PARAS))
    text = "\n".join(PARAS[start:start + n]) if rnd.random() < 0.5 else "\n".join(rnd.sample(PARAS, n))
    for rule in REPAIRS:
        out, props = run_rule_alone(rule, text, rules=RULES)
        assert out == text, f"{rule.id} changed clean text: {props[:2]}"


def test_clean_speech_is_one_speech_unchanged():
    for path in sorted((FIXTURES / "gold").glob("*.gold.json")):
        for sp in json.loads(path.read_text(encoding="utf-8"))["speeches"]:
            result = clean_text(sp["text"])
            assert [s.text for s in result.speeches] == [sp["text"]], path.name
            assert result.edits == [], (path.name, result.edits[:3])
