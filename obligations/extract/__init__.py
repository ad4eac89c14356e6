"""Draft case files from Korean agreements (업무협약서), for ``obligations extract``.

Rule-based: regular expressions and a small grammar of how public bodies write agreements — no network, no
model. The pieces, in the order the file is read:

- :mod:`~obligations.extract.documents`: the text of an HWP, HWPX, DOCX, PDF or text file
  (:mod:`~obligations.extract.hwp` for HWP 5.0, :mod:`~obligations.extract.ocr` for scanned PDFs);
- :mod:`~obligations.extract.source`: lines, spacing, HWP line breaks; spans that remember their lines;
- :mod:`~obligations.extract.korean_dates`: dates in the styles official documents print;
- :mod:`~obligations.extract.structure`: title, preamble, 제N조(제목), items ① 1. 가. 1) 가) (1);
- :mod:`~obligations.extract.parties`, :mod:`~obligations.extract.roles`, :mod:`~obligations.extract.term`,
  :mod:`~obligations.extract.schedule`: what each part says, as :mod:`~obligations.extract.found` values;
  :mod:`~obligations.extract.keys` makes the ascii keys the text does not have;
  :mod:`~obligations.extract.read` puts it together;
- :mod:`~obligations.extract.recall`: the sentences about dates and deadlines that became no field;
- :mod:`~obligations.extract.draft`: the YAML, with a source-line comment on every value and ``# TODO`` lines,
  quoting each of those sentences in a ``# TODO: review`` line (never a silent "none");
- :mod:`~obligations.extract.amendment`: a 변경협약서, drafted as the ``amended`` event it asks for;
- :mod:`~obligations.extract.worklist`: a folder of agreements drafted at once, and what each still needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from obligations.extract.amendment import is_amendment, read_amendment, render_amendment
from obligations.extract.documents import Document, read_document
from obligations.extract.draft import render_draft
from obligations.extract.found import Extraction
from obligations.extract.read import NotAnAgreement, read_agreement
from obligations.extract.source import Lines, UnreadableText
from obligations.extract.structure import read_layout

__all__ = [
    "Document",
    "Draft",
    "Extraction",
    "NotAnAgreement",
    "UnreadableText",
    "draft_case_file",
    "read_agreement",
    "read_document",
]


@dataclass(frozen=True)
class Draft:
    """The draft case file, how many ``# TODO:`` lines it has, and the document it was read from."""

    text: str
    todos: int
    document: Document
    amendment: bool = False  # a 변경협약: the text is an 'amended' event to append, not a case file


def draft_case_file(raw: bytes, name: str, ocr: bool = False) -> Draft:
    """The draft for the agreement in ``raw`` (the bytes of an HWP, HWPX, DOCX, PDF or text file).

    ``ocr``: a scanned PDF is read by OCR, and every value of its draft marked for review.
    Raises :class:`UnreadableText` (a file this tool cannot read) or :class:`NotAnAgreement`.
    """
    document = read_document(raw, name, ocr)
    lines = Lines.of(document.text)
    layout = read_layout(lines)
    amendment = is_amendment(layout)
    if amendment:
        draft = render_amendment(read_amendment(layout), lines, name)
    else:
        draft = render_draft(read_agreement(lines), lines, name)
    if document.ocr:
        draft = mark_ocr(draft)
    return Draft(draft, draft.count("# TODO:"), document, amendment)


OCR_MARK = "# OCR: review"
_VALUE = re.compile(r"^\s*(?:- )?(?P<field>[a-z_.]+): \S")
_FIXED = frozenset({"kind", "events", "type"})  # written whatever the text says
_OCR_HEADER = (
    "# The text was read by OCR from a scanned PDF: OCR misreads digits, dates and names, so every value\n"
    f"# is marked '{OCR_MARK}'. Check each against the paper, then delete the mark.\n"
)


def mark_ocr(draft: str) -> str:
    """The draft with a header saying it was read by OCR and ``# OCR: review`` at the end of each value line.

    >>> print(mark_ocr("# Draft …\\ntitle: \\"협약\\"  # L1: 협약\\nkind: agreement\\n"), end="")
    # Draft …
    # The text was read by OCR from a scanned PDF: OCR misreads digits, dates and names, so every value
    # is marked '# OCR: review'. Check each against the paper, then delete the mark.
    title: "협약"  # L1: 협약  # OCR: review
    kind: agreement
    """
    first, rest = draft.split("\n", 1)
    marked = [
        f"{line}  {OCR_MARK}" if (value := _VALUE.match(line)) and value["field"] not in _FIXED else line
        for line in rest.split("\n")
    ]
    return f"{first}\n{_OCR_HEADER}" + "\n".join(marked)
