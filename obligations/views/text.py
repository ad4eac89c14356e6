"""Making text from case files safe to show: one line, no control or invisible characters."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Cc: control characters (CR, LF, NUL, ESC); Cf: format characters such as bidi overrides that could make
# an address or a date read differently than it is; Zl/Zp: the Unicode line and paragraph separators.
_DROP = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


# A digest shows each message in its text and its HTML part, and a finding's words recur across owners: a
# nightly run over a large registry cleans the same strings many times.
@lru_cache(maxsize=16_384)
def one_line(text: str, limit: int = 300) -> str:
    """``text`` as a single line: every line break and control character becomes a space, runs of spaces
    shrink to one, and the result is cut at ``limit`` characters with an ellipsis.

    >>> one_line("협약\\r\\nBcc: evil@example.org")
    '협약 Bcc: evil@example.org'
    """
    # str.isprintable is false exactly when some character is Other (Cc, Cf, Cs, Co, Cn) or Separator (Zl,
    # Zp, Zs but the ASCII space), a superset of _DROP: most text has none and skips the loop per character.
    cleaned = (
        text
        if text.isprintable()
        else "".join(" " if unicodedata.category(ch) in _DROP else ch for ch in text)
    )
    cleaned = _SPACES.sub(" ", cleaned).strip()
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"
