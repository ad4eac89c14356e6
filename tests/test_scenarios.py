"""Scenarios (OpenFisca style): cases/scenarios/*.yaml name a case file, an as-of day, events, and the exact
set of findings an analyst working the Civil Act by hand expects. A failure prints the scenario's sentence
and the difference: what was expected and missing, what came and was not expected.

tests/scenarios/*.yaml are written the same way about test agreements (tests/scenarios/cases/) that are not
part of the bundled registry: one per form of recurring duty and the evidence clock across renewals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from obligations.checking import calendar_fact, run_check
from obligations.compile import compile_agreement, horizon_end
from obligations.duration import Duration
from obligations.findings import Finding
from obligations.loading import read_document
from obligations.model import Agreement, reference_problems
from obligations.policy import event_problems
from obligations.registry import CaseFile, Registry, load_registry, open_registry
from obligations.resources import cases_dir

SCENARIOS = [
    *sorted((cases_dir() / "scenarios").glob("*.yaml")),
    *sorted((Path(__file__).parent / "scenarios").glob("*.yaml")),
]
FIELDS = ("code", "party", "obligation", "period", "due", "severity")


def _scenarios() -> list[Any]:
    params = []
    for path in SCENARIOS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for scenario in data["scenarios"]:
            params.append(pytest.param(path, data["case"], scenario, id=f"{path.stem}: {scenario['name']}"))
    return params


def _key(finding: Finding) -> tuple[str, ...]:
    due = finding.due.isoformat() if finding.due else ""
    return (
        finding.code,
        finding.party,
        finding.obligation or "",
        finding.period or "",
        due,
        finding.severity.value,
    )


def _expected_key(item: dict[str, Any]) -> tuple[str, ...]:
    unknown = set(item) - set(FIELDS)
    assert not unknown, f"unknown keys in an expected finding: {unknown}"
    due = item.get("due")
    return (
        item["code"],
        item["party"],
        item.get("obligation") or "",
        str(item.get("period") or ""),
        str(due) if due else "",
        item["severity"],
    )


def _registry(scenario_file: Path, case: str, events: list[dict[str, Any]]) -> Registry:
    base = load_registry([cases_dir()])
    document = read_document(scenario_file.parent / case)
    data = dict(document.data)
    data["events"] = [*data.get("events", []), *events]
    folder = (scenario_file.parent / case).parent
    policy = open_registry([folder]).policies.get(folder)  # the policy.yaml beside the case, if any
    agreement = Agreement.model_validate(data).under(policy)
    assert not reference_problems(agreement), reference_problems(agreement)
    assert not event_problems(agreement, policy), event_problems(agreement, policy)
    return Registry(
        cases=[CaseFile(scenario_file, agreement, document)], contacts=base.contacts, calendar=base.calendar
    )


def engine_cases() -> list[dict[str, Any]]:
    """Every scenario's compiled facts and its calendar fact (the sentinel), as plain JSON-ready data: what
    the engine is given for each scenario (tests/test_engine.py, benchmarks/engine_join_crash.py)."""
    cases = []
    for param in _scenarios():
        path, case, scenario = param.values
        registry = _registry(path, case, scenario.get("events", []))
        as_of = scenario["as_of"]
        until = horizon_end(as_of, Duration(days=60))
        facts = compile_agreement(registry.cases[0].agreement, as_of, registry.calendar, until=until).facts
        cases.append({"facts": facts, "sentinel": calendar_fact(as_of, until, registry.calendar)})
    return cases


def test_scenarios_are_found() -> None:
    assert len(SCENARIOS) >= 8, "the scenario files of cases/scenarios/ and tests/scenarios/ were not found"


@pytest.mark.parametrize(("path", "case", "scenario"), _scenarios())
def test_scenario(path: Path, case: str, scenario: dict[str, Any]) -> None:
    registry = _registry(path, case, scenario.get("events", []))
    as_of = scenario["as_of"]
    assert isinstance(as_of, dt.date)
    horizon = Duration.parse(scenario.get("horizon", "60d"))
    report = run_check(as_of=as_of, horizon=horizon, registry=registry)
    only = set(scenario.get("only_codes", ()))
    got = {_key(f) for f in report.findings if not only or f.code in only}
    expected = {_expected_key(item) for item in scenario["expect"]}
    assert not report.problems
    missing = sorted(expected - got)
    unexpected = sorted(got - expected)
    diff = [f"  missing:    {' | '.join(k)}" for k in missing] + [
        f"  unexpected: {' | '.join(k)}" for k in unexpected
    ]
    assert not diff, f"\n{scenario['name']} (as of {as_of}):\n" + "\n".join(diff)
    for finding in report.findings:  # every finding explains itself, and the explanation ends at its date
        if finding.due and finding.explain:
            assert finding.due.isoformat() in "\n".join(finding.explain), finding
