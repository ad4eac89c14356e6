"""A registry: the case files of a directory (or the files named), ``contacts.yaml`` and ``holidays.yaml``.

Loading never stops at a bad file: each problem is collected and reported, and every good file is still
returned, so that one typo in one agreement cannot silence the alerts of all the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from obligations.findings import InputProblem, unexpected_problem
from obligations.loading import (
    Document,
    LoadError,
    field_path,
    load_agreement,
    read_document,
    validate_document,
)
from obligations.model import Agreement, Contact, Contacts, Owners
from obligations.resources import cases_dir
from obligations.workdays import FILE_EXAMPLE, CalendarOverrideError, WorkdayCalendar, read_overrides

CONTACTS = "contacts.yaml"
HOLIDAYS = "holidays.yaml"
_NOT_CASES = {CONTACTS, HOLIDAYS}


@dataclass(frozen=True)
class CaseFile:
    path: Path
    agreement: Agreement
    document: Document


@dataclass
class Registry:
    cases: list[CaseFile] = field(default_factory=list)
    contacts: dict[str, Contact] = field(default_factory=dict)
    calendar: WorkdayCalendar = field(default_factory=WorkdayCalendar)
    problems: list[InputProblem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # every case file looked at, good or bad
    roots: tuple[Path, ...] = ()  # the paths read, as given; () = the bundled sample registry
    # each contacts.yaml looked at, and whether it could be read (owner messages say which was read)
    contacts_files: dict[Path, bool] = field(default_factory=dict)

    def owners_of(self, agreement: Agreement, party: str) -> tuple[str, ...]:
        """Who is told about a party's findings: its owners, or, for a party with none (a counterpart whose
        unit the text does not name), the owners of the other parties, who manage the agreement."""
        own = agreement.parties[party].owners
        if own:
            return own
        return tuple(dict.fromkeys(key for p in agreement.parties.values() for key in p.owners))


def unreached_parties(registry: Registry) -> list[InputProblem]:
    """Warnings: parties whose findings reach no owner (neither their own nor another party's)."""
    warnings = []
    for case in registry.cases:
        for key in case.agreement.parties:
            if not registry.owners_of(case.agreement, key):
                where = ("parties", key)
                warnings.append(
                    InputProblem(
                        str(case.path),
                        case.document.line(where),
                        field_path(where),
                        "no owner: the findings about this party reach nobody; add e.g. "
                        "'owners: [edu-platform-planning]' (keys of contacts.yaml) to this or another party",
                    )
                )
    return warnings


def case_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The case files named or found in the directories named, and the directories that hold them."""
    files: list[Path] = []
    folders: list[Path] = []
    for path in paths or [cases_dir()]:
        if path.is_dir():
            folders.append(path)
            files.extend(
                p
                for p in sorted(path.iterdir())
                if p.suffix in (".yaml", ".yml") and p.name not in _NOT_CASES
            )
        else:
            folders.append(path.parent)
            files.append(path)
    return files, list(dict.fromkeys(folders))


def load_registry(paths: Sequence[Path] = ()) -> Registry:
    files, folders = case_paths(paths)
    registry = Registry(files=files, roots=tuple(paths))
    for folder in folders:
        _within_file(registry, folder / CONTACTS, _load_contacts)
        _within_file(registry, folder / HOLIDAYS, _load_holidays)
    seen: dict[str, Path] = {}
    for path in files:
        _within_file(registry, path, partial(_load_case, seen=seen))
    return registry


def _within_file(registry: Registry, path: Path, load: Callable[[Registry, Path], None]) -> None:
    try:
        load(registry, path)
    except Exception as error:  # the per-file boundary: one file never stops the others being read
        registry.problems.append(unexpected_problem(path, error))


def _load_case(registry: Registry, path: Path, seen: dict[str, Path]) -> None:
    if not path.exists():
        registry.problems.append(InputProblem(str(path), None, "", "no such file or directory"))
        return
    agreement, document, problems = load_agreement(path)
    if agreement is None or document is None:
        registry.problems.extend(problems)
        return
    later = list(_registry_problems(registry, path, agreement, document, seen))
    registry.problems.extend(later)
    if not later:
        seen[agreement.id] = path
        registry.cases.append(CaseFile(path, agreement, document))


def _load_contacts(registry: Registry, path: Path) -> None:
    """Owner keys at the top level (the documented form), or the same map under a ``contacts:`` key."""
    if not path.exists():
        return
    try:
        document = read_document(path)
    except LoadError as error:
        registry.problems.extend(error.problems)
        registry.contacts_files[path] = False
        return
    wrapped = isinstance(document.data, dict) and set(document.data) == {"contacts"}
    owners: dict[str, Contact] | None = None
    if wrapped:
        contacts, problems = validate_document(document, Contacts)
        owners = contacts.contacts if contacts is not None else None
    else:
        top_level, problems = validate_document(document, Owners)
        owners = top_level.root if top_level is not None else None
    registry.problems.extend(problems)
    registry.contacts_files[path] = owners is not None
    registry.contacts.update(owners or {})


def _load_holidays(registry: Registry, path: Path) -> None:
    if not path.exists():
        return
    try:
        registry.calendar = read_calendar(path)
    except CalendarOverrideError as error:
        message = f"{error.message} (example: {error.example})"
        registry.problems.append(InputProblem(error.file, error.line, error.field, message))


def read_calendar(path: Path) -> WorkdayCalendar:
    """The working-day calendar corrected by a holiday overrides file, read like a case file (size, UTF-8,
    no YAML tags, aliases or merge keys); any problem is a :class:`CalendarOverrideError`."""
    try:
        document = read_document(path, empty=None)
    except LoadError as error:
        first = error.problems[0]
        raise CalendarOverrideError(first.file, first.line, "(file)", first.message, FILE_EXAMPLE) from None
    return WorkdayCalendar(read_overrides(str(path), document.data, document.line))


def _registry_problems(
    registry: Registry, path: Path, agreement: Agreement, document: Document, seen: dict[str, Path]
) -> Iterable[InputProblem]:
    if agreement.id in seen:
        yield InputProblem(
            str(path),
            document.line(("id",)),
            "id",
            f"duplicate id {agreement.id!r}; also used by {seen[agreement.id]}",
        )
    for key, party in agreement.parties.items():
        for i, owner in enumerate(party.owners):
            if owner not in registry.contacts:
                where = ("parties", key, "owners", i)
                yield InputProblem(
                    str(path),
                    document.line(where),
                    field_path(where),
                    f"unknown owner {owner!r}; {_contacts_read(registry, path.parent / CONTACTS)}",
                )


def _contacts_read(registry: Registry, beside: Path) -> str:
    """Which contacts files were read, in words that are true for this case file."""
    read = [str(path) for path, ok in registry.contacts_files.items() if ok]
    if registry.contacts_files.get(beside) is False:
        return f"{beside} could not be read (its problems are listed with it)"
    if not read:
        return f"there is no {CONTACTS} beside this file ({beside}); see docs/case-files.md"
    return f"known owners (from {', '.join(read)}): {', '.join(sorted(registry.contacts))}"
