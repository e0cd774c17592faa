"""The provenance contract: D = source + edits, and the source comes back from D + edits."""
from hypothesis import given, settings, strategies as st

from cleaner.provenance import Page, Proposal, apply_edits, revert_edits


def _apply_plain(text, props):
    for p in sorted(props, key=lambda p: (p.start, p.end), reverse=True):
        text = text[:p.start] + p.new + text[p.end:]
    return text


@st.composite
def batches(draw, text):
    n = draw(st.integers(0, 5))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), min_size=2 * n, max_size=2 * n)))
    props, last_end = [], -1
    for k in range(n):
        a, b = cuts[2 * k], cuts[2 * k + 1]
        if a < last_end or (a == b and a == last_end):
            continue
        new = draw(st.text(alphabet="xyz\n ", max_size=3))
        props.append(Proposal(a, b, new, f"r{k}"))
        last_end = b
    return props


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcde\n", max_size=40), st.data())
def test_composed_edits_rebuild_both_ways(source, data):
    page = Page(source)
    expected = source
    for _ in range(data.draw(st.integers(1, 4))):
        props = data.draw(batches(page.text))
        expected = _apply_plain(expected, [p for p in props if page.text[p.start:p.end] != p.new])
        page.apply(props)
        assert page.text == expected
    edits = page.edits()
    spans = [(e.start, e.end) for e in edits]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert apply_edits(source, edits) == page.text
    assert revert_edits(page.text, edits) == source


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcde\n", max_size=40), st.data())
def test_position_map_follows_untouched_text(source, data):
    page = Page(source)
    props = data.draw(batches(source))
    pmap = page.apply(props)
    covered = set()
    for p in props:
        covered.update(range(p.start, p.end))
    for pos, ch in enumerate(source):
        if pos not in covered:
            assert page.text[pmap(pos)] == ch


def test_later_edit_absorbs_earlier_output():
    page = Page("abc def")
    page.apply([Proposal(3, 4, "\n", "space-to-break")])
    page.apply([Proposal(2, 5, "", "drop")])
    assert page.text == "abef"
    [edit] = page.edits()
    assert (edit.rule, edit.start, edit.end, edit.old, edit.new) == ("drop", 2, 5, "c d", "")


def test_later_deletion_keeps_earlier_deletions_attributed():
    page = Page("A\nchrome\nB\n")
    page.apply([Proposal(2, 9, "", "chrome.rule")])          # "chrome\n"
    assert page.text == "A\nB\n"
    page.apply([Proposal(1, 2, "", "layout.rule")])          # the newline before it
    rules = {(e.old, e.rule) for e in page.edits()}
    assert ("chrome\n", "chrome.rule") in rules and ("\n", "layout.rule") in rules


def test_span_ends_where_the_speech_ends_not_after_chrome_deleted_behind_it():
    from cleaner import clean_text
    from cleaner.provenance import Page, Proposal
    page = Page("abcdef")
    page.apply([Proposal(3, 4, "", "r1")])
    page.apply([Proposal(3, 5, "", "r2")])            # "abc" is left; d, e, f deleted by two rules
    assert page.text == "abc" and page.source_end(3) == 3
    page = Page("abcdef")
    page.apply([Proposal(1, 3, "X", "r1")])           # aXdef: a span ending after X ends at c's end
    assert page.source_end(2) == 3 and page.source_end(1) == 1
    body = "同志们:\n今天我们召开全区安全生产工作会议,主要任务是总结去年的工作。\n谢谢大家!"
    text = body + "\n\n相关文章推荐\n在全区防汛工作会议上的讲话\n\n网友评论\n\n发表评论\n"
    result = clean_text(text)
    (speech,) = result.speeches
    a, b = speech.span
    assert text[a:b] == body
