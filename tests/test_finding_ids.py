"""A finding's id is the same for the same duty, party and occurrence on every day it is reported, across
renewals and terminations too, for every code; and two findings of one day never share an id.

The occurrence is what a reader sees of it: the code, the party, the obligation, the period (of a recurring
duty's occurrence or of a lapsed term) and the date (a due, a term's end, a renewal's start). Agreements
come from the synthetic registry's generator (tests/synthetic.py), with a recurring duty added to some and a
body's policy (reviews, renewal decisions, dormancy) binding half of them.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import agreement as synthetic_agreement
from two_term import two_term_registry

from obligations.checking import rulebook, run_check
from obligations.cli import cli
from obligations.findings import Finding
from obligations.loading import Document
from obligations.model import Agreement, Policy, reference_problems
from obligations.notify.ledger import Mailed
from obligations.registry import CaseFile, Registry, load_registry
from obligations.resources import cases_dir
from obligations.views.resolution import identify

Occurrence = tuple[str, str, str, str, str]
POLICY = Policy.model_validate(
    {"review": {"every": "year", "due": "12-31"}, "renewal_review": "1m", "dormant_after": "6m"}
)


@cache
def _base() -> Registry:
    return load_registry([cases_dir()])


def _data(seed: int) -> dict[str, Any]:
    """A synthetic agreement; one in three gets a quarterly report too (occurrences named by periods)."""
    rng = random.Random(seed)
    data = synthetic_agreement(rng, seed % 1000 + 1)
    if "term" in data and rng.random() < 0.35:
        party = next(iter(data["parties"]))
        report = {"id": "report", "clause": "제7조", "party": party, "text": "분기 보고"}
        data["obligations"].append({**report, "schedule": {"every": "quarter", "due": "end+15d"}})
    return data


def _registry(seed: int) -> Registry | None:
    try:
        agreement = Agreement.model_validate(_data(seed))
    except ValueError:
        return None  # a combination the format refuses (the generator does not know every rule)
    if reference_problems(agreement):
        return None
    if seed % 2:  # half of them under a body's policy.yaml: reviews, renewal decisions, dormancy
        agreement = agreement.under(POLICY)
    return _alone(agreement)


def _alone(agreement: Agreement) -> Registry:
    """A registry of ``agreement`` alone, with the bundled contacts and calendar."""
    path = cases_dir() / f"{agreement.id}.yaml"
    case = CaseFile(path, agreement, Document(path, {}, {}))
    return Registry(cases=[case], contacts=_base().contacts, calendar=_base().calendar)


def _occurrence(finding: Finding) -> Occurrence:
    return (
        finding.code,
        finding.party,
        finding.obligation or "",
        finding.period or "",
        finding.due.isoformat() if finding.due else "",
    )


def _ids_by_occurrence(registry: Registry, days: list[date]) -> dict[Occurrence, set[str]]:
    """Every occurrence reported on any of ``days``, with the ids it had; asserts that one day's findings
    have distinct ids."""
    seen: dict[Occurrence, set[str]] = {}
    for day in days:
        findings = run_check(as_of=day, registry=registry).findings
        ids = [finding.id for finding in findings]
        assert len(ids) == len(set(ids)), f"two findings share an id on {day}: {sorted(ids)}"
        for finding in findings:
            seen.setdefault(_occurrence(finding), set()).add(finding.id)
    return seen


def _days(registry: Registry, offsets: list[int]) -> list[date]:
    signed = registry.cases[0].agreement.signed
    return sorted({signed + timedelta(days=offset) for offset in offsets})


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), offsets=st.lists(st.integers(-30, 3650), min_size=2, max_size=8))
def test_an_occurrence_has_one_id_on_every_day(seed: int, offsets: list[int]) -> None:
    registry = _registry(seed)
    if registry is None:
        return
    for occurrence, ids in _ids_by_occurrence(registry, _days(registry, offsets)).items():
        assert len(ids) == 1, f"{occurrence} was reported with several ids: {sorted(ids)}"


def _told(finding: Finding) -> Mailed:
    """What the ledger keeps of a mailed finding: no party, no obligation."""
    return Mailed(
        finding.id, "team@example.org", "팀", finding.severity.value, finding.severity.rank, finding.code,
        finding.agreement, finding.agreement_title, finding.label, finding.due, finding.message, frozenset(),
    )  # fmt: skip


def test_the_ledger_recovers_party_and_obligation_from_the_id_of_every_code() -> None:
    """What a digest needs to say why a mailed finding was resolved: recomputed from its id alone."""
    codes: set[str] = set()
    for seed in range(12):
        registry = _registry(seed)
        if registry is None:
            continue
        agreement = registry.cases[0].agreement
        found: dict[str, Finding] = {}
        for day in _days(registry, list(range(0, 3650, 90))):
            found.update((f.id, f) for f in run_check(as_of=day, registry=registry).findings)
        for finding in found.values():
            recovered = identify(_told(finding), agreement)
            assert recovered is not None, finding
            assert recovered == (finding.party, finding.obligation)
            codes.add(finding.code)
    assert len(codes) >= 8, codes


def test_an_amended_due_keeps_the_id_of_its_duty() -> None:
    data = _data(0)
    data.update(term={"clause": "제6조", "start": date(2025, 1, 1), "end": date(2025, 12, 31)}, events=[])
    plan = {"id": "plan", "clause": "제3조", "party": next(iter(data["parties"])), "text": "운영계획 수립"}
    ids = set()
    for due in (date(2025, 3, 31), date(2025, 4, 30)):
        data["obligations"] = [{**plan, "due": due}]
        registry = _alone(Agreement.model_validate(data))
        ids |= {
            f.id for f in run_check(as_of=date(2025, 6, 1), registry=registry).findings if f.code == "overdue"
        }
    assert len(ids) == 1


def test_every_code_is_exercised_with_one_id_per_occurrence() -> None:
    """The same property over fixed agreements and days (every 45 days over ten years), and proof that the
    agreements reach every finding code, so that the property above is not vacuous for any of them."""
    codes: set[str] = set()
    for seed in range(40):
        registry = _registry(seed)
        if registry is None:
            continue
        for occurrence, ids in _ids_by_occurrence(
            registry, _days(registry, list(range(0, 3650, 45)))
        ).items():
            assert len(ids) == 1, f"seed {seed}: {occurrence} was reported with several ids: {sorted(ids)}"
            codes.add(occurrence[0])
    assert codes == {rule.code for rule in rulebook()}


def test_ids_across_the_renewal_and_the_end_of_the_two_term_agreement(tmp_path: Path) -> None:
    """The plan overdue since 2025-03-31, the 2025 lapses and the surviving clause keep their ids from the
    last days of the first term, through the renewal, to after the end."""
    folder = two_term_registry(tmp_path / "cases")

    def ids(day: str) -> dict[tuple[str, str, str], str]:
        result = CliRunner().invoke(cli, ["check", str(folder), "--as-of", day, "--format", "json"])
        return {
            (f["code"], f["party"], f["period"] or ""): f["id"]
            for f in json.loads(result.output)["findings"]
            if f["code"] in ("overdue", "role-lapsed", "surviving")
        }

    before, after, later, ended = (
        ids(day) for day in ("2025-12-30", "2026-01-02", "2026-06-01", "2027-01-05")
    )
    assert before == {("overdue", "city", ""): "overdue-b35dd814"}
    assert after.items() >= before.items() and later == after
    assert len(after) == 3  # the overdue plan and both roles' 2025 lapses
    assert ended.items() >= after.items()
    assert {key[0] for key in ended.keys() - after.keys()} == {"role-lapsed", "surviving"}


def test_the_ledger_recovers_a_lapse_past_the_hundredth_term() -> None:
    """Monthly renewals with no cap since 2010: a lapse of term 150 is still traced back to its role."""
    data = {
        "id": "monthly-mou", "title": "매월 연장 협약", "signed": date(2010, 1, 1),
        "parties": {"city": {"name": "○○시"}},
        "term": {"clause": "제2조", "start": date(2010, 1, 1), "length": "1m"},
        "renewal": {"clause": "제2조", "automatic": True, "length": "1m", "notice": {"lead": None}},
        "obligations": [{"id": "city-space", "clause": "제3조", "party": "city", "text": "공간 제공"}],
        "events": [],
    }  # fmt: skip
    agreement = Agreement.model_validate(data)
    registry = _alone(agreement)
    lapses = [
        f for f in run_check(as_of=date(2025, 11, 1), registry=registry).findings if f.code == "role-lapsed"
    ]
    assert max(int(f.occurrence) for f in lapses) > 150
    for finding in lapses:
        recovered = identify(_told(finding), agreement)
        assert recovered == ("city", "city-space"), finding.period
