"""hypothesis strategies shared by the property tests (as dateutil keeps them: module constants)."""

from __future__ import annotations

from hypothesis import strategies as st

from obligations.duration import Duration

# Any non-zero length an agreement could write: years and months by the calendar, weeks and days counted.
LENGTHS = st.builds(
    Duration,
    years=st.integers(0, 5),
    months=st.integers(0, 30),
    weeks=st.integers(0, 8),
    days=st.integers(0, 400),
).filter(lambda length: not length.is_zero)
