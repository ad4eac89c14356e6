"""An agreement's timeline: its terms, notice deadlines, dues and recorded events as marks on lanes.

Every date here comes from :mod:`obligations.compile` — the chain of terms it ran, the renewals that may
follow (:func:`obligations.terms.next_terms`) and the facts the rules judged — so the picture and
``check`` cannot disagree. Nothing is judged here either: a due is coloured by the finding the rules raised
about it, not by comparing it with the as-of day. :func:`timeline` collects the marks; :func:`svg` draws
them, each with a text alternative (``<title>`` and ``aria-label``) that states its date.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from itertools import pairwise
from typing import Literal
from unicodedata import east_asian_width

from obligations.dates import Term
from obligations.facts import Compiled
from obligations.findings import Finding, Severity
from obligations.rulebook import day_of
from obligations.terms import next_terms, terms_ran
from obligations.workdays import WorkdayCalendar

Lane = Literal["term", "notice", "due", "event"]
LANES: tuple[Lane, ...] = ("term", "notice", "due", "event")
# How many renewals not yet begun are drawn when the agreement sets no cap (a cap is drawn up to 5).
MOST_NEXT_TERMS = 5
UNCAPPED_NEXT_TERMS = 2
MOST_TERMS_RAN = (
    6  # the terms already run that are drawn: the latest ones (daily renewals since 1900 would be 100,000)
)

Style = Literal[
    "term", "term-next", "term-stopped", "window", "act-by", "legal", "end", "due", "done", "event", "as-of"
]


@dataclass(frozen=True)
class Mark:
    """One thing drawn: a span (``until`` set) or a point, on a lane, with the sentence that describes it."""

    lane: Lane
    style: Style
    day: date
    text: str  # the text alternative; states the date(s)
    until: date | None = None
    label: str = ""  # short text drawn beside the mark, when there is room
    severity: Severity | None = None  # the finding the rules raised about it, if any


@dataclass(frozen=True)
class Timeline:
    agreement: str
    as_of: date
    marks: tuple[Mark, ...]

    @property
    def first(self) -> date:
        return min([self.as_of, *(m.day for m in self.marks)])

    @property
    def last(self) -> date:
        return max([self.as_of, *(m.until or m.day for m in self.marks)])


LANE_NAMES = {
    "ko": {"term": "협약기간", "notice": "연장 거절 통지", "due": "이행 기한", "event": "기록"},
    "en": {"term": "Terms", "notice": "Notice", "due": "Dues", "event": "Records"},
}
EVENT_TYPES = {
    "ko": {
        "fulfilled": "이행",
        "waived": "면제",
        "notice-given": "연장 거절 통지",
        "terminated": "해지",
        "amended": "변경",
    },
    "en": {
        "fulfilled": "fulfilled",
        "waived": "waived",
        "notice-given": "notice given",
        "terminated": "terminated",
        "amended": "amended",
    },
}
_WORDS = {
    "ko": {
        "term0": "원 협약기간",
        "term": "{k}차 연장",
        "term_ran": "{name} {start}~{end}",
        "term_next": "{name} {start}~{end} (통지가 없으면 자동 연장)",
        "term_stopped": "{name} {start}~{end}: {party} 통지({on})로 연장되지 않음",
        "terminated": "{name} {start}~{end}: 해지로 {end}에 종료",
        "end_renews": "{end} {name} 종료 — 다음 날 {k}차 연장 시작",
        "end_last": "{end} {name} 종료 — 이어지는 기간 없음 (만료)",
        "window": "{k}차 연장을 막는 통지 기간: {start}부터 법정 기한 {legal}까지",
        "act_by": "{k}차 연장 거절 통지 처리 기한 {act_by} (법정 기한 {legal} 또는 그 전 마지막 근무일)",
        "legal": "{k}차 연장 거절 법정 통지 기한 {legal}",
        "due": "{due} 기한: {clause} {text}",
        "due_done": "{due} 기한: {clause} {text} — {done} 이행 기록",
        "event": "{day} {type}: {what}",
        "as_of": "기준일 {day}",
        "svg": "{title} 타임라인, {first}부터 {last}까지",
    },
    "en": {
        "term0": "original term",
        "term": "renewal {k}",
        "term_ran": "{name} {start} to {end}",
        "term_next": "{name} {start} to {end} (follows unless notice is given)",
        "term_stopped": "{name} {start} to {end}: stopped by notice of {party} ({on})",
        "terminated": "{name} {start} to {end}: terminated, ended on {end}",
        "end_renews": "{end} end of {name}; renewal {k} starts the next day",
        "end_last": "{end} end of {name}; nothing follows (expiry)",
        "window": "notice stopping renewal {k}: from {start} to the legal deadline {legal}",
        "act_by": "act by {act_by} to stop renewal {k} (the last working day on or before the legal deadline "
        "{legal})",
        "legal": "legal deadline {legal} for notice stopping renewal {k}",
        "due": "due {due}: {clause} {text}",
        "due_done": "due {due}: {clause} {text}; fulfilled {done}",
        "event": "{day} {type}: {what}",
        "as_of": "as of {day}",
        "svg": "Timeline of {title}, {first} to {last}",
    },
}


def _name(term: Term, lang: str) -> str:
    words = _WORDS[lang]
    return words["term0"] if term.index == 0 else words["term"].format(k=term.index)


def timeline(
    compiled: Compiled, findings: Sequence[Finding], as_of: date, calendar: WorkdayCalendar, lang: str = "ko"
) -> Timeline:
    """The marks of one compiled agreement; ``findings`` are the check's findings about it."""
    words = _WORDS[lang]
    agreement = compiled.agreement
    marks: list[Mark] = []
    chain = compiled.chain
    if chain is not None:
        following = next_terms(agreement, chain, calendar, MOST_NEXT_TERMS)
        if agreement.renewal is not None and agreement.renewal.max_renewals is None:
            following = following[:UNCAPPED_NEXT_TERMS]
        ran = terms_ran(agreement, chain, calendar, MOST_TERMS_RAN)
        terms = [term for term, _ in ran]
        for term in terms:
            ended = chain.ended_on if term is chain.current else None
            end = ended or term.end.date
            key = "terminated" if ended else "term_ran"
            text = words[key].format(name=_name(term, lang), start=term.start, end=end)
            marks.append(Mark("term", "term", term.start, str(text), end, _name(term, lang)))
        for nxt in following:
            term = nxt.term
            if nxt.stopped:
                event = chain.stopped_by
                assert event is not None
                party = agreement.parties[event.party].name if event.party else ""
                text = words["term_stopped"].format(
                    name=_name(term, lang), start=term.start, end=term.end.date, party=party, on=event.date
                )
                style: Style = "term-stopped"
            else:
                text = words["term_next"].format(name=_name(term, lang), start=term.start, end=term.end.date)
                style = "term-next"
            marks.append(Mark("term", style, term.start, str(text), term.end.date, _name(term, lang)))
        drawn = [*terms, *(n.term for n in following if not n.stopped)]
        last = drawn[-1].index
        renewal = agreement.renewal
        # Renewals beyond the last one drawn (no cap, or a cap further than drawn) still follow it.
        more = (
            renewal is not None
            and renewal.automatic
            and chain.stopped_by is None
            and (renewal.max_renewals is None or renewal.max_renewals > last)
        )
        for term in drawn if chain.ended_on is None else terms[:-1]:
            key = "end_renews" if term.index < last or more else "end_last"
            text = words[key].format(end=term.end.date, name=_name(term, lang), k=term.index + 1)
            marks.append(Mark("term", "end", term.end.date, str(text), label=term.end.date.isoformat()))
        deadlines = [(before, notice) for before, notice in ran if notice is not None]
        if following:
            deadlines.append((chain.current, following[0].notice))
            deadlines += [(a.term, b.notice) for a, b in pairwise(following)]
        notice_findings: dict[int, Severity] = {}
        for f in findings:
            if f.code == "notice-window" and f.severity.rank >= notice_findings.get(f.term, f.severity).rank:
                notice_findings[f.term] = f.severity
        for before, notice in deadlines:
            k = before.index + 1
            legal, act_by = notice.legal.date, notice.act_by.date
            severity = notice_findings.get(before.index)
            window = words["window"].format(k=k, start=before.start, legal=legal)
            marks.append(Mark("notice", "window", before.start, str(window), legal))
            text = words["act_by"].format(k=k, act_by=act_by, legal=legal)
            marks.append(Mark("notice", "act-by", act_by, str(text), None, act_by.isoformat(), severity))
            marks.append(Mark("notice", "legal", legal, str(words["legal"].format(k=k, legal=legal))))
    marks += _dues(compiled, findings, lang)
    types = EVENT_TYPES[lang]
    for event in agreement.events:
        if event.date > as_of:
            continue  # not yet known on the as-of day, as for check
        who = agreement.parties[event.party].name if event.party else ""
        changed = (
            ", ".join(f"{key} → {_shown(value)}" for key, value in event.changes.given().items())
            if event.changes
            else ""
        )
        what = " ".join(
            part for part in (who, event.obligation or "", event.ref or "", event.note or "", changed) if part
        )
        text = words["event"].format(day=event.date, type=types.get(event.type, event.type), what=what)
        marks.append(Mark("event", "event", event.date, str(text)))
    marks.append(Mark("term", "as-of", as_of, str(words["as_of"]).format(day=as_of)))
    return Timeline(agreement.id, as_of, tuple(marks))


def _shown(value: object) -> str:
    """A changed value as the case file writes it: ids of added duties, dates ISO, lengths as 1y."""
    if isinstance(value, tuple):
        return "[" + ", ".join(getattr(item, "id", str(item)) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _dues(compiled: Compiled, findings: Sequence[Finding], lang: str) -> list[Mark]:
    """Every fact with a due day — one-off duties and, whatever their kind, recurring occurrences — once
    per obligation and day (a duty shared by two parties is one mark)."""
    words = _WORDS[lang]
    severity: dict[tuple[str | None, date | None], Severity] = {}
    for f in findings:
        key = (f.obligation, f.due)
        if key not in severity or f.severity.rank > severity[key].rank:
            severity[key] = f.severity
    marks: dict[tuple[str, date], Mark] = {}
    for fact in compiled.facts:
        if not fact.get("due") or "obligation" not in fact:
            continue
        due = day_of(fact["due"])
        context = compiled.contexts[fact["ref"]].words
        text = words["due"].format(due=due, clause=context.get("clause", ""), text=context.get("text", ""))
        style: Style = "due"
        if fact.get("done"):
            style = "done"
            text = words["due_done"].format(
                due=due,
                clause=context.get("clause", ""),
                text=context.get("text", ""),
                done=day_of(fact["done"]),
            )
        mark = Mark(
            "due", style, due, str(text), None, due.isoformat(), severity.get((str(fact["obligation"]), due))
        )
        marks.setdefault((str(fact["obligation"]), due), mark)
    return list(marks.values())


# -- drawing --------------------
#
# Every text drawn has its own place: a label goes on the first free row under its lane, or, where no row
# is free, is left out (its mark keeps the sentence as its title, and the key-dates table lists it), so that
# no two labels ever overlap. Widths are estimated generously: a Hangul or CJK glyph an em, any other
# character 0.65 em (Noto Sans KR digits are about 0.55 em).

WIDTH = 960
LEFT = 120  # room for the lane names
RIGHT = 24
TICKS = 12  # baseline of the year and month labels
AS_OF = 32  # baseline of the as-of label, on its own row under the tick labels
AXIS = 40  # where the first lane starts
BAND = 32  # the height of a lane's marks; its label rows follow
ROW = 16  # the height of a row of date labels (a 10px Noto Sans CJK line box is 14.5px)
ROWS = 3  # at most this many rows of labels under a lane
GAP = 4  # the least room between two labels on a row
LABEL_SIZE = 10  # px: date labels; tick and in-bar labels are 11px, lane names 12px
_COLOURS = {Severity.INFO: "#4a6fa5", Severity.WARNING: "#c26a00", Severity.CRITICAL: "#c0002b"}


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width ``text`` takes at ``size`` px."""
    return sum(size if east_asian_width(c) in ("W", "F") else 0.65 * size for c in text)


class _Rows:
    """Rows of labels in which no two overlap: a label takes the first row where it fits, or none."""

    def __init__(self, rows: int) -> None:
        self.taken: list[list[tuple[float, float]]] = [[] for _ in range(rows)]

    def place(self, left: float, right: float) -> int | None:
        for i, row in enumerate(self.taken):
            if all(right + GAP <= start or left >= end + GAP for start, end in row):
                row.append((left, right))
                return i
        return None

    @property
    def used(self) -> int:
        return sum(1 for row in self.taken if row)


def svg(line: Timeline, title: str, lang: str = "ko") -> str:
    """The timeline as an inline SVG element (no scripts, no external references)."""
    words = _WORDS[lang]
    lanes = [lane for lane in LANES if any(m.lane == lane for m in line.marks if m.style != "as-of")]
    first, last = line.first, line.last
    pad = max(7, (last - first).days // 40)
    start, span = first.toordinal() - pad, (last - first).days + 2 * pad

    def x(day: date) -> float:
        return round(LEFT + (day.toordinal() - start) * (WIDTH - LEFT - RIGHT) / span, 1)

    body: list[str] = []
    top = AXIS
    lane_names = LANE_NAMES[lang]
    for lane in lanes:
        body.append(f'<text class="lane" x="8" y="{top + BAND // 2 + 4}">{escape(lane_names[lane])}</text>')
        body.append(f'<line class="lane-rule" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{top}" y2="{top}"/>')
        drawn, height = _lane([m for m in line.marks if m.lane == lane and m.style != "as-of"], x, top)
        body += drawn
        top += height
    height = top + 4
    label = escape(str(words["svg"]).format(title=title, first=first, last=last))
    out = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
        *_axis(first, last, x, height),
        *body,
    ]
    as_of = next(m for m in line.marks if m.style == "as-of")
    ax = x(as_of.day)
    # The label goes left of the line when it would not fit right of it.
    wide = text_width(as_of.text, 11)
    anchor, tx = ("end", ax - 3) if ax + 3 + wide > WIDTH else ("start", ax + 3)
    out.append(
        f'<g class="as-of" role="img" aria-label="{escape(as_of.text)}"><title>{escape(as_of.text)}</title>'
        f'<line x1="{ax}" x2="{ax}" y1="{AS_OF + 4}" y2="{height - 4}"/>'
        f'<text x="{tx}" y="{AS_OF}" text-anchor="{anchor}">{escape(as_of.text)}</text></g>'
    )
    out.append("</svg>")
    return "\n".join(out)


def _axis(first: date, last: date, x: Callable[[date], float], height: int) -> list[str]:
    """Grid lines for months (quarters on a long timeline), labelled where a label fits: years first."""
    months = (last - first).days < 550
    ticks = [
        date(year, month, 1)
        for year in range(first.year, last.year + 2)
        for month in (range(1, 13) if months else (1, 4, 7, 10))
        if first <= date(year, month, 1) <= last
    ]
    out = []
    for day in ticks:
        css = "tick-major" if day.month == 1 else "tick"
        out.append(f'<line class="{css}" x1="{x(day)}" x2="{x(day)}" y1="14" y2="{height - 4}"/>')
    row = _Rows(1)
    for day in sorted(ticks, key=lambda d: d.month != 1):
        text = str(day.year) if day.month == 1 else str(day.month)
        left = x(day) + 2
        if row.place(left, left + text_width(text, 11)) is not None:
            out.append(f'<text class="tick-label" x="{left}" y="{TICKS}">{text}</text>')
    return out


def _lane(marks: Sequence[Mark], x: Callable[[date], float], top: int) -> tuple[list[str], int]:
    """The marks of one lane and their date labels, and the height they take."""
    rows = _Rows(ROWS)
    placed: list[tuple[Mark, float, int | None]] = []
    for mark in sorted(marks, key=lambda m: m.day):
        text = mark.label[5:] if mark.style in _DATED else ""
        if not text:
            placed.append((mark, 0.0, None))
            continue
        wide = text_width(text, LABEL_SIZE)
        left = min(max(x(mark.day) - wide / 2, LEFT), WIDTH - RIGHT - wide)
        placed.append((mark, left, rows.place(left, left + wide)))
    out = [_mark(mark, x, top, left, row) for mark, left, row in placed]
    return out, BAND + ROW * rows.used + 2


_DATED = ("act-by", "due", "done")  # marks whose date (MM-DD) is written under them


def _mark(mark: Mark, x: Callable[[date], float], top: int, left: float, row: int | None) -> str:
    text = escape(mark.text)
    colour = _COLOURS[mark.severity] if mark.severity else None
    mid = top + BAND // 2
    px = x(mark.day)
    if mark.until is not None:
        width = max(x(mark.until) - px, 2)
        tall = mark.style != "window"
        y, h = (top + 4, BAND - 8) if tall else (top + 10, BAND - 20)
        shape = f'<rect class="{mark.style}" x="{px}" y="{y}" width="{round(width, 1)}" height="{h}"/>'
        if mark.label and text_width(mark.label, 11) + 8 <= width:
            shape += f'<text class="in-bar" x="{px + 4}" y="{mid + 4}">{escape(mark.label)}</text>'
    elif mark.style == "end":
        shape = f'<line class="end" x1="{px}" x2="{px}" y1="{top + 2}" y2="{top + BAND - 2}"/>'
    elif mark.style == "act-by":
        fill = f' style="fill: {colour}"' if colour else ""
        shape = f'<path class="act-by"{fill} d="M{px - 6} {mid - 8} h12 l-6 10 z"/>'
    elif mark.style == "legal":
        shape = f'<line class="legal" x1="{px}" x2="{px}" y1="{mid - 10}" y2="{mid + 10}"/>'
    elif mark.style in ("due", "done"):
        fill = f' style="fill: {colour}"' if colour else ""
        shape = f'<circle class="{mark.style}"{fill} cx="{px}" cy="{mid}" r="6"/>'
    else:
        shape = f'<path class="event" d="M{px} {mid - 7} l7 7 l-7 7 l-7 -7 z"/>'
    if row is not None:
        baseline = top + BAND + ROW * row + ROW - 4
        shape += f'<text class="date" x="{round(left, 1)}" y="{baseline}">{escape(mark.label[5:])}</text>'
    return f'<g role="img" aria-label="{text}"><title>{text}</title>{shape}</g>'
