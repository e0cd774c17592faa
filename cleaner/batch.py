"""The batch executor: stream inputs through worker processes, write ordered, resumable output.

Work is cut into chunks in input order. Each finished chunk becomes one part file under
``OUT/.work/``, written atomically and listing the inputs it covers by sha256. A run that is
killed and started again with the same arguments skips inputs already in a part, so nothing is
done twice and nothing is lost; the final files are assembled from the parts (in input order,
so 1 and N jobs give byte-identical output) and renamed into place at the end.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import clean_bytes, clean_text
from .context import Options
from .io import InputError, Item, dumps, write_atomic
from .records import audit_record, speech_records
from .rules import load_rules

CHUNK_ITEMS = 32
CHUNK_BYTES = 4 << 20


@dataclass
class Outcome:
    """What one input produced: its records, or the reason it was rejected."""

    index: int
    source: str
    sha256: str
    speeches: list[dict] = field(default_factory=list)
    audit: dict | None = None
    reject: dict | None = None
    bytes_in: int = 0
    bytes_out: int = 0
    rule_counts: dict = field(default_factory=dict)


def item_bytes(item: Item) -> bytes:
    """The raw bytes an input stands for (a JSONL text re-encoded; lone surrogates kept as
    surrogate escapes so a broken record is rejected, not fatal)."""
    if item.data is not None:
        return item.data
    return (item.text or "").encode("utf-8", errors="surrogatepass")


class DocumentTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise DocumentTimeout()


def process_item(index: int, item: Item, options: Options, timeout: float, audit: bool) -> Outcome:
    """Clean one input; never raises: a failure becomes a reject naming the input and reason."""
    raw = item_bytes(item)
    sha = hashlib.sha256(raw).hexdigest()
    out = Outcome(index, item.source, sha, bytes_in=len(raw))
    if item.error:
        out.reject = {"source": item.source, "reason": item.error}
        return out
    if item.text is not None and any("\ud800" <= c <= "\udfff" for c in item.text):
        out.reject = {"source": item.source, "sha256": sha, "reason": "text holds lone surrogates (not valid Unicode)"}
        return out
    rules = load_rules()
    use_alarm = timeout > 0 and hasattr(signal, "setitimer")
    if use_alarm:
        old = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        if item.text is not None:
            result = clean_text(item.text, source=item.source, options=options, rules=rules)
            result.encoding, result.source_sha256 = "utf-8", sha
        else:
            result = clean_bytes(raw, source=item.source, options=options, rules=rules)
    except DocumentTimeout:
        out.reject = {"source": item.source, "sha256": sha, "reason": f"took longer than {timeout:g} s"}
        return out
    except ValueError as exc:  # DecodeError and other input problems
        out.reject = {"source": item.source, "sha256": sha, "reason": str(exc)}
        return out
    except Exception as exc:  # a bug must not cost the rest of the batch
        out.reject = {"source": item.source, "sha256": sha,
                      "reason": f"internal error: {exc.__class__.__name__}: {exc}"}
        return out
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
    out.speeches = speech_records(result, rules.digest, item.meta, keep_id=item.text is not None)
    out.bytes_out = sum(len(r["text"].encode("utf-8")) for r in out.speeches)
    out.rule_counts = dict(result.rule_counts)
    if audit:
        out.audit = audit_record(result, rules.digest)
    return out


def _process_chunk(args) -> list[Outcome]:
    chunk, options, timeout, audit = args
    return [process_item(i, item, options, timeout, audit) for i, item in chunk]


@dataclass
class Summary:
    files: int = 0
    skipped: int = 0
    speeches: int = 0
    failures: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    seconds: float = 0.0
    rule_counts: Counter = field(default_factory=Counter)
    rejects: list[dict] = field(default_factory=list)

    def add(self, o: Outcome) -> None:
        self.files += 1
        self.bytes_in += o.bytes_in
        self.bytes_out += o.bytes_out
        self.speeches += len(o.speeches)
        self.rule_counts.update(o.rule_counts)
        if o.reject:
            self.failures += 1
            self.rejects.append(o.reject)

    def to_json(self) -> dict:
        return {"files": self.files, "skipped_done": self.skipped, "speeches": self.speeches,
                "failures": self.failures, "bytes_in": self.bytes_in, "bytes_out": self.bytes_out,
                "seconds": round(self.seconds, 3),
                "rule_counts": dict(sorted(self.rule_counts.items()))}


def chunked(items: Iterable[tuple[int, Item]]) -> Iterator[list[tuple[int, Item]]]:
    chunk, size = [], 0
    for pair in items:
        chunk.append(pair)
        item = pair[1]
        size += len(item_bytes(item))
        if len(chunk) >= CHUNK_ITEMS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def map_outcomes(items: Iterable[tuple[int, Item]], options: Options, *, jobs: int = 1,
                 timeout: float = 60.0, audit: bool = False) -> Iterator[list[Outcome]]:
    """Outcomes chunk by chunk, in input order, from ``jobs`` worker processes."""
    tasks = ((chunk, options, timeout, audit) for chunk in chunked(items))
    if jobs <= 1:
        load_rules()
        for task in tasks:
            yield _process_chunk(task)
        return
    ctx = get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(jobs, initializer=load_rules) as pool:
        yield from pool.imap(_process_chunk, tasks, chunksize=1)


class PartStore:
    """The ``OUT/.work`` folder: finished chunks as atomic part files, and what they cover."""

    def __init__(self, out: Path):
        self.dir = out / ".work"
        self.dir.mkdir(parents=True, exist_ok=True)
        for tmp in list(self.dir.glob(".*.tmp")) + list(out.glob(".*.tmp")):
            tmp.unlink(missing_ok=True)  # left by a run killed mid-write
        self.done: set[tuple[str, str]] = set()
        self.parts = sorted(self.dir.glob("part-*.jsonl"))
        for rec in self.records("done", whole=True):
            self.done.add((rec["source"], rec["sha256"]))
        self.next_no = len(self.parts)

    def is_done(self, source: str, sha: str) -> bool:
        return (source, sha) in self.done

    def write(self, outcomes: list[Outcome]) -> None:
        lines = []
        for o in outcomes:
            for rec in o.speeches:
                lines.append(dumps({"kind": "speech", "record": rec}))
            if o.audit:
                lines.append(dumps({"kind": "audit", "record": o.audit}))
            if o.reject:
                lines.append(dumps({"kind": "reject", "record": o.reject}))
            lines.append(dumps({"kind": "done", "source": o.source, "sha256": o.sha256,
                                "stats": {"bytes_in": o.bytes_in, "bytes_out": o.bytes_out,
                                          "speeches": len(o.speeches), "rules": o.rule_counts,
                                          "failed": bool(o.reject)}}))
        path = self.dir / f"part-{self.next_no:08d}.jsonl"
        write_atomic(path, lines)
        self.parts.append(path)
        self.next_no += 1

    def totals(self, summary: "Summary") -> None:
        """Totals over every part: they include the inputs an interrupted run already finished."""
        summary.files = summary.speeches = summary.failures = 0
        summary.bytes_in = summary.bytes_out = 0
        summary.rule_counts = Counter()
        summary.rejects = list(self.records("reject"))
        for rec in self.records("done", whole=True):
            st = rec["stats"]
            summary.files += 1
            summary.speeches += st["speeches"]
            summary.failures += st["failed"]
            summary.bytes_in += st["bytes_in"]
            summary.bytes_out += st["bytes_out"]
            summary.rule_counts.update(st["rules"])

    def records(self, kind: str, whole: bool = False) -> Iterator[dict]:
        for line in self._lines(kind):
            rec = json.loads(line)
            yield rec if whole else rec["record"]

    def record_lines(self, kind: str) -> Iterator[str]:
        """The records of ``kind`` as the JSON lines :func:`dumps` made of them, cut out of the
        part lines without parsing them again (the parent of a many-job run does this work
        alone, for every record)."""
        head = f'{{"kind": "{kind}", "record": '
        for line in self._lines(kind):
            if line.startswith(head) and line.endswith("}\n"):
                yield line[len(head):-2] + "\n"
            else:  # not the layout PartStore.write gives: parse it
                yield dumps(json.loads(line)["record"])

    def _lines(self, kind: str) -> Iterator[str]:
        """The part lines of ``kind``; the kind is the first key, so no line is parsed to know it."""
        head = f'{{"kind": "{kind}"'
        for part in self.parts:
            with part.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith(head):
                        yield line

    def clear(self) -> None:
        for part in list(self.dir.iterdir()):
            part.unlink(missing_ok=True)
        try:
            self.dir.rmdir()
        except OSError:
            pass


def finish(store: PartStore, out: Path, *, audit: bool, fmt: str, shard_size: int) -> None:
    """Assemble the final files from the parts and rename them into place (first removing
    shards a previous run in the same folder left, so none is stale)."""
    for stale in out.glob("speeches-*.jsonl"):
        stale.unlink()
    if fmt == "txt":
        for rec in store.records("speech"):
            write_atomic(out / "txt" / (rec["id"].replace("#", "_") + ".txt"), rec["text"] + "\n")
    speeches = store.record_lines("speech")
    if shard_size > 0:
        shard, n = [], 0
        for line in speeches:
            shard.append(line)
            if len(shard) >= shard_size:
                write_atomic(out / f"speeches-{n:05d}.jsonl", shard)
                shard, n = [], n + 1
        if shard or n == 0:
            write_atomic(out / f"speeches-{n:05d}.jsonl", shard)
    else:
        write_atomic(out / "speeches.jsonl", speeches)
    if audit:
        write_atomic(out / "audit.jsonl", store.record_lines("audit"))
    write_atomic(out / "rejects.jsonl", store.record_lines("reject"))


def run_batch(items: Iterable[Item], out: Path, options: Options, *, jobs: int = 1, audit: bool = False,
              fmt: str = "jsonl", shard_size: int = 0, timeout: float = 60.0,
              progress: Callable[[Summary], None] | None = None) -> Summary:
    store = PartStore(out)
    summary = Summary()
    start = time.monotonic()

    def todo() -> Iterator[tuple[int, Item]]:
        for i, item in enumerate(items):
            if store.is_done(item.source, hashlib.sha256(item_bytes(item)).hexdigest()):
                summary.skipped += 1
                continue
            yield i, item

    for outcomes in map_outcomes(todo(), options, jobs=jobs, timeout=timeout, audit=audit):
        store.write(outcomes)
        for o in outcomes:
            summary.add(o)
        summary.seconds = time.monotonic() - start
        if progress:
            progress(summary)
    store.totals(summary)
    finish(store, out, audit=audit, fmt=fmt, shard_size=shard_size)
    summary.seconds = time.monotonic() - start
    write_atomic(out / "summary.json", json.dumps(summary.to_json(), ensure_ascii=False, indent=1) + "\n")
    store.clear()
    return summary


def stream_to(fh, items: Iterable[Item], options: Options, *, jobs: int = 1, timeout: float = 60.0,
              reject_to=None) -> Summary:
    """``-o -``: speech records as JSONL on a stream, in input order; rejects to ``reject_to``."""
    summary = Summary()
    for outcomes in map_outcomes(enumerate(items), options, jobs=jobs, timeout=timeout):
        for o in outcomes:
            summary.add(o)
            for rec in o.speeches:
                fh.write(dumps(rec))
            if o.reject and reject_to is not None:
                reject_to.write(f"error: {o.reject['source']}: {o.reject['reason']}\n")
        fh.flush()
    return summary
