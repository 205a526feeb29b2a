"""Rule types on the tricky inputs: ownership chains, name variants, thresholds, caps, currencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from toolkit.catalogue import checklist
from toolkit.check.awards import AwardRegistry
from toolkit.check.engine import CheckOptions, check_facts
from toolkit.check.facts import normalise_name, same_name
from toolkit.check.selftest import case_facts
from toolkit.model.award import Award
from toolkit.model.catalogue import RuleTest

APPLICANT = {"name": "上海澄源生物医药有限公司", "uscc": "91310115MA1H8R2X46"}


def facts(item_id, documents, **kw):
    case = RuleTest(name="t", expect="pass", applicant=kw.pop("applicant", APPLICANT), documents=documents, **kw)
    return case_facts(case, checklist(item_id))


def finding(report, code):
    return next(f for f in report.findings if f.code == code)


def check(item_id, documents, options=None, **kw):
    return check_facts(facts(item_id, documents, **kw), checklist(item_id), dossier="d", lang="en",
                       options=options or CheckOptions(clock=lambda: dt.date(2026, 1, 15)))


def test_name_normalisation_variants():
    assert same_name("上海澄源生物医药有限公司", "上海澄源生物医药 有限责任公司")
    assert same_name("上海澄源（集团）生物医药有限公司", "上海澄源(集团)生物医药有限公司")
    assert same_name("Northbridge Therapeutics Co., Ltd.", "NORTHBRIDGE THERAPEUTICS COMPANY LIMITED")
    assert not same_name("上海澄源生物医药有限公司", "上海澄源医药有限公司")
    assert normalise_name("ＡＢＣ 有限公司") == normalise_name("ABC有限公司")


CMO = {"kind": "cmo_contract", "fields": {"party": [
    {"role": "commissioning_party", "name": "杭州远川药业有限公司", "uscc": "91330106MA2CDE1F2X"},
    {"role": "cmo", "name": "上海澄源生物医药有限公司", "uscc": "91310115MA1H8R2X46"}]}}
DECL = {"kind": "related_party_declaration", "fields": {"statement": "双方不存在关联关系"}}


def report(name, holders, uscc=None):
    fields = {"company_name": name, "shareholder": holders}
    if uscc:
        fields["uscc"] = uscc
    return {"kind": "credit_report", "fields": fields}


def related_status(docs):
    r = check("m24-cmo-production", docs)
    return finding(r, "M24-NO-RELATED-PARTY")


def test_two_level_indirect_holding_is_found_and_named():
    f = related_status([CMO, DECL,
                        report("杭州远川药业有限公司", [{"name": "宁波桥石投资有限公司", "share_pct": "35"}]),
                        report("宁波桥石投资有限公司", [{"name": "苏州合远控股有限公司", "share_pct": "60"}]),
                        report("苏州合远控股有限公司", [{"name": "上海澄源生物医药有限公司", "uscc": "91310115MA1H8R2X46", "share_pct": "70"}]),
                        report("上海澄源生物医药有限公司", [{"name": "张明", "share_pct": "100"}], "91310115MA1H8R2X46")])
    assert f.status == "fail"
    assert "indirectly" in f.message and "宁波桥石投资有限公司" in f.message
    assert len(f.evidence) == 3


def test_common_shareholder_by_uscc_though_names_differ():
    f = related_status([CMO, DECL,
                        report("杭州远川药业有限公司", [{"name": "远景资本有限公司", "uscc": "91310000MA1FL0AB3C", "share_pct": "20"}]),
                        report("上海澄源生物医药有限公司", [{"name": "远景资本（上海）有限公司", "uscc": "91310000MA1FL0AB3C", "share_pct": "5"}])])
    assert f.status == "fail" and "both" in f.message


def test_unrelated_parties_pass_with_declaration_cited():
    f = related_status([CMO, DECL, report("杭州远川药业有限公司", [{"name": "李华", "share_pct": "100"}]),
                        report("上海澄源生物医药有限公司", [{"name": "张明", "share_pct": "100"}])])
    assert f.status == "pass"
    assert any(e.file.endswith(".pdf") for e in f.evidence)


def test_unreadable_credit_report_needs_review():
    f = related_status([CMO, DECL, {"kind": "credit_report", "unreadable": True},
                        report("上海澄源生物医药有限公司", [{"name": "张明", "share_pct": "100"}])])
    assert f.status == "needs_review"


RECEIPT = {"kind": "payment_receipt", "fields": {"value_date": "2025-04-18"}}


def down_payment(fields, contract=None):
    docs = [{"kind": "payment_receipt", "fields": {"value_date": "2025-04-18", **fields}}]
    if contract:
        docs.append({"kind": "license_agreement", "fields": contract})
    return finding(check("m36-overseas-license", docs), "M36B-DOWN-PAYMENT")


def test_down_payment_threshold_is_strict():
    assert down_payment({"credited_amount": {"amount": "100000000.00", "currency": "CNY"}}).status == "fail"
    assert down_payment({"credited_amount": {"amount": "100000000.01", "currency": "CNY"}}).status == "pass"


def test_foreign_amount_needs_a_stated_rate():
    f = down_payment({"amount": {"amount": "25000000.00", "currency": "USD"}})
    assert f.status == "needs_review" and "no CNY figure or exchange rate" in f.message
    f = down_payment({"amount": {"amount": "25000000.00", "currency": "USD"}, "exchange_rate": "7.1296"})
    assert f.status == "pass" and f.trace["amount_cny"] == "178240000.00"


def test_contract_disagreeing_with_receipt_needs_review():
    f = down_payment({"credited_amount": {"amount": "178250000.00", "currency": "CNY"}},
                     {"down_payment": {"amount": "150000000.00", "currency": "CNY"}})
    assert f.status == "needs_review"


def test_cap_binds_per_product_for_m24():
    docs = [{"kind": "production_value_statement", "fields": {"production_value": {"amount": "86400000.00", "currency": "CNY"},
                                                               "statement_date": "2025-12-31"}}]
    r = check("m24-cmo-production", docs)
    assert r.support.basis_cny == Decimal("86400000.00")
    assert r.support.eligible_cny == Decimal("0.00")  # fails: documents missing
    spec_run = check_facts(facts("m24-cmo-production", docs), checklist("m24-cmo-production"), dossier="d", lang="en",
                           options=CheckOptions())
    assert "capped at CNY 5,000,000.00" in spec_run.support.explanation
    binding = [c for c in spec_run.support.caps if c.binding]
    assert [c.scope for c in binding] == ["per_product"]


def test_yearly_cap_after_earlier_awards_for_m37():
    docs = [{"kind": "invoice", "fields": {"invoice_total": {"amount": "86000.00", "currency": "CNY"}}},
            {"kind": "exhibition_record", "fields": {"event_date": "2025-06-16"}}]
    earlier = [Award(applicant_uscc="91310115MA1H8R2X46", measure="m37-intl-exhibition", year=2025, amount_cny=Decimal("240000.00")),
               Award(applicant_uscc="91310115MA1H8R2X46", measure="m37-intl-exhibition", year=2025, amount_cny=Decimal("240000.00")),
               Award(applicant_uscc="91310115MA1H8R2X46", measure="m37-intl-exhibition", year=2024, amount_cny=Decimal("50000.00")),
               Award(applicant_uscc="91310115MA1H8R2X46", measure="m24-cmo-production", year=2025, amount_cny=Decimal("9000.00"))]
    options = CheckOptions(prior_awards=earlier, prior_awards_source="prior.yaml")
    from toolkit.check.support import compute_support

    f = facts("m37-intl-exhibition", docs)
    support, _, trace = compute_support(f, checklist("m37-intl-exhibition"), "pass", "en", options.registry())
    assert support.eligible_cny == Decimal("20000.00")
    assert trace["binding"] == "cap:per_unit_year"
    assert "leaves CNY 20,000.00" in support.explanation


def test_own_award_is_not_counted_on_recheck():
    f = facts("m37-intl-exhibition", [{"kind": "invoice", "fields": {"invoice_total": {"amount": "86000.00", "currency": "CNY"}}}])
    f.dossier_key = "sha256:abc"
    own = Award(applicant_uscc="91310115MA1H8R2X46", measure="m37-intl-exhibition", year=2025,
                amount_cny=Decimal("480000.00"), dossier_key="sha256:abc")
    assert AwardRegistry(prior=[own]).earlier_in_year(f, "m37-intl-exhibition") == []


def _award(measure, year, amount, **kw):
    return Award(applicant_uscc="91310115MA1H8R2X46", measure=measure, year=year, amount_cny=Decimal(amount), **kw)


def test_m13_caps_are_each_their_own_per_year():
    """MEASURES.md: "m13: each cap is per insured enterprise per year". An overseas award of
    the year leaves the domestic cap whole; an award that names no sub-item is counted, and
    the explanation says so (a cap is never raised on a guess)."""
    from toolkit.check.support import compute_support

    docs = [{"kind": "premium_receipt", "fields": {"premium_paid": {"amount": "680000.00", "currency": "CNY"}}}]
    f = facts("m13-trial-insurance", docs, item="domestic")

    def eligible(*earlier):
        registry = CheckOptions(prior_awards=list(earlier), prior_awards_source="prior.yaml").registry()
        support, _, _ = compute_support(f, checklist("m13-trial-insurance"), "pass", "en", registry)
        return support

    assert eligible(_award("m13-trial-insurance", 2025, "800000.00", item="overseas")).eligible_cny == Decimal("340000.00")
    assert eligible(_award("m13-trial-insurance", 2025, "300000.00", item="domestic")).eligible_cny == Decimal("200000.00")
    unnamed = eligible(_award("m13-trial-insurance", 2025, "300000.00"))
    assert unnamed.eligible_cny == Decimal("200000.00")
    assert "names no sub-item, so it is counted against the domestic cap" in unnamed.explanation


def _duplicate(item_id, earlier, **kw):
    from toolkit.check.selftest import run_case

    cl = checklist(item_id)
    rule = next(r for r in cl.rules if r.code == "COMMON-NO-DUPLICATE")
    case = RuleTest(name="t", expect="pass", awards=[a.model_dump(mode="json") for a in earlier], **kw)
    return run_case(rule, case, cl)


def test_a_duplicate_claim_is_the_same_thing_not_the_same_name():
    """优、高、不重复: never twice for the same thing. The same drug at another stage (m05), the
    same project or product in another year (m04, m24) is another claim; the same stage or
    year is a duplicate; a record that does not say its stage, or an award under another
    measure, is for a reviewer."""
    m05 = {"facts": {"product": "CY-101"}, "item": "phase-2"}
    assert _duplicate("m05-innovative-drug", [_award("m05-innovative-drug", 2024, "8000000.00", item="phase-1", product="CY-101")],
                      **m05).status == "pass"
    assert _duplicate("m05-innovative-drug", [_award("m05-innovative-drug", 2024, "8000000.00", item="phase-2", product="CY-101")],
                      **m05).status == "fail"
    assert _duplicate("m05-innovative-drug", [_award("m05-innovative-drug", 2024, "8000000.00", product="CY-101")],
                      **m05).status == "needs_review"
    assert _duplicate("m05-innovative-drug", [_award("m36-global-registration", 2024, "8000000.00", product="CY-101")],
                      **m05).status == "needs_review"
    m04 = {"facts": {"project": "CY-101 preclinical package"}}
    assert _duplicate("m04-preclinical-cro", [_award("m04-preclinical-cro", 2024, "6000000.00", project="CY-101 preclinical package")],
                      **m04).status == "pass"  # the case's year is 2025
    assert _duplicate("m04-preclinical-cro", [_award("m04-preclinical-cro", 2025, "6000000.00", project="CY-101 preclinical package")],
                      **m04).status == "fail"
    assert _duplicate("m24-cmo-production", [_award("m24-cmo-production", 2024, "3000000.00", product="CY-101")],
                      facts={"product": "CY-101"}).status == "pass"
    assert _duplicate("m36-overseas-license", [_award("m36-overseas-license", 2024, "1800000.00", product="CY-101")],
                      facts={"product": "CY-101"}).status == "fail"


def test_values_match_on_whole_tokens():
    from toolkit.check.facts import mentions

    assert not mentions("CY-1015", "CY-101")
    assert not mentions("HT-2025-0012", "HT-2025-001")
    assert mentions("CY-101 (ADC)", "CY-101") and mentions("注射用CY-101", "CY-101") and mentions("澄源一号注射液", "澄源一号")
    assert mentions("HT2025001", "HT-2025-001")  # the same number written without its separators


def test_every_party_in_a_role_is_checked_for_a_link():
    """Two licensees: the second holds 20% of the licensor. Looking at the first party of
    each role only, the deal passed as unrelated."""
    from toolkit.check.selftest import run_case

    cl = checklist("m36-overseas-license")
    rule = next(r for r in cl.rules if r.code == "M36B-NO-RELATED-PARTY")
    licensor = {"role": "licensor", "name": "上海澄源生物医药有限公司", "uscc": "91310115MA1H8R2X46"}
    documents = [
        {"kind": "license_agreement", "fields": {"party": [licensor, {"role": "licensee", "name": "Northbridge Therapeutics Inc."},
                                                           {"role": "licensee", "name": "Eastgate Pharma Ltd."}]}},
        {"kind": "credit_report", "fields": {"company_name": "上海澄源生物医药有限公司", "uscc": "91310115MA1H8R2X46",
                                             "shareholder": [{"name": "张明", "share_pct": "80"},
                                                             {"name": "Eastgate Pharma Ltd.", "share_pct": "20"}]}},
        {"kind": "credit_report", "fields": {"company_name": "Northbridge Therapeutics Inc.",
                                             "shareholder": [{"name": "Northbridge Holdings LLC", "share_pct": "100"}]}},
        {"kind": "credit_report", "fields": {"company_name": "Eastgate Pharma Ltd.",
                                             "shareholder": [{"name": "Eastgate Holdings LLC", "share_pct": "100"}]}},
        {"kind": "related_party_declaration", "fields": {"statement": "不存在关联关系"}},
    ]
    outcome = run_case(rule, RuleTest(name="t", expect="fail", documents=documents), cl)
    assert (outcome.status, outcome.key) == ("fail", "check.related.direct")
    assert outcome.params["holder"] == "Eastgate Pharma Ltd."
    assert outcome.trace["parties"]["licensee"] == "Northbridge Therapeutics Inc.; Eastgate Pharma Ltd."
    alone = [d for d in documents if d["kind"] != "credit_report" or d["fields"]["company_name"] != "Eastgate Pharma Ltd."]
    alone[0] = {**alone[0], "fields": {"party": [licensor, {"role": "licensee", "name": "Northbridge Therapeutics Inc."}]}}
    alone[1] = {**alone[1], "fields": {**alone[1]["fields"], "shareholder": [{"name": "张明", "share_pct": "100"}]}}
    assert run_case(rule, RuleTest(name="t", expect="pass", documents=alone), cl).status == "pass"


def test_cap_only_item_takes_the_smaller_of_cap_and_request():
    from toolkit.check.support import compute_support

    f = facts("m20-device-demonstration", [], requested_cny=Decimal("2600000.00"))
    support, _, _ = compute_support(f, checklist("m20-device-demonstration"), "pass", "en", None)
    assert support.eligible_cny == Decimal("2000000.00") and support.basis_cny is None
    f = facts("m20-device-demonstration", [], requested_cny=Decimal("1234567.895"))
    support, _, _ = compute_support(f, checklist("m20-device-demonstration"), "pass", "en", None)
    assert support.eligible_cny == Decimal("1234567.90")  # ROUND_HALF_UP, once


def test_rounding_is_half_up_to_the_fen():
    from toolkit.check.support import compute_support

    f = facts("m36-overseas-license", [{"kind": "invoice", "fields": {"invoice_total": {"amount": "1000.01", "currency": "CNY"}}}])
    support, _, _ = compute_support(f, checklist("m36-overseas-license"), "pass", "en", None)
    assert support.eligible_cny == Decimal("500.01")  # 500.005 -> 500.01


def test_failed_verdict_shows_zero_and_says_why():
    r = check("m36-overseas-license", [])
    assert r.verdict == "fail" and r.support.eligible_cny == Decimal("0.00")
    assert r.support.explanation.startswith("the filing fails")


def test_report_json_is_the_contract_shape():
    import json

    from toolkit.check.formats import to_json

    r = check("m36-overseas-license", [])
    data = json.loads(to_json(r))
    assert list(data)[:10] == ["schema", "dossier", "measure", "item", "verdict", "toolkit_version",
                               "checklist_digest", "lang", "support", "findings"]
    assert data["support"]["eligible_cny"] == "0.00"
    assert data["checklist_digest"].startswith("sha256:")
    assert all(isinstance(f["citation"]["measure"], int) for f in data["findings"])


def test_chinese_findings():
    r = check_facts(facts("m36-overseas-license", []), checklist("m36-overseas-license"), dossier="d", lang="zh",
                    options=CheckOptions())
    doc = finding(r, "COMMON-DOCUMENTS")
    assert doc.message.startswith("缺少必需材料") and "营业执照" in doc.message
    assert r.disclaimer.startswith("本结果为依据沪府办规")
