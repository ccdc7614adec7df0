"""Place a curator's quote in the memo and describe it with W3C Web Annotation selectors."""

from __future__ import annotations

from dataclasses import dataclass

from ..contract import CONTEXT_CHARS


class QuoteError(ValueError):
    """The quote cannot be placed exactly once."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def locate(text: str, quote: str, context: str | None = None) -> Span:
    """Find `quote` once in `text`, or once inside `context` where `context` occurs once."""
    if not quote:
        raise QuoteError("the quote is empty")
    base = 0
    if context is not None:
        hits = _occurrences(text, context)
        if len(hits) != 1:
            where = "is not in the memo" if not hits else f"occurs {len(hits)} times"
            raise QuoteError(f"context {context!r} {where}; a context must occur exactly once")
        base = hits[0]
        inside = _occurrences(context, quote)
        if len(inside) != 1:
            where = "is not inside" if not inside else f"occurs {len(inside)} times inside"
            raise QuoteError(f"quote {quote!r} {where} its context")
        start = base + inside[0]
    else:
        hits = _occurrences(text, quote)
        if not hits:
            raise QuoteError(f"quote {quote!r} is not in the memo (check quotes, dashes, markup)")
        if len(hits) > 1:
            raise QuoteError(
                f"quote {quote!r} occurs {len(hits)} times (offsets {hits[:5]}); "
                "give a context that occurs once"
            )
        start = hits[0]
    end = start + len(quote)
    return Span(
        start=start,
        end=end,
        exact=quote,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )
