"""Which registry a command reads, that it says so, and that filters and ids must name something in it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligations.cli import cli
from obligations.notify.settings import KEYS
from obligations.resources import cases_dir

YOUTH = "youth-shelter-self-reliance-mou-2025"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)


def one_agreement(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("contacts.yaml", f"{YOUTH}.yaml"):
        (folder / name).write_bytes((cases_dir() / name).read_bytes())
    return folder


def registry_of(*args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-11-01", "--format", "json", *args], env=env)
    assert result.exit_code in (0, 1), result.output
    registry = json.loads(result.output)["registry"]
    assert isinstance(registry, dict)
    return registry


def test_no_path_reads_the_bundled_sample_and_says_so() -> None:
    assert registry_of() == {"paths": [], "bundled": True, "agreements": 3, "problems": 0}
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-11-01", "--lang", "en"])
    assert result.output.splitlines()[-1] == (
        "as of 2025-11-01, horizon 60 days: 14 finding(s); 3 agreements, 0 problems — bundled sample registry"
    )


def test_obligations_registry_in_the_environment(tmp_path: Path) -> None:
    folder = one_agreement(tmp_path / "srv" / "agreements")
    assert registry_of(env={"OBLIGATIONS_REGISTRY": str(folder)}) == {
        "paths": [str(folder)],
        "bundled": False,
        "agreements": 1,
        "problems": 0,
    }


def test_registry_in_obligations_toml_is_relative_to_the_file(tmp_path: Path) -> None:
    one_agreement(tmp_path / "agreements")
    (tmp_path / "obligations.toml").write_text('registry = "agreements"\n', "utf-8")
    assert registry_of()["paths"] == [str(tmp_path / "agreements")]
    # the environment wins over the file, and a PATH over both
    other = one_agreement(tmp_path / "other")
    assert registry_of(env={"OBLIGATIONS_REGISTRY": str(other)})["paths"] == [str(other)]
    assert registry_of(str(cases_dir()))["agreements"] == 3


def test_both_spellings_of_the_registry_key_are_refused_together(tmp_path: Path) -> None:
    (tmp_path / "obligations.toml").write_text('registry = "a"\nOBLIGATIONS_REGISTRY = "b"\n', "utf-8")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2
    assert "'registry' and 'OBLIGATIONS_REGISTRY' name the same setting; keep one" in result.output


def test_a_missing_registry_folder_is_an_input_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status"], env={"OBLIGATIONS_REGISTRY": str(tmp_path / "nowhere")})
    assert result.exit_code == 2
    assert f"{tmp_path / 'nowhere'}: no such file or directory" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--party", "sesoul"],
            "Error: Invalid value for --party: no party 'sesoul' in the agreements checked; "
            "did you mean 'seoul'?",
        ),
        (
            ["--agreement", "no-such-id"],
            "Error: Invalid value for --agreement: no agreement 'no-such-id' in 3 agreements, 0 problems — "
            "bundled sample registry; known: iaec-membership-plan-2025, seoul-gimpo-seoullearn-mou-2025, "
            f"{YOUTH}",
        ),
        (
            ["--agreement", "youth-shelter", "--party", "seoul"],
            "Error: Invalid value for --agreement: no agreement 'youth-shelter' in 3 agreements, "
            f"0 problems — bundled sample registry; did you mean '{YOUTH}'?",
        ),
        (
            ["--agreement", YOUTH, "--party", "gimpo"],
            "Error: Invalid value for --party: no party 'gimpo' in the agreements checked; "
            "known: labor-office, seoul, shelter-council",
        ),
    ],
)
def test_a_filter_that_names_nothing_exits_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-11-01", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_check_as_csv() -> None:
    args = ["check", "--as-of", "2025-11-01", "--agreement", YOUTH, "--party", "seoul", "--format", "csv"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert {k: rows[0][k] for k in ("id", "code", "severity", "due", "days_left", "d", "owners")} == {
        "id": "notice-window-47d8e740",
        "code": "notice-window",
        "severity": "warning",
        "due": "2025-11-28",
        "days_left": "27",
        "d": "D-27",
        "owners": "youth-counselling",
    }
    assert len(rows) == 4


def test_explain_in_english_and_as_json() -> None:
    args = ["explain", "notice-window-47d8e740", "--as-of", "2025-11-01"]
    english = CliRunner().invoke(cli, [*args, "--lang", "en"]).output.splitlines()
    assert english[0] == "notice-window-47d8e740  notice window (warning)"
    assert "  due 2025-11-28 (D-27)" in english
    assert (
        "  why: The term renews by itself unless a party gives notice by the deadline, and no notice is "
        "recorded."
    ) in english
    assert english[-1].startswith("  7. ") and "2025-11-28" in english[-1]
    assert not any("기한" in line for line in english[3:])
    document = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert (document["id"], document["due"], document["d"]) == (
        "notice-window-47d8e740",
        "2025-11-28",
        "D-27",
    )
    assert document["explain"][-1] == "실제 통지 기한(근무일): 2025-11-28(금)"
    reason = "기한까지 당사자가 통지하지 않으면 협약이 자동으로 연장되는데, 아직 통지 기록이 없습니다."
    assert document["reason"] == reason


def test_validate_warns_of_a_party_no_owner_hears(tmp_path: Path) -> None:
    folder = one_agreement(tmp_path / "cases")
    path = folder / f"{YOUTH}.yaml"
    path.write_text(path.read_text("utf-8").replace(", owners: [youth-counselling]", ""), "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert lines[0] == (
        f"warning: {path}:8: parties.seoul: no owner: the findings about this party reach nobody; add e.g. "
        "'owners: [edu-platform-planning]' (keys of contacts.yaml) to this or another party"
    )
    assert len(lines) == 3
