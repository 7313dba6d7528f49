"""Parameters in Go for papermill notebooks that run on the goawait kernel.

Installed with pip, this package makes `papermill in.ipynb out.ipynb -p n 2`
work for notebooks whose kernel is goawait: papermill writes the parameters
as Go declarations into a cell tagged "injected-parameters" right after the
cell tagged "parameters", and `papermill --help-notebook in.ipynb` lists
the variables that the parameters cell declares.

papermill finds translators only in its own table. It does import the
objects its "papermill.engine" entry points name when it starts, and this
package's entry point names GoawaitEngine, so importing papermill imports
this package, which registers GoTranslator under the kernel name "goawait"
(only there: other Go kernels keep whatever papermill does for them).
GoawaitEngine is papermill's own nbclient engine under another name:
`--engine goawait` runs a notebook as the default engine does.

The Go types that values become are listed in papermill_goawait.golang.
"""

from __future__ import annotations


class GoawaitEngine:
    """papermill's nbclient engine, by delegation; papermill's
    "papermill.engine" entry point names it so that papermill imports this
    package (see the package doc)."""

    # Defined before papermill is imported below: importing papermill loads
    # its entry points, which reads this attribute of a module that may be
    # still importing (when a program imports this package first).

    @classmethod
    def execute_notebook(cls, *args, **kwargs):
        """Runs the notebook as papermill's default engine does."""
        from papermill.engines import NBClientEngine

        return NBClientEngine.execute_notebook(*args, **kwargs)

    @classmethod
    def nb_kernel_name(cls, *args, **kwargs):
        """The notebook's kernel name, as papermill's default engine finds it."""
        from papermill.engines import NBClientEngine

        return NBClientEngine.nb_kernel_name(*args, **kwargs)

    @classmethod
    def nb_language(cls, *args, **kwargs):
        """The notebook's language, as papermill's default engine finds it."""
        from papermill.engines import NBClientEngine

        return NBClientEngine.nb_language(*args, **kwargs)


from papermill.models import Parameter  # noqa: E402 (see GoawaitEngine)
from papermill.translators import Translator, papermill_translators  # noqa: E402

from .golang import GoValueError, Writer, declarations, parse_parameters  # noqa: E402

__all__ = ["GoTranslator", "GoawaitEngine", "GoValueError", "KERNEL_NAME"]

KERNEL_NAME = "goawait"


class GoTranslator(Translator):
    """papermill's translator for goawait: parameters become Go variables."""

    @classmethod
    def translate(cls, val):
        """A Go expression for val (None is nil, which needs a typed context)."""
        return Writer().expr(val, "value")

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        return f"{name} := {str_val}"

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        """The injected cell: one declaration a parameter, e.g. `n := 2`."""
        return declarations(parameters, comment)

    @classmethod
    def inspect(cls, parameters_cell):
        """The variables the parameters cell declares, for --help-notebook.
        A type that the source does not show is "None" (papermill prints
        "Unknown type")."""
        try:
            found = parse_parameters(parameters_cell["source"])
        except Exception:  # papermill asks inspection to ignore what it cannot read
            return []
        return [Parameter(name=d.name, inferred_type_name=d.type, default=d.default, help=d.help) for d in found]


papermill_translators.register(KERNEL_NAME, GoTranslator)
