"""Nightly alerts: digests by e-mail (``obligations notify``), snoozes, and the calendar export.

Modules: :mod:`settings` (mail settings), :mod:`plan` (who is told what tonight), :mod:`digest` (the
message), :mod:`delivery` (SMTP or outbox), :mod:`ledger` (what was sent; SQLite), :mod:`lock` (one run
at a time), :mod:`run` (the order of all that), :mod:`calendar` (.ics export).
"""
