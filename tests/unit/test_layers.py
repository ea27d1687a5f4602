"""The layers of the code, read from its imports (every import, also inside functions:
a lazy import still ties two modules).

kernel/ imports nothing else of the project; the stages (connectors/, streams/, alerts/)
import only the kernel and themselves; the applications (marsad/) sit on top. No module
imports itself back through others, and no file grows past 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.stack import REPO_ROOT

ROOT = REPO_ROOT
KERNEL = "kernel"
STAGES = ("connectors", "streams", "alerts")
APPS = "marsad"
PACKAGES = (KERNEL, *STAGES, APPS)
MAX_LINES = 600


def module_files() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = module_files()


def imported_modules(name: str, path: Path) -> set[str]:
    """Project modules that ``name`` imports (resolved to the longest known module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in names:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name and not target.startswith(name + "."):
                targets.add(target)
    return targets


GRAPH = {name: imported_modules(name, path) for name, path in MODULES.items()}


def layer(module: str) -> str:
    return module.split(".")[0]


def test_every_package_is_found() -> None:
    assert {layer(m) for m in MODULES} == set(PACKAGES)
    assert len(MODULES) > 50


def test_the_kernel_imports_nothing_else_of_the_project() -> None:
    wrong = sorted(f"{m} -> {t}" for m, ts in GRAPH.items() if layer(m) == KERNEL for t in ts if layer(t) != KERNEL)
    assert wrong == []


def test_stages_import_only_the_kernel_and_themselves() -> None:
    wrong = sorted(
        f"{m} -> {t}" for m, ts in GRAPH.items() if layer(m) in STAGES for t in ts if layer(t) not in (KERNEL, layer(m))
    )
    assert wrong == []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_file_over_the_size_limit() -> None:
    sizes = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8").count("\n") for path in MODULES.values()}
    assert {path: lines for path, lines in sizes.items() if lines > MAX_LINES} == {}
