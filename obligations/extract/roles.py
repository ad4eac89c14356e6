"""Each party's roles (역할), and the duties that survive the end of the agreement.

A list of roles is a unit whose items are role headings, each naming a party:

- ``1. “서울시”의 역할`` then ``가. …`` ``나. …`` (the seed's 서울특별시-김포시 협약, 제3조 ②);
- ``1. 서울시는 다음의 역할을 수행한다.`` then ``가. …`` (the seed's 청소년쉼터 협약, 제2조);
- ``1. 갑: 사업 총괄 및 예산 지원`` (the party, a colon, its role on the same line);
- ``1. 성남시`` or ``1. 갑`` alone on its line, then ``가. …`` ``나. …``;
- ``① 진흥원은 다음 각 호의 사항을 수행한다.`` then ``1. …`` ``2. …``;
- an article titled after one party: ``제3조(서울시의 역할) ① … ② …`` or ``제2조(갑의 역할) (1) … (2) …``;
- prose, one paragraph per party, in an article about roles (``제2조(기관별 역할)``):
  ``① 서울특별시교육청은 학교 시설을 제공하고, 참여 학생 모집을 지원한다.`` — each clause (``…하고,``,
  ``…하며,``) is a role, written without its verb ending: ``학교 시설을 제공``, ``참여 학생 모집을 지원``;
- prose naming several parties: ``갑은 A를 지원하고, 을은 B를 운영한다.`` (each clause of its own subject),
  ``을과 병은 강좌를 공동으로 개설한다.``, ``갑과 을은 다음 각 호의 사항에 대하여 협력한다.`` then ``1. …``
  (duties of the parties named);
- a table, one row per party: ``서울시 | 거점 조성 사업비 지원``, ``1 | 구 | …``,
  ``갑 | 서울특별시 강북구 | …`` (the row is the role).

An item beside the headings that is not one (``3. 기타 상호 합의에 의한 양 기관의 …``) is a joint role: it
belongs to the parties it names, or to all of them when it names fewer than two.

A duty survives when its article says so: ``본 협약이 종료된 후에도 그 효력이 유지된다``,
``협약 기간 종료 후에도 유지된다`` (``survives: true``), ``협약 종료 후 3년간 존속한다``, ``협약 종료일로부터
3년간 존속한다`` (``survives: 3y``). The whole article is the obligation, binding every party; a clause that
names other articles or their paragraphs (``제4조의 의무는 … 존속한다``, ``제5조 제2항은 …``) makes those the
obligations.
"""

from __future__ import annotations

import re

from obligations.duration import Duration
from obligations.extract.found import Cited, ObligationFound, PartyFound
from obligations.extract.keys import role_key, topic_key
from obligations.extract.structure import Unit

_Q_OPEN = "“”\"'‘’「『"
_Q_CLOSE = "“”\"'‘’」』"
# A party as a heading or a table names it: "서울시", "“서울시”", "갑(서울특별시 중구)", "성동구(갑)".
_WHO = rf"[{_Q_OPEN}]?(?P<who>[^{_Q_OPEN}{_Q_CLOSE}\s:：]+?(?:\s*\([^()]+\))?)[{_Q_CLOSE}]?"
# "갑(서울특별시 중구)", "성동구(갑)": a name and, in parentheses, another name of the same party.
_NAME_AND_OTHER = re.compile(r"(?P<name>[^()]+?)\s*\((?P<other>[^()]+)\)")
# "“서울시”의 역할", "서울시 역할", "서울시의 역할: 공간 제공", "갑의 업무", "갑의 협력사항"
ROLE_OF = re.compile(
    rf"^\(?{_WHO}\s*(?:의)?\s*(?:역할|임무|업무|책무|의무|(?:담당|협력|수행)\s*사항)\)?\s*(?:[:：]\s*(?P<inline>.+))?$"
)
# "갑: 사업 총괄 및 예산 지원", "서울시 : 공간 제공": a party's name, a colon, and its role.
_PARTY_COLON = re.compile(rf"^{_WHO}\s*[:：]\s*(?P<inline>\S.*)$")
# "서울시는 다음의 역할을 수행한다.", "진흥원은 다음 각 호의 사항을 수행한다."
# "구의 역할은 다음 각 호와 같다."
_SUBJECT_OF_LIST = re.compile(
    rf"^{_WHO}\s*(?:(?:은|는|이|가)\s+(?:다음|아래)\S*\s.*?(?:역할|사항|업무|임무|내용).*(?:수행|담당|이행|추진|한다)"
    r"|의\s*(?:역할|임무|업무|담당\s*사항)\s*(?:은|는)\s+(?:다음|아래))"
)
# "공동 역할", "양 기관의 공동 역할": a heading whose items belong to every party.
_JOINT_HEADING = re.compile(
    r"^(?:양\s*기관|각\s*기관|상호|공동)\S*\s*(?:의\s*)?(?:공동\s*)?(?:역할|협력\s*사항|사항)\s*$"
)
# A line that looks like a body's name (its last word ends as bodies' names do: …시, …구청, …재단, …대학교)
# but names no party read from the text: it heads a party's roles, which cannot be given to anyone.
_LOOKS_LIKE_A_BODY = re.compile(
    r"(?:^|\s)[가-힣]{2,}(?:특별시|광역시|시|군|구|도|청|재단|공단|공사|협회|센터|대학교|대학|연구원|진흥원"
    r"|복지관|도서관|경찰서|협의회|위원회|본부|회)(?:\s*\([^()]+\))?$"
)


# "종료 후 5년이 경과할 때까지", "5년이 되는 날까지", "5년이 지날 때까지": a length counted from the end.
_UNTIL_PASSED = r"(?:이|가)\s*(?:경과할|지날|되는\s*날)\s*(?:때\s*)?까지"
# "종료된 후에도 그 효력이 유지된다" (no end), "종료 후 3년간 존속한다", "만료된 후에도 3년간 유효하다"
# (a length counted from the end): after the end, then either 에도 or a length, then a verb of lasting.
_SURVIVES = re.compile(
    r"(?:(?:종료|만료|해지|해제|끝난)\S*\s*(?:된\s*)?(?:후|이후|뒤)(?P<also>에도)?"
    + r"(?:\s*(?:로부터\s*)?(?P<n>\d{1,2})\s*(?P<unit>년|개월)\s*(?:간|동안|"
    + _UNTIL_PASSED
    + r"))?"
    # "협약 종료일로부터 2년간", "만료된 날부터 1년간": counted from the end, a length required.
    + r"|(?:종료|만료|해지)(?:일|된\s*날|한\s*날)\s*(?:로\s*)?부터\s*"
    r"(?P<n2>\d{1,2})\s*(?P<unit2>년|개월)\s*(?:간|동안|"
    + _UNTIL_PASSED
    + r"))"
    + r".{0,40}?(?:유지|유효|존속|효력을\s*가|적용|지속)"
)


# Particles after a one-syllable designation (갑은, 을과, 병의): "을" alone is also the object particle of
# every sentence, so a designation counts only as a word of its own followed by one of these.
_AFTER_DESIGNATION = r"(?=[은는이가과와의에도및,\s]|에게|$)"
_ROLES_ARTICLE = re.compile(r"역할|임무|의무|분담|협력")
_SUBJECT_PARTICLE = re.compile(r"\s*(?:은|는|이|가)\s+")
_JOINED = re.compile(r"\s*(?:과|와|및|,)\s*")
# "양 기관은", "세 기관은", "참여기관은", "협약 당사자들은": every party as the subject.
_EVERY_PARTY = re.compile(
    r"(?:양|각|두|세|네|다섯|모든|참여|협약|협력)\s*(?:기관|당사자)(?:들)?\s*(?:은|는|이|가)\s+"
)
# The verb ending at the end of a clause.
# The end of a clause of prose: "…을 제공하고, …", "…을 부담하며, …", and the end of a sentence.
_CLAUSE_BREAK = re.compile(r"(?:하고|하며)\s*,?\s+|(?<=다)\.\s+")
# "제4조의 의무는", "제7조 및 제8조의 규정은", "이 협약 제6조는": the articles a sentence keeps in force.
# "제4조 및 제6조의 의무는", "제1항의 비밀유지 의무는", "제5조 제2항은": the articles or paragraphs a
# sentence keeps in force.
_REFERENCE = r"제\s*\d+\s*(?:조(?:\s*제\s*\d+\s*항)?|항)"
_ARTICLES_NAMED = re.compile(
    rf"(?:(?:본|이)\s*협약\s*)?{_REFERENCE}(?:\s*(?:및|,|와|과)\s*{_REFERENCE})*"
    r"\s*(?:의\s*(?:[^\s.]+\s+){0,2}?(?:의무|규정|내용|조항)\s*)?(?:은|는|이|가)\s"
)
_ONE_REFERENCE = re.compile(r"제\s*(\d+)\s*(조|항)(?:\s*제\s*(\d+)\s*항)?")
_OBJECT = re.compile(r"[을를]\s")
# "…을 지원한다" → "…을 지원"; "…지원을 하여야 한다" (하다 as a word of its own) → "…지원".
_VERB_ENDING = re.compile(
    r"(?:[을를]\s+(?=하))?\s*(?:하여야\s*한다|하기로\s*한다|한다|하고|하며)?\s*[.,]?\s*$"
)


class PartyNames:
    """Finds which party a heading names, by full or short name (``서울특별시``, ``서울시``, ``갑``)."""

    def __init__(self, parties: list[PartyFound]) -> None:
        self.parties = parties
        self.by_name: dict[str, str] = {}
        for party in parties:
            self.by_name[party.name.replace(" ", "")] = party.key
            if party.short:
                self.by_name[party.short.replace(" ", "")] = party.key
        # Longest first, so that 서울특별시교육청 is not read as 서울특별시 followed by 교육청.
        self._mentions = [
            (re.compile(self._pattern(name)), key)
            for name, key in sorted(self.by_name.items(), key=lambda item: -len(item[0]))
        ]

    @staticmethod
    def _pattern(name: str) -> str:
        spaced = r"\s*".join(map(re.escape, name))
        return rf"(?<![가-힣A-Za-z0-9]){spaced}" + (_AFTER_DESIGNATION if len(name) == 1 else "")

    def key(self, who: str) -> str | None:
        """The party ``who`` names: a name or short name, or one with another in parentheses, when the two
        do not name different parties (``갑(서울특별시 중구)``, ``성동구(갑)``)."""
        if (key := self.by_name.get(who.replace(" ", ""))) is not None:
            return key
        if match := _NAME_AND_OTHER.fullmatch(who.strip()):
            keys = {self.by_name.get(part.replace(" ", "")) for part in match.groups()} - {None}
            return keys.pop() if len(keys) == 1 else None
        return None

    def named_in(self, text: str) -> tuple[str, ...]:
        """Parties whose name or short name appears in ``text``, in the order of the parties."""
        named = {key for pattern, key in self._mentions if pattern.search(text)}
        return tuple(party.key for party in self.parties if party.key in named)

    def subject(self, text: str) -> tuple[tuple[str, ...], int] | None:
        """The parties that ``text`` starts with as its subject, and where the rest begins: one
        (``서울특별시 강서구는 …``), several (``을과 병은 …``, ``갑, 을 및 병은 …``) or all
        (``양 기관은 …``)."""
        if match := _EVERY_PARTY.match(text):
            return self.all, match.end()
        keys: list[str] = []
        position = 0
        while (mention := self._mention_at(text, position)) is not None:
            keys.append(mention[0])
            if match := _SUBJECT_PARTICLE.match(text, mention[1]):
                return tuple(dict.fromkeys(keys)), match.end()
            if (match := _JOINED.match(text, mention[1])) is None:
                return None
            position = match.end()
        return None

    def _mention_at(self, text: str, position: int) -> tuple[str, int] | None:
        for pattern, key in self._mentions:
            if match := pattern.match(text, position):
                return key, match.end()
        return None

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(party.key for party in self.parties)


def _heading(unit: Unit, names: PartyNames) -> tuple[tuple[str, ...], str | None] | None:
    """(parties, inline role) if ``unit`` heads the roles of a party; None if it is not a heading."""
    text = unit.text.text.strip()
    if match := ROLE_OF.match(text):
        key = names.key(match["who"])
        if key is not None:
            return (key,), match["inline"]
    if (match := _PARTY_COLON.match(text)) and (key := names.key(match["who"])) is not None:
        return (key,), match["inline"]
    # "1. 성남시" or "1. 갑" alone on its line, its roles in the items under it (가. … 나. …).
    if unit.children and (key := names.key(text.strip("“”\"'‘’「」:： "))) is not None:
        return (key,), None
    if (match := _SUBJECT_OF_LIST.match(text)) and unit.children:
        key = names.key(match["who"])
        if key is not None:
            return (key,), None
    if _JOINT_HEADING.match(text) and unit.children:
        return names.all, None
    # "갑과 을은 다음 각 호의 사항에 대하여 상호 협력한다.": the items are duties of the parties named (unless
    # they are headings themselves: "② 각 기관은 다음 각 호에 따른 역할을 수행한다. 1. 서울시의 역할 …").
    if (
        unit.children
        and (subject := names.subject(text))
        and re.match(r"다음|아래", text[subject[1] :])
        and not any(_heading(child, names) for child in unit.children)
    ):
        return subject[0], None
    return None


def role_of(
    unit: Unit, parties: tuple[str, ...], text: str | None = None, note: str = "", named_at: int | None = None
) -> ObligationFound:
    """``named_at``: the line of the heading that names the party; the item's own line when it has none."""
    return ObligationFound(
        id="",
        clause=unit.clause,
        parties=Cited(parties, named_at or unit.line, note),
        text=Cited(text if text is not None else unit.text.text.strip(), unit.text.first_line or unit.line),
    )


def _roles_under(parent: Unit, names: PartyNames) -> list[ObligationFound]:
    headings = [(child, _heading(child, names)) for child in parent.children]
    if not any(heading for _, heading in headings):
        return []
    roles = []
    for child, heading in headings:
        if heading is not None:
            parties, inline = heading
            if child.children:
                roles += [
                    role_of(leaf, parties, named_at=child.line)
                    for leaf in child.leaves()
                    if leaf is not child
                ]
            elif inline:
                roles.append(role_of(child, parties, inline.strip()))
        elif child.children:
            roles += _unowned(child)
        else:
            named = names.named_in(child.text.text)
            if len(named) >= 2:
                roles.append(role_of(child, named, note="joint: names " + ", ".join(named)))
            else:
                roles.append(role_of(child, names.all, note="joint: beside the roles, names no single party"))
    return roles


def _unowned(heading: Unit) -> list[ObligationFound]:
    """The items under a heading that names no party read from the text: each a role whose party the
    analyst gives, never a role dropped or given to every party."""
    what = f"L{heading.line} “{heading.text.text.strip()}” heads these roles but names no party of the text"
    return [
        role_of(leaf, (), note=f"{what}: the key of the party that owes it")
        for leaf in heading.leaves()
        if leaf is not heading
    ]


def _unread_heading(unit: Unit, names: PartyNames) -> bool:
    return (
        bool(unit.children)
        and bool(_LOOKS_LIKE_A_BODY.search(unit.text.text.strip()))
        and not (names.named_in(unit.text.text))
    )


def prose_roles(article: Unit, names: PartyNames, owner: str | None = None) -> list[ObligationFound]:
    """``① 서울특별시교육청은 A를 제공하고, B를 지원한다.``: a role per clause, of the sentence's subject.

    A clause may name a subject of its own (``갑은 A를 지원하고, 을은 B를 운영한다.``): the roles from it on
    are that party's. A clause without an object of its own shares the one before (``장비를 설치하고
    유지관리한다`` is one role). ``owner``: the party of an article about one party, whose sentences may
    omit it.
    """
    roles = []
    for unit in article.leaves():
        text = unit.text.text
        subject = names.subject(text) or (((owner,), 0) if owner else None)
        if subject is None or re.search(r"다음|아래", text[: subject[1] + 12]):
            continue
        for keys, named_at, start, end in _clauses(unit, names, subject):
            clause = _VERB_ENDING.sub("", text[start:end]).strip()
            if clause:
                roles.append(
                    ObligationFound(
                        id="",
                        clause=unit.clause,
                        parties=Cited(keys, named_at, "the subject of the sentence"),
                        text=Cited(clause, unit.text.line_at(start), "one clause of the sentence"),
                    )
                )
    return roles


def _clauses(
    unit: Unit, names: PartyNames, subject: tuple[tuple[str, ...], int]
) -> list[tuple[tuple[str, ...], int, int, int]]:
    """(parties, line naming them, start, end) of each clause of the sentence in ``unit``, after its
    subject."""
    text = unit.text.text
    key, start = subject
    named_at = unit.text.line_at(0)
    clauses: list[tuple[tuple[str, ...], int, int, int]] = []
    for match in [*_CLAUSE_BREAK.finditer(text, start), None]:
        end = match.start() if match else len(text)
        if (other := names.subject(text[start:end])) is not None:
            key, start, named_at = other[0], start + other[1], unit.text.line_at(start)
        elif clauses and clauses[-1][0] == key and not _OBJECT.search(text[start:end]):
            clauses[-1] = (*clauses[-1][:3], end)
            start = match.end() if match else len(text)
            continue
        clauses.append((key, named_at, start, end))
        start = match.end() if match else len(text)
    return clauses


def _table_roles(article: Unit, names: PartyNames) -> list[ObligationFound]:
    """A table whose rows start with a party (after a row number, if any): the rest of the row is that
    party's role."""
    roles = []
    for unit in article.walk():
        for row in unit.rows:
            cells = row.cells[1:] if row.cells and row.cells[0].isdigit() else row.cells
            key = names.key(cells[0]) if cells else None
            # "갑 | 서울특별시 강북구 | …": a designation, then the same party's name, then its role.
            rest = cells[1:]
            while rest and key is not None and names.key(rest[0]) == key:
                rest = rest[1:]
            text = " ".join(cell for cell in rest if cell)
            if key is not None and text:
                roles.append(
                    ObligationFound(
                        id="",
                        clause=unit.clause,
                        parties=Cited((key,), row.line, "the table row's party cell"),
                        text=Cited(text, row.line),
                    )
                )
    return roles


def _article_roles(article: Unit, key: str, names: PartyNames) -> list[ObligationFound]:
    """The items of an article about one party: ``제2조(갑의 역할) 1. 공간 제공``, or sentences with the party
    as subject (``제2조(구의 역할) ① 구는 운영비를 지원한다.``), read as prose."""
    roles = []
    for leaf in article.leaves():
        if leaf is article:
            continue
        if (subject := names.subject(leaf.text.text)) is not None and subject[0] == (key,):
            roles += prose_roles(leaf, names, key)
        else:
            roles.append(role_of(leaf, (key,), named_at=article.line))
    return roles


def read_roles(articles: list[Unit], names: PartyNames) -> list[ObligationFound]:
    """Every role of every party, in document order, with ids ``seoul-1``, ``joint-1`` …"""
    roles: list[ObligationFound] = []
    for article in articles:
        match = ROLE_OF.match(article.title)
        key = names.key(match["who"]) if match else None
        if key is not None and article.children:
            roles += _article_roles(article, key, names)
            continue
        found = [role for unit in article.walk() for role in _roles_under(unit, names)]
        if not found and (heading := _heading(article, names)) is not None:
            for child in article.children or [article]:
                if _unread_heading(child, names):
                    found += _unowned(child)
                else:
                    found += [role_of(leaf, heading[0], named_at=article.line) for leaf in child.leaves()]
        if not found and _ROLES_ARTICLE.search(article.title):
            found = _table_roles(article, names) or prose_roles(article, names)
        if not found and not article.title and _paragraph_per_party(article, names):
            found = prose_roles(article, names)
        roles += found
    taken: set[str] = set()
    for role in roles:
        role.id = role_key(role.parties.value, taken)
        taken.add(role.id)
    return roles


def _paragraph_per_party(article: Unit, names: PartyNames) -> bool:
    """An article without a title (an MOU's ``제2조 ① 갑은 …한다. ② 을은 …한다.``) holds roles in prose when
    each of its paragraphs begins with one party as its subject, a different party each: a sentence of the
    parties together (``갑과 을은 … 합의하여야 한다``) is how they act, not a role."""
    subjects = [names.subject(child.text.text) for child in article.children]
    keys = [subject[0] for subject in subjects if subject is not None]
    return (
        len(subjects) >= 2
        and len(keys) == len(subjects)
        and all(len(key) == 1 for key in keys)
        and len(set(keys)) == len(keys)
    )


def read_surviving(articles: list[Unit], names: PartyNames, taken: set[str]) -> list[ObligationFound]:
    """Articles binding the parties after the end (비밀유지, 보안), each as one obligation of all parties.

    The sentence that says so may stand in the article itself or name the articles it keeps in force
    (``제5조(효력의 존속) 제4조의 의무는 … 종료된 이후에도 3년간 존속한다``): then each article named is the
    obligation.
    """
    by_number = {article.ordinal: article for article in articles}
    found = []
    for article in articles:
        text = article.full_text()
        match = next((m for m in _SURVIVES.finditer(text) if m["also"] or m["n"] or m["n2"]), None)
        if match is None:
            continue
        survives = _survives(match, _line_of(article, match.group(0)))
        holder = _unit_holding(article, match.group(0))
        own = holder.text.text
        at = own.find(match.group(0))
        sentence = own[own.rfind(". ", 0, at) + 1 : at].strip()
        named = _units_named(sentence, article, by_number)
        for kept in named or [article]:
            key = topic_key(kept.article.title, kept.article.ordinal, taken)
            taken.add(key)
            found.append(
                ObligationFound(
                    id=key,
                    clause=kept.clause,
                    parties=Cited(names.all, kept.line, "binds every party (각 기관, 상대방)"),
                    text=Cited(_own_text(kept), kept.line),
                    survives=survives,
                )
            )
    return found


def _survives(match: re.Match[str], line: int) -> Cited[bool | Duration]:
    n, unit = (match["n"], match["unit"]) if match["n"] else (match["n2"], match["unit2"])
    if not n:
        return Cited(True, line, f"“{match.group(0)}”")
    length = Duration.parse(f"{int(n)}{'y' if unit == '년' else 'm'}")
    return Cited(length, line, f"“{match.group(0)}”: {length.korean()} from the day after the end")


def _units_named(sentence: str, article: Unit, by_number: dict[int, Unit]) -> list[Unit]:
    """The other articles or paragraphs a sentence starts by naming, if it does: ``제4조 및 제6조의 의무는 …``
    → those articles; ``제4조 제2항은`` → ② of 제4조. A paragraph of the sentence's own article (``② 제1항의
    비밀유지 의무는 …``) keeps its whole article, which is the obligation."""
    match = _ARTICLES_NAMED.match(sentence)
    if match is None:
        return []
    named = []
    for number, kind, paragraph in _ONE_REFERENCE.findall(match.group(0)):
        unit = by_number.get(int(number)) if kind == "조" else None
        if unit is not None and paragraph:
            unit = _paragraph(unit, int(paragraph))
        if unit is not None and unit.article is not article:
            named.append(unit)
    return named


def _paragraph(article: Unit, number: int) -> Unit | None:
    """The article's N-th paragraph (항: ①, ② …, or the first level of items under it)."""
    return next((child for child in article.children if child.ordinal == number), None)


def _own_text(unit: Unit) -> str:
    """The unit and everything under it, without its own marker (``①``)."""
    return " ".join(
        part for part in [unit.text.text, *(child.full_text() for child in unit.children)] if part
    )


def _unit_holding(article: Unit, phrase: str) -> Unit:
    return next((unit for unit in article.walk() if phrase in unit.text.text), article)


def _line_of(article: Unit, phrase: str) -> int:
    unit = _unit_holding(article, phrase)
    index = unit.text.text.find(phrase)
    return unit.text.line_at(index) if index >= 0 else article.line
