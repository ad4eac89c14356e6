"""How long `obligations check` takes on registries of growing size.

Each registry is made of copies of the three bundled case files (with fresh ids), so every agreement is a
real one: three parties, ten obligations, a capped renewal chain and so on. Prints a table of wall time for
loading, compiling + evaluating, and facts per second.

    python benchmarks/check_bench.py --sizes 3 30 300 1500
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from obligations.asof import DEFAULT_HORIZON
from obligations.checking import run_check
from obligations.compile import compile_agreement, horizon_end
from obligations.registry import load_registry
from obligations.resources import cases_dir

SEEDS = sorted(p for p in cases_dir().glob("*.yaml") if p.name != "contacts.yaml")


def make_registry(folder: Path, size: int) -> None:
    shutil.copy(cases_dir() / "contacts.yaml", folder / "contacts.yaml")
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in SEEDS]
    for i in range(size):
        stem, text = texts[i % len(texts)]
        (folder / f"{stem}-{i}.yaml").write_text(
            text.replace(f"id: {stem}", f"id: {stem}-{i}", 1), encoding="utf-8"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 30, 300, 1500])
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2025, 11, 1))
    args = parser.parse_args()
    columns = ("agreements", "facts", "findings", "load s", "check s", "facts/s", "max RSS MB")
    print(" ".join(f"{name:>10}" for name in columns))
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            make_registry(folder, size)
            start = time.perf_counter()
            registry = load_registry([folder])
            loaded = time.perf_counter()
            report = run_check(as_of=args.as_of, registry=registry)
            until = horizon_end(args.as_of, DEFAULT_HORIZON)
            checked = time.perf_counter()
            assert not registry.problems, registry.problems[:3]
            facts = sum(
                len(compile_agreement(c.agreement, args.as_of, registry.calendar, until=until).facts)
                for c in registry.cases
            )
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            seconds = checked - loaded
            row = (size, facts, len(report.findings), f"{loaded - start:.2f}", f"{seconds:.2f}")
            print(" ".join(f"{value:>10}" for value in (*row, f"{facts / seconds:.0f}", f"{rss:.0f}")))


if __name__ == "__main__":
    main()
