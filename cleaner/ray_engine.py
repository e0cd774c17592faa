"""Distributed runs on Ray (Ray Data): the ``--engine ray`` executor and ``clean_dataset``.

Two entry points:

* :func:`run_ray` is what ``cleaner clean ... --engine ray [--address ADDR]`` calls. It cleans the
  same items the local engine would, on a Ray cluster (a local one is started when no address
  is given), and writes the same files, byte for byte: the outcomes are written as part files
  to ``OUT/.work`` by :class:`cleaner.batch.PartStore` and assembled by
  :func:`cleaner.batch.finish`, in input order, exactly as the local engine does. So a Ray run
  is resumable the same way (and a run started with one engine can be finished with the other).
* :func:`clean_dataset` maps the cleaner over a ``ray.data.Dataset`` inside a user's own Ray
  pipeline: one output row per speech.

Ray is an optional extra: ``import cleaner`` never imports it, and this module imports it only
when one of its functions runs (``pip install 'cleaner[ray]'``).

Inside the workers, every input goes through :func:`cleaner.batch.process_item` (the same code
as the local engine: never raises, a failure becomes a reject), and the rule catalog is loaded
once per worker process (``load_rules()`` is cached).
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .batch import CHUNK_BYTES, CHUNK_ITEMS, Outcome, PartStore, Summary, finish, process_item
from .context import Options
from .io import Item, dumps, write_atomic

__all__ = ["run_ray", "map_outcomes_ray", "clean_dataset", "to_record", "ray_session",
           "SPEECH_COLUMNS", "OPTIONAL_FIELDS", "RAY_MISSING"]

RAY_MISSING = "the Ray engine needs the 'ray' extra: pip install 'cleaner[ray]'"

#: How much input the driver hands to Ray at a time (one Ray Data execution per wave). Results
#: come back while a wave runs and are written as part files as soon as they are in order.
WAVE_ITEMS = 16384
WAVE_BYTES = 256 << 20


def _import_ray():
    """``ray`` and ``ray.data``, or an ImportError that says how to install them."""
    try:
        import ray
        import ray.data  # noqa: F401  (Ray Data is the 'data' extra of ray)
    except ImportError as exc:
        raise ImportError(RAY_MISSING) from exc
    return ray


# ---------------------------------------------------------------------------------------------
# Ray session
# ---------------------------------------------------------------------------------------------

@contextmanager
def ray_session(address: str | None = None, num_cpus: int | None = None):
    """Connect to ``address`` (a running cluster: ``auto``, ``HOST:PORT``, ``ray://HOST:PORT``;
    without one, ``$RAY_ADDRESS`` when set), or else start a private, quiet local Ray instance
    with ``num_cpus`` CPUs (default: all cores). A Ray that is already initialized in this process
    is used as it is. What this opened, it closes (a cluster it connected to keeps running)."""
    ray = _import_ray()
    started = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
        if address is None and not os.environ.get("RAY_ADDRESS"):
            # a private local instance ("local": even when another one runs on this machine),
            # with no dashboard and no usage reporting: just the workers
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            address = "local"
            kwargs.update(num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False)
        ray.init(address=address, **kwargs)
        started = True
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


@contextmanager
def _quiet_data():
    """No progress bars or per-execution log lines from Ray Data on the driver while we run."""
    import ray.data

    ctx = ray.data.DataContext.get_current()
    saved = {}
    for name, value in (("enable_progress_bars", False), ("print_on_execution_start", False),
                        ("enable_auto_log_stats", False), ("verbose_stats_logs", False)):
        if hasattr(ctx, name):
            saved[name] = getattr(ctx, name)
            setattr(ctx, name, value)
    logger = logging.getLogger("ray.data")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
        for name, value in saved.items():
            setattr(ctx, name, value)


def _from_items(ray, rows: list[dict], blocks: int):
    try:
        return ray.data.from_items(rows, override_num_blocks=blocks)
    except TypeError:  # Ray < 2.10
        return ray.data.from_items(rows, parallelism=blocks)


# ---------------------------------------------------------------------------------------------
# The --engine ray executor
# ---------------------------------------------------------------------------------------------

def _item_row(index: int, item: Item) -> dict:
    """One input as an Arrow-friendly row: no nulls, so every block has the same schema."""
    if item.data is not None:
        data, is_text = item.data, False
    else:
        data, is_text = (item.text or "").encode("utf-8", "surrogatepass"), item.text is not None
    return {"index": index, "source": item.source, "data": data, "is_text": is_text,
            "meta": json.dumps(item.meta), "error": json.dumps(item.error)}


def _row_item(row: dict) -> Item:
    data = row["data"]
    if row["is_text"]:
        return Item(source=row["source"], text=data.decode("utf-8", "surrogatepass"),
                    meta=json.loads(row["meta"]), error=json.loads(row["error"]))
    return Item(source=row["source"], data=data, meta=json.loads(row["meta"]),
                error=json.loads(row["error"]))


def _outcome_json(o: Outcome) -> str:
    # ASCII JSON: exact round trip for any str (lone surrogates included) through Arrow's UTF-8
    return json.dumps({"source": o.source, "sha256": o.sha256, "speeches": o.speeches,
                       "audit": o.audit, "reject": o.reject, "bytes_in": o.bytes_in,
                       "bytes_out": o.bytes_out, "rule_counts": o.rule_counts})


def _outcome_from(index: int, text: str) -> Outcome:
    d = json.loads(text)
    return Outcome(index, d["source"], d["sha256"], speeches=d["speeches"], audit=d["audit"],
                   reject=d["reject"], bytes_in=d["bytes_in"], bytes_out=d["bytes_out"],
                   rule_counts=d["rule_counts"])


def _clean_rows(batch, *, options: Options, timeout: float, audit: bool):
    """Ray Data UDF (runs in the workers): input rows -> (index, outcome as JSON)."""
    import pyarrow as pa

    indexes, outcomes = [], []
    for row in batch.to_pylist():
        o = process_item(row["index"], _row_item(row), options, timeout, audit)
        indexes.append(row["index"])
        outcomes.append(_outcome_json(o))
    return pa.table({"index": pa.array(indexes, pa.int64()),
                     "outcome": pa.array(outcomes, pa.large_string())})


def _waves(pairs: Iterable[tuple[int, Item]], wave_items: int, wave_bytes: int
           ) -> Iterator[list[tuple[int, Item]]]:
    wave, size = [], 0
    for pair in pairs:
        wave.append(pair)
        size += len(pair[1].data or b"") + len((pair[1].text or "").encode("utf-8", "surrogatepass"))
        if len(wave) >= wave_items or size >= wave_bytes:
            yield wave
            wave, size = [], 0
    if wave:
        yield wave


def _cluster_cpus(ray) -> int:
    try:
        return max(1, int(ray.cluster_resources().get("CPU", 1)))
    except Exception:
        return 1


def map_outcomes_ray(items: Iterable[tuple[int, Item]], options: Options, *, timeout: float = 60.0,
                     audit: bool = False, wave_items: int = WAVE_ITEMS,
                     wave_bytes: int = WAVE_BYTES) -> Iterator[list[Outcome]]:
    """Like :func:`cleaner.batch.map_outcomes`, on the Ray cluster this process is connected to:
    outcomes in chunks, in input order. Needs ``ray.init()`` (see :func:`ray_session`)."""
    ray = _import_ray()
    cpus = _cluster_cpus(ray)
    for wave in _waves(items, wave_items, wave_bytes):
        rows = [_item_row(i, item) for i, item in wave]
        total = sum(len(r["data"]) for r in rows)
        blocks = max(math.ceil(len(rows) / CHUNK_ITEMS), math.ceil(total / CHUNK_BYTES),
                     min(len(rows), 2 * cpus))
        blocks = max(1, min(len(rows), blocks))
        ds = _from_items(ray, rows, blocks)
        del rows
        ds = ds.map_batches(_clean_rows, batch_format="pyarrow", batch_size=None,
                            fn_kwargs={"options": options, "timeout": timeout, "audit": audit})
        order = [i for i, _ in wave]
        del wave
        pending: dict[int, Outcome] = {}
        k, chunk, size = 0, [], 0
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
            for index, text in zip(batch.column("index").to_pylist(), batch.column("outcome").to_pylist()):
                pending[index] = _outcome_from(index, text)
            while k < len(order) and order[k] in pending:
                o = pending.pop(order[k])
                k += 1
                chunk.append(o)
                size += o.bytes_in
                if len(chunk) >= CHUNK_ITEMS or size >= CHUNK_BYTES:
                    yield chunk
                    chunk, size = [], 0
        if k != len(order):  # pragma: no cover - Ray lost rows: never write partial output
            raise RuntimeError(f"Ray returned {k} of {len(order)} inputs")
        if chunk:
            yield chunk


def run_ray(items: Iterable[Item], out: Path | str, options: Options | None = None, *,
            audit: bool = False, fmt: str = "jsonl", shard_size: int = 0, timeout: float = 60.0,
            address: str | None = None, num_cpus: int | None = None,
            progress: Callable[[Summary], None] | None = None, stream=None,
            reject_to=None) -> Summary:
    """``cleaner clean --engine ray``: the local engine's outputs, computed on Ray.

    ``out`` is the output folder (``speeches.jsonl``/shards, ``audit.jsonl``, ``rejects.jsonl``,
    ``summary.json``, resumable through ``OUT/.work``), or ``-`` for speech records as JSONL on
    ``stream`` (default stdout) with rejects on ``reject_to`` (default stderr). ``address`` is a
    running cluster; without it a local Ray instance with ``num_cpus`` CPUs is started and shut
    down at the end. When Ray is not installed this exits with a one-line error (it is the CLI's
    entry point; library code wants :func:`map_outcomes_ray` or :func:`clean_dataset`)."""
    try:
        _import_ray()
    except ImportError as exc:
        raise SystemExit(f"error: {exc}")
    options = options or Options()
    with ray_session(address, num_cpus), _quiet_data():
        if str(out) == "-":
            return _stream(items, options, timeout=timeout, stream=stream or sys.stdout,
                           reject_to=reject_to if reject_to is not None else sys.stderr)
        out = Path(out)
        store = PartStore(out)
        summary = Summary()
        start = _now()

        def todo() -> Iterator[tuple[int, Item]]:
            for i, item in enumerate(items):
                raw = item.data if item.data is not None else (item.text or "").encode("utf-8", "surrogatepass")
                if item.error is None and store.is_done(item.source, hashlib.sha256(raw).hexdigest()):
                    summary.skipped += 1
                    continue
                yield i, item

        for outcomes in map_outcomes_ray(todo(), options, timeout=timeout, audit=audit):
            store.write(outcomes)
            for o in outcomes:
                summary.add(o)
            summary.seconds = _now() - start
            if progress:
                progress(summary)
        store.totals(summary)
        finish(store, out, audit=audit, fmt=fmt, shard_size=shard_size)
        summary.seconds = _now() - start
        write_atomic(out / "summary.json",
                     json.dumps(summary.to_json(), ensure_ascii=False, indent=1) + "\n")
        store.clear()
        return summary


def _stream(items: Iterable[Item], options: Options, *, timeout: float, stream, reject_to) -> Summary:
    summary = Summary()
    for outcomes in map_outcomes_ray(enumerate(items), options, timeout=timeout):
        for o in outcomes:
            summary.add(o)
            for rec in o.speeches:
                stream.write(dumps(rec))
            if o.reject and reject_to is not None:
                reject_to.write(f"{o.reject['source']}: {o.reject['reason']}\n")
        stream.flush()
    return summary


def _now() -> float:
    import time
    return time.monotonic()


# ---------------------------------------------------------------------------------------------
# clean_dataset: the cleaner as a step of a user's Ray Data pipeline
# ---------------------------------------------------------------------------------------------

#: The columns of :func:`clean_dataset`'s output, in order. ``document`` and ``meta`` are JSON
#: strings (their keys vary from page to page, which Arrow blocks cannot hold as structs);
#: :func:`to_record` turns a row back into the CLI's speech record.
SPEECH_COLUMNS = ("id", "source", "source_sha256", "encoding", "site", "document", "index", "count",
                  "title", "speaker", "date", "text", "span", "warnings", "rules_version",
                  "duplicate_of", "conversion", "decode_errors", "meta", "error")
#: Fields of the speech record that it holds only when set (null columns here).
OPTIONAL_FIELDS = ("duplicate_of", "conversion", "decode_errors", "meta")


def _speech_schema():
    import pyarrow as pa

    s, i = pa.string(), pa.int64()
    return pa.schema([("id", s), ("source", s), ("source_sha256", s), ("encoding", s), ("site", s),
                      ("document", pa.large_string()), ("index", i), ("count", i), ("title", s),
                      ("speaker", s), ("date", s), ("text", pa.large_string()),
                      ("span", pa.list_(i)), ("warnings", pa.list_(s)), ("rules_version", s),
                      ("duplicate_of", i), ("conversion", s), ("decode_errors", s),
                      ("meta", pa.large_string()), ("error", s)])


def _json_default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):      # numpy scalars and arrays
        return value.tolist()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _clean_dataset_rows(batch, *, text_column: str, id_column: str | None, meta_columns,
                        options: Options, timeout: float, errors: str):
    """Ray Data UDF (runs in the workers): input rows -> one row per speech."""
    import pyarrow as pa

    names = batch.column_names
    if text_column not in names:
        raise KeyError(f"clean_dataset: no column {text_column!r} (columns: {names})")
    if id_column is not None and id_column not in names:
        raise KeyError(f"clean_dataset: no column {id_column!r} (columns: {names}); "
                       "pass id_column=None to name the inputs by their sha256")
    keep = [c for c in names if c != text_column] if meta_columns is None else list(meta_columns)
    out: list[dict] = []
    for n, row in enumerate(batch.to_pylist()):
        value = row[text_column]
        meta = {c: row[c] for c in keep if c in row} or None
        if meta is not None:  # JSON-native values, so the record is what the CLI would write
            meta = json.loads(json.dumps(meta, default=_json_default))
        if isinstance(value, str):
            raw = value.encode("utf-8", "surrogatepass")
        elif isinstance(value, (bytes, bytearray)):
            raw = value = bytes(value)
        else:
            raw = b""
        if id_column is not None and row[id_column] is not None:
            source = str(row[id_column])
        else:
            source = hashlib.sha256(raw).hexdigest()[:16]
        if isinstance(value, str):
            item = Item(source=source, text=value, meta=meta)
        elif isinstance(value, bytes):
            item = Item(source=source, data=value, meta=meta)
        else:
            item = Item(source=source, meta=meta,
                        error=f"column {text_column!r} holds {type(value).__name__}, not text or bytes")
        o = process_item(n, item, options, timeout, False)
        if o.reject:
            if errors == "raise":
                raise ValueError(f"{o.reject['source']}: {o.reject['reason']}")
            if errors == "keep":
                out.append({"source": o.source, "source_sha256": o.sha256, "error": o.reject["reason"],
                            "meta": json.dumps(meta, ensure_ascii=False) if meta else None})
            continue
        for rec in o.speeches:
            unknown = set(rec) - set(SPEECH_COLUMNS)
            if unknown:  # a field added to cleaner.records must be given a column here
                raise RuntimeError(f"clean_dataset has no column for the record field(s) {sorted(unknown)}")
            row_out = dict(rec)
            row_out["document"] = json.dumps(rec["document"], ensure_ascii=False)
            row_out["meta"] = json.dumps(rec["meta"], ensure_ascii=False) if "meta" in rec else None
            out.append(row_out)
    schema = _speech_schema()
    return pa.Table.from_pylist(out, schema=schema)


def clean_dataset(ds, text_column: str = "text", id_column: str | None = "id",
                  options: Options | None = None, *, meta_columns: Iterable[str] | None = None,
                  errors: str = "skip", timeout: float = 60.0, batch_size: int = 16,
                  **map_batches_kwargs):
    """Clean every row of a ``ray.data.Dataset``: returns a lazy Dataset with one row per speech.

    ``text_column`` holds the page: ``str`` (already decoded text, like a JSONL field) or
    ``bytes`` (a raw page in any supported encoding, e.g. the ``bytes`` column of
    ``ray.data.read_binary_files``). ``id_column`` names the input (it becomes ``source``, and
    the record ids are ``<stem>#<index>``); with ``None`` an input is named by the first 16 hex
    digits of its sha256. The other columns (or only ``meta_columns``) are carried through
    under ``meta``, like the CLI's ``--input-format jsonl``.

    Output columns: :data:`SPEECH_COLUMNS` — the fields of the CLI's speech record, with
    ``document`` and ``meta`` as JSON strings, plus ``error``. ``errors`` says what an input that
    cannot be cleaned (undecodable, empty, too slow) becomes: ``"skip"`` (no row), ``"keep"``
    (one row with ``source``, ``source_sha256``, ``meta`` and the reason in ``error``, the speech
    columns null) or ``"raise"`` (the Ray task, and so the pipeline, fails). The rows come in no
    particular order unless the pipeline preserves order
    (``DataContext.get_current().execution_options.preserve_order = True``).

    Extra keyword arguments go to ``Dataset.map_batches`` (e.g. ``concurrency``, ``num_cpus``).
    """
    _import_ray()
    if errors not in ("skip", "keep", "raise"):
        raise ValueError("errors must be 'skip', 'keep' or 'raise'")
    fn_kwargs = {"text_column": text_column, "id_column": id_column,
                 "meta_columns": None if meta_columns is None else tuple(meta_columns),
                 "options": options or Options(), "timeout": timeout, "errors": errors}
    return ds.map_batches(_clean_dataset_rows, batch_format="pyarrow", batch_size=batch_size,
                          fn_kwargs=fn_kwargs, **map_batches_kwargs)


def to_record(row: dict) -> dict:
    """A :func:`clean_dataset` row as the speech record ``cleaner clean`` writes: ``document``
    and ``meta`` parsed, the :data:`OPTIONAL_FIELDS` only when set, no ``error``."""
    rec = {k: row[k] for k in SPEECH_COLUMNS
           if k not in OPTIONAL_FIELDS and k != "error" and k in row}
    rec["document"] = json.loads(row["document"]) if row.get("document") is not None else None
    for key in ("index", "count"):
        if rec.get(key) is not None:
            rec[key] = int(rec[key])
    rec["span"] = [int(x) for x in rec["span"]] if rec.get("span") is not None else None
    rec["warnings"] = [str(w) for w in rec["warnings"]] if rec.get("warnings") is not None else []
    if row.get("duplicate_of") is not None:
        rec["duplicate_of"] = int(row["duplicate_of"])
    for key in ("conversion", "decode_errors"):
        if row.get(key) is not None:
            rec[key] = row[key]
    if row.get("meta") is not None:
        rec["meta"] = json.loads(row["meta"])
    return rec
