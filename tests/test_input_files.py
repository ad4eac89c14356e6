"""Files that are not what they claim: pipes, devices, huge or sparse files, YAML tricks, bad bytes.

Each is refused as that file's problem, naming the file (and the line where there is one); every other file
of the registry is still read. The non-regular files are read in a subprocess under a memory limit and a
timeout, so that a regression shows up as a failure, not as a hung or swapping test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligations.cli import cli
from obligations.registry import load_registry, read_calendar
from obligations.resources import cases_dir
from obligations.workdays import CalendarOverrideError

YOUTH = "youth-shelter-self-reliance-mou-2025.yaml"
GOOD_LINE = "ok  {folder}/" + YOUTH


def registry_with(folder: Path, **files: bytes | str) -> Path:
    """contacts.yaml and the youth MOU, plus the files given (name → content)."""
    folder.mkdir(exist_ok=True)
    for name in ("contacts.yaml", YOUTH):
        (folder / name).write_text((cases_dir() / name).read_text(encoding="utf-8"), encoding="utf-8")
    for name, content in files.items():
        path = folder / name.replace("_", "-").replace("-yaml", ".yaml")
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def problems_of(folder: Path) -> list[str]:
    registry = load_registry([folder])
    assert [case.path.name for case in registry.cases] == [YOUTH]
    return [str(problem).removeprefix(f"{folder}/") for problem in registry.problems]


# -- YAML tricks and bad characters -------------------------------------------------------------------------

REFUSED = [
    pytest.param(
        "id: x\nbase: &b {title: t}\nmore:\n  <<: *b\n",
        "bad.yaml:4: more: YAML merge keys (<<) are not allowed; write each field out",
        id="merge key",
    ),
    pytest.param(
        "!!str id: x\ntitle: t\n",
        "bad.yaml:1: a key cannot carry a YAML tag or anchor; write it plain, e.g. 'id:'",
        id="tag on a key",
    ),
    pytest.param(
        "id: x\n!!python/name:os.system title: t\n",
        "bad.yaml:2: a key cannot carry a YAML tag or anchor; write it plain, e.g. 'id:'",
        id="python tag on a key",
    ),
    pytest.param(
        "id: x\n&a title: t\n",
        "bad.yaml:2: a key cannot carry a YAML tag or anchor; write it plain, e.g. 'id:'",
        id="anchor on a key",
    ),
    pytest.param(
        "id: x\ntitle: a\x07b\n",
        "bad.yaml:2: a raw control character (U+0007); delete it: YAML files are plain text",
        id="bell",
    ),
    pytest.param(
        "id: x\n\ntitle: a\x1bb\n",
        "bad.yaml:3: a raw control character (U+001B); delete it: YAML files are plain text",
        id="escape",
    ),
    pytest.param(
        "id: x\ntitle: a\u0080b\n",
        "bad.yaml:2: a raw control character (U+0080); delete it: YAML files are plain text",
        id="C1 control",
    ),
    pytest.param(
        "id: 서울\n".encode("cp949"),
        "bad.yaml:1: not UTF-8: byte 0xbc cannot be decoded; save the file as UTF-8 "
        "(HWP and Excel exports are often EUC-KR/CP949)",
        id="CP949",
    ),
]


@pytest.mark.parametrize(("content", "expected"), REFUSED)
def test_yaml_tricks_and_bad_characters_are_refused_with_file_and_line(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    assert problems_of(registry_with(tmp_path, bad_yaml=content)) == [expected]


HOLIDAYS_REFUSED = [
    pytest.param(
        "add:\n  - {date: 2026-10-09, name: 임시공휴일, reason: 관보}\n".encode("cp949"),
        "holidays.yaml:2: (file): not UTF-8: byte 0xc0 cannot be decoded; save the file as UTF-8 "
        "(HWP and Excel exports are often EUC-KR/CP949)",
        id="CP949",
    ),
    pytest.param(
        b"add:\n  - {date: 2026-10-09, name: a\x00, reason: b}\n",
        "holidays.yaml:2: (file): binary data (a NUL byte); a case file is UTF-8 YAML text",
        id="NUL",
    ),
    pytest.param(
        "add: !!python/object/apply:os.system [echo hi]\n",
        "holidays.yaml:1: (file): YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; "
        "case files hold plain values",
        id="python tag",
    ),
    pytest.param(
        "add:\n  - {date: 9999-10-09, name: a, reason: b}\n",
        "holidays.yaml:2: add[0].date: expected a date from 1900-01-01 to 2199-12-31; got: '9999-10-09'",
        id="beyond the bounds",
    ),
]


@pytest.mark.parametrize(("content", "expected"), HOLIDAYS_REFUSED)
def test_holidays_file_gets_the_protections_of_case_files(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    problems = problems_of(registry_with(tmp_path, holidays_yaml=content))
    assert len(problems) == 1
    assert problems[0].startswith(expected)
    assert 'reason: "관보 제xxxx호"}' in problems[0]  # every refusal shows a good entry


def test_contacts_file_gets_the_protections_of_case_files(tmp_path: Path) -> None:
    folder = registry_with(tmp_path)
    (folder / "contacts.yaml").write_text("contacts:\n  <<: {a: {name: A, email: a@example.org}}\n")
    registry = load_registry([folder])
    assert [str(p).removeprefix(f"{folder}/") for p in registry.problems] == [
        "contacts.yaml:2: contacts: YAML merge keys (<<) are not allowed; write each field out",
        f"{YOUTH}:8: parties.seoul.owners[0]: unknown owner 'youth-counselling'; "
        "known owners: none: there is no contacts.yaml beside this file",
    ]


def test_a_settings_file_with_bad_bytes_names_its_line(tmp_path: Path) -> None:
    config = tmp_path / "obligations.toml"
    config.write_bytes('OBLIGATIONS_SMTP_HOST = "mail"\nOBLIGATIONS_MAIL_FROM = "서울"\n'.encode("cp949"))
    result = CliRunner().invoke(cli, ["notify", "--dry-run", "--config", str(config)])
    assert result.exit_code == 2
    assert (
        f"{config}:2: not UTF-8: byte 0xbc cannot be decoded; a settings file is UTF-8 text" in result.output
    )


def test_the_holiday_option_refuses_a_device(tmp_path: Path) -> None:
    link = tmp_path / "holidays.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(CalendarOverrideError) as caught:
        read_calendar(link)
    assert caught.value.message == "not a regular file but a device; case files are ordinary files"


# -- files that are not files: in a subprocess, under a memory limit and a timeout ------------------------

# Runs one command of the CLI with at most 1 GiB of address space: reading a 2 GiB file whole, or
# /dev/zero until memory runs out, fails here instead of swapping the machine.
LIMITED = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    from obligations.cli import main
    sys.argv = ["obligations", *sys.argv[1:]]
    main()
    """
)


def run_limited(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LIMITED, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "XDG_STATE_HOME": str(cwd / "state")},
        check=False,
    )


def test_non_regular_files_are_refused_without_reading_or_blocking(tmp_path: Path) -> None:
    folder = registry_with(tmp_path / "registry")
    os.mkfifo(folder / "fifo.yaml")  # nobody ever writes to it: opening it for reading would block
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "random.yaml").symlink_to("/dev/urandom")
    with (folder / "sparse.yaml").open("wb") as sparse:
        sparse.truncate(2 << 30)  # 2 GiB that take no disk space; reading them whole would take 2 GiB
    (folder / "holidays.yaml").symlink_to(folder / "fifo.yaml")
    result = run_limited("validate", str(folder), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout.startswith(f"ok  {folder / YOUTH}  youth-shelter-self-reliance-mou-2025:")
    assert result.stderr.splitlines() == [
        f"{folder / 'holidays.yaml'}: (file): not a regular file but a named pipe (FIFO); case files are "
        'ordinary files (example: add: [{date: 2026-10-09, name: 임시공휴일, reason: "관보 제xxxx호"}])',
        f"{folder / 'fifo.yaml'}: not a regular file but a named pipe (FIFO); case files are ordinary files",
        f"{folder / 'random.yaml'}: not a regular file but a device; case files are ordinary files",
        f"{folder / 'sparse.yaml'}: file is 2,147,483,648 bytes; case files are at most 1 MiB",
        f"{folder / 'zero.yaml'}: not a regular file but a device; case files are ordinary files",
        "5 problem(s) in 5 file(s)",
    ]


def test_a_settings_fifo_and_an_agreement_text_device_are_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "obligations.toml")
    result = run_limited("notify", "--dry-run", "--as-of", "2025-11-01", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        f"cannot read the settings file '{tmp_path / 'obligations.toml'}': not a regular file but a "
        "named pipe (FIFO); settings files are ordinary files" in " ".join(result.stderr.split())
    )
    result = run_limited("extract", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "obligations extract: /dev/zero: not a regular file but a device; agreement texts are ordinary files"
    )
