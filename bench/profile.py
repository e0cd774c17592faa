#!/usr/bin/env python3
"""Profile the cleaner in-process over a sample of the benchmark corpus.

    .venv/bin/python bench/profile.py [--size-mb 5] [--top 30] [--save bench/results/profile.prof]

Builds (or reuses) a sample corpus of ``--size-mb`` MB (``bench/corpus/sample/``, same recipe
as bench/run.py) and cleans it in this process exactly as ``cleaner clean DIR -o OUT --jobs 1``
does (``cleaner.cli.iter_items`` + ``cleaner.batch.run_batch``), twice, after an untimed
warm-up on the first files:

1. with timers only: the time per pipeline stage and per batch (the stage's data rules as one
   batch, each fixer alone), the piece-table work (``Page.apply`` and the lazy joins behind
   ``Page.text`` / ``Page.folded``), decoding, site detection, building records and writing parts, measured by wrapping
   ``cleaner.pipeline._batches`` and a few functions *in this process only* (no file outside
   bench/ is touched);
2. under cProfile: the top functions by cumulative and by total (own) time.

The timings of pass 1 are the realistic ones (cProfile slows Python code unevenly).
"""
from __future__ import annotations

import sys
from pathlib import Path

# bench/ is sys.path[0] when this file runs as a script, and this file is called profile.py:
# import the standard library's profile (which cProfile needs) before bench/ can shadow it.
_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path.pop(0)
import cProfile  # noqa: E402
import pstats  # noqa: E402

sys.path.insert(0, str(_HERE))

import argparse  # noqa: E402
import io  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402

import build_corpus  # noqa: E402

import cleaner  # noqa: E402
import cleaner.batch as batch_mod  # noqa: E402
import cleaner.decode as decode_mod  # noqa: E402
import cleaner.pipeline as pipeline  # noqa: E402
import cleaner.provenance as provenance  # noqa: E402
from cleaner.cli import iter_items  # noqa: E402
from cleaner.context import Options  # noqa: E402
from cleaner.rules import STAGES, load_rules  # noqa: E402

SAMPLE = _HERE / "corpus" / "sample"


class StageTimer:
    """Wraps the pipeline's batches and a few functions with wall-clock timers."""

    def __init__(self):
        self.seconds: dict[tuple[str, str], float] = defaultdict(float)
        self.calls: dict[tuple[str, str], int] = defaultdict(int)
        self.stage = "(outside run)"
        self._undo: list = []

    def _add(self, key, dt):
        self.seconds[key] += dt
        self.calls[key] += 1

    def wrap_function(self, owner, name: str, key: tuple[str, str] | None = None, *, stage_key: str | None = None):
        orig = getattr(owner, name, None)
        if orig is None:  # the code moved on: time what is still there
            print(f"note: {getattr(owner, '__name__', owner)}.{name} not found, not timed", file=sys.stderr)
            return

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return orig(*args, **kwargs)
            finally:
                k = key or (self.stage, stage_key or name)
                self._add(k, time.perf_counter() - t)

        setattr(owner, name, timed)
        self._undo.append((owner, name, orig))

    def install(self) -> None:
        orig_batches = pipeline._batches
        timer = self

        def timed_batches(rules):
            stage = rules[0].stage if rules else "?"
            n_data = sum(1 for r in rules if r.kind != "fixer")
            names = ([f"data rules ({n_data})"] if n_data else []) + [f"fixer {r.id}" for r in rules if r.kind == "fixer"]
            for name, b in zip(names, orig_batches(rules)):
                timer.stage = stage  # work run() does between this yield and the call belongs here

                def wrapped(ctx, b=b, key=(stage, name)):
                    timer.stage = stage
                    t = time.perf_counter()
                    try:
                        return b(ctx)
                    finally:
                        timer._add(key, time.perf_counter() - t)
                yield wrapped

        pipeline._batches = timed_batches
        self._undo.append((pipeline, "_batches", orig_batches))

        # the piece table: Page.apply, and the lazy join behind Page.text
        self.wrap_function(provenance.Page, "apply", stage_key="piece table: Page.apply")
        for prop, cache in (("text", "_text"), ("folded", "_folded")):
            orig = provenance.Page.__dict__.get(prop)
            if isinstance(orig, property):
                def getter(page, _orig=orig, _cache=cache, _key=f"piece table: Page.{prop} join"):
                    if getattr(page, _cache, None) is not None:
                        return getattr(page, _cache)
                    t = time.perf_counter()
                    try:
                        return _orig.fget(page)
                    finally:
                        timer._add((timer.stage, _key), time.perf_counter() - t)
                setattr(provenance.Page, prop, property(getter))
                self._undo.append((provenance.Page, prop, orig))

        self.wrap_function(decode_mod, "decode", ("(page)", "decode bytes"))
        self.wrap_function(pipeline, "detect_site", ("(page)", "detect_site"))
        self.wrap_function(pipeline, "_result", ("(page)", "_result: speeches + edits"))
        self.wrap_function(batch_mod, "speech_records", ("(page)", "speech_records"))
        self.wrap_function(batch_mod.PartStore, "write", ("(batch)", "PartStore.write (parts, fsync)"))
        self.wrap_function(batch_mod, "finish", ("(batch)", "finish (assemble outputs)"))
        orig_run = cleaner.run  # the name clean_bytes calls

        def run(*args, **kwargs):
            self.stage = "(run start)"
            t = time.perf_counter()
            try:
                return orig_run(*args, **kwargs)
            finally:
                self._add(("(page)", "pipeline.run total"), time.perf_counter() - t)

        cleaner.run = run
        self._undo.append((cleaner, "run", orig_run))

        orig_process = batch_mod.process_item

        def process_item(*args, **kwargs):
            t = time.perf_counter()
            try:
                return orig_process(*args, **kwargs)
            finally:
                self.stage = "(outside run)"
                self._add(("(page)", "process_item total"), time.perf_counter() - t)

        batch_mod.process_item = process_item
        self._undo.append((batch_mod, "process_item", orig_process))

    def uninstall(self) -> None:
        for owner, name, orig in reversed(self._undo):
            setattr(owner, name, orig)
        self._undo.clear()


def clean_dir(folder: Path, files: list[str] | None = None) -> tuple[float, object]:
    """``cleaner clean FOLDER -o TMP --jobs 1``, in this process; (seconds, summary)."""
    out = Path(tempfile.mkdtemp(prefix="cleaner-profile-"))
    try:
        items = iter_items(files or [str(folder)], "raw", "text", "id")
        t = time.perf_counter()
        summary = batch_mod.run_batch(items, out, Options(), jobs=1)
        return time.perf_counter() - t, summary
    finally:
        shutil.rmtree(out, ignore_errors=True)


def stage_table(timer: StageTimer, total: float, mb: float) -> str:
    rows = []
    order = {s: i for i, s in enumerate(STAGES)}
    per_stage: dict[str, float] = defaultdict(float)
    for (stage, name), sec in timer.seconds.items():
        if stage in order:
            per_stage[stage] += sec
    rows.append(f"per stage (wall seconds over {mb:.1f} MB; % of the {total:.2f} s run; the stage's batches "
                f"plus the piece-table work they cause)")
    for stage in sorted(per_stage, key=lambda s: order[s]):
        rows.append(f"  {stage:<12} {per_stage[stage]:8.3f} s  {100 * per_stage[stage] / total:5.1f}%")
    in_run = timer.seconds.get(("(page)", "pipeline.run total"), 0.0)
    if in_run:
        other = in_run - sum(per_stage.values()) - timer.seconds.get(("(page)", "detect_site"), 0.0) \
            - timer.seconds.get(("(page)", "_result: speeches + edits"), 0.0) \
            - sum(v for (st, _), v in timer.seconds.items() if st == "(run start)")
        rows.append(f"  {'(rest of run)':<12} {other:8.3f} s  {100 * other / total:5.1f}%")
    rows.append("")
    rows.append("per batch (top 40 by time)")
    items = sorted(timer.seconds.items(), key=lambda kv: -kv[1])
    for (stage, name), sec in items[:40]:
        rows.append(f"  {stage:<14} {name:<52} {sec:8.3f} s {100 * sec / total:5.1f}%  "
                    f"{timer.calls[(stage, name)]:>7} calls")
    return "\n".join(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=float, default=5.0)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--save", help="also write the cProfile stats to this file (for snakeviz, pstats)")
    ap.add_argument("--no-cprofile", action="store_true", help="only the stage timings")
    a = ap.parse_args(argv)

    manifest = build_corpus.build(a.size_mb, SAMPLE)
    folder = SAMPLE / "files"
    mb = manifest["bytes"] / 1e6
    print(f"sample: {manifest['files']} files, {mb:.1f} MB; {cleaner.__version__} rules {load_rules().digest}")

    t = time.perf_counter()
    load_rules()
    warm_files = sorted(str(p) for p in folder.iterdir())[: manifest["fixture_pages"]]
    clean_dir(folder, warm_files)  # warm-up: one copy of every fixture page
    print(f"warm-up (one copy of each of the {len(warm_files)} fixture pages): {time.perf_counter() - t:.2f} s")

    timer = StageTimer()
    timer.install()
    try:
        secs, summary = clean_dir(folder)
    finally:
        timer.uninstall()
    print(f"\npass 1 (timers only): {secs:.2f} s, {mb / secs:.2f} MB/s, {summary.files} files, "
          f"{summary.speeches} speeches, {summary.failures} rejected\n")
    print(stage_table(timer, secs, mb))

    if a.no_cprofile:
        return 0
    prof = cProfile.Profile()
    prof.enable()
    secs2, _ = clean_dir(folder)
    prof.disable()
    print(f"\npass 2 (cProfile): {secs2:.2f} s ({mb / secs2:.2f} MB/s under the profiler)\n")
    for key, title in (("cumulative", "by cumulative time"), ("tottime", "by total (own) time")):
        s = io.StringIO()
        st = pstats.Stats(prof, stream=s)
        st.strip_dirs().sort_stats(key).print_stats(a.top)
        body = s.getvalue()
        body = body[body.find("ncalls") - 3:] if "ncalls" in body else body
        print(f"top {a.top} {title}\n{body}")
    if a.save:
        prof.dump_stats(a.save)
        print(f"wrote {a.save}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
