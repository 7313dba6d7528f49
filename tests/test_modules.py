"""Modules in cells (issue 14): the built kernel imports packages of any
module through the module proxy, honours the go.mod beside the notebook
(its working directory), and reports a failed import at the user's line.

The kernel gets a module cache of its own (XDG_CACHE_HOME), so its first
import builds a plugin; the Go build cache stays the user's (GOCACHE). The first
plugin build of a machine rebuilds the standard library for plugins
(about ten seconds), hence the long timeouts, which are limits, not
expectations."""

from __future__ import annotations

import os
import subprocess

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL, execute

BUILD = 300  # seconds a cell that builds a plugin may take on a fresh machine

HELLO = '''// Package hello is a package of the notebook's own module.
package hello

import "fmt"

// Greet prints a greeting, from compiled code.
func Greet(name string) { fmt.Println("hello,", name) }

// Boom panics.
func Boom() { panic("boom from compiled code") }
'''


@pytest.fixture(scope="module")
def mkc(tmp_path_factory):
    nb = tmp_path_factory.mktemp("notebook")
    (nb / "go.mod").write_text("module example.com/nb\n\ngo 1.22\n")
    (nb / "hello").mkdir()
    (nb / "hello" / "hello.go").write_text(HELLO)
    # XDG_CACHE_HOME moves goawait's module cache, and would move the Go
    # build cache too: GOCACHE keeps that one.
    gocache = subprocess.run(["go", "env", "GOCACHE"], capture_output=True, text=True, check=True).stdout.strip()
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path_factory.mktemp("cache")), GOCACHE=gocache)
    km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60, cwd=str(nb), env=env)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def ok(kc, code, timeout=30):
    run = execute(kc, code, timeout=timeout)
    assert run.status == "ok", run.error()
    return run


def test_import_a_module_keeps_the_session(mkc):
    ok(mkc, "x := 41")
    run = ok(mkc, 'import "github.com/google/uuid"\nid := uuid.New()\nlen(id.String())', timeout=BUILD)
    assert run.result() == "36"
    assert ok(mkc, "x + 1").result() == "42"
    assert "github.com/google/uuid\tgithub.com/google/uuid v" in ok(mkc, "%go list").stream()


def test_notebook_package_output_and_panic(mkc):
    run = ok(mkc, 'import "example.com/nb/hello"\nhello.Greet("notebook")', timeout=BUILD)
    assert run.stream() == "hello, notebook\n"
    run = execute(mkc, "hello.Boom()")
    assert run.status == "error"
    assert run.error()["ename"] == "panic" and "boom from compiled code" in run.error()["evalue"]
    assert ok(mkc, "1 + 2").result() == "3"


def test_generic_module_at_a_chosen_version(mkc):
    assert "github.com/google/btree v1.1.2" in ok(mkc, "%go get github.com/google/btree@v1.1.2", timeout=BUILD).stream()
    code = 'import "github.com/google/btree"\ntr := btree.NewOrderedG[string](2)\ntr.ReplaceOrInsert("b")\ntr.ReplaceOrInsert("a")\nn := tr.Len()\nn'
    assert ok(mkc, code, timeout=BUILD).result() == "2"
    listing = ok(mkc, "%go list").stream()
    assert "github.com/google/btree\tgithub.com/google/btree v1.1.2" in listing
    assert "NewOrderedG[string]" in listing


def test_failed_import_is_an_error_at_its_line(mkc):
    ok(mkc, "kept := 5")
    path = "github.com/goawait-test-no-such-owner/no-such-module"
    run = execute(mkc, f'before := 1\nimport "{path}"', timeout=BUILD)
    assert run.status == "error"
    err = run.error()
    assert err["evalue"].startswith(f'cell[{run.reply["content"]["execution_count"]}]:2:8: import "{path}"'), err
    assert path in "\n".join(err["traceback"])
    assert execute(mkc, "before").status == "error", "nothing of the failed cell ran"
    assert ok(mkc, "kept").result() == "5"
