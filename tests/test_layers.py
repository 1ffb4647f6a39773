"""Imports run one way: base ← inputs ← pipeline ← analysis ← views ← cli.

Every .py under src/framing_atlas is parsed (imports at module level and inside functions, and
importlib.import_module("...") with a literal name). A module may import its own layer and the
layers to its left, never one to its right; no two modules import each other, directly or round
a loop; nothing under src/ imports streamlit or the dashboard's own modules. The README's Code
map names every subpackage and base module, and nothing else.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "framing_atlas"
# Left to right: a module may import its own layer and those to its left.
LAYERS = ("base", "inputs", "pipeline", "analysis", "views", "cli")
BASE = {"errors", "jobs", "settings", "store", "tomlfiles"}
# The dashboard sits above everything; src/ never imports it, nor streamlit.
FORBIDDEN = {"streamlit", "app", "app_data", "ui", "pages", "bench"}


def layer_of(module: str) -> str | None:
    """The layer of a framing_atlas module (dotted name), or None when it has none."""
    parts = module.split(".")
    if parts == [PACKAGE]:
        return "base"
    name = parts[1]
    if name in BASE:
        return "base"
    if name == "cli":
        return "cli"
    if name in LAYERS:
        return name
    return None


def module_name(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, module: str, known: set[str]) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, wherever it sits."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                # `from framing_atlas.analysis import stats` imports the module stats.
                child = f"{target}.{alias.name}"
                found.append((node.lineno, child if child in known else target))
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and ast.unparse(node.func) in ("importlib.import_module", "import_module",
                                             "__import__")):
            found.append((node.lineno, node.args[0].value))
    return found


def layer_problems(src: Path) -> list[str]:
    """Everything wrong with the imports under src/framing_atlas, one line each."""
    files = sorted((src / PACKAGE).rglob("*.py"))
    modules = {module_name(f, src): f for f in files}
    known = set(modules)
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        where = path.relative_to(src.parent)
        own = layer_of(module)
        if own is None:
            problems.append(f"{where}: {module} is in no layer: put it in one of "
                            f"{', '.join(LAYERS[1:-1])}, or name it a base module in "
                            "tests/test_layers.py")
            continue
        for line, target in imports_of(path, module, known):
            top = target.split(".")[0]
            if top in FORBIDDEN:
                problems.append(f"{where}:{line}: imports {target}: nothing under src/ may "
                                "import streamlit or the dashboard's modules")
            if top != PACKAGE:
                continue
            theirs = layer_of(target)
            if theirs is not None and LAYERS.index(theirs) > LAYERS.index(own):
                problems.append(f"{where}:{line}: imports {target}: {own} may not import "
                                f"{theirs} (layers run {' ← '.join(LAYERS)})")
            if target in graph and target != module:
                graph[module].add(target)
    problems.extend(f"import cycle: {' → '.join(cycle + [cycle[0]])}"
                    for cycle in import_cycles(graph))
    return problems


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each group of modules that import each other (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    cycles = []
    for group in groups:
        members = set(group)
        # Walk from the group's first module along edges inside the group until one repeats.
        path, node = [], min(group)
        while node not in path:
            path.append(node)
            node = min(graph[node] & members)
        cycles.append(path[path.index(node):])
    return cycles


def test_imports_run_one_way_without_cycles_or_streamlit():
    problems = layer_problems(SRC)
    assert not problems, "\n".join(problems)


# The checker itself, on small made-up packages: each rule fails when broken.

def make_package(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "src"
    for name, text in {"__init__.py": "", "errors.py": "", "inputs/__init__.py": "",
                       "pipeline/__init__.py": "", "views/__init__.py": "", **files}.items():
        path = src / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return src


def test_a_backward_import_inside_a_function_is_caught(tmp_path):
    src = make_package(tmp_path, {
        "pipeline/segment.py": "def f():\n    from framing_atlas.views import filters\n",
        "views/filters.py": "from framing_atlas.pipeline.segment import f\n"})
    problems = layer_problems(src)
    assert any("pipeline/segment.py:2: imports framing_atlas.views.filters: pipeline may not "
               "import views" in p for p in problems), problems
    assert any(p.startswith("import cycle:") for p in problems), problems


def test_a_relative_backward_import_is_caught(tmp_path):
    src = make_package(tmp_path, {"inputs/rows.py": "from ..pipeline import build\n",
                                  "pipeline/build.py": ""})
    assert any("inputs may not import pipeline" in p for p in layer_problems(src))


def test_a_cycle_within_one_layer_is_caught(tmp_path):
    src = make_package(tmp_path, {"inputs/a.py": "from framing_atlas.inputs import b\n",
                                  "inputs/b.py": "import framing_atlas.inputs.c\n",
                                  "inputs/c.py": "def f():\n    from .a import x\n"})
    assert layer_problems(src) == ["import cycle: framing_atlas.inputs.a → framing_atlas.inputs.b"
                                   " → framing_atlas.inputs.c → framing_atlas.inputs.a"]


@pytest.mark.parametrize("line", ["import streamlit as st", "from app_data import paragraphs",
                                  "import ui", "importlib.import_module('streamlit')"])
def test_streamlit_and_the_dashboard_are_never_imported(tmp_path, line):
    src = make_package(tmp_path, {"views/view.py": f"import importlib\n{line}\n"})
    assert any("nothing under src/ may import streamlit" in p for p in layer_problems(src))


def test_a_module_outside_the_layers_is_named(tmp_path):
    src = make_package(tmp_path, {"helpers.py": ""})
    assert any("framing_atlas.helpers is in no layer" in p for p in layer_problems(src))


# The README's Code map matches the tree.

def code_map() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^## Code map\n(.*?)(?=^## )", readme, flags=re.M | re.S)
    assert found, "README.md has no '## Code map' section"
    return found.group(1)


def test_readme_code_map_matches_the_tree():
    lines = code_map().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"src/{PACKAGE}/"))
    tree = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        tree.append(line.split("  ", 2)[:2])  # the names, not the words about them
    named = " ".join(cell for row in tree for cell in row)
    mapped_folders = set(re.findall(r"\b(\w+)/", named))
    mapped_modules = set(re.findall(r"\b(\w+)\.py\b", named))
    package = SRC / PACKAGE
    folders = {p.parent.name for p in package.glob("*/__init__.py")}
    modules = {p.stem for p in package.glob("*.py")} - {"__init__"}
    assert mapped_folders == folders, "README Code map folders differ from src/framing_atlas"
    assert mapped_modules == modules, "README Code map modules differ from src/framing_atlas"
    assert folders == set(LAYERS[1:-1]), "a new subpackage needs its place in LAYERS"
