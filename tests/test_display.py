"""Rich output as jupyter_client sees it: displays with a text fallback,
handles updated in place, rich values, progress bars, magics, and displays
made by background tasks, which belong to the cell that created them."""

from __future__ import annotations

from conftest import collect, execute, wait_iopub


def test_display_data_has_the_mime_type_and_a_text_fallback(kc):
    run = execute(kc, 'display.HTML("<b>bold</b> move")')
    assert run.status == "ok", run.error()
    (disp,) = run.of_type("display_data")
    assert disp["content"]["data"] == {"text/html": "<b>bold</b> move", "text/plain": "bold move"}
    assert disp["content"]["metadata"] == {}
    assert "(auto-imported \"goawait/display\")" in run.stream("stderr")


def test_update_display_data_replaces_the_handle_output(kc):
    run = execute(
        kc,
        """import "goawait/display"
h := display.NewHandle()
h.Display(display.TextOutput("step 1"))
h.Update(display.HTMLOutput("<i>step 2</i>"))""",
    )
    assert run.status == "ok", run.error()
    (first,) = run.of_type("display_data")
    (update,) = run.of_type("update_display_data")
    display_id = first["content"]["transient"]["display_id"]
    assert display_id and update["content"]["transient"]["display_id"] == display_id
    assert first["content"]["data"] == {"text/plain": "step 1"}
    assert update["content"]["data"] == {"text/html": "<i>step 2</i>", "text/plain": "step 2"}
    # A later cell can update the same display in place.
    run = execute(kc, 'h.Update(display.TextOutput("step 3"))')
    (update,) = run.of_type("update_display_data")
    assert update["content"]["transient"]["display_id"] == display_id
    assert update["content"]["data"] == {"text/plain": "step 3"}


def test_progress_bar_ends_on_its_total(kc):
    run = execute(kc, "p := display.Progress(50)\nfor i := 0; i < 50; i++ {\n\tp.Add(1)\n}")
    assert run.status == "ok", run.error()
    (first,) = run.of_type("display_data")
    updates = run.of_type("update_display_data")
    assert first["content"]["data"]["text/plain"] == "[                    ] 0/50"
    assert updates, "the bar was never updated"
    assert updates[-1]["content"]["transient"] == first["content"]["transient"]
    assert updates[-1]["content"]["data"]["text/plain"] == "[====================] 50/50"
    assert '<progress value="50" max="50"' in updates[-1]["content"]["data"]["text/html"]


def test_cell_type_with_html_method_is_an_execute_result_with_html(kc):
    run = execute(
        kc,
        """type Badge struct{ Label string }
func (b Badge) HTML() string { return "<span>" + b.Label + "</span>" }
func (b Badge) String() string { return "Badge(" + b.Label + ")" }
Badge{"new"}""",
    )
    assert run.status == "ok", run.error()
    (res,) = run.of_type("execute_result")
    assert res["content"]["data"] == {"text/html": "<span>new</span>", "text/plain": "Badge(new)"}


def test_display_from_a_background_task_goes_to_the_creating_cell(kc):
    first = execute(
        kc,
        """paintGo := asyncio.NewEvent()
async func paintLater() {
\tawait paintGo.Wait()
\tdisplay.Markdown("**painted later**")
}
painter := asyncio.CreateTask(paintLater())""",
    )
    assert first.status == "ok", first.error()
    assert not first.of_type("display_data")
    # The second cell lets the task paint while it waits on the loop.
    second_id = kc.execute("paintGo.Set()\nawait painter")
    second = collect(kc, second_id)
    assert second.status == "ok", second.error()
    assert not second.of_type("display_data"), "the task's display went to the running cell"
    # The display comes under the creating cell's msg_id, maybe after the second cell's idle.
    late = wait_iopub(kc, first.msg_id, lambda msgs: any(m["msg_type"] == "display_data" for m in msgs))
    late = [m for m in late if m["msg_type"] == "display_data"]
    assert late[0]["parent_header"]["msg_id"] == first.msg_id
    assert late[0]["content"]["data"] == {"text/markdown": "**painted later**", "text/plain": "**painted later**"}


def test_magics_through_the_protocol(kc):
    reply = collect(kc, kc.is_complete("%timeit x := 1")).reply
    assert reply["content"]["status"] == "complete"
    run = execute(kc, "%%markdown\n# Hello")
    (disp,) = run.of_type("display_data")
    assert disp["content"]["data"]["text/markdown"] == "# Hello"
    run = execute(kc, "!echo from the shell")
    assert run.stream() == "from the shell\n"
    run = execute(kc, "%help")
    assert run.status == "ok"
    (page,) = run.reply["content"]["payload"]
    assert page["source"] == "page" and "%timeit" in page["data"]["text/plain"]
    run = execute(kc, "%nosuchmagic")
    assert run.status == "error"
    assert run.error()["ename"] == "UsageError"
    assert "unknown magic %nosuchmagic" in run.error()["evalue"]
