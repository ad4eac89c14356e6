"""A registry: the case files of a directory (or the files named), ``contacts.yaml`` and ``holidays.yaml``.

Loading never stops at a bad file: each problem is collected and reported, and every good file is still
returned, so that one typo in one agreement cannot silence the alerts of all the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
from obligations.model import Agreement, Contact, Contacts, Owners, Policy
from obligations.policy import POLICY, body_parties
from obligations.resources import cases_dir
from obligations.workdays import FILE_EXAMPLE, CalendarOverrideError, WorkdayCalendar, read_overrides

CONTACTS = "contacts.yaml"
HOLIDAYS = "holidays.yaml"
_NOT_CASES = {CONTACTS, HOLIDAYS, POLICY}


@dataclass(frozen=True)
class CaseFile:
    path: Path
    agreement: Agreement
    document: Document


@dataclass
class Registry:
    cases: list[CaseFile] = field(default_factory=list)  # none when run_check streamed the files
    contacts: dict[str, Contact] = field(default_factory=dict)
    calendar: WorkdayCalendar = field(default_factory=WorkdayCalendar)
    problems: list[InputProblem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # every case file looked at, good or bad
    roots: tuple[Path, ...] = ()  # the paths read, as given; () = the bundled sample registry
    # each contacts.yaml looked at, and whether it could be read (owner messages say which was read)
    contacts_files: dict[Path, bool] = field(default_factory=dict)
    # the file of every agreement that joined the registry, by id: kept also when the files are streamed
    admitted: dict[str, Path] = field(default_factory=dict)
    # policy.yaml by the folder it binds (the case files beside it), and whether each one found could be read
    policies: dict[Path, Policy] = field(default_factory=dict)
    policy_files: dict[Path, bool] = field(default_factory=dict)

    def owners_of(self, agreement: Agreement, party: str) -> tuple[str, ...]:
        """Who is told about a party's findings: its owners, or, for a party with none (a counterpart whose
        unit the text does not name), the owners of the other parties, who manage the agreement."""
        own = agreement.parties[party].owners
        if own:
            return own
        return tuple(dict.fromkeys(key for p in agreement.parties.values() for key in p.owners))


def unreached_parties(registry: Registry, case: CaseFile) -> list[InputProblem]:
    """Warnings: the parties of ``case`` whose findings reach no owner (neither their own nor another
    party's)."""
    warnings = []
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


def open_registry(paths: Sequence[Path] = ()) -> Registry:
    """The registry's contacts, holidays and list of case files, without reading any case file yet."""
    files, folders = case_paths(paths)
    registry = Registry(files=files, roots=tuple(paths))
    for folder in folders:
        _within_file(registry, folder / CONTACTS, _load_contacts)
        _within_file(registry, folder / HOLIDAYS, _load_holidays)
        _within_file(registry, folder / POLICY, _load_policy)
    return registry


def load_registry(paths: Sequence[Path] = ()) -> Registry:
    """Every case file read and kept; :func:`read_case` and :class:`Admission` one by one, for a stream."""
    registry = open_registry(paths)
    admission = Admission(registry)
    for path in registry.files:
        read, case = read_case(registry, path)
        problems = admission.problems(read)
        registry.problems.extend(problems)
        if case is not None and not problems:
            registry.cases.append(case)
    return registry


@dataclass(frozen=True)
class CaseRead:
    """What reading one case file found, small enough to send from a worker process."""

    path: Path
    agreement: str | None  # the agreement's id, once the file was read as an agreement
    id_line: int
    problems: tuple[InputProblem, ...]  # the file's own problems, or those of its owners
    counts: tuple[int, int, int] = (0, 0, 0)  # parties, obligations, events
    warnings: tuple[InputProblem, ...] = ()  # parties whose findings reach no owner


def read_case(registry: Registry, path: Path) -> tuple[CaseRead, CaseFile | None]:
    """One case file read and checked against the registry's contacts (not yet against the other files).

    The case comes back only when the file has no problem; whatever fails is that file's problem.
    """
    try:
        return _read_case(registry, path)
    except Exception as error:  # the per-file boundary: one file never stops the others being read
        return _refused(path, [unexpected_problem(path, error)])


def _read_case(registry: Registry, path: Path) -> tuple[CaseRead, CaseFile | None]:
    if not path.exists():
        return _refused(path, [InputProblem(str(path), None, "", "no such file or directory")])
    policy_read = registry.policy_files.get(path.parent / POLICY, True)
    agreement, document, problems = load_agreement(
        path, registry.policies.get(path.parent), policy_read=policy_read
    )
    if agreement is None or document is None:
        return _refused(path, problems)
    counts = (len(agreement.parties), len(agreement.obligations), len(agreement.events))
    owners = tuple(_owner_problems(registry, path, agreement, document))
    case = CaseFile(path, agreement, document)
    warnings = (*unreached_parties(registry, case), *_unbound(case))
    read = CaseRead(path, agreement.id, document.line(("id",)), owners, counts, warnings)
    return read, (None if owners else case)


def _refused(path: Path, problems: list[InputProblem]) -> tuple[CaseRead, None]:
    return CaseRead(path, None, 1, tuple(problems)), None


class AgreementsByFile(Mapping[str, Agreement]):
    """The registry's agreements by id, each read from its file when first asked for: after a streamed
    check, only the few that a digest needs (to say why an item was resolved) are read again."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.read: dict[str, Agreement] = {case.agreement.id: case.agreement for case in registry.cases}

    def __getitem__(self, key: str) -> Agreement:
        if key not in self.read:
            case = read_case(self.registry, self.registry.admitted[key])[1]
            if case is None:  # changed since the check: no reason can be read from it
                raise KeyError(key)
            self.read[key] = case.agreement
        return self.read[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.registry.admitted)

    def __len__(self) -> int:
        return len(self.registry.admitted)


class Admission:
    """Which files join the registry, in the order they are read: the first sound file with an id keeps it."""

    def __init__(self, registry: Registry) -> None:
        self.seen = registry.admitted

    def problems(self, read: CaseRead) -> list[InputProblem]:
        """The problems that keep the file out (a duplicate id first); none: it joins the registry."""
        problems = list(read.problems)
        if read.agreement is None:
            return problems
        if read.agreement in self.seen:
            duplicate = f"duplicate id {read.agreement!r}; also used by {self.seen[read.agreement]}"
            problems.insert(0, InputProblem(str(read.path), read.id_line, "id", duplicate))
        elif not problems:
            self.seen[read.agreement] = read.path
        return problems


def _within_file(registry: Registry, path: Path, load: Callable[[Registry, Path], None]) -> None:
    try:
        load(registry, path)
    except Exception as error:  # the per-file boundary: one file never stops the others being read
        registry.problems.append(unexpected_problem(path, error))


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


def _load_policy(registry: Registry, path: Path) -> None:
    """The policy that binds the case files of ``path``'s folder; every part optional, an empty file too."""
    if not path.exists():
        return
    try:
        document = read_document(path, empty=None)
    except LoadError as error:
        registry.problems.extend(error.problems)
        registry.policy_files[path] = False
        return
    policy: Policy | None = Policy()
    if isinstance(document.data, list | str | int | float | bool):
        example = "review: {every: year, due: 12-31}"
        registry.problems.append(
            InputProblem(str(path), 1, "", f"expected the policy's parts as a mapping, e.g. '{example}'")
        )
        policy = None
    elif document.data is not None:
        policy, problems = validate_document(document, Policy)
        # The policy's own page, not the case files', documents its keys.
        registry.problems.extend(
            replace(problem, message=problem.message.replace("docs/case-files.md", "docs/policy.md"))
            for problem in problems
        )
    registry.policy_files[path] = policy is not None
    if policy is not None:
        registry.policies[path.parent] = policy


def _unbound(case: CaseFile) -> list[InputProblem]:
    """A warning: the policy binds this agreement, but no party is the body's own (none has owners)."""
    agreement = case.agreement
    if agreement.policy is None or body_parties(agreement):
        return []
    where = ("parties",)
    return [
        InputProblem(
            str(case.path),
            case.document.line(where),
            field_path(where),
            f"{POLICY} binds this agreement, but no party has owners, so its duties fall on no one; give the "
            "body's own party its owners, e.g. 'owners: [edu-platform-planning]'",
        )
    ]


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


def _owner_problems(
    registry: Registry, path: Path, agreement: Agreement, document: Document
) -> Iterable[InputProblem]:
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
