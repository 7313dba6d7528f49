"""jupyter_kernel_test's protocol suite, driven against the installed goawait kernel.

Run with `python -m unittest tests/test_kernel_protocol.py` (pytest would skip
a whole test when one subtest skips). Every sample attribute is set, so every
test of the suite runs.
"""

import unittest

import jupyter_kernel_test as jkt


class GoawaitKernelTests(jkt.KernelTests):
    kernel_name = "goawait"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'
    code_stderr = 'import (\n\t"fmt"\n\t"os"\n)\nfmt.Fprintln(os.Stderr, "to stderr")'

    completion_samples = [
        {"text": "fmt.Print", "matches": {"fmt.Print", "fmt.Printf", "fmt.Println"}},
        {"text": "strings.HasPre", "matches": {"strings.HasPrefix"}},
    ]

    complete_code_samples = ["x := 1", "func f() int { return 1 }", "fmt.Println(1)", "async func g() {}"]
    incomplete_code_samples = ["func f() int {", "for i := 0; i < 3; i++ {", 'fmt.Println("a",']
    invalid_code_samples = ["x := )", "func func", "y := 1 +) 2"]

    code_page_something = 'import "fmt"\nfmt.Println?'

    code_generate_error = 'panic("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"go" + "pher"', "result": '"gopher"'},
        {"code": "func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }\nfib(10)", "result": "55"},
        {"code": "[]int{1, 2, 3}", "result": "[1 2 3]"},
    ]

    code_display_data = [
        {"code": 'import "goawait/display"\ndisplay.HTML("<b>bold</b>")', "mime": "text/html"},
        {
            "code": 'import (\n\t"goawait/display"\n\t"image"\n)\ndisplay.Image(image.NewRGBA(image.Rect(0, 0, 4, 4)))',
            "mime": "image/png",
        },
    ]

    code_history_pattern = '"go" + *'
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "strings.Contains"

    code_clear_output = 'import "goawait/display"\ndisplay.ClearOutput(false)'


class GoawaitIopubWelcomeTests(jkt.IopubWelcomeTests):
    # A new iopub subscriber gets iopub_welcome first (protocol 5.5).
    kernel_name = "goawait"
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()
