"""The similarity engine is layered one way, without function-level imports to dodge cycles,
in small files; the services reach it only through their port."""

from __future__ import annotations

import ast
from pathlib import Path

import escdesk

PACKAGE = Path(escdesk.__file__).parent
ENGINE = PACKAGE / "similarity"
# Lower layers never import higher ones; modules of one layer never import each other.
LAYERS = [
    {"marks", "frames"},
    {"text", "vocabulary"},
    {"reading", "segments"},
    {"corpus", "prepared"},
    {"query"},
    {"features"},
    {"reranker"},
    {"search"},
    {"linking"},
    {"grouping", "labels", "explain", "training"},
    {"storage"},
    {"index"},
    {"location"},
    {"cache"},
    {"__init__"},
]
LAYER = {name: n for n, names in enumerate(LAYERS) for name in names}


def imported(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    return names


def engine_modules() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text()) for path in sorted(ENGINE.glob("*.py"))}


def test_every_engine_module_has_a_layer() -> None:
    assert set(engine_modules()) == set(LAYER)


def test_engine_modules_import_only_lower_layers() -> None:
    wrong = []
    for name, tree in engine_modules().items():
        for target in imported(tree):
            parts = target.split(".")
            if parts[:2] == ["escdesk", "similarity"] and len(parts) > 2 and parts[2] in LAYER:
                if LAYER[parts[2]] >= LAYER[name]:
                    wrong.append(f"{name} imports {parts[2]}")
    assert wrong == []


def test_no_engine_module_imports_inside_a_function_or_behind_type_checking() -> None:
    hidden = []
    for name, tree in engine_modules().items():
        top = {id(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in top:
                if not (isinstance(node, ast.Import) and node.names[0].name == "fcntl"):
                    hidden.append(f"{name}:{node.lineno}")
    assert hidden == []


def test_engine_modules_stay_small() -> None:
    sizes = {path.name: len(path.read_text().splitlines()) for path in ENGINE.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 300} == {}


def test_the_services_never_import_the_engine() -> None:
    offenders = [
        path.name
        for path in (PACKAGE / "services").glob("*.py")
        if any(t.startswith("escdesk.similarity") for t in imported(ast.parse(path.read_text())))
    ]
    assert offenders == []
