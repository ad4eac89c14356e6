"""Throughput of obligations.engine.evaluate() on N groups x M facts (the engine dominates large registries).

    python benchmarks/engine_bench.py --groups 100 1000 --facts 10 100

Each group looks like one agreement: a term, obligations with a cadence and a last fulfilment, and a few
notices. The rules are shaped like the rulebook's: comparisons with constants (the calendar's day bound into
the rule, as ``rulebook.Rule.definition`` does), a negated cross-fact join that stands alone in its pattern
(a join inside ``$and`` crashes durable_rules and the adapter refuses it: defect C in engine.py), and a
same-fact comparison. Prints one row per (groups, facts) pair: facts/s over the whole evaluate() call
(validation, engine, matches) and the peak RSS of the process so far.
"""

from __future__ import annotations

import argparse
import resource
import time
from typing import Any

from obligations.engine import evaluate

DAY = 739556  # 2025-11-01 as a proleptic ordinal
SENTINEL = {"kind": "calendar", "day": DAY}
HORIZON = 60
RULES: dict[str, dict[str, Any]] = {
    "notice-window": {
        "all": [
            {
                "t": {
                    "$and": [
                        {"kind": "term"},
                        {"$gte": {"notice_act_by": DAY}},
                        {"$lte": {"notice_act_by": DAY + HORIZON}},
                    ]
                }
            },
            {"n$not": {"notice_party": {"t": "party"}}},
        ]
    },
    "role-unfulfilled": {"all": [{"o": {"$and": [{"kind": "obligation"}, {"$lt": {"evidence_due": DAY}}]}}]},
    "overdue": {"all": [{"o": {"$and": [{"kind": "obligation"}, {"$lt": {"due": {"$m": "asof"}}}]}}]},
}


def make_group(g: int, size: int) -> list[dict[str, Any]]:
    facts: list[dict[str, Any]] = [
        {"kind": "term", "agreement": f"agr-{g}", "party": "city", "notice_act_by": DAY + g % 90},
        {"kind": "term", "agreement": f"agr-{g}", "party": "library", "notice_act_by": DAY + g % 45},
    ]
    if g % 3 == 0:
        facts.append({"kind": "notice", "agreement": f"agr-{g}", "notice_party": "library"})
    for n in range(size - len(facts)):
        facts.append(
            {
                "kind": "obligation",
                "agreement": f"agr-{g}",
                "obligation": f"obl-{n}",
                "party": "city" if n % 2 else "library",
                "evidence_due": DAY - 30 + (g * 7 + n) % 60,
                "due": DAY - 10 + n % 20,
                "asof": DAY,
            }
        )
    return facts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, nargs="+", default=[100, 1000], help="groups (agreements)")
    parser.add_argument("--facts", type=int, nargs="+", default=[10, 100], help="facts per group (>= 3)")
    args = parser.parse_args()

    columns = ("groups", "facts/grp", "facts", "matches", "seconds", "facts/s", "peak MB")
    print(" ".join(f"{name:>9}" for name in columns))
    for groups in args.groups:
        for size in args.facts:
            data = [make_group(g, max(size, 3)) for g in range(groups)]
            total = sum(len(group) for group in data)
            start = time.perf_counter()
            matches = evaluate(RULES, data, sentinel=SENTINEL)
            seconds = time.perf_counter() - start
            print(
                f"{groups:>9} {size:>9} {total:>9} {len(matches):>9} {seconds:>9.2f} "
                f"{total / seconds:>9.0f} {peak_rss_mb():>9.0f}"
            )


if __name__ == "__main__":
    main()
