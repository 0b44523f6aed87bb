"""Dependencies point one way (DESIGN.md): `core` imports no app; `content` imports only
`core`; `network` may use `content` but neither `ambassadors` nor `realtime`; `ambassadors`
does not import `realtime` (it publishes through registries or signals). Read from the
source, imports inside functions included, so a lazy import cannot slip through."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = {"core", "config", "content", "network", "ambassadors", "realtime"}
FORBIDDEN = {
    "core": APPS - {"core"},
    "content": APPS - {"core", "content"},
    "network": {"config", "ambassadors", "realtime"},
    "ambassadors": {"config", "realtime"},
    "realtime": {"config", "ambassadors"},
}
# Wiring the kernel may read: settings are configuration, not an app.
ALLOWED = {("config", "settings")}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def violations(app: str, root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / app).rglob("*.py")):
        if "migrations" in path.parts or "demo" in path.parts:
            continue
        for lineno, module in imported_modules(path):
            parts = tuple(module.split("."))
            if parts[0] in FORBIDDEN[app] and parts[:2] not in ALLOWED:
                found.append(f"{path.relative_to(root)}:{lineno} imports {module}")
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_only_the_layers_below_it(app):
    assert violations(app) == []


def test_the_rule_sees_a_lazy_import(tmp_path):
    """The check itself can fail: an import inside a function counts."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("def f():\n    from network.models import Post\n")
    assert violations("core", tmp_path) == ["core/bad.py:2 imports network.models"]
