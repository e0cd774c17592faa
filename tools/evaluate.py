#!/usr/bin/env python3
"""Run the cleaner over a folder of raw pages and score it against gold files.

Usage:
  .venv/bin/python tools/evaluate.py fixtures/variants                       # raw + gold together
  .venv/bin/python tools/evaluate.py fixtures/seeds --gold fixtures/gold
  .venv/bin/python tools/evaluate.py fixtures/variants --min content_f1=0.98 --min macro_f1=0.97
  .venv/bin/python tools/evaluate.py fixtures/variants --output some.jsonl   # score an existing output

Steps: copy the raw pages that have a gold file (``<source>`` of each ``*.gold.json``) into a
scratch folder, run ``cleaner clean <scratch> -o <out>``, then run ``tools/score.py GOLD
<out>/speeches.jsonl --json --per-doc --raw RAW`` and print the per-document rows (worst first)
and the summary. ``--min KEY=VALUE`` (repeatable) exits 1 when a summary metric is below the bar.

For the junk metrics score.py reads the raw pages itself and only knows BOMs, UTF-8, GB18030 and
Big5 (tried in that order, so Big5 pages read as GB18030 garbage). When the raw folder has a
``manifest.json`` (written by tools/make_variants.py) the pages are first decoded with the
encoding it records and handed to score.py as UTF-8, so the junk metrics see the real page.

Exit codes: 0 ok, 1 a --min bar failed, 2 the cleaner or the scorer could not run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT / "tools" / "score.py"
ROW = re.compile(r"^(?P<src>\S.*?): P=(?P<p>[\d.]+) R=(?P<r>[\d.]+)(?P<rest>.*)$")


def default_cleaner() -> list[str]:
    venv = ROOT / ".venv" / "bin" / "cleaner"
    if venv.exists():
        return [str(venv)]
    found = shutil.which("cleaner")
    return [found] if found else [str(venv)]


def gold_sources(gold_dir: Path) -> dict[str, Path]:
    out = {}
    for p in sorted(gold_dir.glob("*.gold.json")):
        g = json.loads(p.read_text(encoding="utf-8"))
        out[os.path.basename(g["source"])] = p
    return out


def _undo_cp1252(text: str) -> bytes:
    """The bytes a cp1252 reading turned into ``text`` (its five undefined bytes read as C1 controls)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            out.append(ord(ch))     # U+0081, U+008D, U+008F, U+0090, U+009D
    return bytes(out)


def decode_with_manifest(data: bytes, info: dict) -> str:
    """Decode one generated page as its generator wrote it (tools/make_variants.py, the
    fixtures/holdout generators): ``encoding`` a codec name (or "codec, notes"), ``double_encoded``
    true (Latin-1), "cp1252" or "gbk" (lossy), or a ``mojibake`` note naming windows-1252."""
    double = info.get("double_encoded")
    notes = str(info.get("mojibake", "")) + " ".join(map(str, info.get("damage", [])))
    if not double and ("windows-1252" in notes or ("whole page double-encoded" in notes and "cp1252" in notes)):
        double = "cp1252"
    if double == "cp1252":
        text = _undo_cp1252(data.decode("utf-8")).decode("utf-8")
    elif double in ("gbk", "gb18030"):   # lossy: the bytes the GBK reading dropped stay lost
        mojibake = data.decode("utf-8").replace("\ufffd", "")
        text = mojibake.encode("gb18030").decode("utf-8", errors="replace")
    elif double:
        text = data.decode("utf-8").encode("latin-1").decode("utf-8")
    else:
        label = str(info.get("encoding", "utf-8")).lower()
        m = re.search(r"utf-?8-sig|utf-?8|utf-?16-?(?:le|be)?|gb18030|gbk|big5|cp1252|latin-1", label)
        enc = m.group().replace("utf16", "utf-16").replace("utf8", "utf-8") if m else "utf-8"
        enc = enc.replace("16le", "16-le").replace("16be", "16-be")
        if enc.startswith("utf-16") and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            enc = "utf-16"          # the BOM says which
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:   # a page damaged on purpose with a few bad bytes
            text = data.decode(enc, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def run_cleaner(cmd: list[str], inp: Path, out: Path, timeout: float) -> Path:
    full = cmd + ["clean", str(inp), "-o", str(out)]
    try:
        proc = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise SystemExit(_fail(f"cleaner not found: {cmd[0]} (is the package installed?)"))
    except subprocess.TimeoutExpired:
        raise SystemExit(_fail(f"cleaner timed out after {timeout:.0f}s: {' '.join(full)}"))
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise SystemExit(_fail(f"cleaner failed (exit {proc.returncode}): {' '.join(full)}\n{tail}"))
    jsonl = out / "speeches.jsonl"
    if jsonl.exists():
        return jsonl
    if out.is_dir() and any(p.suffix == ".jsonl" for p in out.iterdir()):
        return out  # score.py reads every *.jsonl of a folder
    raise SystemExit(_fail(f"cleaner wrote no {jsonl}"))


def _fail(msg: str) -> int:
    print(f"evaluate: {msg}", file=sys.stderr)
    return 2


def score(gold_dir: Path, output: Path, raw_dir: Path) -> tuple[dict, list[dict]]:
    cmd = [sys.executable, str(SCORE), str(gold_dir), str(output), "--json", "--per-doc", "--raw", str(raw_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(_fail(f"score.py failed (exit {proc.returncode}):\n{proc.stderr.strip()}"))
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    summary = json.loads(lines[-1])
    rows = []
    for ln in lines[:-1]:
        m = ROW.match(ln)
        if not m:
            continue
        p, r = float(m["p"]), float(m["r"])
        row = {"source": m["src"], "precision": p, "recall": r,
               "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
        for k, v in re.findall(r"(\w+)=([\d.]+)", m["rest"]):
            row[k] = float(v) if "." in v else int(v)
        rows.append(row)
    return summary, rows


def parse_bars(items: list[str]) -> dict[str, float]:
    bars = {}
    for it in items:
        if "=" not in it:
            raise SystemExit(_fail(f"--min wants KEY=VALUE, got {it!r}"))
        k, v = it.split("=", 1)
        try:
            bars[k.strip()] = float(v)
        except ValueError:
            raise SystemExit(_fail(f"--min {it!r}: not a number"))
    return bars


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("raw_dir", help="folder of raw pages (and of the gold files unless --gold)")
    ap.add_argument("--gold", help="folder of *.gold.json (default: RAW_DIR)")
    ap.add_argument("--output", help="score this JSONL (or folder of *.jsonl) instead of running the cleaner")
    ap.add_argument("--cleaner", help="cleaner command (default: .venv/bin/cleaner)")
    ap.add_argument("--keep", help="keep the cleaner's output in this folder")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds allowed for the cleaner run")
    ap.add_argument("--min", action="append", default=[], metavar="KEY=VALUE",
                    help="fail (exit 1) when summary metric KEY is below VALUE; repeatable")
    ap.add_argument("--json", action="store_true", help="print {summary, documents} as JSON")
    ap.add_argument("--quiet", action="store_true", help="summary only, no per-document rows")
    a = ap.parse_args(argv)

    raw_dir = Path(a.raw_dir)
    gold_dir = Path(a.gold) if a.gold else raw_dir
    bars = parse_bars(a.min)
    sources = gold_sources(gold_dir)
    if not sources:
        return _fail(f"no *.gold.json in {gold_dir}")
    missing = [s for s in sources if not (raw_dir / s).exists()]
    if missing:
        return _fail(f"raw pages missing in {raw_dir}: {', '.join(missing[:5])}")
    manifest_path = raw_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}

    with tempfile.TemporaryDirectory(prefix="evaluate-") as tmp:
        tmp = Path(tmp)
        inp, raw_for_score = tmp / "in", tmp / "raw"
        inp.mkdir()
        raw_for_score.mkdir()
        for s in sources:
            data = (raw_dir / s).read_bytes()
            (inp / s).write_bytes(data)
            info = manifest.get(s, manifest.get(s.removesuffix(".txt")))
            if isinstance(info, dict):
                text = decode_with_manifest(data, info)
                (raw_for_score / s).write_text(text, encoding="utf-8", newline="")
            else:
                (raw_for_score / s).write_bytes(data)
        if a.output:
            output = Path(a.output)
        else:
            out = Path(a.keep) if a.keep else tmp / "out"
            if a.keep:
                out.mkdir(parents=True, exist_ok=True)
            cmd = a.cleaner.split() if a.cleaner else default_cleaner()
            output = run_cleaner(cmd, inp, out, a.timeout)
        summary, rows = score(gold_dir, output, raw_for_score)

    unknown = [k for k in bars if k not in summary]
    if unknown:
        return _fail(f"--min: unknown metric(s) {unknown}; known: {sorted(summary)}")
    failed = {k: (summary[k], v) for k, v in bars.items() if summary[k] < v}

    if a.json:
        print(json.dumps({"summary": summary, "documents": rows,
                          "failed": {k: {"value": x, "min": y} for k, (x, y) in failed.items()}},
                         ensure_ascii=False, indent=1))
    else:
        if not a.quiet:
            width = max(len(r["source"]) for r in rows) if rows else 10
            head = f"{'document':<{width}}    F1      P      R  junk chrome  speeches(g/o/m)"
            print(head)
            for r in sorted(rows, key=lambda r: (r["f1"], r["source"])):
                sp = (f"{r.get('gold', '-')}/{r.get('out', '-')}/{r.get('matched', '-')}"
                      if "gold" in r else "")
                print(f"{r['source']:<{width}} {r['f1']:6.3f} {r['precision']:6.3f} {r['recall']:6.3f} "
                      f"{r.get('junk_removed', 0):5.2f} {r.get('chrome_removed', 0):6.2f}  {sp}")
            print()
        for k, v in summary.items():
            mark = ""
            if k in bars:
                mark = f"   (min {bars[k]}: {'FAIL' if k in failed else 'ok'})"
            print(f"{k}: {v}{mark}")
    if failed:
        print("below the bar: " + ", ".join(f"{k}={x} < {y}" for k, (x, y) in failed.items()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # piped into head: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
