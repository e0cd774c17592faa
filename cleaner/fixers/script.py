"""Script: traditional pages become simplified (OpenCC t2s), and pinyin annotations go.

Conversion runs only on pages that are traditional, so simplified text passes unchanged.
"""
from __future__ import annotations

import difflib
import re
from functools import lru_cache

import regex

from ..provenance import Proposal
from . import fixer

TRADITIONAL_SHARE = 0.03   # share of Han characters that t2s would change
MIN_TRADITIONAL = 8
SAMPLE = 20000             # characters read to decide whether a page is traditional


@lru_cache(maxsize=2)
def converter(config: str):
    """An OpenCC converter. The official C++ build (``pip install opencc``, which replaces the
    pure-Python ``opencc`` module of opencc-python-reimplemented) is used when it is the one
    installed: 40-200 times faster, with a few characters converted differently (e.g. 宁/甯).
    With the pure-Python build, a :class:`CharTableConverter` in front of it does the same
    conversion at C speed on the lines that hold none of the config's phrases."""
    import opencc
    if hasattr(opencc, "clib"):  # the official build
        return opencc.OpenCC(config + ".json")
    slow = opencc.OpenCC(config)
    return CharTableConverter.for_config(config, slow) or slow


class CharTableConverter:
    """opencc-python-reimplemented's result, fast, for a config whose one conversion step is a
    group (phrases, then characters) with single-character character keys, e.g. t2s.

    That converter splits a line at its separators and, in each piece, replaces phrases first,
    longest first, then maps every character left over through the character table. A line
    where no phrase occurs at all therefore comes out as ``line.translate(table)`` (separators
    excluded from the table, since they are never converted); a line holding a phrase is handed
    to the original piece by piece, so the output is the same character for character.

    ``CharTableConverter.for_config("t2s", slow).convert("國家")`` -> ``国家``
    """

    MAX_PHRASES = 5000   # a bigger phrase list (s2t has ~49,000) makes the probe regex slow

    def __init__(self, phrases: list[str], table: dict[int, str], fallback):
        # the standard library's engine: on a plain alternation of literals (and on a character
        # class) it is several times faster than the regex module
        self.probe = re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))
        self.runs = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]+")
        self.table = table
        self.fallback = fallback

    @classmethod
    def for_config(cls, config: str, fallback):
        import json
        from importlib import resources
        try:
            root = resources.files("opencc")
            setting = json.loads((root / "config" / f"{config}.json").read_text(encoding="utf-8"))
            (step,) = setting["conversion_chain"]
            phrase_file, char_file = (d["file"] for d in step["dict"]["dicts"])
            phrases = _read_dict(root / "dictionary" / phrase_file)
            chars = _read_dict(root / "dictionary" / char_file)
        except (KeyError, ValueError, TypeError, OSError, ModuleNotFoundError):
            return None
        if len(phrases) > cls.MAX_PHRASES or any(len(k) != 1 for k in chars):
            return None
        separators = fallback.split_chars_re
        table = {ord(k): v.split(" ")[0] for k, v in chars.items()
                 if not separators.fullmatch(k) and v.split(" ")[0] != k}
        return cls(list(phrases), table, fallback)

    def convert(self, line: str) -> str:
        if not self.probe.search(line):
            return line.translate(self.table)
        # only the separator-free pieces that hold a phrase need the original's phrase search
        pieces = self.fallback.split_chars_re.split(line)
        for i in range(0, len(pieces), 2):
            piece = pieces[i]
            pieces[i] = self.fallback.convert(piece) if self.probe.search(piece) else piece.translate(self.table)
        return "".join(pieces)


    def proposals(self, text: str, rule_id: str) -> list[Proposal]:
        """The edits that turn every line of ``text`` into ``convert(line)``: one per run of
        convertible characters, found by one regex pass outside the lines that hold a phrase."""
        out: list[Proposal] = []
        pos = 0
        for start, end in self._phrase_lines(text):
            out.extend(self._run_proposals(text, pos, start, rule_id))
            line = text[start:end]
            out.extend(_diff_proposals(line, self.convert(line), start, rule_id))
            pos = end
        out.extend(self._run_proposals(text, pos, len(text), rule_id))
        return out

    def _phrase_lines(self, text: str):
        end = -1
        for m in self.probe.finditer(text):
            if m.start() < end:
                continue
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            yield start, end

    def _run_proposals(self, text: str, start: int, end: int, rule_id: str):
        table = self.table
        return [Proposal(m.start(), m.end(), m.group().translate(table), rule_id)
                for m in self.runs.finditer(text, start, end)]


def _read_dict(path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            key, value = line.strip().split("\t")
            out[key] = value
    return out


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


def share_changed(text: str, config: str, sample: int = SAMPLE) -> tuple[int, int]:
    """(Han characters that ``config`` would change, Han characters) in a sample of the text."""
    head = text[:sample]
    return sum(map(_changing_chars(config).__contains__, head)), len(HAN_RE.findall(head))


_LAST_VERDICT: list = [None, False]


def is_traditional(text: str) -> bool:
    if _LAST_VERDICT[0] is text:
        return _LAST_VERDICT[1]
    head = text[:SAMPLE]
    changed = sum(map(_changing_chars("t2s").__contains__, head))
    # most pages are simplified: no need to count their Han characters
    verdict = changed >= MIN_TRADITIONAL and changed >= TRADITIONAL_SHARE * len(HAN_RE.findall(head))
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
    if isinstance(conv, CharTableConverter):
        return conv.proposals(text, rule_id)
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
