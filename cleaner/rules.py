"""The rule catalog: rules are data (TOML files under ``rules/``), compiled once per process.

A rule has a stable id, a description, a scope (``generic`` or a site family key), the pipeline
stage it belongs to, what it matches and what it does, and examples the test suite runs:
``match`` (text it must change), ``keep`` (text it must leave alone) and ``fix`` (exact
input/output pairs). Kinds:

- ``line``: a regex tried on every line of at most ``max_len`` characters (default 200); ``drop`` removes the line, ``extract`` removes it and
  keeps its named groups as page metadata, ``replace`` substitutes inside the line.
  ``next``/``prev`` require the neighbouring non-blank line to match too.
- ``block``: from a line matching ``start`` through the first line matching ``end``.
- ``zone``: from a line matching ``anchor`` to the end of the page (``direction = "after"``) or
  from the start of the page up to it (``direction = "before"``).
- ``inline``: a regex anywhere in the text; ``drop`` or ``replace``. ``options.requires``
  lists characters one of which a line must hold for the rule to be tried there (speed).
- ``table``: literal replacements (``[rule.table]``), e.g. known mis-encoded characters.
- ``fixer``: a small pure function in :mod:`cleaner.fixers` named by ``fixer``.
- ``part``: an id that another rule's fixer (``of``) emits for one kind of edit (segmentation
  marks title, date and speaker lines differently). It does not run by itself; its examples
  run the parent and check that an edit with this id appears (``match``) or not (``keep``).

A site family is a file with a ``[site]`` table (key, name, signature patterns); its rules only
run on pages whose signature matched.
"""
from __future__ import annotations

import hashlib
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from .literals import required_literals

FLAGS = regex.MULTILINE | regex.VERSION1
KINDS = {"line", "block", "zone", "inline", "table", "fixer", "part"}
ACTIONS = {"drop", "replace", "extract"}
# decode first: mojibake repair needs the bytes' characters as they are (U+00A0 and U+00AD in
# Latin-1 mojibake are halves of Chinese characters, which layout normalisation would change)
STAGES = ("decode", "normalize", "web", "script", "chrome", "pages", "repeats", "paragraphs",
          "chars", "layout", "segment", "dedupe")


# chrome lines are short; a line rule looks at longer lines only when it says so (max_len)
DEFAULT_MAX_LEN = 200


class RuleError(ValueError):
    """A rules file that cannot be loaded; the message names the file and the rule."""


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    signatures: tuple[Any, ...]
    path: str


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    description: str
    scope: str
    stage: str
    kind: str
    action: str = "drop"
    pattern: Any = None
    replace: str = ""
    start: Any = None
    end: Any = None
    anchor: Any = None
    direction: str = "after"
    next: Any = None
    prev: Any = None
    max_len: int | None = None
    max_lines: int = 40
    table: tuple[tuple[str, str], ...] = ()
    fixer: str | None = None
    of: str | None = None
    options: dict = field(default_factory=dict)
    match: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    fix: tuple[tuple[str, str], ...] = ()
    path: str = ""
    order: int = 0
    literals: frozenset | None = None   # one of these is in every line the pattern can match

    @property
    def doc(self) -> str:
        return self.description


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    sites: tuple[Site, ...]
    digest: str

    def by_id(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    _by_stage: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def for_stage(self, stage: str, site: str) -> list[Rule]:
        """A stage's rules for a site: the site's own first (they refine what generic rules
        would take), then the generic ones, each in catalog order. Parts do not run alone.
        (Callers must not mutate the list: it is kept for the next page.)"""
        key = (stage, site)
        found = self._by_stage.get(key)
        if found is None:
            found = self._by_stage[key] = (
                [r for r in self.rules if r.stage == stage and r.scope == site and r.kind != "part"]
                + [r for r in self.rules if r.stage == stage and r.scope == "generic" and r.kind != "part"])
        return found

    @cached_property
    def _site_stages(self) -> frozenset[str]:
        return frozenset(r.stage for r in self.rules if r.scope != "generic")

    def site_matters(self, stage: str) -> bool:
        """Whether any site family has rules of its own in ``stage``."""
        return stage in self._site_stages


def _compile(pattern: str | None, where: str):
    if pattern is None:
        return None
    try:
        return regex.compile(pattern, FLAGS)
    except regex.error as exc:
        raise RuleError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def _load_file(path: Path, text: str, order_base: int) -> tuple[list[Rule], Site | None]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{path}: {exc}") from exc
    site = None
    scope = data.get("scope", "generic")
    if "site" in data:
        s = data["site"]
        scope = s["key"]
        site = Site(s["key"], s.get("name", s["key"]),
                    tuple(_compile(p, f"{path} [site]") for p in s.get("signatures", [])), str(path))
    stage = data.get("stage", "chrome")
    rules = []
    for n, raw in enumerate(data.get("rule", [])):
        rid = raw.get("id")
        where = f"{path}: rule {rid or n}"
        if not rid or not raw.get("description"):
            raise RuleError(f"{where}: every rule needs an id and a description")
        kind = raw.get("kind", "line")
        if kind not in KINDS:
            raise RuleError(f"{where}: unknown kind {kind!r}")
        action = raw.get("action", "drop")
        if action not in ACTIONS:
            raise RuleError(f"{where}: unknown action {action!r}")
        rule_stage = raw.get("stage", stage)
        if rule_stage not in STAGES:
            raise RuleError(f"{where}: unknown stage {rule_stage!r}")
        fix = tuple((f[0], f[1]) for f in raw.get("fix", []))
        rules.append(Rule(
            id=rid, description=raw["description"].strip(), scope=raw.get("scope", scope),
            stage=rule_stage, kind=kind, action=action,
            pattern=_compile(raw.get("pattern"), where), replace=raw.get("replace", ""),
            start=_compile(raw.get("start"), where), end=_compile(raw.get("end"), where),
            anchor=_compile(raw.get("anchor"), where), direction=raw.get("direction", "after"),
            next=_compile(raw.get("next"), where), prev=_compile(raw.get("prev"), where),
            max_len=raw.get("max_len", DEFAULT_MAX_LEN if kind == "line" else None),
            max_lines=raw.get("max_lines", 40),
            table=tuple(sorted(raw.get("table", {}).items())), fixer=raw.get("fixer"), of=raw.get("of"),
            options=raw.get("options", {}),
            match=tuple(raw.get("match", [])), keep=tuple(raw.get("keep", [])), fix=fix,
            path=str(path), order=order_base + n,
            literals=required_literals(raw["pattern"]) if raw.get("pattern") and kind in ("line", "inline") else None,
        ))
        _check_shape(rules[-1], where)
    return rules, site


def _check_shape(rule: Rule, where: str) -> None:
    needs = {"line": rule.pattern, "inline": rule.pattern, "block": rule.start and rule.end,
             "zone": rule.anchor, "table": rule.table, "fixer": rule.fixer, "part": rule.of}
    if not needs[rule.kind]:
        raise RuleError(f"{where}: a {rule.kind} rule is missing what it matches")
    if not (rule.match or rule.fix):
        raise RuleError(f"{where}: every rule needs `match` or `fix` examples")


def rules_root() -> Path:
    return Path(str(resources.files("cleaner.rulesdata")))


@lru_cache(maxsize=4)
def load_rules(root: str | None = None) -> RuleSet:
    """Load and compile every ``*.toml`` under the rules folder (sorted, so ids keep their order)."""
    base = Path(root) if root else rules_root()
    rules: list[Rule] = []
    sites: list[Site] = []
    digest = hashlib.sha256()
    for path in sorted(base.rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + text.encode())
        file_rules, site = _load_file(path.relative_to(base), text, len(rules))
        rules.extend(file_rules)
        if site:
            sites.append(site)
    seen: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            raise RuleError(f"duplicate rule id {r.id} in {r.path} and {seen[r.id]}")
        seen[r.id] = r.path
    return RuleSet(tuple(rules), tuple(sites), digest.hexdigest()[:12])
