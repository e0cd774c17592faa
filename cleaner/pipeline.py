"""The pipeline: ordered stages over one page, each proposing edits the piece table composes.

Stages follow the data's path: normalize the layout, repair the encoding, strip web leftovers,
convert the script, remove site chrome, page artifacts, rebuild paragraphs, fix known bad
characters, drop site-made repetition, split into speeches, drop duplicate speeches, tidy the
layout. Within a stage, the data rules run as one batch and each fixer as its own batch, in
the order of the rule files.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .context import Context, Options, SpeechDraft
from .engine import run_data_rules
from .fixers import load_all
from .provenance import Edit, Page, Proposal
from .rules import STAGES, Rule, RuleSet, load_rules
from .text import fold

HEAD_BYTES = 4000


@dataclass
class Speech:
    index: int
    title: str | None
    speaker: str | None
    date: str | None
    text: str
    span: tuple[int, int]          # in the decoded source
    clean_span: tuple[int, int]    # in D, the cleaned text
    duplicate_of: int | None = None


@dataclass
class CleanResult:
    source: str
    source_text: str
    text: str                       # D: the decoded source with every edit applied
    site: str
    document: dict
    speeches: list[Speech]
    edits: list[Edit]
    warnings: list[str] = field(default_factory=list)
    rule_counts: Counter = field(default_factory=Counter)
    encoding: str | None = None
    source_sha256: str | None = None
    conversion: str | None = None   # e.g. "t2s by opencc (C++)" when the script was converted
    decode_errors: str = "strict"   # "replace" when a few undecodable bytes became U+FFFD


_LAST_SITE: list = [None, None]   # (probe, verdict) of the last call: most pages reach the
                                  # chrome stage with their head and tail unchanged


def detect_site(text: str, rules: RuleSet) -> str:
    probe = text[:HEAD_BYTES] + "\n" + text[-HEAD_BYTES:]
    if _LAST_SITE[0] == (probe, rules.digest):
        return _LAST_SITE[1]
    site = _detect(probe, rules)
    _LAST_SITE[0], _LAST_SITE[1] = (probe, rules.digest), site
    return site


def _detect(probe: str, rules: RuleSet) -> str:
    best, best_hits = "unknown", 0
    for site in rules.sites:
        hits = sum(1 for sig in site.signatures if sig.search(probe))
        if hits > best_hits:
            best, best_hits = site.key, hits
    return best


def _batches(rules: list[Rule]):
    """Data rules of a stage run together; each fixer runs alone, in catalog order."""
    fixers = load_all()
    data = [r for r in rules if r.kind != "fixer"]
    if data:
        yield lambda ctx, data=data: run_data_rules(ctx.text, data, ctx.document, raw=ctx.raw)
    for r in rules:
        if r.kind == "fixer":
            fn = fixers[r.fixer]
            yield lambda ctx, fn=fn, r=r: list(fn(ctx.text, ctx, r))


def run(text: str, *, source: str = "<text>", rules: RuleSet | None = None,
        options: Options | None = None) -> CleanResult:
    rules = rules or load_rules()
    page = Page(text, fold=fold)
    ctx = Context(text=page.folded, rules=rules, options=options or Options(), raw=text)
    ctx.site = "unknown"
    counts: Counter = Counter()
    for stage in STAGES:
        # the site shows best once the text is decoded and simplified; earlier stages ask only
        # when some site has rules of its own there
        if stage == "chrome" or (ctx.site == "unknown" and rules.site_matters(stage)):
            ctx.site = detect_site(ctx.text, rules)
        for batch in _batches(rules.for_stage(stage, ctx.site)):
            props: list[Proposal] = batch(ctx)
            if not props:
                continue
            pmap = page.apply(props)
            ctx.raw = page.text
            ctx.text = page.folded
            counts.update(p.rule for p in props)
            if ctx.speeches:
                for sp in ctx.speeches:
                    sp.start, sp.end = pmap(sp.start), pmap(sp.end, prefer_end=True)
    ctx.raw = ctx.text = page.text
    return _result(source, text, page, ctx, counts)


def _result(source: str, text: str, page: Page, ctx: Context, counts: Counter) -> CleanResult:
    cleaned = page.text
    drafts = ctx.speeches
    if drafts is None:  # no segmentation ran: the page is one speech
        stripped = cleaned.strip()
        start = cleaned.find(stripped[:1]) if stripped else 0
        drafts = [SpeechDraft(start, start + len(stripped))] if stripped else []
    kept = [d for d in drafts if not d.dropped and d.end > d.start]
    speeches = []
    for i, d in enumerate(kept):
        speeches.append(Speech(
            index=i, title=d.title, speaker=d.speaker, date=d.date,
            text=cleaned[d.start:d.end],
            span=(page.source_offset(d.start), page.source_end(d.end)),
            clean_span=(d.start, d.end), duplicate_of=d.duplicate_of))
    conversion = (f"{ctx.facts['converted']} by {ctx.facts['converter']}"
                  if ctx.facts.get("converted") else None)
    return CleanResult(source=source, source_text=text, text=cleaned, site=ctx.site,
                       document=dict(ctx.document), speeches=speeches, edits=page.edits(),
                       warnings=list(ctx.warnings), rule_counts=counts, conversion=conversion)


def run_rule_alone(rule: Rule, text: str, *, rules: RuleSet | None = None,
                   site: str | None = None, options: Options | None = None) -> tuple[str, list[Proposal]]:
    """Apply one rule by itself to ``text``: what its examples and the safety tests check.
    A page-level rule gets what it works on first (dedupe needs the speeches segmentation
    finds); a ``part`` runs its parent and reports only its own edits."""
    rules = rules or load_rules()
    if rule.kind == "part":
        out, props = run_rule_alone(rules.by_id(rule.of), text, rules=rules, site=site, options=options)
        return out, [p for p in props if p.rule == rule.id]
    page = Page(text, fold=fold)
    ctx = Context(text=page.folded, rules=rules, raw=text,
                  site=site or (rule.scope if rule.scope != "generic" else "unknown"), options=options or Options())
    if rule.stage == "dedupe":
        seg = rules.by_id("segment.split")
        pmap = page.apply(list(load_all()[seg.fixer](ctx.text, ctx, seg)))
        for sp in ctx.speeches or []:
            sp.start, sp.end = pmap(sp.start), pmap(sp.end, prefer_end=True)
        ctx.raw, ctx.text = page.text, page.folded
    if rule.kind == "fixer":
        props = list(load_all()[rule.fixer](ctx.text, ctx, rule))
    else:
        props = run_data_rules(ctx.text, [rule], ctx.document, raw=ctx.raw)
    page.apply(props)
    return page.text, props
