"""The registry report: one self-contained HTML page for a director's desk (``obligations report``).

Inline CSS and SVG only — no script, no font, no image or link to fetch — so the page reads the same
offline, with scripts off, in a mail attachment and on A4 paper. Every piece of text from a case file is
escaped (:func:`html.escape`): case files are not trusted to be HTML.

The page holds a header (registry, as-of day, counts by severity), an overview with one row per
agreement, and for each agreement its timeline (:mod:`obligations.views.timeline`), its key dates as a
table, and its findings: one entry per deadline, grouped as the digests group them, each derivation folded
in a ``<details>`` that prints only when opened, so that in print one agreement takes one A4 sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path

from obligations.checking import Report
from obligations.compile import compile_agreement
from obligations.facts import Compiled
from obligations.findings import Finding, Severity
from obligations.model import Agreement
from obligations.standing import Standing, standings
from obligations.views.digest import by_deadline, parties_line, shared_message
from obligations.views.register import review_line
from obligations.views.timeline import LANE_NAMES, Timeline, svg, timeline
from obligations.views.words import SEVERITY, STATE, days, registry_line, renewal_text, term_text

_WORDS = {
    "ko": {
        "title": "업무협약 의무 현황",
        "registry": "대장",
        "as_of": "기준일",
        "horizon": "조회 기간",
        "days": "{n}일",
        "counts": "알림",
        "none": "알릴 사항 없음",
        "problems": "읽지 못한 파일",
        "overview": "개요",
        "next": "다음 기한",
        "agreement": "협약",
        "state": "상태",
        "term": "현재 기간",
        "counts_head": "긴급/경고/참고",
        "findings": "알림",
        "key_dates": "주요 날짜",
        "date": "날짜",
        "what": "내용",
        "kind": "구분",
        "owners": "담당",
        "why": "날짜의 근거 ({n}단계)",
        "no_findings": "이 협약에 대한 알림이 없습니다.",
        "legend": "범례: 진한 막대 = 지나온 기간, 점선 막대 = 통지가 없으면 이어질 연장, 빗금 = 통지로 "
        "막힌 연장, ▼ = 통지 처리 기한, | = 법정 통지 기한, ● = 이행 기한, ◆ = 기록, 붉은 선 = 기준일",
        "footer": "obligations가 만든 보고서입니다. 날짜의 근거: obligations explain <ID>",
    },
    "en": {
        "title": "Agreement obligations",
        "registry": "Registry",
        "as_of": "As of",
        "horizon": "Horizon",
        "days": "{n} days",
        "counts": "Findings",
        "none": "nothing to report",
        "problems": "Files that could not be read",
        "overview": "Overview",
        "next": "Next deadline",
        "agreement": "Agreement",
        "state": "Standing",
        "term": "Term",
        "counts_head": "critical/warning/info",
        "findings": "Findings",
        "key_dates": "Key dates",
        "date": "Date",
        "what": "What",
        "kind": "Kind",
        "owners": "Owners",
        "why": "How the date was derived ({n} steps)",
        "no_findings": "No findings for this agreement.",
        "legend": "Legend: solid bar = terms run, dashed bar = renewal that follows unless notice is given, "
        "hatched = renewal stopped by notice, ▼ = act-by day, | = legal deadline, ● = due, ◆ = record, "
        "red line = as-of day",
        "footer": "Made by obligations. How a date was derived: obligations explain <ID>",
    },
}

# Marks the key-dates table leaves out: a notice's window and legal deadline are in its act-by row's text.
KEY_DATES_OMIT = ("window", "legal", "as-of")

CSS = """
:root { --ink: #1d232b; --muted: #5b6470; --rule: #d5dae1; --term: #2f5d8c; --next: #e7eef6;
  --critical: #c0002b; --warning: #c26a00; --info: #4a6fa5; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans KR", "Noto Sans CJK KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1040px; padding: 24px; line-height: 1.5; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f5f8; font-weight: 600; }
.meta { color: var(--muted); margin: 0; }
.counts span { display: inline-block; margin-right: 12px; font-weight: 600; }
.sev { font-weight: 700; white-space: nowrap; }
.sev-critical { color: var(--critical); } .sev-warning { color: var(--warning); }
.sev-info { color: var(--info); }
.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
section.agreement { border-top: 2px solid var(--ink); margin-top: 28px; padding-top: 4px; }
.legend { color: var(--muted); font-size: 12px; }
details.why { color: var(--muted); font-size: 12px; }
details.why summary { cursor: pointer; }
ol.why { margin: 2px 0 0 18px; padding: 0; }
.parties { color: var(--muted); }
code { font-size: 12px; }
.ids { color: var(--muted); font-size: 11px; }
svg.timeline { display: block; margin: 8px 0; font-size: 11px; }
svg .lane { font-size: 12px; font-weight: 600; fill: var(--ink); }
svg .lane-rule { stroke: var(--rule); }
svg .tick { stroke: #eef0f3; } svg .tick-major { stroke: #b9c0c9; }
svg .tick-label { fill: var(--muted); }
svg rect.term { fill: var(--term); }
svg rect.term-next { fill: var(--next); stroke: var(--term); stroke-dasharray: 5 3; }
svg rect.term-stopped { fill: #f1f1f1; stroke: #888; stroke-dasharray: 2 2; }
svg rect.window { fill: #f5e3c8; }
svg .in-bar { fill: #fff; font-weight: 600; }
svg rect.term-next + .in-bar, svg rect.term-stopped + .in-bar { fill: var(--ink); }
svg line.end { stroke: var(--ink); stroke-width: 2; }
svg path.act-by { fill: var(--warning); }
svg line.legal { stroke: var(--critical); stroke-width: 2; }
svg circle.due { fill: var(--info); } svg circle.done { fill: #2e7d32; }
svg path.event { fill: #6a4c93; }
svg .date { fill: var(--ink); font-size: 10px; }
svg .as-of line { stroke: var(--critical); stroke-width: 1.5; stroke-dasharray: 4 2; }
svg .as-of text { fill: var(--critical); font-weight: 600; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 8.5pt; line-height: 1.3; }
  /* One sheet per agreement: it starts a page, and its derivations are printed only when opened. */
  section.agreement { break-before: page; break-inside: avoid-page; border-top: none; margin-top: 0; }
  details.why:not([open]) { display: none; }
  h2 { break-after: avoid; margin-top: 0; font-size: 13pt; }
  p.meta, p.owners { margin: 0 0 2px; }
  h3 { margin: 8px 0 4px; }
  th, td { padding: 2px 4px; }
  code, .ids, .legend, details.why { font-size: 7.5pt; }
  svg.timeline, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def render_report(report: Report, lang: str = "ko", derivations: bool = False, last_run: str = "") -> str:
    """The whole page for a checked registry; ``derivations`` writes them unfolded, so that they print;
    ``last_run``: when the nightly notify job last ran."""
    words = _WORDS[lang]
    registry = report.registry
    compiled = [
        compile_agreement(case.agreement, report.as_of, registry.calendar, until=report.until)
        for case in registry.cases
    ]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(words['title'])} {report.as_of}</title>",
        f"<style>{CSS}</style></head><body>",
    ]
    out += _header(report, lang)
    out += [f'<p class="meta">{escape(last_run)}</p>'] if last_run else []
    rows = standings(report, lang)
    out += _overview(rows, lang)
    # The agreements follow in the overview's order: soonest next deadline first.
    place = {row.agreement: i for i, row in enumerate(rows)}
    compiled.sort(key=lambda unit: place.get(unit.agreement.id, len(place)))
    names = {key: contact.name for key, contact in registry.contacts.items()}
    for unit in compiled:
        findings = [f for f in report.findings if f.agreement == unit.agreement.id]
        line = timeline(unit, findings, report.as_of, registry.calendar, lang)
        out += _agreement(unit, line, findings, names, lang, derivations)
    out.append(f'<p class="legend">{escape(words["footer"])}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _header(report: Report, lang: str) -> list[str]:
    words = _WORDS[lang]
    severities = SEVERITY[lang]
    counts = {s: sum(f.severity is s for f in report.findings) for s in severities}
    out = [
        f"<header><h1>{escape(words['title'])}</h1>",
        f'<p class="meta">{escape(words["registry"])}: {escape(registry_line(report.registry, lang))} · '
        f'{escape(words["as_of"])}: <span class="date">{report.as_of}</span> · '
        f"{escape(words['horizon'])}: {escape(words['days'].format(n=report.horizon_days))}</p>",
        f'<p class="counts">{escape(words["counts"])}: '
        + " ".join(
            f'<span class="sev-{s.value}">{escape(name)} {counts[s]}</span>' for s, name in severities.items()
        )
        + "</p>",
    ]
    if report.problems:
        out.append(f"<h2>{escape(words['problems'])}</h2><ul>")
        out += [f"<li>{escape(str(problem))}</li>" for problem in report.problems]
        out.append("</ul>")
    out.append("</header>")
    return out


def _severity(severity: Severity | None, lang: str) -> str:
    if severity is None:
        return ""
    return f'<span class="sev sev-{severity.value}">{escape(SEVERITY[lang][severity])}</span>'


def _overview(rows: Iterable[Standing], lang: str) -> list[str]:
    """The rows of ``obligations status``: soonest next deadline first."""
    words = _WORDS[lang]
    keys = ("next", "agreement", "state", "term", "counts_head")
    head = "".join(f"<th>{escape(words[key])}</th>" for key in keys)
    out = [f"<h2>{escape(words['overview'])}</h2>", f'<table class="overview"><tr>{head}</tr>']
    for row in rows:
        when = what = ""
        if row.next is not None:
            when = f'<span class="date">{row.next.date}</span><br>{days(row.next.days_left)}'
            what = f"<br><b>{escape(row.next.label)}</b>: {escape(row.next.what)}"
        term = escape(term_text(row, lang))
        if row.term_start and row.term_end:
            term += f'<br><span class="date">{row.term_start}~{row.term_end}</span>'
        counts = "/".join(
            _count(row.findings.get(severity, 0), severity)
            for severity in (Severity.CRITICAL, Severity.WARNING, Severity.INFO)
        )
        out.append(
            f'<tr><td class="date">{when}</td>'
            f'<td><a href="#{escape(row.agreement)}">{escape(row.title)}</a>{what}</td>'
            f"<td>{escape(STATE[lang][row.state])}<br>{escape(renewal_text(row, lang))}</td>"
            f"<td>{term}</td><td>{counts}</td></tr>"
        )
    out.append("</table>")
    return out


def _count(count: int, severity: Severity) -> str:
    return f'<span class="sev-{severity.value}">{count}</span>' if count else "0"


def _agreement(
    unit: Compiled,
    line: Timeline,
    findings: Sequence[Finding],
    names: Mapping[str, str],
    lang: str,
    derivations: bool,
) -> list[str]:
    words = _WORDS[lang]
    agreement = unit.agreement
    out = [
        f'<section class="agreement" id="{escape(agreement.id)}">',
        f"<h2>{escape(agreement.title)}</h2>",
        f'<p class="meta"><code>{escape(agreement.id)}</code>'
        + (f" · {escape(agreement.source)}" if agreement.source else "")
        + "</p>",
        *_reviews(agreement, findings, line, lang),
        svg(line, agreement.title, lang),
        f'<p class="legend">{escape(words["legend"])}</p>',
        f"<h3>{escape(words['key_dates'])}</h3>",
        f'<table class="key-dates"><tr><th>{escape(words["date"])}</th><th>{escape(words["kind"])}</th>'
        f"<th>{escape(words['what'])}</th></tr>",
    ]
    lanes = LANE_NAMES[lang]
    for mark in sorted(line.marks, key=lambda m: (m.day, m.lane)):
        if mark.style in KEY_DATES_OMIT:
            continue
        out.append(
            f'<tr><td class="date">{mark.day}</td><td>{escape(lanes[mark.lane])}</td>'
            f"<td>{escape(mark.text)}</td></tr>"
        )
    out.append("</table>")
    out.append(f"<h3>{escape(words['findings'])}</h3>")
    out += _findings(findings, names, lang, derivations)
    out.append("</section>")
    return out


def _findings(
    findings: Sequence[Finding], names: Mapping[str, str], lang: str, derivations: bool
) -> list[str]:
    """One row per deadline, as in the digests: the parties that may act on it named together, the
    derivation folded (printed only when opened)."""
    words = _WORDS[lang]
    if not findings:
        return [f"<p>{escape(words['no_findings'])}</p>"]
    groups = by_deadline(findings, lambda finding: finding)
    owners = [
        ", ".join(names.get(key, key) for key in dict.fromkeys(o for f in g for o in f.owners))
        for g in groups
    ]
    # Owners told of every row are named once, above the table, rather than in a column on every row.
    shared = len(set(owners)) == 1
    out = []
    if shared:
        out.append(f'<p class="owners">{escape(words["owners"])}: {escape(owners[0])}</p>')
    head = "" if shared else f"<th>{escape(words['owners'])}</th>"
    out.append(
        f'<table class="findings"><tr><th></th><th>{escape(words["date"])}</th>'
        f"<th>{escape(words['what'])}</th>{head}</tr>"
    )
    for group, told in zip(groups, owners, strict=True):
        first = group[0]
        severity = max((f.severity for f in group), key=lambda s: s.rank)
        parties = parties_line(group, lang)
        ids = ", ".join(f.id for f in group)
        out.append(
            f"<tr><td>{_severity(severity, lang)}</td>"
            f'<td class="date">{first.due or ""}</td>'
            f"<td><b>{escape(first.label)}</b>: {escape(shared_message(group))}"
            + (f'<br><span class="parties">{escape(parties)}</span>' if parties else "")
            + f' <code class="ids">{escape(ids)}</code>'
            + "".join(
                _derivation(steps, lang, derivations)
                for steps in dict.fromkeys(f.explain for f in group)
                if steps
            )
            + "</td>"
            + ("" if shared else f"<td>{escape(told)}</td>")
            + "</tr>"
        )
    out.append("</table>")
    return out


def _derivation(steps: Sequence[str], lang: str, unfolded: bool) -> str:
    """The steps behind a date, folded unless ``unfolded``: a click shows them, and they are printed only
    when shown."""
    summary = escape(_WORDS[lang]["why"].format(n=len(steps)))
    items = "".join(f"<li>{escape(step)}</li>" for step in steps)
    state = " open" if unfolded else ""
    return f'<details class="why"{state}><summary>{summary}</summary><ol class="why">{items}</ol></details>'


def _reviews(agreement: Agreement, findings: Sequence[Finding], line: Timeline, lang: str) -> list[str]:
    """The state of the reviews the body's policy asks for (policy.yaml), when it asks for any."""
    text = review_line(agreement, findings, line.as_of, lang)
    return [f'<p class="meta reviews">{escape(text)}</p>'] if text else []


def write_report(path: Path, page: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
