"""Every checklist rule's inline pass/fail cases, collected by one test (sqlfluff-style)."""

from __future__ import annotations

import pytest

from toolkit.catalogue import checklists
from toolkit.check.engine import validate_rule_params
from toolkit.check.rules import RULE_TYPES
from toolkit.check.selftest import run_case

CASES = [(cl.id, rule.code, case.name) for cl in checklists().values() for rule in cl.rules for case in rule.tests]


@pytest.mark.parametrize(("item", "code", "name"), CASES, ids=[f"{i}:{c}:{n}" for i, c, n in CASES])
def test_inline_case(item, code, name):
    cl = checklists()[item]
    rule = next(r for r in cl.rules if r.code == code)
    case = next(c for c in rule.tests if c.name == name)
    outcome = run_case(rule, case, cl)
    assert outcome.status == case.expect, outcome


def test_every_rule_has_a_passing_and_a_failing_case():
    for cl in checklists().values():
        validate_rule_params(cl)
        for rule in cl.rules:
            expects = {c.expect for c in rule.tests}
            assert "pass" in expects or "not_applicable" in expects, rule.code
            assert expects & {"fail", "needs_review"}, rule.code


def test_every_rule_is_documented_in_both_languages():
    for cl in checklists().values():
        for rule in cl.rules:
            for text in (rule.description, rule.evidence):
                assert text and text.get("en") and text.get("zh"), rule.code
            assert rule.citation.text.strip(), rule.code


def test_every_rule_type_is_used_and_documented():
    used = {r.type for cl in checklists().values() for r in cl.rules}
    assert used == set(RULE_TYPES)
    for rt in RULE_TYPES.values():
        assert (type(rt).__doc__ or "").strip(), rt.name
