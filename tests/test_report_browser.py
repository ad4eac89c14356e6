"""`obligations report` in a real browser (headless Chromium): one A4 sheet per agreement when printed,
derivations printed only when asked for, and no two timeline labels overlapping on the screen."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from browser_support import printed_pages, timeline_labels
from click.testing import CliRunner
from test_report import generated_registry

from obligations.cli import cli
from obligations.registry import load_registry
from obligations.resources import cases_dir

SCENARIOS = Path(__file__).parent / "scenarios" / "cases"


def write_report(folder: Path, *args: str) -> Path:
    page = folder / "report.html"
    result = CliRunner().invoke(cli, ["report", *args, "--output", str(page)])
    assert result.exit_code == 0, result.output
    return page


def finding_ids(page: Path) -> dict[str, set[str]]:
    """The finding ids the page shows, by the agreement (section) that shows them."""
    text = page.read_text("utf-8")
    ids: dict[str, set[str]] = {}
    for section in re.finditer(r'<section class="agreement" id="([^"]+)">(.*?)</section>', text, re.DOTALL):
        ids[section.group(1)] = set(re.findall(r"\b[a-z-]+-[0-9a-f]{8}\b", section.group(2)))
    return ids


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_each_agreement_of_the_sample_prints_on_one_a4_sheet(tmp_path: Path, lang: str) -> None:
    page = write_report(tmp_path, "--as-of", "2025-11-01", "--lang", lang)
    sheets = printed_pages(page, tmp_path)
    agreements = finding_ids(page)
    assert set(agreements) == {case.agreement.id for case in load_registry([cases_dir()]).cases}
    # The header and overview on the first sheet; then each agreement starts a sheet and ends on it.
    assert len(sheets) == 1 + len(agreements), [sheet[:80] for sheet in sheets]
    for agreement, ids in agreements.items():
        holding = [i for i, sheet in enumerate(sheets) if agreement in sheet]
        assert len(holding) == 1, (agreement, holding)
        sheet = sheets[holding[0]]
        assert all(ident in sheet for ident in ids), (agreement, ids)
    youth = next(s for s in sheets if "youth-shelter-self-reliance-mou-2025" in s)
    # The three parties' notice deadline is one entry naming all three, printed once.
    assert youth.count("notice-window-92cf0398,notice-window-47d8e740,notice-window-57e06c03") == 1
    if lang == "ko":
        assert "통지할수있는당사자:서울지방고용노동청,서울특별시,한국청소년쉼터협의회" in youth


def test_derivations_are_printed_only_when_asked_for(tmp_path: Path) -> None:
    # IAEC's dues roll over a weekend under 민법 제161조; the step is in every derivation of its dues.
    folded = printed_pages(write_report(tmp_path, "--as-of", "2025-11-01"), tmp_path)
    assert not any("민법제161조" in sheet for sheet in folded)
    assert not any("날짜의근거(" in sheet for sheet in folded)  # closed <details> print nothing at all
    (tmp_path / "open").mkdir()
    unfolded = printed_pages(
        write_report(tmp_path / "open", "--as-of", "2025-11-01", "--derivations"), tmp_path
    )
    assert any("민법제161조" in sheet for sheet in unfolded)
    assert any("날짜의근거(7단계)" in sheet for sheet in unfolded)


def overlaps(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes intersect (by more than a rounding error)."""
    pairs = []
    for a, b in combinations(labels, 2):
        width = min(a["right"], b["right"]) - max(a["left"], b["left"])
        height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
        if width > 0.5 and height > 0.5:
            pairs.append((a["text"], b["text"]))
    return pairs


# Eight dues on eight days running, a monthly duty, and one-month renewals a week's notice stops: more
# labels than there is room for, on every lane.
CROWDED = """\
id: crowded-mou
title: "기한이 몰린 협약"
signed: 2025-01-02
parties:
  city: {{name: 시, owners: [team]}}
  library: {{name: 도서관}}
term: {{length: 2m}}
renewal: {{automatic: true, length: 1m, max_renewals: 5, notice: {{lead: 1w, form: any, by: any}}}}
obligations:
{dues}
  - {{id: monthly, clause: "제9조", party: library, text: "월간 실적", schedule: {{every: month, due: 15}}}}
events: []
"""


def registry_of(tmp_path: Path, name: str) -> list[str]:
    folder = tmp_path / name
    if name == "sample":
        return []
    if name == "scenarios":  # recurring duties of every kind
        return [str(SCENARIOS)]
    if name == "generated":
        generated_registry(folder)  # long chains of renewals, stopped renewals, records
        return [str(folder)]
    folder.mkdir()
    (folder / "contacts.yaml").write_text("team: {name: 팀, email: team@example.org}\n", "utf-8")
    dues = "\n".join(
        f'  - {{id: report-{i}, clause: "제{i}조", party: city, text: "보고 {i}", due: 2025-02-{3 + i:02d}}}'
        for i in range(8)
    )
    (folder / "crowded-mou.yaml").write_text(CROWDED.format(dues=dues), "utf-8")
    return [str(folder)]


@pytest.mark.parametrize(
    ("registry", "as_of", "lang", "width"),
    [
        ("sample", "2025-11-01", "ko", 1000),
        ("sample", "2025-11-01", "en", 1000),
        ("sample", "2028-06-01", "ko", 1000),
        ("scenarios", "2026-03-01", "ko", 1000),
        ("scenarios", "2026-03-01", "en", 1000),
        ("generated", "2024-11-01", "en", 1000),
        ("crowded", "2025-06-20", "ko", 1000),
        ("crowded", "2025-06-20", "en", 1000),
        ("crowded", "2025-06-20", "ko", 700),  # about the width of an A4 sheet's printable area
    ],
)
def test_no_two_timeline_labels_overlap(
    tmp_path: Path, registry: str, as_of: str, lang: str, width: int
) -> None:
    page = write_report(tmp_path, *registry_of(tmp_path, registry), "--as-of", as_of, "--lang", lang)
    timelines = timeline_labels(page, tmp_path, width)
    assert len(timelines) == len(finding_ids(page))
    for timeline in timelines:
        labels = timeline["labels"]
        box = timeline["box"]
        assert any(re.fullmatch(r"\d\d-\d\d", label["text"]) for label in labels)  # dates are labelled
        assert overlaps(labels) == [], timeline["section"]
        outside = [
            label["text"]
            for label in labels
            if label["left"] < box["left"] - 0.5 or label["right"] > box["right"] + 0.5
        ]
        assert outside == [], timeline["section"]
