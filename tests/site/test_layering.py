"""The project keeps its layering (docs/architecture.md): config
(site/config) imports no app except in urls.py, which routes to them
(settings name app code by dotted path, never import it); no module imports
project code inside a function (except an AppConfig.ready(), which runs once
the app registry is loaded), so every cross-module call is visible at the
top; and no two modules import each other, directly or round a loop. Which
app may import which is import-linter's contract in pyproject.toml (run by
`make lint`); this test covers the module level, which import-linter's
layers do not."""

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = {"directory", "content", "guide", "inquiries", "portal", "tools"}
CHECKED = {"config": ROOT / "site" / "config", **{app: ROOT / app for app in sorted(APPS)}}
FIRST_PARTY = {"config", *APPS}
CONFIG_WIRING = {"config.urls"}  # routes requests into every app


@functools.cache
def modules():
    """{dotted module name: path} for the checked packages, without migrations."""
    found = {}
    for package, folder in CHECKED.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def imported(name, path, node):
    """The absolute module names an import statement names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if node.level:
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        base = f"{base}.{node.module}" if node.module else base
    else:
        base = node.module
    # `from package import module` imports that module (the package's
    # __init__ is already loading when a sibling does this).
    known = modules()
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]


def imports(name, path):
    """(imported module names, those imported inside a function but outside AppConfig.ready)."""
    tree = ast.parse(path.read_text())
    everything, hidden = [], []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                names = imported(name, path, child)
                everything.extend(names)
                if function and not (path.name == "apps.py" and function == "ready"):
                    hidden.extend(n for n in names if n.split(".")[0] in FIRST_PARTY)
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            visit(child, inner)

    visit(tree, None)
    return everything, hidden


def test_config_imports_no_app_outside_its_wiring():
    found = []
    for name, path in modules().items():
        if not name.startswith("config") or name in CONFIG_WIRING:
            continue
        found += [(name, target) for target in imports(name, path)[0] if target.split(".")[0] in APPS]
    assert found == []


def test_no_imports_inside_functions():
    found = {name: hidden for name, path in modules().items() if (hidden := imports(name, path)[1])}
    assert found == {}


def test_no_import_cycle():
    known = modules()
    graph = {
        name: {target for target in imports(name, path)[0] if target in known and target != name}
        for name, path in known.items()
    }
    done, path = set(), []

    def cycle_from(name):
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return None
        path.append(name)
        for target in sorted(graph[name]):
            if found := cycle_from(target):
                return found
        path.pop()
        done.add(name)
        return None

    for name in sorted(graph):
        assert cycle_from(name) is None
