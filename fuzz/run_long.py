"""The long fuzz campaign: run fuzz/fuzz_decode.py for a wall-clock budget, restarting libFuzzer
when it stops (a timeout or out-of-memory input ends a libFuzzer process), and sum the figures.

    .venv/bin/python fuzz/run_long.py --minutes 30            # the campaign docs/fuzzing.md reports
    .venv/bin/python fuzz/run_long.py --minutes 1 --max-len 512   # a smoke run

Writes the libFuzzer log to ``<work>/fuzz.log``, crashing inputs (and a ``.txt`` with the
traceback) to ``fuzz/crashes/``, and the campaign's figures to ``fuzz/last_campaign.json``.
The generated corpus lives in ``<work>/corpus`` (default /tmp/cleaner-fuzz), outside the
repository; ``fuzz/corpus/`` holds only the small seeds (``fuzz/make_corpus.py``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HARNESS = ROOT / "fuzz" / "fuzz_decode.py"
CRASHES = ROOT / "fuzz" / "crashes"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--max-len", type=int, default=2048)
    ap.add_argument("--timeout", type=int, default=20, help="seconds one input may take (libFuzzer -timeout)")
    ap.add_argument("--rss-limit-mb", type=int, default=4096)
    ap.add_argument("--work", default="/tmp/cleaner-fuzz")
    ap.add_argument("--summary", default=str(ROOT / "fuzz" / "last_campaign.json"))
    args = ap.parse_args()

    work = Path(args.work)
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    CRASHES.mkdir(parents=True, exist_ok=True)
    log_path = work / "fuzz.log"
    env = dict(os.environ, FUZZ_KEEP_GOING="1", FUZZ_CRASH_DIR=str(CRASHES))
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.monotonic()
    budget = args.minutes * 60
    runs, executed, stops = 0, 0, []
    cov = ft = None
    with log_path.open("a", encoding="utf-8") as log:
        while (left := budget - (time.monotonic() - t0)) > 5:
            runs += 1
            cmd = [sys.executable, str(HARNESS), str(corpus), str(ROOT / "fuzz" / "corpus"),
                   f"-max_total_time={int(left)}", f"-max_len={args.max_len}", f"-timeout={args.timeout}",
                   f"-rss_limit_mb={args.rss_limit_mb}", f"-artifact_prefix={CRASHES}/",
                   "-print_final_stats=1", "-reload=0"]
            log.write(f"\n### run {runs}: {' '.join(cmd)}\n")
            log.flush()
            proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
            text = log_path.read_text(encoding="utf-8", errors="replace").rsplit("### run ", 1)[-1]
            got = [int(n) for n in re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)]
            if not got:   # no final stats (killed): take the last progress line
                got = [max(map(int, re.findall(r"^#(\d+)\s", text, re.M)), default=0)]
            executed += got[-1]
            m = re.findall(r"cov: (\d+) ft: (\d+)", text)
            if m:
                cov, ft = int(m[-1][0]), int(m[-1][1])
            if proc.returncode != 0:
                why = re.findall(r"==\d+== ERROR: libFuzzer: ([^\n]+)|(ALARM: working on the last Unit[^\n]*)", text)
                stops.append({"run": runs, "returncode": proc.returncode,
                              "why": " ".join(a or b for a, b in why) or "see fuzz.log",
                              "artifacts": re.findall(r"Test unit written to (\S+)", text)})
    seconds = time.monotonic() - t0
    crashes = []
    for p in sorted(CRASHES.glob("crash-*.txt")):
        crashes.append({"input": p.with_suffix("").name, "signature": p.read_text(encoding="utf-8").splitlines()[0]})
    summary = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"), "seconds": round(seconds),
        "inputs_executed": executed, "exec_per_sec": round(executed / max(seconds, 1), 1),
        "libfuzzer_runs": runs, "stops": stops, "max_len": args.max_len,
        "corpus_files": sum(1 for _ in corpus.iterdir()), "coverage_edges": cov, "features": ft,
        "crash_signatures": crashes,
    }
    Path(args.summary).write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
