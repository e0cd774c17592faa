"""Split a cleaned page into speeches, reading each speech's title, speaker and date.

The page arrives with one paragraph per line. Compilation scaffolding (the compilation title,
entry markers such as 第一篇:, 1.…篇一, 【篇一】) divides it into entries; inside an entry a new
speech starts at a speech title followed by its body, or at a salutation (同志们:) after the
previous speech has run its course. The lines between one body and the next are the header:
the title directly above the body, a date line, a speaker line. They become metadata and leave
the text, each deletion under its own rule id; the body of every speech is recorded as a span.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .context import SpeechDraft
from .engine import split_lines
from .fixers import fixer
from .provenance import Proposal
from .text import ITEM_START as ENUMERATOR, SPEAKER, UNIT_NAME_GLUED, ends_sentence, fold

V1 = regex.VERSION1
NUM = "一二三四五六七八九十百零〇两"
COMPILATION = regex.compile(
    rf"[((【\[](?:精选|精编|优选|最新|热门|推荐|通用|实用|优秀)?(?:共|案例|汇编|合集|合辑)?[{NUM}\d]+篇(?:精选|范文|合集)?[))】\]]\s*$|"
    rf"[((【\[](?:共|精选)?[{NUM}\d]+篇[))】\]]", V1)
ENTRY_MARKERS = [
    regex.compile(rf"^第\s*[{NUM}\d]+\s*篇\s*[::、.]?\s*(?P<title>.*)$", V1),
    regex.compile(rf"^(?:\d+|[{NUM}]+)\s*[.、.]\s*(?P<title>.*?)\s*[((【\[]?篇[{NUM}\d]+[))】\]]?\s*$", V1),
    regex.compile(rf"^[【\[]\s*篇\s*[{NUM}\d]+\s*[】\]]\s*[::]?\s*(?P<title>.*)$", V1),
    regex.compile(rf"^篇\s*[{NUM}\d]+\s*[::、.]\s*(?P<title>.*)$", V1),
    regex.compile(rf"^篇\s*[{NUM}\d]+\s*$(?P<title>)", V1),
    regex.compile(rf"^(?P<title>[^。!?;,,]{{2,40}}?(?:稿|讲话|发言|致辞|范文|材料))\s*[((【\[]?篇\s*[{NUM}\d]+[))】\]]?$", V1),
    regex.compile(rf"^(?:精选|优秀|参考|推荐|经典)?(?:范文|材料|素材|例文|模板|讲话稿|讲话|发言稿|演讲稿|致辞)\s*[{NUM}\d]+\s*[::、.]\s*(?P<title>.*)$", V1),
    regex.compile(r"^(?:NO|No|no)\s*[.．:]?\s*\d{1,3}\s*[::、.]?\s*(?P<title>.*)$", V1),
    regex.compile(rf"^[【\[](?:范文|第)?\s*[{NUM}\d]+\s*(?:篇)?[】\]]\s*(?P<title>.+)$", V1),
]
ADDRESSEE = (r"同志们|同事们|朋友们|老师们|同学们|女士们|先生们|代表们|委员们|来宾们|嘉宾们|战友们|乡亲们|"
             r"团员们|队员们|家长们|青年朋友们|各位[^::,,。]{0,12}|领导|来宾|嘉宾|老师|同学")
SALUTATION = regex.compile(rf"^(?:尊敬的|亲爱的)?[^。!?;::\s]{{0,50}}?(?:{ADDRESSEE})\s*[::]\s*$", V1)
SALUTATION_AFTER_PREFIX = regex.compile(
    rf"^(?P<prefix>[^::。!?]{{2,30}}?)\s+(?P<sal>(?:尊敬的|亲爱的|各位)?[^。!?;::\s]{{0,40}}?(?:{ADDRESSEE})\s*[::])\s*$", V1)
_YMD = (rf"(?:(?P<y>\d{{4}}|[{NUM}]{{4}})\s*+年\s*+(?P<m>\d{{1,2}}|[{NUM}]{{1,3}})\s*+月\s*+(?P<d>\d{{1,2}}|[{NUM}]{{1,3}})\s*+日"
        r"|(?P<y>\d{4})\s*+(?P<sep>[.\-/.])\s*+(?P<m>\d{1,2})\s*+(?P=sep)\s*+(?P<d>\d{1,2})(?![\d.]))")
DATE = regex.compile(rf"^[((]?\s*+(?:——|—|-)?\s*+{_YMD}\s*+[))]?$", V1)
TITLE_WORDS = regex.compile(
    r"(?:讲话|讲话稿|讲话范文|讲话材料|发言|发言稿|发言材料|致辞|致词|讲稿|演讲稿|演讲|报告|主持词|范文|"
    r"动员会|会议|大会|上的讲话)(?:[((][^))]{1,20}[))])?$", V1)
NAME_STOP = regex.compile(r"各位|全体|大家|稿|摘要|节选|草案|纪要|讲话|会议|工作|发言|报告|同志们|意见|通知|总结|方案|要求|领导|问题|情况|阶段|措施|"
                          r"文档|文库|下载|免费|付费|范文|网|收藏|举报|分享|阅读|积分|推荐|首页|浏览|会员|上传|"
                          r"预览|全文|目录|正文|附件|标题|作者|来源|编辑|精选|大全|热门|最新|更多|登录|注册")
CLOSING = regex.compile(r"(?:谢谢大家|谢谢各位|谢谢|完毕)[。!!.]?$|(?:圆满成功|身体健康|工作顺利|新局面|新台阶|新贡献|万事如意)[。!!]$", V1)
DATE_IN_LINE = regex.compile(rf"(?:[((]\s*+)?{_YMD}\s*+[))]?", V1)
NOT_A_TITLE = regex.compile(r"文档价格|积分|下载|VIP|会员|付费|免费|浏览|收藏|举报|分享|上传|\d+(?:\.\d+)?\s*元|页数|格式|评论", V1)
LATER_ITEM = regex.compile(r"^(?:[二三四五六七八九十]+[、.．]|[((][二三四五六七八九十][))]|第[二三四五六七八九十][,,、::]|[2-9][、.．](?!\d))", V1)
DOC_PREFIX = regex.compile(r"^(?:文章标题|标题|题目|篇名)[::]\s*", V1)
# The lookahead (implied by a match) checks the end once: without it every 讲话和 of a title that
# does not end in a title word retried the second half to the end (O(n^2), BUG-5).
PAIR_TITLE = regex.compile(
    r"^(?=.*(?:讲话稿|讲话|发言稿|发言|范文|致辞)$)"
    r"(?P<a>.+?(?:讲话稿|讲话|发言稿|发言|范文|致辞))和(?P<b>.+?(?:讲话稿|讲话|发言稿|发言|范文|致辞))$", V1)
PAIR_TITLE_MAX = 80     # a heading naming two speeches is short
# the shapes of what sites append to a page (counts, prompts, comment furniture, links)
TAIL_CHROME = regex.compile(
    r"发表于\s*\d|[|丨]|举报|^回复|回复$|博主回复|网友|楼主|^(?:沙发|板凳|地板|赞|分享|收藏|点赞|在看|转发)$|"
    r"阅读\s*+[\d.]++\s*+万?|(?<![\d.])[\d.]++\s*+万?\s*+(?:赞|在看|阅读|评论|收藏|转发|下载|浏览)|扫一扫|二维码|公众号|"
    r"https?://|www\.|\.(?:com|cn|net)\b|版权|©|ICP|备案|上一篇|下一篇|上一页|下一页|猜你喜欢|"
    r"相关(?:文章|阅读|推荐|范文|文档|资料)|推荐阅读|热门(?:文章|推荐|范文)|喜欢此内容|发评论|写评论|评论\s*[((]|"
    r"登录|注册|积分|VIP|下载券|点击(?:查看|下载|进入)|本文(?:由|来源|链接|源自)|原文(?:地址|链接)|"
    r"回复\s*赞|条评论|展开全文|举报/反馈|^广告$|立即查看|网友评论|只代表网友观点|与本站立场无关|技术支持[::]|"
    r"流转记录|【(?:打印|关闭|返回|导出)|还能输入\d+字|本站(?:为|只是|所有|不|仅|部分)|侵权|用户上传|C2C|"
    r"^--\s*$|^[_=\-—*]{10,}$|电话[::]\s*\+?[\d-]{7,}|[Ee]-?mail|邮箱|Yahoo|Outlook", V1)
TAIL_SHORT = 40         # a tail line shorter than this may be a site's, whatever its shape
ANCHOR_LINES = 25       # how far below a first "paragraph" a speech's own header is looked for
ANCHOR_PROSE = 250      # ... as long as what lies between is not the body itself


SENTENCE_ENDS = regex.compile(r"[。!?!?]")


def _prose(line: str) -> bool:
    """A paragraph of running text: several sentences (a site's lines hold one at most)."""
    return len(SENTENCE_ENDS.findall(line)) >= 2


def wrapped_title(upper: str, lower: str) -> bool:
    """Two header lines that are one title wrapped in two: 在全局开展“两评一树”活动 / 动员会议上的讲话.
    The upper opens a 在…上的讲话 title and the lower closes it, or the lower cannot stand alone."""
    if " " in upper or len(upper) + len(lower) > 80:
        return False
    if "在" in upper and "上的" not in upper and lower.startswith(("上的", "上讲话", "上发言", "上致辞")):
        return True   # 在双山镇人大换届选举工作会议 / 上的讲话: the upper ends like a title, and is not one
    if TITLE_WORDS.search(upper):
        return False
    if "在" in upper and "上的" not in upper and ("上的" in lower or "会上" in lower):
        return True
    return lower[:1] in "的之上和及与暨" and bool(TITLE_WORDS.search(lower))


# what a site or a compilation puts before a title: ——, bullets, NO.1, 精选范文一:, (一) / 一、
TITLE_DECORATION = regex.compile(
    rf"^(?:——|—|--|[◆◇★☆●○■□▲△◎※•>»]+|(?:NO|No|no)\s*[.．:]?\s*\d{{1,3}}\s*[::、.]?|"
    rf"(?:[^::]{{0,40}}?(?:[{NUM}\d]{{1,3}}篇|[((【][^))】]{{0,8}}篇[))】])\s*)?(?:篇\s*[{NUM}\d]{{1,3}}|第\s*[{NUM}\d]{{1,3}}\s*篇)\s*[::、.]|"
    rf"(?:精选|优秀|参考|推荐|经典)?(?:范文|例文|讲话稿|讲话|发言稿|演讲稿|致辞)\s*[{NUM}\d]+\s*[::、.]|"
    rf"[((][{NUM}\d]{{1,3}}[))]|[{NUM}]{{1,3}}\s*[、.．]|\d{{1,2}}\s*[、.．](?!\d))\s*", V1)
# an entry marker that is only a bullet or an enumerator: an entry when a speech title follows it
BULLET_ENTRY = regex.compile(
    rf"^(?:[◆◇★☆●○■□▲△◎※•]+|(?:NO|No|no)\s*[.．:]?\s*\d{{1,3}}\s*[::、.]?|[((][{NUM}\d]{{1,3}}[))]|"
    rf"[{NUM}]{{1,3}}\s*[、.．]|\d{{1,2}}\s*[、.．](?!\d))\s*(?P<title>\S.{{1,60}})$", V1)
STRONG_TITLE = regex.compile(r"(?:讲话|讲话稿|讲话材料|讲话提纲|发言|发言稿|致辞|致词|讲稿|演讲稿|演讲|主持词)(?:[((][^))]{1,20}[))])?$", V1)
SEPARATOR = regex.compile(r"^(?P<c>[-—–=*＊~～_#·•.。+])(?:\s*(?P=c)){2,}$", V1)


# a report's genre title standing alone over its body, maybe enumerated: an entry of a compilation
# without markers (speeches have salutations and closings: segmentation finds those by them)
TITLE_LINE = regex.compile(
    rf"^(?P<num>[{NUM}]{{1,3}}\s*[、.．]\s*)?(?P<title>[^。!?;,,::\s]{{3,40}}?"
    r"(?:工作总结|个人总结|年终总结|活动总结|述职报告|述职述廉报告|心得体会|学习体会|工作报告))$", V1)


def clean_title(title: str) -> str:
    """A title without what was put before it: ``——在…上的讲话`` -> ``在…上的讲话``,
    ``★在…讲话`` -> ``在…讲话``, ``NO.1在…讲话`` -> ``在…讲话``."""
    view = fold(title)
    m = TITLE_DECORATION.match(view)
    if m and m.end() < len(view) and (is_speech_title(view[m.end():]) or view[:1] in "—-◆◇★☆●○■□▲△◎※•>»"
                                      or view[:2].upper() == "NO" or "篇" in view[:m.end()]
                                      or any(w in view[:m.end()] for w in ("范文", "例文", "讲话", "发言", "演讲", "致辞"))):
        return title[m.end():].strip()
    return title.strip()


def iso_date(m) -> str | None:
    def num(s: str) -> int:
        if s.isdigit():
            return int(s)
        digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
        if len(s) == 4:
            return int("".join(str(digits.get(c, 0)) for c in s))
        if "十" in s:
            a, _, b = s.partition("十")
            return (digits.get(a, 1) if a else 1) * 10 + (digits.get(b, 0) if b else 0)
        return digits.get(s, 0)
    y, mo, d = num(m.group("y")), num(m.group("m")), num(m.group("d"))
    if not (1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _unbracket(s: str) -> tuple[int, int]:
    """The span of ``s`` inside one pair of enclosing brackets: (陈国平 2009年9月21日)."""
    if len(s) > 2 and s[0] in "((" and s[-1] in "))" and not any(c in s[1:-1] for c in "(())"):
        return 1, len(s) - 1
    return 0, len(s)


def speaker_name(s: str, raw: str, near_body: bool = True) -> str | None:
    """The name a speaker line gives (role words and 同志 left out), or None.

    ``县委书记 张三`` -> 张三; ``王建国同志`` -> 王建国; ``(王立新)`` -> 王立新; ``XXX`` -> XXX
    """
    lo, hi = _unbracket(s)
    t = s[lo:hi].strip()
    lo += len(s[lo:hi]) - len(s[lo:hi].lstrip())
    m = SPEAKER.match(t) or (UNIT_NAME_GLUED.match(t) if len(t) <= 20 else None)
    if not m or NAME_STOP.search(t) or is_speech_title(t) or not near_body:
        return None
    if m.re is UNIT_NAME_GLUED:
        return raw[lo + m.start("name"):lo + m.end("name")]
    if not (m.group("role") or m.group("unit") or len(t) <= 4 or t.endswith("同志") or lo > 0):
        return None
    return _name(raw[lo + m.start("name"):lo + m.end("name")])


def _name(raw_name: str) -> str:
    """A name as printed, without the spaces that pad a two-character name (张　明 -> 张明)."""
    return "".join(raw_name.split()) if len(raw_name) <= 5 else raw_name


def date_and_speaker(s: str, raw: str, near_body: bool = True) -> tuple[str | None, str | None] | None:
    """What a header line states: (ISO date, speaker name), or None when it is neither.

    ``(2011年3月18日)`` -> (2011-03-18, None); ``(2016年3月18日 陈国平)`` and ``(陈国平 2016.3.18)``
    -> (2016-03-18, 陈国平); ``区委书记 XXX`` -> (None, XXX)
    """
    if (m := DATE.match(s)) and (iso := iso_date(m)):
        return iso, None
    lo, hi = _unbracket(s)
    lo += len(s[lo:hi]) - len(s[lo:hi].lstrip())
    hi = lo + len(s[lo:hi].rstrip())
    inner = s[lo:hi]
    for m in DATE_IN_LINE.finditer(inner):
        if not (m.start() == 0 or m.end() == len(inner)) or not (iso := iso_date(m)):
            continue
        if m.start() == 0:
            rest, rest_raw = inner[m.end():], raw[lo + m.end():lo + len(inner)]
        else:
            rest, rest_raw = inner[:m.start()], raw[lo:lo + m.start()]
        if not rest.strip(", ,、"):
            return iso, None
        cut = len(rest) - len(rest.lstrip(", ,、"))
        rest, rest_raw = rest[cut:].rstrip(", ,、"), rest_raw[cut:cut + len(rest[cut:].rstrip(", ,、"))]
        name = speaker_name(rest, rest_raw)
        if name:
            return iso, name
    name = speaker_name(s, raw, near_body)
    return (None, name) if name else None


# a count of pieces ending a page title without brackets: 人大工作会议领导讲话稿3篇, …范文5篇
BARE_COUNT = regex.compile(rf"(?<!第)(?:精选|优秀|通用|最新)?[{NUM}\d]{{1,3}}篇(?:精选|范文|合集)?$", V1)


def strip_compilation(title: str) -> str:
    """The title without its compilation marker; works on full-width text too (the marker is
    found in the folded view and cut at the same offsets).

    ``在双创工作会议上的讲话(精选五篇)`` -> ``在双创工作会议上的讲话``; ``…讲话稿3篇`` -> ``…讲话稿``
    """
    view = fold(title)
    m = COMPILATION.search(view) or BARE_COUNT.search(view.rstrip())
    return (title[:m.start()] + title[m.end():]).strip() if m else title.strip()


def entry_title(line: str, raw: str | None = None) -> str | None:
    """The title an entry marker line carries ('' when none), or None for a line that is not one."""
    for pat in ENTRY_MARKERS:
        m = pat.match(line)
        if m:
            if len(m.group("title")) > 60 or MARKER_PROSE.search(m.group("title")):
                return None   # 第一篇《为人民服务》,是毛泽东同志…的讲演。: a sentence of the body
            return (raw if raw is not None else line)[m.start("title"):m.end("title")].strip()
    return None


MARKER_PROSE = regex.compile(r"[。!?!?]|[,,;;].*[,,;;。]", V1)


def is_salutation(line: str) -> bool:
    return len(line) <= 60 and bool(SALUTATION.match(line))


def is_body_start(line: str) -> bool:
    if is_salutation(line) or SALUTATION_AFTER_PREFIX.match(line):
        return True
    if DATE.match(line):
        return False
    return len(line) >= 40 or (ends_sentence(line) and len(line) >= 12)


def is_speech_title(line: str) -> bool:
    if len(line) > 60 or ends_sentence(line) or ENUMERATOR.match(line) or DATE.match(line):
        return False
    if COMPILATION.search(line):
        return False  # the compilation's title inside the page is a running header, not a speech
    if line.endswith((",", ",", "、", ";", ";")):
        return False
    return bool(TITLE_WORDS.search(line)) or line.startswith("在") and "上的" in line


@dataclass
class Header:
    titles: list[tuple[int, str]] = field(default_factory=list)   # (line index, text)
    marker_title: str | None = None
    date: str | None = None
    speaker: str | None = None


@dataclass
class Draft:
    header_lines: list[int] = field(default_factory=list)
    body_first: int = -1
    body_last: int = -1
    salutation_prefix: int = 0          # characters of a speaker prefix on the salutation line
    header: Header = field(default_factory=Header)
    pair_title: tuple[str, str] | None = None


class Segmenter:
    def __init__(self, lines, document_title: str, rule_prefix: str, raw: str):
        self.lines = lines
        self.texts = [ln.text.strip() for ln in lines]
        # the same lines as written: metadata is cut from here, at the offsets found in the view
        self.raws = [raw[ln.start + len(ln.text) - len(ln.text.lstrip()):][:len(t)]
                     for ln, t in zip(lines, self.texts)]
        self.page_title = fold(document_title or "")
        self.doc_title = strip_compilation(document_title or "")
        self.rp = rule_prefix
        self.props: list[Proposal] = []
        self.marker_lines: set[int] = set()

    # -- entries -------------------------------------------------------------------------
    def entries(self) -> list[tuple[int, int, str | None]]:
        """(first line, end line, marker title) of each compilation entry, or the whole page."""
        marks = []
        for i, s in enumerate(self.texts):
            t = entry_title(s, self.raws[i])
            if t is None:
                t = self._bullet_entry(i)
            if t is not None:
                marks.append((i, t))
        head = [s for s in self.texts[:(marks[0][0] + 1) if marks else 8] if s][:6]
        compiled = any(COMPILATION.search(s) for s in head) or bool(COMPILATION.search(self.page_title))
        if compiled or len(marks) >= 2:
            # rows of dashes or stars between entries (only where the page is a compilation)
            marks = sorted(marks + [(i, "") for i, s in enumerate(self.texts) if SEPARATOR.match(s)])
        by_titles = False
        if not marks:
            counted = compiled or any(BARE_COUNT.search(t.rstrip()) for t in [self.page_title, *head] if len(t) <= 40)
            marks = self._title_line_entries(counted)
            by_titles = bool(marks)
        if len(marks) < 2 and not (marks and compiled):
            return [(0, len(self.texts), None)]
        self.marker_lines = {i for i, _ in marks}
        out = []
        if by_titles and self._preamble_only(marks[0][0]):
            for k in range(marks[0][0]):   # a poster's or an editor's words before the first title
                if self.texts[k]:
                    self._drop(k, "header.junk")
        elif marks[0][0] > 0:
            out.append((0, marks[0][0], None))
        for k, (i, t) in enumerate(marks):
            end = marks[k + 1][0] if k + 1 < len(marks) else len(self.texts)
            out.append((i, end, t))
        return out

    def _preamble_only(self, end: int) -> bool:
        """Lines above the first entry that are no speech: no salutation, little text."""
        texts = [t for t in self.texts[:end] if t]
        return not any(is_salutation(t) or SALUTATION_AFTER_PREFIX.match(t) for t in texts) \
            and sum(map(len, texts)) < ANCHOR_PROSE

    def _title_line_entries(self, counted: bool) -> list[tuple[int, str]]:
        """Entries a page introduces by their titles alone (2021年财务部工作总结 / 2021年办公室工作总结,
        each over its body): two or more genre titles, each between the end of a text and the start
        of a body. Enumerated ones (一、社区网格员个人工作总结) only on a page whose title counts its
        pieces (社区工作总结3篇): elsewhere 一、2022年工作总结 is a report's own section."""
        found = []
        for i, s in enumerate(self.texts):
            m = TITLE_LINE.match(s)
            if not m or (m.group("num") and not counted):
                continue
            prev = next((self.texts[k] for k in range(i - 1, -1, -1) if self.texts[k]), None)
            nxt = next((self.texts[k] for k in range(i + 1, len(self.texts)) if self.texts[k]), None)
            if nxt is None or not is_body_start(nxt) or (prev is not None and found and not ends_sentence(prev)):
                continue
            found.append((i, self.raws[i][m.start("title"):m.end("title")].strip(), bool(m.group("num"))))
        if len(found) < 2 or len({numbered for *_, numbered in found}) > 1:
            return []   # enumerated and bare titles mixed: a report's sections, not its entries
        return [(i, title) for i, title, _ in found]

    def _bullet_entry(self, i: int) -> str | None:
        """The title after a bullet or an enumerator (◆, ★, NO.1, (一), 一、) that opens an entry:
        a speech's title, followed by the speech's own header (salutation, date, speaker) and body.
        A section heading of a speech (一、认真学习总书记的讲话) has no header of its own."""
        m = BULLET_ENTRY.match(self.texts[i])
        if not m:
            return None
        rest = m.group("title")
        nxt = next((k for k in range(i + 1, min(len(self.texts), i + 3)) if self.texts[k]), None)
        wrapped = nxt is not None and wrapped_title(rest, self.texts[nxt])
        if not (wrapped or (STRONG_TITLE.search(rest) and not ends_sentence(rest))):
            return None
        headed = rest.startswith("在") and ("上的" in rest or wrapped)
        for k in range(i + 1, min(len(self.texts), i + 7)):
            t = self.texts[k]
            if not t or (wrapped and k == nxt):
                continue
            if is_salutation(t) or SALUTATION_AFTER_PREFIX.match(t) or date_and_speaker(t, t) is not None:
                headed = True
                continue
            if is_body_start(t):
                return self.raws[i][m.start("title"):m.end("title")].strip() if headed else None
            if len(t) > 40 or ends_sentence(t):
                return None
        return None

    # -- speeches inside an entry --------------------------------------------------------
    def speeches_in(self, first: int, end: int, marker: str | None) -> list[Draft]:
        drafts: list[Draft] = []
        cur = Draft()
        if marker is not None:
            cur.header_lines.append(first)
            cur.header.marker_title = marker
            first += 1
        skip_to = first
        for i in range(first, end):
            if i < skip_to:
                continue
            s = self.texts[i]
            if cur.body_first < 0:
                if is_body_start(s):
                    start = self._own_header_below(i, end)
                    cur.header_lines.extend(range(i, start))
                    cur.body_first = cur.body_last = skip_to = start
                else:
                    cur.header_lines.append(i)
                continue
            if self._new_speech_at(i, end, cur):
                drafts.append(cur)
                cur = Draft()
                self._claim_stray_headings(drafts[-1], cur, i)
                if is_salutation(s) or SALUTATION_AFTER_PREFIX.match(s):
                    cur.body_first = cur.body_last = i
                else:
                    cur.header_lines.append(i)
                continue
            cur.body_last = i
        drafts.append(cur)
        return drafts

    def _own_header_below(self, i: int, end: int) -> int:
        """Where the body starting at line ``i`` really starts. Chrome the site left above a
        speech (a long 发布时间…来源…浏览次数 line, a 简介 blurb quoting the body) passes for a
        first paragraph; the speech's own header (its title, then date and speaker lines) then
        stands a few lines below, above its salutation or its first paragraph. What lies above
        that header is no body: it becomes header lines (and leaves the text)."""
        if is_salutation(self.texts[i]) or SALUTATION_AFTER_PREFIX.match(self.texts[i]):
            return i    # 同志们: opens a body; whatever follows is the speech
        prose = 0
        for k in range(i + 1, min(end, i + ANCHOR_LINES)):
            t = self.texts[k]
            if not t:
                continue
            if CLOSING.search(t):
                break   # a speech ended here: what follows is another one
            if is_speech_title(t) or STRONG_TITLE.search(t):
                body = self._body_after_header(k, end)
                saluted = body is not None and (is_salutation(self.texts[body])
                                                or bool(SALUTATION_AFTER_PREFIX.match(self.texts[body])))
                # past sentences (a blurb, or a short speech?) only a salutation proves a new start
                if body is not None and (saluted or (not prose and (body > k + 1 or STRONG_TITLE.search(t)))):
                    return body
            if len(t) >= 40 and ends_sentence(t) and not NOT_A_TITLE.search(t):
                prose += len(t)
                if prose > ANCHOR_PROSE:
                    break
        return i

    def _body_after_header(self, k: int, end: int) -> int | None:
        """The body start after a title at line ``k`` and its date / speaker lines, if that is
        what follows (a second title line may continue the first)."""
        for j in range(k + 1, min(end, k + 6)):
            t = self.texts[j]
            if not t or date_and_speaker(t, t) is not None or (j == k + 1 and wrapped_title(self.texts[k], t)):
                continue
            return j if is_body_start(t) else None
        return None

    def _body_len(self, d: Draft) -> int:
        return sum(len(self.texts[k]) for k in range(d.body_first, d.body_last + 1)) if d.body_first >= 0 else 0

    def _new_speech_at(self, i: int, end: int, cur: Draft) -> bool:
        s = self.texts[i]
        if i - cur.body_first < 2 or self._body_len(cur) < 150:
            return False
        prev = self.texts[i - 1]
        if is_salutation(s):
            return ends_sentence(prev) and (CLOSING.search(prev) is not None or prev.endswith(("!", "!"))
                                            or self._body_len(cur) >= 600)
        if not is_speech_title(s):
            return False
        for k in range(i + 1, min(end, i + 5)):
            nxt = self.texts[k]
            if LATER_ITEM.match(nxt):
                return False  # a speech does not open with its second point
            if is_body_start(nxt):
                return True
            if len(nxt) > 30:
                return False
        return False

    def _claim_stray_headings(self, prev: Draft, new: Draft, i: int) -> None:
        """Short lines naming a speech, just before a new title after a closing, are headings."""
        k = prev.body_last
        while k > prev.body_first and k == i - 1 - (i - 1 - k) and len(self.texts[k]) <= 30 \
                and regex.search(r"讲话|发言|致辞|讲稿", self.texts[k]) and not CLOSING.search(self.texts[k]):
            new.header_lines.insert(0, k)
            prev.body_last = k - 1
            k -= 1
        k = prev.body_last
        if k > prev.body_first and k == i - 1 and wrapped_title(self.texts[k], self.texts[i]):
            new.header_lines.insert(0, k)   # 在XX区…综合治理 / 动员大会上的讲话: the title's first half
            prev.body_last = k - 1

    # -- headers -------------------------------------------------------------------------
    def read_header(self, d: Draft) -> None:
        h = d.header
        for i in d.header_lines:
            s = self.texts[i]
            if h.marker_title is not None and i == d.header_lines[0] and i in self.marker_lines:
                self._drop(i, "entry-marker")
                continue
            if COMPILATION.search(s) and len(s) <= 80:
                self._drop(i, "compilation-title")
                continue
            near_body = i >= d.header_lines[-1] - 2 if d.header_lines else True
            facts = date_and_speaker(s, self.raws[i], near_body)
            if facts is not None:
                date, speaker = facts
                h.date = date or h.date     # the date nearest the body is the speech's
                h.speaker = h.speaker or speaker
                self._drop(i, "header.date" if date else "header.speaker")
                continue
            cut = len(s) - len(DOC_PREFIX.sub("", s))
            s2, raw2 = s[cut:], self.raws[i][cut:]
            if len(s2) <= 60 and not ends_sentence(s2) and not NOT_A_TITLE.search(s2):
                h.titles.append((i, raw2))
                self._drop(i, "header.title")
            else:
                self._drop(i, "header.junk")
        if d.body_first >= 0 and (m := SALUTATION_AFTER_PREFIX.match(self.texts[d.body_first])) \
                and not is_salutation(self.texts[d.body_first]):
            prefix = m.group("prefix").strip()
            sm = SPEAKER.match(prefix)
            if sm:
                raw_prefix = self.raws[d.body_first][m.start("prefix"):m.end("prefix")].strip()
                h.speaker = h.speaker or _name(raw_prefix[sm.start("name"):sm.end("name")])
                line = self.lines[d.body_first]
                lead = len(line.text) - len(line.text.lstrip())
                d.salutation_prefix = m.start("sal") + lead
                self.props.append(Proposal(line.start, line.start + d.salutation_prefix, "",
                                           f"{self.rp}.header.speaker"))

    def title_of(self, d: Draft) -> str | None:
        titles = []
        for i, t in d.header.titles:
            if not titles or titles[-1][1] != t:
                titles.append((i, t))
        candidates = [(i, t) for i, t in titles
                      if fold(strip_compilation(t)) != fold(self.doc_title) or not COMPILATION.search(fold(t))]
        marker = d.header.marker_title
        if candidates:
            i, t = candidates[-1]
            if len(candidates) >= 2:
                j, u = candidates[-2]
                if j == i - 1 and wrapped_title(fold(u), fold(t)) and u != self.doc_title:
                    t = u + t
            elif marker and d.header_lines and i == d.header_lines[0] + 1 and wrapped_title(fold(marker), fold(t)):
                t = marker + t      # ◆在全局开展“两评一树”活动 / 动员会议上的讲话
            return clean_title(t)
        if marker and fold(strip_compilation(marker)) != fold(self.doc_title):
            return clean_title(strip_compilation(marker)) or None
        return None

    def trim_trailing_chrome(self, d: Draft) -> None:
        """What a site appends after a speech (reader comments, 阅读 2.1万 在看 126, 发表于…, share
        and follow prompts, related lists) leaves the speech. The tail looked at is the run of
        short or chrome-shaped lines at the end of the body; it is cut from its first
        chrome-shaped line on, so a closing (谢谢大家!) or a colophon (the issuing office, the
        date it was printed) before it stays, and short last lines with no chrome shape stay."""
        k = d.body_last
        while k > d.body_first and (len(self.texts[k]) < TAIL_SHORT or _han_share(self.texts[k]) < 0.3
                                    or (TAIL_CHROME.search(self.texts[k]) and not _prose(self.texts[k]))):
            k -= 1   # (the share: Processed in 0.04 second(s); prose stops it: 从项目备案到用地审批…)
        cut = next((j for j in range(k + 1, d.body_last + 1) if TAIL_CHROME.search(self.texts[j])), None)
        if k == d.body_first and TAIL_CHROME.search(self.texts[k]):
            cut = k     # nothing but the site's: 网友评论:(只显示最新10条…) under a related title
        if cut is None or cut < d.body_first:
            return
        for j in range(cut, d.body_last + 1):
            self._drop(j, "trailing-chrome")
        if cut == d.body_first:
            d.body_first = d.body_last = -1
            return
        d.body_last = cut - 1
        while d.body_last > d.body_first and not self.texts[d.body_last]:
            d.body_last -= 1

    def _drop(self, i: int, what: str) -> None:
        ln = self.lines[i]
        self.props.append(Proposal(ln.start, ln.stop, "", f"{self.rp}.{what}"))


def segment_text(text: str, document_title: str, rule_prefix: str = "segment",
                 single_title: str | None = None, raw: str | None = None) -> tuple[list[SpeechDraft], list[Proposal]]:
    lines = split_lines(text)
    if lines and lines[-1].text == "" and len(lines) > 1:
        lines = lines[:-1]
    seg = Segmenter(lines, document_title, rule_prefix, raw if raw is not None else text)
    drafts: list[Draft] = []
    for first, end, marker in seg.entries():
        drafts.extend(seg.speeches_in(first, end, marker))
    speeches: list[SpeechDraft] = []
    for d in drafts:
        seg.read_header(d)
        if d.body_first < 0:
            continue
        seg.trim_trailing_chrome(d)
        if d.body_first < 0:
            continue
        start = lines[d.body_first].start + d.salutation_prefix
        stop = lines[d.body_last].end
        title = seg.title_of(d)
        speeches.append(SpeechDraft(start, stop, title, d.header.speaker, d.header.date))
    content = [ln for ln in lines if ln.text.strip()]
    if not speeches and content:
        # nothing reads as a speech body (a page of a few short lines): keep it whole rather
        # than file every line away as header metadata
        seg.props = []
        first, last = content[0], content[-1]
        lead = len(first.text) - len(first.text.lstrip())
        speeches.append(SpeechDraft(first.start + lead, last.start + len(last.text.rstrip())))
    _split_pair_titles(speeches)
    if len(speeches) == 1 and speeches[0].title is None and single_title:
        speeches[0].title = page_title(single_title)
    props = sorted(seg.props, key=lambda p: (p.start, p.end))
    return speeches, _clip(props, len(text))


SITE_AFFIX = regex.compile(
    r"^\s*[\[【]\s*(?:转载|原创|转|推荐|精品|荐)\s*[\]】]\s*|"
    r"(?<![\s\-_|—–])\s*+[-_|—–]++\s*+[^-_|—–\s]{1,12}?(?:网|文库|文档|范文|范文网|吧|站|平台|图书馆|doc|Doc|DOC|\.com|\.cn|\.net)\s*$", V1)


def page_title(title: str) -> str | None:
    """A page's title as the title of the one speech it holds (a speech whose own heading was
    the page's header): the site's affixes go, and a compilation's title is no speech's.

    ``[转载]在全区防汛防旱工作会议上的讲话`` -> ``在全区防汛防旱工作会议上的讲话``;
    ``在双创会议上的讲话_写写帮文库`` -> ``在双创会议上的讲话``
    """
    view = fold(title)
    if COMPILATION.search(view) or len(view) > 80:
        return None
    t = title
    while (m := SITE_AFFIX.search(fold(t))) and m.end() - m.start() < len(t):
        t = t[:m.start()] + t[m.end():]
    t = t.strip()
    return t or None


def _han_share(line: str) -> float:
    return sum(1 for c in line if "\u4e00" <= c <= "\u9fff") / max(len(line), 1)


def _split_pair_titles(speeches: list[SpeechDraft]) -> None:
    """A heading 'A和B' over two run-together speeches names both: A the first, B the second."""
    for a, b in zip(speeches, speeches[1:]):
        if a.title and len(a.title) <= PAIR_TITLE_MAX and b.title is None and (m := PAIR_TITLE.match(a.title)):
            a.title, b.title = m.group("a"), m.group("b")


def _clip(props: list[Proposal], n: int) -> list[Proposal]:
    out = []
    for p in props:
        end = min(p.end, n)
        if out and p.start < out[-1].end:
            continue
        if p.start < end:
            out.append(Proposal(p.start, end, p.new, p.rule))
    return out


@fixer("segment")
def segment(text: str, ctx, rule) -> list[Proposal]:
    """Compilations are split into speeches; header lines (title, date, speaker, entry markers)
    become metadata and leave the text.

    ``第一篇:X\\n在局系统…讲话\\n(2011年3月18日)\\n罗荣赓\\n同志们:\\n…`` -> one speech titled
    在局系统…讲话, dated 2011-03-18, by 罗荣赓, whose text starts at 同志们:
    """
    doc_title = ctx.document.get("title") or ""
    first = next((ln for ln in split_lines(text) if ln.text.strip()), None)
    if first is not None and not doc_title and COMPILATION.search(first.text):
        doc_title = ctx.raw[first.start:first.end].strip()
        ctx.document["title"] = doc_title
    speeches, props = segment_text(text, doc_title, "segment", single_title=ctx.document.get("title"),
                                   raw=ctx.raw)
    ctx.speeches = speeches
    return props
