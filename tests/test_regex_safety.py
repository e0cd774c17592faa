"""No regex of the cleaner backtracks out of linear time on adversarial input.

Every compiled regex of every rule in the catalog (pattern, start, end, anchor, next, prev, the
``options.fields`` patterns, table patterns, site signatures) and the module-level regexes of
``cleaner/segment.py``, ``cleaner/text.py``, ``cleaner/decode.py`` and ``cleaner/fixers/*.py`` is run
(``finditer`` to the end: the most work any caller can ask of it) over inputs built from its own
characters: long runs of each character it names, its characters cycled, its examples pumped
(repeated on one line, and nearly matching: the example cut by one character), runs of Han
characters, spaces, punctuation, digits, and alternations of them.

Pass/fail is not an absolute micro-timing (flaky on a loaded CI machine) but growth: doubling
the input must not more than ~3x the time (a linear regex doubles; a quadratic one quadruples).
Only timings above a noise floor are compared, a suspect is re-measured over three sizes before it
fails, and there is a generous absolute cap (one search over ~40,000 characters under 2 s).

``python -m tests.test_regex_safety`` prints the slowest pattern/input pairs (a report).
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import time
from functools import lru_cache

import pytest
import regex

import cleaner.fixers
from cleaner.engine import _field_pattern, _table_pattern
from cleaner.rules import load_rules

N = 20_000                 # characters of the base input (the brief: 20,000 repetitions)
NOISE_FLOOR = 0.015        # s: below this at 2N, growth is not measured (timer noise)
GROWTH_LIMIT = 3.0         # t(2N) / t(N) above this is super-linear
ABS_CAP = 2.0              # s for one pass over 2N characters, whatever the growth
MAX_MATCHES = 200_000
PATTERN_FIELDS = ("pattern", "start", "end", "anchor", "next", "prev")
SOURCE_MODULES = ("cleaner.segment", "cleaner.text", "cleaner.decode", "cleaner.engine")


# -- what to test -----------------------------------------------------------------------------

def _is_pattern(obj) -> bool:
    return isinstance(obj, (re.Pattern, regex.Pattern))


def module_patterns() -> list[tuple[str, object, tuple[str, ...]]]:
    mods = list(SOURCE_MODULES) + [f"cleaner.fixers.{m.name}" for m in pkgutil.iter_modules(cleaner.fixers.__path__)]
    out = []
    for name in mods:
        mod = importlib.import_module(name)
        for attr, obj in sorted(vars(mod).items()):
            if _is_pattern(obj):
                out.append((f"{name}.{attr}", obj, ()))
            elif isinstance(obj, (list, tuple)) and obj and all(_is_pattern(o) for o in obj):
                out.extend((f"{name}.{attr}[{i}]", o, ()) for i, o in enumerate(obj))
    return out


def catalog_patterns() -> list[tuple[str, object, tuple[str, ...]]]:
    rs = load_rules()
    out = []
    for r in rs.rules:
        examples = tuple(r.match) + tuple(r.keep) + tuple(a for a, _ in r.fix)
        for f in PATTERN_FIELDS:
            p = getattr(r, f, None)
            if p is not None:
                out.append((f"{r.id}:{f}", p, examples))
        for key, pat in sorted((r.options.get("fields") or {}).items()):
            out.append((f"{r.id}:fields.{key}", _field_pattern(pat), examples))
        if r.kind == "table" and r.table:
            out.append((f"{r.id}:table", _table_pattern(r), examples))
    for site in rs.sites:
        for i, sig in enumerate(site.signatures):
            out.append((f"site.{site.key}:signature[{i}]", sig, ()))
    return out


ALL = catalog_patterns() + module_patterns()


# -- adversarial inputs -----------------------------------------------------------------------

_SYNTAX = regex.compile(r"\\[pP]\{[^}]*\}|\\[xu][0-9a-fA-F]{2,4}|\\[A-Za-z]|\(\?P?<\w+>|\(\?P=\w+\)|\(\?[:=!<>|]+|"
                        r"\{\d*,?\d*\}")
_META = set("\\()[]{}?*+|^$.-")
_CLASS_SAMPLES = {r"\d": "1", r"\s": " ", r"\S": "中", r"\w": "a", r"\p{Han}": "中", ".": "x", r"\b": " "}
BASE_RUNS = {"han": "中", "han2": "国家", "space": " ", "ideo_space": "\u3000", "tab": "\t", "period": "。",
             "comma": ",", "fw_comma": "\uff0c", "digits": "1", "ascii": "a", "dash": "—", "dots": "…",
             "han_space": "中 ", "digit_space": "1 ", "han_comma": "中,", "han_period": "中文。",
             "paren": "(", "han_digit": "中1", "newline_han": "中\n", "lines": "同志们:\n"}


@lru_cache(maxsize=None)
def pattern_chars(source: str) -> str:
    """The characters a pattern names (literals and samples of its classes), in first-seen order."""
    chars = []
    for token, sample in _CLASS_SAMPLES.items():
        if token in source:
            chars.append(sample)
    rest = _SYNTAX.sub("", source)
    for c in rest:
        if c not in _META and c not in chars and c.isprintable():
            chars.append(c)
    return "".join(dict.fromkeys(chars))


def families(source: str, examples: tuple[str, ...]) -> dict[str, str]:
    """name -> a unit string; the input of size n is the unit repeated to n characters."""
    fam = dict(BASE_RUNS)
    chars = pattern_chars(source)
    if chars:
        fam["own_cycle"] = chars
        fam["own_cycle_space"] = " ".join(chars) + " "
        # long runs of its own characters (the most frequent in the pattern first)
        counts = sorted(set(chars), key=lambda c: (-source.count(c), chars.index(c)))
        for c in counts[:10]:
            fam[f"own_run_{c!r}"] = c
            fam[f"own_alt_{c!r}"] = c + "中"
    for i, ex in enumerate(examples[:4]):
        one_line = ex.replace("\n", " ")
        if one_line:
            fam[f"ex{i}_pump"] = one_line
            fam[f"ex{i}_lines"] = ex + "\n"
            if len(one_line) > 1:
                fam[f"ex{i}_near"] = one_line[:-1]          # nearly matching, repeated
                fam[f"ex{i}_prefix"] = one_line[: max(1, len(one_line) // 2)]
    return fam


def build(unit: str, n: int, as_bytes: bool):
    s = (unit * (n // len(unit) + 1))[:n]
    return s.encode("utf-8") if as_bytes else s


# -- timing ----------------------------------------------------------------------------------

def run_once(pattern, s) -> float:
    t = time.perf_counter()
    k = 0
    for _ in pattern.finditer(s):
        k += 1
        if k >= MAX_MATCHES:
            break
    return time.perf_counter() - t


def best_of(pattern, s, times: int) -> float:
    return min(run_once(pattern, s) for _ in range(times))


def growth(pattern, unit: str, n: int = N) -> tuple[float, float]:
    as_bytes = isinstance(pattern.pattern, bytes)
    t1 = best_of(pattern, build(unit, n, as_bytes), 1)
    t2 = best_of(pattern, build(unit, 2 * n, as_bytes), 1)
    return t1, t2


def verdict(pattern, unit: str) -> str | None:
    """None when linear; else a description of the super-linear growth (re-measured)."""
    t1, t2 = growth(pattern, unit)
    if t2 < NOISE_FLOOR or (t2 <= GROWTH_LIMIT * max(t1, NOISE_FLOOR / GROWTH_LIMIT) and t2 < ABS_CAP):
        return None
    # confirm over three sizes, best of three each, before calling it super-linear
    as_bytes = isinstance(pattern.pattern, bytes)
    ts = [best_of(pattern, build(unit, k * N, as_bytes), 3) for k in (1, 2, 4)]
    r1, r2 = ts[1] / max(ts[0], 1e-9), ts[2] / max(ts[1], 1e-9)
    if (r1 > GROWTH_LIMIT and r2 > GROWTH_LIMIT and ts[2] > NOISE_FLOOR) or ts[1] >= ABS_CAP:
        return f"{ts[0]:.3f}s / {ts[1]:.3f}s / {ts[2]:.3f}s at {N}/{2 * N}/{4 * N} chars (x{r1:.1f}, x{r2:.1f})"
    return None


# -- the tests --------------------------------------------------------------------------------

def test_patterns_found():
    names = [n for n, _, _ in ALL]
    assert len(names) == len(set(names))
    assert sum(1 for n in names if ":" in n) >= 80, "the rule catalog's patterns were not collected"
    assert any(n.startswith("cleaner.segment.") for n in names)
    assert any(n.startswith("cleaner.fixers.") for n in names)
    assert any(n.startswith("cleaner.text.") for n in names)


@pytest.mark.parametrize("name,pattern,examples", ALL, ids=[n for n, _, _ in ALL])
def test_regex_is_linear(name, pattern, examples):
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    bad = {}
    for fam, unit in families(source, examples).items():
        v = verdict(pattern, unit)
        if v:
            bad[fam] = v
    assert not bad, f"{name} is super-linear ({pattern.pattern!r}):\n" + "\n".join(f"  {k}: {v}" for k, v in bad.items())


def main() -> None:  # pragma: no cover - a report, not a test
    rows = []
    t0 = time.perf_counter()
    for name, pattern, examples in ALL:
        source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
        for fam, unit in families(source, examples).items():
            t1, t2 = growth(pattern, unit)
            rows.append((t2, t2 / max(t1, 1e-9), name, fam))
    rows.sort(reverse=True)
    print(f"{len(ALL)} patterns, {len(rows)} pattern/input pairs, {time.perf_counter() - t0:.1f}s")
    for t2, ratio, name, fam in rows[:25]:
        print(f"{t2 * 1000:8.1f} ms at {2 * N} chars  x{ratio:4.1f}  {name}  [{fam}]")


if __name__ == "__main__":  # pragma: no cover
    main()
