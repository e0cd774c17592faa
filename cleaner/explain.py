"""Seeing what the rules do: a page with its edits marked (``cleaner explain``), how often each
rule fires over some inputs (``cleaner rules --stats``), and the catalog as readable pages
(``cleaner rules --doc`` / ``--markdown``). Pure: results and rules in, text out.

A marked page is a list of :class:`Piece` objects that render either as plain text::

    时间:2019-05-15[-下载本文-]{chrome.generic.download-notice}
    ── speech 0: 在局系统双创工作会议上的讲话 | 罗荣赓 | 2011-03-18 ──
    同志们:[-↵-]{layout.tidy}

(``[-removed-]``, ``{+inserted+}``, then ``{rule.id}``) or as a :mod:`rich` ``Text`` with the
removed text struck out in red and the inserted text in green. Removed or inserted text made
only of whitespace is shown with visible marks (↵ newline, · space, → tab, □ ideographic
space); an inserted line break is also printed, so the marked page keeps the cleaned layout.
"""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

from .pipeline import CleanResult, run_rule_alone
from .rules import STAGES, Rule, RuleSet

VISIBLE = str.maketrans({"\n": "↵", " ": "·", "\t": "→", "\r": "␍", "\u3000": "□", "\f": "␌"})


@dataclass(frozen=True)
class Piece:
    kind: str            # text | removed | inserted | rule | header
    text: str


def visible(s: str) -> str:
    return s.translate(VISIBLE) if not s.strip() else s


def speech_header(sp) -> str:
    fields = " | ".join(v or "-" for v in (sp.title, sp.speaker, sp.date))
    dup = f" (duplicate of {sp.duplicate_of})" if sp.duplicate_of is not None else ""
    return f"── speech {sp.index}: {fields}{dup} ──"


def page_summary(result: CleanResult, shown: int) -> str:
    doc = ", ".join(f"{k}={v}" for k, v in result.document.items())
    head = (f"# {result.source}: site {result.site}, encoding {result.encoding or 'utf-8'}, "
            f"{_n(len(result.edits), 'edit')} ({shown} shown), {_n(len(result.speeches), 'speech')}")
    return head + (f"\n# document: {doc}" if doc else "")


def _n(k: int, word: str) -> str:
    return f"{k} {word}" + ("" if k == 1 else "es" if word.endswith("h") else "s")


def marked_page(result: CleanResult, rule_prefix: str | None = None) -> list[Piece]:
    """The decoded page with every edit (or those of rules starting with ``rule_prefix``) marked
    and a header line where each speech starts. Edits not shown are applied silently."""
    src = result.source_text
    heads = sorted((sp.span[0], speech_header(sp)) for sp in result.speeches)
    out: list[Piece] = []
    hi, pos = 0, 0

    def header(k: int) -> None:
        if out and not _ends_line(out):
            out.append(Piece("text", "\n"))
        out.append(Piece("header", heads[k][1] + "\n"))

    for e in result.edits:
        while hi < len(heads) and heads[hi][0] <= e.start:
            at = max(heads[hi][0], pos)
            _text(out, src[pos:at])
            pos = at
            header(hi)
            hi += 1
        _text(out, src[pos:e.start])
        if rule_prefix is None or e.rule.startswith(rule_prefix):
            _edit(out, e)
        else:
            _text(out, e.new)
        pos = e.end
        while hi < len(heads) and heads[hi][0] < e.end:   # a speech starting inside an edit
            header(hi)
            hi += 1
    while hi < len(heads):
        at = max(heads[hi][0], pos)
        _text(out, src[pos:at])
        pos = at
        header(hi)
        hi += 1
    _text(out, src[pos:])
    return out


def shown_edits(result: CleanResult, rule_prefix: str | None) -> int:
    return sum(1 for e in result.edits if rule_prefix is None or e.rule.startswith(rule_prefix))


def _ends_line(out: list[Piece]) -> bool:
    for p in reversed(out):
        if p.text:
            return p.text.endswith("\n")
    return True


def _text(out: list[Piece], s: str) -> None:
    if s:
        out.append(Piece("text", s))


def _edit(out: list[Piece], e) -> None:
    if e.old:
        out.append(Piece("removed", visible(e.old)))
    if e.new:
        out.append(Piece("inserted", visible(e.new)))
    out.append(Piece("rule", e.rule))
    if e.new and not e.new.strip() and "\n" in e.new:   # keep the cleaned layout
        out.append(Piece("text", "\n" * e.new.count("\n")))


PLAIN = {"removed": "[-{}-]", "inserted": "{{+{}+}}", "rule": "{{{}}}", "text": "{}", "header": "{}"}
STYLE = {"removed": "red strike", "inserted": "green underline", "rule": "dim cyan",
         "header": "bold magenta", "text": ""}


def render_plain(pieces: Iterable[Piece]) -> str:
    return "".join(PLAIN[p.kind].format(p.text) for p in pieces)


def render_rich(pieces: Iterable[Piece]):
    """A rich ``Text``: no bracket markers, styles instead (the rule id stays, in braces)."""
    from rich.text import Text

    text = Text()
    for p in pieces:
        text.append("{" + p.text + "}" if p.kind == "rule" else p.text, style=STYLE[p.kind] or None)
    return text


# -- rule statistics -----------------------------------------------------------------------

def rule_stats(per_file: Iterable[Mapping[str, int]], rules: RuleSet, failed: int = 0) -> dict:
    """How often each rule fired (edits it proposed) and in how many files, for every rule of
    the catalog (0 when it never fired) and every id emitted that is not a catalog id.
    Sorted so rules firing in the most files come first and rules that never fired last."""
    edits: Counter = Counter()
    files: Counter = Counter()
    n = 0
    for counts in per_file:
        n += 1
        for rid, c in counts.items():
            if c:
                edits[rid] += c
                files[rid] += 1
    rows = [{"id": r.id, "scope": r.scope, "stage": r.stage, "edits": edits[r.id], "files": files[r.id],
             "in_catalog": True} for r in rules.rules]
    known = {r.id for r in rules.rules}
    rows += [{"id": rid, "scope": "-", "stage": "-", "edits": edits[rid], "files": files[rid],
              "in_catalog": False} for rid in sorted(set(edits) - known)]
    order = {row["id"]: i for i, row in enumerate(rows)}
    rows.sort(key=lambda r: (-r["files"], -r["edits"], order[r["id"]]))
    return {"files": n, "failed": failed, "rules_version": rules.digest, "rules": rows}


def stats_table(stats: dict) -> str:
    n = stats["files"]
    lines = [f"{'rule':48} {'scope':14} {'stage':10} {'edits':>7} {'files':>6}"]
    for r in stats["rules"]:
        flag = ("never" if r["files"] == 0 else "every file" if n and r["files"] == n else "")
        if not r["in_catalog"]:
            flag = (flag + ", " if flag else "") + "not a catalog id"
        lines.append(f"{r['id']:48} {r['scope']:14} {r['stage']:10} {r['edits']:>7} {r['files']:>6}  {flag}".rstrip())
    cat = [r for r in stats["rules"] if r["in_catalog"]]
    never = sum(1 for r in cat if r["files"] == 0)
    every = sum(1 for r in cat if n and r["files"] == n)
    lines.append(f"{n} files ({stats['failed']} failed), {len(cat)} rules: {never} never fired, "
                 f"{every} fired in every file (rules {stats['rules_version']})")
    return "\n".join(lines)


# -- the catalog as pages ------------------------------------------------------------------

def _apply_alone(rule: Rule, text: str, rules: RuleSet) -> str | None:
    try:
        return run_rule_alone(rule, text, rules=rules)[0]
    except Exception:  # an example the rule cannot run alone on: show the input only
        return None


def _examples(rule: Rule, rules: RuleSet):
    """(label, input, output or None) for each example of a rule."""
    for ex in rule.match:
        yield "changes", ex, _apply_alone(rule, ex, rules)
    for ex in rule.keep:
        yield "keeps", ex, None
    for before, after in rule.fix:
        yield "fixes", before, after


def rule_fields(rule: Rule) -> list[tuple[str, str]]:
    fields = [("id", rule.id), ("scope", rule.scope), ("stage", rule.stage), ("kind", rule.kind)]
    if rule.kind == "fixer":
        fields.append(("fixer", rule.fixer or ""))
    elif rule.kind != "table":
        fields.append(("action", rule.action))
    fields.append(("file", f"rules/{rule.path}"))
    return fields


def rule_page(rule: Rule, rules: RuleSet) -> str:
    """One rule as a text page: its fields, description and examples (run through the rule)."""
    out = [f"{k + ':':8} {v}" for k, v in rule_fields(rule)]
    out += ["", rule.description, ""]
    for label, before, after in _examples(rule, rules):
        out.append(f"{label}: {json.dumps(before, ensure_ascii=False)}")
        if after is not None:
            out.append(f"{'->':>{len(label) + 1}} {json.dumps(after, ensure_ascii=False)}")
    return "\n".join(out).rstrip() + "\n"


def _escape_invisible(s: str) -> str:
    """Control, format and odd space characters as escapes (\\r, \\u200b); newlines stay."""
    def esc(c: str) -> str:
        if c in "\n ":
            return c
        if c == "\r":
            return "\\r"
        if c == "\t":
            return "\\t"
        cat = unicodedata.category(c)
        return f"\\u{ord(c):04x}" if cat in ("Cc", "Cf", "Zl", "Zp") or (cat == "Zs" and c != "\u3000") else c
    return "".join(esc(c) for c in s)


def _fence(s: str) -> str:
    if not s:
        return "(empty)"
    s = _escape_invisible(s)
    ticks = "```"
    while ticks in s:
        ticks += "`"
    return f"{ticks}text\n{s}\n{ticks}"


def _anchor(rule_id: str) -> str:
    return "".join(c for c in rule_id.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")


def catalog_markdown(rules: RuleSet) -> str:
    """The whole catalog as one markdown document: per stage, one section per rule."""
    by_stage = {s: [r for r in rules.rules if r.stage == s] for s in STAGES}
    out = ["# Rule catalog", "",
           f"Generated by `cleaner rules --markdown` from the rule files under `rules/` "
           f"(rule set `{rules.digest}`, {len(rules.rules)} rules). Do not edit by hand: change the "
           "rule files and run the command again.", "",
           "Stages run in this order: " + " → ".join(s for s in STAGES if by_stage[s]) + ". "
           "Each rule's examples are part of the test suite: *changes* (text the rule must change, "
           "shown with what the rule alone makes of it), *keeps* (text it must leave alone) and "
           "*fixes* (exact input and output). In examples, invisible characters are written as "
           "escapes (`\\r`, `\\u200b`).", ""]
    for stage, rs in by_stage.items():
        if rs:
            out.append(f"- {stage}: " + ", ".join(f"[`{r.id}`](#{_anchor(r.id)})" for r in rs))
    for stage, rs in by_stage.items():
        if not rs:
            continue
        out += ["", f"## Stage `{stage}`"]
        for r in rs:
            out += ["", f"### {r.id}", "",
                    " · ".join(f"{k}: `{v}`" for k, v in rule_fields(r)[1:]), "",
                    r.description]
            for label, before, after in _examples(r, rules):
                out += ["", f"*{label}*", "", _fence(before)]
                if after is not None:
                    out += ["", "→", "", _fence(after)]
    return "\n".join(out) + "\n"
