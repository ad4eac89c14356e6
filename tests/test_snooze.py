"""``obligations snooze``: recorded in the ledger, listed, lifted, and honoured by notify until its date."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from notify_support import Handler, finding, notify, settings_for, smtp_server

from obligations.cli import cli
from obligations.notify.ledger import Ledger, active_snoozes
from obligations.notify.settings import KEYS
from obligations.resources import cases_dir


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def test_a_snoozed_finding_is_not_mailed_until_the_date(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    with Ledger.open(ledger) as opened:
        opened.snooze("notice-window-00000001", date(2025, 11, 20), "재계약 협의 중", at=datetime.now())
    handler = Handler()
    other = finding("expiring-00000002", code="expiring")
    with smtp_server(handler) as server:
        settings = settings_for(server.port, tmp_path)
        for day in (date(2025, 11, 1), date(2025, 11, 19), date(2025, 11, 20), date(2025, 11, 20)):
            result = notify([finding(as_of=day), other], settings, ledger, as_of=day)
            if day < date(2025, 11, 20):
                assert result.snoozed == 1 and "1 snoozed" in result.summary()
    plains = [r.message.get_body(("plain",)).get_content() for r in handler.received]  # type: ignore[union-attr]
    assert len(plains) == 2
    assert "notice-window-00000001" not in plains[0] and "expiring-00000002" in plains[0]
    assert "notice-window-00000001" in plains[1]  # on the 20th: 8 days left, milestone 14 reached meanwhile


def test_snooze_list_and_lift_through_the_command_line(tmp_path: Path) -> None:
    ledger = ["--ledger", str(tmp_path / "l.sqlite"), "--as-of", "2025-11-01"]
    until = "2025-11-20"
    runner = CliRunner()
    empty = runner.invoke(cli, ["snooze", "--list", *ledger[:2]])
    assert empty.exit_code == 0 and "no snoozes" in empty.output and not (tmp_path / "l.sqlite").exists()
    made = runner.invoke(
        cli,
        [
            "snooze",
            "notice-window-47d8e740",
            "--until",
            until,
            "--reason",
            "재계약 협의 중\n(회의 예정)",
            *ledger,
        ],
    )
    assert made.exit_code == 0, made.output
    assert (
        made.output == f"snoozed notice-window-47d8e740 until {until} (mailed again from that day): "
        "재계약 협의 중 (회의 예정)\n"
    )
    listed = runner.invoke(cli, ["snooze", "--list", *ledger[:2]])
    assert listed.output.startswith(f"notice-window-47d8e740  until {until}  ")
    assert "재계약 협의 중 (회의 예정)" in listed.output
    assert set(active_snoozes(tmp_path / "l.sqlite", date(2025, 11, 1))) == {"notice-window-47d8e740"}
    lifted = runner.invoke(cli, ["snooze", "notice-window-47d8e740", "--lift", *ledger[:2]])
    assert lifted.exit_code == 0 and active_snoozes(tmp_path / "l.sqlite", date(2025, 11, 1)) == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["notice-window-1", "--reason", "x"], "--until DATE is required"),
        (
            ["notice-window-1", "--until", "2025-11-01", "--reason", "x", "--as-of", "2025-11-01"],
            "2025-11-01 is not after the as-of day (2025-11-01)",
        ),
        (
            ["notice-window-typo", "--until", "2025-11-20", "--reason", "x", "--as-of", "2025-11-01"],
            "no finding 'notice-window-typo' as of 2025-11-01 in 3 agreements, 0 problems — bundled sample "
            "registry; did you mean ",
        ),
        (["notice-window-1", "--until", "2099-01-01"], "--reason TEXT is required"),
        (["notice-window-1", "--until", "2099-01-01", "--reason", " \n "], "--reason TEXT is required"),
        (["Bad Id!", "--until", "2099-01-01", "--reason", "x"], "'Bad Id!' is not a finding id"),
        (["notice-window-1", "--until", "2099-13-01", "--reason", "x"], "2099-13-01"),
        ([], "give a FINDING_ID"),
        (["--list", "notice-window-1"], "--list takes no FINDING_ID"),
        (["notice-window-1", "--lift"], "'notice-window-1' is not snoozed"),
    ],
)
def test_snooze_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["snooze", *args, "--ledger", str(tmp_path / "l.sqlite")])
    assert result.exit_code == 2, result.output
    assert message in result.output


# The youth-shelter MOU: notice by 2025-11-29 (a Saturday), so the act-by day is Friday 2025-11-28.
_ACT_BY_REFUSAL = (
    "would stay silent until {until}, after its act-by day 2025-11-28 (the last working day on or before "
    "the legal deadline 2025-11-29): the owner would hear nothing on the last day they can act. The latest "
    "allowed is --until 2025-11-28 (mailed again that day); what would be missed: "
    "연장 거절 통지 기한 — 서울특별시: 1차 자동 연장"
)


@pytest.mark.parametrize(
    ("finding_id", "until", "refusal"),
    [
        ("notice-window-47d8e740", "2025-11-28", None),  # mailed again on the act-by day itself
        ("notice-window-47d8e740", "2025-11-29", _ACT_BY_REFUSAL.format(until="2025-11-29")),  # the legal day
        ("notice-window-47d8e740", "2025-12-01", _ACT_BY_REFUSAL.format(until="2025-12-01")),
        # A role expected once in the term: its due day is the term's last day.
        ("role-unfulfilled-3e17f5cc", "2025-12-31", None),
        (
            "role-unfulfilled-3e17f5cc",
            "2026-01-01",
            "would stay silent until 2026-01-01, after its due day 2025-12-31: the owner would hear nothing "
            "on the last day they can act. The latest allowed is --until 2025-12-31 (mailed again that day)",
        ),
        # Already overdue: no snooze ends in time, only --force silences it.
        (
            "overdue-1e3b83c5",
            "2025-11-02",
            "is past its due day 2025-03-31 already, so no snooze ends in time to act; what would be missed: "
            "기한 경과 — 서울특별시: 향후계획 ㅇ 1 국제교육도시연합 승인 후 회비 납부 (’25. 3월) — "
            "기한 2025-03-31 경과, 이행 기록 없음. Use --force to snooze it anyway",
        ),
    ],
)
def test_a_snooze_must_end_by_the_day_to_act(
    tmp_path: Path, finding_id: str, until: str, refusal: str | None
) -> None:
    ledger = tmp_path / "l.sqlite"
    args = ["snooze", finding_id, "--as-of", "2025-11-01", "--until", until, "--reason", "협의 중"]
    result = CliRunner().invoke(cli, [*args, "--ledger", str(ledger)])
    if refusal is None:
        assert result.exit_code == 0, result.output
        assert {k: s.until for k, s in active_snoozes(ledger, date(2025, 11, 1)).items()} == {
            finding_id: date.fromisoformat(until)
        }
        return
    assert result.exit_code == 2, result.output
    assert f"Error: not snoozed: {finding_id} {refusal}" in " ".join(result.output.split())
    assert active_snoozes(ledger, date(2025, 11, 1)) == {}
    forced = CliRunner().invoke(cli, [*args, "--force", "--ledger", str(ledger)])
    assert forced.exit_code == 0, forced.output
    assert {k: s.until for k, s in active_snoozes(ledger, date(2025, 11, 1)).items()} == {
        finding_id: date.fromisoformat(until)
    }


@pytest.mark.parametrize(
    ("until", "accepted"), [("2026-11-27", True), ("2026-11-28", False), ("2026-11-29", False)]
)
def test_in_the_renewed_term_a_snooze_ends_by_that_terms_act_by_day(
    tmp_path: Path, until: str, accepted: bool
) -> None:
    """In its first renewal, the youth-shelter MOU's notice stopping renewal 2 is due by Sunday 2026-11-29:
    Friday 2026-11-27 is the last day on which it can be sent."""
    ledger = tmp_path / "l.sqlite"
    args = ["snooze", "notice-window-278703ea", "--as-of", "2026-11-01", "--until", until, "--reason", "협의"]
    result = CliRunner().invoke(cli, [*args, "--ledger", str(ledger)])
    snoozed = {k: s.until for k, s in active_snoozes(ledger, date(2026, 11, 1)).items()}
    if accepted:
        assert result.exit_code == 0, result.output
        assert snoozed == {"notice-window-278703ea": date(2026, 11, 27)}
        return
    assert result.exit_code == 2 and snoozed == {}
    shown = " ".join(result.output.split())
    assert (
        f"would stay silent until {until}, after its act-by day 2026-11-27 (the last working day on or "
        "before the legal deadline 2026-11-29): the owner would hear nothing on the last day they can act. "
        "The latest allowed is --until 2026-11-27 (mailed again that day); what would be missed: "
        "연장 거절 통지 기한 — 서울특별시: 2차 자동 연장(2027-01-01~2027-12-31)"
    ) in shown


def test_force_snoozes_past_the_legal_deadline(tmp_path: Path) -> None:
    args = ["notice-window-47d8e740", "--as-of", "2025-11-01", "--until", "2025-12-01", "--reason", "재계약"]
    result = CliRunner().invoke(cli, ["snooze", *args, "--force", "--ledger", str(tmp_path / "l.sqlite")])
    assert result.exit_code == 0, result.output
    assert set(active_snoozes(tmp_path / "l.sqlite", date(2025, 11, 1))) == {"notice-window-47d8e740"}


def test_a_snooze_names_a_finding_of_the_registry_given(tmp_path: Path) -> None:
    registry = tmp_path / "cases"
    registry.mkdir()
    gimpo = cases_dir() / "seoul-gimpo-seoullearn-mou-2025.yaml"
    (registry / gimpo.name).write_bytes(gimpo.read_bytes())
    (registry / "contacts.yaml").write_bytes((cases_dir() / "contacts.yaml").read_bytes())
    args = ["notice-window-47d8e740", str(registry), "--as-of", "2025-11-01", "--until", "2025-11-20"]
    result = CliRunner().invoke(
        cli, ["snooze", *args, "--reason", "x", "--ledger", str(tmp_path / "l.sqlite")]
    )
    assert result.exit_code == 2
    assert (
        f"no finding 'notice-window-47d8e740' as of 2025-11-01 in 1 agreement, 0 problems — {registry}; "
        "known: none"
    ) in result.output


def test_notify_on_the_bundled_cases_honours_a_snooze(tmp_path: Path) -> None:
    ledger = ["--ledger", str(tmp_path / "l.sqlite")]
    runner = CliRunner()
    args = ["notice-window-47d8e740", "--as-of", "2025-11-01", "--until", "2025-11-20", "--reason", "협의 중"]
    snoozed = runner.invoke(cli, ["snooze", *args, *ledger])
    assert snoozed.exit_code == 0, snoozed.output
    handler = Handler()
    with smtp_server(handler) as server:
        env = {"OBLIGATIONS_SMTP_HOST": "127.0.0.1", "OBLIGATIONS_SMTP_PORT": str(server.port)}
        result = runner.invoke(cli, ["notify", "--as-of", "2025-11-01", *ledger], env=env)
    assert result.exit_code == 0, result.output
    assert "; 1 snoozed" in result.output
    youth = handler.by_recipient()["youth-counselling@example.org"][0].message
    plain = youth.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "notice-window-57e06c03" in plain and "notice-window-47d8e740" not in plain


def test_check_shows_a_snooze_and_does_not_fail_on_it(tmp_path: Path) -> None:
    ledger = ["--ledger", str(tmp_path / "l.sqlite")]
    runner = CliRunner()
    check = ["check", "--as-of", "2025-11-01", "--agreement", "youth-shelter-self-reliance-mou-2025"]
    before = runner.invoke(cli, [*check, "--party", "seoul", *ledger])
    assert before.exit_code == 1  # the notice window is a warning
    with Ledger.open(tmp_path / "l.sqlite") as opened:
        opened.snooze("notice-window-47d8e740", date(2025, 11, 20), "재계약 협의 중", at=datetime.now())
    table = runner.invoke(cli, [*check, "--party", "seoul", *ledger])
    assert "[알림 보류 ~2025-11-20]" in table.output
    assert table.exit_code == 0  # the only warning is snoozed; the rest are infos
    document = runner.invoke(cli, [*check, "--format", "json", *ledger]).output
    assert '"snoozed_until": "2025-11-20"' in document
    after = runner.invoke(
        cli,
        ["check", "--as-of", "2025-11-20", "--agreement", "youth-shelter-self-reliance-mou-2025", *ledger],
    )
    assert "snoozed" not in after.output  # on its date the snooze no longer holds
