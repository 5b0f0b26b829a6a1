"""The code's shape: storygen's modules import each other without cycles."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "storygen"


def module_imports() -> dict[str, set[str]]:
    """Each module's storygen imports at module level (function-level ones keep start-up fast)."""
    graph = {}
    for path in PACKAGE.glob("*.py"):
        found = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
        graph[path.stem] = found
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported in path:
                found.append([*path[path.index(imported) :], imported])
            elif imported not in done:
                visit(imported, [*path, imported])
        done.add(module)

    for module in sorted(graph):
        visit(module, [module])
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"build": {"catalog"}, "catalog": {"output", "build"}, "output": set()}) == [
        ["build", "catalog", "build"]
    ]


def test_no_module_imports_one_that_imports_it_back():
    graph = module_imports()
    assert {"build", "catalog", "incremental", "output", "render", "workers", "fit"} <= set(graph)
    assert cycles(graph) == []
