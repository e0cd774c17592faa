#!/usr/bin/env python3
"""Generate damaged variants of the reviewed gold speeches: raw pages plus their gold files.

Each variant is a realistic raw page (site chrome, compilation scaffolding, page artifacts,
wraps, preview chunks, traditional script, pinyin, web leftovers, mis-encoded characters,
other encodings) built from 1-5 speeches of ``fixtures/gold/*.gold.json``. Every damage is one
that ``fixtures/gold/GUIDELINES.md`` says must be removed or repaired, so the variant's gold is
exactly the original gold text of each speech (one paragraph per line), with the title,
speaker and date that the page prints above the body (or null when it prints none).

Deterministic: every variant draws from its own ``random.Random`` seeded by its name.
Standard library + opencc only.

Usage:
  .venv/bin/python tools/make_variants.py            # rewrite fixtures/variants/
  .venv/bin/python tools/make_variants.py --out DIR  # write elsewhere
  .venv/bin/python tools/make_variants.py --check    # exit 1 if fixtures/variants/ is stale
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from opencc import OpenCC

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "fixtures" / "gold"
OUT_DIR = ROOT / "fixtures" / "variants"

S2T = OpenCC("s2t")
T2S = OpenCC("t2s")

AD_OPEN, AD_CLOSE = "\x01", "\x02"      # sentinels around inserted ads (never split inside)
TOTAL = "\x03"                           # placeholder for the page count, filled in at the end

# --------------------------------------------------------------------------------------------
# the gold pool


@dataclass(frozen=True)
class Sp:
    key: str
    title: str | None
    speaker: str | None
    date: str | None
    text: str

    @property
    def paras(self) -> list[str]:
        return self.text.split("\n")


def load_pool(gold_dir: Path = GOLD_DIR) -> list[Sp]:
    pool = []
    for path in sorted(gold_dir.glob("*.gold.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        stem = path.name[:3]
        for i, s in enumerate(g["speeches"]):
            if s.get("duplicate_of") is not None:
                continue  # a near-duplicate of another speech: keep one copy in the pool
            pool.append(Sp(f"{stem}/{i}", s.get("title"), s.get("speaker"), s.get("date"), s["text"]))
    return pool


def original_texts(gold_dir: Path = GOLD_DIR) -> set[str]:
    out = set()
    for path in sorted(gold_dir.glob("*.gold.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        out.update(s["text"] for s in g["speeches"])
    return out


# --------------------------------------------------------------------------------------------
# small helpers

CN_DIGITS = "〇一二三四五六七八九"
CN_NUM = "零一二三四五六七八九十"


def cn_num(n: int) -> str:
    if n <= 10:
        return CN_NUM[n]
    if n < 20:
        return "十" + CN_NUM[n - 10]
    t, u = divmod(n, 10)
    return CN_NUM[t] + "十" + (CN_NUM[u] if u else "")


def is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


END_PUNCT = "。!?;:!?;:…"
NO_LINE_START = set(",。、;:!?)”’》」』,.;:!?)…%")   # typesetting keeps these off a line start


def ends_sentence(s: str) -> bool:
    s = s.rstrip()
    if not s:
        return False
    if s[-1] in END_PUNCT:
        return True
    return len(s) > 1 and s[-1] in "”’" and s[-2] in END_PUNCT


def in_ad(text: str, pos: int) -> bool:
    """True when position ``pos`` lies inside an AD_OPEN..AD_CLOSE span."""
    return text.rfind(AD_OPEN, 0, pos) > text.rfind(AD_CLOSE, 0, pos)


def cjk_cut_points(text: str, lo: int = 20, hi_margin: int = 8) -> list[int]:
    """Positions p where text[p-1] and text[p] are both CJK, away from both ends."""
    return [p for p in range(max(1, lo), len(text) - hi_margin)
            if is_cjk(text[p - 1]) and is_cjk(text[p]) and not in_ad(text, p)]


def iso_parts(iso: str) -> tuple[int, int, int]:
    y, m, d = iso.split("-")
    return int(y), int(m), int(d)


def date_line(iso: str, style: str) -> str:
    y, m, d = iso_parts(iso)
    plain = f"{y}年{m}月{d}日"
    if style == "paren":
        return f"({plain})"
    if style == "paren_fw":
        return f"（{plain}）"
    if style == "cn":
        return "(" + "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{cn_num(m)}月{cn_num(d)}日)"
    return plain


# --- pinyin annotations (tone marks; tone numbers derived from them) ---------------------------

PINYIN = dict(zip(
    "创建全国文明城市专题调度会讲话工作发展进步推动设管理环境卫责任落实部署领导组织党群众民服务政府"
    "经济社区县镇村单位职标准态势状点坚持结个级现统规质安监督检查活思想认识意义求提高水平保障制机"
    "形象精神深入开效果问突破改革治优先争选举代表换届法依宣传教育学习践科观基础施项目资金投加强完善"
    "健促稳定谐新面貌绩就总律绿略旅续决策局委书记",
    ("chuàng jiàn quán guó wén míng chéng shì zhuān tí diào dù huì jiǎng huà gōng zuò fā zhǎn jìn bù "
     "tuī dòng shè guǎn lǐ huán jìng wèi zé rèn luò shí bù shǔ lǐng dǎo zǔ zhī dǎng qún zhòng mín fú "
     "wù zhèng fǔ jīng jì shè qū xiàn zhèn cūn dān wèi zhí biāo zhǔn tài shì zhuàng diǎn jiān chí jié "
     "gè jí xiàn tǒng guī zhì ān jiān dū jiǎn chá huó sī xiǎng rèn shí yì yì qiú tí gāo shuǐ píng bǎo "
     "zhàng zhì jī xíng xiàng jīng shén shēn rù kāi xiào guǒ wèn tū pò gǎi gé zhì yōu xiān zhēng xuǎn "
     "jǔ dài biǎo huàn jiè fǎ yī xuān chuán jiào yù xué xí jiàn kē guān jī chǔ shī xiàng mù zī jīn "
     "tóu jiā qiáng wán shàn jiàn cù wěn dìng xié xīn miàn mào jì jiù zǒng lǜ lǜ lüè lǚ xù jué cè "
     "jú wěi shū jì").split()))

_TONED = {"ā": "a1", "á": "a2", "ǎ": "a3", "à": "a4", "ē": "e1", "é": "e2", "ě": "e3", "è": "e4",
          "ī": "i1", "í": "i2", "ǐ": "i3", "ì": "i4", "ō": "o1", "ó": "o2", "ǒ": "o3", "ò": "o4",
          "ū": "u1", "ú": "u2", "ǔ": "u3", "ù": "u4", "ǖ": "v1", "ǘ": "v2", "ǚ": "v3", "ǜ": "v4"}

PINYIN_RE = re.compile(r"\((?:[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*|[a-zv]+[1-5])\)")


def tone_number(py: str) -> str:
    tone = "5"
    out = []
    for c in py:
        if c in _TONED:
            base, tone = _TONED[c][0], _TONED[c][1]
            out.append(base)
        else:
            out.append("v" if c == "ü" else c)
    return "".join(out) + tone


def annotate_pinyin(text: str, rng: random.Random, rate: float, style: str) -> str:
    out = []
    for i, c in enumerate(text):
        out.append(c)
        if c in PINYIN and rng.random() < rate and not in_ad(text, i):
            py = PINYIN[c]
            numbers = style == "numbers" or (style == "mixed" and rng.random() < 0.5)
            out.append(f"({tone_number(py) if numbers else py})")
    return "".join(out)


# --- traditional script --------------------------------------------------------------------

# OpenCC's s2t writes some variants that Big5 cannot hold; these Big5 forms map back with t2s.
BIG5_FORMS = {"爲": "為", "羣": "群", "衆": "眾", "裏": "裡", "啓": "啟", "僞": "偽", "峯": "峰",
              "牀": "床", "麪": "麵", "綫": "線", "纔": "才", "喫": "吃", "衹": "只", "着": "著"}


def to_traditional(text: str, big5: bool) -> str:
    t = S2T.convert(text)
    if big5:
        t = "".join(BIG5_FORMS.get(c, c) for c in t)
    return t


def big5_ok(text: str) -> bool:
    """A simplified text that survives s2t -> Big5 -> t2s unchanged."""
    t = to_traditional(text, True)
    try:
        t.encode("big5")
    except UnicodeEncodeError:
        return False
    return T2S.convert(t) == text


# --- mis-encoded characters ----------------------------------------------------------------

MISENC = [("位置", "位臵"), ("设置", "设臵"), ("处置", "处臵"), ("旗帜", "旗臶")]

# --- web leftovers ---------------------------------------------------------------------------

ENTITIES = {"“": ["&ldquo;", "&#8220;"], "”": ["&rdquo;", "&#8221;"], "—": ["&mdash;"],
            "…": ["&hellip;"], "•": ["&bull;", "&#8226;"], "‘": ["&lsquo;"], "’": ["&rsquo;"],
            "×": ["&times;"]}


def html_entities(text: str, rng: random.Random) -> str:
    numeric = rng.random() < 0.3
    out = []
    in_tag = False
    for c in text:
        if c == "<":
            in_tag = True
        elif c == ">":
            in_tag = False
        if not in_tag and c in ENTITIES:
            opts = ENTITIES[c]
            out.append(opts[-1] if numeric else opts[0])
        else:
            out.append(c)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# chrome vocabulary

ROLES = ["区委书记", "县委书记", "县长", "局长", "副市长", "党组书记、局长", "镇党委书记", "市委副书记"]
COMP_BASES = ["在工作会议上的讲话", "领导在动员大会上的讲话", "工作会议讲话稿范文", "在全县工作会议上的讲话",
              "创建工作会议讲话稿", "领导干部会议讲话材料", "动员大会讲话稿", "在工作推进会上的讲话",
              "主要领导会议讲话", "在表彰大会上的讲话", "书记在全体干部大会上的讲话", "会议领导讲话稿"]
RELATED_TITLES = [
    "在全县安全生产工作会议上的讲话", "在创先争优活动推进会上的讲话", "县长在全县经济工作会议上的讲话",
    "在全市招商引资工作会议上的讲话", "在城乡环境综合整治动员会上的讲话", "在人大代表座谈会上的发言",
    "在机关作风建设大会上的讲话", "在全区防汛工作会议上的讲话", "在学校开学典礼上的讲话",
    "在创建文明城市誓师大会上的讲话", "在年度总结表彰大会上的讲话", "镇长在村干部培训班上的讲话",
    "在党风廉政建设工作会议上的讲话", "在乡村振兴工作推进会上的讲话", "在全市文化工作会议上讲话",
    "在老干部迎春座谈会上的讲话", "在消防安全工作会议上的讲话", "领导在双拥工作会议上的讲话稿",
    "在政法工作会议上的讲话范文", "在卫生城市复审迎检工作会议上的讲话", "在全县教育工作会议上的讲话",
    "在换届选举工作培训会上的讲话", "在安委会全体会议上的讲话", "在商务工作会议上的讲话(精选)",
]
UPLOADERS = ["大***", "文***档", "gu***yu", "平安喜乐", "xiaoli2018", "公文写作助手", "dz***88",
             "笔***", "青山依旧", "wenmi_2016", "A***店", "办公室小王"]
AUTHORS = ["会员上传", "ZS文王", "admin", "小编", "网友投稿", "佚名", "文秘君", "范文先生"]
SOURCES = ["范文大全", "网络", "原创", "网友投稿", "互联网", "本站整理"]
FOLDERS = ["讲话稿", "领导讲话", "工作资料", "公文写作", "会议材料"]
ADS = [
    "[找文章到☆好范文 fwsir.com(http://www.fwsir.com)一站在手,写作无忧!]",
    "[找文章到☆好范文 www.fwsir.com 一站在手,写作无忧!]",
    "【更多精彩范文请访问 第一范文网 www.diyifanwen.com】",
    "[本文由公文易文秘网 www.gwyoo.cn 收集整理,转载请保留此标记]",
    "【欢迎访问 笔杆子范文网 www.biganzi.net 查看更多讲话稿】",
]


def ts(rng: random.Random, y0: int = 2012, y1: int = 2024, with_time: bool = True) -> str:
    y = rng.randint(y0, y1)
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    if not with_time:
        return f"{y}-{m:02d}-{d:02d}"
    return f"{y}-{m:02d}-{d:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def size_str(rng: random.Random, nchars: int) -> str:
    kb = nchars * rng.uniform(2.2, 4.5) / 1024 + rng.uniform(8, 30)
    style = rng.choice(["KB", " KB", "K"])
    return f"{kb:.2f}{style}" if rng.random() < 0.5 else f"{int(kb)}{style}"


@dataclass
class Chrome:
    head: list[str]
    foot: list[str]
    doc: dict
    notice: str | None = None        # a "还剩 N 页未读" line to place inside the body
    sep: str = "\n\n"


class ChromeMaker:
    """Writes the site chrome around the speeches: one method per site family."""

    def __init__(self, rng: random.Random, doc_title: str, base: str, pages: int, nchars: int,
                 others: list[Sp]):
        self.r = rng
        self.title = doc_title
        self.base = base
        self.pages = pages
        self.nchars = nchars
        self.others = others

    # helpers
    def related(self, n: int) -> list[str]:
        return self.r.sample(RELATED_TITLES, n)

    def snippet(self, sp: Sp) -> str:
        body = " ".join(sp.paras)[: self.r.randint(60, 90)]
        return body + "......"

    def icp(self, prov: str) -> str:
        return f"{prov}ICP备{self.r.randint(10000000, 99999999)}号-{self.r.randint(1, 5)}"

    def gongan(self, prov: str) -> str:
        return f"{prov}公网安备 {self.r.randint(11000000000000, 53999999999999)}号"

    def phone(self) -> str:
        return self.r.choice(["0571-", "010-", "021-", "0755-", "028-"]) + str(self.r.randint(20000000, 89999999))

    def qq(self) -> str:
        return str(self.r.randint(10000000, 2999999999))

    def preview(self) -> int:
        return max(1, min(self.pages - 1, self.r.randint(2, 4)))

    # --- site families ---
    def xiexiebang(self) -> Chrome:
        r = self.r
        t = ts(r)
        author = r.choice(["会员上传", "会员上传", "网友投稿"])
        head = [self.title,
                r.choice([f"时间:{t}下载本文作者:{author}", f"时间:{t} 下载本文 作者:{author}"]),
                r.choice([f"简介:写写帮文库小编为你整理了多篇相关的《{self.base}》,但愿对你工作学习有帮助,"
                          f"当然你在写写帮文库还可以找到更多《{self.base}》。",
                          f"简介:写写帮文库小编为大家收集了几篇关于《{self.base}》的文章,供你参考,"
                          f"在写写帮文库还能找到更多同类范文。"])]
        foot = [f"{self.title}word格式文档", f"下载{self.title}.doc",
                r.choice(["将本文档下载到自己电脑,方便修改和收藏,请勿使用迅雷等下载。",
                          "下载本文档到电脑,编辑修改更方便,请不要用迅雷下载。"]),
                "点此处下载文档", "文档为doc格式",
                r.choice([f"声明:本文内容由互联网用户自发贡献自行上传,本网站不拥有所有权,也不承担相关法律责任。"
                          f"如果您发现有涉嫌版权的内容,欢迎发送邮件至:{self.qq()}@qq.com 进行举报,一经查实,本站将立刻删除。",
                          f"声明:本站文章均来自网友投稿,仅供学习参考,版权归原作者所有。如有侵权请发邮件至 "
                          f"{self.qq()}@qq.com,我们会尽快处理。"]),
                "相关范文推荐"]
        for sp in self.others[:r.randint(3, 5)]:
            foot.append("    " + (sp.title or r.choice(RELATED_TITLES)))
            foot.append("    " + (sp.title or "") + " " + self.snippet(sp))
        doc = {"title": self.title, "published": t, "author": author, "format": "doc"}
        return Chrome(head, foot, doc)

    def zhuangpeitu(self) -> Chrome:
        r = self.r
        up, did, day = r.choice(UPLOADERS), str(r.randint(10000000, 99999999)), ts(r, 2016, 2024, False)
        fmt = r.choice(["DOC", "DOCX", "DOC"])
        size = size_str(r, self.nchars)
        pv = self.preview()
        head = [self.title,
                f"上传人:{up} 文档编号:{did} 上传时间:{day} 格式:{fmt} 页数:{self.pages} 大小:{size}",
                "收藏 版权申诉 举报 下载"]
        for k in range(1, pv + 1):
            head += [f"{self.title}_第{k}页", f"第{k}页 / 共{self.pages}页"]
        head += [f"本资源只提供{pv}页预览,全部文档请下载后查看!喜欢就下载吧,查找使用更方便",
                 f"{r.choice([8, 10, 12, 15, 20])} 积分", "下载资源", "资源描述:",
                 f"《{self.title}》由会员分享,可在线阅读,更多相关《{self.title}({self.pages}页珍藏版)》请在装配图网上搜索。"]
        foot = ["展开阅读全文", "温馨提示:",
                "1: 本站所有资源如无特殊说明,都需要本地电脑安装OFFICE2007和PDF阅读器。",
                "2: 本站的文档不包含任何第三方提供的附件图纸等,如果需要附件,请联系上传者。文件的所有权益归上传用户所有。",
                "3. 未经权益所有人同意不得将文件中的内容挪作商业或盈利用途。",
                "4. 装配图网仅提供信息存储空间,仅对用户上传内容的表现方式做保护处理,对用户上传分享的文档内容本身不做任何修改或编辑。",
                "5. 下载文件中如有侵权或不适当内容,请与我们联系,我们立即纠正。",
                "相关资源", "更多", "正为您匹配相似的精品文档",
                "关于我们 - 网站声明 - 网站地图 - 资源地图 - 友情链接 - 网站客服 - 联系我们",
                f"copyright@ 2023-2025  zhuangpeitu.com 装配图网版权所有   联系电话:{r.randint(13000000000, 18999999999)}",
                f"备案号:ICP{r.randint(2019000000, 2024999999)}号-1 川公网安备{r.randint(51000000000000, 51999999999999)}号",
                "本站为文档C2C交易模式,即用户上传的文档直接被用户下载,本站只是中间服务平台,本站所有文档下载所得的收益归上传人(含作者)所有。"]
        doc = {"title": self.title, "published": day, "uploader": up, "doc_id": did, "format": fmt,
               "pages": self.pages, "size": size}
        return Chrome(head, foot, doc)

    def renrenfanwen(self) -> Chrome:
        r = self.r
        t, src = ts(r), r.choice(["范文大全", "讲话稿", "领导讲话"])
        head = [r.choice(["人人范文网 范文大全", "人人范文网 讲话稿", "人人范文网 - 范文大全"]), self.title,
                f"发布时间:{t} 来源:{src} 收藏本文 下载本文 手机版"]
        foot = self.related(r.randint(6, 10)) + [self.title, f"《{self.title}.doc》",
                                                r.choice(["将本文的Word文档下载到电脑,方便编辑。",
                                                          "将本文的Word文档下载到电脑,方便收藏和打印。"]),
                                                "推荐度:", "点击下载文档", "点击下载本文文档"]
        doc = {"title": self.title, "published": t, "source": src}
        return Chrome(head, foot, doc)

    def docin(self) -> Chrome:
        r = self.r
        up, day, fmt = r.choice(UPLOADERS), ts(r, 2010, 2022, False), r.choice(["DOC", "PDF", "DOCX"])
        did = str(r.randint(1000000000, 2999999999))
        views, dls = r.randint(100, 9000), r.randint(0, 300)
        head = [r.choice(["豆丁网", "豆丁网 docin.com"]),
                r.choice(["首页 > 豆丁文档 > 党政司法 > 讲话发言", "当前位置:首页 > 行业资料 > 党政/司法 > 讲话稿"]),
                self.title]
        meta = [f"上传者:{up}", f"上传时间:{day}", f"格式:{fmt}", f"页数:{self.pages}",
                f"浏览次数:{views}", f"下载次数:{dls}"]
        if r.random() < 0.5:
            head.append("  |  ".join(meta))
        else:
            head += meta[:3] + ["  ".join(meta[3:])]
        head += [f"文档编号:p-{did}", r.choice(["分享到:微信 QQ空间 新浪微博", "收藏 举报 分享"]),
                 r.choice([f"本文档需要 {r.randint(2, 9)} 豆元 才能下载", f"付费文档 ¥{r.randint(1, 9)}.{r.randint(0, 9)}0 立即下载"])]
        foot = [r.choice(["下载本文档", "加入VIP,免费下载本文档"]), "相关文档"]
        foot += ["  " + t for t in self.related(r.randint(4, 7))]
        foot += ["网友评论", "发表评论", r.choice(["暂无评论,快来抢沙发吧!", "还没有人评论,说说你的看法吧"]),
                 "关于豆丁 | 帮助中心 | 联系我们 | 网站地图 | 意见反馈",
                 f"Copyright ©2008-2024 docin.com 豆丁网 All Rights Reserved  {self.icp('沪')}",
                 self.gongan("沪")]
        doc = {"title": self.title, "published": day, "uploader": up, "doc_id": f"p-{did}", "format": fmt,
               "pages": self.pages}
        notice = f"还剩{self.pages - self.preview()}页未读,继续阅读"
        return Chrome(head, foot, doc, notice=notice)

    def doc88(self) -> Chrome:
        r = self.r
        up, day, fmt = r.choice(UPLOADERS), ts(r, 2011, 2023, False), r.choice(["DOC", "PDF"])
        did = str(r.randint(1000000000000, 9999999999999))
        size, pts, views = size_str(r, self.nchars), r.randint(100, 3000), r.randint(20, 5000)
        head = [r.choice(["道客巴巴", "道客巴巴 doc88.com 在线文档分享平台"]),
                "首页 > 行业资料 > 政府/行政 > 讲话稿", self.title]
        rows = [f"贡献者:{up}", f"上传时间:{day}", f"文档编号:{did}", f"格式:{fmt}", f"页数:{self.pages}",
                f"大小:{size}", f"阅读量:{views}", f"下载积分:{pts}"]
        if r.random() < 0.5:
            r.shuffle(rows)
        head += ["   ".join(rows[:3]), "   ".join(rows[3:]), "阅读 下载 收藏 举报 分享到"]
        pv = self.preview()
        foot = [f"下载所需积分:{pts}  立即下载",
                f"温馨提示:当前文档最多只能预览 {pv} 页,若文档总页数超出了 {pv} 页,请下载原文档以浏览全部内容。",
                "本文档由用户上传,仅供交流学习,版权归原作者所有,如有侵权请联系我们删除。", "猜你喜欢"]
        foot += self.related(r.randint(4, 6))
        foot += [f"道客巴巴 copyright © 2008-2024 doc88.com  {self.icp('浙')}",
                 f"客服QQ:{self.qq()}  客服邮箱:service@doc88.com"]
        doc = {"title": self.title, "published": day, "uploader": up, "doc_id": did, "format": fmt,
               "pages": self.pages, "size": size}
        return Chrome(head, foot, doc, notice=f"还剩 {self.pages - pv} 页未读,继续阅读")

    def book118(self) -> Chrome:
        r = self.r
        up, day, fmt = r.choice(UPLOADERS), ts(r, 2015, 2024), r.choice(["docx", "doc", "pdf"])
        did = str(r.randint(10 ** 15, 9 * 10 ** 15))
        size, pv = size_str(r, self.nchars), self.preview()
        head = [r.choice(["原创力文档", "原创力文档 book118.com"]),
                r.choice(["当前位置:首页 > 办公文档 > 讲话/致辞", "当前位置:首页 > 党政材料 > 讲话稿"]),
                self.title,
                f"文档ID:{did}  上传人:{up}  上传时间:{day}",
                f"格式:{fmt}  页数:{self.pages}  大小:{size}  下载所需积分:{r.randint(2, 20)}",
                r.choice([f"本文档共{self.pages}页,可免费阅读{pv}页", "付费文档 文档价格:3.00元"]),
                "免费下载 VIP免费 举报 收藏"]
        foot = [r.choice([f"免费预览已结束,剩余{self.pages - pv}页可下载查看", "下载文档 立即下载 加入VIP,免费下载"]),
                "免责声明:本站文档均由用户上传,原创力文档仅提供存储空间,不对用户上传内容的版权负责,如涉嫌侵权请联系客服删除。",
                "相关推荐"]
        foot += self.related(r.randint(3, 6))
        foot += [f"原创力文档 book118.com 版权所有 © 2010-2024  {self.icp('浙')}", self.gongan("浙"),
                 f"客服热线:400-{r.randint(100, 999)}-{r.randint(1000, 9999)}  客服QQ:{self.qq()}"]
        doc = {"title": self.title, "published": day, "uploader": up, "doc_id": did, "format": fmt,
               "pages": self.pages, "size": size}
        return Chrome(head, foot, doc, notice=f"还剩{self.pages - pv}页未读,继续阅读")

    def baiduwenku(self) -> Chrome:
        r = self.r
        up, day = r.choice(UPLOADERS), ts(r, 2012, 2024, False)
        views = r.choice(["1.2万", "3568", "896", "2.7万", "154"])
        head = [r.choice(["百度文库", "百度文库 - 文档"]), r.choice(["首页 > 党团工作 > 讲话致辞",
                                                          "首页 > 实用文档 > 讲话稿"]),
                self.title,
                f"贡献者:{up}  上传时间:{day}",
                f"{self.pages}页  {r.randint(1, 5)}下载券  阅读量:{views}",
                r.choice(["VIP专享文档", "付费文档", "免费文档"])]
        foot = [r.choice(["下载文档到电脑,查找使用更方便", "下载文档,编辑使用更方便"]),
                f"{r.randint(1, 5)}下载券  立即下载",
                "本文档由用户上传,百度文库仅提供信息存储空间,如涉及侵权请联系我们删除。",
                r.choice(["猜你喜欢", "相关推荐"])]
        foot += self.related(r.randint(3, 6))
        foot += ["©2024 Baidu  使用百度前必读  文库协议  网站地图", f"京ICP证{r.randint(10000, 99999)}号  {self.gongan('京')}"]
        doc = {"title": self.title, "published": day, "uploader": up, "pages": self.pages}
        return Chrome(head, foot, doc, notice=f"还剩{self.pages - self.preview()}页未读,继续阅读")

    def _360doc(self) -> Chrome:
        r = self.r
        author, src, t = r.choice(UPLOADERS), r.choice(SOURCES), ts(r)
        user, folder = r.choice(UPLOADERS), r.choice(FOLDERS)
        head = ["360doc个人图书馆", f"首页 > {user}的图书馆 > {folder}", self.title]
        rows = [f"作者:{author}", f"来源:{src}", f"发布时间:{t}", f"浏览:{r.randint(10, 900)}",
                f"转藏:{r.randint(0, 60)}"]
        head.append("  ".join(rows))
        head.append(r.choice(["分享到:微信 QQ空间 微博  转藏到我的图书馆  献花(0)", "+1 转藏 全屏 打印 分享 献花(0)"]))
        foot = [f"来自: {user} > 《{folder}》",
                "本站是提供个人知识管理的网络存储空间,所有内容均由用户发布,不代表本站观点。请注意甄别内容中的联系方式、"
                "诱导购买等信息,谨防诈骗。如发现有害或侵权内容,请点击一键举报。",
                "转藏 分享 献花(0)", "发表评论", "请遵守用户评论公约", "类似文章 更多"]
        foot += self.related(r.randint(3, 5))
        foot += ["猜你喜欢"] + self.related(2)
        foot += ["Copyright 2003-2024 360doc.com 个人图书馆 All Rights Reserved", f"京ICP证{r.randint(10000, 99999)}号"]
        doc = {"title": self.title, "published": t, "author": author, "source": src}
        return Chrome(head, foot, doc)

    def unknown(self) -> Chrome:
        r = self.r
        name, host = r.choice([("范文先生网", "fwsir.com"), ("第一范文网", "diyifanwen.com"),
                               ("笔杆子范文网", "biganzi.net"), ("公文易文秘网", "gwyoo.cn"),
                               ("好范文网", "haofanwen.cn")])
        t, author, src = ts(r), r.choice(AUTHORS), r.choice(SOURCES)
        crumb = r.choice([f"当前位置:首页 > 范文大全 > 讲话稿 > 正文",
                          f"当前位置: {name} > 范文大全 > 讲话稿 > 领导讲话",
                          f"您现在的位置:首页 &gt; 讲话稿 &gt; 工作会议",
                          f"您现在的位置:首页 &gt; 公文&amp;讲话 &gt; 领导讲话"])
        rows = [f"发布时间:{t}", f"作者:{author}", f"来源:{src}", f"浏览次数:{r.randint(50, 9999)}"]
        if r.random() < 0.4:
            r.shuffle(rows)
        head = [f"{name} {r.choice(['范文大全', '专业的范文写作网站', '写作无忧'])}", crumb, self.title, "  ".join(rows),
                r.choice([f"下面是小编为大家整理的{self.base},供大家参考借鉴,希望可以帮助到有需要的朋友。",
                          f"下面是小编为大家整理的{self.base},欢迎阅读!",
                          f"欢迎阅读由{name}小编精心整理的{self.base},更多范文请关注本站。"])]
        foot = [r.choice([f"本文来源于{name} www.{host},转载请注明出处。",
                          f"来源于 www.{host} 原文地址:https://www.{host}/jianghua/{r.randint(100000, 999999)}.html"]),
                f"【{self.base}】相关文章:"]
        foot += self.related(r.randint(4, 7))
        foot += ["网友评论", "发表评论", "热门推荐"] + self.related(3)
        foot += [f"Copyright © 2006-2024 {name} www.{host} All Rights Reserved",
                 f"{self.icp('京')}  {self.gongan('京')}",
                 f"联系电话:{self.phone()}  客服QQ:{self.qq()}  邮箱:service@{host}"]
        doc = {"title": self.title, "published": t, "author": author, "source": src}
        return Chrome(head, foot, doc)

    def bare(self) -> Chrome:
        """A compilation with almost no chrome (the 002 seed): a 推荐阅读 list at the end."""
        r = self.r
        foot = [f"【{self.base}】推荐阅读:"]
        for t in self.related(r.randint(5, 8)):
            foot.append(f"{t}{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
        return Chrome([self.title], foot, {"title": self.title}, sep="\n")

    def make(self, site: str, style: str | None) -> Chrome:
        if site == "360doc":
            return self._360doc()
        if site == "unknown" and style == "bare":
            return self.bare()
        return getattr(self, site)()


# --------------------------------------------------------------------------------------------
# building one page


@dataclass
class Entry:
    sp: Sp
    marker: str | None = None          # compilation entry marker line
    title_lines: list[str] = field(default_factory=list)
    title_join: str = "\n"
    meta_lines: list[str] = field(default_factory=list)
    inline_head: str | None = None     # speaker line printed on the salutation's line
    gold_title: str | None = None
    gold_speaker: str | None = None
    gold_date: str | None = None
    dup_of: int | None = None          # index among the page's entries
    follows: bool = False              # runs straight on from the previous speech, no header
    gold_index: int = -1


@dataclass
class Spec:
    label: str
    site: str
    n: int = 1
    comp: str | None = None            # entry marker style; None: single speech page
    ctitle: str = "gong"               # compilation title style
    layout: str = "plain"
    sep: str | None = None
    pages: dict | None = None          # page-break plan
    trad: bool = False
    pinyin: str | None = None
    misenc: bool = False
    ads: bool = False
    wrap_spaces: bool = False
    bracket_spaces: bool = False
    title_repeat: int = 0
    two_line_title: bool = False
    block_repeat: bool = False
    dup: bool = False
    pair: bool = False
    runtogether: bool = False
    speaker: str | None = None         # force a speech with a printed speaker, in this style
    date: str | None = None            # force a speech with a printed date, in this style
    keys: tuple = ()                   # explicit speeches
    encoding: str = "utf-8"
    crlf: bool = False
    double: bool = False               # UTF-8 read as Latin-1 and saved again as UTF-8
    chrome_style: str | None = None
    max_chars: int = 16000
    notes: str = ""


def pick_speeches(spec: Spec, rng: random.Random, pool: list[Sp], usage: dict) -> list[Sp]:
    """Choose the page's speeches in page order, preferring the least used ones."""
    by_key = {s.key: s for s in pool}
    if spec.keys:
        chosen = [by_key[k] for k in spec.keys]
        for s in chosen:
            usage[s.key] += 1
        return chosen

    def ok(s: Sp, titled: bool = True) -> bool:
        if spec.pinyin and s.key == "001/0":
            return False  # its gold keeps mojibake that looks like pinyin ("?chuàng)建")
        if spec.encoding == "big5" and not big5_ok(s.text + (s.title or "")):
            return False
        if titled and (spec.comp is None or spec.comp == "short_title") and not s.title:
            return False  # a single page or a short-title entry needs the speech's own title
        return True

    def least(cands, extra=lambda s: 0):
        return min(cands, key=lambda s: (usage[s.key], extra(s), rng.random()))

    cands = [s for s in pool if ok(s)]
    forced: list[Sp] = []
    if spec.speaker or spec.date:
        def need(s):
            real_name = spec.speaker not in ("spaced", "role_nospace") or (s.speaker or "XXX") != "XXX"
            return (not spec.speaker or (s.speaker and real_name)) and (not spec.date or s.date)
        fit = [s for s in cands if need(s)] or [s for s in cands if s.speaker or s.date]
        forced.append(least(fit))
    pair: list[Sp] = []
    if spec.pair:
        a = least([s for s in cands if s.paras[-1].startswith(("谢谢", "我的讲话完了")) and s not in forced
                   and len(s.text) < 7000])
        b = least([s for s in pool if ok(s, titled=False) and s.text.startswith("同志们:")
                   and s not in forced and s is not a], extra=lambda s: len(s.text))
        pair = [a, b]
    rest: list[Sp] = []
    budget = spec.max_chars - sum(len(s.text) for s in forced + pair)
    want = spec.n - len(forced) - (1 if pair else 0)
    while len(rest) < want:
        taken = forced + pair + rest
        fits = [s for s in cands if s not in taken and len(s.text) <= max(budget, 1500)]
        fits = fits or [s for s in cands if s not in taken]
        s = least(fits)
        rest.append(s)
        budget -= len(s.text)
    rng.shuffle(rest)
    ordered = forced + rest
    if pair:
        pos = rng.randint(0, len(ordered))
        ordered = ordered[:pos] + pair + ordered[pos:]
    for s in ordered:
        usage[s.key] += 1
    return ordered


class PageBuilder:
    def __init__(self, spec: Spec, pool: list[Sp], usage: dict):
        self.spec = spec
        self.rng = random.Random(zlib.crc32(spec.label.encode("utf-8")))
        self.pool = pool
        self.sps = pick_speeches(spec, self.rng, pool, usage)
        self.sep = spec.sep or ("\n" if spec.layout == "indent_wrap" else "\n\n")
        self.page_no = 1
        self.features: list[str] = []

    # ---- headers ---------------------------------------------------------------------------
    def split_title(self, t: str) -> list[str]:
        for mark in ("暨", "动员", "工作会议上", "会议上", "大会上"):
            i = t.find(mark, 6)
            if 6 <= i <= len(t) - 4:
                return [t[:i], t[i:]]
        i = len(t) // 2
        return [t[:i], t[i:]]

    def speaker_line(self, name: str, style: str) -> str:
        r = self.rng
        if style == "role":
            return f"{r.choice(ROLES)} {name}"
        if style == "role_fw":
            return f"{r.choice(ROLES)}　{name}"
        if style == "role_nospace":
            return f"{r.choice(['区委书记', '县委书记', '局长', '县长'])}{name}"
        if style == "spaced" and len(name) == 3 and name != "XXX":
            return " ".join(name)
        return name

    def build_entries(self) -> list[Entry]:
        spec, r = self.spec, self.rng
        entries: list[Entry] = []
        pair_second = None
        if spec.pair:
            for i in range(len(self.sps) - 1):
                a, b = self.sps[i], self.sps[i + 1]
                if a.paras[-1].startswith(("谢谢", "我的讲话完了")) and b.text.startswith("同志们:"):
                    pair_second = i + 1
                    break
        for i, sp in enumerate(self.sps):
            e = Entry(sp)
            if i == pair_second:
                e.follows = True
                entries.append(e)
                continue
            # title
            if sp.title:
                e.gold_title = sp.title
                if spec.two_line_title and len(sp.title) >= 14 and not any(x.title_join == "two" for x in entries):
                    e.title_lines = self.split_title(sp.title)
                    e.title_join = "two"
                elif spec.title_repeat and not any(len(x.title_lines) > 1 for x in entries):
                    e.title_lines = [sp.title] * spec.title_repeat
                else:
                    e.title_lines = [sp.title]
            # date and speaker
            date_line_s = speaker_s = None
            forced_spk = spec.speaker and sp.speaker and not any(x.gold_speaker for x in entries)
            if sp.speaker and (forced_spk or r.random() < 0.7):
                style = spec.speaker if forced_spk else r.choice(["alone", "role", "alone"])
                if style == "inline" and not (sp.text.startswith("同志们:") and spec.layout == "plain"):
                    style = "role"
                speaker_s = self.speaker_line(sp.speaker, "role" if style == "inline" else style)
                e.gold_speaker = sp.speaker
                if style == "inline":
                    e.inline_head = speaker_s
                    speaker_s = None
                self.features.append(f"speaker:{style}")
            forced_date = spec.date and sp.date and not any(x.gold_date for x in entries)
            if sp.date and (forced_date or r.random() < 0.75):
                style = spec.date if forced_date else r.choice(["paren", "paren", "paren_fw", "bare"])
                date_line_s = date_line(sp.date, style)
                e.gold_date = sp.date
                self.features.append(f"date:{style}")
            metas = [x for x in (date_line_s, speaker_s) if x]
            if len(metas) == 2 and r.random() < 0.4:
                metas.reverse()
            e.meta_lines = metas
            entries.append(e)
        # duplicate speech later in the page
        if spec.dup:
            cands = [j for j, e in enumerate(entries) if not e.follows and len(e.sp.text) < 6000
                     and not (j + 1 < len(entries) and entries[j + 1].follows)]
            j = cands[0] if cands else 0
            src = entries[j]
            d = Entry(src.sp, title_lines=list(src.title_lines[:1]) if src.gold_title else [],
                      gold_title=src.gold_title, dup_of=j)
            if src.title_join == "two":
                d.title_lines = [src.sp.title]
            entries.append(d)
        return entries

    # ---- compilation scaffolding --------------------------------------------------------
    def comp_title(self, base: str, n: int) -> str:
        st = self.spec.ctitle
        return {"jingxuan": f"{base}(精选{cn_num(n)}篇)", "gong": f"{base}(共{n}篇)",
                "anli": f"{base}(案例{n}篇)", "bracket": f"{base}【{cn_num(n)}篇】",
                "tongyong": f"{base}(通用{n}篇)", "youxiu": f"{base}(优秀{cn_num(n)}篇)"}[st]

    def apply_markers(self, entries: list[Entry], base: str):
        """Give each entry its marker line and settle its gold title accordingly."""
        style, r = self.spec.comp, self.rng
        k = 0
        for e in entries:
            if e.follows:
                continue
            k += 1
            cn, t = cn_num(k), e.sp.title
            own_in_marker = t and e.title_join != "two" and len(e.title_lines) <= 1 and r.random() < 0.5
            if style == "short_title":
                continue
            if style == "di_pian":
                if own_in_marker:
                    e.marker, e.title_lines = f"第{cn}篇:{t}", []
                elif t:
                    e.marker = f"第{cn}篇:{r.choice([base, r.choice(RELATED_TITLES)])}"
                else:
                    e.marker = f"第{cn}篇:{base}"
            elif style == "num_pian":
                e.marker = f"{k}.{base} 篇{cn}"
            elif style == "bracket_pian":
                if own_in_marker:
                    e.marker, e.title_lines = f"【篇{cn}】{t}", []
                else:
                    e.marker = f"【篇{cn}】"
            elif style == "pian_colon":
                if own_in_marker:
                    e.marker, e.title_lines = f"篇{cn}:{t}", []
                else:
                    e.marker = f"篇{cn}:{base}"
            elif style == "fanwen":
                if own_in_marker:
                    e.marker, e.title_lines = f"范文{cn}:{t}", []
                else:
                    e.marker = f"范文{cn}:"
            elif style == "di_n":
                if own_in_marker:
                    e.marker, e.title_lines = f"第{k}篇 {t}", []
                else:
                    e.marker = f"第{k}篇"
            elif style == "num_dot":
                e.marker = f"{k}、{base}" if r.random() < 0.5 else f"{k}.{base}"

    # ---- body ------------------------------------------------------------------------------
    def inline_damage(self, paras: list[str]) -> list[str]:
        spec, r = self.spec, self.rng
        out = list(paras)
        if spec.misenc:
            for bad, worse in MISENC:
                out = [p.replace(bad, worse) for p in out]
        if spec.ads:
            slots = [(i, m.end()) for i, p in enumerate(out) for m in re.finditer("。", p) if m.end() < len(p) - 5]
            for i, pos in sorted(r.sample(slots, min(len(slots), r.randint(1, 2))), reverse=True):
                ad = r.choice(ADS)
                out[i] = out[i][:pos] + AD_OPEN + ad + AD_CLOSE + out[i][pos:]
        if spec.wrap_spaces:
            for i, p in enumerate(out):
                cuts = cjk_cut_points(p, 4, 2)
                for pos in sorted(r.sample(cuts, min(len(cuts), len(p) // 350)), reverse=True):
                    out[i] = out[i][:pos] + " " + out[i][pos:]
        if spec.bracket_spaces:
            for i, p in enumerate(out):
                p = re.sub(r"(?<=[\u4e00-\u9fff])\(", lambda m: " (" if r.random() < 0.8 else "(", p)
                p = re.sub(r"\)(?=[\u4e00-\u9fff])", lambda m: ") " if r.random() < 0.8 else ")", p)
                out[i] = p
        if spec.block_repeat:
            long_idx = [i for i in range(1, len(out) - 3) if all(len(out[j]) > 25 for j in range(i, i + 2))]
            if long_idx:
                i = r.choice(long_idx)
                m = r.randint(1, 2)
                out[i + m:i + m] = out[i:i + m]
                self.features.append(f"block_repeat:{m}")
        return out

    def wrap(self, para: str, width: int) -> list[str]:
        lines, cur, n = [], [], 0
        i = 0
        while i < len(para):
            c = para[i]
            if c == AD_OPEN:
                j = para.index(AD_CLOSE, i) + 1
                cur.append(para[i:j])
                n += 4
                i = j
                continue
            m = re.match(r"[ -~]+", para[i:])
            tok = para[i:i + len(m.group(0))] if m and len(m.group(0)) > 1 else c
            w = max(1, len(tok) // 2) if len(tok) > 1 else 1
            if n + w > width and cur and tok not in NO_LINE_START:
                lines.append("".join(cur))
                cur, n = [], 0
            cur.append(tok)
            n += w
            i += len(tok)
        if cur:
            lines.append("".join(cur))
        return lines

    def marker_text(self, form: str, k: int, title: str) -> str:
        return {"slash": f"第{k}页 / 共{TOTAL}页", "slash2": f"第{k}页/共{TOTAL}页",
                "space": f"第 {k} 页 共 {TOTAL} 页", "emdash": f"— {k} —", "dash": f"- {k} -",
                "frac": f"{k}/{TOTAL}", "pageof": f"Page {k} of {TOTAL}", "di": f"第{k}页",
                "title_page": f"{title}_第{k}页"}[form]

    def render_body(self, e: Entry, running_title: str) -> str:
        """One speech body laid out with its page breaks; returns the text block."""
        spec, r = self.spec, self.rng
        paras = self.inline_damage(e.sp.paras)
        if e.inline_head:
            paras[0] = f"{e.inline_head} {paras[0]}"
        layout = spec.layout
        width = r.randint(28, 36)
        # lines: [text, starts_paragraph]
        lines: list[list] = []
        for p in paras:
            if layout in ("indent_wrap", "blank_wrap"):
                for j, piece in enumerate(self.wrap(p, width)):
                    lines.append([piece, j == 0])
            else:
                lines.append([p, True])
        breaks: dict[int, dict] = {}
        plan = spec.pages
        if plan:
            total = sum(len(p) for p in paras)
            every = r.randint(plan.get("min", 1100), plan.get("max", 1900))
            nb = max(1, round(total / every)) if total > 700 else 0
            targets = sorted(int(total * (j + 1) / (nb + 1)) + r.randint(-150, 150) for j in range(nb))
            for t in targets:
                offs, pos_line = 0, None
                for li, (txt, _) in enumerate(lines):
                    if offs + len(txt) >= t:
                        pos_line = li
                        break
                    offs += len(txt)
                if pos_line is None:
                    continue
                mid = plan.get("mid", 0.6)
                if layout == "plain" and r.random() < mid:
                    txt = lines[pos_line][0]
                    cuts = cjk_cut_points(txt, 25, 12)
                    if cuts:
                        want = t - offs
                        cut = min(cuts, key=lambda c: (abs(c - want), c))
                        lines[pos_line:pos_line + 1] = [[txt[:cut], lines[pos_line][1]], [txt[cut:], False]]
                        # breaks recorded by line index: shift later ones
                        breaks = {(k + 1 if k > pos_line else k): v for k, v in breaks.items()}
                        breaks[pos_line + 1] = {}
                        continue
                idx = pos_line + 1
                if 0 < idx < len(lines) and idx not in breaks:
                    breaks[idx] = {}
        # run-together block (paragraphs joined by a space after a sentence end)
        space_join: set[int] = set()
        if spec.runtogether and layout == "plain":
            n = len(lines)
            a = r.randint(0, max(0, n // 3))
            b = min(n, a + r.randint(5, 12))
            for i in range(a + 1, b):
                if lines[i][1] and i not in breaks and ends_sentence(lines[i - 1][0]):
                    space_join.add(i)
            if space_join:
                self.features.append("run_together")
        # notice (还剩 N 页未读) at a paragraph boundary
        notice_at = None
        if self.notice and not self.notice_done and spec.layout in ("plain", "blank_wrap", "indent_wrap"):
            starts = [i for i in range(2, len(lines)) if lines[i][1] and i not in breaks and i not in space_join]
            if starts:
                notice_at = r.choice(starts[: max(1, len(starts) // 2)])
        # render
        styles = (plan or {}).get("styles", ["marker"])
        form = (plan or {}).get("form", "slash")
        header = (plan or {}).get("header", False)
        out = [self.indent(lines[0])]
        for i in range(1, len(lines)):
            prev_txt = out[-1]
            cur = lines[i]
            cur_txt = self.indent(cur)
            if i in breaks:
                k = self.page_no
                self.page_no += 1
                style = r.choice(styles)
                J = self.break_joiner(cur[1])
                if style in ("stray_end",) and not (is_cjk(prev_txt.rstrip()[-1:] or "x") or ends_sentence(prev_txt)):
                    style = "marker"
                if style in ("stray_start", "stray_nospace") and not is_cjk(cur_txt.lstrip("　")[:1] or "x"):
                    style = "marker"
                if style == "bare" and (cur[1] or layout != "plain"):
                    style = "marker"
                head = [self.marker_text("title_page", k + 1, running_title)] if header == "title_page" else (
                    [running_title] if header else [])
                self.features.append(f"break:{style}:{'para' if cur[1] else 'mid'}")
                if style == "marker":
                    piece = J.join([self.marker_text(form, k, running_title)] + head + [cur_txt])
                    out.append(J + piece)
                elif style == "stray_end":
                    out[-1] = prev_txt + f" {k}"
                    out.append(J + J.join(head + [cur_txt]))
                elif style == "stray_start":
                    out.append(J + J.join(head + [f"{k + 1} {cur_txt}"]))
                elif style == "stray_nospace":
                    out.append(J + J.join(head + [f"{k + 1}{cur_txt}"]))
                elif style == "alone":
                    out.append(J + J.join([str(k)] + head + [cur_txt]))
                elif style == "bare":
                    out.append(J + cur_txt)
                continue
            if i == notice_at:
                self.notice_done = True
                out.append(self.sep + self.notice + self.sep + cur_txt)
                self.features.append("notice")
                continue
            if i in space_join:
                out.append(" " + cur_txt)
                continue
            if cur[1]:
                out.append(("\n" if layout == "indent_wrap" else self.sep) + cur_txt)
            else:
                out.append("\n" + cur_txt)
        return "".join(out)

    def indent(self, line: list) -> str:
        txt, start = line
        if self.spec.layout == "indent_wrap" and start:
            return "　　" + txt
        return txt

    def break_joiner(self, at_para: bool) -> str:
        if self.spec.layout == "indent_wrap":
            return "\n"
        if self.spec.layout == "blank_wrap":
            return "\n\n" if at_para else "\n"
        if at_para:
            return self.sep
        return "\n" if self.sep == "\n" else self.rng.choice(["\n", "\n\n"])

    # ---- preview chunks --------------------------------------------------------------------
    def render_chunks(self, segments: list[tuple[str, bool]]) -> str:
        """Join segments with spaces, cut into numbered chunks of 300-600 chars mid-sentence."""
        r = self.rng
        text, allowed = "", []
        for s, cuttable in segments:
            if text:
                text += " "
            base = len(text)
            text += s
            if cuttable:
                allowed += [base + p for p in cjk_cut_points(s, 3, 3)]
        cuts, pos = [], 0
        allowed_sorted = allowed
        while True:
            target = pos + r.randint(300, 600)
            nxt = next((a for a in allowed_sorted if a >= target), None)
            if nxt is None or len(text) - nxt < 120:
                break
            cuts.append(nxt)
            pos = nxt
        pieces = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
        chunks = [f"{k}、{p}" for k, p in enumerate(pieces, 1)]
        self.features.append(f"chunks:{len(chunks)}")
        if self.notice and len(chunks) > 3:
            at = r.randint(2, len(chunks) - 1)
            chunks.insert(at, self.notice)
            self.features.append("notice")
        return "\n\n".join(chunks)

    # ---- the page ----------------------------------------------------------------------------
    def build(self) -> tuple[str, dict, dict]:
        spec, r = self.spec, self.rng
        entries = self.build_entries()
        is_comp = spec.comp is not None
        base = r.choice([b for b in COMP_BASES])
        n_entries = sum(1 for e in entries if not e.follows)
        if is_comp:
            doc_title = self.comp_title(base, n_entries)
            self.apply_markers(entries, base)
        else:
            t = entries[0].sp.title
            doc_title = r.choice([t, t, f"{t}范文", f"{t}(定稿)", f"领导{t}" if not t.startswith("在") else f"{t}稿"])
            base = doc_title
        # gold titles after markers: the title line above the body, or the own title in the marker
        for e in entries:
            if e.follows:
                continue
            if e.title_lines:
                e.gold_title = e.sp.title
            elif e.marker and e.sp.title and e.marker.endswith(e.sp.title):
                e.gold_title = e.sp.title
            else:
                e.gold_title = None

        # the chrome needs a page count: body first, chrome after
        others = [s for s in self.pool if s not in self.sps and s.title]
        r.shuffle(others)
        self.notice = None
        site_has_notice = spec.site in ("docin", "doc88", "book118", "baiduwenku")
        if site_has_notice:
            self.notice = f"还剩{TOTAL}页未读,继续阅读"   # count filled in below
        running_title = doc_title if is_comp else (entries[0].sp.title or doc_title)
        self.notice_done = False

        blocks: list[str] = []
        if spec.layout == "chunks":
            segs: list[tuple[str, bool]] = []
            for e in entries:
                if e.marker:
                    segs.append((e.marker, False))
                if e.title_lines:
                    if not is_comp and spec.title_repeat == 0:
                        segs.append((" ".join([e.title_lines[0]] * 2), False))
                        self.features.append("title_in_chunk_x2")
                    else:
                        segs.append((" ".join(e.title_lines), False))
                for m in e.meta_lines:
                    segs.append((m, False))
                paras = self.inline_damage(e.sp.paras)
                for p in paras:
                    segs.append((p, True))
            body = self.render_chunks(segs)
            if (spec.pages or {}).get("final"):
                body += " " + self.marker_text(spec.pages.get("form", "space"), TOTAL, "")
            blocks.append(body)
        else:
            for e in entries:
                lines = []
                if e.marker:
                    lines.append(e.marker)
                tl = e.title_lines
                if tl:
                    if e.title_join == "two":
                        lines.append(r.choice(["\n", self.sep]).join(tl))
                        self.features.append("two_line_title")
                    else:
                        lines += tl
                        if len(tl) > 1:
                            self.features.append(f"title_x{len(tl)}")
                lines += e.meta_lines
                if spec.layout in ("indent_wrap", "blank_wrap") and lines:
                    lines = [" " * r.randint(6, 14) + ln if r.random() < 0.6 else ln for ln in lines]
                body = self.render_body(e, running_title)
                if e.follows:
                    blocks[-1] += self.sep + body
                    self.features.append("two_speeches_one_entry")
                    continue
                block = self.sep.join(lines + [body]) if lines else body
                blocks.append(block)
            if spec.pages and spec.pages.get("final"):
                k = self.page_no
                fin = self.marker_text(spec.pages.get("form", "slash"), k, running_title)
                blocks[-1] += (" " if spec.layout == "plain" and r.random() < 0.5 else self.sep) + fin

        content = self.sep.join(blocks)
        if spec.layout.startswith("html"):
            content = self.htmlize(blocks, entries)

        n_pages = self.page_no if spec.pages and spec.layout != "chunks" else r.randint(4, 9)
        nchars = sum(len(s.text) for s in self.sps)
        chrome = ChromeMaker(r, doc_title, base, n_pages, nchars, others).make(spec.site, spec.chrome_style)
        if self.notice:
            content = content.replace(self.notice, chrome.notice or "")
        sep = chrome.sep if spec.layout != "indent_wrap" else "\n"
        head = chrome.head
        page = sep.join(head) + sep + content + sep + sep.join(chrome.foot) + "\n"
        page = page.replace(TOTAL, str(n_pages))

        # page-level transforms: pinyin, html entities, sentinels, script
        if spec.pinyin:
            page = annotate_pinyin(page, r, r.uniform(0.15, 0.35), spec.pinyin)
        if spec.layout.startswith("html"):
            page = html_entities(page, r)
        page = page.replace(AD_OPEN, "").replace(AD_CLOSE, "")
        doc = chrome.doc
        if spec.encoding == "big5":
            page = page.replace("©", "(C)").replace("¥", "")
        if spec.trad:
            simp = page
            page = to_traditional(simp, spec.encoding == "big5")
            back = T2S.convert(page)
            if back != simp:
                bad = [(simp[i - 5:i + 5], back[i - 5:i + 5]) for i in range(min(len(simp), len(back)))
                       if simp[i] != back[i]][:3]
                raise ValueError(f"{spec.label}: traditional round trip fails: {bad}")
            doc = {k: (T2S.convert(to_traditional(v, spec.encoding == "big5")) if isinstance(v, str) else v)
                   for k, v in doc.items()}
        # gold
        gold_sp = []
        idx_of: dict[int, int] = {}
        for j, e in enumerate(entries):
            idx_of[j] = len(gold_sp)
            gold_sp.append({"title": e.gold_title, "speaker": e.gold_speaker, "date": e.gold_date,
                            "text": e.sp.text,
                            "duplicate_of": idx_of[e.dup_of] if e.dup_of is not None else None})
        meta = {"features": sorted(set(self.features)), "speeches": [e.sp.key for e in entries]}
        return page, {"site": spec.site, "document": doc, "speeches": gold_sp}, meta

    def htmlize(self, blocks: list[str], entries: list[Entry]) -> str:
        """Turn the laid-out blocks into HTML-ish text: <p> or <br /> per paragraph."""
        r = self.rng
        layout = self.spec.layout
        lines = "\n".join(blocks).replace("\n\n", "\n").split("\n")
        heads = {ln for e in entries for ln in (e.title_lines + e.meta_lines + ([e.marker] if e.marker else []))}
        out = []
        for ln in lines:
            if ln in heads and r.random() < 0.5:
                tag = r.choice(["h2", "strong"])
                out.append(f"<h2>{ln}</h2>" if tag == "h2" else f"<p><strong>{ln}</strong></p>")
            elif layout in ("html_p", "html_p_oneline"):
                style = r.random()
                out.append(f"<p>{ln}</p>" if style < 0.7 else f'<p style="text-indent:2em">{ln}</p>')
            else:
                out.append(f"{'&nbsp;' * r.choice([0, 4, 4, 6])}{ln}<br />")
        if layout == "html_p_oneline":
            return "".join(out)
        if layout == "html_br_oneline":
            return "".join(o if o.endswith("<br />") else o + "<br />" for o in out)
        return "\n".join(out)


# --------------------------------------------------------------------------------------------
# encodings


def encode_page(text: str, spec: Spec) -> bytes:
    if spec.crlf:
        text = text.replace("\n", "\r\n")
    enc = spec.encoding
    if spec.double:
        return text.encode("utf-8").decode("latin-1").encode("utf-8")
    if enc == "utf-8":
        return text.encode("utf-8")
    if enc == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if enc == "utf-16-le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if enc == "utf-16-be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(enc)   # gb18030, big5: strict


def decode_page(data: bytes, info: dict) -> str:
    """Inverse of encode_page, from the manifest entry (used by tools/evaluate.py)."""
    if info.get("double_encoded"):
        text = data.decode("utf-8").encode("latin-1").decode("utf-8")
    else:
        enc = info["encoding"]
        text = data.decode({"utf-16-le": "utf-16", "utf-16-be": "utf-16", "utf-8-sig": "utf-8-sig"}.get(enc, enc))
    return text.replace("\r\n", "\n")


# --------------------------------------------------------------------------------------------
# the variant list

P = dict  # page-break plans, for brevity

SPECS: list[Spec] = [
    # --- preview chunks (装配图网 / 豆丁 / 原创力 style) ---
    Spec("preview_chunks", "docin", layout="chunks", notes="single speech cut into numbered preview chunks"),
    Spec("trad_pinyin_chunks", "zhuangpeitu", layout="chunks", trad=True, pinyin="marks",
         pages=P(form="space", final=True), notes="the 001 seed's shape: traditional, pinyin, chunks"),
    Spec("gb18030_trad_chunks_tone_numbers", "zhuangpeitu", layout="chunks", trad=True, pinyin="numbers",
         encoding="gb18030", notes="GB18030 bytes, traditional, tone-number pinyin, chunks"),
    Spec("chunks_date_speaker", "zhuangpeitu", layout="chunks", speaker="role", date="paren",
         notes="chunks whose first chunk carries title, date and speaker"),
    Spec("compilation_chunks", "book118", n=3, comp="di_pian", ctitle="gong", layout="chunks",
         notes="a three-speech compilation shown as preview chunks"),
    Spec("chunks_crlf", "doc88", layout="chunks", crlf=True, misenc=True, notes="chunks, CRLF, 臵"),
    Spec("chunks_utf16", "baiduwenku", layout="chunks", encoding="utf-16-le", pinyin="mixed",
         notes="UTF-16 LE, chunks, pinyin with marks and numbers"),
    # --- compilations ---
    Spec("compilation_di_pian", "xiexiebang", n=5, comp="di_pian", ctitle="jingxuan", speaker="alone",
         date="paren", pages=P(form="di", styles=["stray_end", "stray_end", "marker"]),
         notes="写写帮 compilation: 第一篇: markers, stray page numbers, header lines"),
    Spec("compilation_num_pian", "unknown", n=4, comp="num_pian", ctitle="gong", sep="\n",
         two_line_title=True, date="paren", chrome_style="bare",
         pages=P(form="emdash", styles=["bare", "marker"], mid=0.8), encoding="utf-8-sig",
         notes="002-seed shape: 1.…篇一 markers, single-newline paragraphs, bare page splits, BOM"),
    Spec("short_title_entries_pair_dup", "unknown", n=4, comp="short_title", ctitle="anli", pair=True, dup=True,
         notes="003-seed shape: entries introduced by a short title, two speeches in one entry, a repeat"),
    Spec("bracket_pian", "unknown", n=3, comp="bracket_pian", ctitle="bracket", title_repeat=2,
         pages=P(form="slash", styles=["marker"]), notes="【篇一】 markers, title printed twice, page markers"),
    Spec("pian_colon", "360doc", n=3, comp="pian_colon", ctitle="youxiu", block_repeat=True,
         notes="篇一: markers, a block pasted twice"),
    Spec("fanwen_markers", "unknown", n=3, comp="fanwen", ctitle="tongyong", ads=True,
         notes="范文一: markers, inline fwsir ads"),
    Spec("di_n_markers_gb18030", "xiexiebang", n=4, comp="di_n", ctitle="jingxuan", encoding="gb18030",
         pages=P(form="space", styles=["marker", "stray_start"]), notes="第1篇 markers, GB18030"),
    Spec("num_dot_markers_dup", "renrenfanwen", n=3, comp="num_dot", ctitle="gong", dup=True, date="bare",
         notes="1、 / 1. entries, a whole speech repeated"),
    Spec("compilation_pair_thanks", "xiexiebang", n=3, comp="di_pian", ctitle="jingxuan", pair=True,
         notes="一篇 entry holding two speeches (谢谢大家! then 同志们:)"),
    Spec("bracket_four", "unknown", n=4, comp="bracket_pian", ctitle="bracket", ads=True, misenc=True,
         notes="【四篇】 title, ads, 臵"),
    Spec("compilation_trad_utf16be", "360doc", n=3, comp="pian_colon", ctitle="gong", trad=True,
         encoding="utf-16-be", notes="traditional compilation in UTF-16 BE"),
    Spec("compilation_hardwrap", "doc88", n=2, comp="di_n", ctitle="gong", layout="indent_wrap",
         pages=P(form="dash", styles=["marker"], header=True), notes="two speeches, PDF wraps, running header"),
    Spec("short_title_runtogether", "unknown", n=3, comp="short_title", ctitle="anli", runtogether=True,
         wrap_spaces=True, notes="short-title entries, run-together blocks, wrap spaces"),
    Spec("compilation_crlf_dup", "docin", n=3, comp="num_pian", ctitle="gong", dup=True, crlf=True,
         title_repeat=3, notes="CRLF, repeated speech, title printed three times"),
    # --- single speeches with page artifacts ---
    Spec("single_role_speaker", "renrenfanwen", speaker="inline", two_line_title=True,
         pages=P(form="di", styles=["stray_start"]), encoding="gb18030",
         notes="004-seed shape: 区委书记 XXX 同志们: on one line, stray numbers, GB18030"),
    Spec("page_markers_slash", "zhuangpeitu", pages=P(form="slash", styles=["marker"], final=True),
         notes="第1页 / 共6页 markers between and inside paragraphs"),
    Spec("page_markers_pageof", "baiduwenku", pages=P(form="pageof", styles=["marker", "alone"]),
         notes="Page 2 of 6 markers, lone page numbers"),
    Spec("page_markers_frac", "doc88", pages=P(form="frac", styles=["marker", "stray_nospace"]),
         speaker="role_fw", notes="2/6 markers, numbers glued to the next page"),
    Spec("page_markers_emdash_header", "book118", pages=P(form="emdash", styles=["marker"], header=True),
         date="paren_fw", notes="— 2 — markers with the title as running header"),
    Spec("page_title_underscore", "docin", pages=P(form="dash", styles=["marker"], header="title_page"),
         notes="TITLE_第2页 running headers"),
    Spec("stray_numbers_mixed", "unknown", pages=P(form="space", styles=["stray_end", "stray_start", "stray_nospace"]),
         speaker="spaced", notes="stray page numbers of every kind, speaker name spread with spaces"),
    Spec("stray_crlf", "renrenfanwen", pages=P(form="di", styles=["stray_end", "alone"]), crlf=True,
         misenc=True, notes="CRLF, stray numbers, 臵"),
    # --- wraps ---
    Spec("hardwrap_indent", "baiduwenku", layout="indent_wrap", pages=P(form="dash", styles=["marker"]),
         encoding="utf-16-le", notes="PDF wraps every ~30 chars, 　　 indents, UTF-16 LE"),
    Spec("hardwrap_blank", "doc88", layout="blank_wrap", pages=P(form="pageof", styles=["marker"]),
         wrap_spaces=True, bracket_spaces=True, notes="wrapped lines, blank lines between paragraphs"),
    Spec("hardwrap_indent_header", "book118", layout="indent_wrap",
         pages=P(form="emdash", styles=["marker"], header=True), date="paren", speaker="role",
         notes="PDF wraps with running header and centred header lines"),
    Spec("hardwrap_trad", "360doc", layout="blank_wrap", trad=True, notes="traditional, wrapped lines"),
    Spec("hardwrap_gb18030", "unknown", layout="indent_wrap", encoding="gb18030", misenc=True,
         pages=P(form="frac", styles=["marker"]), notes="PDF wraps in GB18030 with 臵"),
    Spec("wrap_spaces_brackets", "unknown", n=2, comp="num_pian", ctitle="gong", wrap_spaces=True,
         bracket_spaces=True, keys=("002/1", "003/1"), chrome_style="bare",
         notes="有所降 温 / 局 (馆) 隆重 wrap spaces"),
    Spec("runtogether_block", "zhuangpeitu", runtogether=True, notes="paragraphs run together with spaces"),
    Spec("runtogether_pages", "unknown", runtogether=True, pages=P(form="slash2", styles=["marker", "stray_end"]),
         notes="run-together blocks plus page breaks"),
    # --- script and annotations ---
    Spec("trad_utf8", "docin", trad=True, notes="traditional characters, UTF-8"),
    Spec("trad_big5", "docin", trad=True, encoding="big5", notes="traditional characters in Big5"),
    Spec("trad_big5_pinyin", "book118", trad=True, encoding="big5", pinyin="numbers",
         pages=P(form="dash", styles=["marker"]), notes="Big5, tone-number pinyin (Big5 has no tone marks), page markers"),
    Spec("pinyin_marks", "xiexiebang", pinyin="marks", title_repeat=2, notes="pinyin with tone marks"),
    Spec("pinyin_numbers", "unknown", pinyin="numbers", notes="pinyin with tone numbers"),
    # --- web leftovers ---
    Spec("html_p", "360doc", layout="html_p", notes="<p> paragraphs and entities"),
    Spec("html_p_oneline", "unknown", layout="html_p_oneline", ads=True, notes="<p>…</p><p>…</p> on one line, ads"),
    Spec("html_br", "book118", layout="html_br", date="paren", notes="&nbsp; indents and <br />"),
    Spec("html_br_oneline_compilation", "unknown", n=2, comp="di_pian", ctitle="gong", layout="html_br_oneline",
         notes="a compilation as one <br />-joined line"),
    # --- encodings ---
    Spec("latin1_double", "unknown", double=True, notes="UTF-8 read as Latin-1 and saved as UTF-8 again"),
    Spec("latin1_double_compilation", "xiexiebang", n=2, comp="di_pian", ctitle="jingxuan", double=True,
         notes="double-encoded compilation"),
    Spec("utf8_bom_misenc", "baiduwenku", encoding="utf-8-sig", misenc=True, block_repeat=True,
         notes="BOM, 臵 / 臶, a block pasted twice"),
    Spec("utf16be_single", "360doc", encoding="utf-16-be", title_repeat=3, notes="UTF-16 BE, title thrice"),
    # --- more sites / mixtures ---
    Spec("single_ads_source", "unknown", ads=True, date="cn", notes="ads, 来源于 notice, 二〇…年 date"),
    Spec("single_speaker_role_nospace", "unknown", speaker="role_nospace", date="bare",
         pages=P(form="di", styles=["marker"]), notes="局长罗荣赓 style speaker line"),
    Spec("baidu_single_dup_block", "baiduwenku", block_repeat=True, two_line_title=True,
         notes="a block pasted twice, two-line title"),
]


def build_all(gold_dir: Path = GOLD_DIR) -> tuple[dict[str, bytes], dict]:
    """All variant files (name -> bytes) and the manifest, generated in memory."""
    pool = load_pool(gold_dir)
    usage = {s.key: 0 for s in pool}
    files: dict[str, bytes] = {}
    manifest: dict[str, dict] = {}
    for i, spec in enumerate(SPECS, 1):
        name = f"v{i:02d}_{spec.site}_{spec.label}"
        b = PageBuilder(spec, pool, usage)
        text, gold, meta = b.build()
        raw = encode_page(text, spec)
        gold = {"source": f"{name}.txt", **gold}
        files[f"{name}.txt"] = raw
        files[f"{name}.gold.json"] = (json.dumps(gold, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        manifest[f"{name}.txt"] = {
            "site": spec.site, "encoding": "utf-8" if spec.double else spec.encoding, "crlf": spec.crlf,
            "double_encoded": spec.double, "speeches": meta["speeches"], "notes": spec.notes,
            "features": describe(spec) + meta["features"]}
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files["README.md"] = readme(manifest).encode("utf-8")
    return files, manifest


def pool_key_title(pool: list[Sp], key: str) -> bool:
    return any(s.key == key and s.title for s in pool)


def describe(spec: Spec) -> list[str]:
    out = []
    if spec.comp:
        out.append(f"compilation:{spec.comp}/{spec.ctitle}")
    else:
        out.append("single")
    if spec.layout != "plain":
        out.append(f"layout:{spec.layout}")
    if spec.pages:
        out.append(f"pages:{spec.pages.get('form')}" + (":header" if spec.pages.get("header") else ""))
    for flag in ("trad", "misenc", "ads", "wrap_spaces", "bracket_spaces", "two_line_title", "block_repeat",
                 "dup", "pair", "runtogether", "crlf", "double"):
        if getattr(spec, flag):
            out.append(flag)
    if spec.pinyin:
        out.append(f"pinyin:{spec.pinyin}")
    if spec.title_repeat:
        out.append(f"title_repeat:{spec.title_repeat}")
    if spec.encoding != "utf-8":
        out.append(f"encoding:{spec.encoding}")
    return out


def readme(manifest: dict) -> str:
    lines = ["# Generated variants of the gold speeches", "",
             "Written by `tools/make_variants.py` (do not edit by hand; rerun it). Each `<name>.txt` is a raw",
             "page in its own encoding, `<name>.gold.json` its expected output (format: ../gold/GUIDELINES.md).",
             "Every gold speech text is exactly one of the reviewed gold texts in `../gold/`; the damage in the",
             "raw page is only damage that the guidelines say must be removed or repaired.",
             "`manifest.json` records each page's encoding and the damage it carries.", "",
             "Score the cleaner on them: `.venv/bin/python tools/evaluate.py fixtures/variants`", "",
             "| page | site | speeches | exercises |", "|---|---|---|---|"]
    for name, m in manifest.items():
        feats = ", ".join(dict.fromkeys(f.split(":")[0] if f.startswith(("break:", "speaker:", "date:")) else f
                                        for f in m["features"]))
        lines.append(f"| {name} | {m['site']} | {' '.join(m['speeches'])} | {m['notes']}; {feats} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(OUT_DIR))
    ap.add_argument("--check", action="store_true", help="only compare with what is on disk")
    a = ap.parse_args(argv)
    files, manifest = build_all()
    out = Path(a.out)
    if a.check:
        stale = [n for n, data in files.items() if not (out / n).exists() or (out / n).read_bytes() != data]
        extra = [p.name for p in out.glob("*") if p.name not in files] if out.exists() else []
        if stale or extra:
            print(f"stale: {stale} extra: {extra}", file=sys.stderr)
            return 1
        print(f"{len(manifest)} variants up to date")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for p in out.glob("*"):
        if p.is_file() and p.name not in files:
            p.unlink()
    for n, data in files.items():
        (out / n).write_bytes(data)
    total = sum(len(d) for d in files.values())
    print(f"wrote {len(manifest)} variants ({total / 1024:.0f} KB) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
