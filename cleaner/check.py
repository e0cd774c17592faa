"""The core of ``cleaner check`` and ``cleaner fix``: is a file already one clean speech, and
what would make it one. Pure: bytes and a path in, findings and the files to write out.

The canonical speech file (what ``fix`` writes) is UTF-8 without a byte-order mark, ``\\n``
line ends and a final newline, and holds one speech:

    在局系统双创工作会议上的讲话          <- title       (when the speech has one)
    (2011年3月18日)                      <- date        (when it has one)
    罗荣赓                              <- speaker     (when it has one)
    同志们:                             <- the speech: one paragraph per line
    今年是我县……

This is the layout speeches are printed in, so the cleaner reads the header lines back as the
speech's title, date and speaker (removing them from the text under ``segment.header.*``).

**Already clean** means: rendering the cleaned file gives back the file, byte for byte. Cleaning
any file always makes edits of its own (the header lines leave the text, the final newline goes),
so "no edits" cannot be the test; "fix would write exactly this file" is, and it makes ``check``
and ``fix`` agree by construction: ``check`` finds nothing exactly when ``fix`` changes nothing.

**Idempotent by construction.** ``fix`` only writes a form it has verified to be a fixed point:
cleaning the candidate file must give one speech whose rendering is the candidate itself. The
candidates are tried from the richest (title, date, speaker) to the plainest (the text alone), so
a header line the cleaner would not read back (a title it joins to the date line, a speaker name
it takes for part of the title) is left out rather than written in a form that changes again on
the next run. When no candidate is stable (a rule that changes its own output), the text is
cleaned again, at most :data:`MAX_ROUNDS` times; a speech that still does not settle, or that
cleaning would split again, is reported and its file left alone.

Findings are the cleaner's edits on the file, in ``line:col`` of the decoded text, minus the
edits the canonical file itself carries (its own header lines and final newline), plus
``format.*`` findings for what no rule names: the encoding, a byte-order mark, a missing final
newline, and a compilation that ``fix`` splits into ``<stem>.<index>.txt`` files.
"""
from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable

from . import clean_bytes, clean_text
from .context import Options
from .decode import DecodeError
from .pipeline import CleanResult
from .provenance import Edit
from .rules import RuleSet, load_rules

MAX_ROUNDS = 3
SHOW_CHARS = 24


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    col: int
    rule: str
    message: str

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col, "rule": self.rule,
                "message": self.message}

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.rule} {self.message}"

    def github(self) -> str:
        def prop(s: str) -> str:
            return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")
        return (f"::error file={prop(self.path)},line={self.line},col={self.col},"
                f"title={prop(self.rule)}::{_gh_escape(self.message)}")


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


@dataclass(frozen=True)
class Output:
    """A file ``fix`` writes: its path and its whole text."""

    path: str
    text: str


@dataclass
class Plan:
    """What ``check`` reports about one input and what ``fix`` would do with it."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    remove_original: bool = False      # a compilation: the parts replace the file
    error: str | None = None           # fix cannot rewrite this file (it is left alone)
    edits: int = 0                     # rule edits behind the findings

    @property
    def changed(self) -> bool:
        return bool(self.findings)


# -- the canonical speech file -------------------------------------------------------------

def date_line(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"({int(y)}年{int(m)}月{int(d)}日)"


def render_speech(title: str | None, speaker: str | None, date: str | None, text: str) -> str:
    """The canonical file of one speech (see the module docstring)."""
    head = [title] if title else []
    if date:
        head.append(date_line(date))
    if speaker:
        head.append(speaker)
    return "\n".join(head + [text]) + "\n"


def _render_of(result: CleanResult) -> str | None:
    if len(result.speeches) != 1:
        return None
    sp = result.speeches[0]
    return render_speech(sp.title, sp.speaker, sp.date, sp.text)


def _forms(title, speaker, date, text) -> list[str]:
    """Candidate files for one speech, richest first, without repeats."""
    out: list[str] = []
    for meta in ((title, speaker, date), (title, None, date), (title, speaker, None),
                 (title, None, None), (None, None, None)):
        form = render_speech(*meta, text)
        if form not in out:
            out.append(form)
    return out


class _Cleaner:
    """clean_text with a cache: a plan cleans the same candidate text more than once."""

    def __init__(self, options: Options | None, rules: RuleSet):
        self.options, self.rules = options, rules
        self.cache: dict[str, CleanResult] = {}

    def __call__(self, text: str) -> CleanResult:
        if text not in self.cache:
            self.cache[text] = clean_text(text, options=self.options, rules=self.rules)
        return self.cache[text]


def stable_form(title, speaker, date, text, clean: Callable[[str], CleanResult]) -> str | None:
    """The richest candidate file for a speech that cleaning gives back unchanged, or None."""
    for _ in range(MAX_ROUNDS):
        for form in _forms(title, speaker, date, text):
            if _render_of(clean(form)) == form:
                return form
        again = clean(text + "\n")
        if len(again.speeches) != 1:
            return None
        sp = again.speeches[0]
        text = sp.text
        if sp.title or sp.speaker or sp.date:
            title, speaker, date = sp.title, sp.speaker, sp.date
    return None


def part_path(path: str, index: int) -> str:
    """Where speech ``index`` of a compilation goes: ``<stem>.<index>.txt`` next to the file."""
    folder, name = os.path.split(path)
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    return os.path.join(folder, f"{stem}.{index}.txt")


# -- planning one file ---------------------------------------------------------------------

def plan_file(path: str, data: bytes, *, options: Options | None = None,
              rules: RuleSet | None = None) -> Plan:
    """Check one file: its findings and the files ``fix`` would write in its place."""
    rules = rules or load_rules()
    try:
        return _plan(path, data, options, rules)
    except DecodeError as exc:
        return _error_plan(path, "E-DECODE", str(exc))
    except Exception as exc:  # a bug must not hide the other files' findings
        return _error_plan(path, "E-INTERNAL", f"{exc.__class__.__name__}: {exc}")


def _plan(path: str, data: bytes, options: Options | None, rules: RuleSet) -> Plan:
    result = clean_bytes(data, source=path, options=options, rules=rules)
    clean = _Cleaner(options, rules)
    clean.cache[result.source_text] = result
    plan = Plan(path)
    _plan_outputs(plan, result, clean)
    if not plan.error and [(o.path, o.text.encode("utf-8")) for o in plan.outputs] == [(path, data)]:
        return plan
    rule_findings = _edit_findings(path, result, [clean(o.text) for o in plan.outputs])
    plan.edits = len(rule_findings)
    plan.findings = sorted(rule_findings + _format_findings(plan, result, data, bool(rule_findings)),
                           key=lambda f: (f.line, f.col, f.rule))
    return plan


def _error_plan(path: str, rule: str, reason: str) -> Plan:
    return Plan(path, findings=[Finding(path, 1, 1, rule, reason)], error=reason)


def _plan_outputs(plan: Plan, result: CleanResult, clean) -> None:
    speeches = result.speeches
    if not speeches:
        if result.source_text.strip():
            plan.error = "no speech is left once the page is cleaned; not rewritten"
        else:
            plan.outputs = [Output(plan.path, "")]
        return
    forms = []
    for sp in speeches:
        form = stable_form(sp.title, sp.speaker, sp.date, sp.text, clean)
        if form is None:
            plan.error = (f"speech {sp.index} does not settle into one speech when cleaned again; "
                          "not rewritten")
            return
        forms.append(form)
    if len(forms) == 1:
        plan.outputs = [Output(plan.path, forms[0])]
    else:
        plan.outputs = [Output(part_path(plan.path, i), f) for i, f in enumerate(forms)]
        plan.remove_original = True


# -- findings ------------------------------------------------------------------------------

def _edit_findings(path: str, result: CleanResult, canonical: list[CleanResult]) -> list[Finding]:
    """The page's edits, less those the written files carry themselves (header lines, final
    newline): those are the file's layout, not changes."""
    edits = list(result.edits)
    used = [False] * len(edits)
    n = len(result.source_text)
    for out in canonical:
        m = len(out.source_text)
        for f in out.edits:
            key = (f.rule, f.old, f.new)
            at_end = f.end == m
            for i, e in enumerate(edits):
                if not used[i] and (e.rule, e.old, e.new) == key and (not at_end or e.end == n):
                    used[i] = True
                    break
    where = _Locator(result.source_text)
    return [Finding(path, *where(e.start), e.rule, describe(e))
            for e, u in zip(edits, used) if not u]


def _format_findings(plan: Plan, result: CleanResult, data: bytes, explained: bool) -> list[Finding]:
    """What no rule names: the encoding, a byte-order mark, a split, a missing final newline."""
    path, out = plan.path, []
    enc = (result.encoding or "utf-8").replace("_", "-").lower()
    if enc == "utf-8-sig":
        out.append(Finding(path, 1, 1, "format.bom", "starts with a byte-order mark; fix writes UTF-8 without one"))
    elif enc not in ("utf-8", "utf8"):
        out.append(Finding(path, 1, 1, "format.encoding", f"is {result.encoding}; fix writes UTF-8"))
    if plan.error:
        out.append(Finding(path, 1, 1, "format.unfixable", plan.error))
    elif plan.remove_original:
        names = [PurePath(o.path).name for o in plan.outputs]
        shown = ", ".join(names) if len(names) <= 3 else f"{names[0]} … {names[-1]}"
        out.append(Finding(path, 1, 1, "format.split",
                           f"holds {len(names)} speeches; fix writes {shown} and removes the file"))
    elif not out and not explained:
        text, written = result.source_text, plan.outputs[0].text
        if written == text + "\n":
            out.append(Finding(path, *_Locator(text)(len(text)), "format.eol", "no newline at end of file"))
        else:
            out.append(Finding(path, 1, 1, "format.layout",
                               "not in the canonical layout (title, date, speaker, one paragraph per line)"))
    return out


class _Locator:
    """1-based line and column of a position in a text."""

    def __init__(self, text: str):
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]

    def __call__(self, pos: int) -> tuple[int, int]:
        k = bisect_right(self.newlines, pos - 1)
        line_start = self.newlines[k - 1] + 1 if k else 0
        return k + 1, pos - line_start + 1


def show(s: str, limit: int = SHOW_CHARS) -> str:
    """A short, one-line, quoted form of some text."""
    esc = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    esc = esc.replace("\u3000", "\\u3000").replace('"', '\\"')
    return f'"{esc[:limit]}…"' if len(esc) > limit else f'"{esc}"'


def describe(e: Edit) -> str:
    """``removes "时间:2019-05-15…"``, ``replaces "臵" with "置"``, ``inserts "\\n"``."""
    if not e.new:
        msg = f"removes {show(e.old)}"
        lines = sum(1 for ln in e.old.split("\n") if ln.strip())
        if lines > 1:
            msg += f" ({lines} lines)"
    elif not e.old:
        msg = f"inserts {show(e.new)}"
    else:
        msg = f"replaces {show(e.old)} with {show(e.new)}"
    return f"{msg} ({e.note})" if e.note else msg
