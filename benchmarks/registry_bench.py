"""How `obligations` scales with the registry: each command against the cost of merely parsing the files.

    python benchmarks/registry_bench.py                    # 1,000, 10,000 and 50,000 agreements
    python benchmarks/registry_bench.py --sizes 1000 10000 --repeat 3

For each size it writes a synthetic registry (tests/synthetic.py: the same files for the same --seed),
then runs, each in a fresh process, one after another:

- the parse floor: a Python process that reads and parses every case file with libyaml
  (``yaml.CSafeLoader``) and does nothing else;
- ``obligations check --format json``, ``obligations validate`` and ``obligations notify --dry-run`` (with a
  ledger and an outbox of its own in a temporary folder).

Once per run it also times ``obligations --version`` and ``obligations check`` on the bundled registry against
the bare-import floor: a Python process that only imports the package's dependencies (and, for the bundled
check, parses the bundled case files).

Wall time is the best of ``--repeat`` runs (of at least nine for the start-up rows, whose fraction of a
second the machine's drift moves most; those are run in turns, floor and commands alternating). Peak memory
is that of the whole process tree (worker processes included), sampled from /proc every 20 ms, and never
less than the largest single process's peak that the kernel reports (``os.wait4``); shared pages count once
per process, so the figure errs high. The machine is shared, so absolute times drift: the ratios of one run
are what the targets are about.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from synthetic import write_registry  # noqa: E402  (tests/ is not a package)

MIB = 1024 * 1024
AS_OF = "2025-11-01"
DEPENDENCIES = "click, pydantic, yaml, durable.lang, holidays, icalendar, platformdirs, dateutil"
PARSE = (
    "import sys, pathlib, yaml\n"
    "for folder in sys.argv[1:]:\n"
    "    for path in sorted(pathlib.Path(folder).glob('*.yaml')):\n"
    "        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    status: int


@dataclass(frozen=True)
class Target:
    name: str
    measured: float
    limit: float
    unit: str

    @property
    def met(self) -> bool:
        return self.measured <= self.limit


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and every descendant, from /proc (0 once the process is gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def measure(command: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to completion with its output discarded; its wall time and peak memory."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    return Run(seconds, max(peak, usage.ru_maxrss * 1024) / MIB, process.returncode)


def best(command: Sequence[str], repeat: int, env: dict[str, str] | None = None) -> Run:
    return fastest([measure(command, env) for _ in range(repeat)])


def fastest(runs: Sequence[Run]) -> Run:
    """Several runs of one command as one: the fastest wall time, the highest peak, the last exit status."""
    return Run(min(r.seconds for r in runs), max(r.peak_mib for r in runs), runs[-1].status)


def obligations_command() -> list[str]:
    script = Path(sys.executable).with_name("obligations")
    return [str(script)] if script.exists() else [sys.executable, "-m", "obligations"]


def notify_env(state: Path) -> dict[str, str]:
    """No SMTP host and no settings from the machine: notify writes to its own outbox and ledger."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBLIGATIONS_")}
    return {**env, "XDG_STATE_HOME": str(state), "OBLIGATIONS_MAIL_FROM": "obligations@example.org"}


def size_rows(size: int, seed: int, repeat: int, work: Path) -> tuple[list[list[str]], list[Target]]:
    folder = work / f"registry-{size}"
    write_registry(folder, size, seed=seed)
    tool = obligations_command()
    floor = best([sys.executable, "-c", PARSE, str(folder)], repeat)
    rows = [[f"{size:,}", "parse floor (libyaml)", f"{floor.seconds:.2f}", "1.00", f"{floor.peak_mib:.0f}"]]
    state = work / f"state-{size}"
    commands = {
        "check --format json": [*tool, "check", str(folder), "--as-of", AS_OF, "--format", "json"],
        "validate": [*tool, "validate", str(folder)],
        "notify --dry-run": [
            *tool,
            "notify",
            str(folder),
            "--as-of",
            AS_OF,
            "--dry-run",
            "--ledger",
            str(state / "ledger.sqlite"),
            "--outbox",
            str(state / "outbox"),
        ],
    }
    runs: dict[str, Run] = {}
    for name, command in commands.items():
        run = best(command, repeat, notify_env(state))
        runs[name] = run
        ratio = run.seconds / floor.seconds
        rows.append([f"{size:,}", name, f"{run.seconds:.2f}", f"{ratio:.2f}", f"{run.peak_mib:.0f}"])
        if run.status not in (0, 1):
            rows[-1][1] += f" (exit {run.status})"
    targets: list[Target] = []
    if size == 10_000:
        for name, limit in (("check --format json", 2.0), ("validate", 1.5), ("notify --dry-run", 2.5)):
            targets.append(
                Target(f"{name} at 10k / parse floor", runs[name].seconds / floor.seconds, limit, "×")
            )
        targets.append(Target("check peak memory at 10k", runs["check --format json"].peak_mib, 350, "MiB"))
    if size == 50_000:
        targets.append(Target("check peak memory at 50k", runs["check --format json"].peak_mib, 1024, "MiB"))
    return rows, targets


def best_interleaved(commands: Sequence[Sequence[str]], repeat: int) -> list[Run]:
    """The best of ``repeat`` runs of each command, run in turns (A, B, C, A, B, C, …) so that a stretch
    of a slow machine falls on all of them alike rather than on whichever was being measured."""
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, command in enumerate(commands):
            runs[i].append(measure(command))
    return [fastest(each) for each in runs]


def start_rows(repeat: int) -> tuple[list[list[str]], list[Target]]:
    tool = obligations_command()
    from obligations.resources import cases_dir

    imports, bundled_floor, version, bundled = best_interleaved(
        [
            [sys.executable, "-c", f"import {DEPENDENCIES}"],
            [sys.executable, "-c", f"import {DEPENDENCIES}\n{PARSE}", str(cases_dir())],
            [*tool, "--version"],
            [*tool, "check", "--as-of", AS_OF, "--fail-on", "never"],
        ],
        repeat,
    )
    rows = [
        ["-", "bare-import floor", f"{imports.seconds:.2f}", "1.00", f"{imports.peak_mib:.0f}"],
        [
            "-",
            "--version",
            f"{version.seconds:.2f}",
            f"{version.seconds / imports.seconds:.2f}",
            f"{version.peak_mib:.0f}",
        ],
        [
            "3",
            "bundled: imports + parse floor",
            f"{bundled_floor.seconds:.2f}",
            "1.00",
            f"{bundled_floor.peak_mib:.0f}",
        ],
        [
            "3",
            "bundled: check",
            f"{bundled.seconds:.2f}",
            f"{bundled.seconds / bundled_floor.seconds:.2f}",
            f"{bundled.peak_mib:.0f}",
        ],
    ]
    targets = [
        Target("--version / bare-import floor", version.seconds / imports.seconds, 1.5, "×"),
        Target("bundled check / its floor", bundled.seconds / bundled_floor.seconds, 2.0, "×"),
    ]
    return rows, targets


def markdown(header: Sequence[str], rows: Sequence[Sequence[str]], text_column: int) -> list[str]:
    """A Markdown table: numbers right-aligned, the ``text_column`` left-aligned."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == text_column else "---:" for i in range(len(header))) + "|",
    ]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--seed", type=int, default=11, help="the same seed writes the same registry")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest counts")
    parser.add_argument("--keep", type=Path, default=None, help="write the registries here and keep them")
    args = parser.parse_args()
    # An installed package comes with its bytecode (pip compiles it); a source checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module again in every measured process.
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "obligations", quiet=1)
    with tempfile.TemporaryDirectory(prefix="registry-bench-") as name:
        work = args.keep or Path(name)
        rows, targets = start_rows(max(args.repeat, 9))
        for size in args.sizes:
            more_rows, more_targets = size_rows(size, args.seed, args.repeat, work)
            rows += more_rows
            targets += more_targets
            print(f"... {size:,} agreements measured", file=sys.stderr)
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}, seed {args.seed}, as of {AS_OF}\n")
    print("\n".join(markdown(("agreements", "command", "wall s", "× floor", "peak MiB"), rows, 1)))
    print()
    print(
        "\n".join(
            markdown(
                ("target (ratios in the same run)", "measured", "limit", "met"),
                [
                    [
                        t.name,
                        f"{t.measured:.2f} {t.unit}",
                        f"≤ {t.limit:g} {t.unit}",
                        "yes" if t.met else "NO",
                    ]
                    for t in targets
                ],
                0,
            )
        )
    )


if __name__ == "__main__":
    main()
