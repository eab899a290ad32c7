"""Features depend on each other one way, and no new circle creeps in.

``pos/<feature>/`` imports are read from the source (imports only a type checker sees,
under ``if TYPE_CHECKING:``, do not count). ``core`` sits below every feature and imports
none, the journal (``audit``) only core, ``auth`` only those two: each feature registers
how its objects find their exhibitor (``pos.core.ownership``) rather than auth knowing
every model. No two features import each other, even through others.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

POS = Path(__file__).resolve().parent.parent / "pos"

# Below the features: what each may import, and no more. The journal is written by every
# feature, logins included.
FOUNDATIONS = {"core": set(), "audit": {"core"}, "auth": {"core", "audit"}}


def _features() -> set[str]:
    return {path.name for path in POS.iterdir() if (path / "__init__.py").exists()}


def _runtime_imports(tree: ast.Module) -> list[str]:
    typing_only = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and ast.unparse(branch.test).endswith("TYPE_CHECKING")
        for node in ast.walk(branch)
    }
    modules = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
    return modules


def feature_graph() -> dict[str, dict[str, set[str]]]:
    """feature -> feature it imports -> the files that do."""
    features = _features()
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in POS.rglob("*.py"):
        relative = path.relative_to(POS)
        if len(relative.parts) < 2:
            continue  # the app factory, the CLI and the server wire every feature
        source = relative.parts[0]
        for module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            target = parts[1] if parts[0] == "pos" and len(parts) > 1 else None
            if target in features and target != source:
                graph[source][target].add(str(relative))
    return graph


def circular_edges(graph) -> set[tuple[str, str]]:
    """Edges a -> b where b also reaches a."""

    def reaches(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for target in graph.get(todo.pop(), {}):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    nodes = set(graph) | {target for targets in graph.values() for target in targets}
    reach = {node: reaches(node) for node in nodes}
    return {(a, b) for a in graph for b in graph[a] if a in reach.get(b, set())}


def test_foundations_import_no_feature():
    graph = feature_graph()
    leaks = {
        f"{source} -> {target} ({', '.join(sorted(files))})"
        for source, allowed in FOUNDATIONS.items()
        for target, files in graph.get(source, {}).items()
        if target not in allowed
    }
    assert not leaks, sorted(leaks)


def test_no_circle_between_features():
    graph = feature_graph()
    circles = {f"{a} -> {b} ({', '.join(sorted(graph[a][b]))})" for a, b in circular_edges(graph)}
    assert not circles, f"features that import each other: {sorted(circles)}"


def test_the_check_sees_a_circle():
    """The check itself: two features that import each other are found."""
    graph = {"a": {"b": {"a/x.py"}}, "b": {"a": {"b/y.py"}}, "c": {"a": {"c/z.py"}}}
    assert circular_edges(graph) == {("a", "b"), ("b", "a")}
