"""Chrome that no single line gives away: a list of related titles trailing after the text."""
from __future__ import annotations

import regex

from ..engine import split_lines
from ..provenance import Proposal
from ..text import ends_sentence
from . import fixer

LISTY = regex.compile(r"讲话|发言|稿|范文|总结|计划|方案|报告|心得|体会|致辞|通知|意见|活动|工作|制度|"
                      r"[\[【][^\]】]{1,10}[\]】]|\d{2}-\d{2}$|(?:精选|大全|汇编|\d+篇)", regex.VERSION1)
NOT_LISTY = regex.compile(r"^\d{4}\s*年.{0,6}日|(?:办公室|委员会|人民政府|党委|支部|局|公司)$|谢谢", regex.VERSION1)


@fixer("related-tail")
def related_tail(text: str, ctx, rule) -> list[Proposal]:
    """A run of short title lines at the very end of the page, with no heading, is a related-
    documents list: it goes when most lines look like document titles.

    ``…作出新的更大贡献!\\n创建卫生城市表彰大会讲话\\n创建国家卫生城市讲话[定稿]\\n国旗下讲话``
    -> ``…作出新的更大贡献!\\n``
    """
    lines = [ln for ln in split_lines(text) if ln.text.strip()]
    run = []
    for ln in reversed(lines):
        s = ln.text.strip()
        if len(s) > 40 or ends_sentence(s) or NOT_LISTY.search(s):
            break
        run.append(ln)
    run.reverse()
    if len(run) < rule.options.get("min_lines", 3) or len(run) == len(lines):
        return []
    listy = sum(1 for ln in run if LISTY.search(ln.text.strip()))
    if listy < 0.4 * len(run):
        return []
    return [Proposal(run[0].start, len(text), "", rule.id)]
