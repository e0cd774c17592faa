"""Character classes shared by the repair and segmentation stages."""
from __future__ import annotations

import regex

HAN = r"\p{Han}"
# punctuation that ends a sentence (and so may end a paragraph)
TERMINAL = "。!?!?…::"  # a line ending in ; goes on: items of one sentence
CLOSERS = "”’」』)》】\"'"
# punctuation after which a sentence must go on
CONTINUING = ",、,“‘「『(《【"
CJK_PUNCT = "。,、;:!?“”‘’「」『』()《》【】—…·,;:!?()"
# characters that do not begin a paragraph: particles, suffixes and closing punctuation
NON_INITIAL = set("的得地了着过们性化者等处之,,、。;;::!!??))”’」』》】…") | {"\u00b7"}

ITEM_START = regex.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[((][一二三四五六七八九十\d]+[))]|第[一二三四五六七八九十\d]+[,,、::是要条点部分章节篇句]|"
    r"[一二三四五六七八九十]+(?:是|要|来|则|方面|个方面)|\d{1,2}[、.．](?!\d)|[((]\d{1,2}[))]|[①-⑳])",
    regex.VERSION1)
# what opens a new paragraph: an item marker, or a turn of the speech
ENUMERATOR = regex.compile(ITEM_START.pattern[:-1] + r"|首先|其次|再次|最后|另外|此外|总之|同志们|各位)", regex.VERSION1)


# a speaker line: role words (optional) and a name, or a placeholder (XXX, ×××)
ROLES = (r"书记|副书记|县长|区长|市长|省长|州长|主任|局长|部长|主席|校长|厅长|处长|科长|镇长|乡长|院长|"
         r"总经理|董事长|经理|委员|秘书长|理事长|会长|社长|行长|所长|站长|队长|组长|司令员|政委|馆长|总裁|负责人|"
         r"班主任|教师|老师|园长|代表")
# a unit a speaker is introduced by, then a space: 市发改委　陈晓雯, 五(2)班 李欣怡
UNITS = r"委|局|办|厅|部|院|校|所|站|中心|公司|集团|班|组|处|科|室|会|队|村|镇|乡|街道|社区|支部|党委|政府|医院|学校|小学|中学|大学"
# the commonest surnames: a unit glued to a name (市发改委陈晓雯, once a wrap-space fixer took the
# space out) splits only where a surname starts the name
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
SPEAKER = regex.compile(
    rf"^(?:——\s*)?(?:(?P<role>[\p{{Han}}A-Za-z、XxＸ×*\d()]{{0,20}}?(?:{ROLES}))|"
    rf"(?P<unit>[\p{{Han}}A-Za-z\d()]{{1,20}}?(?:{UNITS}))(?=[ \u3000]))?\s*"
    rf"(?P<name>[\p{{Han}}]{{2,4}}|[XxＸ×*某]{{2,4}}|[\p{{Han}}][XxＸ×*某]{{1,2}}|[\p{{Han}}](?:[ \u3000][\p{{Han}}]){{1,2}})(?:\s*同志)?$",
    regex.VERSION1)
UNIT_NAME_GLUED = regex.compile(
    rf"^(?P<unit>[\p{{Han}}\d()]{{2,16}}?(?:{UNITS}))(?P<name>[{SURNAMES}][\p{{Han}}]{{1,2}})$", regex.VERSION1)

# Full-width ASCII forms (，；：（）！？１２…) fold 1:1 onto their half-width forms, so every rule
# and check is written once and sees both; offsets do not move.
WIDTH_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


_FULL_WIDTH = regex.compile("[\uff01-\uff5e]")


def fold(text: str) -> str:
    """The width-folded view of ``text``: same length, same offsets.

    ``同志们：（一）`` -> ``同志们:(一)``
    """
    if not _FULL_WIDTH.search(text):
        return text
    return text.translate(WIDTH_FOLD)


def ends_sentence(line: str) -> bool:
    """True when the line ends like a finished sentence (closing quotes/brackets skipped)."""
    s = line.rstrip()
    while s and s[-1] in CLOSERS:
        s = s[:-1]
    return bool(s) and s[-1] in TERMINAL + ".!?"


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def han_count(text: str) -> int:
    return sum(1 for ch in text if is_han(ch))
