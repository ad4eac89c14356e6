"""Tests of the durable_rules adapter: one or more tests per defect listed in obligations/engine.py.

Where feasible a test first shows the defect on the raw engine (the naive path), then that evaluate()
neutralises it. The raw demonstrations use a thread-free Host so that they do not leak timer threads.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from durable import engine as durable_engine

from obligations import engine
from obligations.engine import PRIVATE_PREFIX, EngineError, Match, evaluate

SENTINEL = {"kind": "calendar", "day": 739556, "wd": 6543}
EVERY_OBLIGATION = {"every": {"all": [{"o": {"kind": "obligation"}}]}}


class _RawHost(durable_engine.Host):  # type: ignore[misc]
    """The raw engine for demonstrations, minus the timer threads (fact 1)."""

    def _run(self) -> None:
        pass


@pytest.fixture
def raw() -> Iterator[Any]:
    """make(rules) -> (host, fired): a raw ruleset 'raw' whose actions append (rule, message) to fired."""
    made: list[Any] = []

    def make(rules: dict[str, Any]) -> tuple[Any, list[tuple[str, Any]]]:
        fired: list[tuple[str, Any]] = []

        def recorder(name: str) -> Any:
            return lambda c: fired.append((name, c._m))  # one parameter: a synchronous action

        definition = {name: {**rule, "run": recorder(name)} for name, rule in rules.items()}
        host = _RawHost()
        host.set_rulesets({"raw": definition})
        made.append(host.get_ruleset("raw"))
        return host, fired

    yield make
    for ruleset in made:
        durable_engine.durable_rules_engine.delete_ruleset(ruleset._handle)


def obligation(number: int, **extra: Any) -> dict[str, Any]:
    return {"kind": "obligation", "ref": f"obl-{number}", **extra}


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess[str] | None:
    """Run code in a fresh interpreter; None if it is still running after timeout seconds."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None


# --- fact 1: timer threads ------------------------------------------------------------------------


def test_raw_host_starts_timer_threads() -> None:
    before = threading.active_count()
    host = durable_engine.Host()
    try:
        assert threading.active_count() == before + 2
    finally:
        for timer in (host._d_timer, host._t_timer):
            timer.cancel()
            timer.join()


def test_no_threads_and_every_action_done_when_evaluate_returns() -> None:
    before = threading.active_count()
    for _ in range(100):
        matches = evaluate(EVERY_OBLIGATION, [[obligation(n) for n in range(50)]] * 3, sentinel=SENTINEL)
        assert len(matches) == 150  # all actions ran synchronously, none left to a dispatcher thread
    assert threading.active_count() == before


# --- fact 2: 32-bit hash collisions ---------------------------------------------------------------


def test_colliding_ids_both_survive(raw: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    host, fired = raw({"every": {"all": [{"o": {"kind": "obligation"}}]}})
    host.assert_fact("raw", {"sid": "1", "id": "obl-431388", "kind": "obligation"})
    with pytest.raises(durable_engine.MessageObservedException):  # naive: the second fact is lost
        host.assert_fact("raw", {"sid": "1", "id": "obl-1397096", "kind": "obligation"})
    assert len(fired) == 1

    # Make the adapter's own engine ids for the first two facts exactly that colliding pair.
    default_id = engine._engine_id
    used: list[tuple[int, int]] = []

    def colliding_ids(index: int, salt: int) -> str:
        used.append((index, salt))
        return {(0, 0): "obl-431388", (1, 0): "obl-1397096"}.get((index, salt)) or default_id(index, salt)

    monkeypatch.setattr(engine, "_engine_id", colliding_ids)
    facts = [obligation(431388), obligation(1397096)]
    matches = evaluate(EVERY_OBLIGATION, [facts], sentinel=SENTINEL)
    assert [m.facts["o"] for m in matches] == facts
    assert (1, 1) in used  # the collision happened and was resolved with a salted id


def test_200000_distinct_facts_none_lost() -> None:
    groups, per_group = 200, 1000
    data = [[obligation(g * per_group + n, n=n) for n in range(per_group)] for g in range(groups)]
    matches = evaluate(EVERY_OBLIGATION, data, sentinel=SENTINEL)
    assert len(matches) == groups * per_group
    assert {m.facts["o"]["ref"] for m in matches} == {f"obl-{k}" for k in range(groups * per_group)}
    assert all(m.facts["o"] is data[m.group][m.facts["o"]["n"]] for m in matches[::997])


def test_identical_facts_are_one_fact() -> None:
    matches = evaluate(
        EVERY_OBLIGATION, [[obligation(1), obligation(1), dict(obligation(1))]], sentinel=SENTINEL
    )
    assert len(matches) == 1


# --- facts 3 and 4: batch failure, unhandled facts ------------------------------------------------


def test_one_unmatched_fact_neither_raises_nor_sinks_the_others(raw: Any) -> None:
    host, fired = raw({"every": {"all": [{"o": {"kind": "obligation"}}]}})
    stray = {"kind": "memo", "text": "no rule looks at this"}
    with pytest.raises(durable_engine.MessageNotHandledException):  # fact 4, naive
        host.assert_fact("raw", {"sid": "1", **stray})
    with pytest.raises(durable_engine.MessageNotHandledException):  # fact 3: the whole batch fails
        host.assert_facts("raw", [{"sid": "2", **obligation(1)}, {"sid": "2", **stray}])
    assert fired == []

    matches = evaluate(EVERY_OBLIGATION, [[obligation(1), stray, obligation(2)]], sentinel=SENTINEL)
    assert [m.facts["o"]["ref"] for m in matches] == ["obl-1", "obl-2"]


# --- fact 5: delete_state segfault ----------------------------------------------------------------


def test_no_segfault_when_no_rule_fires() -> None:
    naive = run_python(
        """
        from durable import engine
        class Host(engine.Host):
            def _run(self): pass
        host = Host()
        host.set_rulesets({"x": {"r": {"all": [{"m": {"kind": "obligation"}}], "run": lambda c: None}}})
        try:
            host.assert_fact("x", {"sid": "1", "kind": "memo"})
        except engine.MessageNotHandledException:
            pass
        host.delete_state("x", "1")
        """
    )
    assert naive is not None and naive.returncode == -11  # SIGSEGV

    adapter = run_python(
        """
        from obligations.engine import evaluate
        rules = {"never": {"all": [{"o": {"$and": [{"kind": "obligation"}, {"ref": "none-such"}]}}]}}
        for _ in range(50):
            assert evaluate(rules, [[{"kind": "memo"}], [], [{"kind": "obligation", "ref": "x"}]],
                            sentinel={"kind": "calendar", "day": 1}) == []
        print("ok")
        """
    )
    assert adapter is not None
    assert (adapter.returncode, adapter.stdout.strip()) == (0, "ok"), adapter.stderr


# --- fact 6: 1024 sids per ruleset ----------------------------------------------------------------


def test_raw_ruleset_refuses_the_1025th_sid(raw: Any) -> None:
    host, _ = raw({"every": {"all": [{"o": {"kind": "obligation"}}]}})
    for sid in range(1024):
        host.assert_fact("raw", {"sid": str(sid), **obligation(sid)})
    with pytest.raises(MemoryError):
        host.assert_fact("raw", {"sid": "1024", **obligation(1024)})


def test_2500_groups_use_three_rulesets(monkeypatch: pytest.MonkeyPatch) -> None:
    native = durable_engine.durable_rules_engine
    create = native.create_ruleset
    created: list[str] = []

    def create_ruleset(name: str, definition: str) -> Any:
        created.append(name)
        return create(name, definition)

    monkeypatch.setattr(native, "create_ruleset", create_ruleset)
    data = [[obligation(g), obligation(g + 100_000)] for g in range(2500)]
    matches = evaluate(EVERY_OBLIGATION, data, sentinel=SENTINEL)
    assert len(created) == 3  # 1024 + 1024 + 452 sids
    assert [(m.group, m.facts["o"]["ref"]) for m in matches] == [
        (g, f"obl-{n}") for g in range(2500) for n in (g, g + 100_000)
    ]


# --- fact 7: negation without truth maintenance ---------------------------------------------------

NOTICE_WINDOW = {
    "all": [
        {"t": {"kind": "term"}},
        {"n$not": {"$and": [{"kind": "notice"}, {"party": "도서관"}]}},
    ]
}
TERM = {"kind": "term", "party": "도서관", "end": 739600}
NOTICE = {"kind": "notice", "party": "도서관"}


def test_raw_negation_depends_on_order(raw: Any) -> None:
    host, fired = raw({"open": NOTICE_WINDOW})
    host.assert_fact("raw", {"sid": "1", **TERM})
    host.assert_fact("raw", {"sid": "1", **NOTICE})  # arrives too late to block the match
    assert [name for name, _ in fired] == ["open"]


@pytest.mark.parametrize("order", ["blocker-first", "blocker-last"])
def test_negation_whatever_the_order(order: str) -> None:
    facts = [NOTICE, TERM] if order == "blocker-first" else [TERM, NOTICE]
    other_party = {"kind": "notice", "party": "시"}
    groups = [facts, [TERM, other_party] if order == "blocker-last" else [other_party, TERM]]
    matches = evaluate({"open": NOTICE_WINDOW}, groups, sentinel=SENTINEL)
    assert matches == [Match("open", 1, {"t": TERM})]


def test_rule_with_only_a_negation_fires() -> None:
    rules = {"no-notice": {"all": [{"n$not": {"kind": "notice"}}]}}
    assert evaluate(rules, [[TERM], [TERM, NOTICE]], sentinel=SENTINEL) == [Match("no-notice", 0, {})]


# --- fact 8: events fire only one of two rules ----------------------------------------------------


def test_two_rules_on_one_fact_both_fire(raw: Any) -> None:
    two = {"a": EVERY_OBLIGATION["every"], "b": EVERY_OBLIGATION["every"]}
    host, fired = raw(two)
    host.post("raw", {"sid": "1", **obligation(1)})
    assert len(fired) == 1  # naive: an event fires only one of the two rules

    matches = evaluate(two, [[obligation(1)]], sentinel=SENTINEL)
    assert [m.rule for m in matches] == ["a", "b"]


# --- fact 9: exceptions in actions; bad rule definitions ------------------------------------------


def test_raw_action_exception_is_swallowed() -> None:
    def boom(c: Any) -> None:
        raise ValueError("boom")

    host = _RawHost()
    host.set_rulesets({"raw": {"r": {"all": [{"o": {"kind": "obligation"}}], "run": boom}}})
    host.assert_fact("raw", {"sid": "1", **obligation(1)})  # returns normally
    assert "boom" in host.get_state("raw", "1")["exception"]
    durable_engine.durable_rules_engine.delete_ruleset(host.get_ruleset("raw")._handle)


def test_error_inside_the_adapter_action_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Any, rule: str, message: Any) -> None:
        raise ValueError("recording failed")

    monkeypatch.setattr(engine._Batch, "record", broken)
    with pytest.raises(EngineError, match="recording failed") as caught:
        evaluate(EVERY_OBLIGATION, [[obligation(1)]], sentinel=SENTINEL)
    assert isinstance(caught.value.__cause__, ValueError)


def test_exception_swallowed_by_the_engine_is_still_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def unwrapped_action(self: Any, rule: str) -> Any:
        def action(c: Any) -> None:
            raise ValueError("raised inside the engine")

        return action

    monkeypatch.setattr(engine._Batch, "_action", unwrapped_action)  # bypass the adapter's wrapper
    with pytest.raises(EngineError, match="raised inside the engine"):
        evaluate(EVERY_OBLIGATION, [[obligation(1)]], sentinel=SENTINEL)


GOOD = EVERY_OBLIGATION["every"]


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ({"good": GOOD, "bad": {"all": [{"o": {"x": [1, 2]}}]}}, "rule 'bad': durable_rules rejects"),
        ({"bad": {"all": [{"o": {"$foo": {"x": 1}}}]}}, "rule 'bad', pattern 0 (o): unknown operator '$foo'"),
        ({"bad": {"all": [{"o": {"kind": "a", "ref": "b"}}]}}, "exactly one key (combine with '$and'"),
        ({"bad": {"all": [{"o": {"$and": [{"kind": "a"}, {"$lt": {"a": 1, "b": 2}}]}}]}}, "'$lt' takes one"),
        ({"bad": {"all": [{"o": {"$or": []}}]}}, "'$or' takes a non-empty list"),
        (
            {"bad": {"all": [{"t": {"$lt": {"end": {"c": "day"}}}}, {"c": {"kind": "calendar"}}]}},
            "refers to 'c', which is not the alias of an earlier pattern",
        ),
        ({"bad": {"all": [{"t": {"$lt": {"end": {"$add": {"$l": {"$m": "x"}}}}}}]}}, "'$add' takes {'$l'"),
        ({"bad": {"any": [{"o": {"kind": "x"}}]}}, "rule 'bad': unsupported key(s) ['any']"),
        ({"bad": {**GOOD, "run": print}}, "rule 'bad': unsupported key(s) ['run']"),
        ({"bad": {**GOOD, "pri": 1}}, "rule 'bad': unsupported key(s) ['pri']"),
        ({"bad": {"all": []}}, "rule 'bad': 'all' must be a non-empty list"),
        ({"bad": {"all": [{"o": 5}]}}, "rule 'bad', pattern 0 (o): an expression must be a mapping"),
        ({"bad": {"all": [{"o": {}, "p": {}}]}}, "rule 'bad', pattern 0: must be one {alias: expression}"),
        ({"bad": {"all": [{PRIVATE_PREFIX + "x": {}}]}}, "rule 'bad', pattern 0: bad alias"),
        ({PRIVATE_PREFIX + "x": GOOD}, "must be a non-empty string not starting with"),
        ({"bad": ["all"]}, "rule 'bad': the definition must be a mapping"),
    ],
)
def test_malformed_rule_is_a_readable_engine_error(rules: Any, expected: str) -> None:
    with pytest.raises(EngineError) as caught:
        evaluate(rules, [[obligation(1)]], sentinel=SENTINEL)
    assert expected in str(caught.value)


def test_raw_multi_key_expression_silently_ignores_a_key(raw: Any) -> None:
    host, fired = raw({"r": {"all": [{"o": {"kind": "obligation", "ref": "obl-2"}}]}})
    host.assert_fact("raw", {"sid": "1", **obligation(1)})
    assert len(fired) == 1  # matched although ref differs: hence the adapter's one-key rule


def test_pattern_that_matches_the_engine_state_fact_terminates() -> None:
    naive = run_python(
        """
        from durable import engine
        class Host(engine.Host):
            def _run(self): pass
        host = Host()
        host.set_rulesets({"x": {"r": {"all": [{"m": {"$nex": {"party": 1}}}], "run": lambda c: None}}})
        host.assert_fact("x", {"sid": "1", "kind": "memo"})  # the state fact re-matches after every action
        """,
        timeout=3,
    )
    assert naive is None  # still looping when killed

    adapter = run_python(  # in a subprocess too, so that a regression fails instead of hanging the suite
        """
        from obligations.engine import evaluate
        rules = {"no-party": {"all": [{"m": {"$nex": {"party": 1}}}]},
                 "all-have-a-kind": {"all": [{"n$not": {"$nex": {"kind": 1}}}]}}
        sentinel = {"kind": "calendar", "day": 1}
        for m in evaluate(rules, [[{"kind": "memo"}, {"kind": "term", "party": "A"}]], sentinel=sentinel):
            print(m.rule, m.facts)
        """,
        timeout=60,
    )
    assert adapter is not None, "evaluate() did not terminate"
    assert adapter.stdout.splitlines() == [  # neither the state fact nor the trigger is matched or blocks
        "all-have-a-kind {}",
        "no-party {'m': {'kind': 'memo'}}",
        "no-party {'m': {'kind': 'calendar', 'day': 1}}",
    ], adapter.stderr


# --- fact 10: global host, names, mutation --------------------------------------------------------


def test_raw_set_rulesets_mutates_its_argument() -> None:
    definition = {"r": {"all": [{"o": {"kind": "obligation"}}], "run": lambda c: None}}
    host = _RawHost()
    host.set_rulesets({"raw": definition})
    assert "run" not in definition["r"]
    with pytest.raises(Exception, match="already registered"):
        host.set_rulesets({"raw": {"r": {"all": [{"o": {"kind": "x"}}], "run": lambda c: None}}})
    durable_engine.durable_rules_engine.delete_ruleset(host.get_ruleset("raw")._handle)


def test_caller_rules_unchanged_and_same_names_reusable() -> None:
    first = {"notice-window": {"all": [{"c": {"kind": "calendar"}}, {"o": {"ref": "obl-1"}}]}}
    second = {"notice-window": {"all": [{"o": {"ref": "obl-2"}}]}}
    snapshot = copy.deepcopy(first)
    facts = [[obligation(1), obligation(2)]]
    assert [m.facts["o"]["ref"] for m in evaluate(first, facts, sentinel=SENTINEL)] == ["obl-1"]
    assert [m.facts["o"]["ref"] for m in evaluate(second, facts, sentinel=SENTINEL)] == ["obl-2"]
    assert [m.facts["o"]["ref"] for m in evaluate(first, facts, sentinel=SENTINEL)] == ["obl-1"]
    assert first == snapshot


# --- fact 11: memory ------------------------------------------------------------------------------


def test_memory_flat_across_1000_evaluations() -> None:
    data = [[obligation(n, group=g) for n in range(30)] for g in range(3)]  # ~90 facts, ~0.8 MB if kept
    for _ in range(50):
        evaluate(EVERY_OBLIGATION, data, sentinel=SENTINEL)
    before = rss_bytes()
    for _ in range(1000):
        assert len(evaluate(EVERY_OBLIGATION, data, sentinel=SENTINEL)) == 90
    assert rss_bytes() - before < 30 * 2**20


# --- fact 12: types and reserved keys -------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_fact", "key"),
    [
        (obligation(1, due=None), "due"),
        (obligation(1, due=1.5), "due"),
        (obligation(1, due=dt.date(2025, 11, 28)), "due"),
        (obligation(1, due=[739556]), "due"),
        (obligation(1, due={"day": 739556}), "due"),
        (obligation(1, due=2**63), "due"),
        ({"id": "obl-1", "kind": "obligation"}, "id"),
        ({"sid": "1", "kind": "obligation"}, "sid"),
        ({PRIVATE_PREFIX + "now": 1}, PRIVATE_PREFIX + "now"),
        ({"$s": 1}, "$s"),
        ({"": 1}, ""),
        ({1: "x"}, 1),
    ],
)
def test_bad_fact_is_refused_naming_group_fact_and_key(bad_fact: dict[Any, Any], key: Any) -> None:
    groups = [[obligation(1)], [obligation(2), obligation(3), bad_fact]]
    with pytest.raises(EngineError) as caught:
        evaluate(EVERY_OBLIGATION, groups, sentinel=SENTINEL)
    assert f"group 1, fact 2, key {key!r}" in str(caught.value)


def test_too_many_keys_and_non_mappings_are_refused() -> None:
    wide = {f"k{n}": n for n in range(201)}
    with pytest.raises(EngineError, match=r"group 0, fact 0 has 201 keys; at most 200"):
        evaluate(EVERY_OBLIGATION, [[wide]], sentinel=SENTINEL)
    assert evaluate(
        EVERY_OBLIGATION, [[{**obligation(1), **{f"k{n}": n for n in range(198)}}]], sentinel=SENTINEL
    )
    with pytest.raises(EngineError, match="group 0, fact 1: a fact must be a mapping"):
        evaluate(EVERY_OBLIGATION, [[obligation(1), ["kind", "obligation"]]], sentinel=SENTINEL)
    with pytest.raises(EngineError, match="the sentinel, key 'day'"):
        evaluate(EVERY_OBLIGATION, [[obligation(1)]], sentinel={"kind": "calendar", "day": None})


def test_bools_ints_and_strings_are_accepted() -> None:
    fact = obligation(1, survives=True, day=-(2**63), end=2**63 - 1, note="")
    assert [m.facts["o"] for m in evaluate(EVERY_OBLIGATION, [[fact]], sentinel=SENTINEL)] == [fact]


# --- fact 13: the documented syntax; 14: Korean; order and isolation ------------------------------


def test_documented_rule_syntax() -> None:
    rules = {
        "notice-window": {  # the module docstring's worked example
            "all": [
                {"c": {"kind": "calendar"}},
                {
                    "t": {
                        "$and": [
                            {"kind": "term"},
                            {"$lte": {"notice_act_by": SENTINEL["day"] + 60}},
                            {"$gte": {"notice_act_by": SENTINEL["day"]}},
                        ]
                    }
                },
                {"n$not": {"$and": [{"kind": "notice"}, {"party": "시"}]}},  # no notice of 시: not blocked
            ]
        },
        "lapsed": {"all": [{"t": {"$and": [{"kind": "term"}, {"$lt": {"end": {"$m": "asof"}}}]}}]},
        "either": {"all": [{"t": {"$or": [{"party": "시"}, {"$nex": {"party": 1}}]}}]},
    }
    day = SENTINEL["day"]
    inside = {"kind": "term", "party": "시", "notice_act_by": day + 60, "end": day + 90, "asof": day}
    outside = {"kind": "term", "party": "구", "notice_act_by": day + 61, "end": day - 1, "asof": day}
    noticed = {"kind": "term", "party": "도", "notice_act_by": day, "end": day, "asof": day}
    notice = {"kind": "notice", "party": "도"}
    matches = evaluate(rules, [[inside, outside, noticed, notice]], sentinel=SENTINEL)
    assert matches == [
        Match("either", 0, {"t": inside}),
        Match("either", 0, {"t": SENTINEL}),  # the sentinel has no party either
        Match("lapsed", 0, {"t": outside}),
        Match("notice-window", 0, {"c": SENTINEL, "t": inside}),
        Match("notice-window", 0, {"c": SENTINEL, "t": noticed}),
    ]


def test_korean_round_trip() -> None:
    rules = {
        "협약-확인": {
            "all": [
                {"c": {"kind": "calendar"}},
                {"m": {"당사자": {"c": "기관"}}},  # a join is a pattern's only expression (defect C)
            ]
        }
    }
    sentinel = {**SENTINEL, "기관": "서울특별시 평생교육국"}
    fact = {"종류": "협약", "당사자": "서울특별시 평생교육국", "제목": "○○시-△△도서관 독서문화 진흥 업무협약"}
    [match] = evaluate(rules, [[fact, {"종류": "협약", "당사자": "김포시"}]], sentinel=sentinel)
    assert match == Match("협약-확인", 0, {"c": sentinel, "m": fact})


def test_order_is_by_group_then_rule_then_facts() -> None:
    rules = {
        "b-rule": {"all": [{"o": {"kind": "obligation"}}]},
        "a-rule": {"all": [{"c": {"kind": "calendar"}}, {"o": {"kind": "obligation"}}]},
    }
    data = [[obligation(3), obligation(1)], [], [obligation(2)]]
    got = [(m.group, m.rule, m.facts["o"]["ref"]) for m in evaluate(rules, data, sentinel=SENTINEL)]
    assert got == [
        (0, "a-rule", "obl-3"),
        (0, "a-rule", "obl-1"),
        (0, "b-rule", "obl-3"),
        (0, "b-rule", "obl-1"),
        (2, "a-rule", "obl-2"),
        (2, "b-rule", "obl-2"),
    ]
    assert [(m.group, m.rule, m.facts["o"]["ref"]) for m in evaluate(rules, data, sentinel=SENTINEL)] == got


def test_groups_do_not_see_each_other() -> None:
    rules = {"pair": {"all": [{"t": {"kind": "term"}}, {"n": {"party": {"t": "party"}}}]}}
    assert evaluate(rules, [[TERM], [NOTICE]], sentinel=SENTINEL) == []
    assert evaluate(rules, [[TERM, NOTICE]], sentinel=SENTINEL) == [
        Match("pair", 0, {"t": TERM, "n": NOTICE})
    ]
    assert evaluate({"open": NOTICE_WINDOW}, [[NOTICE], [TERM]], sentinel=SENTINEL) == [
        Match("open", 1, {"t": TERM})
    ]


# --- defect C: joins inside $and/$or read out of bounds (upstream jruizgit/rules#381, PR #386) ----------

JOIN_RULES = Path(__file__).parent / "fixtures" / "engine" / "calendar-joins-inside-and.json"


@pytest.fixture(scope="module")
def scenario_facts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The facts and calendars of every scenario in cases/scenarios, as one JSON file for subprocesses."""
    from test_scenarios import engine_cases

    cases = engine_cases()
    target = tmp_path_factory.mktemp("engine") / "scenario-facts.json"
    target.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return target


def test_adapter_refuses_a_join_inside_and() -> None:
    rules = json.loads(JOIN_RULES.read_text(encoding="utf-8"))
    with pytest.raises(EngineError, match=r"joins another fact inside '\$and'/'\$or'.*jruizgit/rules#381"):
        evaluate(rules, [[]], sentinel=SENTINEL)


def test_rules_bound_to_the_calendar_survive_the_same_load(scenario_facts: Path) -> None:
    code = f"""
        import json
        from obligations import engine
        from obligations.checking import rulebook
        from obligations.rulebook import definitions
        cases = json.load(open({str(scenario_facts)!r}))
        rules = rulebook()
        for _ in range(20):
            for case in cases:
                calendar = case["sentinel"]
                engine.evaluate(definitions(rules, calendar), [case["facts"]], sentinel=calendar)
        print("survived")
        """
    for _ in range(3):
        outcome = run_python(code, timeout=120)
        assert outcome is not None
        assert (outcome.returncode, outcome.stdout.strip()) == (0, "survived"), outcome.stderr[-2000:]
