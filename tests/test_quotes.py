import pytest

from memo724.curation.quotes import QuoteError, locate

TEXT = "alpha beta gamma beta delta"


def test_unique_quote_gets_position_and_context() -> None:
    span = locate(TEXT, "gamma")
    assert (span.start, span.end) == (11, 16)
    assert TEXT[span.start : span.end] == span.exact
    assert span.prefix == "alpha beta "
    assert span.suffix == " beta delta"


def test_prefix_and_suffix_stop_at_32_code_points() -> None:
    text = "x" * 40 + "Q" + "é" * 40
    span = locate(text, "Q")
    assert span.prefix == "x" * 32
    assert span.suffix == "é" * 32


def test_ambiguous_quote_needs_a_context() -> None:
    with pytest.raises(QuoteError, match="occurs 2 times"):
        locate(TEXT, "beta")
    span = locate(TEXT, "beta", context="gamma beta")
    assert span.start == 17


def test_missing_quote_and_bad_contexts() -> None:
    with pytest.raises(QuoteError, match="not in the memo"):
        locate(TEXT, "epsilon")
    with pytest.raises(QuoteError, match="a context must occur exactly once"):
        locate(TEXT, "beta", context="beta")
    with pytest.raises(QuoteError, match="not inside"):
        locate(TEXT, "delta", context="gamma beta")
