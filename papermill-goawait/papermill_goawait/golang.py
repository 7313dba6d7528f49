"""Go source for Python values, and the parameters a Go cell declares.

This module knows Go, not papermill: `declarations` turns papermill's
parameters (the values of YAML and JSON: str, int, float, bool, None, lists
and dicts) into Go statements, and `parse_parameters` reads the
declarations of a notebook's parameters cell back.

Go types chosen for the values:

    str                      string (a Go string literal, escaped)
    int                      int (64 bits; a larger number is an error)
    float                    float64; inf, -inf and nan become math.Inf(1),
                             math.Inf(-1) and math.NaN(), -0.0 becomes
                             math.Copysign(0, -1) (Go's constant -0.0 is +0)
    bool                     bool
    None                     a variable of type any that holds nil
    list, tuple              a slice of the elements' common type:
                             []int, []string, [][]float64...; ints mixed
                             with floats make []float64; any other mix,
                             None among them, or no elements make []any
    dict                     map[K]V, K and V the common types of the keys
                             and of the values, as for a list
                             (map[string]any when they differ or it is empty)
    anything else            a string of str(value), as papermill does for
                             every language (e.g. a YAML date)
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Optional

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1

# Go's keywords, and the two words goawait adds.
KEYWORDS = frozenset(
    """break case chan const continue default defer else fallthrough for func
    go goto if import interface map package range return select struct switch
    type var async await""".split()
)


class GoValueError(ValueError):
    """A parameter that has no Go equivalent (a number too large for Go's int,
    a string with a lone surrogate, a name that is not a Go identifier)."""


# --- Go types of Python values ----------------------------------------------
#
# A type is a tuple: ("int",), ("float64",), ("string",), ("bool",), ("any",),
# ("slice", elem) or ("map", key, value). NOTHING stands for the element
# type of an empty list: it gives way to any other type.

NOTHING = None
ANY = ("any",)
_SCALARS = {bool: ("bool",), int: ("int",), float: ("float64",), str: ("string",)}


def go_type(value: Any) -> tuple:
    """The Go type that value becomes on its own."""
    if value is None:
        return ANY
    if isinstance(value, bool):  # before int: bool is an int in Python
        return _SCALARS[bool]
    for py, go in _SCALARS.items():
        if isinstance(value, py):
            return go
    if isinstance(value, (list, tuple)):
        return ("slice", _common(go_type(v) for v in value))
    if isinstance(value, dict):
        return ("map", _common(go_type(k) for k in value), _common(go_type(v) for v in value.values()))
    return _SCALARS[str]


def _common(types: Iterable[tuple]) -> Optional[tuple]:
    out = NOTHING
    for t in types:
        out = unify(out, t)
    return out


def unify(a: Optional[tuple], b: Optional[tuple]) -> Optional[tuple]:
    """The type that holds values of types a and b: a itself when they are
    equal, float64 for int and float64, element-wise for slices and maps,
    any otherwise."""
    if a is NOTHING:
        return b
    if b is NOTHING or a == b:
        return a
    if {a, b} == {("int",), ("float64",)}:
        return ("float64",)
    if a[0] == b[0] == "slice":
        return ("slice", unify(a[1], b[1]))
    if a[0] == b[0] == "map":
        return ("map", unify(a[1], b[1]), unify(a[2], b[2]))
    return ANY


def type_string(t: Optional[tuple], empty: str = "any") -> str:
    """Go syntax for a type; NOTHING is written as empty."""
    if t is NOTHING:
        return empty
    if t[0] == "slice":
        return "[]" + type_string(t[1])
    if t[0] == "map":
        return f"map[{type_string(t[1], 'string')}]{type_string(t[2])}"
    return t[0]


# --- Go literals ----------------------------------------------------------------


class Writer:
    """Writes Go expressions for values; remembers whether they need
    the math package (infinities, NaN, negative zero)."""

    def __init__(self) -> None:
        self.needs_math = False

    def expr(self, value: Any, where: str) -> str:
        """A Go expression of value's own type (see the module doc)."""
        return self.literal(value, go_type(value), where)

    def literal(self, value: Any, t: Optional[tuple], where: str, elide: bool = False) -> str:
        """A Go expression for value as a value of type t. where names the
        value in error messages (e.g. "sizes[2]"). elide leaves out the type
        of a composite literal, as Go allows inside another one."""
        if t is NOTHING or t == ANY:
            if value is None:
                return "nil"
            return self.literal(value, go_type(value), where)
        kind = t[0]
        if kind == "slice":
            items = ", ".join(
                self.literal(v, t[1], f"{where}[{i}]", elide=_composite(t[1])) for i, v in enumerate(value)
            )
            return ("" if elide else type_string(t)) + "{" + items + "}"
        if kind == "map":
            items = ", ".join(
                f"{self.literal(k, t[1], f'{where} key {k!r}')}: "
                f"{self.literal(v, t[2], f'{where}[{k!r}]', elide=_composite(t[2]))}"
                for k, v in value.items()
            )
            return ("" if elide else type_string(t)) + "{" + items + "}"
        if kind == "bool":
            return "true" if value else "false"
        if kind == "int":
            if not INT_MIN <= value <= INT_MAX:
                raise GoValueError(f"{where}: {value} does not fit in Go's int (64 bits)")
            return str(value)
        if kind == "float64":
            return self._float(value, where)
        return quote(value if isinstance(value, str) else str(value), where)

    def _float(self, value: Any, where: str) -> str:
        if isinstance(value, int):  # an int among floats
            try:
                float(value)
            except OverflowError:
                raise GoValueError(f"{where}: {value} does not fit in Go's float64") from None
            return str(value)
        if math.isnan(value):
            self.needs_math = True
            return "math.NaN()"
        if math.isinf(value):
            self.needs_math = True
            return "math.Inf(1)" if value > 0 else "math.Inf(-1)"
        if value == 0 and math.copysign(1, value) < 0:
            self.needs_math = True
            return "math.Copysign(0, -1)"
        text = repr(value)  # the shortest text that reads back the same float
        if not any(c in text for c in ".en"):
            text += ".0"
        return text


def _composite(t: Optional[tuple]) -> bool:
    return t is not NOTHING and t[0] in ("slice", "map")


_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r", "\t": r"\t", "\v": r"\v"}


def quote(s: str, where: str = "string") -> str:
    """A Go interpreted string literal whose value is s (as UTF-8)."""
    out = ['"']
    for c in s:
        code = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif 0xD800 <= code <= 0xDFFF:
            raise GoValueError(f"{where}: a lone surrogate (U+{code:04X}) has no UTF-8 form, so no Go string holds it")
        elif c.isprintable() or c == " ":
            out.append(c)
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def check_identifier(name: str) -> None:
    """Raises GoValueError unless name can be declared as a Go variable."""
    if not isinstance(name, str) or not name:
        raise GoValueError(f"parameter name {name!r}: not a Go identifier")
    ok = all(
        c == "_" or unicodedata.category(c).startswith("L") or (i > 0 and unicodedata.category(c) == "Nd")
        for i, c in enumerate(name)
    )
    if not ok:
        raise GoValueError(f"parameter name {name!r}: not a Go identifier (letters, digits and '_', not first a digit)")
    if name in KEYWORDS:
        raise GoValueError(f"parameter name {name!r}: a keyword cannot name a variable")
    if name == "_":
        raise GoValueError("parameter name '_': the blank identifier cannot hold a parameter")


def declarations(parameters: dict, comment: str = "Parameters") -> str:
    """A goawait cell that declares each parameter as a variable of the Go
    type of its value (see the module doc), e.g.

        // Parameters
        n := 2
        names := []string{"a", "b"}
        var missing any = nil
    """
    w = Writer()
    lines = []
    for name, value in parameters.items():
        check_identifier(name)
        if value is None:
            lines.append(f"var {name} any = nil")
        else:
            lines.append(f"{name} := {w.expr(value, name)}")
    head = [f"// {comment}".rstrip()]
    if w.needs_math:
        head.append('import "math"')
    return "\n".join(head + lines) + "\n"


# --- reading a parameters cell ------------------------------------------------


@dataclass
class Declared:
    """One variable that a parameters cell declares."""

    name: str
    type: str  # Go type as written or inferred from the value; "None" when unknown
    default: str  # the value's source text
    help: str  # the declaration's comment


@dataclass
class _Statement:
    code: str  # the source without comments (a comment is replaced by a space)
    raw: str  # the source as written
    comments: list  # the text of its comments, in order
    line_breaks_before: int  # newlines between the previous statement and this one


def _literal_end(text: str, i: int) -> int:
    """The index just past the string, raw string or rune literal that
    starts at text[i]; an unterminated one ends at its line."""
    quote_, j = text[i], i + 1
    while j < len(text):
        c = text[j]
        if c == quote_:
            return j + 1
        if quote_ != "`":
            if c == "\\":
                j += 2
                continue
            if c == "\n":
                return j
        j += 1
    return len(text)


def _statements(src: str) -> list:
    """Splits Go source into statements: at a newline or ';' outside
    brackets, literals and comments. A line holding only a comment is a
    statement with empty code."""
    out: list = []
    code: list = []
    comments: list = []
    depth = start = breaks = i = 0
    n = len(src)

    def end(at: int) -> None:
        nonlocal code, comments, start, breaks
        text = "".join(code).strip()
        if text or comments:
            out.append(_Statement(text, src[start:at].strip(), comments, breaks))
            breaks = 0
        code, comments = [], []
        start = at + 1

    while i < n:
        c = src[i]
        if c in "\"'`":
            j = _literal_end(src, i)
            code.append(src[i:j])
            i = j
            continue
        if src.startswith("//", i) or src.startswith("/*", i):
            close = "\n" if src[i + 1] == "/" else "*/"
            j = src.find(close, i + 2)
            j = n if j < 0 else j
            comments.append(src[i + 2 : j].strip())
            code.append(" ")
            i = j if close == "\n" else j + 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(0, depth - 1)
        if depth == 0 and c in "\n;":
            end(i)
            breaks += c == "\n"
        else:
            code.append(c)
        i += 1
    end(n)
    return out


def _with_help(src: str):
    """The statements of src that have code, each with its help: the text
    of its own comments, or else of the comment lines right above it."""
    doc: list = []
    for st in _statements(src):
        if not st.code:
            if st.line_breaks_before > 1:
                doc = []  # a blank line ends a comment group
            doc.extend(st.comments)
            continue
        above = doc if st.line_breaks_before <= 1 else []
        doc = []
        yield st, " ".join(c for c in st.comments if c) or " ".join(c for c in above if c)


def _split_top(text: str, sep: str) -> list:
    """Splits text at sep outside brackets and literals."""
    parts, cur = [], []
    depth = i = 0
    while i < len(text):
        c = text[i]
        if c in "\"'`":
            j = _literal_end(text, i)
            cur.append(text[i:j])
            i = j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if depth == 0 and text.startswith(sep, i):
            parts.append("".join(cur).strip())
            cur = []
            i += len(sep)
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur).strip())
    return parts


_IDENT = r"[^\W\d]\w*"
_NAMES = re.compile(rf"\s*({_IDENT}(?:\s*,\s*{_IDENT})*)\s*(.*)$", re.S)
_INT = re.compile(r"-?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$")
_FLOAT = re.compile(r"-?(\d[\d_]*\.?[\d_]*([eE][-+]?\d+)?|\.\d[\d_]*([eE][-+]?\d+)?|0[xX][0-9a-fA-F_.]+[pP][-+]?\d+)$")
_CONVERSION = re.compile(r"(u?int(8|16|32|64)?|uintptr|float(32|64)|complex(64|128)|string|byte|rune|bool)\(")
_COMPOSITE = re.compile(r"((?:\[\d*\]|map\[[^{}]*?\])*[^\W\d][\w.]*)\s*\{")


def _infer(value: str) -> str:
    """The Go type of a value's source text, "None" when not evident."""
    v = value.strip()
    if _INT.match(v):
        return "int"
    if _FLOAT.match(v):
        return "float64"
    if re.fullmatch(r"-?[\d_.eExXpP+-]+i", v):
        return "complex128"
    if v[:1] in ('"', "`") and v[-1:] == v[:1] and len(v) >= 2:
        return "string"
    if v[:1] == "'" and v[-1:] == "'":
        return "rune"
    if v in ("true", "false"):
        return "bool"
    m = _CONVERSION.match(v)
    if m and v.endswith(")"):
        return m.group(1)
    m = _COMPOSITE.match(v)
    if m and v.endswith("}"):
        return m.group(1)
    return "None"


def _one_line(text: str) -> str:
    """A multi-line value on one line: lines joined by a space, without the
    space after an opening bracket, before a closing one, or a trailing comma
    before it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        if line[0] in ")]}":
            out = out.rstrip(",") + line
        elif out[-1] in "([{":
            out += line
        else:
            out += " " + line
    return out


def _zero(type_: str) -> str:
    if re.fullmatch(r"u?int\d*|uintptr|float\d+|complex\d+|byte|rune", type_):
        return "0"
    if type_ == "string":
        return '""'
    if type_ == "bool":
        return "false"
    if type_.startswith(("[]", "map[", "*", "chan ", "func(")) or type_ in ("any", "error"):
        return "nil"
    return f"the zero {type_}"


def _parse_spec(code: str, short: bool, help_: str) -> list:
    """The variables of one `a, b := x, y` (short) or `var` spec (code
    without the word var)."""
    if short:
        lhs, sep, rhs = code.partition(":=")
        m = _NAMES.match(lhs)
        if not sep or not m or m.group(2).strip():
            return []
        names, type_ = m.group(1), ""
    else:
        lhs, sep, rhs = code.partition("=")
        m = _NAMES.match(lhs)
        if not m:
            return []
        names, type_ = m.group(1), _one_line(m.group(2))
        if not sep and not type_:
            return []
    names = [x.strip() for x in names.split(",")]
    if sep:
        values = _split_top(rhs, ",")
        if len(values) != len(names):
            values = [rhs.strip()] * len(names) if len(names) == 1 else [None] * len(names)
    else:
        values = [_zero(type_)] * len(names)
    out = []
    for name, value in zip(names, values):
        if value is None:  # a, b := f(): several results of one call
            shown, inferred = rhs.strip(), "None"
        else:
            shown = _one_line(value)
            inferred = _infer(value) if sep else "None"
        out.append(Declared(name, type_ or inferred, shown if shown else "", help_))
    return out


def parse_parameters(src: str) -> list:
    """The variables that the Go source of a parameters cell declares, in
    order, from statements of these forms:

        name := value            // help
        a, b := 1, 2             // help
        var name = value         // help
        var name Type = value    // help
        var name Type            // help (its default: the zero value)
        var (
            name Type = value    // help
        )

    A value may span lines (a composite literal). The help is the comment
    on the declaration's line(s), or else the comment lines right above it.
    Any other statement is skipped."""
    out: list = []
    for st, help_ in _with_help(src):
        if re.match(r"var\s*\(", st.code):
            inner = st.raw[st.raw.index("(") + 1 : st.raw.rindex(")")] if ")" in st.raw else ""
            for spec, spec_help in _with_help(inner):
                out.extend(_parse_spec(spec.code, False, spec_help))
        elif re.match(r"var\s", st.code):
            out.extend(_parse_spec(st.code[3:], False, help_))
        elif ":=" in st.code:
            out.extend(_parse_spec(st.code, True, help_))
    return out
