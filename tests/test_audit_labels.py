"""Every action the audit trail records, and every kind of record it names, has words in the reader's
language: coordinators and administrators read these pages, not codes."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import rescue
from rescue.audit.labels import ACTION_LABELS, RECORD_LABELS
from rescue.consular.models import REFERRAL_STATUSES


def _recorded() -> tuple[set[str], set[str]]:
    actions, records = set(), set()
    for path in Path(rescue.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record" and \
                    getattr(node.func.value, "id", "") == "trail":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    actions.add(first.value)
                if isinstance(first, ast.IfExp):
                    actions |= {part.value for part in (first.body, first.orelse) if isinstance(part, ast.Constant)}
                for keyword in node.keywords:
                    if keyword.arg == "object_type" and isinstance(keyword.value, ast.Constant) and keyword.value.value:
                        records.add(keyword.value.value)
    return actions, records


def test_every_recorded_action_and_record_kind_has_a_label():
    actions, records = _recorded()
    assert len(actions) > 40  # the scan found the trail's calls
    assert sorted(a for a in actions if a not in ACTION_LABELS) == []
    assert sorted(r for r in records if r not in RECORD_LABELS) == []


def test_actions_made_from_a_name_have_labels_too():
    for outcome in REFERRAL_STATUSES:
        if outcome in ("confirmed", "rejected", "information_requested"):
            assert f"referral.{outcome}" in ACTION_LABELS
    for kind in ("organisation", "mission"):
        for change in ("deactivated", "reactivated"):
            assert f"{kind}.{change}" in ACTION_LABELS
    assert {"case.viewed", "referral.viewed"} <= set(ACTION_LABELS)
    assert all(re.fullmatch(r"[a-z_]+(\.[a-z_]+)?", action) for action in ACTION_LABELS)
