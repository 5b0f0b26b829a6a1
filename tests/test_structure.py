"""The code's shape: storygen's modules import each other without cycles."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "storygen"


def module_imports() -> dict[str, set[str]]:
    """Each module's storygen imports at module level (function-level ones keep start-up fast),
    by dotted name under storygen ("pages.render"; a package by its own name)."""
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = name if parts[-1] == "__init__" else name.rpartition(".")[0]
        found = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.level >= 1:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                if node.module:
                    found.add(".".join([*base, node.module]))
                else:
                    found |= {".".join([*base, alias.name]) for alias in node.names}
        graph[name] = found
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
    wings = {"build.stories", "build.catalog", "build.output", "pages.render", "build.workers", "pages.fit"}
    assert wings <= set(graph)
    assert cycles(graph) == []
