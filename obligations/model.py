"""The case-file model (docs/case-files.md): one agreement or plan per file, ``contacts.yaml`` and
``policy.yaml``.

The models only accept what the format names; an unknown key is an error, because a typo such as
``lenght: 1y`` must never pass silently and leave an agreement without its term. References between parts
of a file (parties, obligations) are checked here too; references to ``contacts.yaml`` are checked by the
registry (:mod:`obligations.registry`), which is the first place that sees both.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    RootModel,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from obligations.dates import Step, in_range, parse_day, parse_month_end
from obligations.duration import Duration
from obligations.recurrence import (
    END,
    EVERY,
    LABEL_EXAMPLES,
    Due,
    Every,
    RecurrenceError,
    check_label,
    period_containing,
    period_of_label,
)

# A key names a party, an owner or an obligation inside files; ids of agreements follow docs/case-files.md.
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
_KEY_SCHEMA = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "maxLength": 80}
# What an event may name as its obligation: one of the file's own, or a duty of the body's policy
# (``policy:review``; obligations.policy checks those against the policy.yaml that binds the file).
POLICY_PREFIX = "policy:"
# The duties the body's policy sets (:class:`Policy`), by the ids events name them with.
REVIEW = "policy:review"
COUNCIL_SIGNING = "policy:council-signing"
COUNCIL_ENDING = "policy:council-ending"
RENEWAL_REVIEW = "policy:renewal-review"
ObligationRef = Annotated[str, StringConstraints(pattern=r"^(policy:)?[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date such as 2025-02-25, without a time; got: '{value}'")
    if isinstance(value, dt.date):
        return in_range(value)
    return parse_day(str(value))


def _month_or_day(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return in_range(value)
    return parse_month_end(str(value))


def _duration(value: Any) -> Duration:
    return value if isinstance(value, Duration) else Duration.parse(value)


def _survival(value: Any) -> bool | Duration:
    if isinstance(value, bool | Duration):
        return value
    if isinstance(value, str) and value.strip().lower() not in ("yes", "no", "true", "false"):
        try:
            return Duration.parse(value)
        except ValueError as error:
            raise ValueError(f"{error} (or true: for ever; example: survives: 3y)") from None
    raise ValueError(
        f"expected true (for ever) or a length such as 3y or 36m; got: {value!r} (example: survives: 3y)"
    )


_iso = PlainSerializer(lambda day: day.isoformat(), return_type=str)
# The JSON Schema of each field says what an analyst writes in YAML (docs/case-file.schema.json), which
# for these types is text that a validator above turns into a date or a length.
_DAY_SCHEMA = {"type": "string", "format": "date", "examples": ["2025-02-25"]}
_MONTH_SCHEMA = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
    "examples": ["2025-12", "2025-12-31"],
}
_LENGTH_SCHEMA = {"type": "string", "pattern": r"^\s*(\d+\s*[ymwd]\s*)+$", "examples": ["1y", "6m", "1y 6m"]}
Day = Annotated[dt.date, BeforeValidator(_day), _iso, WithJsonSchema(_DAY_SCHEMA)]
# "2025-12" is the last day of December 2025 (유효 기간은 2025년 12월까지); a full date is itself.
MonthOrDay = Annotated[dt.date, BeforeValidator(_month_or_day), _iso, WithJsonSchema(_MONTH_SCHEMA)]
Length = Annotated[
    Duration,
    BeforeValidator(_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(_LENGTH_SCHEMA),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Party(_Strict):
    name: Line
    owners: tuple[Key, ...] = ()


def _start(value: Any) -> str | dt.date:
    return "signed" if value == "signed" else _day(value)


class Term(_Strict):
    """The original term. ``start`` is the signing day unless a date is given."""

    clause: Line | None = None  # the article that sets the term, e.g. "제4조"; quoted in explanations
    start: Annotated[
        str | dt.date,
        BeforeValidator(_start),
        PlainSerializer(str, return_type=str),
        WithJsonSchema({"anyOf": [{"const": "signed"}, _DAY_SCHEMA]}),
    ] = "signed"
    starts_at_midnight: StrictBool = False  # 민법 제157조 단서: "YYYY. M. D.부터" starts at 00:00
    first_day_counts: StrictBool = False  # the agreement itself says the first day counts (민법 제155조)
    length: Length | None = None
    end: MonthOrDay | None = None

    @model_validator(mode="after")
    def _length_or_end(self) -> Term:
        if (self.length is None) == (self.end is None):
            both = "both" if self.length is not None else "neither"
            raise ValueError(
                f"a term has either 'length' or 'end', got {both}; e.g. 'length: 1y' or 'end: 2025-12'"
            )
        return self


# "any" (협약 당사자 일방) is kept as the empty tuple: no party is excluded.
def _parties_or_any(value: Any) -> Any:
    return () if value == "any" else value


_BY_SCHEMA = {"anyOf": [{"const": "any"}, {"type": "array", "items": _KEY_SCHEMA}]}
NoticeBy = Annotated[
    tuple[Key, ...],
    BeforeValidator(_parties_or_any),
    PlainSerializer(lambda keys: list(keys) or "any"),
    WithJsonSchema(_BY_SCHEMA),
]
MaxRenewals = Annotated[StrictInt, Field(ge=0, le=100)]


class Notice(_Strict):
    """How a party stops the next automatic renewal (해지/갱신 거절 의사표시)."""

    lead: Length | None = None  # None: no lead stated, so notice may come up to the last day of the term
    form: Literal["written", "any"] = "any"
    by: NoticeBy = ()


class Renewal(_Strict):
    clause: Line | None = None
    automatic: StrictBool = True
    length: Length
    max_renewals: MaxRenewals | None = None  # None = unlimited
    notice: Notice = Notice()


def _every(value: Any) -> Every:
    if value in EVERY:
        return value  # type: ignore[no-any-return]  # checked against the literal's values just above
    raise ValueError(
        f"expected one of {', '.join(EVERY)} (분기별 = quarter, 반기별 = half-year, 격년 = 2y); "
        f"got: {value!r} (e.g. 'every: quarter')"
    )


def _due(value: Any) -> Due:
    return value if isinstance(value, Due) else Due.parse(value)


# end | end+15d | MM-DD (yearly) | DD (monthly), as docs/recurring-duties.md writes them
_SCHEDULE_DUE_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^(end(\+\d+d)?|\d{2}-\d{2}|\d{1,2})$"},
        {"type": "integer", "minimum": 1, "maximum": 31},
    ],
    "examples": ["end", "end+15d", "12-31", "10"],
}


class Schedule(_Strict):
    """A duty owed once per calendar period (매 분기, 매 반기 종료 후 15일 이내, 매년 12월 31일까지, 격년)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, serialize_by_alias=True)

    every: Annotated[Every, BeforeValidator(_every), WithJsonSchema({"enum": list(EVERY)})]
    due: Annotated[
        Due,
        BeforeValidator(_due),
        PlainSerializer(str, return_type=str),
        WithJsonSchema(_SCHEDULE_DUE_SCHEMA),
    ] = END
    # "from" is a Python keyword: periods that end before this day are not owed (default: the term start).
    owed_from: Annotated[Day | None, Field(alias="from")] = None

    @model_validator(mode="after")
    def _due_fits_every(self) -> Schedule:
        problem = self.due.fits(self.every)
        if problem is not None:
            raise ValueError(problem)
        return self


class Obligation(_Strict):
    id: Key
    clause: Line
    party: Annotated[
        tuple[Key, ...],
        BeforeValidator(lambda value: (value,) if isinstance(value, str) else value),
        Field(min_length=1),
        WithJsonSchema({"anyOf": [_KEY_SCHEMA, {"type": "array", "items": _KEY_SCHEMA, "minItems": 1}]}),
    ]
    text: Text
    evidence_every: Length | None = None
    due: MonthOrDay | None = None
    schedule: Schedule | None = None
    # 존속 조항: true binds without end ("종료된 후에도 그 효력이 유지된다"); a length binds for that long,
    # counted from the day after the end or termination ("협약 종료 후 3년간 존속한다").
    survives: Annotated[
        StrictBool | Duration,
        BeforeValidator(_survival),
        PlainSerializer(lambda value: value if isinstance(value, bool) else str(value)),
        WithJsonSchema({"anyOf": [{"type": "boolean"}, _LENGTH_SCHEMA]}),
    ] = False

    @property
    def binds_after_end(self) -> bool:
        """Whether the duty survives the end at all (for ever or for a length)."""
        return self.survives is not False

    @property
    def once_per_term(self) -> bool:
        """A role (no due, no schedule, not surviving) with no evidence clock: a record is expected once in
        each term, and a term that ends without one is a lapse (rule role-lapsed)."""
        role = self.due is None and self.schedule is None and not self.binds_after_end
        return role and self.evidence_every is None

    @model_validator(mode="after")
    def _one_kind_of_date(self) -> Obligation:
        if self.schedule is not None and self.due is not None:
            raise ValueError(
                "an obligation has either a one-off 'due' or a recurring 'schedule', not both; e.g. "
                "'schedule: {every: half-year, due: end+15d}'"
            )
        if self.schedule is not None and self.evidence_every is not None:
            raise ValueError(
                "'schedule' (one occurrence per calendar period) and 'evidence_every' (a record at least "
                "this often) measure the same duty twice; keep one, e.g. 'schedule: {every: quarter}'"
            )
        return self


class Changes(_Strict):
    """What a 변경협약 changes, from the date of its ``amended`` event on; keys are the case file's own
    field paths (``term.end``, ``renewal.notice.lead``, …), so the file reads like the amendment's text.

    Only the keys written count: ``renewal.max_renewals: null`` lifts the cap and ``renewal.notice.lead:
    null`` drops the lead, as in the case file itself; the other keys need a value.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        serialize_by_alias=True,
        json_schema_extra={"minProperties": 1},
    )

    term_end: Annotated[MonthOrDay | None, Field(alias="term.end")] = None
    term_length: Annotated[Length | None, Field(alias="term.length")] = None
    renewal_automatic: Annotated[StrictBool | None, Field(alias="renewal.automatic")] = None
    renewal_length: Annotated[Length | None, Field(alias="renewal.length")] = None
    renewal_max_renewals: Annotated[MaxRenewals | None, Field(alias="renewal.max_renewals")] = None
    renewal_notice_lead: Annotated[Length | None, Field(alias="renewal.notice.lead")] = None
    renewal_notice_form: Annotated[Literal["written", "any"] | None, Field(alias="renewal.notice.form")] = (
        None
    )
    renewal_notice_by: Annotated[NoticeBy | None, Field(alias="renewal.notice.by")] = None
    obligations_add: Annotated[tuple[Obligation, ...], Field(alias="obligations.add")] = ()
    obligations_remove: Annotated[tuple[Key, ...], Field(alias="obligations.remove")] = ()

    @model_validator(mode="after")
    def _something_changes(self) -> Changes:
        if not self.model_fields_set:
            raise ValueError("'changes' names at least one field, e.g. 'changes: {term.end: 2026-06-30}'")
        if "term_end" in self.model_fields_set and "term_length" in self.model_fields_set:
            raise ValueError(
                "a term has either 'end' or 'length': change one of them, e.g. 'term.end: 2026-06-30'"
            )
        # null means something only where the case file gives it a meaning (no cap, no lead).
        for name in self.model_fields_set - {"renewal_max_renewals", "renewal_notice_lead"}:
            if getattr(self, name) is None:
                alias = Changes.model_fields[name].alias
                raise ValueError(f"'{alias}' needs a value, e.g. {CHANGE_EXAMPLES[str(alias)]!r}")
        return self

    def given(self) -> dict[str, Any]:
        """The fields written, by their field path: ``{'term.end': date(2026, 6, 30)}``."""
        return {str(Changes.model_fields[name].alias): getattr(self, name) for name in self.model_fields_set}


CHANGE_EXAMPLES = {
    "term.end": "term.end: 2026-06-30",
    "term.length": "term.length: 3y",
    "renewal.automatic": "renewal.automatic: false",
    "renewal.length": "renewal.length: 1y",
    "renewal.max_renewals": "renewal.max_renewals: 2",
    "renewal.notice.lead": "renewal.notice.lead: 2m",
    "renewal.notice.form": "renewal.notice.form: written",
    "renewal.notice.by": "renewal.notice.by: [city]",
    "obligations.add": 'obligations.add: [{id: forum, clause: "변경협약 제2조", party: city, text: "…"}]',
    "obligations.remove": "obligations.remove: [city-space]",
}


class Event(_Strict):
    date: Day
    type: Literal["fulfilled", "waived", "notice-given", "terminated", "amended"]
    obligation: ObligationRef | None = None
    party: Key | None = None
    # The occurrence of a recurring duty the event is about: 2025, 2025-H1, 2025-Q3, 2025-07, 2025/2026.
    period: Annotated[Line, AfterValidator(check_label)] | None = None
    form: Literal["written", "any"] | None = None
    ref: Line | None = None
    note: Text | None = None
    changes: Changes | None = None  # an 'amended' event's changes (변경협약), in force from its date

    @model_validator(mode="after")
    def _what_the_type_needs(self) -> Event:
        if self.type in ("fulfilled", "waived") and self.obligation is None:
            raise ValueError(f"a '{self.type}' event names its obligation, e.g. 'obligation: city-space'")
        if self.type == "waived" and self.ref is None:
            raise ValueError(
                "a 'waived' event closes a due without fulfilment and carries the record that says so, "
                "e.g. 'ref: \"교육지원정책과-612\"'"
            )
        if self.type in ("notice-given", "terminated") and self.party is None:
            raise ValueError(f"a '{self.type}' event names the party that gave it, e.g. 'party: city'")
        if self.period is not None and self.type not in ("fulfilled", "waived"):
            raise ValueError(
                "only 'fulfilled' and 'waived' events name a period, e.g. 'period: 2025-H2'; "
                f"a '{self.type}' event has none"
            )
        if self.changes is not None and self.type != "amended":
            raise ValueError(
                f"only an 'amended' event carries 'changes'; a '{self.type}' event has none "
                "(e.g. 'type: amended')"
            )
        return self


class Council(_Strict):
    """Reports to the local council (지방의회 보고) the ordinance requires."""

    after_signing: Length | None = None  # "체결 후 50일 이내 의회 보고"
    after_ending: Length | None = None  # "종료·해지 후 30일 이내 의회 보고"


class Policy(_Strict):
    """``policy.yaml``: what the body must do about each of its agreements (docs/policy.md). The agreements
    it binds hold it (:meth:`Agreement.under`); whom it binds and what their events must name is
    :mod:`obligations.policy`."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, serialize_by_alias=True)

    source: Line | None = None  # the ordinance and its articles, cited by every date it sets
    # "from" is a Python keyword: the day the ordinance took effect (부칙 시행일); a duty that fell due
    # before it is not owed.
    effective_from: Annotated[Day | None, Field(alias="from")] = None
    review: Schedule | None = None  # 추진 상황 점검, as a recurring schedule: {every: year, due: 12-31}
    council: Council = Council()
    renewal_review: Length | None = None  # decide keep or stop this long before each notice act-by date
    dormant_after: Length | None = None  # nothing recorded on the agreement's own duties for this long

    @model_validator(mode="after")
    def _one_from(self) -> Policy:
        if self.review is not None and self.review.owed_from is not None:
            raise ValueError(
                "the policy's reviews are owed from the policy's own 'from' (the day it took effect), not "
                "from one of their own; e.g. 'from: 2025-07-01' at the top level and "
                "'review: {every: year, due: 12-31}'"
            )
        return self

    def duties(self) -> tuple[str, ...]:
        """The obligation ids of the duties this policy sets, as events name them."""
        named = {
            REVIEW: self.review,
            COUNCIL_SIGNING: self.council.after_signing,
            COUNCIL_ENDING: self.council.after_ending,
            RENEWAL_REVIEW: self.renewal_review,
        }
        return tuple(key for key, part in named.items() if part is not None)

    def cited(self) -> Step:
        """The first step of every date the policy sets: where the duty comes from."""
        if self.source is None:
            return Step(
                "근거: 기관의 업무협약 관리 규정 (policy.yaml, 출처 미기재)",
                "under the body's own rules for its agreements (policy.yaml; no source given)",
            )
        return Step(f"근거: {self.source} (policy.yaml)", f"under {self.source} (policy.yaml)")


class Agreement(_Strict):
    id: Key
    title: Line
    kind: Literal["agreement", "plan"] = "agreement"
    source: Line | None = None
    signed: Day
    parties: dict[Key, Party] = Field(min_length=1)
    term: Term | None = None
    renewal: Renewal | None = None
    obligations: tuple[Obligation, ...] = ()
    events: tuple[Event, ...] = ()
    # The body's own rules for its agreements (policy.yaml), set by the registry that read the file: not a
    # field of the case file, but part of what the agreement owes (see :meth:`under`).
    _policy: Policy | None = PrivateAttr(default=None)

    @property
    def policy(self) -> Policy | None:
        return self._policy

    def under(self, policy: Policy | None) -> Agreement:
        """This agreement bound by ``policy``; a plan is bound by none (an ordinance on 업무협약 governs
        agreements, not the plans a body adopts)."""
        bound = self.model_copy()
        bound._policy = policy if self.kind == "agreement" else None
        return bound

    @model_validator(mode="after")
    def _term_for_agreements(self) -> Agreement:
        if self.kind == "agreement" and self.term is None:
            raise ValueError("an agreement has a term, e.g. 'term: {length: 1y}'; only a plan may have none")
        if self.renewal is not None and self.term is None:
            raise ValueError("'renewal' needs a 'term' to renew")
        return self

    def obligation(self, key: str) -> Obligation | None:
        return next((item for item in self.obligations if item.id == key), None)

    def ever_obligation(self, key: str) -> Obligation | None:
        """An obligation of the file, or one an amendment adds (events may name either)."""
        added = (item for event in self.events if event.changes for item in event.changes.obligations_add)
        return self.obligation(key) or next((item for item in added if item.id == key), None)

    @property
    def starts(self) -> dt.date:
        """The first day of the original term (the signing day of a plan without a term)."""
        start = self.term.start if self.term is not None else "signed"
        return start if isinstance(start, dt.date) else self.signed


class Contact(_Strict):
    name: Line
    email: Annotated[
        str, StringConstraints(pattern=r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$", max_length=254)
    ]
    phone: Line | None = None
    people: tuple[Line, ...] = ()  # as printed: "과장 최소정 ☎2133-3960"


class Contacts(_Strict):
    """``contacts.yaml`` with a ``contacts:`` wrapper around the owners."""

    contacts: dict[Key, Contact]


class Owners(RootModel[dict[Key, Contact]]):
    """``contacts.yaml`` as documented: owner keys at the top level."""

    model_config = ConfigDict(frozen=True)


Location = tuple[str | int, ...]


def reference_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """References inside one file that do not resolve, as (field location, message)."""
    parties = sorted(agreement.parties)
    known = ", ".join(parties)
    problems: list[tuple[Location, str]] = []

    def unknown_party(key: str, where: Location) -> None:
        if key not in agreement.parties:
            problems.append((where, f"unknown party {key!r}; the parties of this file are: {known}"))

    term = agreement.term
    if term is not None and term.end is not None:
        start = agreement.signed if term.start == "signed" else term.start
        if isinstance(start, dt.date) and term.end < start:
            message = f"the term ends ({term.end}) before it starts ({start}); e.g. 'end: 2025-12'"
            problems.append((("term", "end"), message))
    seen: set[str] = set()
    for i, item in enumerate(agreement.obligations):
        if item.id in seen:
            problems.append(
                (("obligations", i, "id"), f"duplicate obligation id {item.id!r}; ids are unique")
            )
        seen.add(item.id)
        for key in item.party:
            unknown_party(key, ("obligations", i, "party"))
    if agreement.renewal is not None:
        for key in agreement.renewal.notice.by:
            unknown_party(key, ("renewal", "notice", "by"))
    for i, event in enumerate(agreement.events):
        # An agreement binds from its signing; a plan's "signed" is only the date of its document, and
        # work it lists may have started before it (the IAEC application of February 2025).
        if agreement.kind == "agreement" and event.date < agreement.signed:
            problems.append(
                (
                    ("events", i, "date"),
                    f"the event is dated {event.date}, before the agreement was signed ({agreement.signed}); "
                    f"e.g. 'date: {agreement.signed}'",
                )
            )
        if event.party is not None:
            unknown_party(event.party, ("events", i, "party"))
        if event.obligation is None or event.obligation.startswith(POLICY_PREFIX):
            continue  # a policy duty is checked against the policy that binds the file (obligations.policy)
        obligation = agreement.ever_obligation(event.obligation)
        if obligation is None:
            problems.append(
                (
                    ("events", i, "obligation"),
                    f"unknown obligation {event.obligation!r}; known: {', '.join(sorted(seen)) or 'none'}",
                )
            )
        elif (
            event.party is not None
            and event.party in agreement.parties
            and event.party not in obligation.party
        ):
            problems.append(
                (
                    ("events", i, "party"),
                    f"{event.party!r} is not a party of obligation {obligation.id!r} "
                    f"(its parties: {', '.join(obligation.party)})",
                )
            )
        if obligation is not None:
            problems.extend(
                (
                    (("events", i, *where), message)
                    for where, message in _period_problems(agreement, event, obligation)
                )
            )
    return problems


def _period_problems(
    agreement: Agreement, event: Event, obligation: Obligation
) -> list[tuple[Location, str]]:
    """An event's ``period`` against its obligation's schedule, and what a waiver needs to close."""
    schedule = obligation.schedule
    if schedule is None and obligation.once_per_term and (event.period is not None or event.type == "waived"):
        return []  # a role names a term, which only the chain of terms knows: see obligations.loading
    if schedule is None:
        if event.period is not None:
            return [
                (
                    ("period",),
                    f"obligation {obligation.id!r} has no 'schedule', so it has no periods; drop 'period' or "
                    f"give the obligation one, e.g. 'schedule: {{every: quarter, due: end+15d}}'",
                )
            ]
        if event.type == "waived" and obligation.due is None:
            return [
                (
                    ("type",),
                    f"a 'waived' event closes a due or an occurrence; obligation {obligation.id!r} has "
                    "neither 'due' nor 'schedule'",
                )
            ]
        return []
    anchor = agreement.starts.year
    example = LABEL_EXAMPLES[schedule.every]
    if event.period is None:
        if event.type != "waived":
            return []  # a fulfilment without a period settles the earliest open occurrence
        example = period_containing(schedule.every, anchor, event.date).label
        return [
            (
                ("period",),
                f"a 'waived' event on the recurring duty {obligation.id!r} names the period it waives, "
                f"e.g. 'period: {example}'",
            )
        ]
    try:
        occurrence = period_of_label(schedule.every, anchor, event.period)
    except RecurrenceError as error:
        return [(("period",), str(error))]
    owed_from = schedule.owed_from or agreement.starts
    if occurrence.end < owed_from:
        first = period_containing(schedule.every, anchor, owed_from).label
        return [
            (
                ("period",),
                f"period {event.period} ends ({occurrence.end}) before occurrences of {obligation.id!r} are "
                f"owed (from {owed_from}); the first is {first}",
            )
        ]
    return []
