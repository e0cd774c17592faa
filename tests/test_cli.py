"""The CLI as a user runs it: outputs, audit replay, errors, exit codes, determinism."""
import json
import os
import shutil
import subprocess
import sys

from cleaner import revert_edits
from cleaner.records import rebuild_cleaned

from .helpers import FIXTURES, ROOT

SEEDS = FIXTURES / "seeds"


def run_cli(*args, input=None, check=False):
    return subprocess.run([sys.executable, "-m", "cleaner.cli", *map(str, args)], input=input,
                          capture_output=True, cwd=ROOT, check=check)


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_clean_writes_records_and_an_audit_that_rebuilds_the_source(tmp_path):
    out = tmp_path / "out"
    res = run_cli("clean", SEEDS, "-o", out, "--audit", "-j", "1")
    assert res.returncode == 0, res.stderr.decode()
    speeches = read_jsonl(out / "speeches.jsonl")
    audits = {a["source"]: a for a in read_jsonl(out / "audit.jsonl")}
    assert len(audits) == 5
    for key in ("id", "source", "source_sha256", "encoding", "site", "document", "index", "count",
                "title", "speaker", "date", "text", "span"):
        assert key in speeches[0]
    for src, audit in audits.items():
        texts = [s["text"] for s in speeches if s["source"] == src]
        cleaned = rebuild_cleaned(texts, audit)
        raw = open(src, "rb").read().decode(audit["encoding"])
        from cleaner.provenance import Edit
        edits = [Edit(e["rule"], e["start"], e["end"], e["old"], e["new"]) for e in audit["edits"]]
        assert revert_edits(cleaned, edits) == raw
        for rec in (s for s in speeches if s["source"] == src):
            a, b = rec["span"]
            assert 0 <= a < b <= len(raw)
            assert rec["id"] == f"{os.path.splitext(os.path.basename(src))[0]}#{rec['index']}"


def test_one_and_many_jobs_give_identical_files(tmp_path):
    run_cli("clean", SEEDS, "-o", tmp_path / "a", "-j", "1", "--audit", check=True)
    run_cli("clean", SEEDS, "-o", tmp_path / "b", "-j", "2", "--audit", check=True)
    for name in ("speeches.jsonl", "audit.jsonl", "rejects.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_bad_inputs_are_reported_and_the_rest_is_processed(tmp_path):
    pages = tmp_path / "in"
    pages.mkdir()
    shutil.copy(SEEDS / "004_afa1f4f367c7ea41.txt", pages / "good.txt")
    (pages / "binary.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n" + bytes(range(256)) * 4)
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    out = tmp_path / "out"
    res = run_cli("clean", pages, tmp_path / "missing.txt", empty_dir, "-o", out, "-j", "1")
    err = res.stderr.decode()
    assert res.returncode == 1
    assert "missing.txt: no such file or directory" in err
    assert "empty: directory holds no files" in err
    assert "binary.txt" in err
    rejects = read_jsonl(out / "rejects.jsonl")
    assert {os.path.basename(r["source"]) for r in rejects} == {"binary.txt", "missing.txt", "empty"}
    assert any(r["source"].endswith("good.txt") for r in read_jsonl(out / "speeches.jsonl"))


def test_stdin_to_stdout(tmp_path):
    data = (SEEDS / "004_afa1f4f367c7ea41.txt").read_bytes()
    res = run_cli("clean", "-", "-o", "-", "-j", "1", input=data)
    assert res.returncode == 0
    recs = [json.loads(l) for l in res.stdout.decode().splitlines()]
    assert recs and recs[0]["title"].startswith("在XX区")


def test_txt_format_writes_one_file_per_speech(tmp_path):
    out = tmp_path / "out"
    run_cli("clean", SEEDS / "000_3c868d3ef72c328c.txt", "-o", out, "--format", "txt", "-j", "1", check=True)
    files = sorted((out / "txt").iterdir())
    assert [f.name for f in files] == [f"000_3c868d3ef72c328c_{i}.txt" for i in range(5)]
    assert files[0].read_text(encoding="utf-8").startswith("同志们:")


def test_version_prints_rule_hash():
    res = run_cli("--version", check=True)
    assert res.stdout.decode().startswith("cleaner ") and "rules " in res.stdout.decode()


def test_include_and_exclude_choose_the_files_of_a_directory(tmp_path):
    """A folder of pages usually holds other files too (gold answers, a manifest, a README)."""
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    shutil.copy(SEEDS / "004_afa1f4f367c7ea41.txt", pages / "a.txt")
    shutil.copy(SEEDS / "001_e1b3b74997207657.txt", pages / "sub" / "b.txt")
    (pages / "a.gold.json").write_text('{"source": "a.txt"}', encoding="utf-8")
    (pages / "README.md").write_text("# pages\n", encoding="utf-8")
    sources = lambda out: sorted({os.path.basename(r["source"]) for r in read_jsonl(out / "speeches.jsonl")})
    res = run_cli("clean", pages, "-o", tmp_path / "o1", "-j", "1", "--include", "*.txt")
    assert res.returncode == 0, res.stderr.decode()
    assert sources(tmp_path / "o1") == ["a.txt", "b.txt"]
    res = run_cli("clean", pages, "-o", tmp_path / "o2", "-j", "1", "--exclude", "*.json", "--exclude", "*.md")
    assert res.returncode == 0 and sources(tmp_path / "o2") == ["a.txt", "b.txt"]
    res = run_cli("clean", pages, "-o", tmp_path / "o3", "-j", "1", "--include", "*.html")
    assert res.returncode == 1
    assert "holds no files matching --include/--exclude" in res.stderr.decode()
