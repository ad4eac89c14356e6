"""From the text of an agreement to an :class:`~obligations.extract.found.Extraction`.

>>> text = '''서울특별시-김포시 업무협약서
... 서울특별시(이하 “서울시”라 한다)와 김포시는 다음과 같이 협약한다.
... 제1조(협약기간) 본 협약의 기간은 체결일로부터 1년으로 한다.
... 2025. 2. 25.'''
>>> found = read_agreement(Lines.of(text))
>>> found.title.value, [p.key for p in found.parties], found.signed.value, str(found.term.length.value)
('서울특별시-김포시 업무협약', ['seoul', 'gimpo'], datetime.date(2025, 2, 25), '1y')
"""

from __future__ import annotations

from obligations.extract.found import Extraction, Todo
from obligations.extract.parties import (
    read_parties,
    read_party_list,
    read_signatories,
    read_signed,
    read_title,
)
from obligations.extract.roles import PartyNames, read_roles, read_surviving
from obligations.extract.schedule import read_due, read_schedule
from obligations.extract.source import Lines
from obligations.extract.structure import read_layout
from obligations.extract.term import read_renewal, read_term


class NotAnAgreement(ValueError):
    """The text lacks what every agreement has; the message says what was not found."""


def read_agreement(lines: Lines) -> Extraction:
    """Read title, parties, signing date, term, renewal and obligations; raise :class:`NotAnAgreement`."""
    layout = read_layout(lines)
    if layout.restarts:
        starts = ", ".join(f"L{line}" for line in [layout.articles[0].line, *layout.restarts])
        raise NotAnAgreement(
            f"the text holds {len(layout.restarts) + 1} agreements (제1조 at {starts}); "
            "cut each into a file of its own, from its title to its signatures"
        )
    # The preamble names the parties; else a list of them above it, else their signatures.
    parties = read_parties(layout.preamble) or read_party_list(layout) or read_signatories(layout)
    missing = []
    if not layout.articles:
        missing.append("no articles (제1조(목적) …)")
    if not parties:
        missing.append("no parties (a preamble such as 서울특별시(이하 “서울시”라 한다)와 김포시는 …)")
    if missing:
        raise NotAnAgreement("not an agreement: found " + " and ".join(missing))
    names = PartyNames(parties)
    term = read_term(layout.articles)
    renewal, no_renewal = read_renewal(layout.articles, term, names)
    roles = read_roles(layout.articles, names)
    surviving = read_surviving(layout.articles, names, {role.id for role in roles})
    for role in roles:
        role.schedule = read_schedule(role.text.value, role.text.line or 0)
        if role.schedule is None:
            role.due = read_due(role.text.value, role.text.line or 0)
    signed, signed_todos = read_signed(layout.closing, [layout.preamble])
    title = read_title(lines, layout.title_lines)
    todos = [*signed_todos]
    if title is None:
        todos.append(Todo("title", "no heading above the preamble; the agreement's title"))
    found = Extraction(
        title=title,
        signed=signed,
        parties=parties,
        term=term,
        renewal=renewal,
        obligations=[*roles, *surviving],
        todos=todos,
    )
    if no_renewal:
        found.notes["renewal"] = no_renewal
    return found
