"""The code's shape (docs/architecture.md): a wing imports only from wings below it, and no
module imports in a circle, counting every import, those inside functions too."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "storygen"
# From the ground floor up; wings on one floor may not import each other.
FLOORS = [
    {"errors", "files", "i18n", "languages", ""},
    {"pictures"},
    {"story"},
    {"pages"},
    {"check", "progress"},
    {"build"},
    {"library", "serve"},
    {"cli"},
    {"__main__"},
]


def modules() -> set[str]:
    return {_name(path) for path in PACKAGE.rglob("*.py")}


def _name(path: Path) -> str:
    """A module's dotted name under storygen ("pages.render"; a package by its own name)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def every_import() -> dict[str, set[str]]:
    """Each module's imports of storygen's modules, at module level and inside functions alike."""
    known, graph = modules(), {}
    for path in PACKAGE.rglob("*.py"):
        name = _name(path)
        package = name if path.stem == "__init__" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 1:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                where = [*base, *([node.module] if node.module else [])]
                for alias in node.names:  # a module of a package, else a name in a module
                    imported = ".".join([*where, alias.name])
                    found.add(imported if imported in known else ".".join(where))
        graph[name] = found - {name}
    return graph


def floor(module: str) -> int:
    return next(i for i, wings in enumerate(FLOORS) if module.split(".")[0] in wings or module in wings)


def climbs(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Imports of a module on a higher floor, or of another wing on the same floor."""
    found = set()
    for module, imported in graph.items():
        for other in imported:
            same_wing = module.split(".")[0] == other.split(".")[0]
            if floor(other) > floor(module) or (floor(other) == floor(module) > 0 and not same_wing):
                found.add((module, other))
    return found


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


def test_the_import_reader_sees_imports_inside_functions():
    graph = every_import()
    assert "build.stories" in graph["cli"]  # imported where the command runs
    assert "pages.pdf" in graph["build.workers"]


def test_a_climb_is_found():
    assert climbs({"pictures.svg": {"build.output", "errors"}, "check.engine": {"progress.sessions"}}) == {
        ("pictures.svg", "build.output"),
        ("check.engine", "progress.sessions"),
    }


def test_every_wing_imports_only_from_wings_below_it():
    graph = every_import()
    assert {"build.stories", "pages.render", "story.open", "pictures.symbols", "check.engine"} <= set(graph)
    assert climbs(graph) == set()


def test_no_module_imports_one_that_imports_it_back():
    assert cycles(every_import()) == []


def test_every_test_file_is_collected():
    """A folder pytest passes over (by default it skips any named build/) holds tests never run."""
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    collected = {(PACKAGE.parent / line.split("::")[0]).resolve() for line in listed.splitlines() if "::" in line}
    on_disk = {path.resolve() for path in (PACKAGE.parent / "tests").rglob("test_*.py") if "hostile" not in path.parts}
    assert len(on_disk) > 30 and on_disk - collected == set()


MAX_LINES = 500  # issue 24: a module longer than this holds more than one thing; split it


def test_no_module_is_longer_than_500_lines():
    lengths = {_name(path): len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.rglob("*.py")}
    assert len(lengths) > 30 and {name: n for name, n in lengths.items() if n > MAX_LINES} == {}
