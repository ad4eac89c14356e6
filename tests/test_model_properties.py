"""Property: a case file written from a model reads back as the same model (model → YAML → model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import LENGTHS

from obligations.loading import dump_yaml, load_agreement
from obligations.model import Agreement, Event, Notice, Obligation, Party, Renewal, Term

KEYS = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
TEXT = st.text(
    st.characters(categories=["L", "N", "P", "Zs", "S"], exclude_characters="\x85\u2028\u2029"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s != "")
DAYS = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    party_keys = draw(st.lists(KEYS, min_size=1, max_size=4, unique=True))
    parties = {
        key: Party(name=draw(TEXT), owners=tuple(draw(st.lists(KEYS, max_size=2)))) for key in party_keys
    }
    some_parties = st.lists(st.sampled_from(party_keys), min_size=1, max_size=len(party_keys), unique=True)
    obligation_ids = draw(st.lists(KEYS, max_size=5, unique=True))
    obligations = tuple(
        Obligation(
            id=key,
            clause=draw(TEXT),
            party=tuple(draw(some_parties)),
            text=draw(TEXT),
            evidence_every=draw(st.none() | LENGTHS),
            due=draw(st.none() | DAYS),
            survives=draw(st.booleans()),
        )
        for key in obligation_ids
    )
    kind = draw(st.sampled_from(["agreement", "plan"]))
    signed = draw(DAYS)
    term = None
    if kind == "agreement" or draw(st.booleans()):
        use_length = draw(st.booleans())
        start = draw(st.just("signed") | DAYS)
        first_day = signed if start == "signed" else start
        term = Term(
            clause=draw(st.none() | TEXT),
            start=start,
            starts_at_midnight=draw(st.booleans()),
            first_day_counts=draw(st.booleans()),
            length=draw(LENGTHS) if use_length else None,
            end=None if use_length else first_day + dt.timedelta(days=draw(st.integers(0, 4000))),
        )
    renewal = None
    if term is not None and draw(st.booleans()):
        renewal = Renewal(
            clause=draw(st.none() | TEXT),
            automatic=draw(st.booleans()),
            length=draw(LENGTHS),
            max_renewals=draw(st.none() | st.integers(0, 10)),
            notice=Notice(
                lead=draw(st.none() | LENGTHS),
                form=draw(st.sampled_from(["written", "any"])),
                by=tuple(draw(st.lists(st.sampled_from(party_keys), max_size=len(party_keys), unique=True))),
            ),
        )
    events = []
    happened = st.dates(signed, dt.date(2100, 12, 31))  # an event before signing is an input error
    for _ in range(draw(st.integers(0, 4))):
        if obligations and draw(st.booleans()):
            obligation = draw(st.sampled_from(obligations))
            events.append(
                Event(
                    date=draw(happened),
                    type="fulfilled",
                    obligation=obligation.id,
                    party=draw(st.sampled_from(obligation.party)),
                )
            )
        else:
            events.append(
                Event(
                    date=draw(happened),
                    type=draw(st.sampled_from(["notice-given", "terminated"])),
                    party=draw(st.sampled_from(party_keys)),
                    form=draw(st.none() | st.sampled_from(["written", "any"])),
                    ref=draw(st.none() | TEXT),
                    note=draw(st.none() | TEXT),
                )
            )
    return Agreement(
        id=draw(KEYS),
        title=draw(TEXT),
        kind=kind,
        source=draw(st.none() | TEXT),
        signed=signed,
        parties=parties,
        term=term,
        renewal=renewal,
        obligations=obligations,
        events=tuple(events),
    )


@settings(max_examples=300, deadline=None)
@given(agreements())
def test_model_to_yaml_to_model_is_the_identity(agreement: Agreement) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_text(dump_yaml(agreement), encoding="utf-8")
        loaded, _, problems = load_agreement(path)
    assert problems == []
    assert loaded == agreement
