"""TRAIN_FILTER: which records training uses, as Donkey's Tub Manager writes it.

Donkey's config takes a callable (`lambda rec: rec.underlying["user/throttle"] > 0.1`); its
UI takes an expression on record fields (`user/throttle > 0.1`). burro takes both: a string is
such an expression, parsed with `ast` and evaluated by a small interpreter that knows only
comparisons, `and`/`or`/`not`, arithmetic, `abs`, constants and the record's fields — never
`eval` — so an expression from a browser cannot run code.

    compile_filter("user/throttle > 0.1 and abs(user/angle) < 0.8", fields) -> RecordFilter
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from burro.errors import BurroError

MAX_LENGTH = 500
MAX_NODES = 200
PRIVATE_FIELDS = ("_index", "_timestamp_ms", "_session_id")
_WORDS = frozenset({"and", "or", "not", "in", "True", "False", "None", "abs"})
_NAME = re.compile(r"(?<![0-9A-Za-z_.])[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z0-9_]+)*")
_STRING = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
            ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
               ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}


class FilterError(BurroError):
    """A TRAIN_FILTER expression that is not allowed or does not evaluate to True/False."""


class _Missing(Exception):
    """The record lacks a field the expression reads: the record is not used."""


Node = Callable[[Mapping[str, Any]], Any]


class RecordFilter:
    """`filter(data)` → bool for one record's stored line (a dict); a record without a field
    the expression reads is not used. Raises FilterError when the expression fails on it
    (a str compared with a number, a result that is not True/False)."""

    def __init__(self, expression: str, node: Node):
        self.expression = expression
        self._node = node

    def __call__(self, data: Mapping[str, Any]) -> bool:
        try:
            value = self._node(data)
        except _Missing:
            return False
        except (TypeError, ZeroDivisionError, OverflowError) as error:
            raise FilterError(f"the filter fails on record {data.get('_index', '?')}: {error}",
                              self.expression, "fix the expression") from None
        if not isinstance(value, bool):
            raise FilterError(f"the filter gives {value!r}, not True or False",
                              self.expression, "compare, e.g. user/throttle > 0.1")
        return value


def compile_filter(expression: str, fields: Iterable[str]) -> RecordFilter:
    """Check `expression` against the tub's `fields` and make it a RecordFilter."""
    expression = expression.strip()
    if not expression:
        raise FilterError("the filter is empty", "TRAIN_FILTER", "write e.g. user/throttle > 0.1")
    if len(expression) > MAX_LENGTH:
        raise FilterError(f"the filter is longer than {MAX_LENGTH} characters", "TRAIN_FILTER",
                          "shorten it")
    known = sorted({*fields, *PRIVATE_FIELDS}, key=len, reverse=True)
    text, names = _replace_fields(expression, known)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise FilterError(f"the filter is not an expression ({error.msg})", expression,
                          "write e.g. user/throttle > 0.1 and user/angle < 0.5") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise FilterError("the filter is too long", expression, "shorten it")
    return RecordFilter(expression, _Compiler(names, expression).node(tree.body))


def _replace_fields(expression: str, known: list[str]) -> tuple[str, dict[str, str]]:
    """The expression with each field name (which may hold `/`) replaced by a placeholder
    identifier; string literals are left alone."""
    names: dict[str, str] = {}
    pieces, position = [], 0
    for literal in [*_STRING.finditer(expression), None]:
        end = literal.start() if literal else len(expression)
        pieces.append(_NAME.sub(lambda m: _placeholder(m.group(), known, names, expression),
                                expression[position:end]))
        if literal:
            pieces.append(literal.group())
            position = literal.end()
    return "".join(pieces), names


def _placeholder(word: str, known: list[str], names: dict[str, str], expression: str) -> str:
    if word in _WORDS:
        return word
    for field in known:  # longest first: `user/angle/2` is the field then `/2`
        if word == field or word.startswith(field + "/"):
            alias = next((a for a, f in names.items() if f == field), None)
            if alias is None:
                alias = f"__field{len(names)}"
                names[alias] = field
            return alias + word[len(field):]
    raise FilterError(f"unknown field '{word}' in the filter", expression,
                      "fields: " + ", ".join(sorted(k for k in known if k[0] != "_")[:12]))


class _Compiler:
    """Turns an allowed ast node into a closure; anything else is refused by name."""

    def __init__(self, names: dict[str, str], expression: str):
        self.names = names
        self.expression = expression

    def refuse(self, node: ast.AST) -> FilterError:
        return FilterError(f"'{type(node).__name__}' is not allowed in a filter", self.expression,
                           "use fields, numbers, strings, comparisons, and/or/not, + - * / "
                           "and abs()")

    def node(self, node: ast.AST) -> Node:
        handler = getattr(self, "_" + type(node).__name__, None)
        if handler is None:
            raise self.refuse(node)
        return handler(node)

    def _Constant(self, node: ast.Constant) -> Node:
        value = node.value
        if not (value is None or isinstance(value, (bool, int, float, str))):
            raise self.refuse(node)
        return lambda data: value

    def _Name(self, node: ast.Name) -> Node:
        field = self.names.get(node.id)
        if field is None:
            raise self.refuse(node)

        def read(data: Mapping[str, Any]) -> Any:
            value = data.get(field)
            if value is None:
                raise _Missing(field)
            return value
        return read

    def _Tuple(self, node: ast.Tuple) -> Node:
        items = [self.node(item) for item in node.elts]
        return lambda data: tuple(item(data) for item in items)

    _List = _Tuple

    def _BoolOp(self, node: ast.BoolOp) -> Node:
        parts = [self.node(value) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda data: all(_truth(part(data)) for part in parts)
        return lambda data: any(_truth(part(data)) for part in parts)

    def _UnaryOp(self, node: ast.UnaryOp) -> Node:
        operand = self.node(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda data: not _truth(operand(data))
        if isinstance(node.op, ast.USub):
            return lambda data: -_number(operand(data))
        if isinstance(node.op, ast.UAdd):
            return lambda data: +_number(operand(data))
        raise self.refuse(node.op)

    def _BinOp(self, node: ast.BinOp) -> Node:
        function = _ARITHMETIC.get(type(node.op))
        if function is None:  # ** among them: 9**9**9 would hang the server
            raise self.refuse(node.op)
        left, right = self.node(node.left), self.node(node.right)
        return lambda data: function(_number(left(data)), _number(right(data)))

    def _Compare(self, node: ast.Compare) -> Node:
        functions = []
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise self.refuse(op)
            functions.append(_COMPARE[type(op)])
        operands = [self.node(node.left), *(self.node(c) for c in node.comparators)]

        def compare(data: Mapping[str, Any]) -> bool:
            values = [operand(data) for operand in operands]
            return all(bool(f(a, b)) for f, a, b in zip(functions, values, values[1:]))
        return compare

    def _Call(self, node: ast.Call) -> Node:
        if not (isinstance(node.func, ast.Name) and node.func.id == "abs"
                and len(node.args) == 1 and not node.keywords):
            raise FilterError("only abs(x) may be called in a filter", self.expression,
                              "e.g. abs(user/angle) < 0.5")
        argument = self.node(node.args[0])
        return lambda data: abs(_number(argument(data)))


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"arithmetic on {value!r:.30}, which is not a number")
    return value


def _truth(value: Any) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


class DonkeyRecordView:
    """What a Donkey TRAIN_FILTER callable gets: `rec.underlying` is the stored line."""

    __slots__ = ("underlying",)

    def __init__(self, data: Mapping[str, Any]):
        self.underlying = data


def filter_of(value: Any, fields: Iterable[str]) -> Callable[[Mapping[str, Any]], bool] | None:
    """The config's TRAIN_FILTER as a predicate on a record's line: None (every record), an
    expression (str) or Donkey's callable taking a record with `.underlying`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        return compile_filter(value, fields)
    if callable(value):
        return lambda data: bool(value(DonkeyRecordView(data)))
    raise FilterError("TRAIN_FILTER must be an expression (str) or a function", "TRAIN_FILTER",
                      'write e.g. TRAIN_FILTER = "user/throttle > 0.1"')
