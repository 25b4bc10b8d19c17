"""The layers of the code (docs/architecture.md), checked on the source:

    config  <-  chapters  <-  members  <-  meetings

An app imports only itself and the layers below it: chapters imports
chapters and config; members also chapters; meetings all three; config none
of the apps. What chapters' pages need from the apps above, those apps
register upward at chapters' extension points (chapters/extensions.py).

Every .py file of the four packages is parsed (migrations excepted), and
every import counts, at the top of a module or inside a function. Also
refused: a lower app naming a model of an upper one by its label
("members.Organisation", apps.get_model("meetings", ...)), and any circle
of imports between the project's modules. No Django needed: plain ast."""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "chapters", "members", "meetings")
# What each package may import of the project (itself included).
ALLOWED = {
    "config": {"config"},
    "chapters": {"chapters", "config"},
    "members": {"members", "chapters", "config"},
    "meetings": {"meetings", "members", "chapters", "config"},
}
APPS = ("chapters", "members", "meetings")


@dataclass(frozen=True)
class Import:
    target: str  # the dotted module imported (a project module if it is one)
    line: int
    in_function: bool


@dataclass(frozen=True)
class Source:
    module: str  # dotted name: chapters.views, meetings.services (a package)
    path: str
    text: str
    is_package: bool = False


def project_sources(root: Path = ROOT) -> list[Source]:
    sources = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            sources.append(
                Source(
                    module=".".join(parts),
                    path=str(relative),
                    text=path.read_text(encoding="utf-8"),
                    is_package=is_package,
                )
            )
    return sources


def _base(source: Source, level: int) -> str:
    """The package a relative import of `level` dots starts from."""
    parts = source.module.split(".")
    if not source.is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts)


def imports_of(
    source: Source, known: set[str] | frozenset = frozenset()
) -> list[Import]:
    """Every import of the source, resolved to absolute dotted names. `from
    package import name` names package.name when that is a module of
    `known`, else the package."""
    tree = ast.parse(source.text, filename=source.path)
    found: list[Import] = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append(Import(alias.name, child.lineno, in_function))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = _base(source, child.level)
                    module = ".".join(p for p in (base, child.module or "") if p)
                else:
                    module = child.module or ""
                for alias in child.names:
                    candidate = f"{module}.{alias.name}"
                    target = candidate if candidate in known else module
                    found.append(Import(target, child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def wrong_way_imports(source: Source) -> list[str]:
    """Imports of a project package the source's package may not import."""
    own = _top(source.module)
    problems = []
    for item in imports_of(source):
        target = _top(item.target)
        if target in PACKAGES and target not in ALLOWED[own]:
            where = "inside a function" if item.in_function else "at module level"
            problems.append(
                f"{source.path}:{item.line}: {source.module} imports "
                f"{item.target} ({where}): {own} may import only "
                f"{', '.join(sorted(ALLOWED[own]))}"
            )
    return problems


def _upper_label(value, own: str) -> str | None:
    """The app label a string names when it is an app above `own` (an app
    label "members", or a model label "members.Organisation")."""
    if not isinstance(value, str):
        return None
    label, _dot, model = value.partition(".")
    if label not in APPS or label in ALLOWED[own]:
        return None
    if not model or (model[:1].isupper() and model.isidentifier()):
        return label
    return None


def upper_app_labels(source: Source) -> list[str]:
    """apps.get_model() (or any call) with a literal label of an app above
    the source's, and model labels of an upper app written as strings
    ("members.Membership" as a lazy signal sender or relation)."""
    own = _top(source.module)
    problems = []
    for node in ast.walk(ast.parse(source.text, filename=source.path)):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            if name == "get_model" and node.args:
                first = node.args[0]
                label = _upper_label(getattr(first, "value", None), own)
                if label:
                    problems.append(
                        f"{source.path}:{node.lineno}: {source.module} calls "
                        f"get_model with a label of {label}, an app above {own}"
                    )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            label, _dot, model = node.value.partition(".")
            if model and _upper_label(node.value, own):
                problems.append(
                    f"{source.path}:{node.lineno}: {source.module} names the "
                    f"model {node.value!r} of {label}, an app above {own}"
                )
    return problems


def import_graph(sources: list[Source]) -> dict[str, set[str]]:
    """module -> the project modules it imports (at module level or in a
    function)."""
    known = {source.module for source in sources}
    graph: dict[str, set[str]] = {source.module: set() for source in sources}
    for source in sources:
        for item in imports_of(source, known):
            if item.target in known and item.target != source.module:
                graph[source.module].add(item.target)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected group of modules (Tarjan), each as
    a path that returns to its first module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def connect(node: str):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_circle_in(group, graph) for group in sorted(groups)]


def _circle_in(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return group  # pragma: no cover  (a strongly connected group has a circle)


# The project -----------------------------------------------------------------


def test_the_sources_are_found():
    modules = {source.module for source in project_sources()}
    assert {"chapters.views", "members.models", "meetings.models", "config.urls"} <= (
        modules
    )
    assert not any(".migrations" in module for module in modules)


def test_every_import_follows_the_layers():
    problems = [p for source in project_sources() for p in wrong_way_imports(source)]
    assert not problems, "\n".join(problems)


def test_no_lower_app_names_a_model_of_an_upper_one():
    problems = [p for source in project_sources() for p in upper_app_labels(source)]
    assert not problems, "\n".join(problems)


def test_no_circle_of_imports():
    cycles = import_cycles(import_graph(project_sources()))
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


# The checker itself, on planted sources ---------------------------------------


def test_a_planted_wrong_way_import_is_caught():
    planted = Source(
        module="chapters.planted",
        path="chapters/planted.py",
        text=(
            "from django.db import models\n"
            "from members.models import Organisation\n"
            "from . import selectors\n"
            "from config.mail import email_queue\n"
            "\n"
            "def late():\n"
            "    import meetings.reports\n"
            "    from meetings import public\n"
        ),
    )
    problems = wrong_way_imports(planted)
    assert len(problems) == 3, problems
    assert "chapters.planted imports members.models (at module level)" in problems[0]
    assert "meetings.reports (inside a function)" in problems[1]
    assert "imports meetings (inside a function)" in problems[2]


def test_config_may_import_no_app():
    planted = Source("config.planted", "config/planted.py", "from chapters import x\n")
    assert wrong_way_imports(planted)


def test_imports_down_the_layers_pass():
    for module, text in [
        (
            "members.planted",
            "from chapters.models import Chapter\nimport config.mail\n",
        ),
        ("meetings.planted", "from members import public\nfrom chapters import ids\n"),
        ("chapters.planted", "from .models import Chapter\nfrom config import env\n"),
    ]:
        source = Source(module, module.replace(".", "/") + ".py", text)
        assert wrong_way_imports(source) == []


def test_relative_imports_resolve_from_the_package():
    package = Source(
        "meetings.services", "meetings/services/__init__.py", "from . import x\n", True
    )
    module = Source(
        "meetings.services.sending",
        "meetings/services/sending.py",
        "from .. import tasks\nfrom ..tasks import send\nfrom . import handover\n",
    )
    known = {"meetings.tasks", "meetings.services.handover"}
    assert [i.target for i in imports_of(package)] == ["meetings.services"]
    assert [i.target for i in imports_of(module, known)] == [
        "meetings.tasks",
        "meetings.tasks",
        "meetings.services.handover",
    ]


def test_a_planted_upper_label_is_caught():
    planted = Source(
        "chapters.planted",
        "chapters/planted.py",
        (
            "from django.apps import apps\n"
            "a = apps.get_model('members', 'Organisation')\n"
            "b = apps.get_model('meetings.Meeting')\n"
            "SENDER = 'members.Membership'\n"
            "c = apps.get_model(label)\n"
            "NOT_A_LABEL = 'members.csv'\n"
            "OWN = apps.get_model('chapters', 'Chapter')\n"
        ),
    )
    problems = upper_app_labels(planted)
    assert len(problems) == 4, problems  # get_model twice, and two model labels
    assert all("an app above chapters" in problem for problem in problems)
    allowed = Source(
        "meetings.planted", "meetings/planted.py", "x = apps.get_model('members', 'X')"
    )
    assert upper_app_labels(allowed) == []


def test_a_planted_circle_is_caught():
    sources = [
        Source("meetings.a", "meetings/a.py", "from . import b\n"),
        Source("meetings.b", "meetings/b.py", "def f():\n    from .c import x\n"),
        Source("meetings.c", "meetings/c.py", "import meetings.a\n"),
        Source("meetings.d", "meetings/d.py", "from . import a\n"),
    ]
    assert import_cycles(import_graph(sources)) == [
        ["meetings.a", "meetings.b", "meetings.c", "meetings.a"]
    ]
