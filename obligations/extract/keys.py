"""Ascii keys for parties and obligations, which agreements do not have and case files need.

Keys are made deterministically so that the same text always gives the same draft: first a small
table of public bodies an education bureau deals with (``서울특별시`` → ``seoul``, ``김포시`` → ``gimpo``),
then the kind of body by the end of its name (``…고용노동청`` → ``labor-office``, ``…협의회`` →
``council``), then ``party-N``.
The draft asks the analyst to review them; renaming a key is safe until events refer to it.

>>> party_key("서울특별시", None, set())
('seoul', 'from the table of public bodies')
>>> party_key("한국청소년쉼터협의회", "쉼터협의회", set())
('council', 'from the end of the name (…협의회)')
>>> party_key("무지개마을", None, {"party-1"})
('party-2', 'no rule for this name: rename it')
"""

from __future__ import annotations

# Metropolitan governments and provinces, Seoul's 25 districts, and cities of the capital region.
KNOWN_BODIES = {
    "서울특별시": "seoul",
    "부산광역시": "busan",
    "대구광역시": "daegu",
    "인천광역시": "incheon",
    "광주광역시": "gwangju",
    "대전광역시": "daejeon",
    "울산광역시": "ulsan",
    "세종특별자치시": "sejong",
    "경기도": "gyeonggi",
    "강원특별자치도": "gangwon",
    "충청북도": "chungbuk",
    "충청남도": "chungnam",
    "전북특별자치도": "jeonbuk",
    "전라남도": "jeonnam",
    "경상북도": "gyeongbuk",
    "경상남도": "gyeongnam",
    "제주특별자치도": "jeju",
    "서울특별시교육청": "seoul-education-office",
    "종로구": "jongno",
    "중구": "jung-gu",
    "용산구": "yongsan",
    "성동구": "seongdong",
    "광진구": "gwangjin",
    "동대문구": "dongdaemun",
    "중랑구": "jungnang",
    "성북구": "seongbuk",
    "강북구": "gangbuk",
    "도봉구": "dobong",
    "노원구": "nowon",
    "은평구": "eunpyeong",
    "서대문구": "seodaemun",
    "마포구": "mapo",
    "양천구": "yangcheon",
    "강서구": "gangseo",
    "구로구": "guro",
    "금천구": "geumcheon",
    "영등포구": "yeongdeungpo",
    "동작구": "dongjak",
    "관악구": "gwanak",
    "서초구": "seocho",
    "강남구": "gangnam",
    "송파구": "songpa",
    "강동구": "gangdong",
    "수원시": "suwon",
    "성남시": "seongnam",
    "고양시": "goyang",
    "용인시": "yongin",
    "부천시": "bucheon",
    "안산시": "ansan",
    "안양시": "anyang",
    "남양주시": "namyangju",
    "화성시": "hwaseong",
    "평택시": "pyeongtaek",
    "의정부시": "uijeongbu",
    "시흥시": "siheung",
    "파주시": "paju",
    "김포시": "gimpo",
    "광명시": "gwangmyeong",
    "하남시": "hanam",
    "구리시": "guri",
    "과천시": "gwacheon",
}

# The kind of body by the end of its name; longer endings first so that 교육지원청 is not 교육청.
KINDS = (
    ("고용노동청", "labor-office"),
    ("고용노동지청", "labor-office"),
    ("교육지원청", "education-support-office"),
    ("교육청", "education-office"),
    ("평생교육진흥원", "lifelong-learning-institute"),
    ("진흥원", "agency"),
    ("연구원", "institute"),
    ("재단", "foundation"),
    ("협의회", "council"),
    ("협회", "association"),
    ("연맹", "federation"),
    ("위원회", "committee"),
    ("공단", "corporation"),
    ("공사", "corporation"),
    ("대학교", "university"),
    ("대학", "college"),
    ("도서관", "library"),
    ("센터", "center"),
    ("복지관", "welfare-center"),
    ("병원", "hospital"),
    ("지사", "branch-office"),
    ("회관", "hall"),
    ("은행", "bank"),
    ("경찰청", "police"),
    ("경찰서", "police-station"),
    ("지역본부", "regional-headquarters"),
    ("상공회의소", "chamber-of-commerce"),
    ("소방재난본부", "fire-service"),
)

# Obligations that survive the end are named after their article (제6조(비밀유지) → confidentiality).
ARTICLE_TOPICS = (
    ("비밀", "confidentiality"),
    ("보안", "security"),
    ("개인정보", "personal-data"),
    ("정보보호", "data-protection"),
    ("지식재산", "intellectual-property"),
    ("저작권", "copyright"),
    ("손해배상", "damages"),
)


def _unique(key: str, taken: set[str]) -> str:
    if key not in taken:
        return key
    n = 2
    while f"{key}-{n}" in taken:
        n += 1
    return f"{key}-{n}"


def party_key(name: str, short: str | None, taken: set[str]) -> tuple[str, str]:
    """A key not in ``taken`` for the party, and how it was made (shown to the analyst)."""
    plain = name.replace(" ", "")
    # "서울특별시 성동구": the last word names the body itself.
    for candidate in (plain, (short or "").replace(" ", ""), name.split()[-1]):
        if candidate in KNOWN_BODIES:
            return _unique(KNOWN_BODIES[candidate], taken), "from the table of public bodies"
    for ending, key in KINDS:
        if plain.endswith(ending):
            return _unique(key, taken), f"from the end of the name (…{ending})"
    n = 1
    while f"party-{n}" in taken:
        n += 1
    return f"party-{n}", "no rule for this name: rename it"


def topic_key(article_title: str, article_number: int, taken: set[str]) -> str:
    """``비밀유지`` → ``confidentiality``; an unknown topic → ``article-6``."""
    key = next((key for word, key in ARTICLE_TOPICS if word in article_title), f"article-{article_number}")
    return _unique(key, taken)


def role_key(parties: tuple[str, ...], taken: set[str]) -> str:
    """``seoul-1``, ``seoul-2`` … for one party's roles; ``joint-1`` … for roles of several; ``role-1`` … for
    roles whose party the text does not tell."""
    stem = parties[0] if len(parties) == 1 else "joint" if parties else "role"
    n = 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"
