"""Draft case files from the text of Korean agreements (업무협약서), for ``obligations extract``.

Rule-based: regular expressions and a small grammar of how public bodies write agreements — no network, no
model. The pieces, in the order the text is read:

- :mod:`~obligations.extract.source`: lines, spacing, HWP line breaks; spans that remember their lines;
- :mod:`~obligations.extract.korean_dates`: dates in the styles official documents print;
- :mod:`~obligations.extract.structure`: title, preamble, 제N조(제목), items ① 1. 가.;
- :mod:`~obligations.extract.parties`, :mod:`~obligations.extract.roles`, :mod:`~obligations.extract.term`:
  what each part says, as :mod:`~obligations.extract.found` values; :mod:`~obligations.extract.keys` makes the
  ascii keys the text does not have; :mod:`~obligations.extract.read` puts it together;
- :mod:`~obligations.extract.draft`: the YAML, with a source-line comment on every value and ``# TODO`` lines.
"""

from __future__ import annotations

from obligations.extract.draft import render_draft
from obligations.extract.found import Extraction
from obligations.extract.read import NotAnAgreement, read_agreement
from obligations.extract.source import Lines, UnreadableText, decode

__all__ = ["Extraction", "NotAnAgreement", "UnreadableText", "draft_case_file", "read_agreement"]


def draft_case_file(raw: bytes, name: str) -> tuple[str, int]:
    """The draft for the agreement in ``raw`` and the number of its TODO lines.

    Raises :class:`UnreadableText` (not UTF-8 text) or :class:`NotAnAgreement`.
    """
    lines = Lines.of(decode(raw, name))
    draft = render_draft(read_agreement(lines), lines, name)
    return draft, draft.count("# TODO:")
