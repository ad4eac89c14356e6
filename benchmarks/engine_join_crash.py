"""Defect C of durable_rules 2.0.28, demonstrated: a join inside ``$and``/``$or`` crashes the engine.

    python benchmarks/engine_join_crash.py [--runs 6]

The rulebook's rules as first written joined the calendar inside ``$and`` (``r.act_by <= c.until``,
``tests/fixtures/engine/calendar-joins-inside-and.json``). The engine then reads past the end of an
expression sequence (reduceExpressionSequence/isBetaMatch; upstream jruizgit/rules#381, fix never
released). Whether that read faults depends on what lies next on the heap, which moves with whatever the
process imported first: the first rulebook crashed the scenario suite in 6 runs of 6; on 2026-11-30 this
script measured 6 of 6, 2 of 3 and 0 of 4 on the same checkout as imports changed, and 0 of 6 in an installed
environment. That is why this is a script run by hand, not a test: a test that passes or fails with the heap
layout proves nothing either way. The adapter refuses such joins (``tests/test_engine.py``,
``test_adapter_refuses_a_join_inside_and``), and the same rules with the calendar's values bound as
constants, as the rulebook builds them now, survive the same load (``test_rules_bound_to_the_calendar_…``).

Each run evaluates every bundled scenario's facts with the bound rules through the adapter, then (with only
the adapter's join check lifted) 20 times with the joined rules; it prints how many runs crashed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_scenarios import engine_cases  # noqa: E402  (tests/ is not a package)

JOIN_RULES = ROOT / "tests" / "fixtures" / "engine" / "calendar-joins-inside-and.json"

RUN = """
import copy, json, sys
from obligations import engine

def bind(expr, calendar):
    if isinstance(expr, dict):
        if len(expr) == 1 and isinstance(expr.get("c"), str):
            return calendar[expr["c"]]
        if len(expr) == 1 and "$add" in expr:
            return bind(expr["$add"]["$l"], calendar) + bind(expr["$add"]["$r"], calendar)
        return {key: bind(value, calendar) for key, value in expr.items()}
    if isinstance(expr, list):
        return [bind(item, calendar) for item in expr]
    return expr

rules = json.load(open(sys.argv[1]))
cases = json.load(open(sys.argv[2]))
for case in cases:
    engine.evaluate(bind(rules, case["sentinel"]), [case["facts"]], sentinel=case["sentinel"])
engine._check_rules = lambda rules: {k: copy.deepcopy(dict(v)) for k, v in rules.items()}
for _ in range(20):
    for case in cases:
        engine.evaluate(rules, [case["facts"]], sentinel=case["sentinel"])
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        facts = Path(folder) / "scenario-facts.json"
        facts.write_text(json.dumps(engine_cases(), ensure_ascii=False), encoding="utf-8")
        codes = []
        for _ in range(args.runs):
            result = subprocess.run(
                [sys.executable, "-c", textwrap.dedent(RUN), str(JOIN_RULES), str(facts)],
                capture_output=True,
                timeout=300,
            )
            codes.append(result.returncode)
    crashed = sum(code == -11 for code in codes)
    print(f"joins inside $and: {crashed} of {args.runs} runs crashed (SIGSEGV); exit codes {codes}")


if __name__ == "__main__":
    main()
