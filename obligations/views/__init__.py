"""How results are shown: tables, JSON, CSV (and, from other modules, reports, calendars, digests)."""
