"""The keepers' digest: what a nightly run knows and no owner would ever hear about.

Under cron or a systemd timer nobody reads stderr, so the problems a run meets would stay unseen: the
agreements of a file that cannot be read are simply not checked, an owner without a usable address gets
nothing, a digest the server refused is lost. The keepers (``OBLIGATIONS_KEEPERS``, ``keepers`` in
obligations.toml: keys of contacts.yaml) get one digest of them:

- files that could not be read: file, line and message, and the owners the file names (as far as it can
  still be read), who are therefore not alerted about it;
- owners without a usable address, with the agreements whose findings they miss;
- agreements and parties whose findings reach nobody;
- owners' digests not delivered.

Each problem is mailed when it appears, again when it is still there a week (:data:`REMIND_AFTER`) after it
was last mailed, and listed once as resolved when a run over the same registry no longer meets it. The
ledger records a keeper's digest only once the server accepted it, as it does for owners: one that could
not be sent goes out with the next run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from obligations.findings import Finding, InputProblem
from obligations.loading import LoadError, read_document
from obligations.model import Contact
from obligations.notify.delivery import Outcome
from obligations.notify.ledger import KeeperTold, Pending
from obligations.notify.plan import Recipient, Unusable
from obligations.notify.settings import is_addr_spec
from obligations.textfile import FileRefused, read_limited
from obligations.views.text import one_line

REMIND_AFTER = timedelta(days=7)
BUNDLED = "bundled sample registry"  # the scope of a run over the registry shipped with the package
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FLOW_OWNERS = re.compile(r"\bowners\s*:\s*\[([^\]#]*)\]")
_BLOCK_OWNERS = re.compile(r"^(\s*)owners\s*:\s*(?:#.*)?$")
_ITEM = re.compile(r"^\s*-\s*([a-z0-9][a-z0-9-]*)\s*(?:#.*)?$")


class Kind(StrEnum):
    UNREAD = "unread"
    NO_ADDRESS = "no-address"
    UNREACHED = "unreached"
    UNDELIVERED = "undelivered"


@dataclass(frozen=True)
class Problem:
    """One thing a keeper should know: its kind, what it is about, what is wrong, and who misses out."""

    kind: Kind
    subject: str  # the file, the owner's key, "agreement / party", the recipient
    details: tuple[str, ...]  # what is wrong, one line each
    missed: tuple[str, ...] = ()  # who or what is not alerted because of it

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject}"


@dataclass(frozen=True)
class KeeperDigest:
    recipient: Recipient
    as_of: date
    scope: str
    new: tuple[Problem, ...]
    again: tuple[tuple[Problem, date], ...]  # still there a week after it was last mailed; first mailed on
    resolved: tuple[KeeperTold, ...]
    quiet: int  # open problems mailed within the week, not repeated tonight

    def told(self) -> list[KeeperTold]:
        """What the ledger records once this digest is accepted."""
        first = {problem.key: since for problem, since in self.again}
        return [
            KeeperTold(
                p.key, self.recipient.address, self.recipient.name, p.kind, p.subject, self.scope,
                first.get(p.key, self.as_of), self.as_of,
            )
            for p in [*self.new, *(problem for problem, _ in self.again)]
        ]  # fmt: skip


# -- what went unseen ------------------------------------------------------------------------------


def unread_files(problems: Sequence[InputProblem], contacts: Mapping[str, Contact]) -> list[Problem]:
    """One problem per file that could not be read, with its lines, and the owners it names."""
    by_file: dict[str, list[InputProblem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    return [
        Problem(
            Kind.UNREAD,
            file,
            tuple(_problem_line(p) for p in found),
            tuple(_owner(key, contacts) for key in owners_named_in(Path(file))),
        )
        for file, found in by_file.items()
    ]


def _problem_line(problem: InputProblem) -> str:
    where = f"{problem.line}: " if problem.line else ""
    field = f"{problem.field}: " if problem.field else ""
    return one_line(f"{where}{field}{problem.message}", 500)


def owners_named_in(path: Path) -> tuple[str, ...]:
    """The owner keys a case file names, read as far as it can be: as YAML when it parses (a file refused
    for its content), else line by line (``owners: [a, b]`` or a block list), for a file whose YAML is
    broken. Nothing for a file that is not text or cannot be opened."""
    try:
        data = read_document(path).data
    except LoadError:
        return _owners_in_lines(path)
    found: list[str] = []
    parties = data.get("parties") if isinstance(data, dict) else None
    for party in parties.values() if isinstance(parties, dict) else ():
        owners = party.get("owners") if isinstance(party, dict) else None
        if isinstance(owners, list):
            found.extend(owner for owner in owners if isinstance(owner, str))
    return tuple(dict.fromkeys(key for key in found if _KEY.fullmatch(key)))


def _owners_in_lines(path: Path) -> tuple[str, ...]:
    try:
        text = read_limited(path, "case files").decode("utf-8", "replace")
    except (FileRefused, OSError):
        return ()
    found: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if flow := _FLOW_OWNERS.search(line):
            found.extend(item.strip().strip("'\"") for item in flow[1].split(","))
        elif block := _BLOCK_OWNERS.match(line):
            for following in lines[i + 1 :]:
                item = _ITEM.match(following)
                if item is None or len(following) - len(following.lstrip()) < len(block[1]):
                    break
                found.append(item[1])
    return tuple(dict.fromkeys(key for key in found if _KEY.fullmatch(key)))


def _owner(key: str, contacts: Mapping[str, Contact]) -> str:
    contact = contacts.get(key)
    if contact is None:
        return key
    shown = ", ".join(one_line(part, 80) for part in (contact.name or "", contact.email or "") if part)
    return f"{key} ({shown})" if shown else key


def unusable_owners(unusable: Mapping[Unusable, set[str]], contacts: Mapping[str, Contact]) -> list[Problem]:
    """One problem per owner who cannot be mailed, naming the agreements whose findings they miss."""
    problems = []
    for owner, agreements in sorted(unusable.items(), key=lambda item: item[0].owner):
        if owner.owner not in contacts:
            why = "not in contacts.yaml"
        elif owner.address is None:
            why = "no e-mail address in contacts.yaml"
        else:
            why = f"unusable e-mail address {one_line(owner.address, 100)!r} in contacts.yaml"
        problems.append(Problem(Kind.NO_ADDRESS, owner.owner, (why,), tuple(sorted(agreements))))
    return problems


def unreached_findings(unreached: Mapping[tuple[str, str], list[Finding]]) -> list[Problem]:
    """One problem per agreement and party whose findings reach nobody, with those findings."""
    problems = []
    for (agreement, party), findings in sorted(unreached.items()):
        owners = findings[0].owners
        why = f"owners {', '.join(owners)}: none can be mailed" if owners else "no party of it has an owner"
        listed = tuple(f"{f.id}: {one_line(f.label or f.code)} {f.due or ''}".rstrip() for f in findings)
        problems.append(
            Problem(
                Kind.UNREACHED, f"{agreement} / {party}", (one_line(findings[0].agreement_title), why), listed
            )
        )
    return problems


def undelivered_digests(failed: Iterable[Outcome], pending: Mapping[str, Pending]) -> list[Problem]:
    """One problem per owner whose digest was not delivered tonight, since when and how often tried."""
    problems = []
    for outcome in failed:
        since = pending.get(outcome.recipient)
        detail = f"{outcome.status.value}: {one_line(outcome.detail, 300)}"
        tried = (f"undelivered since {since.since}, attempt {since.attempts}",) if since else ()
        problems.append(Problem(Kind.UNDELIVERED, outcome.recipient, (detail, *tried)))
    return problems


# -- who is told what tonight ----------------------------------------------------------------------


def keeper_recipients(
    keys: Sequence[str], contacts: Mapping[str, Contact]
) -> tuple[list[Recipient], list[str]]:
    """The keepers' mailboxes, and a problem line for each keeper who cannot be mailed."""
    found: list[Recipient] = []
    problems: list[str] = []
    for key in keys:
        contact = contacts.get(key)
        address = (contact.email or "").strip() if contact else ""
        if contact is None:
            problems.append(f"keeper {key!r} is not in contacts.yaml; problems are not mailed to them")
        elif not is_addr_spec(address):
            problems.append(f"keeper {key!r} has no usable e-mail address in contacts.yaml ({address!r})")
        else:
            found.append(Recipient(address.lower(), one_line(contact.name or key)))
    return found, problems


def plan_keepers(
    problems: Sequence[Problem],
    keepers: Sequence[Recipient],
    told: Iterable[KeeperTold],
    *,
    as_of: date,
    scope: str,
) -> list[KeeperDigest]:
    """Per keeper: the problems new to them, those still there a week after they were last mailed, and
    those mailed before that a run over the same registry (``scope``) no longer meets."""
    current = {problem.key: problem for problem in problems}
    by_keeper: dict[str, dict[str, KeeperTold]] = {}
    for entry in told:
        by_keeper.setdefault(entry.recipient, {})[entry.problem] = entry
    digests = []
    for keeper in keepers:
        mine = by_keeper.get(keeper.address, {})
        new = tuple(p for p in current.values() if p.key not in mine)
        again = tuple(
            (p, mine[p.key].first_told)
            for p in current.values()
            if p.key in mine and as_of >= mine[p.key].last_told + REMIND_AFTER
        )
        resolved = tuple(t for key, t in mine.items() if key not in current and t.scope == scope)
        quiet = sum(p.key in mine for p in current.values()) - len(again)
        if new or again or resolved:
            digests.append(KeeperDigest(keeper, as_of, scope, new, again, resolved, quiet))
    return digests
