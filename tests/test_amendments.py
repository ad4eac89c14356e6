"""Amendments (변경협약): the agreement read as amended from each amendment's date on, as before until then.

The scenarios of tests/scenarios/amended-mou.yaml state what each kind of change does to the findings; the
tests here cover what a user sees around them: ``explain`` citing the amendment, ``check`` before and after,
finding ids that carry over, validation errors, ``record amended --set``, the digest's 변경됨 and the
report's mark, and the property that an amendment never changes a finding dated before it.
"""

from __future__ import annotations

import datetime as dt
import doctest
import email
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from obligations import amendments as amendments_module
from obligations.amendments import AmendmentError, amend, duties_on, readings
from obligations.checking import run_check
from obligations.cli import cli
from obligations.compile import compile_agreement
from obligations.duration import Duration
from obligations.findings import Finding
from obligations.loading import load_agreement, read_document
from obligations.model import Agreement
from obligations.notify.settings import KEYS
from obligations.registry import CaseFile, Registry, load_registry

CASE = Path(__file__).parent / "scenarios" / "cases" / "amended-mou.yaml"
EXTENSION = (
    '{date: 2025-09-01, type: amended, ref: "변경협약서(2025. 9. 1.) 제1조", changes: {term.end: 2026-06-30}}'
)


def case_file(folder: Path, *events: str, text: str | None = None) -> Path:
    """The test agreement with ``events`` (flow mappings) as its events, written to ``folder``."""
    body = (text or CASE.read_text("utf-8")).replace(
        "events: []\n",
        "events:\n" + "".join(f"  - {event}\n" for event in events) if events else "events: []\n",
    )
    path = folder / "amended-mou.yaml"
    path.write_text(body, "utf-8")
    return path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert "Traceback" not in result.output, result.output
    return result


def checked(path: Path, as_of: str, horizon: str = "60d") -> list[dict[str, Any]]:
    result = run("check", str(path), "--as-of", as_of, "--horizon", horizon, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return list(json.loads(result.output)["findings"])


def agreement(*events: dict[str, Any]) -> Agreement:
    data = yaml.safe_load(CASE.read_text("utf-8"))
    data["events"] = list(events)
    return Agreement.model_validate(data)


# -- the done criterion: an agreement extended by a 변경협약 --------------------


def test_an_extension_moves_the_notice_deadline_from_its_date_and_explain_cites_it(tmp_path: Path) -> None:
    path = case_file(tmp_path, EXTENSION)
    before = {f["id"]: f for f in checked(path, "2025-08-31", "100d") if f["code"] == "notice-window"}
    after = {f["id"]: f for f in checked(path, "2026-04-01") if f["code"] == "notice-window"}
    assert {f["due"] for f in before.values()} == {"2025-11-28"}
    assert {f["due"] for f in after.values()} == {"2026-05-29"}
    # the same renewal is stopped by the same notice: the findings keep their ids
    assert set(before) == set(after) and len(after) == 2

    finding = sorted(after)[0]
    cited = run("explain", finding, str(path), "--as-of", "2026-04-01")
    assert cited.exit_code == 0, cited.output
    assert "1. 변경협약(2025-09-01, 변경협약서(2025. 9. 1.) 제1조): 만료일 변경 → 2026-06-30" in cited.output
    assert "법정 통지 기한: 2026-05-29(금)" in cited.output
    english = run("explain", finding, str(path), "--as-of", "2026-04-01", "--lang", "en")
    assert (
        "amendment (2025-09-01, 변경협약서(2025. 9. 1.) 제1조): the term now ends on 2026-06-30"
        in english.output
    )

    old = run("explain", finding, str(path), "--as-of", "2025-08-31", "--horizon", "100d")
    assert (
        old.exit_code == 0
        and "변경협약(" not in old.output
        and "법정 통지 기한: 2025-11-29(토)" in old.output
    )


def test_the_extended_term_end_is_explained_and_shown_by_status(tmp_path: Path) -> None:
    path = case_file(tmp_path, EXTENSION)
    status = json.loads(run("status", str(path), "--as-of", "2025-09-01", "--format", "json").output)
    assert status["agreements"][0]["term"]["end"] == "2026-06-30"
    earlier = json.loads(run("status", str(path), "--as-of", "2025-08-31", "--format", "json").output)
    assert earlier["agreements"][0]["term"]["end"] == "2025-12-31"
    expiring = [f for f in checked(path, "2026-05-01", "100d") if f["code"] == "role-unfulfilled"]
    assert [f["due"] for f in expiring] == ["2026-06-30"]
    assert (
        "변경협약(2025-09-01, 변경협약서(2025. 9. 1.) 제1조): 유효기간 만료일 변경 → 2026-06-30"
        in expiring[0]["explain"]
    )


def test_two_amendments_are_both_cited_in_date_order(tmp_path: Path) -> None:
    later = '{date: 2026-02-01, type: amended, ref: "제2차 변경협약서", changes: {renewal.notice.lead: 2m}}'
    path = case_file(tmp_path, later, EXTENSION)  # written out of order: applied by date
    [first, *_] = [f for f in checked(path, "2026-03-01") if f["code"] == "notice-window"]
    assert first["due"] == "2026-04-29"
    steps = first["explain"]
    assert (
        steps[0].startswith("변경협약(2025-09-01")
        and steps[1] == "변경협약(2026-02-01, 제2차 변경협약서): 통지 기간 변경 → 2개월"
    )


def test_an_added_duty_cites_its_amendment(tmp_path: Path) -> None:
    forum = (
        '{date: 2025-09-01, type: amended, ref: "변경협약서 제2조", changes: {obligations.add: '
        "[{id: joint-forum, "
        'clause: "변경협약 제2조", party: city, text: "공동 포럼", due: 2025-12-15}]}}'
    )
    path = case_file(tmp_path, forum)
    [due] = [f for f in checked(path, "2025-11-01") if f["obligation"] == "joint-forum"]
    assert (due["code"], due["due"]) == ("due-soon", "2025-12-15")
    assert due["explain"][0] == "변경협약(2025-09-01, 변경협약서 제2조): 의무 'joint-forum' 추가"
    assert not [f for f in checked(path, "2025-08-31", "200d") if f["obligation"] == "joint-forum"]


# -- the readings --------------------


def test_readings_are_the_text_from_each_amendment_on() -> None:
    lead = {"date": "2026-02-01", "type": "amended", "ref": "2", "changes": {"renewal.notice.lead": "2m"}}
    end = {"date": "2025-09-01", "type": "amended", "ref": "1", "changes": {"term.end": "2026-06"}}
    found = readings(agreement(lead, end))
    assert [r.since for r in found] == [None, dt.date(2025, 9, 1), dt.date(2026, 2, 1)]
    ends = [r.text.term.end if r.text.term else None for r in found]
    assert ends == [dt.date(2025, 12, 31), dt.date(2026, 6, 30), dt.date(2026, 6, 30)]
    leads = [str(r.text.renewal.notice.lead) if r.text.renewal else "" for r in found]
    assert leads == ["1m", "1m", "2m"]


def test_removed_duties_keep_only_what_fell_due_before_and_added_ones_are_owed_from_their_date() -> None:
    change = {
        "date": "2025-09-01",
        "type": "amended",
        "changes": {
            "obligations.remove": ["city-space", "library-report"],
            "obligations.add": [
                {"id": "forum", "clause": "2", "party": "city", "text": "포럼", "schedule": {"every": "year"}}
            ],
        },
    }
    text = agreement(change)
    assert [d.obligation.id for d in duties_on(text, dt.date(2025, 8, 31))] == [
        "city-space",
        "library-report",
    ]
    after = {d.obligation.id: d for d in duties_on(text, dt.date(2025, 9, 1))}
    # The reports of 2025-H1 stay owed; the role stays only for the lapses of terms ended before the removal.
    assert set(after) == {"library-report", "forum", "city-space"}
    assert after["city-space"].owed_until == dt.date(2025, 8, 31)
    assert after["library-report"].owed_until == dt.date(2025, 8, 31)
    schedule = after["forum"].obligation.schedule
    assert schedule is not None and schedule.owed_from == dt.date(2025, 9, 1)


def test_a_renewal_change_without_a_renewal_clause_names_what_is_missing() -> None:
    data = yaml.safe_load(CASE.read_text("utf-8"))
    del data["renewal"]
    text = Agreement.model_validate(data)
    event = agreement(
        {"date": "2025-09-01", "type": "amended", "changes": {"renewal.notice.lead": "2m"}}
    ).events[0]
    with pytest.raises(AmendmentError, match=r"no renewal clause to change.*renewal\.length: 1y"):
        amend(text, event)


# -- validation --------------------

BAD = [
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {term.ends: 2026-06-30}}",
        "events[0].changes.term.ends: unknown key 'term.ends'; did you mean 'term.end'? "
        "(example: term.end: 2026-06-30)",
        id="unknown key",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {renewal.notice.lead: soon}}",
        "events[0].changes.renewal.notice.lead: ",
        id="bad length",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {term.end: 2026-02-30}}",
        "events[0].changes.term.end: expected a date such as 2025-02-25 or a month such as 2025-12; "
        "got: '2026-02-30'",
        id="impossible date",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {}}",
        "events[0].changes: 'changes' names at least one field, e.g. 'changes: {term.end: 2026-06-30}'",
        id="nothing changes",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {term.end: 2026-06-30, term.length: 2y}}",
        "events[0].changes: a term has either 'end' or 'length'",
        id="end and length",
    ),
    pytest.param(
        "{date: 2025-09-01, type: fulfilled, obligation: city-space, changes: {term.end: 2026-06-30}}",
        "events[0]: only an 'amended' event carries 'changes'",
        id="changes on another event",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {term.end: 2024-12-31}}",
        "events[0].changes.term.end: the term in force starts on 2025-01-02; it cannot end before, "
        "on 2024-12-31; "
        "e.g. 'term.end: 2025-12-31'",
        id="end before start",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {term.end: 2025-08-31}}",
        "events[0].changes.term.end: the term in force (2025-01-02 to 2025-12-31) would end on 2025-08-31, "
        "before "
        "the amendment takes effect on 2025-09-01",
        id="end before the amendment",
    ),
    pytest.param(
        "{date: 2024-09-01, type: amended, changes: {term.end: 2026-06-30}}",
        "events[0].date: the event is dated 2024-09-01, before the agreement was signed (2025-01-02)",
        id="before signing",
    ),
    pytest.param(
        "{date: 2025-06-01, type: amended, changes: {renewal.automatic: false}}\n"
        "  - {date: 2026-02-01, type: amended, changes: {term.end: 2026-06-30}}",
        "events[1].date: the amendment is dated 2026-02-01, after the agreement ended on 2025-12-31",
        id="after the end",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {obligations.remove: [city-spaces]}}",
        "events[0].changes.obligations.remove[0]: unknown obligation 'city-spaces'; the obligations in force "
        "on "
        "2025-09-01 are: city-space, library-report",
        id="remove unknown",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {obligations.remove: [city-space]}}\n"
        "  - {date: 2025-10-01, type: fulfilled, obligation: city-space, ref: x}",
        "events[1].obligation: obligation 'city-space' was removed by the amendment of 2025-09-01",
        id="removed then named",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {obligations.add: [{id: forum, clause: x, party: mayor, "
        "text: y}]}}",
        "events[0].changes.obligations.add[0].party: unknown party 'mayor'",
        id="added with an unknown party",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {obligations.add: [{id: city-space, clause: x, "
        "party: city, "
        "text: y}]}}",
        "events[0].changes.obligations.add[0].id: obligation 'city-space' already exists",
        id="added twice",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {obligations.add: [{id: forum, clause: x, party: city, "
        "text: y}]}}\n  - {date: 2025-08-01, type: fulfilled, obligation: forum, ref: x}",
        "events[1].obligation: obligation 'forum' is added by the amendment of 2025-09-01; an event dated "
        "2025-08-01 cannot name it",
        id="named before added",
    ),
    pytest.param(
        "{date: 2025-09-01, type: amended, changes: {obligations.add: [{id: forum, clause: x, party: city, "
        "text: y, due: 2025-08-15}]}}",
        "events[0].changes.obligations.add[0].due: an added duty cannot fall due (2025-08-15) before the "
        "amendment (2025-09-01)",
        id="added duty due before",
    ),
]


@pytest.mark.parametrize(("event", "message"), BAD)
def test_a_bad_amendment_is_an_error_with_file_line_and_field(
    tmp_path: Path, event: str, message: str
) -> None:
    path = case_file(tmp_path, event)
    result = run("validate", str(path))
    assert result.exit_code == 2, result.output
    line = 1 + next(
        i for i, text in enumerate(path.read_text("utf-8").splitlines()) if text.startswith("events:")
    )
    wanted_line = line + 1 + (1 if message.startswith("events[1]") else 0)
    assert f"{path}:{wanted_line}: {message}" in result.output, result.output


def test_a_removed_duty_may_still_be_closed_for_what_fell_due_before(tmp_path: Path) -> None:
    path = case_file(
        tmp_path,
        "{date: 2025-09-01, type: amended, changes: {obligations.remove: [library-report]}}",
        "{date: 2025-10-01, type: fulfilled, obligation: library-report, period: 2025-H1, ref: x}",
    )
    agreement, _, problems = load_agreement(path)
    assert agreement is not None and problems == []
    assert not [f for f in checked(path, "2026-02-01") if f["obligation"] == "library-report"]


# -- record amended --------------------


def test_record_amended_appends_the_changes_and_reads_back(tmp_path: Path) -> None:
    path = case_file(tmp_path)
    before = path.read_text("utf-8")
    args = ("record", "amended", "--agreement", "amended-mou", "--date", "2025-09-01")
    sets = (
        "--set",
        "term.end=2026-06-30",
        "--set",
        "renewal.notice.lead=2m",
        "--set",
        "renewal.max_renewals=null",
    )
    dry = run(*args, *sets, "--ref", "변경협약서 제1조", "--dry-run", str(tmp_path))
    line = (
        '{date: 2025-09-01, type: amended, ref: "변경협약서 제1조", changes: {term.end: 2026-06-30, '
        "renewal.notice.lead: 2m, renewal.max_renewals: null}}"
    )
    assert dry.exit_code == 0, dry.output
    assert f"would record in {path}: {line}" in dry.output and path.read_text("utf-8") == before
    done = run(*args, *sets, "--ref", "변경협약서 제1조", str(tmp_path))
    assert done.exit_code == 0, done.output
    assert path.read_text("utf-8") == before.replace("events: []\n", f"events:\n  - {line}\n")
    loaded, _, problems = load_agreement(path)
    assert loaded is not None and problems == []
    changes = loaded.events[0].changes
    assert changes is not None and changes.given() == {
        "term.end": dt.date(2026, 6, 30),
        "renewal.notice.lead": Duration(months=2),
        "renewal.max_renewals": None,
    }


def test_record_amended_adds_a_duty_given_as_yaml(tmp_path: Path) -> None:
    path = case_file(tmp_path)
    forum = '[{id: forum, clause: "변경협약 제2조", party: [city, library], text: "포럼: 연 1회, 공동 개최"}]'
    result = run(
        *("record", "amended", "--agreement", "amended-mou", "--date", "2025-09-01", "--ref", "r"),
        *("--set", f"obligations.add={forum}", str(tmp_path)),
    )
    assert result.exit_code == 0, result.output
    loaded, _, _ = load_agreement(path)
    assert loaded is not None and loaded.ever_obligation("forum") is not None
    assert loaded.events[0].changes is not None
    assert loaded.events[0].changes.obligations_add[0].text == "포럼: 연 1회, 공동 개최"


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "term.ends=2026-06-30",
            "--set 'term.ends=2026-06-30': expected FIELD=VALUE with FIELD one of term.end,",
        ),
        ("term.end", "--set 'term.end': expected FIELD=VALUE"),
        ("term.end=[2026", "--set term.end=[2026: the value does not read as YAML"),
        ("term.end=2026-02-30", "events[0].changes.term.end: expected a date such as 2025-02-25"),
        ("renewal.notice.by=[mayor]", "events[0].changes.renewal.notice.by: unknown party 'mayor'"),
    ],
)
def test_record_amended_refuses_bad_changes_and_leaves_the_file(
    tmp_path: Path, setting: str, message: str
) -> None:
    path = case_file(tmp_path)
    before = path.read_bytes()
    result = run(
        *("record", "amended", "--agreement", "amended-mou", "--date", "2025-09-01", "--ref", "r"),
        *("--set", setting, str(tmp_path)),
    )
    assert result.exit_code == 2 and message in result.output, result.output
    assert path.read_bytes() == before


def test_set_is_only_for_amendments(tmp_path: Path) -> None:
    case_file(tmp_path)
    result = run(
        *("record", "fulfilled", "--agreement", "amended-mou", "--obligation", "city-space", "--ref", "r"),
        *("--set", "term.end=2026-06-30", str(tmp_path)),
    )
    assert result.exit_code == 2 and "a 'fulfilled' event has none" in result.output


# -- the digest and the report --------------------


def test_a_deadline_moved_by_an_amendment_is_mailed_again_as_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    registry = tmp_path / "registry"
    registry.mkdir()
    text = CASE.read_text("utf-8").replace("city: {name: ○○시}", "city: {name: ○○시, owners: [city-desk]}")
    amendment = '{date: 2025-10-15, type: amended, ref: "변경협약서", changes: {renewal.notice.lead: 2m}}'
    case_file(registry, amendment, text=text)
    (registry / "contacts.yaml").write_text("city-desk: {name: 시 담당, email: city@example.org}\n", "utf-8")
    env = {"OBLIGATIONS_MAIL_FROM": "obligations@example.org"}
    outbox = tmp_path / "outbox"
    bodies = []
    for day in ("2025-10-14", "2025-10-15"):
        result = run("notify", str(registry), "--as-of", day, "--outbox", str(outbox), env=env)
        assert result.exit_code == 0, result.output
        [sent] = outbox.glob(f"{day}-*.eml")
        message = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
        plain = message.get_body(("plain",))
        assert plain is not None
        bodies.append(plain.get_content())
    assert "[신규] [경고] 2025-11-28" in bodies[0]
    assert "[변경됨] [경고] 2025-10-30" in bodies[1] and "2025-11-28" not in bodies[1]


def test_the_report_marks_the_amendment_on_the_timeline(tmp_path: Path) -> None:
    path = case_file(tmp_path, EXTENSION)
    out = tmp_path / "report.html"
    result = run("report", str(path), "--as-of", "2025-10-01", "--output", str(out))
    assert result.exit_code in (0, 1), result.output
    page = out.read_text("utf-8")
    assert "2025-09-01 변경: 변경협약서(2025. 9. 1.) 제1조 term.end → 2026-06-30" in page
    assert "원 협약기간 2025-01-02~2026-06-30" in page


def test_the_calendar_moves_the_notice_date_when_the_amendment_takes_effect(tmp_path: Path) -> None:
    path = case_file(tmp_path, EXTENSION)
    ics = tmp_path / "mou.ics"
    first = run("calendar", str(path), "--as-of", "2025-08-31", "--output", str(ics))
    assert first.exit_code == 0 and "DTSTART;VALUE=DATE:20251128" in ics.read_text("utf-8")
    second = run("calendar", str(path), "--as-of", "2025-09-01", "--output", str(ics))
    assert second.exit_code == 0 and "2 moved" in second.output, second.output
    exported = ics.read_text("utf-8")
    assert "DTSTART;VALUE=DATE:20251128" not in exported and "DTSTART;VALUE=DATE:20260529" in exported


# -- the property: an amendment never reaches back --------------------

SIGNED = dt.date(2025, 1, 2)
CHANGES = st.one_of(
    st.builds(lambda d: {"term.end": d.isoformat()}, st.dates(dt.date(2025, 1, 2), dt.date(2029, 12, 31))),
    st.sampled_from([{"term.length": v} for v in ("6m", "18m", "2y", "45d")]),
    st.sampled_from([{"renewal.notice.lead": v} for v in ("2w", "2m", "3m", None)]),
    st.sampled_from([{"renewal.automatic": False}, {"renewal.length": "6m"}, {"renewal.length": "2y"}]),
    st.sampled_from([{"renewal.max_renewals": v} for v in (0, 1, 2, None)]),
    st.just({"obligations.remove": ["library-report", "city-space"]}),
    st.just(
        {
            "obligations.add": [
                {"id": "forum", "clause": "2", "party": "city", "text": "t", "schedule": {"every": "quarter"}}
            ]
        }
    ),
)
BASE = load_registry([Path(__file__).parent / "scenarios" / "cases"])
DOCUMENT = read_document(CASE)


def _findings(events: list[dict[str, Any]], as_of: dt.date) -> tuple[list[Finding], list[Any]]:
    case = CaseFile(CASE, agreement(*events), DOCUMENT)
    registry = Registry(cases=[case], contacts=BASE.contacts, calendar=BASE.calendar)
    report = run_check(as_of=as_of, registry=registry)
    return report.findings, report.problems


def _dated_before(findings: list[Finding], day: dt.date) -> set[tuple[Any, ...]]:
    """The findings all of whose dates (the due day, and a notice's legal deadline) are before ``day``: what
    fell due before it. A renewal decided before an amendment but beginning after it is not among them (the
    amendment may move the end of the term it follows)."""
    return {
        (f.id, f.code, f.party, f.obligation, f.period, f.due, f.legal, f.severity)
        for f in findings
        if f.due is not None and max(f.due, f.legal or f.due) < day
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=CHANGES,
    on=st.dates(dt.date(2025, 1, 2), dt.date(2027, 12, 31)),
    as_of=st.dates(dt.date(2025, 1, 2), dt.date(2029, 12, 31)),
)
def test_an_amendment_never_changes_a_finding_dated_before_it(
    changes: dict[str, Any], on: dt.date, as_of: dt.date
) -> None:
    amendment = {"date": on.isoformat(), "type": "amended", "ref": "변경협약서", "changes": changes}
    try:
        compile_agreement(agreement(amendment), on, BASE.calendar, until=on)
    except AmendmentError:
        assume(False)  # an amendment that could not have been made (after the end, an end before it)
    without, _ = _findings([], as_of)
    amended, problems = _findings([amendment], as_of)
    assert not problems
    if as_of < on:  # not yet known: the agreement reads as before, every finding the same
        assert {(f.id, f.due, f.message) for f in amended} == {(f.id, f.due, f.message) for f in without}
    else:
        assert _dated_before(amended, on) == _dated_before(without, on)


def test_the_json_schema_takes_an_amendment_and_refuses_a_typo_in_its_changes() -> None:
    schema = json.loads((Path(__file__).parent.parent / "docs" / "case-file.schema.json").read_text("utf-8"))
    data = yaml.load(CASE.read_text("utf-8"), Loader=yaml.BaseLoader)  # every scalar as text, as typed
    data["events"] = [
        {"date": "2025-09-01", "type": "amended", "ref": "r", "changes": {"term.end": "2026-06-30"}}
    ]
    data["term"] = {"clause": "제5조", "end": "2025-12-31"}
    data["renewal"] = {"length": "1y", "automatic": True, "max_renewals": 3}
    jsonschema.validate(data, schema)
    data["events"][0]["changes"] = {"term.ends": "2026-06-30"}
    with pytest.raises(jsonschema.ValidationError, match=r"'term\.ends' was unexpected"):
        jsonschema.validate(data, schema)
    data["events"][0]["changes"] = {}
    with pytest.raises(
        jsonschema.ValidationError, match=r"should be non-empty|does not have enough properties"
    ):
        jsonschema.validate(data, schema)


def test_the_examples_in_the_amendments_module_hold() -> None:
    failures, tried = doctest.testmod(amendments_module)
    assert tried >= 1 and failures == 0


def test_an_id_removed_by_one_amendment_cannot_be_added_by_a_later_one(tmp_path: Path) -> None:
    path = case_file(
        tmp_path,
        "{date: 2025-09-01, type: amended, changes: {obligations.remove: [city-space]}}",
        "{date: 2025-10-01, type: amended, changes: {obligations.add: [{id: city-space, clause: x, "
        "party: city, text: y}]}}",
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "events[1].changes.obligations.add[0].id: obligation 'city-space' was removed on 2025-09-01" in (
        result.output
    )
