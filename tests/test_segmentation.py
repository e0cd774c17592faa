"""Splitting and repeated speeches, end to end on the seed compilations."""
import json
import random

from hypothesis import given, settings, strategies as st

from cleaner import Options, clean_bytes, clean_text
from cleaner.pipeline import run_rule_alone
from cleaner.rules import load_rules
from cleaner.text import ITEM_START, ends_sentence

from .helpers import FIXTURES, raw_fixtures

SEED_003 = FIXTURES / "seeds" / "003_5c63eede7426c25a.txt"
RULES = load_rules()


def test_repeated_speeches_are_dropped_by_default_with_an_edit_naming_the_original():
    result = clean_bytes(SEED_003.read_bytes())
    assert len(result.speeches) == 15
    dropped = [e for e in result.edits if e.rule == "segment.dedupe"]
    assert {e.note for e in dropped} == {"duplicate_of=13", "duplicate_of=2"}


def test_keep_duplicates_keeps_them_marked():
    result = clean_bytes(SEED_003.read_bytes(), options=Options(keep_duplicates=True))
    gold = json.loads((FIXTURES / "gold" / "003_5c63eede7426c25a.gold.json").read_text(encoding="utf-8"))
    assert len(result.speeches) == len(gold["speeches"]) == 17
    marks = {sp.index: sp.duplicate_of for sp in result.speeches if sp.duplicate_of is not None}
    assert marks == {i: g["duplicate_of"] for i, g in enumerate(gold["speeches"]) if g["duplicate_of"] is not None}


def test_every_edit_names_a_rule_of_the_catalog():
    known = {r.id for r in RULES.rules}
    for path in raw_fixtures():
        try:
            result = clean_bytes(path.read_bytes(), source=path.name)
        except ValueError:
            continue
        unknown = {e.rule for e in result.edits} - known
        assert not unknown, f"{path.name}: edits by rules missing from the catalog: {unknown}"


def _gold_paragraphs():
    paras = []
    for path in sorted((FIXTURES / "gold").glob("*.gold.json")):
        for sp in json.loads(path.read_text(encoding="utf-8"))["speeches"]:
            paras.extend(sp["text"].split("\n"))
    return paras


# A paragraph that stops mid-sentence (001's "…有没有", cut short by the site) is exactly what a
# page break looks like, and the join rule is right to join it; it is not "clean text" here.
PARAS = [p for p in _gold_paragraphs() if ends_sentence(p) or len(p) < 25 or (ITEM_START.match(p) and len(p) <= 60)]
DISTINCT_PARAS = sorted(set(PARAS))
REPAIRS = [r for r in RULES.rules if r.stage not in ("segment", "dedupe", "chrome") and r.kind != "part"]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 12))
def test_repairs_leave_clean_text_alone(seed, n):
    """Clean simplified text in, identical text out: random runs of gold paragraphs (which may
    end up next to paragraphs of another speech) pass every repair rule unchanged."""
    rnd = random.Random(seed)
    start = rnd.randrange(len(PARAS))
    # distinct texts: two speeches' identical 同志们: lines side by side are a repetition, not clean text
    text = "\n".join(PARAS[start:start + n]) if rnd.random() < 0.5 else "\n".join(rnd.sample(DISTINCT_PARAS, n))
    for rule in REPAIRS:
        out, props = run_rule_alone(rule, text, rules=RULES)
        assert out == text, f"{rule.id} changed clean text: {props[:2]}"


def test_clean_speech_is_one_speech_unchanged():
    for path in sorted((FIXTURES / "gold").glob("*.gold.json")):
        for sp in json.loads(path.read_text(encoding="utf-8"))["speeches"]:
            result = clean_text(sp["text"])
            assert [s.text for s in result.speeches] == [sp["text"]], path.name
            assert result.edits == [], (path.name, result.edits[:3])


# -- header lines and entry markers in the forms held-out pages showed ------------------------

from cleaner.segment import clean_title, date_and_speaker, page_title, wrapped_title  # noqa: E402

BODY = ("今年是我县创建省级卫生文明城市关键之年,是县委县政府提出的“一年打基础、两年上台阶、三年达目标”"
        "上台阶之年,是我县双创工作最为关键的攻坚之年。")
BODY2 = ("今天这次会议是按照市委、市政府领导的指示要求召开的,既是双拥创城迎查工作的一次任务再部署,"
         "也是倡导社会各界积极参与双拥创城活动的一次思想再发动,非常及时,十分重要。")
BODY3 = ("根据会议安排,下面我就今年防汛防旱工作情况向大家作一部署。去年汛期一结束,我们就将防汛防台防旱工作的"
         "重点转移到今年的备汛工作,各项准备工作正积极有序的开展。")


def _meta(page: str):
    return [(sp.title, sp.speaker, sp.date, sp.text.split("\n")[0]) for sp in clean_text(page).speeches]


def test_header_lines_state_dates_in_any_print_form_and_names_in_brackets():
    cases = {
        "(2011年3月18日)": ("2011-03-18", None), "2013.01.15": ("2013-01-15", None),
        "2016-5-6": ("2016-05-06", None), "(二〇一一年三月十八日)": ("2011-03-18", None),
        "(2016年3月18日 陈国平)": ("2016-03-18", "陈国平"), "(陈志远 2009年9月21日)": ("2009-09-21", "陈志远"),
        "(2011年8月4日 局长 刘志强)": ("2011-08-04", "刘志强"), "王建国同志": (None, "王建国"),
        "(王立新)": (None, "王立新"), "××局局长 郑国强": (None, "郑国强"), "区委书记 XXX": (None, "XXX"),
    }
    for line, want in cases.items():
        assert date_and_speaker(line, line) == want, line
    for line in ("(定稿)", "(讨论稿)", "各位同志", "工作会议讲话稿", "在双创工作会议上的讲话", "2019.05", "12.5.6"):
        assert date_and_speaker(line, line) is None, line


def test_titles_lose_what_sites_and_compilations_put_before_them():
    assert clean_title("——在全区创卫工作推进会议上的讲话") == "在全区创卫工作推进会议上的讲话"
    assert clean_title("★在全镇创先争优活动动员大会上的讲话") == "在全镇创先争优活动动员大会上的讲话"
    assert clean_title("NO.2在局系统双创工作会议上的讲话") == "在局系统双创工作会议上的讲话"
    assert clean_title("精选范文一:市人大主任在市委人大工作会议上的讲话") == "市人大主任在市委人大工作会议上的讲话"
    assert clean_title("(二)在市政府安委会扩大会议上的讲话") == "在市政府安委会扩大会议上的讲话"
    for keep in ("一、认真总结经验", "2019年工作报告", "“十四五”规划讲话"):
        assert clean_title(keep) == keep
    assert wrapped_title("在双山镇人大换届选举工作会议", "上的讲话")
    assert not wrapped_title("在双山镇人大换届选举工作会议上的讲话", "镇党委书记 张明华")


def test_a_single_speech_without_its_own_heading_takes_the_page_title():
    assert page_title("[转载]在全区防汛防旱工作会议上的讲话") == "在全区防汛防旱工作会议上的讲话"
    assert page_title("在双创会议上的讲话_写写帮文库") == "在双创会议上的讲话"
    assert page_title("在双创工作会议上的讲话(精选五篇)") is None
    page = f"在争创双拥模范城会议上的讲话\n来源:市双拥办 发布时间:2012-09-18\n同志们:\n{BODY}\n"
    assert _meta(page) == [("在争创双拥模范城会议上的讲话", None, None, "同志们:")]


def test_bullets_and_enumerators_before_a_speech_title_open_entries():
    page = (f"防汛工作会议讲话稿(最新)\n(一)在全区防汛防旱工作会议上的讲话\n2016年4月12日\n各位领导,同志们:\n{BODY}\n"
            f"(一)开展防汛安全检查。{BODY}\n(二)明确防汛工作职责。{BODY}\n"
            f"(二)在市政府安委会扩大会议上的讲话\n2013.01.15\n××局局长 郑国强\n同志们:\n{BODY2}\n"
            f"◆在全局开展“两评一树”活动\n动员会议上的讲话\n(2011年8月4日)\n同志们:\n{BODY3}\n")
    assert _meta(page) == [("在全区防汛防旱工作会议上的讲话", None, "2016-04-12", "各位领导,同志们:"),
                           ("在市政府安委会扩大会议上的讲话", "郑国强", "2013-01-15", "同志们:"),
                           ("在全局开展“两评一树”活动动员会议上的讲话", None, "2011-08-04", "同志们:")]


def test_section_headings_that_name_a_speech_do_not_open_entries():
    page = (f"在全县经济工作会议上的讲话\n同志们:\n{BODY}\n一、认真学习总书记的重要讲话\n{BODY}\n"
            f"二、深入领会省委书记的讲话\n{BODY}\n谢谢大家!\n")
    assert len(clean_text(page).speeches) == 1


def test_rows_of_dashes_separate_the_entries_of_a_compilation():
    page = (f"党建活动讲话稿(优秀3篇)\n在学校动员大会上的讲话\n同志们:\n{BODY}\n谢谢大家!\n"
            f"------------------\n6月29日,省档案局(馆)隆重召开了大会。{BODY2}\n**********\n"
            f"在全区创卫工作会议上的讲话\n同志们:\n{BODY3}\n")
    got = _meta(page)
    assert [t for t, *_ in got] == ["在学校动员大会上的讲话", None, "在全区创卫工作会议上的讲话"]
    assert got[1][3].startswith("6月29日")
    assert all("---" not in sp.text and "***" not in sp.text for sp in clean_text(page).speeches)


def test_the_date_nearest_the_body_is_the_speechs_and_a_site_clock_is_not():
    page = (f"沙河镇人民政府\n2024年3月4日 星期一 | 无障碍浏览\n在全镇创先争优活动动员大会上的讲话\n"
            f"镇党委书记 周建国同志\n(2010年6月8日)\n同志们:\n{BODY}\n")
    assert _meta(page) == [("在全镇创先争优活动动员大会上的讲话", "周建国", "2010-06-08", "同志们:")]


def test_a_comment_box_under_a_related_title_is_no_speech():
    page = (f"在局系统双创工作会议上的讲话\n同志们:\n{BODY}\n{BODY2}\n谢谢大家!\n"
            f"县委副书记在城市管理工作会议上的讲话\n网友评论:(只显示最新10条。评论内容只代表网友观点,与本站立场无关!)\n")
    result = clean_text(page)
    assert [sp.title for sp in result.speeches] == ["在局系统双创工作会议上的讲话"]
    assert result.speeches[0].text.endswith("谢谢大家!")
    assert any(e.rule == "segment.trailing-chrome" for e in result.edits)


def test_a_wrapped_title_after_a_speech_goes_with_the_next_speech():
    page = (f"城市创建工作领导讲话选编(2篇)\n在全区创卫工作会议上的讲话\n同志们:\n{BODY}\n{BODY2}\n谢谢大家!\n"
            f"在XX区“创卫总结表彰”暨城乡环境综合治理\n动员大会上的讲话\n区委书记 XXX\n(2010年2月26日)\n同志们:\n{BODY3}\n")
    assert _meta(page) == [("在全区创卫工作会议上的讲话", None, None, "同志们:"),
                           ("在XX区“创卫总结表彰”暨城乡环境综合治理动员大会上的讲话", "XXX", "2010-02-26", "同志们:")]


def test_titled_entry_markers_lose_their_marker():
    page = (f"公司讲话稿(3篇)\n讲话稿一:在公司质量管理工作会议上的讲话\n同志们:\n{BODY}\n"
            f"讲话稿二:在公司安全生产工作会议上的讲话\n同志们:\n{BODY2}\n")
    assert [t for t, *_ in _meta(page)] == ["在公司质量管理工作会议上的讲话", "在公司安全生产工作会议上的讲话"]


def test_a_short_speech_without_salutation_is_not_taken_for_chrome_above_the_next():
    page = (f"讲话稿(2篇)\n在学校动员大会上的讲话\n{BODY}\n{BODY2}\n"
            f"在全区创卫工作会议上的讲话\n(2010年2月26日)\n{BODY3}\n")
    got = _meta(page)
    assert [t for t, *_ in got] == ["在学校动员大会上的讲话", "在全区创卫工作会议上的讲话"]
    assert got[0][3] == BODY


# -- blind3 findings: unit + name speakers, report compilations by titles, prose after 第一篇 -----

def test_speaker_lines_with_a_unit_or_a_padded_name_give_the_name_alone():
    from cleaner.segment import speaker_name
    for line, name in [("市发改委　陈晓雯", "陈晓雯"), ("市发改委陈晓雯", "陈晓雯"), ("五(2)班 李欣怡", "李欣怡"),
                       ("县住房和城乡建设局副局长　张　明", "张明"), ("高三(5)班班主任 林雅文", "林雅文")]:
        assert speaker_name(line, line) == name, line
    for line in ["县教育局工作总结", "区委办公室", "市发改委召开会议"]:
        assert speaker_name(line, line) is None, line


def test_a_body_sentence_opening_with_di_yi_pian_is_not_an_entry_marker():
    from cleaner.segment import entry_title
    assert entry_title("第一篇:在全县经济工作会议上的讲话") == "在全县经济工作会议上的讲话"
    assert entry_title("第一篇《为人民服务》,是毛泽东同志1944年在张思德追悼会上的讲演。") is None


def _reports(titles):
    paras = ["全年共完成各项任务12项,群众满意率达到95%以上,各项工作取得了明显成效,得到了上级的充分肯定。",
             "一年来,我们坚持问题导向,建立健全工作台账,推动各项制度落地见效,队伍的精神面貌焕然一新。",
             "今年以来,我们围绕年度目标,狠抓项目建设和服务保障,全年收入同比增长14.2%,超额完成了任务。"]
    return "\n\n".join(t + "\n" + paras[k % 3] + "\n" + paras[(k + 1) % 3] for k, t in enumerate(titles))


def test_reports_introduced_by_their_titles_alone_are_separate_entries():
    text = "公司部门工作总结\n\n" + _reports(["2021年财务部工作总结", "2021年办公室工作总结", "2021年销售部工作总结"])
    result = clean_text(text)
    assert [s.title for s in result.speeches] == ["2021年财务部工作总结", "2021年办公室工作总结", "2021年销售部工作总结"]


def test_a_reports_enumerated_sections_named_like_reports_do_not_split_it():
    text = "2022年度个人述职报告\n各位领导:\n" + _reports(["一、2022年工作总结", "二、2023年个人总结"])
    assert len(clean_text(text).speeches) == 1
