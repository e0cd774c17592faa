"""Site families beyond the seeds (fixtures/sites/): each page is one or two gold speeches wrapped in
chrome written for that site. Checks the parts the site rules own: the site is detected, no chrome
line survives into a speech, the facts the chrome states become document metadata, and the chrome
rules alone never touch a speech body.
"""
import json
import re
import unicodedata
from pathlib import Path

import pytest

from cleaner import clean_text
from cleaner.decode import decode
from cleaner.engine import run_data_rules
from cleaner.pipeline import detect_site
from cleaner.provenance import Page
from cleaner.rules import load_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SITES = FIXTURES / "sites"
RULES = load_rules()
PAGES = sorted(SITES.glob("*.txt"))
WS = re.compile(r"\s+")
DATE_LINE = re.compile(r"^[((]?(\d{4})年(\d{1,2})月(\d{1,2})日[))]?$")


def norm(s: str) -> str:
    return WS.sub("", unicodedata.normalize("NFKC", s))


def _load(path: Path) -> tuple[str, dict]:
    text = decode(path.read_bytes()).text
    gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
    return text, gold


def _speech_meta_line(line: str, gold: dict) -> bool:
    """A speaker or date line printed above a body: speech metadata, segmentation's business."""
    u = norm(line)
    for sp in gold["speeches"]:
        if sp.get("speaker") and u == norm(sp["speaker"]):
            return True
        m = DATE_LINE.match(u)
        if m and sp.get("date") == "%s-%02d-%02d" % (m[1], int(m[2]), int(m[3])):
            return True
    return False


def chrome_lines(text: str, gold: dict) -> list[str]:
    """Lines of the raw page (4+ characters) that are not part of a gold speech text or title."""
    inside = "\n".join(norm(sp["text"]) + "\n" + norm(sp.get("title") or "") for sp in gold["speeches"])
    out = []
    for line in text.splitlines():
        u = norm(line)
        if len(u) >= 4 and u not in inside and not _speech_meta_line(line, gold):
            out.append(line.strip())
    return out


def test_there_is_a_page_for_every_family():
    sites = {json.loads(p.with_name(p.stem + ".gold.json").read_text(encoding="utf-8"))["site"] for p in PAGES}
    assert {"docin", "doc88", "book118", "baiduwenku", "360doc"} <= sites
    assert len(sites) >= 7
    assert {s.key for s in RULES.sites} >= sites


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_site_is_detected(path):
    text, gold = _load(path)
    assert detect_site(text, RULES) == gold["site"]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_no_chrome_line_survives(path):
    text, gold = _load(path)
    result = clean_text(text, source=path.name)
    assert result.site == gold["site"]
    out = "\n".join(norm(sp.text) for sp in result.speeches)
    left = [line for line in chrome_lines(text, gold) if norm(line) in out]
    assert not left, f"chrome left in the output of {path.name}: {left}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_chrome_facts_become_document_metadata(path):
    text, gold = _load(path)
    result = clean_text(text, source=path.name)
    want = gold["document"]
    got = {k: result.document.get(k) for k in want}
    assert got == want


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_chrome_rules_leave_the_bodies_alone(path):
    """The chrome stage by itself (every data rule of the page's site and generic scope) keeps every
    body line of every speech intact, as a line of its own."""
    text, gold = _load(path)
    rules = [r for r in RULES.for_stage("chrome", gold["site"]) if r.kind != "fixer"]
    page = Page(text)
    page.apply(run_data_rules(text, rules, {}))
    kept = {line.strip() for line in page.text.split("\n")}
    for sp in gold["speeches"]:
        lost = [line for line in sp["text"].split("\n") if line not in kept]
        assert not lost, f"chrome rules changed body lines of {path.name}: {lost[:3]}"


@pytest.mark.parametrize("path", sorted((FIXTURES / "gold").glob("*.gold.json")), ids=lambda p: p.stem[:3])
def test_seed_sites_are_still_detected(path):
    """New signatures must not claim the seed pages of other families (or of no known family)."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    raw = FIXTURES / "seeds" / gold["source"]
    assert detect_site(decode(raw.read_bytes()).text, RULES) == gold["site"]


def test_a_borrowed_ad_does_not_move_a_page_to_another_family():
    """xiexiebang pages carry fwsir's inline ad; the ad alone must not outvote xiexiebang's own names."""
    page = ("在双创工作会议上的讲话\n时间:2019-05-15 03:33:58 写写帮文库\n同志们:\n"
            "主要是来学习、来取经的。[找文章到☆好范文 fwsir.com(http://www.xiexiebang.com)一站在手,写作无忧!]\n")
    assert detect_site(page, RULES) == "xiexiebang"
    assert detect_site("同志们:\n[找文章到☆好范文 fwsir.com(http://www.xiexiebang.com)一站在手,写作无忧!]\n",
                       RULES) == "xiexiebang"


def test_traditional_pages_are_detected():
    """Detection runs on the page before 繁→简 conversion: signatures accept both scripts."""
    assert detect_site("豆丁網 docin.com\n在會議上的講話\n", RULES) == "docin"
    assert detect_site("百度文庫\n內容来自用戶:abc\n", RULES) == "baiduwenku"
    assert detect_site("原創力文檔\n", RULES) == "book118"
    assert detect_site("360doc個人圖書館\n", RULES) == "360doc"


def test_inline_ads_alone_do_not_name_the_family():
    """An ad pasted inside a body line names the site that wrote the ad, not the page's site."""
    page = ("在表彰大会上的讲话\n同志们:\n力求扎实推进取得实效。【更多精彩范文请访问第一范文网 www.diyifanwen.com】一会儿,"
            "陈衍桃同志还代表督导组作重要讲话。[找文章到☆好范文 www.fwsir.com 一站在手,写作无忧!]谢谢大家!\n")
    assert detect_site(page, RULES) == "unknown"
