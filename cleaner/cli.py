"""The command line: ``cleaner clean``, ``check``, ``fix``, ``explain``, ``rules``, ``--version``."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

import typer

from . import __version__, clean_bytes
from .batch import Summary, map_outcomes, run_batch, stream_to
from .check import Finding, Plan, plan_file
from .context import Options
from .decode import DecodeError
from .io import InputError, Item, expand_inputs, read_bytes, write_atomic
from .rules import load_rules

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Clean pages scraped from Chinese template-essay sites into speeches with provenance.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__} (rules {load_rules().digest})")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and the rule-set hash.")) -> None:
    pass


def iter_items(inputs: list[str], input_format: str, text_field: str, id_field: str,
               include: Iterable[str] = (), exclude: Iterable[str] = ()) -> Iterator[Item]:
    for entry in expand_inputs(inputs, include, exclude):
        if isinstance(entry, tuple):
            yield Item(source=entry[0], error=entry[1])
            continue
        if input_format == "jsonl":
            yield from _jsonl_items(entry, text_field, id_field)
            continue
        try:
            yield Item(source=entry, data=read_bytes(entry))
        except InputError as exc:
            yield Item(source=entry, error=str(exc).removeprefix(f"{entry}: "))


def _jsonl_items(path: str, text_field: str, id_field: str) -> Iterator[Item]:
    try:
        data = read_bytes(path)
    except InputError as exc:
        yield Item(source=path, error=str(exc).removeprefix(f"{path}: "))
        return
    for n, raw_line in enumerate(data.split(b"\n"), 1):  # JSON strings may hold U+2028 etc.
        line = raw_line.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(source=where, error=f"not JSON ({exc.msg})")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get(text_field), str):
            yield Item(source=where, error=f"no string field {text_field!r}")
            continue
        source = str(rec.get(id_field, where))
        meta = {k: v for k, v in rec.items() if k not in (text_field,)}
        yield Item(source=source, text=rec[text_field], meta=meta)


def count_inputs(inputs: list[str], include: Iterable[str] = (), exclude: Iterable[str] = ()) -> tuple[int, int] | None:
    """(files, bytes) of the inputs, for the progress bar's ETA; None when unknown (stdin)."""
    if "-" in inputs:
        return None
    files = size = 0
    for entry in expand_inputs(inputs, include, exclude):
        files += 1
        if isinstance(entry, str):
            try:
                size += os.path.getsize(entry)
            except OSError:
                pass
    return files, size


class Progress:
    """A rich progress bar (files, MB/s, ETA) on a terminal; plain log lines every 10 s otherwise."""

    def __init__(self, totals: tuple[int, int] | None):
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.bar = None
        if self.tty:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn,
                                       TimeRemainingColumn)
            self.bar = Bar(TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), transient=True,
                           console=__import__("rich.console").console.Console(stderr=True))
            self.task = self.bar.add_task("clean", total=totals[0] if totals else None, rate="")
            self.bar.start()

    def __call__(self, s: Summary) -> None:
        rate = s.bytes_in / max(s.seconds, 1e-9) / 1e6
        if self.bar is not None:
            self.bar.update(self.task, completed=s.files + s.skipped, rate=f"{rate:.1f} MB/s")
            return
        if s.seconds - self.last >= 10:
            self.last = s.seconds
            typer.echo(f"{s.files} files, {s.speeches} speeches, {s.failures} failed, {rate:.1f} MB/s", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def print_summary(summary: Summary, top: int = 12) -> None:
    typer.echo(f"{summary.files} files, {summary.speeches} speeches, {summary.failures} failed, "
               f"{summary.bytes_in} bytes in, {summary.bytes_out} bytes out"
               + (f", {summary.skipped} already done" if summary.skipped else ""), err=True)
    if summary.rule_counts:
        common = summary.rule_counts.most_common(top)
        typer.echo("edits by rule: " + ", ".join(f"{k} {v}" for k, v in common)
                   + (" …" if len(summary.rule_counts) > top else ""), err=True)


@app.command()
def clean(
    inputs: List[str] = typer.Argument(..., help="Files, directories (recursive) or '-' for stdin."),
    out: str = typer.Option(..., "-o", "--out", help="Output folder, or '-' for JSONL on stdout."),
    audit: bool = typer.Option(False, "--audit", help="Also write OUT/audit.jsonl: every edit of every input."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, or txt for one text file per speech."),
    script: str = typer.Option("simplified", "--script", help="simplified, traditional or keep."),
    keep_duplicates: bool = typer.Option(False, "--keep-duplicates", help="Keep repeated speeches, marked duplicate_of."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (default: all cores)."),
    input_format: str = typer.Option("auto", "--input-format", help="auto (raw pages) or jsonl."),
    text_field: str = typer.Option("text", "--text-field"),
    id_field: str = typer.Option("id", "--id-field"),
    shard_size: int = typer.Option(0, "--shard-size", help="Records per output file (0: one file)."),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds one page may take before it is rejected."),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) or ray (needs cleaner[ray])."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster address (default: start a local Ray)."),
    include: List[str] = typer.Option([], "--include", help="In directories, read only files matching this pattern (*.txt); repeatable."),
    exclude: List[str] = typer.Option([], "--exclude", help="In directories, skip files matching this pattern (*.json); repeatable."),
) -> None:
    """Clean pages into speeches: OUT/speeches.jsonl (+ audit.jsonl, rejects.jsonl, summary.json)."""
    if fmt not in ("jsonl", "txt"):
        raise typer.BadParameter("--format must be jsonl or txt")
    if script not in ("simplified", "traditional", "keep"):
        raise typer.BadParameter("--script must be simplified, traditional or keep")
    options = Options(script=script, keep_duplicates=keep_duplicates)
    jobs = jobs or os.cpu_count() or 1
    fmt_in = "jsonl" if input_format == "jsonl" else "raw"
    items = iter_items(inputs, fmt_in, text_field, id_field, include, exclude)
    if engine == "ray":
        from .ray_engine import run_ray  # optional extra
        summary = run_ray(items, Path(out), options, audit=audit, fmt=fmt, shard_size=shard_size,
                          timeout=timeout, address=address)
        for rej in summary.rejects if out != "-" else ():
            typer.echo(f"error: {rej['source']}: {rej['reason']}", err=True)
    elif engine != "local":
        raise typer.BadParameter("--engine must be local or ray")
    elif out == "-":
        summary = stream_to(sys.stdout, items, options, jobs=jobs, timeout=timeout, reject_to=sys.stderr)
    else:
        progress = Progress(count_inputs(inputs, include, exclude) if sys.stderr.isatty() and fmt_in == "raw" else None)
        try:
            summary = run_batch(items, Path(out), options, jobs=jobs, audit=audit, fmt=fmt,
                                shard_size=shard_size, timeout=timeout, progress=progress)
        except OSError as exc:  # a full disk, a read-only folder: the finished parts are kept
            progress.close()
            typer.echo(f"error: {out}: cannot write output ({exc.strerror or exc}); "
                       f"finished work is kept in {out}/.work and the same command resumes it", err=True)
            raise typer.Exit(2)
        finally:
            progress.close()
        for rej in summary.rejects:
            typer.echo(f"error: {rej['source']}: {rej['reason']}", err=True)
    print_summary(summary)
    if summary.failures:
        raise typer.Exit(1)


@app.command("rules")
def rules_cmd(
    inputs: Optional[List[str]] = typer.Argument(None, help="With --stats: files or folders to clean."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output (list or --stats)."),
    stats: bool = typer.Option(False, "--stats", help="Clean INPUT... and count how often each rule fires."),
    doc: Optional[str] = typer.Option(None, "--doc", metavar="RULE-ID", help="Print one rule's page."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the whole catalog as markdown."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="With --stats: worker processes (default: all cores)."),
) -> None:
    """List the rules: id, scope, stage and description (or --stats, --doc, --markdown)."""
    from . import explain

    rs = load_rules()
    if inputs and not stats:
        raise typer.BadParameter("inputs are only taken with --stats")
    if stats:
        if not inputs:
            raise typer.BadParameter("--stats needs INPUT files or folders")
        report = _rule_stats(inputs, jobs or os.cpu_count() or 1)
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else explain.stats_table(report))
    elif doc:
        typer.echo(explain.rule_page(_find_rule(rs, doc), rs), nl=False)
    elif markdown:
        typer.echo(explain.catalog_markdown(rs), nl=False)
    elif as_json:
        typer.echo(json.dumps([{"id": r.id, "scope": r.scope, "stage": r.stage, "kind": r.kind,
                                "description": r.description, "file": r.path} for r in rs.rules],
                              ensure_ascii=False, indent=1))
    else:
        for r in rs.rules:
            typer.echo(f"{r.id:48} {r.scope:14} {r.stage:10} {r.description.splitlines()[0]}")


def _find_rule(rs, rule_id: str):
    try:
        return rs.by_id(rule_id)
    except KeyError:
        near = [r.id for r in rs.rules if r.id.startswith(rule_id) or rule_id in r.id][:10]
        hint = f"; did you mean: {', '.join(near)}" if near else "; see `cleaner rules`"
        typer.echo(f"error: no rule {rule_id!r}{hint}", err=True)
        raise typer.Exit(2)


def _rule_stats(inputs: list[str], jobs: int) -> dict:
    from .explain import rule_stats

    failed = [0]

    def per_file():
        items = enumerate(iter_items(inputs, "raw", "text", "id"))
        for outcomes in map_outcomes(items, Options(), jobs=jobs):
            for o in outcomes:
                if o.reject:
                    failed[0] += 1
                    typer.echo(f"error: {o.reject['source']}: {o.reject['reason']}", err=True)
                else:
                    yield o.rule_counts

    report = rule_stats(per_file(), load_rules())
    report["failed"] = failed[0]
    return report


# -- check / fix -----------------------------------------------------------------------------

def _plans(inputs: list[str], options: Options) -> Iterator[Plan]:
    """One plan per input file, sorted by path; unreadable inputs become E-READ findings."""
    entries = sorted(expand_inputs(inputs), key=lambda e: e[0] if isinstance(e, tuple) else e)
    for entry in entries:
        if isinstance(entry, tuple):
            yield Plan(entry[0], [Finding(entry[0], 1, 1, "E-READ", entry[1])], error=entry[1])
            continue
        try:
            data = read_bytes(entry)
        except InputError as exc:
            reason = str(exc).removeprefix(f"{entry}: ")
            yield Plan(entry, [Finding(entry, 1, 1, "E-READ", reason)], error=reason)
            continue
        yield plan_file(entry, data, options=options)


def _script_option(script: str) -> Options:
    if script not in ("simplified", "traditional", "keep"):
        raise typer.BadParameter("--script must be simplified, traditional or keep")
    return Options(script=script)


@app.command()
def check(
    inputs: List[str] = typer.Argument(..., help="Files or directories (recursive)."),
    fmt: str = typer.Option("text", "--format", help="text (path:line:col: RULE message), json or github."),
    script: str = typer.Option("simplified", "--script", help="simplified, traditional or keep."),
) -> None:
    """Report what cleaning would change in each file; exit 1 when any file is not one clean speech."""
    if fmt not in ("text", "json", "github"):
        raise typer.BadParameter("--format must be text, json or github")
    findings = [f for plan in _plans(inputs, _script_option(script)) for f in plan.findings]
    if fmt == "json":
        typer.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        for f in findings:
            typer.echo(f.github() if fmt == "github" else f.text())
    if findings:
        raise typer.Exit(1)


@app.command()
def fix(
    inputs: List[str] = typer.Argument(..., help="Files or directories (recursive)."),
    script: str = typer.Option("simplified", "--script", help="simplified, traditional or keep."),
) -> None:
    """Rewrite each file as its clean speech; a compilation becomes <stem>.<index>.txt files."""
    failed = False
    for plan in _plans(inputs, _script_option(script)):
        if plan.error or (plan.changed and plan.path == "-"):
            typer.echo(f"error: {plan.path}: {plan.error or 'cannot rewrite stdin'}", err=True)
            failed = True
        elif plan.changed:
            failed |= not _apply(plan)
    if failed:
        raise typer.Exit(1)


def _apply(plan: Plan) -> bool:
    """Write a plan's files (atomically) and say what was done; False when it had to stop."""
    if plan.path.endswith((".gz", ".zst")):
        typer.echo(f"error: {plan.path}: compressed; fix rewrites plain text files only", err=True)
        return False
    for out in plan.outputs:
        if out.path != plan.path and os.path.exists(out.path) \
                and Path(out.path).read_bytes() != out.text.encode("utf-8"):
            typer.echo(f"error: {plan.path}: {out.path} exists and differs; not overwritten", err=True)
            return False
    for out in plan.outputs:
        write_atomic(Path(out.path), out.text)
    if plan.remove_original:
        os.unlink(plan.path)
        typer.echo(f"split {plan.path} -> {', '.join(o.path for o in plan.outputs)} "
                   f"({plan.edits} edits; {plan.path} removed)")
    else:
        typer.echo(f"fixed {plan.path} ({plan.edits} edits)")
    return True


# -- explain ---------------------------------------------------------------------------------

@app.command()
def explain(
    file: str = typer.Argument(..., help="The page to show."),
    rule: Optional[str] = typer.Option(None, "--rule", metavar="PREFIX",
                                       help="Mark only edits of rules whose id starts with PREFIX."),
    plain: bool = typer.Option(False, "--plain", help="Plain text markers even on a terminal."),
    script: str = typer.Option("simplified", "--script", help="simplified, traditional or keep."),
) -> None:
    """Show a page with every edit marked (rule id beside it) and where each speech starts."""
    from . import explain as ex

    try:
        result = clean_bytes(read_bytes(file), source=file, options=_script_option(script))
    except (InputError, DecodeError) as exc:
        typer.echo(f"error: {file}: {str(exc).removeprefix(f'{file}: ')}", err=True)
        raise typer.Exit(1)
    pieces = ex.marked_page(result, rule)
    typer.echo(ex.page_summary(result, ex.shown_edits(result, rule)))
    if plain or not sys.stdout.isatty():
        typer.echo(ex.render_plain(pieces), nl=False)
    else:
        from rich.console import Console
        Console(highlight=False).print(ex.render_rich(pieces), soft_wrap=True, end="")
    typer.echo("")


if __name__ == "__main__":
    app()
