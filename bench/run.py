#!/usr/bin/env python3
"""The benchmark: cleaner speed and memory as ratios to simple floors measured in the same run.

    .venv/bin/python bench/run.py [--size-mb 100] [--keep] [--repeat N]

1. Builds (or reuses) a corpus of about ``--size-mb`` MB under ``bench/corpus/`` from the
   fixture pages (see ``bench/build_corpus.py``): many raw files, and the same pages as one
   JSONL file.
2. Runs each command as its own subprocess, after an untimed warm-up of every command on a
   small separate corpus (``bench/corpus/warmup/``); the corpus files are read once before
   timing so every command starts from a warm page cache:

   - ``floor json``:  ``bench/floor_json.py`` (json.loads + json.dumps per JSONL line)
   - ``floor lines``: ``bench/floor_lines.py`` (read each file, drop lines matching a regex)
   - ``clean -j1``:   ``cleaner clean bench/corpus/files -o OUT --jobs 1``
   - ``clean -j2``:   ``cleaner clean bench/corpus/files -o OUT --jobs 2``

   For each: wall seconds, CPU seconds (user + system of the whole process tree, from
   ``wait4``), MB/s (the MB the command reads / wall seconds; MB = 10**6 bytes), and memory:
   the peak of the summed RSS of the process tree (parent + pool workers, sampled from
   ``/proc`` every 50 ms for 5 s, then every 200 ms), the peak of the summed PSS (shared
   pages split between the processes that share them: what the tree really costs), and the
   largest single-process RSS (``ru_maxrss``, exact). Also the CPUs that other programs kept
   busy meanwhile (``/proc/stat``), so a noisy run shows as one.
3. Prints the table, the ratios (clean ÷ floor, -j2 ÷ -j1) and the goals (PASS/MISS), and
   writes everything to ``bench/results/latest.json`` (plus a dated copy).

The cleaner runs from a snapshot of ``cleaner/`` and ``rules/`` copied to
``bench/corpus/snapshot/`` at the start (``PYTHONPATH``), so that edits made to the working
tree during the run (the package is installed in editable mode) cannot make -j1 and -j2
measure different code; ``--live`` runs the working tree instead. The results record the
commit, the uncommitted files and a hash of the measured sources.

It measures; it does not gate: the exit status is 0 whether the goals are met or not (it is
1 only if a command failed to run). With ``--repeat N`` every command runs N times and the
fastest run is reported (peak memory: the largest of the N).
Without ``--keep`` the corpus and outputs are deleted at the end; with it they stay (and the
next run reuses the corpus).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import build_corpus  # noqa: E402

CORPUS = HERE / "corpus"
RESULTS = HERE / "results"
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1e6

GOAL_J1_MBPS = 10.0
GOAL_SPEEDUP = 1.7
GOAL_PEAK_MB = 300.0


# ----------------------------------------------------------------------------------------
# the process tree and its memory


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    kids.extend(int(x) for x in fh.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return kids


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class Sampler(threading.Thread):
    """Polls the process tree under ``pid``: peak summed RSS, peak summed PSS, peak processes."""

    def __init__(self, pid: int, interval: float = 0.05, pss_every: int = 1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak_rss = self.peak_pss = self.peak_procs = self.samples = 0
        self.root_cpu = 0.0   # CPU seconds of the top process itself (the -j2 parent), last sample
        self.stop = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            pids = tree(self.pid)
            self.peak_rss = max(self.peak_rss, sum(rss_bytes(p) for p in pids))
            self.peak_procs = max(self.peak_procs, len(pids))
            self.root_cpu = own_cpu_seconds(self.pid) or self.root_cpu
            if n % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, sum(pss_bytes(p) for p in pids))
            n += 1
            self.samples = n
            # every 50 ms at first, then every 200 ms: long runs reach a steady state, and the
            # sampler's own CPU (about 5% of a core at 50 ms) stays out of the measurement
            self.stop.wait(self.interval if n < 100 else 4 * self.interval)


def own_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of ``pid`` itself (not its children), from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def loadavg() -> float | None:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError):
        return None


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all CPUs, from /proc/stat)."""
    try:
        with open("/proc/stat") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = f[3] + (f[4] if len(f) > 4 else 0)       # idle + iowait
    guest = sum(f[8:10]) if len(f) > 9 else 0       # already counted in user/nice
    return (sum(f) - idle - guest) / os.sysconf("SC_CLK_TCK")


def measure(label: str, cmd: list[str], input_bytes: int, log: Path, env: dict | None = None) -> dict:
    """Run ``cmd`` as a subprocess; its wall time, CPU time and memory."""
    load0 = loadavg()
    busy0 = busy_seconds()
    with log.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=CORPUS, env=env)
        sampler = Sampler(proc.pid)
        sampler.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        sampler.stop.set()
        sampler.join()
    busy = busy_seconds() - busy0
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    max_proc = ru.ru_maxrss * 1024
    return {
        "label": label, "cmd": [str(c) for c in cmd], "exit": proc.returncode,
        "seconds": wall, "cpu_seconds": cpu, "input_bytes": input_bytes,
        "mb_per_s": input_bytes / MB / wall, "mb_per_cpu_s": input_bytes / MB / cpu if cpu else 0.0,
        # the tree holds at least its largest process (a short run may end between samples)
        "peak_tree_rss_mb": max(sampler.peak_rss, max_proc) / MB, "peak_tree_pss_mb": sampler.peak_pss / MB,
        "max_process_rss_mb": max_proc / MB, "peak_processes": sampler.peak_procs,
        # CPUs kept busy by everything else on the machine while this ran (contention)
        "other_cpus": max(0.0, busy - cpu) / wall,
        # the top process's own CPU (for -j2: the parent that reads, dispatches and writes; the
        # serial part), as last sampled (up to 200 ms before it exits)
        "parent_cpu_seconds": sampler.root_cpu,
        "samples": sampler.samples, "loadavg_before": load0, "loadavg_after": loadavg(),
        "stderr_tail": log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:],
    }


# ----------------------------------------------------------------------------------------


def cleaner_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "cleaner"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "cleaner.cli"]


SNAPSHOT = CORPUS / "snapshot"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


def tree_digest(*folders: Path) -> str:
    import hashlib
    h = hashlib.sha256()
    for folder in folders:
        for f in sorted(folder.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and not f.name.startswith("."):
                h.update(str(f.relative_to(folder.parent)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def make_snapshot() -> dict:
    """Copy cleaner/ and rules/ to bench/corpus/snapshot/ and run every command on that copy.

    The package is installed in editable mode, so a subprocess imports whatever is on disk
    when it starts; with other people editing the tree, -j1 and -j2 could otherwise measure
    different code. ``PYTHONPATH=snapshot`` wins over the editable finder (which comes after
    the path finder), and ``cleaner.rulesdata`` is found inside the copied package first.
    Commands run in bench/corpus/, so no ``cleaner/`` in the working directory shadows it.
    """
    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    shutil.copytree(ROOT / "cleaner", SNAPSHOT / "cleaner", ignore=_IGNORE)
    shutil.copytree(ROOT / "rules", SNAPSHOT / "cleaner" / "rulesdata", ignore=_IGNORE)
    digest = tree_digest(SNAPSHOT / "cleaner")
    env = {**os.environ, "PYTHONPATH": str(SNAPSHOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    probe = subprocess.run([sys.executable, "-c", "import cleaner, cleaner.rules as r; "
                            "print(cleaner.__file__); print(r.rules_root())"],
                           capture_output=True, text=True, env=env, cwd=CORPUS)
    where = probe.stdout.split()
    if probe.returncode or len(where) != 2 or not all(w.startswith(str(SNAPSHOT)) for w in where):
        raise SystemExit(f"the snapshot is not what gets imported: {probe.stdout} {probe.stderr}")
    return {"path": str(SNAPSHOT), "sources_sha256": digest, "env": env}


def machine() -> dict:
    model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024 / MB
    except OSError:
        pass
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = None
    return {"platform": platform.platform(), "machine": platform.machine(), "cpu_count": os.cpu_count(),
            "cpus_usable": affinity, "cpu_model": model, "mem_total_mb": mem,
            "python": sys.version.split()[0], "python_impl": platform.python_implementation()}


def git_state() -> dict:
    """The commit measured, and whether the package sources differ from it (read-only git)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    dirty = [line[3:] for line in git("status", "--porcelain", "--", "cleaner", "rules").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD") or None, "dirty_files": dirty}


def commands(corpus: Path, out: Path) -> dict[str, tuple[list[str], str]]:
    """label -> (command, what it reads: 'files' or 'jsonl')."""
    py = sys.executable
    files, jsonl = corpus / "files", corpus / "corpus.jsonl"
    return {
        "floor json": ([py, str(HERE / "floor_json.py"), str(jsonl), str(out / "floor.jsonl")], "jsonl"),
        "floor lines": ([py, str(HERE / "floor_lines.py"), str(files), str(out / "floor_lines.txt")], "files"),
        "clean -j1": ([*cleaner_cmd(), "clean", str(files), "-o", str(out / "clean-j1"), "--jobs", "1"], "files"),
        "clean -j2": ([*cleaner_cmd(), "clean", str(files), "-o", str(out / "clean-j2"), "--jobs", "2"], "files"),
    }


def read_all(folder: Path) -> int:
    """Read every corpus file once (warm page cache, same start for every command)."""
    n = 0
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            n += len(p.read_bytes())
    return n


def clean_summary(out: Path) -> dict | None:
    try:
        s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {k: s.get(k) for k in ("files", "speeches", "failures", "bytes_in", "bytes_out", "seconds")}


def remove(paths) -> None:
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        elif p.exists():
            p.unlink()


def fmt_row(r: dict) -> str:
    return (f"{r['label']:<12} {r['seconds']:>9.2f} {r['cpu_seconds']:>8.2f} {r['input_bytes'] / MB:>8.1f} "
            f"{r['mb_per_s']:>8.2f} {r['mb_per_cpu_s']:>8.2f} {r['peak_tree_rss_mb']:>9.0f} {r['peak_tree_pss_mb']:>9.0f} "
            f"{r['max_process_rss_mb']:>9.0f} {r['peak_processes']:>5} {r['other_cpus']:>6.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=float, default=100.0, help="corpus size (default 100)")
    ap.add_argument("--keep", action="store_true", help="keep bench/corpus/ (corpus and outputs) afterwards")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per command; the fastest is reported")
    ap.add_argument("--warmup-mb", type=float, default=2.0, help="size of the untimed warm-up corpus")
    ap.add_argument("--only", action="append", help="run only this label (repeatable), e.g. 'clean -j1'")
    ap.add_argument("--live", action="store_true",
                    help="run the working tree's cleaner/ and rules/ instead of a snapshot copied at the start")
    a = ap.parse_args(argv)

    started = dt.datetime.now().astimezone()
    info = machine()
    info["git"] = git_state()
    CORPUS.mkdir(parents=True, exist_ok=True)
    if a.live:
        env, info["code"] = None, {"snapshot": None, "sources_sha256": tree_digest(ROOT / "cleaner", ROOT / "rules")}
    else:
        snap = make_snapshot()
        env = snap.pop("env")
        sys.path.insert(0, str(SNAPSHOT))  # the corpus builder decodes with the same code
        info["code"] = {"snapshot": snap["path"], "sources_sha256": snap["sources_sha256"]}
    version = subprocess.run([*cleaner_cmd(), "--version"], capture_output=True, text=True, cwd=CORPUS, env=env)
    info_version = version.stdout.strip() or version.stderr.strip()
    print(f"{info_version}; Python {info['python']}; {info['platform']}; "
          f"{info['cpu_count']} CPUs ({info['cpu_model']})", file=sys.stderr)

    manifest = build_corpus.build(a.size_mb, CORPUS)
    warm = build_corpus.build(a.warmup_mb, CORPUS / "warmup", quiet=True)
    sizes = {"files": manifest["bytes"], "jsonl": manifest["jsonl_bytes"]}
    wsizes = {"files": warm["bytes"], "jsonl": warm["jsonl_bytes"]}
    out = CORPUS / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    logs = out / "logs"
    logs.mkdir()

    labels = list(commands(CORPUS, out))
    if a.only:
        unknown = [x for x in a.only if x not in labels]
        if unknown:
            ap.error(f"unknown --only {unknown}; choose from {labels}")
        labels = [x for x in labels if x in a.only]

    # warm-up: every command once on the small corpus (imports, .pyc, rule compilation caches)
    print(f"warm-up on {warm['bytes'] / MB:.1f} MB ...", file=sys.stderr)
    wout = out / "warmup"
    wout.mkdir()
    for label in labels:
        cmd, what = commands(CORPUS / "warmup", wout)[label]
        r = measure(label, cmd, wsizes[what], logs / f"warmup-{label.replace(' ', '_')}.log", env)
        print(f"  {label}: {r['seconds']:.2f} s (exit {r['exit']})", file=sys.stderr)
    shutil.rmtree(wout, ignore_errors=True)
    read_all(CORPUS / "files")
    read_all(CORPUS / "corpus.jsonl")

    # startup cost, for reference: `cleaner --version` loads the rules and exits
    t0 = time.perf_counter()
    subprocess.run([*cleaner_cmd(), "--version"], capture_output=True, cwd=CORPUS, env=env)
    startup = time.perf_counter() - t0

    runs: dict[str, list[dict]] = {k: [] for k in labels}
    failed = False
    for rep in range(a.repeat):
        for label in labels:
            cmd, what = commands(CORPUS, out)[label]
            print(f"[{rep + 1}/{a.repeat}] {label}: {' '.join(cmd[-6:])} ...", file=sys.stderr, flush=True)
            outputs = (out / label.replace(" ", ""),) if label.startswith("clean") else \
                (out / "floor.jsonl",) if label == "floor json" else (out / "floor_lines.txt",)
            remove(outputs)
            r = measure(label, cmd, sizes[what], logs / f"{label.replace(' ', '_')}-{rep + 1}.log", env)
            if label.startswith("clean"):
                r["summary"] = clean_summary(out / label.replace(" ", ""))
                s = r["summary"] or {}
                if s.get("files") != manifest["files"]:
                    print(f"  warning: {label} reports {s.get('files')} files, corpus has {manifest['files']}",
                          file=sys.stderr)
                # exit 1 means some input was rejected: report it, it is still a measurement
                if r["exit"] not in (0, 1) or not r["summary"]:
                    failed = True
            elif r["exit"] != 0:
                failed = True
            print(f"  {r['seconds']:.2f} s, {r['mb_per_s']:.2f} MB/s, peak tree RSS {r['peak_tree_rss_mb']:.0f} MB"
                  f" (exit {r['exit']})", file=sys.stderr, flush=True)
            runs[label].append(r)
            if not a.keep:  # free the disk between runs
                remove(outputs)

    best: dict[str, dict] = {}
    for label, rs in runs.items():
        b = dict(min(rs, key=lambda r: r["seconds"]))
        for key in ("peak_tree_rss_mb", "peak_tree_pss_mb", "max_process_rss_mb"):
            b[key] = max(r[key] for r in rs)
        b["all_seconds"] = [round(r["seconds"], 3) for r in rs]
        best[label] = b

    # ---- report
    head = (f"{'run':<12} {'seconds':>9} {'CPU s':>8} {'MB in':>8} {'MB/s':>8} {'MB/CPUs':>8} "
            f"{'peak RSS':>9} {'peak PSS':>9} {'max proc':>9} {'procs':>5} {'other':>6}")
    lines = [f"cleaner benchmark {started:%Y-%m-%d %H:%M %Z}: {manifest['files']} files, "
             f"{manifest['bytes'] / MB:.1f} MB ({manifest['fixture_pages']} fixture pages x up to "
             f"{manifest['copies']} copies); JSONL {manifest['jsonl_bytes'] / MB:.1f} MB",
             f"{info_version}; commit {info['git']['commit']}"
             f"{' + uncommitted changes in ' + str(len(info['git']['dirty_files'])) + ' files' if info['git']['dirty_files'] else ''}"
             f"; sources {info['code']['sources_sha256']}" + (" (snapshot)" if info["code"]["snapshot"] else " (live tree)"),
             f"Python {info['python']}; {info['cpu_count']} CPUs ({info['cpu_model']}); {info['platform']}",
             "", head, "-" * len(head)]
    for label in labels:
        lines.append(fmt_row(best[label]))
    lines.append("(MB = 10**6 bytes; MB/s = MB in / wall seconds; CPU s = user + system of the process tree;")
    lines.append(" MB/CPUs = MB in / CPU s;")
    lines.append(" peak RSS / PSS = peak of the process tree's summed RSS / PSS; max proc = largest single")
    lines.append(" process RSS; other = CPUs kept busy by other programs meanwhile: > 0.2 means a noisy run)")
    lines.append(f"(cleaner start-up, `cleaner --version`: {startup:.2f} s)")

    ratios: dict[str, float] = {}
    j1, j2 = best.get("clean -j1"), best.get("clean -j2")
    lines.append("")
    lines.append("ratios")
    for fl in ("floor json", "floor lines"):
        if j1 and fl in best:
            k = f"clean -j1 / {fl} (MB/s)"
            ratios[k] = j1["mb_per_s"] / best[fl]["mb_per_s"]
            lines.append(f"  {k:<34} {ratios[k]:8.4f}   ({fl} is {1 / ratios[k]:.0f}x faster)")
    if j1 and j2:
        k = "clean -j2 / clean -j1 (speed-up)"
        ratios[k] = j2["mb_per_s"] / j1["mb_per_s"]
        lines.append(f"  {k:<34} {ratios[k]:8.2f}x  (CPU s: {j1['cpu_seconds']:.1f} vs {j2['cpu_seconds']:.1f}; "
                     f"-j2 parent alone {j2['parent_cpu_seconds']:.1f})")

    goals = []
    if j1:
        goals.append({"goal": f"clean -j1 >= {GOAL_J1_MBPS:g} MB/s", "value": round(j1["mb_per_s"], 3),
                      "pass": j1["mb_per_s"] >= GOAL_J1_MBPS})
    if j1 and j2:
        usable = info["cpus_usable"] or info["cpu_count"] or 1
        goals.append({"goal": f"clean -j2 >= {GOAL_SPEEDUP:g}x clean -j1",
                      "value": round(ratios["clean -j2 / clean -j1 (speed-up)"], 3),
                      "pass": ratios["clean -j2 / clean -j1 (speed-up)"] >= GOAL_SPEEDUP if usable >= 2 else None})
    for label in ("clean -j1", "clean -j2"):
        if label in best:
            v = best[label]["peak_tree_rss_mb"]
            goals.append({"goal": f"{label} peak memory (tree RSS) < {GOAL_PEAK_MB:g} MB", "value": round(v, 1),
                          "pass": v < GOAL_PEAK_MB})
    lines.append("")
    lines.append("goals (reported, not enforced)")
    for g in goals:
        mark = "N/A " if g["pass"] is None else ("PASS" if g["pass"] else "MISS")
        lines.append(f"  {mark}  {g['goal']:<44} measured {g['value']}")
    for label in ("clean -j1", "clean -j2"):
        s = best.get(label, {}).get("summary")
        if s:
            lines.append(f"  ({label}: {s['files']} files, {s['speeches']} speeches, {s['failures']} rejected)")
    noisy = max((r["other_cpus"] for r in best.values()), default=0.0)
    if noisy > 0.2:
        lines.append("")
        lines.append(f"WARNING: other programs kept up to {noisy:.2f} CPUs busy during these runs: the absolute "
                     "numbers (and -j2, which needs a free core) are pessimistic; rerun on a quiet machine.")
    text = "\n".join(lines)
    print(text)

    result = {
        "date": started.isoformat(timespec="seconds"), "machine": info, "cleaner_version": info_version,
        "corpus": {k: manifest[k] for k in ("files", "bytes", "jsonl_bytes", "fixture_pages", "copies", "groups",
                                            "encodings_by_file")},
        "size_mb_requested": a.size_mb, "repeat": a.repeat, "cleaner_startup_seconds": round(startup, 3),
        "runs": best, "ratios": ratios, "goals": goals, "table": text,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    blob = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    (RESULTS / "latest.json").write_text(blob, encoding="utf-8")
    (RESULTS / f"{started:%Y%m%d-%H%M%S}.json").write_text(blob, encoding="utf-8")
    print(f"\nwrote {RESULTS / 'latest.json'}", file=sys.stderr)

    if not a.keep:
        shutil.rmtree(CORPUS, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
