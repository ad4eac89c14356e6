"""Nightly alerts: digests by e-mail (``obligations notify``) and snoozes.

Modules: :mod:`settings` (mail settings), :mod:`plan` (who is told what tonight), :mod:`delivery` (SMTP
or outbox), :mod:`ledger` (what was sent; SQLite), :mod:`lock` (one run at a time), :mod:`run` (the order
of all that). What a digest says is a view, in :mod:`obligations.views.digest`.
"""
