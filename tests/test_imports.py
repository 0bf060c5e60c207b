"""The package's imports point one way: commands on top, the build engine below them,
the stages below that, shared values at the bottom (README, "Where things are")."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "briefing"

# Top to bottom. A module may import modules of its own layer or of the layers below.
LAYERS = {
    "commands": {"pipeline", "serve"},
    "engine": {"builder", "scheduler", "keys", "cache", "store"},
    "stages": {"ingest", "dumps", "layouts", "furniture", "dedupe", "content", "classify", "countries",
               "topics", "explain", "markup", "site", "related", "render", "feeds", "api", "plan", "check",
               "verify", "config", "dates", "events", "briefs", "maps", "shards", "searchindex",
               "entities", "actors"},
    "shared": {"model", "options", "report", "workers", "output", "urls"},
}
RANK = {name: rank for rank, names in enumerate(LAYERS.values()) for name in names}


def imports(source: str) -> set[str]:
    """The package's modules a module imports, at its top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("briefing."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("briefing."))
    return found


def graph() -> dict[str, set[str]]:
    return {path.stem: imports(path.read_text("utf-8")) - {path.stem}
            for path in sorted(PACKAGE.glob("*.py")) if path.stem != "__init__"}


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules in it, or None."""
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state:
                found = visit(target, path + [target])
                if found:
                    return found
        state[module] = "done"
        return None

    for module in sorted(edges):
        if module not in state:
            found = visit(module, [module])
            if found:
                return found
    return None


def test_every_module_has_a_layer():
    assert set(graph()) == set(RANK), "add a new module to LAYERS (and to README's map)"


def test_no_import_cycles():
    assert cycle(graph()) is None


def test_no_module_imports_one_of_a_layer_above_it():
    upward = [f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
              for module, targets in graph().items() for target in sorted(targets)
              if RANK[target] < RANK[module]]
    assert upward == []


def test_no_stage_imports_a_command_or_the_engine():
    stages = LAYERS["stages"] | LAYERS["shared"]
    reaching = {module: sorted(targets & (LAYERS["commands"] | LAYERS["engine"]))
                for module, targets in graph().items() if module in stages}
    assert {module: found for module, found in reaching.items() if found} == {}


def test_the_checks_find_what_they_look_for():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    assert imports("from . import api, feeds\nfrom .model import Site\ndef f():\n    from .render import x\n") \
        == {"api", "feeds", "model", "render"}


def layer_of(module: str) -> str:
    return next(name for name, modules in LAYERS.items() if module in modules)
