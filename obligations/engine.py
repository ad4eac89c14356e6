"""The durable_rules adapter: the only module that imports durable_rules.

``evaluate(rules, groups, sentinel=...)`` runs every group of plain facts (one agreement, say) through a
set of durable_rules rules and returns each firing as a :class:`Match`. It neutralises the defects of
durable_rules 2.0.28 measured for this project (numbered as in those measurements):

1.  Timer threads: ``_Host`` overrides ``Host._run``, so no ``threading.Timer`` chain starts and every
    action runs synchronously inside ``assert_fact``; all firings are recorded when ``evaluate`` returns.
2.  32-bit hash collisions: identical facts are deduplicated in Python; each fact then gets an explicit
    engine ``id`` (its index in the group), so "already observed" (``MessageObservedException``, result
    code 2) can only be a collision of two known-distinct ids in the engine's 32-bit index. The fact is then
    re-asserted with a salted id.
3.  Batch failure: facts are asserted one at a time, never with ``assert_facts``/``post_batch``.
4.  ``MessageNotHandledException`` (result code 1): read per fact. The engine gives it only for a fact
    that no pattern of any rule accepts, so no rule could ever use it; nothing else is lost.
5.  ``delete_state`` segfault when no action fired: every sid receives a private trigger fact that a
    private no-op rule matches, so at least one action has fired before ``delete_state``.
6.  At most 1024 sids per ruleset: groups are evaluated in batches of at most 1024, one ruleset each,
    and every state is deleted as soon as its group is done.
7.  Negation without truth maintenance: the private trigger fact is asserted LAST in every sid (after
    the caller's ``sentinel``), and the adapter makes it the FIRST pattern of every rule. Nothing can
    fire before all facts of the group are present, so ``$not`` sees every blocking fact, whatever the
    order of the facts, and a rule whose only caller pattern is a ``$not`` fires too.
8.  Events fire only one of two rules: only facts are asserted, never events (``post``).
9.  Exceptions in actions are swallowed: the adapter's action catches everything and keeps it; after
    each group the errors and the state's ``exception`` are checked and re-raised as ``EngineError``.
    A definition the engine rejects is reported as ``EngineError`` naming the rule.
10. Global host, ruleset names, ``set_rulesets`` mutating its argument: one ``_Host`` per call, unique
    ruleset names, and the engine only ever sees the adapter's own deep copies of the definitions.
11. Memory: every state is deleted after its group and ``durable_rules_engine.delete_ruleset`` frees
    each ruleset (in ``finally``); memory stays flat across evaluations.
12. Integers, nulls, mixed types: facts are validated before anything is asserted. Values must be int
    (64-bit), bool or str; keys must be non-empty strings, not ``id``/``sid``, not starting with ``$`` or
    ``PRIVATE_PREFIX``, at most 200 per fact. Anything else raises ``EngineError`` naming the group, the
    fact and the key. Represent days as integers (e.g. ``date.toordinal()``).
13. Joins: see the syntax below (aliases, ``{"alias": "field"}`` references, ``$add``).
14. Korean strings and keys round-trip (the engine is fed JSON with non-ASCII text as is, and
    ``Match.facts`` holds the caller's own fact objects).

Three more defects, measured while writing this adapter and the rules:

A.  A pattern that accepts a fact lacking some field (``{"$nex": {"x": 1}}``) also matches the engine's
    own state fact ``{"sid": ..., "id": "sid-0", "$s": 1}``, which is re-asserted after every action: an
    endless loop. Every caller pattern is guarded with ``{"$nex": {"$s": 1}}`` (and kept off the trigger).
B.  An expression mapping with several keys (``{"kind": "term", "party": "A"}``) silently tests only one
    of them. Every expression mapping must have exactly one key (``$and`` combines); else ``EngineError``.
C.  A join (``{"alias": "field"}``) inside ``$and``/``$or`` is evaluated in a beta node whose expression
    sequence is read past its end when a logical operator short-circuits (upstream jruizgit/rules#381;
    the fix, PR #386, was never released): the engine crashes with SIGSEGV in reduceExpressionSequence,
    or mis-matches. The first rulebook joined the calendar that way and the scenarios crashed 6 runs of 6.
    Such a join is refused with ``EngineError``; a join may be a pattern's only expression. Compare with
    constants instead (the rulebook binds the calendar's values when it builds the rules for a day).

Rule syntax (durable_rules' JSON form, as ``durable.lang`` produces it; no ``"run"`` key)::

    {"all": [{ALIAS: EXPR}, ...]}

EXPR is a mapping: ``{"field": VALUE}`` (equality), ``{"$lt"|"$lte"|"$gt"|"$gte"|"$neq": {"field": VALUE}}``,
``{"$and": [EXPR, ...]}``, ``{"$or": [EXPR, ...]}``, ``{"$ex": {"field": 1}}`` (present) and
``{"$nex": {"field": 1}}`` (absent). VALUE is a constant, ``{"$m": "field"}`` (a field of the same fact),
``{"alias": "field"}`` (a field of an EARLIER pattern's fact), or arithmetic
``{"$add"|"$sub"|"$mul"|"$div": {"$l": VALUE, "$r": VALUE}}``. A negated pattern is written as the alias
with the suffix ``$not``: ``{"n$not": EXPR}``; the rule fires only if no fact matches EXPR, and the alias
is absent from ``Match.facts``. ``any``, ``pri``, ``count``, ``cap`` and ``dist`` are not supported (use
``$or`` or separate rules; all firings are returned, so priorities would change nothing). A fact never
matches two patterns of one rule. A missing field never matches a comparison (fact 12).

Worked example -- "the notice deadline falls within 60 days of day 739556, and the city gave no notice"::

    {"all": [
        {"t": {"$and": [{"kind": "term"},
                        {"$lte": {"notice_act_by": 739616}},
                        {"$gte": {"notice_act_by": 739556}}]}},
        {"n$not": {"$and": [{"kind": "notice"}, {"party": "city"}]}},
    ]}

It yields ``Match(rule=..., group=..., facts={"t": <term fact>})``. A join stands alone in its pattern:
``{"n": {"party": {"t": "party"}}}`` (defect C).
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from durable import engine as _durable

__all__ = ["PRIVATE_PREFIX", "EngineError", "Match", "evaluate"]

PRIVATE_PREFIX = "_obl_"
_NOW = PRIVATE_PREFIX + "now"  # key of the trigger fact and alias of the pattern prepended to every rule
_NOOP = PRIVATE_PREFIX + "noop"
_MAX_KEYS = 200  # the engine refuses facts of ~250 properties (fact 14); it adds "sid" and "id"
_MAX_SIDS = 1024  # fact 6
_MAX_SALTS = 16
_INT64 = range(-(2**63), 2**63)  # fact 12
_RULE_KEYS = frozenset({"all"})
# Guard on every caller pattern: never the engine's own state fact ({"$s": 1, ...}), which a pattern such
# as {"$nex": {"x": 1}} matches and re-matches after every action (an endless loop), nor the trigger fact.
_NOT_ENGINE_FACT = ({"$nex": {"$s": 1}}, {"$nex": {_NOW: 1}})
_LOGICAL = frozenset({"$and", "$or"})
_COMPARISONS = frozenset({"$lt", "$lte", "$gt", "$gte", "$neq", "$ex", "$nex", "$mt", "$imt"})
_ARITHMETIC = frozenset({"$add", "$sub", "$mul", "$div"})
_ENGINE_ERRORS = {
    101: "out of memory",
    102: "unexpected type",
    104: "unexpected value",
    105: "unexpected name",
    109: "rule without qualifier",
    113: "expression too long",
    201: "cannot parse a value",
    202: "unknown operator or malformed string",
    203: "cannot parse a number",
    204: "expected an object",
    205: "expected an array",
}
_ruleset_names = itertools.count()


class EngineError(RuntimeError):
    """Bad facts or rules, or an error inside the engine or an action (the original is ``__cause__``)."""


@dataclass(frozen=True)
class Match:
    """One firing: the rule's name, the group's index, and alias -> the caller's own fact object."""

    rule: str
    group: int
    facts: Mapping[str, Mapping[str, Any]]


class _Host(_durable.Host):  # type: ignore[misc]
    def _run(self) -> None:
        """No dispatch/timer threads (fact 1): actions run inside assert_fact."""


def _engine_id(index: int, salt: int) -> str:
    """The engine ``id`` of the group's ``index``-th distinct fact (salted after a collision, fact 2)."""
    return str(index) if salt == 0 else f"{index}~{salt}"


def evaluate(
    rules: Mapping[str, Mapping[str, Any]],
    groups: Sequence[Sequence[Mapping[str, Any]]],
    *,
    sentinel: Mapping[str, Any],
) -> list[Match]:
    """Evaluate every group in its own state, with ``sentinel`` as its last fact; return every firing.

    Matches are sorted by group, then rule name, then the matched facts (by alias, then the fact's first
    position in its group, where the sentinel comes last). Raises ``EngineError`` before asserting anything
    if a rule or fact is invalid, and for any failure inside the engine or an action.
    """
    checked = _check_rules(rules)
    _check_fact(sentinel, "the sentinel")
    valid_keys = set(sentinel)
    for g, group in enumerate(groups):  # validate everything before asserting anything (fact 12)
        for i, fact in enumerate(group):
            if not _plainly_valid(fact, valid_keys):
                _check_fact(fact, f"group {g}, fact {i}")
                valid_keys.update(fact)

    matches: list[Match] = []
    host = _Host()  # one host per call (fact 10)
    for start in range(0, len(groups), _MAX_SIDS):  # fact 6
        batch = _Batch(host, checked)
        try:
            for offset, group in enumerate(groups[start : start + _MAX_SIDS]):
                matches.extend(batch.run(start + offset, str(offset), [*group, sentinel]))
        finally:
            batch.close()
    return matches


class _Batch:
    """One ruleset holding at most 1024 sids, each deleted as soon as its group is done."""

    def __init__(self, host: _Host, rules: Mapping[str, dict[str, Any]]) -> None:
        self.host = host
        self.name = f"{PRIVATE_PREFIX}{next(_ruleset_names)}"  # unique (fact 10)
        self.fired: set[tuple[str, tuple[tuple[str, int], ...]]] = set()
        self.indexes: dict[str, int] = {}  # engine id -> position in the group's distinct facts
        self.errors: list[BaseException] = []
        now = {_NOW: {_NOW: 1}}
        definition: dict[str, Any] = {_NOOP: {"all": [now], "run": _noop}}  # fact 5
        for n, (rule, spec) in enumerate(rules.items()):
            # The engine only sees copies (fact 10); the trigger is every rule's first pattern (fact 7).
            engine_rule: dict[str, Any] = {**copy.deepcopy(spec), "run": self._action(rule)}
            guarded = [
                {a: {"$and": [*copy.deepcopy(_NOT_ENGINE_FACT), e]} for a, e in p.items()}
                for p in engine_rule["all"]
            ]
            engine_rule["all"] = [now, *guarded]
            definition[f"r{n}"] = engine_rule
        try:
            host.set_rulesets({self.name: definition})
        except Exception as exc:
            raise _rule_error(rules, exc) from exc
        self.ruleset = host.get_ruleset(self.name)

    def _action(self, rule: str) -> Callable[[Any], None]:
        def record(c: Any) -> None:
            try:  # never raise into the engine, which would swallow it (fact 9)
                self.record(rule, c._m)
            except BaseException as exc:
                self.errors.append(exc)

        return record

    def record(self, rule: str, message: Mapping[str, Mapping[str, Any]]) -> None:
        key = tuple(sorted((a, self.indexes[f["id"]]) for a, f in message.items() if a != _NOW))
        self.fired.add((rule, key))

    def run(self, group: int, sid: str, facts: list[Mapping[str, Any]]) -> list[Match]:
        distinct: dict[str, Mapping[str, Any]] = {}
        for fact in facts:
            distinct.setdefault(_canonical(fact), fact)  # deduplicate in Python (fact 2)
        unique = list(distinct.values())
        self.fired.clear()
        self.indexes.clear()
        try:
            for index, text in enumerate(distinct):  # one by one (fact 3), sentinel last
                self._assert(group, text, sid, index)
            self._assert(group, _canonical({_NOW: 1}), sid, len(unique))  # fires every rule (fact 7)
            exception = self.host.get_state(self.name, sid).get("exception")
        except EngineError:
            raise
        except Exception as exc:
            raise EngineError(f"group {group}: durable_rules failed: {exc!r}") from exc
        if self.errors:
            raise EngineError(f"group {group}: a rule action failed: {self.errors[0]!r}") from self.errors[0]
        if exception is not None:
            raise EngineError(f"group {group}: a rule action failed: {exception}")
        self.host.delete_state(self.name, sid)  # safe: the no-op rule fired (fact 5); frees memory (11)
        # Deterministic order: by rule name, then by the aliases and positions of the matched facts.
        return [Match(rule, group, {a: unique[i] for a, i in key}) for rule, key in sorted(self.fired)]

    def _assert(self, group: int, canonical: str, sid: str, index: int) -> None:
        """Assert a fact given as its canonical JSON, the text that deduplicated it: ``sid`` and the engine
        ``id`` are written into that text, so that each fact is serialised once, not once more by
        durable_rules (``Host.assert_fact`` would ``json.dumps`` the same mapping again)."""
        fields = canonical[1:-1]
        for salt in range(_MAX_SALTS):
            engine_id = _engine_id(index, salt)
            self.indexes[engine_id] = index
            # sid and engine id are digits (and '~'): written as JSON strings without an encoder.
            text = f'{{{fields}{", " if fields else ""}"sid": "{sid}", "id": "{engine_id}"}}'
            # What Host.assert_fact does after its json.dumps, without its exceptions for the two outcomes
            # met all the time (each would serialise the fact again for its message): assert, then run
            # the actions that fire.
            result = _durable.durable_rules_engine.assert_fact(self.ruleset._handle, text)
            if result[0] == _NOT_HANDLED:
                return  # no pattern of any rule accepts this fact (fact 4)
            if result[0] == _OBSERVED:
                continue  # a distinct fact: 32-bit id collision, retry with a salted id (fact 2)
            self.host._handle_function(self.ruleset, _actions_of, result, None)
            return
        raise EngineError(f"group {group}: fact {index} kept colliding in the engine's fact index")

    def close(self) -> None:
        del self.host._ruleset_directory[self.name]
        self.host._ruleset_list.remove(self.ruleset)
        _durable.durable_rules_engine.delete_ruleset(self.ruleset._handle)  # fact 11


# What durable_rules' assert_fact returns first: the fact was taken (0, or 3 when no action is pending),
# no pattern of any rule accepts it, or a fact with its id is already held.
_NOT_HANDLED, _OBSERVED, _NO_ACTIONS = 1, 2, 3


def _actions_of(result: tuple[int, int]) -> int:
    """The handle of the actions to run after an assertion (0: none), as durable_rules reads it."""
    return 0 if result[0] == _NO_ACTIONS else result[1]


def _noop(c: Any) -> None:
    """The adapter's rule on the trigger fact: one action per sid before delete_state (fact 5)."""


def _canonical(fact: Mapping[str, Any]) -> str:
    """The fact as JSON with sorted keys, non-ASCII text as is (fact 14): equal facts, equal texts."""
    return orjson.dumps(dict(fact), option=orjson.OPT_SORT_KEYS).decode()


def _brief(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_INT64_MIN, _INT64_MAX = _INT64.start, _INT64.stop - 1


def _plainly_valid(fact: Any, valid_keys: set[str]) -> bool:
    """The common case, decided quickly: a dict whose keys were all found valid before and whose values are
    exactly str, bool or a 64-bit int. Anything else goes through :func:`_check_fact`, which names the
    problem (or accepts it: a subclass of str, say)."""
    if type(fact) is not dict or len(fact) > _MAX_KEYS:
        return False
    for key, value in fact.items():
        kind = type(value)
        if key not in valid_keys or not (
            kind is str or kind is bool or (kind is int and _INT64_MIN <= value <= _INT64_MAX)
        ):
            return False
    return True


def _check_fact(fact: Any, where: str) -> None:
    if not isinstance(fact, Mapping):
        raise EngineError(f"{where}: a fact must be a mapping, not {type(fact).__name__}: {_brief(fact)}")
    if len(fact) > _MAX_KEYS:
        raise EngineError(f"{where} has {len(fact)} keys; at most {_MAX_KEYS} are allowed: {_brief(fact)}")
    for key, value in fact.items():
        if not isinstance(key, str) or not key:
            raise EngineError(f"{where}, key {key!r}: keys must be non-empty strings: {_brief(fact)}")
        if key in ("id", "sid") or key.startswith(("$", PRIVATE_PREFIX)):
            raise EngineError(
                f"{where}, key {key!r}: 'id', 'sid' and keys starting with '$' or {PRIVATE_PREFIX!r} "
                f"are reserved for the engine: {_brief(fact)}"
            )
        if isinstance(value, str | bool) or (isinstance(value, int) and value in _INT64):
            continue
        raise EngineError(
            f"{where}, key {key!r}: value {_brief(value, 60)} ({type(value).__name__}) is not allowed; "
            f"use an int (days as ordinals, 64-bit), a bool or a str: {_brief(fact)}"
        )


def _check_rules(rules: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(rules, Mapping):
        raise EngineError(f"rules must be a mapping of rule name to definition, not {type(rules).__name__}")
    checked: dict[str, dict[str, Any]] = {}
    for name, definition in rules.items():
        if not isinstance(name, str) or not name or name.startswith(PRIVATE_PREFIX):
            raise EngineError(
                f"rule name {name!r}: must be a non-empty string not starting with {PRIVATE_PREFIX!r}"
            )
        where = f"rule {name!r}"
        if not isinstance(definition, Mapping):
            raise EngineError(f"{where}: the definition must be a mapping like {{'all': [...]}}")
        extra = set(definition) - _RULE_KEYS
        if extra:
            raise EngineError(
                f"{where}: unsupported key(s) {sorted(extra)}; a definition has only 'all' (no 'run': "
                "the adapter attaches its own action; instead of 'any' use '$or' or two rules)"
            )
        patterns = definition.get("all")
        if not isinstance(patterns, Sequence) or isinstance(patterns, str) or not patterns:
            raise EngineError(f"{where}: 'all' must be a non-empty list of {{alias: expression}} patterns")
        earlier: set[str] = set()  # aliases a value may refer to (a later one fails at run time)
        for n, pattern in enumerate(patterns):
            if not (isinstance(pattern, Mapping) and len(pattern) == 1):
                raise EngineError(
                    f"{where}, pattern {n}: must be one {{alias: expression}}, not {_brief(pattern)}"
                )
            ((alias, expression),) = pattern.items()
            if not isinstance(alias, str) or not alias or alias.startswith(PRIVATE_PREFIX):
                raise EngineError(f"{where}, pattern {n}: bad alias {alias!r}")
            _check_expression(expression, f"{where}, pattern {n} ({alias})", earlier)
            if not alias.endswith("$not"):
                earlier.add(alias)
        checked[name] = copy.deepcopy(dict(definition))
    return checked


def _check_expression(expression: Any, where: str, earlier: set[str], logical: bool = False) -> None:
    """One operator or field per mapping: durable_rules silently ignores all but one key (measured).

    ``logical``: the expression is inside an ``$and``/``$or``, where a join is refused (defect C).
    """
    if not isinstance(expression, Mapping) or len(expression) != 1:
        raise EngineError(
            f"{where}: an expression must be a mapping with exactly one key (combine with '$and'/'$or'), "
            f"not {_brief(expression)}"
        )
    ((key, argument),) = expression.items()
    if key in _LOGICAL:
        if not isinstance(argument, Sequence) or isinstance(argument, str) or not argument:
            raise EngineError(f"{where}: {key!r} takes a non-empty list of expressions")
        for part in argument:
            _check_expression(part, where, earlier, logical=True)
    elif key in _COMPARISONS:
        if not isinstance(argument, Mapping) or len(argument) != 1:
            raise EngineError(f"{where}: {key!r} takes one {{field: value}}, not {_brief(argument)}")
        _check_value(next(iter(argument.values())), where, earlier, logical)
    elif not isinstance(key, str) or key.startswith("$"):
        raise EngineError(
            f"{where}: unknown operator {key!r}; use one of {sorted(_LOGICAL | _COMPARISONS)} or a field name"
        )
    else:
        _check_value(argument, where, earlier, logical)


def _check_value(value: Any, where: str, earlier: set[str], logical: bool = False) -> None:
    """A value mapping is {"$m": field}, arithmetic, or {alias: field} naming an EARLIER alias."""
    if not isinstance(value, Mapping):
        return
    if len(value) != 1:
        raise EngineError(f"{where}: a value must be a constant or one {{alias: field}}, not {_brief(value)}")
    ((key, argument),) = value.items()
    if key in _ARITHMETIC:
        if not (isinstance(argument, Mapping) and set(argument) == {"$l", "$r"}):
            raise EngineError(f"{where}: {key!r} takes {{'$l': value, '$r': value}}, not {_brief(argument)}")
        _check_value(argument["$l"], where, earlier, logical)
        _check_value(argument["$r"], where, earlier, logical)
    elif key != "$m" and key in earlier and logical:
        raise EngineError(
            f"{where}: {_brief(value)} joins another fact inside '$and'/'$or'; durable_rules 2.0.28 "
            "reads past the end of such expression sequences and crashes or mis-matches (upstream "
            "jruizgit/rules#381, fix #386 never released). Compare with a constant, or make the join "
            "the pattern's only expression"
        )
    elif key != "$m" and key not in earlier:
        raise EngineError(
            f"{where}: {_brief(value)} refers to {key!r}, which is not the alias of an earlier pattern "
            f"(earlier: {sorted(earlier)})"
        )


def _rule_error(patterns: Mapping[str, Mapping[str, Any]], exc: Exception) -> EngineError:
    """Name the rule durable_rules rejects, by compiling each rule alone (only on this error path)."""
    for name, definition in patterns.items():
        probe = _Host()
        probe_name = f"{PRIVATE_PREFIX}probe{next(_ruleset_names)}"
        try:
            probe.set_rulesets({probe_name: {"r": {**copy.deepcopy(definition), "run": _noop}}})
        except Exception as rule_exc:
            return EngineError(f"rule {name!r}: durable_rules rejects the definition ({_describe(rule_exc)})")
        _durable.durable_rules_engine.delete_ruleset(probe.get_ruleset(probe_name)._handle)
    return EngineError(f"durable_rules rejects the rules: {_describe(exc)}")


def _describe(exc: Exception) -> str:
    text = str(exc)
    code = text.rpartition("error code: ")[2]
    meaning = _ENGINE_ERRORS.get(int(code)) if code.isdigit() else None
    return f"{text}: {meaning}" if meaning else text
