"""Quote checking without an index: folding, verbatim substrings, repair, markers renumbered."""

from __future__ import annotations

from app.chat.citations import SourceText, expand_markers, verify
from app.chat.text import locate

SOURCE = ("In Lambeth, there are **63,200** children and young people (up to 18), almost 20% of the total "
          "population of **317,600**.\nWe’ll  support the   Lambeth Parent Forum to expand its reach.")


def _source(n: int, text: str = SOURCE) -> SourceText:
    return SourceText(n=n, text=text, doc_id="doc", doc_title="Doc", start=100, chunk_id=f"doc:{n}")


def test_locate_returns_the_sources_own_characters():
    found = locate("there are 63,200 children and young people", SOURCE)
    assert found == "there are **63,200** children and young people" and found in SOURCE
    found = locate('"We\'ll support the Lambeth Parent Forum to expand its reach."', SOURCE)
    assert found == "We’ll  support the   Lambeth Parent Forum to expand its reach." and found in SOURCE
    assert locate("children and young people ... almost 20% of the total population", SOURCE) in SOURCE
    assert locate("Lambeth will open a moon base", SOURCE) is None
    assert locate("a", SOURCE) is None


def test_verify_keeps_verbatim_drops_invented_and_renumbers():
    answer = "Twenty per cent are children [2]. A moon base is planned [1]. Extra [9]."
    claimed = [(2, "almost 20% of the total population"), (1, "Lambeth will open a moon base by 2031")]
    text, citations, dropped = verify(answer, claimed, [_source(1), _source(2)])
    assert text == "Twenty per cent are children [1]. A moon base is planned. Extra."
    assert [(c.n, c.chunk_id) for c in citations] == [(1, "doc:2")] and dropped == 2
    assert citations[0].quote == "almost 20% of the total population" and citations[0].start == 100 + SOURCE.find(
        "almost 20%")


def test_marker_without_quote_is_repaired_to_a_source_sentence():
    text, citations, _ = verify("The council will support the Lambeth Parent Forum to expand its reach [1].", [],
                                [_source(1)])
    assert text.endswith("[1].") and citations[0].quote.startswith("We’ll  support") and citations[0].quote in SOURCE


def test_marker_lists_are_expanded():
    assert expand_markers("a [1, 2] b [3-5] c [7]") == "a [1][2] b [3][4][5] c [7]"
