"""The held-out test pages (fixtures/holdout/{sites,damage,compilations,mixed,blind2,blind3,blind4}/, see its README.md).

Written by testers who did not see the cleaner's code, from the reviewed gold texts; now also
regression fixtures.

(a) each folder's make.py is deterministic, self-contained (reads the repo's fixtures/gold) and
    the committed files are exactly what it writes, with no stale extra files;
(b) every gold file is well formed and every gold speech text is exactly one of the reviewed
    gold texts (fixtures/gold/*.gold.json), except the near-duplicates made on purpose
    (duplicate_of set);
(c) quality: the cleaner, scored with tools/evaluate.py, holds the bars on each folder
    (marked ``quality``; deselect with ``-m "not quality"``).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "fixtures" / "holdout"
GOLD = ROOT / "fixtures" / "gold"
FOLDERS = ("sites", "damage", "compilations", "mixed", "blind2", "blind3", "blind4")
NEW_TEXTS = {"blind3", "blind4"}   # their testers wrote the speech texts too (not the reviewed gold texts)
# scored blind and still below the bars: open work, measured (README) but not yet held
BELOW_THE_BARS = {"blind4": "first contact 2026-12-02 (commit a1f348f): content F1 0.907, speech P/R 0.58/0.54"}
HAND_WRITTEN = {"make.py", "README.md"}          # in a folder, not written by its make.py
DOC_KEYS = {"title", "published", "author", "uploader", "source", "doc_id", "format", "pages", "size"}
SPEECH_KEYS = {"title", "speaker", "date", "text", "duplicate_of"}
BARS = {"content_f1": 0.98, "macro_f1": 0.97, "junk_removed": 0.95, "speech_precision": 0.95,
        "speech_recall": 0.95, "title_accuracy": 0.9, "speaker_accuracy": 0.95, "date_accuracy": 0.95}


def _generate(folder: str, out: Path) -> dict[str, bytes]:
    """Run fixtures/holdout/<folder>/make.py into out (from a neutral cwd); return its files."""
    script = HOLDOUT / folder / "make.py"
    res = subprocess.run([sys.executable, str(script), "--out", str(out)], cwd=out.parent,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, f"{script} failed (exit {res.returncode})\n{res.stdout}\n{res.stderr}"
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """folder -> (first run, second run), each {file name: bytes}; built once per module."""
    cache: dict[str, tuple[dict[str, bytes], dict[str, bytes]]] = {}

    def get(folder: str):
        if folder not in cache:
            base = tmp_path_factory.mktemp(f"holdout_{folder}")
            cache[folder] = (_generate(folder, base / "run1"), _generate(folder, base / "run2"))
        return cache[folder]

    return get


def _golds() -> list[Path]:
    return sorted(HOLDOUT.glob("*/*.gold.json"))


def _original_texts() -> set[str]:
    out = set()
    for p in GOLD.glob("*.gold.json"):
        out.update(s["text"] for s in json.loads(p.read_text(encoding="utf-8"))["speeches"])
    return out


ORIGINALS = _original_texts()


# ---- (a) generators ---------------------------------------------------------------------------

@pytest.mark.parametrize("folder", FOLDERS)
def test_generator_is_self_contained(folder):
    src = (HOLDOUT / folder / "make.py").read_text(encoding="utf-8")
    assert "/work/shared" not in src, f"{folder}/make.py still reads outside the repository"
    assert '"--out"' in src


@pytest.mark.parametrize("folder", FOLDERS)
def test_generator_is_deterministic(generated, folder):
    first, again = generated(folder)
    assert first, f"{folder}/make.py wrote nothing"
    assert sorted(first) == sorted(again)
    differ = [n for n in first if first[n] != again[n]]
    assert not differ, f"{folder}: differ between two runs: {differ[:5]}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_fixtures_match_the_generator(generated, folder):
    files, _ = generated(folder)
    here = HOLDOUT / folder
    assert not HAND_WRITTEN & set(files), f"{folder}/make.py overwrites {HAND_WRITTEN & set(files)}"
    on_disk = {p.name for p in here.iterdir() if p.is_file()} - HAND_WRITTEN
    rerun = f"rerun .venv/bin/python fixtures/holdout/{folder}/make.py"
    assert not set(files) - on_disk, f"{folder}: not committed ({rerun}): {sorted(set(files) - on_disk)}"
    assert not on_disk - set(files), f"{folder}: stale extra files: {sorted(on_disk - set(files))}"
    stale = [n for n, data in files.items() if (here / n).read_bytes() != data]
    assert not stale, f"{folder}: committed files differ from the generator ({rerun}): {stale[:5]}"


# ---- (b) the gold ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", _golds(), ids=lambda p: f"{p.parent.name}/{p.name.split('_')[0]}")
def test_gold_is_well_formed_and_made_of_reviewed_texts(path):
    g = json.loads(path.read_text(encoding="utf-8"))
    assert set(g) == {"source", "site", "document", "speeches"}
    assert g["source"] == path.name.replace(".gold.json", ".txt")
    assert (path.parent / g["source"]).is_file()
    assert isinstance(g["site"], str) and g["site"] and g["site"] == g["site"].strip()
    doc = g["document"]
    assert isinstance(doc, dict) and set(doc) <= DOC_KEYS, f"unknown document keys {set(doc) - DOC_KEYS}"
    assert isinstance(doc.get("title"), str) and doc["title"].strip()
    if "pages" in doc:
        assert isinstance(doc["pages"], int) and not isinstance(doc["pages"], bool)
    for k, v in doc.items():
        if k != "pages":
            assert isinstance(v, str) and v == v.strip() and v, f"document {k}: {v!r}"
    assert isinstance(g["speeches"], list) and g["speeches"]
    seen = []
    for i, s in enumerate(g["speeches"]):
        assert set(s) == SPEECH_KEYS, f"speech {i}: keys {sorted(s)}"
        assert isinstance(s["text"], str) and s["text"].strip()
        for k in ("title", "speaker", "date"):
            assert s[k] is None or (isinstance(s[k], str) and s[k] == s[k].strip() and s[k]), \
                f"speech {i}: {k} {s[k]!r}"
        if s["date"] is not None:
            y, m, d = s["date"].split("-")
            assert len(y) == 4 and len(m) == 2 and len(d) == 2 and (y + m + d).isdigit(), s["date"]
        dup = s["duplicate_of"]
        if dup is None and path.parent.name in NEW_TEXTS:
            # a text of its own, in the gold form: one paragraph per line, no blank or padded lines,
            # none of the generator's sentinels, and simplified (the pages carry the damage)
            lines = s["text"].split("\n")
            assert all(ln and ln == ln.strip() for ln in lines), f"speech {i}: blank or padded line"
            assert not any(c in s["text"] for c in "\x01\x02\r\f"), f"speech {i}: control characters"
            assert s["text"] not in seen, f"speech {i} of {path.name} repeats an earlier one unmarked"
        elif dup is None:
            # exactly a reviewed gold text: no damage, no script round trip, no repair leaked in
            assert s["text"] in ORIGINALS, f"speech {i} of {path.name} is not a reviewed gold text"
            assert s["text"] not in seen, f"speech {i} of {path.name} repeats an earlier one unmarked"
        else:
            # a (near-)duplicate made on purpose: points back at a first copy
            assert isinstance(dup, int) and 0 <= dup < i, f"speech {i}: duplicate_of {dup!r}"
            assert g["speeches"][dup]["duplicate_of"] is None
        seen.append(s["text"])


# ---- (c) quality ------------------------------------------------------------------------------

def _rows(report: dict) -> str:
    lines = []
    for r in sorted(report.get("documents", []), key=lambda r: (r.get("f1", 0), r["source"])):
        sp = f"{r.get('gold', '-')}/{r.get('out', '-')}/{r.get('matched', '-')}"
        lines.append(f"{r['source']}: F1={r.get('f1', 0):.3f} P={r.get('precision', 0):.3f} "
                     f"R={r.get('recall', 0):.3f} junk={r.get('junk_removed', 0):.2f} "
                     f"speeches(g/o/m)={sp}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def evaluations():
    """Run tools/evaluate.py on all folders at once (each cleaner run takes seconds)."""
    cmd0 = [sys.executable, str(ROOT / "tools" / "evaluate.py")]
    bars = [x for k, v in BARS.items() for x in ("--min", f"{k}={v}")]
    procs = {f: subprocess.Popen(cmd0 + [str(HOLDOUT / f), "--json"] + bars, cwd=ROOT, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for f in FOLDERS if f not in BELOW_THE_BARS}
    out = {}
    for f, p in procs.items():
        try:
            stdout, stderr = p.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            p.kill()
            stdout, stderr = p.communicate()
        out[f] = (p.returncode, stdout, stderr)
    return out


@pytest.mark.quality
@pytest.mark.parametrize("folder", FOLDERS)
def test_cleaner_holds_the_bars_on_holdout(evaluations, folder):
    if folder in BELOW_THE_BARS:
        pytest.skip(f"{folder} is not yet held to the bars: {BELOW_THE_BARS[folder]}")
    code, stdout, stderr = evaluations[folder]
    assert code in (0, 1), f"evaluate.py could not run on {folder} (exit {code})\n{stdout}\n{stderr}"
    report = json.loads(stdout)
    failed = report.get("failed", {})
    if code != 0 or failed:
        print(f"per-document rows of fixtures/holdout/{folder} (worst first):\n{_rows(report)}")
        print("summary:", json.dumps(report["summary"], ensure_ascii=False))
    assert code == 0 and not failed, (
        f"fixtures/holdout/{folder} below the bars: "
        + ", ".join(f"{k}={v['value']} (min {v['min']})" for k, v in failed.items()))
