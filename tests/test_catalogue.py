"""The catalogue against the policy's own figures (../shared/policy/MEASURES.md).

The expected figures are written out here from MEASURES.md, independently of the
checklist files, so a mistyped rate or cap in a checklist fails this test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.catalogue import checklist, checklists, measure, measure_catalogue

M = Decimal(1_000_000)

# item, sub-item -> (rate or None, {cap scope: amount})  -- from MEASURES.md
FIGURES = {
    ("m04-preclinical-cro", None): (None, {"per_project": 10 * M}),
    ("m05-innovative-drug", "phase-1"): (Decimal("0.40"), {"per_product": 10 * M, "per_unit_year": 100 * M}),
    ("m05-innovative-drug", "phase-2"): (Decimal("0.40"), {"per_product": 20 * M, "per_unit_year": 100 * M}),
    ("m05-innovative-drug", "phase-3"): (Decimal("0.40"), {"per_product": 30 * M, "per_unit_year": 100 * M}),
    ("m05-innovative-drug", "cgt-early"): (Decimal("0.40"), {"per_product": 15 * M, "per_unit_year": 100 * M}),
    ("m05-innovative-drug", "cgt-confirmatory"): (Decimal("0.40"), {"per_product": 30 * M, "per_unit_year": 100 * M}),
    ("m06-innovative-device", "special-review"): (None, {"per_product": 3 * M, "per_unit_year": 30 * M}),
    ("m06-innovative-device", "first-registration"): (Decimal("0.40"), {"per_product": 8 * M, "per_unit_year": 30 * M}),
    ("m12-intl-clinical-trial", "cro-capability"): (None, {"per_project": 1 * M, "per_unit_year": 100 * M}),
    ("m12-intl-clinical-trial", "overseas-trial"): (None, {"per_project": 20 * M, "per_unit_year": 100 * M}),
    ("m13-trial-insurance", "domestic"): (Decimal("0.5"), {"per_unit_year": Decimal("0.5") * M}),
    ("m13-trial-insurance", "overseas"): (Decimal("0.5"), {"per_unit_year": 1 * M}),
    ("m20-device-demonstration", None): (None, {"per_project": 2 * M}),
    ("m23-industrial-project", "platform"): (Decimal("0.30"), {"per_project": 100 * M}),
    ("m23-industrial-project", "transformation"): (Decimal("0.10"), {"per_project": 100 * M}),
    ("m24-cmo-production", None): (Decimal("0.10"), {"per_product": 5 * M, "per_unit_year": 10 * M}),
    ("m29-financing-guarantee", "small-micro"): (None, {"per_item": 20 * M}),
    ("m29-financing-guarantee", "medium"): (None, {"per_item": 30 * M}),
    ("m36-global-registration", None): (Decimal("0.30"), {"per_product": 10 * M}),
    ("m36-overseas-license", None): (Decimal("0.5"), {"per_project": 5 * M}),
    ("m37-intl-exhibition", None): (Decimal("0.5"), {"per_event": Decimal("0.05") * M, "per_unit_year": Decimal("0.5") * M}),
}

STABLE_IDS = sorted({item for item, _ in FIGURES})


def test_the_twelve_stable_ids(policy_dir):
    text = (policy_dir / "MEASURES.md").read_text(encoding="utf-8")
    assert sorted(checklists()) == STABLE_IDS
    for item in STABLE_IDS:
        assert f"| {item} |" in text


def test_37_measures_12_items():
    cat = measure_catalogue()
    assert [m.number for m in cat.measures] == list(range(1, 38))
    items = [i for m in cat.measures for i in m.items]
    assert sorted(items) == STABLE_IDS
    assert measure("36").items == ["m36-global-registration", "m36-overseas-license"]
    assert cat.policy.zh_source == "project_rendering"


@pytest.mark.parametrize(("item", "sub"), sorted(FIGURES, key=str))
def test_rates_and_caps_match_the_policy(item, sub):
    rate, caps = FIGURES[(item, sub)]
    spec = checklist(item).support_for(sub)
    if rate is None:
        assert spec.rate is None and spec.basis is None
    else:
        assert spec.rate is not None
        assert spec.rate.values[min(spec.rate.values)] == rate
    found = {c.scope: c.amount.values[min(c.amount.values)] for c in spec.caps}
    assert found == caps


def test_guarantee_is_a_limit_not_a_grant():
    assert checklist("m29-financing-guarantee").support_for("medium").kind == "guarantee_limit"
    assert checklist("m24-cmo-production").support_for(None).kind == "grant"


def test_down_payment_threshold_is_strictly_above_100m():
    rule = next(r for r in checklist("m36-overseas-license").rules if r.code == "M36B-DOWN-PAYMENT")
    assert rule.params["op"] == "gt"
    (value,) = rule.params["threshold"]["values"].values()
    assert Decimal(str(value)) == 100 * M


def test_every_citation_names_an_existing_measure():
    for cl in checklists().values():
        assert measure(str(cl.measure)).items.count(cl.id) == 1
        for rule in cl.rules:
            assert rule.citation.measure == cl.measure
            assert rule.citation.text.strip()
