"""papermill runs goawait notebooks with parameters (papermill-goawait/).

The CLI tests run papermill's own command, installed from PyPI into .venv
with papermill-goawait, against the real kernel; the expected lines are
what compiled Go prints for the injected declarations.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillException
from papermill.translators import papermill_translators

from papermill_goawait import GoTranslator
from papermill_goawait.golang import GoValueError, declarations, parse_parameters, quote

PAPERMILL = str(Path(sys.executable).with_name("papermill"))


def notebook(path: Path, parameters: str, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "goawait", "display_name": "Go (goawait)", "language": "go"}
    nb.metadata["language_info"] = {"name": "go"}
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


def papermill(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PAPERMILL, *args], cwd=cwd, capture_output=True, text=True, timeout=180, env=os.environ.copy()
    )


def stdout_of(cell) -> str:
    return "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream" and o["name"] == "stdout")


def test_the_issue_command_runs(tmp_path):
    """`papermill in.ipynb out.ipynb -p n 2`: the injected cell follows the
    parameters cell and the later cells see n = 2."""
    notebook(
        tmp_path / "in.ipynb",
        "var n int = 1 // how many lines",
        'for i := range n {\n\tfmt.Println("line", i)\n}',
    )
    run = papermill("in.ipynb", "out.ipynb", "-p", "n", "2", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert [c.metadata.get("tags", []) for c in out.cells] == [["parameters"], ["injected-parameters"], []]
    assert out.cells[0].source == "var n int = 1 // how many lines"
    assert out.cells[1].source == "// Parameters\nn := 2\n"
    assert stdout_of(out.cells[2]) == "line 0\nline 1\n"
    assert out.metadata.papermill.parameters == {"n": 2}


EVERY_TYPE = {
    # name: (how papermill's CLI receives it, what Go prints for "%T %#v")
    "n": (["-p", "n", "2"], "int 2"),
    "name": (["-p", "name", 'Ann "the" \\ \t😀'], 'string "Ann \\"the\\" \\\\ \\t😀"'),
    "rate": (["-p", "rate", "2.5"], "float64 2.5"),
    "flag": (["-p", "flag", "True"], "bool true"),
    "nothing": (["-p", "nothing", "None"], "<nil> <nil>"),
    "pinf": (["-p", "pinf", "inf"], "float64 +Inf"),
    "nan": (["-p", "nan", "nan"], "float64 NaN"),
    "ninf": (["-y", "ninf: -.inf"], "float64 -Inf"),
    "negzero": (["-y", "negzero: -0.0"], "float64 -0"),
    "ints": (["-y", "ints: [1, 2, 3]"], "[]int []int{1, 2, 3}"),
    "mixed": (["-y", "mixed: [1, 2.5]"], "[]float64 []float64{1, 2.5}"),
    "strs": (["-y", "strs: [a, b]"], '[]string []string{"a", "b"}'),
    "nested": (["-y", "nested: [[1, 2], [3], []]"], "[][]int [][]int{[]int{1, 2}, []int{3}, []int{}}"),
    "empty": (["-y", "empty: []"], "[]interface {} []interface {}{}"),
    "anys": (
        ["-y", "anys: [1, a, null, true, [1, 2]]"],
        '[]interface {} []interface {}{1, "a", interface {}(nil), true, []int{1, 2}}',
    ),
    "dict": (
        ["-y", "dict: {a: 1, b: {c: [1.5, .inf]}, d: null}"],
        'map[string]interface {} map[string]interface {}{"a":1, "b":map[string][]float64{"c":[]float64{1.5, +Inf}},'
        ' "d":interface {}(nil)}',
    ),
    "counts": (["-y", "counts: {a: 1, b: 2}"], 'map[string]int map[string]int{"a":1, "b":2}'),
    "intkeys": (["-y", "intkeys: {1: x, 2: y}"], 'map[int]string map[int]string{1:"x", 2:"y"}'),
}


def test_parameters_of_every_type_reach_go(tmp_path):
    """Each papermill value becomes a Go variable of the documented type;
    the output notebook shows the values."""
    show = "\n".join(f'fmt.Printf("{name}: %T %#v\\n", {name}, {name})' for name in EVERY_TYPE)
    notebook(tmp_path / "in.ipynb", 'n := 1\nvar name string = "nobody"', show)
    args = [a for cli, _ in EVERY_TYPE.values() for a in cli]
    run = papermill("in.ipynb", "out.ipynb", *args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    injected = out.cells[1]
    assert injected.metadata.tags == ["injected-parameters"]
    assert 'import "math"' in injected.source  # for the infinities, NaN and -0
    want = "".join(f"{name}: {shown}\n" for name, (_, shown) in EVERY_TYPE.items())
    assert stdout_of(out.cells[2]) == want


def test_a_rerun_replaces_the_injected_cell(tmp_path):
    """papermill replaces an earlier injected cell rather than adding one."""
    notebook(tmp_path / "in.ipynb", "n := 1", "fmt.Println(n * 10)")
    assert papermill("in.ipynb", "mid.ipynb", "-p", "n", "2", cwd=tmp_path).returncode == 0
    run = papermill("mid.ipynb", "out.ipynb", "-p", "n", "3", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert [c.source for c in out.cells[:2]] == ["n := 1", "// Parameters\nn := 3\n"]
    assert stdout_of(out.cells[2]) == "30\n"


PARAMETERS_CELL = """\
// how many rows
n := 10
url := "http://example.com/a;b" // where from
var rate = 0.5 // the rate
var name string = "Ann"
var limit int64 // at most this many
sizes := []int{ // the sizes
	1, 2,
	3,
}

// a comment after a blank line belongs to nothing

a, b := 1, "x" // a pair
var (
	// depth of the tree
	depth int = 3
	speed = 2.5 // metres a second
)
fmt.Println(n)
d := 5 * time.Second
"""


def test_help_notebook_lists_the_parameters(tmp_path):
    notebook(tmp_path / "in.ipynb", PARAMETERS_CELL)
    run = papermill("--help-notebook", "in.ipynb", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = [line.rstrip() for line in run.stdout.splitlines()]
    start = lines.index("Parameters inferred for notebook 'in.ipynb':")
    assert lines[start + 1 :] == [
        "  n: int (default 10)             how many rows",
        '  url: string (default "http://example.com/a;b")',
        "                                  where from",
        "  rate: float64 (default 0.5)     the rate",
        '  name: string (default "Ann")',
        "  limit: int64 (default 0)        at most this many",
        "  sizes: []int (default []int{1, 2, 3})",
        "                                  the sizes",
        "  a: int (default 1)              a pair",
        '  b: string (default "x")         a pair',
        "  depth: int (default 3)          depth of the tree",
        "  speed: float64 (default 2.5)    metres a second",
        "  d: Unknown type (default 5 * time.Second)",
    ]


def test_bad_parameters_fail_saying_why(tmp_path):
    notebook(tmp_path / "in.ipynb", "n := 1", "fmt.Println(n)")
    run = papermill("in.ipynb", "out.ipynb", "-p", "2n", "1", cwd=tmp_path)
    assert run.returncode != 0
    assert "parameter name '2n': not a Go identifier" in run.stderr
    run = papermill("in.ipynb", "out.ipynb", "-y", "n: [1, 100000000000000000000]", cwd=tmp_path)
    assert run.returncode != 0
    assert "n[1]: 100000000000000000000 does not fit in Go's int (64 bits)" in run.stderr


def test_registered_for_goawait_only():
    """The translator is found by the kernel's name; another Go kernel still
    gets papermill's own answer."""
    assert papermill_translators.find_translator("goawait", "go") is GoTranslator
    with pytest.raises(PapermillException, match="No parameter translator functions specified for kernel 'gonb'"):
        papermill_translators.find_translator("gonb", "go")


def test_declarations():
    assert declarations({"s": "é\x00\u2028\U0001f600\x7f", "x": None, "f": 3.0, "e": 1e-7}) == (
        '// Parameters\ns := "é\\x00\\u2028😀\\x7f"\nvar x any = nil\nf := 3.0\ne := 1e-07\n'
    )
    assert declarations({"m": {"a": [1], "b": []}, "k": {True: 1, None: 2}}, "Injected") == (
        '// Injected\nm := map[string][]int{"a": {1}, "b": {}}\nk := map[any]int{true: 1, nil: 2}\n'
    )
    assert GoTranslator.translate([1, "a"]) == '[]any{1, "a"}'
    for bad in ({"await": 1}, {"_": 1}, {"a b": 1}):
        with pytest.raises(GoValueError, match="parameter name"):
            declarations(bad)
    with pytest.raises(GoValueError, match="lone surrogate"):
        quote("a\ud800")
    with pytest.raises(GoValueError, match="float64"):
        declarations({"f": [0.5, 10**400]})


def test_parse_parameters_skips_what_is_not_a_declaration():
    src = 'if x := f(); x > 0 {\n\ty := 1\n}\nfor i := range 3 {}\nv, err := strconv.Atoi("3")\ns := "// not a comment" /* c */'
    got = [(d.name, d.type, d.default, d.help) for d in parse_parameters(src)]
    assert got == [
        ("v", "None", 'strconv.Atoi("3")', ""),
        ("err", "None", 'strconv.Atoi("3")', ""),
        ("s", "string", '"// not a comment"', "c"),
    ]
