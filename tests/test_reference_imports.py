"""The reference interpreter stays independent of the code it checks.

``tests/reference.py`` may import only ``dsl.syntax.parser``, ``dsl.model`` and the standard
library: if it used the expansion, the compiler or the checker, the exact-figure property
tests would compare that code with itself.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REFERENCE = Path(__file__).with_name("reference.py")
ALLOWED_PROJECT_MODULES = {"dsl.syntax.parser", "dsl.model"}


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.add("." * node.level + (node.module or ""))
            elif node.module in ("dsl", "dsl.timeline", "dsl.lint", "dsl.syntax"):
                # `from dsl.timeline import expand` imports the module dsl.timeline.expand.
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                found.add(node.module or "")
    return found


def test_the_reference_imports_only_the_parser_the_model_and_the_standard_library() -> None:
    modules = imported_modules(REFERENCE)
    # The check reads the right file.
    assert "dsl.model" in modules and "dsl.syntax.parser" in modules
    foreign = {
        name for name in modules
        if name not in ALLOWED_PROJECT_MODULES
        and name.split(".")[0] not in sys.stdlib_module_names
    }
    assert not foreign, f"tests/reference.py imports {sorted(foreign)}"


def test_the_ast_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from dsl import model\nfrom dsl.timeline import expand\n"
                      "import dsl.lint.checker\nfrom . import x\n", encoding="utf-8")
    assert imported_modules(sample) == {"dsl.model", "dsl.timeline.expand", "dsl.lint.checker",
                                        "."}


def test_importing_the_reference_loads_no_expansion_compiler_or_checker() -> None:
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(REFERENCE.parent)!r})\n"
        "import reference\n"
        "reference.figures('routine \"R\"\\n  repeat 2:\\n    contract 2-3s\\n')\n"
        "loaded = sorted(n for n in ('dsl.timeline.expand', 'dsl.timeline.compiler',"
        " 'dsl.lint.checker', 'dsl.lint.rules')"
        " if n in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "", f"loaded by the reference: {result.stdout.strip()}"
