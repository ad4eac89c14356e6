"""policy.yaml, the body's own rules for its agreements, as an analyst meets it: its errors, the events that
record its duties, which party owes them, and every view that shows them (explain, status, report, calendar,
digest). What each duty flags on which day is in the scenarios (tests/scenarios/policy-*.yaml).
"""

# ruff: noqa: E501 — the messages a user reads are compared whole, each as one string
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligations.cli import cli

POLICY_CASES = Path(__file__).parent / "scenarios" / "policy"
LIBRARY = "library-mou"
SOURCE = "○○시 업무협약 관리 조례 제7조·제8조"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A copy of tests/scenarios/policy: two test agreements, their contacts and the policy beside them."""
    folder = tmp_path / "registry"
    shutil.copytree(POLICY_CASES, folder)
    return folder


def findings(registry: Path, as_of: str, *args: str) -> list[dict[str, object]]:
    code, output = run(
        "check", str(registry), "--as-of", as_of, "--format", "json", "--fail-on", "never", *args
    )
    assert code == 0, output
    found = json.loads(output)["findings"]
    assert isinstance(found, list)
    return found


# -- policy.yaml --------------------

POLICY_ERRORS = [
    (
        "renewal_reviw: 30d",
        "policy.yaml:1: renewal_reviw: unknown key 'renewal_reviw'; did you mean 'renewal_review'? "
        "(a typo must not pass silently; see docs/policy.md)",
    ),
    (
        "council: {after_signing: 50 days}",
        "policy.yaml:1: council.after_signing: expected a length such as 1y, 6m, 2w, 30d or 1y 6m; got: '50 days'",
    ),
    (
        "dormant_after: 0d",
        "policy.yaml:1: dormant_after: a length must be longer than zero, such as 1y, 6m, 2w, 30d or 1y 6m; "
        "got: '0d'",
    ),
    (
        "review: {every: quarterly}",
        "policy.yaml:1: review.every: expected one of month, quarter, half-year, year, 2y, 3y (분기별 = quarter, "
        "반기별 = half-year, 격년 = 2y); got: 'quarterly' (e.g. 'every: quarter')",
    ),
    (
        "review: {every: quarter, due: 12-31}",
        "policy.yaml:1: review: 'due: 12-31' names a day of the year; it fits yearly schedules (year, 2y, 3y), "
        "not 'every: quarter' — e.g. 'due: end+15d'",
    ),
    ("from: 2025-02-30", "policy.yaml:1: from: expected a date such as 2025-02-25; got: '2025-02-30'"),
    (
        "source: x\nreview: {every: year, from: 2025-01-01}",
        "policy.yaml:1: the policy's reviews are owed from the policy's own 'from' (the day it took effect), not "
        "from one of their own; e.g. 'from: 2025-07-01' at the top level and 'review: {every: year, due: 12-31}'",
    ),
    (
        "- review",
        "policy.yaml:1: expected the policy's parts as a mapping, e.g. 'review: {every: year, due: 12-31}'",
    ),
    (
        "source: &a x\ndormant_after: *a",
        "policy.yaml:1: dormant_after: YAML aliases (*name) are not allowed in case files; write the value out",
    ),
    ("source: x\nsource: y", "policy.yaml:2: key 'source' appears twice in the same mapping"),
]


@pytest.mark.parametrize(("text", "message"), POLICY_ERRORS, ids=[text for text, _ in POLICY_ERRORS])
def test_a_bad_policy_is_named_by_file_line_and_field_and_the_case_files_are_still_read(
    registry: Path, text: str, message: str
) -> None:
    (registry / "policy.yaml").write_text(text + "\n", "utf-8")
    code, output = run("validate", str(registry))
    assert code == 2
    problems = [line.removeprefix(f"{registry}/") for line in output.splitlines() if "policy.yaml:" in line]
    assert problems == [message]
    assert f"ok  {registry / 'library-mou.yaml'}" in output
    assert (
        f"ok  {registry / 'shelter-mou.yaml'}" in output
    )  # its policy:council-signing event is taken as written


def test_with_an_unreadable_policy_the_agreements_own_findings_are_still_checked(registry: Path) -> None:
    (registry / "policy.yaml").write_text("review: [\n", "utf-8")
    code, output = run("check", str(registry), "--as-of", "2025-12-01", "--format", "json")
    assert code == 2
    document = json.loads(output)
    assert [error["file"] for error in document["errors"]] == [str(registry / "policy.yaml")]
    codes = {(f["agreement"], f["code"], f["obligation"]) for f in document["findings"]}
    assert ("shelter-mou", "notice-window", None) not in codes  # 2025-12-01: its window has closed
    assert ("shelter-mou", "renewed", None) in codes
    assert not any(str(obligation).startswith("policy:") for _, _, obligation in codes)


def test_an_empty_policy_binds_nothing(registry: Path) -> None:
    (registry / "policy.yaml").write_text("# 아직 정하지 않음\n", "utf-8")
    assert run("validate", str(registry))[0] == 2  # shelter-mou records a duty that this policy does not set
    (registry / "shelter-mou.yaml").write_text(
        (registry / "shelter-mou.yaml").read_text("utf-8").split("events:")[0], "utf-8"
    )
    assert run("validate", str(registry))[0] == 0
    found = findings(registry, "2026-06-01")
    assert not any(str(f["obligation"]).startswith("policy:") or f["code"] == "dormant" for f in found)


# -- events --------------------

BAD_EVENTS = """\
  - {date: 2025-04-01, type: fulfilled, obligation: "policy:reveiw", ref: a}
  - {date: 2025-04-01, type: fulfilled, obligation: "policy:review", party: library, ref: a}
  - {date: 2025-04-01, type: fulfilled, obligation: "policy:review", period: 2025-Q1, ref: a}
  - {date: 2025-04-01, type: fulfilled, obligation: "policy:council-signing", period: "2025", ref: a}
  - {date: 2025-04-01, type: waived, obligation: "policy:review", ref: a}
"""


def test_events_that_do_not_fit_the_policy_are_refused_with_a_good_example(registry: Path) -> None:
    case = registry / "library-mou.yaml"
    case.write_text(case.read_text("utf-8").replace("events: []\n", "events:\n" + BAD_EVENTS), "utf-8")
    code, output = run("validate", str(registry))
    assert code == 2
    problems = [
        line.split("library-mou.yaml:", 1)[1] for line in output.splitlines() if "library-mou.yaml:" in line
    ]
    assert problems == [
        "14: events[0].obligation: unknown policy duty 'policy:reveiw'; did you mean 'policy:review'? (policy.yaml "
        "sets: policy:review, policy:council-signing, policy:council-ending, policy:renewal-review)",
        "15: events[1].party: 'library' is not the body's own party, which the policy binds (the parties with "
        "owners: city); e.g. 'party: city'",
        "16: events[2].period: this duty recurs every year (매년); name its period like '2025', not '2025-Q1' (the "
        "policy's reviews recur every year: 2025)",
        "17: events[3].period: 'policy:council-signing' is not recurring, so it has no periods; drop 'period'",
        "18: events[4].period: a 'waived' review names the period it waives, e.g. 'period: 2025'",
    ]


def test_a_policy_duty_without_a_policy_or_on_a_plan_is_refused(tmp_path: Path) -> None:
    shutil.copy(POLICY_CASES / "contacts.yaml", tmp_path)
    text = (POLICY_CASES / "shelter-mou.yaml").read_text("utf-8")
    (tmp_path / "shelter-mou.yaml").write_text(text, "utf-8")
    code, output = run("validate", str(tmp_path))
    assert code == 2
    assert (
        "shelter-mou.yaml:14: events[0].obligation: 'policy:council-signing' is a duty of the body's policy, but no "
        "policy.yaml is read beside this file; add one (e.g. 'review: {every: year, due: 12-31}') or name one of "
        "the file's own obligations"
    ) in output
    shutil.copy(POLICY_CASES / "policy.yaml", tmp_path)
    plan = text.replace("id: shelter-mou", "id: shelter-plan\nkind: plan")
    (tmp_path / "shelter-mou.yaml").write_text(plan, "utf-8")
    code, output = run("validate", str(tmp_path))
    assert code == 2
    assert (
        "events[0].obligation: 'policy:council-signing' is a duty of the policy, which binds agreements, not plans"
    ) in output


def test_record_a_review_and_it_resolves_the_finding(registry: Path) -> None:
    before = {f["id"]: f for f in findings(registry, "2025-12-20", "--agreement", LIBRARY)}
    review = next(f for f in before.values() if f["obligation"] == "policy:review")
    assert (review["code"], review["period"], review["due"]) == ("due-soon", "2025", "2025-12-31")
    code, output = run(
        "record",
        "fulfilled",
        "--agreement",
        LIBRARY,
        "--obligation",
        "policy:review",
        "--period",
        "2025",
        "--date",
        "2025-12-20",
        "--ref",
        "독서진흥과-900",
        "--note",
        "추진 상황 점검: 정상",
        "--as-of",
        "2025-12-20",
        str(registry),
    )
    assert code == 0, output
    line = (
        '{date: 2025-12-20, type: fulfilled, obligation: "policy:review", period: "2025", ref: "독서진흥과-900", '
        'note: "추진 상황 점검: 정상"}'
    )
    assert output.splitlines() == [
        f"recorded in {registry / 'library-mou.yaml'}: {line}",
        f"resolves as of 2025-12-20: {review['id']}",
    ]
    assert (registry / "library-mou.yaml").read_text("utf-8").endswith(f"events:\n  - {line}\n")
    assert review["id"] not in {f["id"] for f in findings(registry, "2025-12-20")}


def test_record_refuses_a_policy_duty_the_policy_does_not_set(registry: Path) -> None:
    before = (registry / "library-mou.yaml").read_bytes()
    code, output = run(
        "record", "fulfilled", "--agreement", LIBRARY, "--obligation", "policy:reveiw", "--date", "2025-12-20",
        "--ref", "x", str(registry),
    )  # fmt: skip
    assert code == 2
    assert "unknown policy duty 'policy:reveiw'; did you mean 'policy:review'?" in output
    assert (registry / "library-mou.yaml").read_bytes() == before


# -- who owes it --------------------


def test_the_policy_binds_every_party_with_owners_and_a_record_without_a_party_closes_it_for_all(
    registry: Path,
) -> None:
    case = registry / "library-mou.yaml"
    text = case.read_text("utf-8").replace(
        "{name: △△도서관}", "{name: ○○시 도서관과, owners: [youth-counselling]}"
    )
    case.write_text(text, "utf-8")
    signing = {
        (f["party"], tuple(f["owners"]))  # type: ignore[arg-type]
        for f in findings(registry, "2025-05-06", "--agreement", LIBRARY)
        if f["obligation"] == "policy:council-signing"
    }
    assert signing == {("city", ("edu-platform-planning",)), ("library", ("youth-counselling",))}
    event = (
        '  - {date: 2025-05-02, type: fulfilled, obligation: "policy:council-signing", ref: 의회보고-11}\n'
    )
    case.write_text(text.replace("events: []\n", "events:\n" + event), "utf-8")
    assert not [f for f in findings(registry, "2025-05-06", "--agreement", LIBRARY) if f["obligation"]]


def test_an_agreement_without_owners_is_warned_about(registry: Path) -> None:
    case = registry / "library-mou.yaml"
    case.write_text(case.read_text("utf-8").replace(", owners: [edu-platform-planning]", ""), "utf-8")
    code, output = run("validate", str(registry))
    assert code == 0
    assert (
        f"warning: {case}:6: parties: policy.yaml binds this agreement, but no party has owners, so its duties "
        "fall on no one; give the body's own party its owners, e.g. 'owners: [edu-platform-planning]'"
    ) in output


# -- views --------------------


@pytest.mark.parametrize(
    ("as_of", "obligation", "code", "dated"),
    [
        ("2025-05-06", "policy:council-signing", "due-soon", "2025-05-07"),
        ("2025-12-24", "policy:review", "due-soon", "2025-12-31"),
        ("2026-03-20", None, "dormant", "2026-03-14"),
        ("2027-04-01", "policy:council-ending", "due-soon", "2027-04-13"),
        ("2025-10-01", "policy:renewal-review", "due-soon", "2025-10-28"),
    ],
)
def test_explain_cites_the_policy_for_every_date_it_sets(
    registry: Path, as_of: str, obligation: str | None, code: str, dated: str
) -> None:
    found = next(f for f in findings(registry, as_of) if f["obligation"] == obligation and f["code"] == code)
    status, output = run("explain", str(found["id"]), str(registry), "--as-of", as_of)
    assert status == 0, output
    steps = [line.strip() for line in output.splitlines() if line.startswith("  ") and ". " in line]
    assert steps[0] == f"1. 근거: {SOURCE} (policy.yaml)"
    assert dated in steps[-1]
    english = run("explain", str(found["id"]), str(registry), "--as-of", as_of, "--lang", "en")[1]
    assert f"1. under {SOURCE} (policy.yaml)" in english


def test_status_shows_a_policy_duty_as_the_next_deadline(registry: Path) -> None:
    code, output = run("status", str(registry), "--as-of", "2025-04-20", "--format", "json")
    assert code in (0, 1), output
    rows = {row["id"]: row for row in json.loads(output)["agreements"]}
    nxt = rows[LIBRARY]["next"]
    assert (nxt["date"], nxt["code"]) == ("2025-05-07", "next-due")
    assert nxt["what"] == f"○○시: {SOURCE} 체결 후 50일 이내 의회 보고"


def test_the_calendar_exports_policy_dues(registry: Path, tmp_path: Path) -> None:
    output = tmp_path / "policy.ics"
    code, said = run("calendar", str(registry), "--as-of", "2025-04-20", "--output", str(output))
    assert code == 0, said
    text = output.read_text("utf-8").replace("\r\n ", "")
    assert "UID:library-mou/due/policy:council-signing@obligations" in text
    assert "UID:library-mou/due/policy:review/2025@obligations" in text
    assert "UID:shelter-mou/due/policy:renewal-review@obligations" in text


def test_the_digest_and_the_report_carry_the_policy(registry: Path, tmp_path: Path) -> None:
    code, output = run(
        "notify",
        str(registry),
        "--as-of",
        "2025-12-24",
        "--dry-run",
        "--ledger",
        str(tmp_path / "ledger.sqlite"),
    )
    assert code == 0, output
    assert f"○○시: {SOURCE} 업무협약 추진 상황 점검·기록 (매년) (2025년분, 2025) — 2025-12-31까지" in output
    page = tmp_path / "report.html"
    code, _ = run("report", str(registry), "--as-of", "2026-01-10", "--output", str(page))
    assert code == 0
    html = page.read_text("utf-8")
    assert '<p class="meta reviews">정기 점검: 기록 없음; 미이행 2025 (기한 2025-12-31, 긴급)</p>' in html


def test_a_digest_says_which_record_resolved_a_policy_duty(registry: Path) -> None:
    from obligations.notify.ledger import Mailed
    from obligations.registry import load_registry
    from obligations.views.resolution import why_resolved

    found = next(f for f in findings(registry, "2025-05-06") if f["obligation"] == "policy:council-signing")
    told = Mailed(
        str(found["id"]), "edu-platform-planning@example.org", "교육플랫폼기획팀", "critical", 2, "due-soon",
        LIBRARY, "", "기한 임박", dt.date(2025, 5, 7), "", frozenset(),
    )  # fmt: skip
    case = registry / "library-mou.yaml"
    event = (
        '  - {date: 2025-05-07, type: fulfilled, obligation: "policy:council-signing", ref: 의회보고-11}\n'
    )
    case.write_text(case.read_text("utf-8").replace("events: []\n", "events:\n" + event), "utf-8")
    agreement = next(c.agreement for c in load_registry([registry]).cases if c.agreement.id == LIBRARY)
    assert why_resolved(told, agreement, dt.date(2025, 5, 8), "ko") == "2025-05-07 이행 기록 (의회보고-11)"
