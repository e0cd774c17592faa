"""Web leftovers: HTML tags and entities that survived scraping become the text they stand for."""
from __future__ import annotations

import html

import regex

from ..provenance import Proposal
from . import fixer

BLOCK_TAGS = "p|br|div|li|tr|h[1-6]|section|article|blockquote|pre|table|ul|ol|hr|dd|dt|center"
INLINE_TAGS = ("span|a|font|strong|b|i|em|u|img|td|th|tbody|thead|sup|sub|code|small|big|label|"
               "mark|ins|del|s|strike|tt|o:p|st1:[a-z]+|w:[a-z]+")
TAG = regex.compile(
    rf"<!--.{{0,2000}}?-->|<(script|style)\b[^>]{{0,400}}>.{{0,20000}}?</\1\s*>|"
    rf"</?(?P<block>{BLOCK_TAGS})\b[^<>]{{0,400}}?/?>|</?(?P<inline>{INLINE_TAGS})\b[^<>]{{0,400}}?/?>",
    regex.IGNORECASE | regex.DOTALL | regex.VERSION1)
# "&amp;" before another reference: the page was escaped twice (&amp;nbsp; -> &nbsp; -> a space)
ENTITY = regex.compile(r"&(?:amp;){0,2}(?:#\d{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z][a-zA-Z0-9]{1,9});?")


@fixer("html-tags")
def html_tags(text: str, ctx, rule) -> list[Proposal]:
    """HTML tags become what they stood for: block tags a line break, inline tags nothing.

    ``同志们:<br />今天的<strong>会议</strong>`` -> ``同志们:\\n今天的会议``
    """
    if "<" not in text:
        return []
    out = []
    for m in TAG.finditer(text):
        out.append(Proposal(m.start(), m.end(), "\n" if m.group("block") else "", rule.id))
    return out


@fixer("html-entities")
def html_entities(text: str, ctx, rule) -> list[Proposal]:
    """Named and numeric character references become their characters; &nbsp; a space.

    ``&ldquo;双创&rdquo;工作&nbsp;`` -> ``“双创”工作 ``; twice escaped ``&amp;quot;`` -> ``"``
    """
    if "&" not in text:
        return []
    out = []
    for m in ENTITY.finditer(text):
        raw = m.group()
        if not raw.endswith(";") and not raw[1:].lower() in ("nbsp", "amp", "lt", "gt", "quot"):
            continue
        new = raw if raw.endswith(";") else raw + ";"
        for _ in range(3):          # once per level of escaping
            new, before = html.unescape(new), new
            if new == before or not new.startswith("&"):
                break
        if new == raw or (new.startswith("&") and len(new) > 1):
            continue
        new = new.replace("\u00a0", " ")
        out.append(Proposal(m.start(), m.end(), new, rule.id))
    return out
