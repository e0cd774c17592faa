"""Script: traditional pages become simplified (OpenCC t2s), and pinyin annotations go.

Conversion runs only on pages that are traditional, so simplified text passes unchanged.
"""
from __future__ import annotations

import difflib
from functools import lru_cache

import regex

from ..provenance import Proposal
from . import fixer

TRADITIONAL_SHARE = 0.03   # share of Han characters that t2s would change
MIN_TRADITIONAL = 8


@lru_cache(maxsize=2)
def converter(config: str):
    """An OpenCC converter. The official C++ build (``pip install opencc``, which replaces the
    pure-Python ``opencc`` module of opencc-python-reimplemented) is used when it is the one
    installed: 40-200 times faster, with a few characters converted differently (e.g. 宁/甯)."""
    import opencc
    if hasattr(opencc, "clib"):  # the official build
        return opencc.OpenCC(config + ".json")
    return opencc.OpenCC(config)


def converter_name() -> str:
    import opencc
    return "opencc (C++)" if hasattr(opencc, "clib") else "opencc-python-reimplemented"


@lru_cache(maxsize=2)
def _changing_chars(config: str):
    """The characters ``config`` converts to something else, from OpenCC's own character table
    (a set, so counting them is one C-level pass over the text)."""
    from importlib import resources
    table = {"t2s": "TSCharacters.txt", "s2t": "STCharacters.txt"}[config]
    chars = set()
    try:
        path = resources.files("opencc") / "dictionary" / table
        for line in path.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if len(key) == 1 and values.split(" ")[0] != key:
                chars.add(key)
    except (FileNotFoundError, ModuleNotFoundError, NotADirectoryError):
        pass
    if not chars:  # another OpenCC build: ask it, character by character, over the CJK block
        conv = converter(config)
        chars = {chr(c) for c in range(0x4E00, 0x9FA6) if conv.convert(chr(c)) != chr(c)}
    return frozenset(chars)


HAN_RE = regex.compile(r"\p{Han}", regex.VERSION1)


def share_changed(text: str, config: str, sample: int = 20000) -> tuple[int, int]:
    """(Han characters that ``config`` would change, Han characters) in a sample of the text."""
    head = text[:sample]
    return sum(map(_changing_chars(config).__contains__, head)), len(HAN_RE.findall(head))


_LAST_VERDICT: list = [None, False]


def is_traditional(text: str) -> bool:
    if _LAST_VERDICT[0] is text:
        return _LAST_VERDICT[1]
    changed, total = share_changed(text, "t2s")
    verdict = changed >= MIN_TRADITIONAL and changed >= TRADITIONAL_SHARE * total
    _LAST_VERDICT[0], _LAST_VERDICT[1] = text, verdict
    return verdict


def _diff_proposals(old: str, new: str, offset: int, rule_id: str) -> list[Proposal]:
    if len(old) == len(new):
        out, i = [], 0
        while i < len(old):
            if old[i] != new[i]:
                j = i
                while j < len(old) and old[j] != new[j]:
                    j += 1
                out.append(Proposal(offset + i, offset + j, new[i:j], rule_id))
                i = j
            else:
                i += 1
        return out
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [Proposal(offset + a1, offset + a2, new[b1:b2], rule_id)
            for op, a1, a2, b1, b2 in sm.get_opcodes() if op != "equal"]


def _convert_lines(text: str, config: str, rule_id: str) -> list[Proposal]:
    conv = converter(config)
    out, pos = [], 0
    for line in text.split("\n"):
        new = conv.convert(line)
        if new != line:
            out.extend(_diff_proposals(line, new, pos, rule_id))
        pos += len(line) + 1
    return out


@fixer("t2s")
def to_simplified(text: str, ctx, rule) -> list[Proposal]:
    """Traditional pages become simplified with OpenCC t2s; simplified pages are left alone.

    ``在創建全國文明城市專題調度會上的講話`` -> ``在创建全国文明城市专题调度会上的讲话``
    """
    if ctx.options.script != "simplified" or not is_traditional(text):
        return []
    ctx.facts["converted"] = "t2s"
    ctx.facts["converter"] = converter_name()
    return _convert_lines(ctx.raw, "t2s", rule.id)


@fixer("s2t")
def to_traditional(text: str, ctx, rule) -> list[Proposal]:
    """With ``--script traditional``, simplified pages become traditional (OpenCC s2t).

    ``创建文明城市`` -> ``創建文明城市``
    """
    if ctx.options.script != "traditional" or is_traditional(text):
        return []
    changed, _ = share_changed(text, "s2t")
    if changed == 0:
        return []
    ctx.facts["converted"] = "s2t"
    ctx.facts["converter"] = converter_name()
    return _convert_lines(ctx.raw, "s2t", rule.id)


# 著 stays 著 in simplified text only in these words; elsewhere t2s should have made it 着
ZHU_WORDS = regex.compile(
    r"著(?:名|作|称|述|者|录|书|作权)|(?:显|昭|卓|土|编|论|名|原|专|巨|遗|合|译|拙|新|撰|大|巨|杰|遗|宏|鸿|所)著")
ZHE_CANDIDATE = regex.compile(r"著")


@fixer("zhe")
def fix_zhe(text: str, ctx, rule) -> list[Proposal]:
    """After t2s, 著 outside its few simplified words (著名, 显著, 著作…) is the particle 着.

    ``矛盾问题推著转`` -> ``矛盾问题推着转``; ``著名的显著成绩`` stays.
    """
    if ctx.facts.get("converted") != "t2s" and not rule.options.get("always"):
        return []
    keep = set()
    for m in ZHU_WORDS.finditer(text):
        keep.update(i for i in range(m.start(), m.end()) if text[i] == "著")
    return [Proposal(m.start(), m.end(), "着", rule.id) for m in ZHE_CANDIDATE.finditer(text)
            if m.start() not in keep]


TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
SYLLABLE = rf"(?:[a-zü{TONE}]{{1,6}}(?:[{TONE}][a-zü]{{0,4}}|[1-5])|[{TONE}][a-zü]{{0,5}})"
PINYIN = regex.compile(rf"(?<=\p{{Han}})[((]\s*{SYLLABLE}(?:\s+{SYLLABLE})*\s*[))]", regex.VERSION1 | regex.IGNORECASE)


@fixer("pinyin")
def strip_pinyin(text: str, ctx, rule) -> list[Proposal]:
    """A pinyin annotation right after a Han character goes: 創(chuàng)建 -> 創建.

    Tone marks or tone numbers are required, so real parenthesised text is never touched:
    ``局(馆)`` and ``(2011年)`` stay.
    """
    if "(" not in text and "(" not in text:
        return []
    return [Proposal(m.start(), m.end(), "", rule.id) for m in PINYIN.finditer(text)]
