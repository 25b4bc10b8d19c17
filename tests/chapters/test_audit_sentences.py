"""Every action the apps record has its sentence in the audit trail: the
apps' code is read for the actions it passes to `audit_log` (and to the
helpers that pass them on), so a new action cannot reach the trail as a raw
code."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from chapters.audit_sentences import SENTENCES, UNKNOWN, sentence_for
from chapters.audit_trail import ACTION_LABELS
from members.models import MembershipEvent

ROOT = Path(settings.BASE_DIR)
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Actions built from a prefix and a model's codes: the prefix and the codes.
# A new f-string action fails the test until it is listed here.
BUILT = {"membership.": list(MembershipEvent.Action.values)}


def _strings(node) -> tuple[set[str], set[str]]:
    """(action strings, f-string prefixes) an expression can give."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ({node.value} if ACTION.match(node.value) else set()), set()
    if isinstance(node, ast.IfExp):
        body, body_built = _strings(node.body)
        other, other_built = _strings(node.orelse)
        return body | other, body_built | other_built
    if isinstance(node, ast.JoinedStr):
        head = node.values[0] if node.values else None
        prefix = head.value if isinstance(head, ast.Constant) else ""
        return set(), {prefix}
    return set(), set()


def _app_trees():
    for folder in ("chapters", "members", "meetings"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield ast.parse(path.read_text())


def _helpers(trees) -> dict[str, int]:
    """Functions that take the action as an argument to pass it on
    (`_audit(actor, "idea.merge", ...)`, the demo trail's `tell`): name ->
    the position of `action` among a call's arguments."""
    helpers = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [argument.arg for argument in node.args.args]
                if "action" in names:
                    skip = 1 if names[:1] in (["self"], ["cls"]) else 0
                    helpers[node.name] = names.index("action") - skip
    return helpers


def _called(node: ast.Call) -> str:
    function = node.func
    return getattr(function, "id", "") or getattr(function, "attr", "")


def recorded_actions() -> tuple[set[str], set[str]]:
    """Every action the apps' code records: the values of `action=` in any
    call, and the actions handed as plain arguments to the helpers that
    pass them on; with the prefixes of actions built as f-strings."""
    trees = list(_app_trees())
    helpers = _helpers(trees)
    actions, built = set(), set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            given = [a.value for a in node.keywords if a.arg == "action"]
            position = helpers.get(_called(node))
            if position is not None and len(node.args) > position:
                given.append(node.args[position])
            for value in given:
                found, prefixes = _strings(value)
                actions |= found
                built |= prefixes
    return actions, built


def test_every_action_the_apps_record_has_a_sentence():
    actions, built = recorded_actions()
    unknown = built - set(BUILT)
    assert not unknown, f"actions built from {unknown}: list their codes in BUILT"
    for prefix in built:
        actions |= {prefix + code for code in BUILT[prefix]}
    assert actions - set(SENTENCES) == set()


def test_the_reading_of_the_code_finds_each_way_of_recording():
    actions, built = recorded_actions()
    # audit_log(action="..."), a conditional one, a helper's argument, the
    # demo's trail, and an f-string of a model's codes.
    for action in (
        "organiser.grant",
        "minutes.resend",
        "idea.merge",
        "task.volunteer_cancel",
    ):
        assert action in actions
    assert built == {"membership."}


def test_the_filter_labels_and_the_sentences_name_the_same_actions():
    assert set(SENTENCES) == set(ACTION_LABELS)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("action", sorted(SENTENCES))
def test_every_sentence_names_who_and_fills_in_every_language(action, language):
    text = str(SENTENCES[action].text)
    assert "%(actor)s" in text
    with translation.override(language):
        filled = str(SENTENCES[action].text) % {
            "actor": "ACTOR",
            "object": "OBJECT",
            "action": "ACTION",
        }
    assert "ACTOR" in filled


def test_an_unknown_action_has_the_fallback_sentence():
    assert sentence_for("prospect.archive") is UNKNOWN
