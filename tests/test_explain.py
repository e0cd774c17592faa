"""`cleaner explain`: a page with its edits marked, rule ids beside them, speech headers."""
import re
import subprocess
import sys

import cleaner
from cleaner.explain import marked_page, render_plain, render_rich
from cleaner.rules import load_rules

from .helpers import FIXTURES, ROOT

COMPILATION = FIXTURES / "seeds" / "000_3c868d3ef72c328c.txt"
HEADER = re.compile(r"^── speech (\d+): (.+) \| (.+) \| (.+) ──$", re.M)


def fresh_rules():
    """The rule files as they are now, as the CLI subprocesses load them (this process caches
    the catalog when it first loads it, and the rule files may have changed since)."""
    return load_rules.__wrapped__()


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "cleaner.cli", *map(str, args)], cwd=ROOT,
                          capture_output=True)


def test_explain_marks_edits_with_rule_ids_and_delimits_speeches():
    res = run_cli("explain", COMPILATION)          # stdout is a pipe: the plain form
    assert res.returncode == 0, res.stderr.decode()
    out = res.stdout.decode()
    assert out.startswith(f"# {COMPILATION}: site xiexiebang, encoding utf-8, ")
    heads = HEADER.findall(out)
    assert [int(h[0]) for h in heads] == [0, 1, 2, 3, 4]
    assert heads[0][1:] == ("在局系统双创工作会议上的讲话", "罗荣赓", "2011-03-18")
    assert "── speech 1: 在争创双拥模范城会议上的讲话 | - | - ──" in out
    assert "[-在双创工作会议上的讲话(精选五篇)\n-]{chrome.generic.page-title}" in out
    assert "[-(2011年3月18日)\n-]{segment.header.date}" in out
    assert "[-↵-]{layout.tidy}" in out                       # removed whitespace made visible
    ids = re.findall(r"(?:-\]|\+\})\{([\w.-]+)\}", out)
    result = cleaner.clean_bytes(COMPILATION.read_bytes(), rules=fresh_rules())
    assert ids == [e.rule for e in result.edits]                # every edit, in order
    # each header line stands on its own line, right before its speech's first words
    for sp in result.speeches:
        assert f"──\n{sp.text.splitlines()[0]}" in out


def test_explain_rule_prefix_shows_only_those_edits():
    res = run_cli("explain", COMPILATION, "--rule", "chrome.", "--plain")
    out = res.stdout.decode()
    assert res.returncode == 0
    marked = set(re.findall(r"(?:-\]|\+\})\{([\w.-]+)\}", out))
    assert marked and all(rid.startswith("chrome.") for rid in marked)
    assert "{layout.tidy}" not in out and "[-↵-]" not in out
    assert len(HEADER.findall(out)) == 5


def test_unselected_edits_are_applied_so_the_page_reads_as_cleaned():
    result = cleaner.clean_bytes(COMPILATION.read_bytes(), rules=fresh_rules())
    pieces = marked_page(result, rule_prefix="no-such-rule")
    assert all(p.kind in ("text", "header") for p in pieces)
    body = "".join(p.text for p in pieces if p.kind == "text")
    assert body.replace("\n", "") == result.text.replace("\n", "")


def test_replacements_and_insertions_in_the_plain_form():
    result = cleaner.clean_text("同志们:\n今年我们要设臵醒目的标志,确保取得实效。<br/>大家要认真落实。")
    plain = render_plain(marked_page(result))
    assert "设[-臵-]{+置+}{chars.misencoded}醒目" in plain
    assert "{+↵+}{web.html-tags}\n大家" in plain


def test_rich_form_strikes_out_removed_text():
    result = cleaner.clean_bytes(COMPILATION.read_bytes(), rules=fresh_rules())
    text = render_rich(marked_page(result))
    assert "{chrome.generic.page-title}" in text.plain
    assert "[-" not in text.plain
    styles = {str(span.style) for span in text.spans}
    assert "red strike" in styles


def test_explain_a_missing_file_is_an_error():
    res = run_cli("explain", "no/such/file.txt")
    assert res.returncode == 1 and b"error: no/such/file.txt" in res.stderr
