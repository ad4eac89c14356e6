"""The yearly register of agreements (업무협약 관리대장) and council report: ``obligations register``.

One row per agreement signed, in force or ended in the year: its parties, dates, the term it has reached,
what follows it, the year's reviews and the council reports recorded under the body's policy, and how it
ended. A second table lists the year's findings. Everything is read off what the rest of the pipeline made —
the compiled chain of terms, the status row (:mod:`obligations.standing`), the events, the findings — so the
register never counts a date of its own.

Written as an Excel workbook (openpyxl: real date cells, Korean headers, the header row frozen, columns as
wide as their text), as CSV (UTF-8 with a byte-order mark, for Excel) or as one self-contained HTML page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from obligations.checking import Report
from obligations.compile import compile_agreement
from obligations.findings import Finding
from obligations.model import COUNCIL_ENDING, COUNCIL_SIGNING, RENEWAL_REVIEW, REVIEW, Agreement, Event
from obligations.policy import body_parties
from obligations.recurrence import RecurrenceError, period_of_label
from obligations.standing import RenewalState, Standing, standings
from obligations.terms import Chain, terms_ran
from obligations.views.words import SEVERITY, registry_line, renewal_text, term_text

Cell = str | int | dt.date | None

HEADERS = (
    "번호",
    "협약 ID",
    "협약명",
    "상대 기관",
    "체결일",
    "협약기간 시작",
    "현재 기간 종료",
    "협약기간·연장",
    "연장 상태",
    "연간 점검 (기록·비고)",
    "의회 보고",
    "종료일",
    "종료 사유",
    "담당",
)
FINDING_HEADERS = ("심각도", "기한", "구분", "협약 ID", "당사자", "의무", "회차", "내용", "ID")
DATE_FORMAT = "yyyy-mm-dd"
NOTHING = "—"


@dataclass(frozen=True)
class RegisterRow:
    """One agreement in the register of a year."""

    agreement: str
    title: str
    counterparts: str
    signed: dt.date
    start: dt.date
    term_end: dt.date  # the end of the term in force (the termination day when terminated)
    terms: str  # the term reached and the terms that touched the year
    renewal: str  # what follows the term in force
    reviews: str
    council: str
    ended: dt.date | None  # the day it ends once nothing follows (past or ahead); None while it renews
    ending: str
    owners: str

    def cells(self, number: int) -> tuple[Cell, ...]:
        return (
            number,
            self.agreement,
            self.title,
            self.counterparts,
            self.signed,
            self.start,
            self.term_end,
            self.terms,
            self.renewal,
            self.reviews,
            self.council,
            self.ended,
            self.ending,
            self.owners,
        )


@dataclass(frozen=True)
class Register:
    year: int
    as_of: dt.date
    source: str  # the registry read, in words
    rows: tuple[RegisterRow, ...]
    findings: tuple[Finding, ...]  # the year's findings of the agreements in the register


def build_register(report: Report, year: int) -> Register:
    """The register of ``year`` from a check of the whole registry (its horizon reaching the year's end)."""
    registry = report.registry
    status = {row.agreement: row for row in standings(report)}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = []
    for case in registry.cases:
        agreement = case.agreement
        if agreement.kind != "agreement" or agreement.id not in status:
            continue
        chain = compile_agreement(agreement, report.as_of, registry.calendar, until=report.as_of).chain
        assert chain is not None  # an agreement has a term
        row = status[agreement.id]
        ended = None if row.renewal is RenewalState.AUTOMATIC else (chain.ended_on or chain.current.end.date)
        signed_in_year = agreement.signed.year == year
        in_force = chain.first.start <= last and (ended is None or ended >= first)
        if not (signed_in_year or in_force):
            continue
        mine = [f for f in report.findings if f.agreement == agreement.id]
        names = {key: contact.name for key, contact in registry.contacts.items()}
        rows.append(_row(agreement, chain, row, ended, year, report, mine, names))
    ids = {row.agreement for row in rows}
    findings = tuple(
        f for f in report.findings if f.agreement in ids and f.due is not None and f.due.year == year
    )
    return Register(year, report.as_of, registry_line(registry, "ko"), tuple(rows), findings)


def _row(
    agreement: Agreement,
    chain: Chain,
    status: Standing,
    ended: dt.date | None,
    year: int,
    report: Report,
    findings: Sequence[Finding],
    names: dict[str, str],
) -> RegisterRow:
    ours = body_parties(agreement)
    events = [e for e in agreement.events if e.date <= report.as_of]
    owners = dict.fromkeys(names.get(o, o) for key in ours for o in agreement.parties[key].owners)
    return RegisterRow(
        agreement=agreement.id,
        title=agreement.title,
        counterparts=", ".join(p.name for key, p in agreement.parties.items() if key not in ours) or NOTHING,
        signed=agreement.signed,
        start=chain.first.start,
        term_end=chain.ended_on or chain.current.end.date,
        terms=_terms(agreement, chain, status, year, report),
        renewal="\n".join([renewal_text(status, "ko").strip(), *_decisions(events, findings)]),
        reviews=_reviews(agreement, events, findings, year),
        council=_council(agreement, events, findings),
        ended=ended,
        ending=_ending(agreement, chain, status, ended, report.as_of),
        owners=", ".join(owners) or NOTHING,
    )


def _terms(agreement: Agreement, chain: Chain, status: Standing, year: int, report: Report) -> str:
    """The term reached (``1차 연장 / 최대 3회``) and each term that ran in the year, with its dates."""
    lines = [term_text(status, "ko")]
    ran = terms_ran(agreement, chain, report.registry.calendar, chain.current.index + 1)
    for term, _ in ran:
        end = chain.ended_on if term is chain.current and chain.ended_on else term.end.date
        if term.start.year <= year <= end.year:
            name = "최초 기간" if term.index == 0 else f"{term.index}차 연장"
            lines.append(f"{name} {term.start}~{end}")
    return "\n".join(lines)


def _said(event: Event, what: str) -> str:
    """``2025-12-20 점검 (2025) 교육지원정책과-900 — 정상 추진``: one record, as the register lists it."""
    kind = "면제" if event.type == "waived" else what
    period = f" ({event.period})" if event.period else ""
    ref = f" {event.ref}" if event.ref else ""
    note = f" — {event.note}" if event.note else ""
    return f"{event.date} {kind}{period}{ref}{note}"


def _open(findings: Iterable[Finding], obligation: str, what: str) -> list[str]:
    """The findings still open about a policy duty: ``미이행: 2025 점검 기한 2025-12-31 (긴급)``."""
    return [
        f"미이행: {what}{f' ({f.period})' if f.period else ''} 기한 {f.due} ({SEVERITY['ko'][f.severity]})"
        for f in findings
        if f.obligation == obligation and f.code in ("due-soon", "overdue")
    ]


def _reviews(agreement: Agreement, events: Sequence[Event], findings: Sequence[Finding], year: int) -> str:
    """The reviews recorded for periods that end in the year (or, without a period, dated in it), and the
    year's reviews still open."""
    policy = agreement.policy
    if policy is None or policy.review is None:
        return NOTHING
    review = policy.review

    def of_year(event: Event) -> bool:
        if event.period is None:
            return event.date.year == year
        try:
            return period_of_label(review.every, agreement.starts.year, event.period).end.year == year
        except RecurrenceError:  # refused when the file was read; nothing to list
            return False

    done = [_said(e, "점검") for e in events if e.obligation == REVIEW and of_year(e)]
    still = _open((f for f in findings if f.due and f.due.year == year), REVIEW, "점검")
    return "\n".join(done + still) or "기록 없음"


def _decisions(events: Sequence[Event], findings: Sequence[Finding]) -> list[str]:
    """The keep-or-stop decisions recorded before renewals, and those still open."""
    done = [_said(e, "연장 여부 결정") for e in events if e.obligation == RENEWAL_REVIEW]
    return done + _open(findings, RENEWAL_REVIEW, "연장 여부 결정")


def review_line(agreement: Agreement, findings: Sequence[Finding], as_of: dt.date, lang: str) -> str | None:
    """The state of the policy's reviews of one agreement, in a line (the HTML report shows it): the last
    review recorded and those still open; None when no policy asks for reviews."""
    policy = agreement.policy
    if policy is None or policy.review is None:
        return None
    recorded = [e for e in agreement.events if e.obligation == REVIEW and e.date <= as_of]
    last = max(recorded, key=lambda e: e.date, default=None)
    still = [f for f in findings if f.obligation == REVIEW and f.agreement == agreement.id]
    ko = lang == "ko"
    parts = [("정기 점검" if ko else "Reviews") + ": "]
    if last is None:
        parts.append("기록 없음" if ko else "none recorded")
    else:
        about = ", ".join(part for part in (last.period, last.ref) if part)
        parts.append(f"{'최근' if ko else 'last'} {last.date}" + (f" ({about})" if about else ""))
    open_, due = ("미이행", "기한") if ko else ("open", "due")
    parts += [f"; {open_} {f.period} ({due} {f.due}, {SEVERITY[lang][f.severity]})" for f in still]
    return "".join(parts)


def _council(agreement: Agreement, events: Sequence[Event], findings: Sequence[Finding]) -> str:
    policy = agreement.policy
    if policy is None or not (policy.council.after_signing or policy.council.after_ending):
        return NOTHING
    lines = []
    for obligation, what in ((COUNCIL_SIGNING, "체결 보고"), (COUNCIL_ENDING, "종료 보고")):
        lines += [_said(e, what) for e in events if e.obligation == obligation]
        lines += _open(findings, obligation, what)
    return "\n".join(lines) or "기록 없음"


def _ending(
    agreement: Agreement, chain: Chain, status: Standing, ended: dt.date | None, as_of: dt.date
) -> str:
    """How it ends (or ended) and why; nothing while it renews by itself."""
    if ended is None:
        return ""
    what = "종료" if ended < as_of else "종료 예정"
    stopped = chain.stopped_by
    if stopped is not None:
        who = agreement.parties[stopped.party].name if stopped.party in agreement.parties else stopped.party
        ref = f" {stopped.ref}" if stopped.ref else ""
        note = f" — {stopped.note}" if stopped.note else ""
        kind = "해지" if stopped.type == "terminated" else "연장 거절 통지"
        return f"{what}: {kind} ({who} {stopped.date}{ref}){note}"
    if status.renewal is RenewalState.FINAL_TERM:
        return f"{what}: 자동 연장 한도 {status.max_renewals}회 도달"
    return f"{what}: 기간 만료 (자동 연장 없음)"


# -- outputs --------------------


def finding_cells(finding: Finding) -> tuple[Cell, ...]:
    return (
        SEVERITY["ko"][finding.severity],
        finding.due,
        finding.label,
        finding.agreement,
        finding.party_name,
        finding.obligation or "",
        finding.period or "",
        finding.message,
        finding.id,
    )


def register_csv(register: Register) -> str:
    """The register's rows as CSV: UTF-8 with a byte-order mark (Excel reads Korean text right), ISO dates."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for number, row in enumerate(register.rows, 1):
        writer.writerow([_text(cell) for cell in row.cells(number)])
    return out.getvalue()


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, dt.date) else str(cell)


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet or a terminal: Korean (wide) characters count double."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def column_widths(header: Sequence[str], rows: Iterable[Sequence[Cell]], most: int = 60) -> list[int]:
    """Each column as wide as its widest line (dates as ``2025-12-31``), at least its header, at most
    ``most`` (longer text wraps in its cell)."""
    widths = [display_width(name) for name in header]
    for row in rows:
        for i, cell in enumerate(row):
            for line in _text(cell).splitlines() or [""]:
                widths[i] = max(widths[i], display_width(line))
    return [min(width + 2, most) for width in widths]


def write_xlsx(register: Register, path: Path) -> None:
    """The register as an Excel workbook: the rows, then the year's findings on a second sheet."""
    from openpyxl import Workbook  # only for this format: it is the slowest to import
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    stamp = dt.datetime.combine(register.as_of, dt.time())
    book.properties.creator = "obligations"
    book.properties.title = f"업무협약 관리대장 {register.year}"
    book.properties.description = f"기준일 {register.as_of}; {register.source}"
    book.properties.created = book.properties.modified = stamp  # the same file for the same register
    sheets = (
        (f"관리대장 {register.year}", HEADERS, [row.cells(n) for n, row in enumerate(register.rows, 1)]),
        (f"발견 사항 {register.year}", FINDING_HEADERS, [finding_cells(f) for f in register.findings]),
    )
    first = book.active
    assert first is not None
    book.remove(first)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for values in rows:
            sheet.append([_excel(value) for value in values])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
        for i, width in enumerate(column_widths(header, rows), 1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def _excel(value: Cell) -> Cell | dt.datetime:
    """Dates as Excel dates (a day at 00:00); the rest as they are."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


CSS = """
body { font-family: "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif; margin: 24px;
  color: #1d232b; font-size: 13px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 6px; }
.meta { color: #5b6470; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d5dae1; padding: 4px 6px; text-align: left; vertical-align: top;
  white-space: pre-line; }
th { background: #dde4ee; position: sticky; top: 0; }
td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
@media print { @page { size: A4 landscape; margin: 10mm; } th { position: static; } }
"""


def register_html(register: Register) -> str:
    """The register as one page: inline style only, every text from a case file escaped."""
    title = f"업무협약 관리대장 {register.year}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="ko"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">기준일 {register.as_of} · {escape(register.source)} · '
        f"협약 {len(register.rows)}건</p>",
        *_table(HEADERS, [row.cells(n) for n, row in enumerate(register.rows, 1)], "register"),
        f"<h2>발견 사항 {register.year} ({len(register.findings)}건)</h2>",
        *_table(FINDING_HEADERS, [finding_cells(f) for f in register.findings], "findings"),
        "</body></html>",
    ]
    return "\n".join(out) + "\n"


def _table(header: Sequence[str], rows: Sequence[Sequence[Cell]], name: str) -> list[str]:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    out = [f'<table class="{name}"><thead><tr>{head}</tr></thead><tbody>']
    for row in rows:
        cells = "".join(
            f'<td class="date">{cell}</td>'
            if isinstance(cell, dt.date)
            else f"<td>{escape(_text(cell))}</td>"
            for cell in row
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return out
