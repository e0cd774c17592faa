"""Decoding raw bytes and repairing double-encoded text (mojibake).

The fixtures in fixtures/encodings/ are made by tools/make_encoding_fixtures.py from the
reviewed UTF-8 seed pages; each ``<name>.expected.txt`` is derived from the seed, never from
the cleaner's output.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.context import Context
from cleaner.decode import DecodeError, Decoded, chinese_score, decode, mojibake_hint
from cleaner.fixers import encoding as enc_fixers
from cleaner.provenance import Page, apply_edits
from cleaner.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "encodings"
RULES = load_rules()
LATIN1 = RULES.by_id("repair.mojibake.latin1")
GBK = RULES.by_id("repair.mojibake.gbk")
FIXERS = [(LATIN1, enc_fixers.mojibake_latin1), (GBK, enc_fixers.mojibake_gbk)]


def repair(text: str) -> tuple[Page, Context]:
    """Decode-stage fixers alone, in catalog order, as the pipeline applies them."""
    page = Page(text)
    ctx = Context(text=text, rules=RULES)
    for rule, fn in FIXERS:
        ctx.text = ctx.raw = page.text
        page.apply(fn(page.text, ctx, rule))
    return page, ctx


def read_expected(name: str) -> str:
    return (FIXTURES / f"{name}.expected.txt").read_bytes().decode("utf-8")


# name -> (accepted encodings, errors)
CASES = {
    "utf8_bom": ({"utf-8-sig"}, "strict"),
    "utf8_crlf": ({"utf-8"}, "strict"),
    "utf16le_bom": ({"utf-16"}, "strict"),
    "utf16be_bom": ({"utf-16"}, "strict"),
    "utf16le_nobom": ({"utf-16-le"}, "strict"),
    "gb18030": ({"gb18030"}, "strict"),
    "big5": ({"big5", "big5hkscs"}, "strict"),
    "utf8_truncated": ({"utf-8"}, "replace"),
    "mojibake_latin1": ({"utf-8"}, "strict"),
    "mojibake_gbk": ({"utf-8"}, "strict"),
    "mojibake_gb18030": ({"utf-8"}, "strict"),
}
LOSSY = {"mojibake_gbk": 0.80, "mojibake_gb18030": 0.95}   # least share of characters back


def test_every_fixture_has_a_case():
    names = {p.name[: -len(".expected.txt")] for p in FIXTURES.glob("*.expected.txt")}
    assert names == set(CASES)


def test_fixtures_match_their_generator():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_encoding_fixtures as gen
    finally:
        sys.path.pop(0)
    built = gen.build_fixtures()
    for name, data in built.items():
        assert (FIXTURES / name).read_bytes() == data, f"{name} is stale: rerun tools/make_encoding_fixtures.py"
    assert gen.build_common_chars().encode("utf-8") == (ROOT / "cleaner" / "data" / "common_chars.txt").read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_decodes_exactly(name):
    data = (FIXTURES / f"{name}.txt").read_bytes()
    encodings, errors = CASES[name]
    d = decode(data)
    assert d.encoding in encodings
    assert d.errors == errors
    assert data.decode(d.encoding, d.errors) == d.text
    if errors == "strict":
        assert data.decode(d.encoding) == d.text
    else:
        assert d.warnings and "U+FFFD" in d.warnings[0]


@pytest.mark.parametrize("name", sorted(set(CASES) - set(LOSSY)))
def test_fixture_repairs_to_expected(name):
    d = decode((FIXTURES / f"{name}.txt").read_bytes())
    page, ctx = repair(d.text)
    assert page.text == read_expected(name)
    assert not ctx.warnings
    assert apply_edits(d.text, page.edits()) == page.text


@pytest.mark.parametrize("name", sorted(LOSSY))
def test_lossy_gbk_fixture_recovers_what_is_certain(name):
    d = decode((FIXTURES / f"{name}.txt").read_bytes())
    assert any("GBK" in w for w in d.warnings)       # the decoder's hint
    page, ctx = repair(d.text)
    out, expected = page.text, read_expected(name)
    # one character comes back per original character: a lost one is U+FFFD, never a guess
    assert len(out) == len(expected)
    wrong = [(i, a, b) for i, (a, b) in enumerate(zip(out, expected)) if a != b and a != "\ufffd"]
    assert not wrong, wrong[:5]
    same = sum(a == b for a, b in zip(out, expected)) / len(expected)
    assert same >= LOSSY[name]
    lost = out.count("\ufffd") - expected.count("\ufffd")
    assert lost > 0
    assert len(ctx.warnings) == 1 and f"{lost} characters could not be recovered" in ctx.warnings[0]
    assert apply_edits(d.text, page.edits()) == out
    assert {e.rule for e in page.edits()} == {GBK.id}


# --------------------------------------------------------------------------------------
# decode(): inputs made here


SENTENCE = "同志们:\n今年是我县创建省级卫生文明城市关键之年,是县委县政府提出的“一年打基础、两年上台阶”之年。\n"
TRAD = "同志們:\n今年是我縣創建省級衛生文明城市關鍵之年,是縣委縣政府提出的“一年打基礎、兩年上臺階”之年。\n"


def test_empty_input():
    assert decode(b"") == Decoded("", "utf-8")


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml", "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01", "JPEG"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "GIF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "OLE"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(32), "ELF"),
])
def test_binary_formats_raise_with_a_reason(data, kind):
    with pytest.raises(DecodeError) as exc:
        decode(data)
    msg = str(exc.value)
    assert kind in msg and "binary" in msg and "\n" not in msg


def test_nul_bytes_that_are_not_utf16_are_binary():
    rng = random.Random(7)
    data = bytes(rng.choice([0, 0, 0, 1, 2, 65, 200, 255]) for _ in range(4000))
    with pytest.raises(DecodeError, match="binary"):
        decode(data)


def test_random_bytes_are_not_text():
    rng = random.Random(11)
    data = bytes(rng.randrange(256) for _ in range(4000))
    with pytest.raises(DecodeError):
        decode(data)


def test_a_few_nuls_in_utf8_text_are_kept():
    data = ("标题\x00\n" + SENTENCE * 20).encode("utf-8")
    d = decode(data)
    assert d.encoding == "utf-8" and d.text == data.decode("utf-8")


def test_line_ends_and_form_feeds_are_kept():
    text = "第一行\r\n第二行\r第三行\f第四页\u2028末行"
    for enc, name in [("utf-8", "utf-8"), ("gb18030", "gb18030")]:
        d = decode((text * 30).encode(enc))
        assert d.encoding == name and d.text == text * 30


def test_truncated_utf8_at_the_end():
    data = (SENTENCE * 5).encode("utf-8")[:-2]   # cut inside the final 。
    d = decode(data)
    assert d.encoding == "utf-8" and d.errors == "replace"
    assert d.text == data.decode("utf-8", errors="replace")
    assert d.text.endswith("\ufffd") and d.text[:-1] == (SENTENCE * 5)[:-2]
    # the two bytes left of the cut 。 (E3 80) become one U+FFFD
    assert d.warnings[0].startswith(f"2 undecodable bytes replaced with U+FFFD (utf-8) at offsets {len(data) - 2}, {len(data) - 1}")


def test_a_few_bad_bytes_fall_back_with_a_warning():
    good = (SENTENCE * 40).encode("utf-8")
    data = good[:500] + b"\xff" + good[500:]
    d = decode(data)
    assert d.encoding == "utf-8" and d.errors == "replace"
    assert d.text == data.decode("utf-8", errors="replace")
    assert "offsets 500" in d.warnings[0]


def test_too_many_bad_bytes_raise():
    good = (SENTENCE * 10).encode("utf-8")
    data = b"".join(good[i:i + 40] + b"\xff" for i in range(0, len(good), 40))
    with pytest.raises(DecodeError, match="not text"):
        decode(data)


@pytest.mark.parametrize("text", [SENTENCE, SENTENCE * 30, "你好", "会议纪要", "同志们:今天"])
def test_gbk_text(text):
    data = text.encode("gbk")
    d = decode(data)
    assert d.encoding == "gb18030" and d.text == text


@pytest.mark.parametrize("text", [TRAD, TRAD * 30, "會議紀要", "同志們:今天"])
def test_big5_text(text):
    data = text.encode("big5")
    d = decode(data)
    assert d.encoding in ("big5", "big5hkscs") and d.text == text


@pytest.mark.parametrize("codec,body", [("big5", TRAD), ("gbk", SENTENCE)])
def test_long_ascii_head_does_not_hide_the_text(codec, body):
    text = "<html><head>" + "<meta name='x' content='y'>\n" * 800 + "</head>\n" + body * 5
    d = decode(text.encode(codec))
    assert d.text == text and d.encoding == {"big5": "big5", "gbk": "gb18030"}[codec]


def test_big5hkscs_only_characters():
    text = TRAD * 3 + "香港特別行政區:啓德"   # 啓 is in Big5-HKSCS, not plain Big5
    data = text.encode("big5hkscs")
    d = decode(data)
    assert d.encoding == "big5hkscs" and d.text == text


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [SENTENCE * 3, "Plain English text.\nSecond line.\n" * 5])
def test_utf16_without_bom(enc, text):
    d = decode(text.encode(enc))
    assert d.encoding == enc and d.text == text


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_or_nul_bytes(enc):
    text = "同志们今年是我县创建省级卫生文明城市关键之年是县委县政府提出的上台阶之年" * 20
    data = text.encode(enc)
    assert b"\x00" not in data
    d = decode(data)
    assert d.encoding == enc and d.text == text


@pytest.mark.parametrize("enc", ["utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [SENTENCE * 3, "Plain English text.\nSecond line.\n" * 5, "\U00020000" + SENTENCE])
def test_utf32_without_bom(enc, text):
    d = decode(text.encode(enc))
    assert d.encoding == enc and d.text == text


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_that_fits_four_byte_units_is_still_utf16(enc):
    text = "ab\n" * 40 + SENTENCE   # ASCII in UTF-16 has a NUL in every other byte, not two in four
    d = decode(text.encode(enc))
    assert d.encoding == enc and d.text == text


def test_hz_is_read_as_gb2312():
    text = "在全市安全生产工作会议上的讲话\n同志们:\n今天我们召开会议,总结去年工作,部署今年任务。\n"
    data = text.encode("hz")
    assert data.isascii() and b"~{" in data
    d = decode(data)
    assert d.encoding == "hz" and d.text == text


@pytest.mark.parametrize("data", [b"config: ~{a~} and ~{bb~}\n", b"~{ not closed", b"x ~{!!~} y\n" * 3,
                                  "编码 ~{ 在 UTF-8 里~}".encode("utf-8")])
def test_ascii_with_tildes_is_not_hz(data):
    assert decode(data).encoding == "utf-8"


@pytest.mark.parametrize("bom,enc", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_with_bom(bom, enc):
    data = bom + SENTENCE.encode(enc)
    d = decode(data)
    assert d.encoding == "utf-16" and d.text == SENTENCE and data.decode(d.encoding) == d.text


def test_utf8_bom_is_kept_out_of_the_text_by_the_codec():
    data = b"\xef\xbb\xbf" + SENTENCE.encode("utf-8")
    d = decode(data)
    assert d.encoding == "utf-8-sig" and d.text == SENTENCE


def test_ascii_is_utf8():
    assert decode(b"hello\r\nworld\n") == Decoded("hello\r\nworld\n", "utf-8")


def test_scoring():
    good, n = chinese_score(SENTENCE * 10)
    assert good > 0.9 and n > 50
    assert chinese_score(TRAD * 10)[0] > 0.9
    garbage = (TRAD * 10).encode("big5").decode("gb18030", errors="replace")
    assert chinese_score(garbage)[0] < 0.5
    moji = (SENTENCE * 10).encode("utf-8").decode("gbk", errors="replace")
    assert chinese_score(moji)[0] < 0.3
    assert chinese_score("ascii only") == (0.0, 0)


def test_mojibake_hint():
    assert mojibake_hint(SENTENCE * 5) is None
    assert mojibake_hint((SENTENCE * 5).encode("utf-8").decode("gbk", errors="replace")) == "gbk"
    assert mojibake_hint((SENTENCE * 5).encode("utf-8").decode("latin-1")) == "latin1"


# --------------------------------------------------------------------------------------
# the fixers: catalog examples, run directly (tests/test_rules.py runs them through the pipeline too)


def _run(rule, fn, text):
    page = Page(text)
    ctx = Context(text=text, rules=RULES)
    page.apply(fn(text, ctx, rule))
    return page.text, ctx


@pytest.mark.parametrize("rule,fn", FIXERS, ids=lambda x: getattr(x, "id", ""))
def test_catalog_examples(rule, fn):
    for text in rule.match:
        assert _run(rule, fn, text)[0] != text, text
    for text in rule.keep:
        assert _run(rule, fn, text)[0] == text, text
    for text, expected in rule.fix:
        assert _run(rule, fn, text)[0] == expected, text


def test_gbk_warning_counts_lost_characters():
    out, ctx = _run(GBK, enc_fixers.mojibake_gbk, "鍦ㄥ弻鍒涘伐浣滀細璁\ufffd涓婄殑璁茶瘽")
    assert out == "在双创工作会\ufffd上的讲话"
    assert ctx.warnings == [f"{GBK.id}: 1 character could not be recovered from GBK mojibake "
                            "(bytes lost when UTF-8 was decoded as GBK) and are marked U+FFFD"]


def test_latin1_round_trip_of_all_gold_text():
    for text in GOLD_TEXTS:
        moji = text.encode("utf-8").decode("latin-1")
        assert repair(moji)[0].text == text


def test_fixers_read_the_real_text_behind_the_folded_view():
    from cleaner.text import fold
    moji = decode((FIXTURES / "mojibake_gbk.txt").read_bytes()).text
    folded = fold(moji)
    assert folded != moji              # GBK mojibake holds full-width forms
    direct = Page(moji)
    direct.apply(enc_fixers.mojibake_gbk(moji, Context(text=moji, rules=RULES), GBK))
    viewed = Page(moji)
    viewed.apply(enc_fixers.mojibake_gbk(folded, Context(text=folded, rules=RULES, raw=moji), GBK))
    assert viewed.text == direct.text


# --------------------------------------------------------------------------------------
# never on clean text


def _gold_texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "fixtures" / "gold").glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        out.extend(sp["text"] for sp in gold["speeches"])
    return out


GOLD_TEXTS = _gold_texts()
GOLD = "\n".join(GOLD_TEXTS)


def _traditional() -> str:
    from opencc import OpenCC
    return OpenCC("s2t").convert(GOLD[:30000]) + OpenCC("s2tw").convert(GOLD[30000:60000])


TRADITIONAL = _traditional()


def test_clean_pages_are_untouched():
    for text in [GOLD, TRADITIONAL] + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))]:
        for rule, fn in FIXERS:
            ctx = Context(text=text, rules=RULES)
            assert fn(text, ctx, rule) == [], rule.id
            assert not ctx.warnings


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_clean_chinese_slices_never_trigger_the_fixers(data):
    source = data.draw(st.sampled_from([GOLD, TRADITIONAL]))
    start = data.draw(st.integers(0, len(source) - 1))
    length = data.draw(st.integers(1, 400))
    text = source[start:start + length]
    if data.draw(st.booleans()):   # glue two far-apart slices: new neighbours, new runs
        other = data.draw(st.integers(0, len(source) - 1))
        text += source[other:other + length]
    for rule, fn in FIXERS:
        assert fn(text, Context(text=text, rules=RULES), rule) == [], (rule.id, text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(dict.fromkeys(GOLD[:20000] + TRADITIONAL[:5000] + "?\ufffd,. "))),
               min_size=1, max_size=60))
def test_shuffled_common_characters_never_trigger_the_fixers(text):
    for rule, fn in FIXERS:
        assert fn(text, Context(text=text, rules=RULES), rule) == [], (rule.id, text)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_gbk_repairs_are_exact_or_marked(data):
    """On mojibake of any gold slice, a repaired character is right or U+FFFD, never wrong."""
    start = data.draw(st.integers(0, len(GOLD) - 1))
    text = GOLD[start:start + data.draw(st.integers(20, 300))]
    codec = data.draw(st.sampled_from(["gbk", "gb18030"]))
    moji = text.encode("utf-8").decode(codec, errors="replace")
    page, _ctx = repair(moji)
    if page.text == moji:
        return
    # every repaired stretch is a piece of the original, U+FFFD standing for a lost character
    import re
    for edit in page.edits():
        pattern = ".".join(re.escape(part) for part in edit.new.split("\ufffd"))
        assert re.search(pattern, text, re.S), (text, edit)
