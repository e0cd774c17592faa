"""Inputs and outputs for pipelines, through the CLI as a user runs it: JSONL in (fields, meta,
bad lines), stdin/stdout streaming, compressed inputs (.gz, .zst), sharded output.

Tests marked ``xfail(strict=True)`` pin down known bugs in ``cleaner/io.py``, ``cleaner/cli.py``
or ``cleaner/batch.py``: they state the intended behaviour, and fail loudly (XPASS) once the bug
is fixed, so the marker can be dropped.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys

import pytest

from .helpers import FIXTURES, ROOT

SEEDS = FIXTURES / "seeds"
SMALL = "004_afa1f4f367c7ea41"      # one speech, 15 kB
MEDIUM = "001_e1b3b74997207657"     # one speech, 21 kB
MULTI = "000_3c868d3ef72c328c"      # five speeches


def run_cli(*args, input=None, check=False, env=None, python_prelude=None):
    """``python -m cleaner.cli ARGS`` in a subprocess; ``python_prelude`` runs first (to hide a
    module, say) and then the CLI."""
    if python_prelude is None:
        cmd = [sys.executable, "-m", "cleaner.cli", *map(str, args)]
    else:
        code = (python_prelude + "\nimport sys\nfrom cleaner.cli import app\n"
                "sys.argv = ['cleaner'] + sys.argv[1:]\napp()\n")
        cmd = [sys.executable, "-c", code, *map(str, args)]
    res = subprocess.run(cmd, input=input, capture_output=True, cwd=ROOT, env=env)
    if check and res.returncode != 0:
        raise AssertionError(f"exit {res.returncode}: {res.stderr.decode()[-3000:]}")
    return res


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_text(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def speech_core(rec: dict) -> tuple:
    """What a speech is, whatever the input was called."""
    return (rec["index"], rec["count"], rec["title"], rec["speaker"], rec["date"], rec["text"],
            tuple(rec["span"]), rec["site"])


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The speeches of the three seed pages cleaned from plain files, keyed by seed name."""
    out = tmp_path_factory.mktemp("ref") / "out"
    run_cli("clean", *(SEEDS / f"{n}.txt" for n in (MULTI, MEDIUM, SMALL)), "-o", out, "-j", "1",
            check=True)
    recs = read_jsonl(out / "speeches.jsonl")
    by_seed: dict[str, list[dict]] = {}
    for r in recs:
        by_seed.setdefault(r["id"].split("#")[0], []).append(r)
    assert {k: len(v) for k, v in by_seed.items()} == {MULTI: 5, MEDIUM: 1, SMALL: 1}
    return {"dir": out, "records": recs, "by_seed": by_seed,
            "bytes": (out / "speeches.jsonl").read_bytes()}


# --- JSONL input ------------------------------------------------------------------------------

def write_jsonl(path, records, *, raw_lines=()):
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for line in raw_lines:
            fh.write(line + "\n")


def test_jsonl_fields_meta_and_bad_lines(tmp_path, reference):
    src = tmp_path / "pages.jsonl"
    lines = [
        json.dumps({"doc": "page-a", "body": seed_text(SMALL), "url": "http://example.invalid/a",
                    "crawl": {"ts": 1700000000, "tags": ["x", "y"]}, "score": 0.5, "flag": None},
                   ensure_ascii=False),                                 # 1
        "",                                                             # 2 blank: skipped
        "{not json",                                                    # 3
        json.dumps({"doc": "page-b", "text": "wrong field"}),           # 4 no 'body'
        json.dumps({"doc": "page-c", "body": 42}),                      # 5 'body' not a string
        json.dumps(["a", "list"]),                                      # 6 not an object
        json.dumps({"body": seed_text(MEDIUM), "lang": "zh"}, ensure_ascii=False),  # 7 no id
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run_cli("clean", src, "-o", out, "-j", "1", "--input-format", "jsonl",
                  "--text-field", "body", "--id-field", "doc")
    err = res.stderr.decode()
    assert res.returncode == 1, err
    recs = read_jsonl(out / "speeches.jsonl")
    assert [r["source"] for r in recs] == ["page-a", f"{src}:7"]
    a, b = recs
    # every field but the text is carried through under meta, values and key order intact
    assert a["meta"] == {"doc": "page-a", "url": "http://example.invalid/a",
                         "crawl": {"ts": 1700000000, "tags": ["x", "y"]}, "score": 0.5, "flag": None}
    assert list(a["meta"]) == ["doc", "url", "crawl", "score", "flag"]
    assert b["meta"] == {"lang": "zh"}
    # the text of a JSONL field cleans to the same speeches as the page file
    assert speech_core(a) == speech_core(reference["by_seed"][SMALL][0])
    assert speech_core(b) == speech_core(reference["by_seed"][MEDIUM][0])
    assert a["encoding"] == "utf-8"
    assert a["source_sha256"] == __import__("hashlib").sha256(seed_text(SMALL).encode()).hexdigest()
    rejects = read_jsonl(out / "rejects.jsonl")
    assert [r["source"] for r in rejects] == [f"{src}:{n}" for n in (3, 4, 5, 6)]
    assert rejects[0]["reason"].startswith("not JSON")
    assert all(r["reason"] == "no string field 'body'" for r in rejects[1:])
    for n in (3, 4, 5, 6):
        assert f"error: {src}:{n}: " in err
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["files"], summary["failures"], summary["speeches"]) == (6, 4, 2)


def test_jsonl_default_fields_and_the_id_in_meta(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": "doc-1", "text": seed_text(SMALL)}])
    out = tmp_path / "out"
    run_cli("clean", src, "-o", out, "-j", "1", "--input-format", "jsonl", check=True)
    (rec,) = read_jsonl(out / "speeches.jsonl")
    assert rec["source"] == "doc-1" and rec["id"] == "doc-1#0"
    assert rec["meta"] == {"id": "doc-1"}      # the id field is kept in meta too


def test_jsonl_line_separator_inside_a_string_is_not_a_line_break(tmp_path):
    src = tmp_path / "in.jsonl"
    text = seed_text(SMALL)
    write_jsonl(src, [{"id": "a", "text": text[:2000] + "\u2028" + text[2000:]},
                      {"id": "b", "text": text}])
    out = tmp_path / "out"
    res = run_cli("clean", src, "-o", out, "-j", "1", "--input-format", "jsonl")
    assert res.returncode == 0, res.stderr.decode()
    assert [r["source"] for r in read_jsonl(out / "speeches.jsonl")] == ["a", "b"]


def test_jsonl_ids_with_dots_give_distinct_record_ids(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": "x.1", "text": seed_text(SMALL)}, {"id": "x.2", "text": seed_text(SMALL)},
                      {"id": "a/b", "text": seed_text(SMALL)}, {"id": "c/b", "text": seed_text(SMALL)}])
    out = tmp_path / "out"
    run_cli("clean", src, "-o", out, "-j", "1", "--input-format", "jsonl", check=True)
    ids = [r["id"] for r in read_jsonl(out / "speeches.jsonl")]
    assert len(set(ids)) == 4, ids


def test_jsonl_text_with_a_lone_surrogate_is_a_reject_not_a_crash(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "bad", "text": "\\ud800 abc"}\n'
                   + json.dumps({"id": "good", "text": seed_text(SMALL)}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run_cli("clean", src, "-o", out, "-j", "1", "--input-format", "jsonl")
    assert "Traceback" not in res.stderr.decode(), res.stderr.decode()[-2000:]
    assert res.returncode == 1
    assert [r["source"] for r in read_jsonl(out / "rejects.jsonl")] == ["bad"]
    assert [r["source"] for r in read_jsonl(out / "speeches.jsonl")] == ["good"]


# --- stdin / stdout ---------------------------------------------------------------------------

def test_stdin_page_to_stdout_is_pure_jsonl(reference):
    data = (SEEDS / f"{MULTI}.txt").read_bytes()
    res = run_cli("clean", "-", "-o", "-", "-j", "1", input=data)
    assert res.returncode == 0, res.stderr.decode()
    lines = res.stdout.decode("utf-8").splitlines()
    recs = [json.loads(line) for line in lines]           # nothing but records on stdout
    assert [r["source"] for r in recs] == ["-"] * 5
    assert [r["id"] for r in recs] == [f"-#{i}" for i in range(5)]
    assert [speech_core(r) for r in recs] == [speech_core(r) for r in reference["by_seed"][MULTI]]


def test_folder_to_stdout_equals_the_output_file(tmp_path, reference):
    pages = tmp_path / "pages"
    pages.mkdir()
    for n in (MULTI, MEDIUM, SMALL):
        shutil.copy(SEEDS / f"{n}.txt", pages / f"{n}.txt")
    res = run_cli("clean", pages, "-o", "-", "-j", "2")
    assert res.returncode == 0, res.stderr.decode()
    out = tmp_path / "out"
    run_cli("clean", pages, "-o", out, "-j", "1", check=True)
    assert res.stdout == (out / "speeches.jsonl").read_bytes()


def test_jsonl_from_stdin_to_stdout_with_a_bad_line():
    lines = [json.dumps({"id": "one", "text": seed_text(SMALL), "n": 1}, ensure_ascii=False),
             json.dumps({"id": "two", "text": seed_text(MEDIUM), "n": 2}, ensure_ascii=False),
             "oops"]
    res = run_cli("clean", "-", "-o", "-", "-j", "1", "--input-format", "jsonl",
                  input=("\n".join(lines) + "\n").encode("utf-8"))
    err = res.stderr.decode()
    assert res.returncode == 1, err
    recs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert [(r["source"], r["meta"]) for r in recs] == [("one", {"id": "one", "n": 1}),
                                                        ("two", {"id": "two", "n": 2})]
    assert "-:3: not JSON" in err


# --- compressed inputs ------------------------------------------------------------------------

def test_gzip_inputs_read_transparently(tmp_path, reference):
    pages = tmp_path / "pages"
    pages.mkdir()
    raw = (SEEDS / f"{SMALL}.txt").read_bytes()
    (pages / f"{SMALL}.txt.gz").write_bytes(gzip.compress(raw))
    jl = pages / "more.jsonl.gz"
    jl.write_bytes(gzip.compress((json.dumps({"id": "m", "text": seed_text(MEDIUM)}) + "\n").encode()))
    out = tmp_path / "out"
    run_cli("clean", pages / f"{SMALL}.txt.gz", "-o", out, "-j", "1", check=True)
    (rec,) = read_jsonl(out / "speeches.jsonl")
    ref = reference["by_seed"][SMALL][0]
    assert rec["id"] == ref["id"]                         # .gz and then .txt dropped from the stem
    assert rec["source"] == str(pages / f"{SMALL}.txt.gz")
    assert rec["source_sha256"] == ref["source_sha256"]   # of the decompressed bytes
    assert speech_core(rec) == speech_core(ref)
    out2 = tmp_path / "out2"
    run_cli("clean", jl, "-o", out2, "-j", "1", "--input-format", "jsonl", check=True)
    (rec2,) = read_jsonl(out2 / "speeches.jsonl")
    assert rec2["source"] == "m" and speech_core(rec2) == speech_core(reference["by_seed"][MEDIUM][0])


def test_truncated_gzip_is_a_reject(tmp_path):
    bad = tmp_path / "cut.txt.gz"
    bad.write_bytes(gzip.compress((SEEDS / f"{SMALL}.txt").read_bytes())[:200])
    good = tmp_path / "good.txt"
    shutil.copy(SEEDS / f"{SMALL}.txt", good)
    out = tmp_path / "out"
    res = run_cli("clean", bad, good, "-o", out, "-j", "1")
    assert res.returncode == 1
    (rej,) = read_jsonl(out / "rejects.jsonl")
    assert rej["source"] == str(bad) and rej["reason"].startswith("cannot read")
    assert len(read_jsonl(out / "speeches.jsonl")) == 1


def test_corrupt_gzip_is_a_reject(tmp_path):
    data = bytearray(gzip.compress((SEEDS / f"{SMALL}.txt").read_bytes()))
    for i in range(30, 60):
        data[i] ^= 0xFF
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(bytes(data))
    good = tmp_path / "good.txt"
    shutil.copy(SEEDS / f"{SMALL}.txt", good)
    out = tmp_path / "out"
    res = run_cli("clean", bad, good, "-o", out, "-j", "1")
    assert "Traceback" not in res.stderr.decode(), res.stderr.decode()[-2000:]
    assert res.returncode == 1
    assert [r["source"] for r in read_jsonl(out / "rejects.jsonl")] == [str(bad)]


def test_zstd_inputs_read_transparently(tmp_path, reference):
    zstandard = pytest.importorskip("zstandard", reason="the zstd extra (zstandard) is not installed")
    raw = (SEEDS / f"{SMALL}.txt").read_bytes()
    page = tmp_path / f"{SMALL}.txt.zst"
    page.write_bytes(zstandard.ZstdCompressor().compress(raw))
    jl = tmp_path / "more.jsonl.zst"
    jl.write_bytes(zstandard.ZstdCompressor().compress(
        (json.dumps({"id": "m", "text": seed_text(MEDIUM)}) + "\n").encode()))
    out = tmp_path / "out"
    run_cli("clean", page, "-o", out, "-j", "1", check=True)
    (rec,) = read_jsonl(out / "speeches.jsonl")
    ref = reference["by_seed"][SMALL][0]
    assert rec["id"] == ref["id"] and rec["source_sha256"] == ref["source_sha256"]
    assert speech_core(rec) == speech_core(ref)
    out2 = tmp_path / "out2"
    run_cli("clean", jl, "-o", out2, "-j", "1", "--input-format", "jsonl", check=True)
    (rec2,) = read_jsonl(out2 / "speeches.jsonl")
    assert speech_core(rec2) == speech_core(reference["by_seed"][MEDIUM][0])


def test_corrupt_zstd_is_a_reject(tmp_path):
    zstandard = pytest.importorskip("zstandard", reason="the zstd extra (zstandard) is not installed")
    data = bytearray(zstandard.ZstdCompressor().compress((SEEDS / f"{SMALL}.txt").read_bytes()))
    for i in range(20, 50):
        data[i] ^= 0xFF
    bad = tmp_path / "bad.txt.zst"
    bad.write_bytes(bytes(data))
    out = tmp_path / "out"
    res = run_cli("clean", bad, SEEDS / f"{SMALL}.txt", "-o", out, "-j", "1")
    assert "Traceback" not in res.stderr.decode(), res.stderr.decode()[-2000:]
    assert res.returncode == 1
    assert [r["source"] for r in read_jsonl(out / "rejects.jsonl")] == [str(bad)]


def test_zst_without_zstandard_is_a_reject_naming_the_extra(tmp_path):
    page = tmp_path / "p.txt.zst"
    page.write_bytes(b"(\xb5/\xfd not really zstd")
    out = tmp_path / "out"
    res = run_cli("clean", page, "-o", out, "-j", "1",
                  python_prelude="import sys; sys.modules['zstandard'] = None")
    assert res.returncode == 1
    (rej,) = read_jsonl(out / "rejects.jsonl")
    assert "zstandard" in rej["reason"] and "cleaner[zstd]" in rej["reason"]


# --- sharded output ---------------------------------------------------------------------------

def shard_names(out):
    return sorted(p.name for p in out.glob("speeches*.jsonl"))


@pytest.mark.parametrize("size, counts", [(3, [3, 3, 1]), (7, [7]), (1, [1] * 7)])
def test_shards_hold_n_records_and_concatenate_to_the_single_file(tmp_path, reference, size, counts):
    out = tmp_path / "out"
    run_cli("clean", *(SEEDS / f"{n}.txt" for n in (MULTI, MEDIUM, SMALL)), "-o", out, "-j", "1",
            "--shard-size", size, check=True)
    names = shard_names(out)
    assert names == [f"speeches-{i:05d}.jsonl" for i in range(len(counts))]
    assert [len(read_jsonl(out / n)) for n in names] == counts
    assert b"".join((out / n).read_bytes() for n in names) == reference["bytes"]


def test_sharding_with_no_speeches_writes_one_empty_shard(tmp_path):
    out = tmp_path / "out"
    res = run_cli("clean", tmp_path / "missing.txt", "-o", out, "-j", "1", "--shard-size", 5)
    assert res.returncode == 1
    assert shard_names(out) == ["speeches-00000.jsonl"]
    assert (out / "speeches-00000.jsonl").read_bytes() == b""


def test_rerun_with_fewer_shards_leaves_no_stale_shards(tmp_path):
    out = tmp_path / "out"
    pages = [SEEDS / f"{n}.txt" for n in (MULTI, MEDIUM, SMALL)]
    run_cli("clean", *pages, "-o", out, "-j", "1", "--shard-size", 2, check=True)
    assert len(shard_names(out)) == 4
    run_cli("clean", pages[1], "-o", out, "-j", "1", "--shard-size", 2, check=True)
    assert shard_names(out) == ["speeches-00000.jsonl"]
