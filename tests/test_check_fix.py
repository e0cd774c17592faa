"""`cleaner check` and `cleaner fix` as a user runs them: findings, formats, exit codes, and
fix being idempotent (fix, then check finds nothing and a second fix changes nothing)."""
import json
import re
import shutil
import subprocess
import sys

import pytest

import cleaner
from cleaner.check import plan_file, render_speech
from cleaner.rules import load_rules

from .helpers import FIXTURES, ROOT

SEEDS = FIXTURES / "seeds"
COMPILATION = SEEDS / "000_3c868d3ef72c328c.txt"   # five speeches
SINGLE = SEEDS / "004_afa1f4f367c7ea41.txt"
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>\S+) (?P<msg>.+)$")


def fresh_rules():
    """The rule files as they are now, as the CLI subprocesses load them (this process caches
    the catalog when it first loads it, and the rule files may have changed since)."""
    return load_rules.__wrapped__()


def run_cli(*args, cwd=ROOT, input=None):
    return subprocess.run([sys.executable, "-m", "cleaner.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, input=input, env=_env())


def _env():
    import os
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def copy(src, folder, name=None):
    dst = folder / (name or src.name)
    shutil.copyfile(src, dst)   # copyfile: the fixtures are read-only, the copies must not be
    return dst


def gold(stem):
    return json.loads((FIXTURES / "gold" / f"{stem}.gold.json").read_text(encoding="utf-8"))


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- check ---------------------------------------------------------------------------------

def test_check_a_raw_page_reports_findings_and_fails(tmp_path):
    page = copy(SINGLE, tmp_path, "page.txt")
    res = run_cli("check", "page.txt", cwd=tmp_path)
    assert res.returncode == 1, res.stderr.decode()
    lines = res.stdout.decode().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines[:5]
    found = [LINE.match(line) for line in lines]
    assert {m["path"] for m in found} == {"page.txt"}
    keys = [(int(m["line"]), int(m["col"])) for m in found]
    assert keys == sorted(keys)
    assert any(m["rule"].startswith("chrome.") for m in found)
    first = found[0]
    assert first["rule"] == "chrome.renrenfanwen.site-header" and (first["line"], first["col"]) == ("1", "1")
    assert first["msg"].startswith('removes "人人范文网')
    assert page.read_bytes() == SINGLE.read_bytes()     # check never writes


def test_check_a_clean_speech_file_passes_silently(tmp_path):
    sp = gold("000_3c868d3ef72c328c")["speeches"][0]
    (tmp_path / "plain.txt").write_text(sp["text"] + "\n", encoding="utf-8")
    (tmp_path / "headed.txt").write_text(render_speech(sp["title"], sp["speaker"], sp["date"], sp["text"]),
                                         encoding="utf-8")
    res = run_cli("check", tmp_path)
    assert (res.returncode, res.stdout, res.stderr) == (0, b"", b"")


def test_line_and_column_point_at_the_edit_in_the_decoded_text():
    text = "同志们:\n今年我们要设臵醒目的标志,这是一项重要的工作,大家要认真落实,确保取得实效。\n"
    plan = plan_file("s.txt", text.encode("utf-8"))
    assert [(f.line, f.col, f.rule, f.message) for f in plan.findings] == [
        (2, 7, "chars.misencoded", 'replaces "臵" with "置"')]
    assert plan.findings[0].text() == 's.txt:2:7: chars.misencoded replaces "臵" with "置"'


def test_json_and_github_formats(tmp_path):
    copy(SINGLE, tmp_path, "page.txt")
    res = run_cli("check", "--format", "json", "page.txt", cwd=tmp_path)
    assert res.returncode == 1
    recs = json.loads(res.stdout)
    assert isinstance(recs, list) and recs
    assert all(set(r) == {"path", "line", "col", "rule", "message"} for r in recs)
    assert all(r["path"] == "page.txt" and r["line"] >= 1 and r["col"] >= 1 for r in recs)
    text = run_cli("check", "page.txt", cwd=tmp_path).stdout.decode().splitlines()
    assert [f"{r['path']}:{r['line']}:{r['col']}: {r['rule']} {r['message']}" for r in recs] == text

    res = run_cli("check", "--format", "github", "page.txt", cwd=tmp_path)
    assert res.returncode == 1
    lines = res.stdout.decode().splitlines()
    assert len(lines) == len(recs)
    assert lines[0] == f"::error file=page.txt,line=1,col=1,title=chrome.renrenfanwen.site-header::{recs[0]['message']}"
    assert all(re.match(r"^::error file=page\.txt,line=\d+,col=\d+,title=[^:,]+::\S", ln) for ln in lines)
    assert all("\n" not in ln for ln in lines)

    clean = tmp_path / "clean.txt"
    clean.write_text("同志们:\n今天我们召开这次会议,主要任务是总结去年的工作,部署今年的任务。\n", encoding="utf-8")
    assert run_cli("check", "--format", "json", clean).stdout.decode().strip() == "[]"


def test_undecodable_and_missing_files_are_findings(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4)
    res = run_cli("check", "bin.txt", "missing.txt", cwd=tmp_path)
    assert res.returncode == 1
    lines = res.stdout.decode().splitlines()
    assert lines[0].startswith("bin.txt:1:1: E-DECODE ")
    assert lines[1] == "missing.txt:1:1: E-READ no such file or directory"
    before = (tmp_path / "bin.txt").read_bytes()
    res = run_cli("fix", "bin.txt", cwd=tmp_path)
    assert res.returncode == 1 and b"error: bin.txt" in res.stderr
    assert (tmp_path / "bin.txt").read_bytes() == before


@pytest.mark.parametrize("raw, rule", [
    ("同志们:\n今天的会议很重要,大家要认真领会会议精神。".encode("utf-8"), "format.eol"),
    (b"\xef\xbb\xbf" + "同志们:\n今天的会议很重要,大家要认真领会会议精神。\n".encode("utf-8"), "format.bom"),
    (("同志们:\n今天的会议很重要,大家要认真领会会议精神,把各项工作落到实处,确保取得实效。"
      "我们要坚持问题导向,细化工作措施。\n" * 3).encode("gb18030"), "format.encoding"),
], ids=["no-final-newline", "bom", "gb18030"])
def test_what_no_rule_names_is_a_format_finding_and_fix_repairs_it(tmp_path, raw, rule):
    path = tmp_path / "s.txt"
    path.write_bytes(raw)
    res = run_cli("check", "s.txt", cwd=tmp_path)
    assert res.returncode == 1 and f" {rule} " in res.stdout.decode(), res.stdout.decode()
    res = run_cli("fix", "s.txt", cwd=tmp_path)
    assert res.returncode == 0 and res.stdout.decode().startswith("fixed s.txt ("), res.stderr.decode()
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and data.endswith("。\n".encode("utf-8"))
    data.decode("utf-8")
    assert run_cli("check", "s.txt", cwd=tmp_path).returncode == 0


def test_crlf_line_ends_are_findings_and_fix_writes_lf(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes("同志们:\r\n今天的会议很重要,大家要认真领会会议精神。\r\n".encode("utf-8"))
    res = run_cli("check", path)
    assert res.returncode == 1 and "layout.crlf" in res.stdout.decode()
    assert run_cli("fix", path).returncode == 0
    assert path.read_bytes() == "同志们:\n今天的会议很重要,大家要认真领会会议精神。\n".encode("utf-8")


# -- fix -----------------------------------------------------------------------------------

def test_fix_splits_a_compilation_then_check_passes_and_fix_is_a_no_op(tmp_path):
    copy(COMPILATION, tmp_path)
    res = run_cli("fix", COMPILATION.name, cwd=tmp_path)
    assert res.returncode == 0, res.stderr.decode()
    names = [f"000_3c868d3ef72c328c.{i}.txt" for i in range(5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    out = res.stdout.decode()
    assert out.startswith(f"split {COMPILATION.name} -> {', '.join(names)} (")
    assert f"{COMPILATION.name} removed" in out

    res = run_cli("check", ".", cwd=tmp_path)
    assert (res.returncode, res.stdout) == (0, b""), res.stdout.decode()[:2000]
    before = snapshot(tmp_path)
    res = run_cli("fix", ".", cwd=tmp_path)
    assert (res.returncode, res.stdout, res.stderr) == (0, b"", b"")
    assert snapshot(tmp_path) == before


def test_fixed_files_keep_title_date_and_speaker_and_the_cleaner_reads_them_back(tmp_path):
    copy(COMPILATION, tmp_path)
    run_cli("fix", COMPILATION.name, cwd=tmp_path)
    original = cleaner.clean_bytes(COMPILATION.read_bytes(), rules=fresh_rules())
    for sp in original.speeches:
        part = tmp_path / f"000_3c868d3ef72c328c.{sp.index}.txt"
        text = part.read_text(encoding="utf-8")
        assert text.endswith("\n") and "\r" not in text and "\n\n" not in text
        if sp.index == 0:
            assert text.startswith("在局系统双创工作会议上的讲话\n(2011年3月18日)\n罗荣赓\n同志们:\n")
        again = cleaner.clean_bytes(part.read_bytes(), rules=fresh_rules())
        assert len(again.speeches) == 1
        back = again.speeches[0]
        assert back.text == sp.text
        assert (back.title, back.speaker, back.date) == (sp.title, sp.speaker, sp.date)


def test_fix_a_single_page_in_place(tmp_path):
    page = copy(SINGLE, tmp_path, "page.txt")
    res = run_cli("fix", "page.txt", cwd=tmp_path)
    assert res.returncode == 0
    assert re.fullmatch(r"fixed page\.txt \(\d+ edits\)\n", res.stdout.decode())
    expected = cleaner.clean_bytes(SINGLE.read_bytes(), rules=fresh_rules()).speeches[0]
    text = page.read_text(encoding="utf-8")
    assert text.endswith(expected.text + "\n")
    assert text.startswith(expected.title + "\n")
    assert run_cli("check", "page.txt", cwd=tmp_path).returncode == 0


def test_fix_does_not_overwrite_a_different_file_in_the_way(tmp_path):
    copy(COMPILATION, tmp_path)
    (tmp_path / "000_3c868d3ef72c328c.2.txt").write_text("something else\n", encoding="utf-8")
    res = run_cli("fix", COMPILATION.name, cwd=tmp_path)
    assert res.returncode == 1 and b"exists and differs" in res.stderr
    assert (tmp_path / COMPILATION.name).read_bytes() == COMPILATION.read_bytes()
    assert not (tmp_path / "000_3c868d3ef72c328c.0.txt").exists()


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_what_fix_writes_is_stable(seed):
    data = (SEEDS / seed).read_bytes()
    plan = plan_file(seed, data)
    assert plan.changed and not plan.error
    for out in plan.outputs:
        again = plan_file(out.path, out.text.encode("utf-8"))
        assert not again.changed, [f.text() for f in again.findings][:5]
        assert [(o.path, o.text) for o in again.outputs] == [(out.path, out.text)]
