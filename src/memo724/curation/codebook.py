"""The codebook's definitions of every coded value, as the docs and the coder's manual read them."""

from __future__ import annotations

from typing import Any


def resolve_definitions(codebook: Any) -> dict[str, dict[str, str]]:
    """table.field -> value -> definition, following 'same as' references."""
    raw = codebook["definitions"]
    out = {}
    for key, value in raw.items():
        while isinstance(value, str):
            value = raw[value]
        out[key] = {str(k): str(v) for k, v in value.items()}
    return out
