"""Every notebook in notebooks/ runs headless, with nbconvert and with
`jupyter execute`, and prints what its stored outputs say."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
BIN_DIR = os.path.dirname(sys.executable)

# Values that change from run to run: durations, addresses, dates.
MASKS = [
    (re.compile(r"\b\d+(\.\d+)?(ns|µs|us|ms|s|m|h)\b"), "<duration>"),
    (re.compile(r"0x[0-9a-f]{6,}"), "<addr>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<time>"),
]


def mask(text: str) -> str:
    for pattern, repl in MASKS:
        text = pattern.sub(repl, text)
    return text


def summary(nb) -> list:
    """What a reader sees of each code cell: streams joined per name, results,
    display MIME types, and errors."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        seen = []
        streams = {}
        for out in cell.get("outputs", []):
            kind = out["output_type"]
            if kind == "stream":
                streams[out["name"]] = streams.get(out["name"], "") + out["text"]
            elif kind == "execute_result":
                seen.append(("result", mask(out["data"].get("text/plain", ""))))
            elif kind == "display_data":
                seen.append(("display", tuple(sorted(out["data"]))))
            elif kind == "error":
                seen.append(("error", out["ename"], mask(out["evalue"])))
        for name in sorted(streams):
            seen.append((name, mask(streams[name])))
        cells.append(seen)
    return cells


def test_there_are_notebooks():
    names = {os.path.basename(p) for p in NOTEBOOKS}
    assert "tour.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
@pytest.mark.parametrize("runner", ["nbconvert", "execute"])
def test_notebook_outputs_match(path, runner, tmp_path):
    copy = tmp_path / os.path.basename(path)
    shutil.copy(path, copy)
    if runner == "nbconvert":
        cmd = [os.path.join(BIN_DIR, "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--inplace",
               "--ExecutePreprocessor.kernel_name=goawait", "--ExecutePreprocessor.timeout=120", str(copy)]
    else:
        cmd = [os.path.join(BIN_DIR, "jupyter"), "execute", "--inplace", "--kernel_name=goawait", "--timeout=120", str(copy)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    expected = summary(nbformat.read(path, as_version=4))
    got = summary(nbformat.read(copy, as_version=4))
    assert len(got) == len(expected)
    for i, (want, have) in enumerate(zip(expected, got)):
        assert have == want, f"{os.path.basename(path)} code cell {i + 1}"
