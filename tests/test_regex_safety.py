"""No regex of the cleaner backtracks out of linear time on adversarial input.

Every compiled regex of every rule in the catalog (pattern, start, end, anchor, next, prev, the
``options.fields`` patterns, table patterns, site signatures) and the module-level regexes of
``cleaner/segment.py``, ``cleaner/text.py``, ``cleaner/decode.py``, ``cleaner/engine.py`` and
``cleaner/fixers/*.py`` is run over inputs built from its own characters: long runs of each
character it names, its characters cycled, its examples pumped (repeated on one line, and nearly
matching: cut short, repeated), runs of Han characters, spaces, punctuation, digits, and
alternations of them.

Each regex is run the way the cleaner runs it (``search``, ``match`` or ``finditer`` to the end)
on inputs as long as the cleaner can hand it: a line rule's pattern sees lines of at most
``max_len`` characters, a site signature the 8,001-character probe, a few module regexes are only
tried on short lines (``BOUNDED``, with the call site that bounds them); everything else (inline
patterns, block ends, neighbour patterns, most module regexes) sees whole lines of any length.

Pass/fail is not an absolute micro-timing (flaky on a loaded CI machine) but growth: the input is
doubled from 1,250 characters up to 40,000 (stopping early once a pass takes 50 ms, so a
pathological regex cannot eat the CI budget); doubling must not more than ~3x the time (a linear
regex doubles, a quadratic one quadruples) twice in a row, re-measured best of five. Bounded
regexes must finish one pass over an input of their bound in 50 ms.

Known super-linear regexes are pinned with ``xfail(strict=True)`` in ``KNOWN_SUPERLINEAR``.
``python -m tests.test_regex_safety`` prints a report: every pattern super-linear on long input,
whether the cleaner exposes it or not.
"""
from __future__ import annotations

import gc
import importlib
import pkgutil
import re
import time
from functools import lru_cache
from pathlib import Path

import pytest
import regex

import cleaner.fixers
from cleaner.engine import _field_pattern, _table_pattern
from cleaner.pipeline import HEAD_BYTES
from cleaner.rules import load_rules

START = 1_250              # characters of the first, smallest input
MAX_N = 40_000             # ... doubled up to this (20,000 repetitions of a two-character unit)
STOP_AT = 0.05             # s: no more doubling once one pass takes this long
NOISE_FLOOR = 0.004        # s: a pass faster than this says nothing about growth
GROWTH_LIMIT = 3.0         # t(2n) / t(n) above this (twice in a row) is super-linear
BOUNDED_CAP = 0.05         # s for one pass of a bounded regex over an input of its bound
PER_CHAR_CAP = 10e-6       # s per character: 1 s per 100,000 characters, whatever the growth
MAX_MATCHES = 200_000
PATTERN_FIELDS = ("pattern", "start", "end", "anchor", "next", "prev")
SOURCE_MODULES = ("cleaner.segment", "cleaner.text", "cleaner.decode", "cleaner.engine")
CLEANER_SRC = Path(cleaner.fixers.__file__).resolve().parent.parent

# module regexes the cleaner only ever runs on short strings: name -> (bound, where)
BOUNDED = {
    "cleaner.segment.NOT_A_TITLE": (60, "segment.py: searched only when len(s2) <= 60"),
    "cleaner.fixers.chrome.LISTY": (40, "fixers/chrome.py related_tail: lines of the run are <= 40 chars"),
    "cleaner.fixers.chrome.NOT_LISTY": (40, "fixers/chrome.py related_tail: after the len(s) > 40 check"),
}

# known super-linear regexes on input the cleaner can hand them: name -> reason (strict xfail).
# None today; fixed: BUG-4 (pages.marker.inline-dash, a leading \s* retried along a run of spaces)
# and BUG-5 (cleaner.segment.PAIR_TITLE, the second half retried after every 讲话和).
KNOWN_SUPERLINEAR: dict[str, str] = {}


# -- what to test -----------------------------------------------------------------------------

def _is_pattern(obj) -> bool:
    return isinstance(obj, (re.Pattern, regex.Pattern))


@lru_cache(maxsize=1)
def _cleaner_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CLEANER_SRC.rglob("*.py")))


def _module_op(attr: str) -> str:
    """How the cleaner calls a module regex: "match" when it is only ever anchored with
    match/fullmatch, else "finditer" (search, sub, findall, split and finditer scan the string)."""
    src = _cleaner_source()
    calls = set(re.findall(rf"\b{re.escape(attr)}(?:\[\d+\])?\.(\w+)\(", src))
    if attr == "ENTRY_MARKERS":
        calls |= {"match"}
    return "match" if calls and calls <= {"match", "fullmatch"} else "finditer"


def module_patterns() -> list[tuple]:
    mods = list(SOURCE_MODULES) + [f"cleaner.fixers.{m.name}" for m in pkgutil.iter_modules(cleaner.fixers.__path__)]
    out = []
    for name in mods:
        mod = importlib.import_module(name)
        for attr, obj in sorted(vars(mod).items()):
            if getattr(obj, "__module__", name) != name and not _is_pattern(obj):
                continue
            full = f"{name}.{attr}"
            bound = BOUNDED.get(full, (None, ""))[0]
            if _is_pattern(obj):
                out.append((full, obj, (), _module_op(attr), bound))
            elif isinstance(obj, (list, tuple)) and obj and all(_is_pattern(o) for o in obj):
                out.extend((f"{full}[{i}]", o, (), _module_op(attr), bound) for i, o in enumerate(obj))
    # the same compiled object imported into several modules is tested once
    seen, unique = set(), []
    for row in out:
        if id(row[1]) not in seen:
            seen.add(id(row[1]))
            unique.append(row)
    return unique


def catalog_patterns() -> list[tuple]:
    """(name, pattern, examples, operation, bound) for every regex of the rule catalog."""
    rs = load_rules()
    out = []
    for r in rs.rules:
        examples = tuple(r.match) + tuple(r.keep) + tuple(a for a, _ in r.fix)
        line_bound = r.max_len if r.kind in ("line",) else None
        fields = {"pattern": ("finditer" if r.kind == "inline" else "search", line_bound if r.kind == "line" else None),
                  "start": ("search", r.max_len), "anchor": ("search", r.max_len),
                  "end": ("search", None), "next": ("search", None), "prev": ("search", None)}
        for f in PATTERN_FIELDS:
            p = getattr(r, f, None)
            if p is not None and _is_pattern(p):
                op, bound = fields[f]
                out.append((f"{r.id}:{f}", p, examples, op, bound))
        for key, pat in sorted((r.options.get("fields") or {}).items()):
            out.append((f"{r.id}:fields.{key}", _field_pattern(pat), examples, "search", line_bound))
        if r.kind == "table" and r.table:
            out.append((f"{r.id}:table", _table_pattern(r), examples, "finditer", None))
    for site in rs.sites:
        for i, sig in enumerate(site.signatures):
            out.append((f"site.{site.key}:signature[{i}]", sig, (), "search", 2 * HEAD_BYTES + 1))
    return out


ALL = catalog_patterns() + module_patterns()


# -- adversarial inputs -----------------------------------------------------------------------

_SYNTAX = regex.compile(r"\\[pP]\{[^}]*\}|\\[xu][0-9a-fA-F]{2,4}|\\[A-Za-z]|\(\?P?<\w+>|\(\?P=\w+\)|\(\?[:=!<>|]+|"
                        r"\{\d*,?\d*\}")
_META = set("\\()[]{}?*+|^$.-")
_CLASS_SAMPLES = {r"\d": "1", r"\s": " ", r"\S": "中", r"\w": "a", r"\p{Han}": "中", ".": "x"}
BASE_RUNS = {"han": "中", "han2": "国家", "space": " ", "ideo_space": "\u3000", "tab": "\t", "period": "。",
             "comma": ",", "fw_comma": "\uff0c", "digits": "1", "ascii": "a", "dash": "—", "dots": "…",
             "han_space": "中 ", "digit_space": "1 ", "han_comma": "中,", "han_period": "中文。",
             "paren": "(", "han_digit": "中1", "newline_han": "中\n", "lines": "同志们:\n",
             "dash_spaces": "—" + " " * 50}


@lru_cache(maxsize=None)
def pattern_chars(source: str) -> str:
    """The characters a pattern names (literals and samples of its classes), in first-seen order."""
    chars = [sample for token, sample in _CLASS_SAMPLES.items() if token in source]
    chars += [c for c in _SYNTAX.sub("", source) if c not in _META and c.isprintable()]
    return "".join(dict.fromkeys(chars))


def families(source: str, examples: tuple[str, ...]) -> dict[str, str]:
    """name -> a unit string; the input of size n is the unit repeated to n characters."""
    fam = dict(BASE_RUNS)
    chars = pattern_chars(source)
    if chars:
        fam["own_cycle"] = chars
        fam["own_cycle_space"] = " ".join(chars) + " "
        # long runs of its own characters (the most frequent in the pattern first)
        for c in sorted(set(chars), key=lambda c: (-source.count(c), chars.index(c)))[:8]:
            fam[f"own_run_{c!r}"] = c
            fam[f"own_alt_{c!r}"] = c + "中"
    for i, ex in enumerate(examples[:3]):
        one_line = ex.replace("\n", " ")
        if one_line:
            fam[f"ex{i}_pump"] = one_line
            fam[f"ex{i}_lines"] = ex + "\n"
            if len(one_line) > 1:
                fam[f"ex{i}_near"] = one_line[:-1]          # nearly matching, repeated
                fam[f"ex{i}_prefix"] = one_line[: max(1, len(one_line) // 2)]
    # one unit per distinct string
    out, seen = {}, set()
    for k, v in fam.items():
        if v not in seen:
            seen.add(v)
            out[k] = v
    return out


@lru_cache(maxsize=4096)
def build(unit: str, n: int, as_bytes: bool):
    s = (unit * (n // len(unit) + 1))[:n]
    return s.encode("utf-8") if as_bytes else s


# -- timing ----------------------------------------------------------------------------------

def run_once(pattern, op: str, s) -> float:
    gc.disable()     # a collection in the middle of a pass is noise, not the regex
    try:
        t = time.perf_counter()
        if op == "match":
            pattern.match(s)
        elif op == "search":
            pattern.search(s)
        else:
            k = 0
            for _ in pattern.finditer(s):
                k += 1
                if k >= MAX_MATCHES:
                    break
        return time.perf_counter() - t
    finally:
        gc.enable()


def best_of(pattern, op, s, times: int) -> float:
    return min(run_once(pattern, op, s) for _ in range(times))


def doubling(pattern, op: str, unit: str, repeat: int = 1, max_n: int = MAX_N) -> list[tuple[int, float]]:
    """[(n, seconds)] for n = START, 2*START, ... up to max_n, stopping once a pass takes STOP_AT;
    when that happens before three sizes were measured, smaller sizes are measured instead."""
    as_bytes = isinstance(pattern.pattern, bytes)
    out, n = [], START
    while n <= max_n:
        t = best_of(pattern, op, build(unit, n, as_bytes), repeat)
        out.append((n, t))
        if t >= STOP_AT:
            break
        n *= 2
    n = START // 2
    while len(out) < 3 and n >= 40:
        out.insert(0, (n, best_of(pattern, op, build(unit, n, as_bytes), repeat)))
        n //= 2
    return out


def superlinear(times: list[tuple[int, float]]) -> bool:
    """Two successive doublings each more than GROWTH_LIMIT x the time, above the noise floor;
    or one pass above the noise floor costing more than PER_CHAR_CAP per character."""
    if any(t >= 5 * NOISE_FLOOR and t > n * PER_CHAR_CAP for n, t in times):
        return True
    return any(tb >= NOISE_FLOOR and tb > GROWTH_LIMIT * ta and tc > GROWTH_LIMIT * tb
               for (_, ta), (_, tb), (_, tc) in zip(times, times[1:], times[2:]))


def verdict(pattern, op: str, bound: int | None, unit: str) -> str | None:
    """None when the regex is safe on this input; else what is wrong (re-measured)."""
    as_bytes = isinstance(pattern.pattern, bytes)
    if bound is not None and bound <= MAX_N:
        s = build(unit, bound, as_bytes)
        if run_once(pattern, op, s) < BOUNDED_CAP:
            return None
        t = best_of(pattern, op, s, 3)
        return None if t < BOUNDED_CAP else f"{t * 1000:.0f} ms for one {op} over {bound} chars (its bound)"
    times = doubling(pattern, op, unit)
    if not superlinear(times):
        return None
    times = doubling(pattern, op, unit, repeat=5)      # confirm, best of five
    if not superlinear(times):
        return None
    return ", ".join(f"{n}: {t * 1000:.1f} ms" for n, t in times)


def _source(pattern) -> str:
    return pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")


# -- the tests --------------------------------------------------------------------------------

def test_patterns_found():
    names = [row[0] for row in ALL]
    assert len(names) == len(set(names))
    assert sum(1 for n in names if ":" in n) >= 80, "the rule catalog's patterns were not collected"
    for mod in ("cleaner.segment.", "cleaner.fixers.", "cleaner.text."):
        assert any(n.startswith(mod) for n in names), mod
    assert set(BOUNDED) <= set(names) and set(KNOWN_SUPERLINEAR) <= set(names)


def _params():
    out = []
    for row in ALL:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_SUPERLINEAR[row[0]])] if row[0] in KNOWN_SUPERLINEAR else []
        out.append(pytest.param(*row, id=row[0], marks=marks))
    return out


@pytest.mark.parametrize("name,pattern,examples,op,bound", _params())
def test_regex_is_linear(name, pattern, examples, op, bound):
    bad = {}
    for fam, unit in families(_source(pattern), examples).items():
        v = verdict(pattern, op, bound, unit)
        if v:
            bad[fam] = v
            break            # one adversarial input is enough (and keeps a known-slow regex cheap)
    assert not bad, (f"{name} ({op}, input bound {bound}) is super-linear: {_source(pattern)!r}\n"
                     + "\n".join(f"  {k}: {v}" for k, v in bad.items()))


def test_a_quadratic_regex_is_caught():
    """The detector itself: a textbook quadratic search is flagged, a linear one is not."""
    quad, lin = regex.compile(r"\s*[xy]"), regex.compile(r"\s+[xy]?")
    assert verdict(quad, "finditer", None, " ") is not None
    assert verdict(lin, "finditer", None, " ") is None
    # the regex module fails at once when a required literal is missing: not quadratic
    assert verdict(regex.compile(r"\s*x"), "finditer", None, " ") is None


def main() -> None:  # pragma: no cover - a report, not a test
    """Every regex super-linear on long input of its own characters, exposed or not."""
    t0 = time.perf_counter()
    found = []
    for name, pattern, examples, op, bound in ALL:
        for fam, unit in families(_source(pattern), examples).items():
            for how in (op, "finditer") if op != "finditer" else (op,):
                times = doubling(pattern, how, unit)
                if superlinear(times) and superlinear(doubling(pattern, how, unit, repeat=3)):
                    found.append((name, how, bound, fam, times))
                    break
    print(f"{len(ALL)} regexes checked in {time.perf_counter() - t0:.0f}s; super-linear on long input:")
    for name, how, bound, fam, times in found:
        exposure = f"bound {bound}" if bound else "UNBOUNDED"
        print(f"  {name:50} {how:8} {exposure:10} [{fam}] " + ", ".join(f"{n}:{t * 1000:.0f}ms" for n, t in times))


if __name__ == "__main__":  # pragma: no cover
    main()
