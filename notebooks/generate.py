"""Writes the notebooks of this folder from the sources below.

Each code cell carries the output its seed document says it prints (with Go's
formatting); the notebook tests execute every notebook and compare what the
kernel prints with these stored outputs. Run it after editing:

    .venv/bin/python notebooks/generate.py
"""

from __future__ import annotations

import hashlib
import os

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

HERE = os.path.dirname(os.path.abspath(__file__))

KERNELSPEC = {"name": "goawait", "display_name": "Go (goawait)", "language": "go"}
LANGUAGE_INFO = {
    "name": "go",
    "mimetype": "text/x-go",
    "file_extension": ".go",
    "pygments_lexer": "go",
    "codemirror_mode": "go",
}


def md(text: str):
    return ("md", text.strip("\n"))


def code(src: str, stdout: str = "", stderr: str = "", result: str | None = None, error=None, display=None):
    """A code cell and what it shows: stdout/stderr text, the value of its last
    expression, an (ename, evalue) error, or a list of display MIME bundles."""
    return ("code", src.strip("\n"), dict(stdout=stdout, stderr=stderr, result=result, error=error, display=display))


def build(name: str, cells: list) -> None:
    nb = new_notebook(metadata={"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO})
    count = 0
    for kind, text, *rest in cells:
        if kind == "md":
            nb.cells.append(new_markdown_cell(text))
            continue
        exp = rest[0]
        count += 1
        outputs = []
        if exp["stdout"]:
            outputs.append(new_output("stream", name="stdout", text=exp["stdout"]))
        if exp["stderr"]:
            outputs.append(new_output("stream", name="stderr", text=exp["stderr"]))
        for bundle in exp["display"] or []:
            outputs.append(new_output("display_data", data=bundle))
        if exp["result"] is not None:
            outputs.append(new_output("execute_result", data={"text/plain": exp["result"]}, execution_count=count))
        metadata = {}
        if exp["error"]:
            ename, evalue = exp["error"]
            outputs.append(new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]))
            metadata["tags"] = ["raises-exception"]
        nb.cells.append(new_code_cell(text, execution_count=count, outputs=outputs, metadata=metadata))
    # Cell ids from the notebook's name and the cell's place, not random:
    # regenerating changes only the cells whose text changed.
    for i, cell in enumerate(nb.cells):
        cell.id = hashlib.sha256(f"{name}:{i}".encode()).hexdigest()[:8]
    nbformat.validate(nb)
    nbformat.write(nb, os.path.join(HERE, name))


def main() -> None:
    from sources import NOTEBOOKS  # noqa: PLC0415  (the notebooks' text lives beside this file)

    for name, cells in NOTEBOOKS.items():
        build(name, cells)
        print("wrote", name)


if __name__ == "__main__":
    main()
