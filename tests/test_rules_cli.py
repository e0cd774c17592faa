"""`cleaner rules` (list, --json, --stats, --doc, --markdown) and the rule-set hash in records."""
import json
import re
import subprocess
import sys

from cleaner.rules import load_rules

from .helpers import FIXTURES, ROOT

SEEDS = FIXTURES / "seeds"


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "cleaner.cli", *map(str, args)], cwd=cwd,
                          capture_output=True)


def catalog_ids():
    # from a fresh process: the rule files may have changed since this test process loaded them
    return [r["id"] for r in json.loads(run_cli("rules", "--json").stdout)]


def fresh_rules():
    return load_rules.__wrapped__()       # not the copy this process cached at its start


def digest():
    version = run_cli("--version").stdout.decode()
    return re.fullmatch(r"cleaner \S+ \(rules ([0-9a-f]{12})\)\n", version).group(1)


def test_rules_lists_the_catalog_as_before():
    res = run_cli("rules")
    assert res.returncode == 0
    lines = res.stdout.decode().splitlines()
    assert [ln.split()[0] for ln in lines] == catalog_ids()
    recs = json.loads(run_cli("rules", "--json").stdout)
    assert [r["id"] for r in recs] == [ln.split()[0] for ln in lines]
    assert set(recs[0]) == {"id", "scope", "stage", "kind", "description", "file"}


def test_stats_counts_every_rule_including_those_that_never_fire():
    res = run_cli("rules", "--stats", SEEDS, "-j", "1")
    assert res.returncode == 0, res.stderr.decode()
    lines = res.stdout.decode().splitlines()
    assert lines[0].split() == ["rule", "scope", "stage", "edits", "files"]
    rows = {ln.split()[0]: ln for ln in lines[1:-1]}
    assert set(catalog_ids()) <= set(rows)
    tidy = rows["layout.tidy"].split()
    assert tidy[4] == "5" and int(tidy[3]) > 5 and rows["layout.tidy"].endswith("every file")
    assert any(ln.endswith("never") for ln in rows.values())
    assert re.match(r"^5 files \(0 failed\), \d+ rules: \d+ never fired, \d+ fired in every file", lines[-1])

    report = json.loads(run_cli("rules", "--stats", SEEDS, "--json", "-j", "2").stdout)
    assert report["files"] == 5 and report["failed"] == 0
    assert report["rules_version"] == digest()
    by_id = {r["id"]: r for r in report["rules"]}
    assert set(catalog_ids()) <= set(by_id)
    assert all(isinstance(r["edits"], int) and 0 <= r["files"] <= 5 for r in report["rules"])
    assert by_id["layout.tidy"]["files"] == 5
    never = [r for r in report["rules"] if r["in_catalog"] and r["edits"] == 0]
    assert never and report["rules"][-len(never):] == never      # never-fired rules come last
    files = [r["files"] for r in report["rules"]]
    assert files == sorted(files, reverse=True)


def test_stats_reports_bad_inputs(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    res = run_cli("rules", "--stats", tmp_path, "--json", "-j", "1")
    assert res.returncode == 0
    assert json.loads(res.stdout)["failed"] == 1 and b"bin.txt" in res.stderr


def test_stats_needs_inputs_and_inputs_need_stats():
    assert run_cli("rules", "--stats").returncode == 2
    assert run_cli("rules", SEEDS).returncode == 2


def test_doc_prints_one_rules_page():
    res = run_cli("rules", "--doc", "chars.misencoded")
    assert res.returncode == 0
    out = res.stdout.decode()
    for field in ("id:      chars.misencoded", "scope:   generic", "stage:   chars", "kind:    table",
                  "file:    rules/repair/chars.toml"):
        assert field in out
    assert fresh_rules().by_id("chars.misencoded").description in out
    assert 'fixes: "成为全国的一面旗臶"' in out and '-> "成为全国的一面旗帜"' in out


def test_doc_shows_what_the_rule_makes_of_its_match_examples():
    rule = next(r for r in fresh_rules().rules if r.match and r.kind == "line")
    out = run_cli("rules", "--doc", rule.id).stdout.decode()
    assert f"changes: {json.dumps(rule.match[0], ensure_ascii=False)}\n" in out


def test_doc_of_an_unknown_rule_suggests_ids():
    res = run_cli("rules", "--doc", "chrome.generic.page")
    assert res.returncode == 2
    assert b"chrome.generic.page-title" in res.stderr


def test_markdown_has_a_section_for_every_rule():
    res = run_cli("rules", "--markdown")
    assert res.returncode == 0
    md = res.stdout.decode()
    assert md.startswith("# Rule catalog\n")
    sections = re.findall(r"^### (\S+)$", md, re.M)
    assert sections and sorted(sections) == sorted(catalog_ids())
    assert md.count("```") % 2 == 0


def test_docs_rules_md_is_the_generated_catalog():
    # Rules change all the time: the committed file is not compared with the catalog.
    md = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert md.startswith("# Rule catalog\n") and "cleaner rules --markdown" in md


def test_every_output_record_carries_the_rule_set_hash(tmp_path):
    version = digest()
    res = run_cli("clean", SEEDS / "000_3c868d3ef72c328c.txt", SEEDS / "004_afa1f4f367c7ea41.txt",
                  "-o", "-", "-j", "1")
    recs = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert len(recs) >= 2 and all(r["rules_version"] == version for r in recs)
    out = tmp_path / "out"
    run_cli("clean", SEEDS, "-o", out, "--audit", "-j", "1")
    for name in ("speeches.jsonl", "audit.jsonl"):
        recs = [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]
        assert recs and all(r["rules_version"] == version for r in recs)
