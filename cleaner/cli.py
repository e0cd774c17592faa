"""The command line: ``cleaner clean``, ``cleaner rules``, ``cleaner --version``."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from . import __version__
from .batch import Summary, run_batch, stream_to
from .context import Options
from .io import InputError, Item, expand_inputs, read_bytes
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


def iter_items(inputs: list[str], input_format: str, text_field: str, id_field: str) -> Iterator[Item]:
    for entry in expand_inputs(inputs):
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
    for n, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
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


def _progress_printer(total_hint: int | None):
    last = [0.0]
    tty = sys.stderr.isatty()

    def show(s: Summary) -> None:
        if s.seconds - last[0] < (0.5 if tty else 10):
            return
        last[0] = s.seconds
        rate = s.bytes_in / max(s.seconds, 1e-9) / 1e6
        line = f"{s.files} files, {s.speeches} speeches, {s.failures} failed, {rate:.1f} MB/s"
        typer.echo(("\r" + line) if tty else line, err=True, nl=not tty)
    return show


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
) -> None:
    """Clean pages into speeches: OUT/speeches.jsonl (+ audit.jsonl, rejects.jsonl, summary.json)."""
    if fmt not in ("jsonl", "txt"):
        raise typer.BadParameter("--format must be jsonl or txt")
    if script not in ("simplified", "traditional", "keep"):
        raise typer.BadParameter("--script must be simplified, traditional or keep")
    options = Options(script=script, keep_duplicates=keep_duplicates)
    jobs = jobs or os.cpu_count() or 1
    fmt_in = "jsonl" if input_format == "jsonl" else "raw"
    items = iter_items(inputs, fmt_in, text_field, id_field)
    if engine == "ray":
        from .ray_engine import run_ray  # optional extra
        summary = run_ray(items, Path(out), options, audit=audit, fmt=fmt, shard_size=shard_size,
                          timeout=timeout, address=address)
    elif engine != "local":
        raise typer.BadParameter("--engine must be local or ray")
    elif out == "-":
        summary = stream_to(sys.stdout, items, options, jobs=jobs, timeout=timeout, reject_to=sys.stderr)
    else:
        summary = run_batch(items, Path(out), options, jobs=jobs, audit=audit, fmt=fmt,
                            shard_size=shard_size, timeout=timeout, progress=_progress_printer(None))
        if sys.stderr.isatty():
            typer.echo("", err=True)
        for rej in summary.rejects:
            typer.echo(f"error: {rej['source']}: {rej['reason']}", err=True)
    typer.echo(f"{summary.files} files, {summary.speeches} speeches, {summary.failures} failed, "
               f"{summary.bytes_in} bytes in, {summary.bytes_out} bytes out", err=True)
    if summary.failures:
        raise typer.Exit(1)


@app.command("rules")
def rules_cmd(as_json: bool = typer.Option(False, "--json", help="Machine-readable list.")) -> None:
    """List the rules: id, scope, stage and description."""
    rs = load_rules()
    if as_json:
        typer.echo(json.dumps([{"id": r.id, "scope": r.scope, "stage": r.stage, "kind": r.kind,
                                "description": r.description, "file": r.path} for r in rs.rules],
                              ensure_ascii=False, indent=1))
        return
    for r in rs.rules:
        typer.echo(f"{r.id:48} {r.scope:14} {r.stage:10} {r.description.splitlines()[0]}")


if __name__ == "__main__":
    app()
