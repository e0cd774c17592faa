"""The provenance contract on every fixture page and on generated pages:
D = source + edits, the source comes back from D and the edits, D outside the speeches is
whitespace, every speech is a span of D."""
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cleaner import clean_bytes, clean_text
from cleaner.decode import DecodeError

from .helpers import check_contract, gold_for, raw_fixtures

FIXTURE_PAGES = raw_fixtures()


@pytest.mark.parametrize("path", FIXTURE_PAGES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_contract_on_fixture(path):
    try:
        result = clean_bytes(path.read_bytes(), source=path.name)
    except DecodeError:
        pytest.skip("not decodable (a rejection fixture)")
    check_contract(result)


def _gold_paragraphs():
    out = []
    for path in FIXTURE_PAGES:
        g = gold_for(path)
        if g:
            for sp in g["speeches"]:
                out.extend(sp["text"].split("\n"))
    return out or ["同志们:", "今天的会议很重要。"]


PARAS = _gold_paragraphs()
CHROME = ["时间:2019-05-15 03:33:58下载本文作者:会员上传", "相关范文推荐", "第1页 / 共6页", "— 2 —",
          "点击下载文档", "copyright@ 2023 site.com 版权所有", "京ICP备12345678号", "12 积分",
          "第一篇:在双创工作会议上的讲话", "(2011年3月18日)", "罗荣赓", "同志们:", "谢谢大家!",
          "<p>", "&nbsp;", "創(chuàng)建", "\r\n", "\u3000\u3000", " ", "1、"]


@st.composite
def pages(draw):
    rnd = random.Random(draw(st.integers(0, 10**6)))
    parts = []
    for _ in range(draw(st.integers(1, 25))):
        if rnd.random() < 0.6:
            p = rnd.choice(PARAS)
            if rnd.random() < 0.3 and len(p) > 4:  # cut it like a page break would
                k = rnd.randrange(1, len(p))
                p = p[:k] + rnd.choice(["\n\n", "\n", " 1\n\n", "\n— 3 —\n", " "]) + p[k:]
            parts.append(p)
        else:
            parts.append(rnd.choice(CHROME))
    sep = draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    return sep.join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_contract_on_generated_pages(text):
    check_contract(clean_text(text))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_contract_on_arbitrary_text(text):
    check_contract(clean_text(text))
