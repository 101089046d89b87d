"""The shape of portal and inquiries: inquiries never imports portal (it
asks through inquiries.recipients), no import is hidden in a function body
(except the app registry's ready()), and no two modules import each other
(services queue tasks; tasks never import services)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "inquiries")


def modules():
    """{dotted name: parsed module} for every module of the two apps."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = (path, ast.parse(path.read_text()))
    return found


def imported_names(module_name, path, node):
    """Dotted names an import statement may refer to (module, and module.name
    for `from module import name`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module_name.split(".") if path.name == "__init__.py" else module_name.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def imports(found):
    for name, (path, tree) in found.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield name, path, node, imported_names(name, path, node)


def test_inquiries_never_imports_portal():
    wrong = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for name, path, node, targets in imports(modules())
        if name.startswith("inquiries") and any(t == "portal" or t.startswith("portal.") for t in targets)
    ]
    assert wrong == []


def test_no_imports_hidden_in_functions():
    wrong = []
    for _, (path, tree) in modules().items():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if path.name == "apps.py" and function.name == "ready":
                continue  # models load after the app configs
            wrong += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(function)
                if isinstance(node, ast.Import | ast.ImportFrom)
            ]
    assert wrong == []


def test_no_import_cycle():
    found = modules()
    graph = {name: set() for name in found}
    for name, _, _, targets in imports(found):
        graph[name] |= {t for t in targets if t in found and t != name}
    cycles = []

    def visit(name, trail):
        for target in sorted(graph[name]):
            if target in trail:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in done:
                visit(target, [*trail, target])
        done.add(name)

    done = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name])
    assert cycles == []
