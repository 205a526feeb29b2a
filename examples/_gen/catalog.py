"""The example dossiers: 12 that pass (one per support item) and their variants.

Why golden data lives here, next to the documents: expected.json must come from what each
document was *made* to say and from MEASURES.md, never from the toolkit's output. So every
amount below is written once, printed into the PDFs by the builders, and the eligible
amount is computed from the same Decimals by `eligible()` (basis x rate, every cap that
applies, the yearly cap after prior awards, the amount applied for; ROUND_HALF_UP once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from _gen import documents as docs
from _gen import parties as P
from _gen.documents import Holding, InvoiceLine, Made, Remittance
from _gen.formats import D, figures, plain, wan, yi

FEN = Decimal("0.01")
YEAR = 2025
SCANNED_ASSET = "assets/scanned-business-license.pdf"


@dataclass
class Example:
    """One dossier folder: its manifest, documents and the verdict it must get."""

    name: str
    measure: str
    item: str | None
    applicant: P.Company
    documents: list[Made]
    verdict: str
    eligible_cny: str | None
    explanation: str
    failing_rules: list[str] = field(default_factory=list)
    requested_cny: Decimal | None = None
    facts: dict[str, str] = field(default_factory=dict)
    check_args: list[str] = field(default_factory=list)
    assumes: list[str] = field(default_factory=list)
    extra_files: dict[str, str] = field(default_factory=dict)
    manifest_uscc: str | None = None
    note: str = ""


def eligible(basis: Decimal | None, rate: Decimal | None, caps: list[Decimal],
             requested: Decimal | None = None) -> Decimal:
    """min(basis x rate, every cap, requested), rounded once to the fen (MEASURES.md)."""
    candidates = list(caps)
    if basis is not None and rate is not None:
        candidates.append(basis * rate)
    if requested is not None:
        candidates.append(requested)
    return min(candidates).quantize(FEN, rounding=ROUND_HALF_UP)


def made(file: str, kind: str, built: docs.Built) -> Made:
    return Made(file=f"documents/{file}", kind=kind, built=built)


def licence(company: P.Company) -> Made:
    return made("business-license.pdf", "business_license", docs.business_license(company))


def _cache(fn: Callable[..., docs.Built]) -> Callable[..., docs.Built]:
    """Builders are pure: the same arguments give the same bytes, so build them once."""
    store: dict[str, docs.Built] = {}

    def wrapper(*args: Any, **kwargs: Any) -> docs.Built:
        key = repr((args, sorted(kwargs.items())))
        if key not in store:
            store[key] = fn(*args, **kwargs)
        return store[key]

    return wrapper


for _name in ("business_license", "credit_report", "related_party_declaration", "service_contract",
              "invoice", "rd_audit_report", "fda_letter", "sales_confirmation", "exhibition_record",
              "registration_certificate", "project_approval", "license_agreement",
              "shareholder_register_en", "cmo_contract", "production_value_statement",
              "insurance_policy", "premium_receipt", "clinical_trial_approval",
              "payment_receipt", "financial_statement", "institution_certificate",
              "tga_certificate"):
    setattr(docs, _name, _cache(getattr(docs, _name)))


# ---------------------------------------------------------------------------------------
# m04: CRO preclinical services (cap only: min(10 m, requested))
# ---------------------------------------------------------------------------------------

def m04_documents(applicant: P.Company = P.QIHENG) -> list[Made]:
    project = "SJ-017抗纤维化候选化合物临床前药效学与安全性评价"
    contract = docs.service_contract(
        P.SHENJIANG_UNIV, applicant, title="技术服务合同", contract_no="QH-SJ-2025-006",
        project=project, fee=D("7800000.00"), signed=dt.date(2025, 2, 18),
        scope=["完成SJ-017在两种动物模型中的药效学研究，并出具符合GLP要求的研究报告；",
               "完成大鼠和比格犬28天重复给药毒性试验及毒代动力学研究；",
               "完成安全药理学核心组合试验及遗传毒性试验，协助甲方整理新药临床试验申请资料。"],
        deliverables=[["1", "药效学研究报告（两种模型）", "2025年6月30日"],
                      ["2", "重复给药毒性及毒代动力学研究报告", "2025年10月31日"],
                      ["3", "安全药理及遗传毒性研究报告", "2025年12月31日"]])
    approval = docs.project_approval(
        issuer="上海市科学技术委员会", title="上海市生物医药临床前研究服务项目任务书",
        doc_no="沪科〔2025〕112号", applicant_label="承担单位", applicant=applicant,
        entries=[("项目名称", project, ("project", project)),
                 ("项目编号", "25SF1401200", ("project_code", "25SF1401200")),
                 ("委托单位", P.SHENJIANG_UNIV.name, ("client_institution", P.SHENJIANG_UNIV.name)),
                 ("实施期限", "2025年4月至2026年3月", None)],
        paragraphs=["经专家评审和立项审核，同意将该项目列入本年度上海市生物医药临床前研究服务支持项目。"
                    "承担单位应按照任务书约定的研究内容和进度组织实施，按期报送项目执行情况。",
                    "项目支持资金按照有关规定拨付，专款专用，接受财政和审计部门的监督检查。"],
        day=dt.date(2025, 4, 10), day_label="批复日期")
    return [licence(applicant), made("service-contract.pdf", "service_contract", contract),
            made("project-task-book.pdf", "project_approval", approval)]


def m04_base() -> Example:
    requested = D("6000000.00")
    amount = eligible(None, None, [D("10000000.00")], requested)
    return Example(
        name="m04-preclinical-cro", measure="m04-preclinical-cro", item=None, applicant=P.QIHENG,
        documents=m04_documents(), verdict="pass", eligible_cny=plain(amount),
        requested_cny=requested,
        facts={"project": "SJ-017抗纤维化候选化合物临床前药效学与安全性评价"},
        explanation=f"Measure 4 gives only a cap: the smaller of the cap CNY 10,000,000.00 and the "
                    f"amount applied for CNY {figures(requested)} = CNY {figures(amount)}")


# ---------------------------------------------------------------------------------------
# m05: innovative drug, phase II (40% of R&D, cap 20 m)
# ---------------------------------------------------------------------------------------

M05_RD = D("31500000.00")


def m05_documents(with_audit: bool = True) -> list[Made]:
    a = P.CHENGYUAN
    out = [licence(a),
           made("clinical-trial-approval.pdf", "clinical_trial_approval", docs.clinical_trial_approval(
               a, acceptance_no="CXSL2400987", product="CY-205注射液", category="治疗用生物制品1类",
               phase="Ⅱ期临床试验", day=dt.date(2025, 1, 16), notice_no="2025LP00123"))]
    if with_audit:
        out.append(made("rd-audit-report.pdf", "rd_audit_report", docs.rd_audit_report(
            a, P.LICHENG_CPA, project="CY-205注射液研发项目", total=M05_RD,
            period="2021年1月1日至2024年12月31日", report_no="立成专审字〔2025〕第0318号",
            day=dt.date(2025, 3, 28))))
    return out


def m05_base() -> Example:
    amount = eligible(M05_RD, D("0.40"), [D("20000000.00"), D("100000000.00")])
    return Example(
        name="m05-innovative-drug", measure="m05-innovative-drug", item="phase-2",
        applicant=P.CHENGYUAN, documents=m05_documents(), verdict="pass",
        eligible_cny=plain(amount), facts={"product": "CY-205注射液"},
        explanation=f"40% of R&D investment CNY {figures(M05_RD)} = CNY {figures(amount)}, under the "
                    "phase II cap CNY 20,000,000.00")


def m05_missing_audit() -> Example:
    return Example(
        name="m05-innovative-drug--missing-audit-report", measure="m05-innovative-drug",
        item="phase-2", applicant=P.CHENGYUAN, documents=m05_documents(with_audit=False),
        verdict="fail", eligible_cny="0.00", facts={"product": "CY-205注射液"},
        failing_rules=["COMMON-DOCUMENTS", "M05-APPROVAL-PRODUCT", "M05-SUPPORT-BASIS"],
        explanation="The required special audit report of R&D spending is absent (neither in the "
                    "manifest nor in the folder): the filing is incomplete, the drug cannot be "
                    "matched between approval and audit, and there is no basis")


# ---------------------------------------------------------------------------------------
# m06: innovative device, first registration (40% of R&D, cap 8 m)
# ---------------------------------------------------------------------------------------

def m06_documents(a: P.Company, *, number: str, product: str, model: str, address: str,
                  issued: dt.date, rd: Decimal, report_no: str) -> list[Made]:
    return [
        licence(a),
        made("registration-certificate.pdf", "registration_certificate", docs.registration_certificate(
            a, number=number, product=product, model=model, production_address=address, day=issued,
            use="用于心律失常等适应证的临床治疗，由经过培训的医生在医疗机构中使用。")),
        made("rd-audit-report.pdf", "rd_audit_report", docs.rd_audit_report(
            a, P.LICHENG_CPA, project=f"{product}研发项目", total=rd,
            period="2020年1月1日至2024年12月31日", report_no=report_no,
            day=issued + dt.timedelta(days=34))),
    ]


def m06_base() -> Example:
    rd = D("12000000.00")
    amount = eligible(rd, D("0.40"), [D("8000000.00"), D("30000000.00")])
    return Example(
        name="m06-innovative-device", measure="m06-innovative-device", item="first-registration",
        applicant=P.MINGCHE, facts={"product": "脉冲电场消融导管"},
        documents=m06_documents(P.MINGCHE, number="国械注准20253010456", product="脉冲电场消融导管",
                                model="PFA-7F-25", address="上海市松江区新飞路1500号3号楼",
                                issued=dt.date(2025, 2, 26), rd=rd,
                                report_no="立成专审字〔2025〕第0406号"),
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"40% of R&D investment CNY {figures(rd)} = CNY {figures(amount)}, under the "
                    "first-registration cap CNY 8,000,000.00")


def m06_moved() -> Example:
    rd = D("15500000.00")
    amount = eligible(rd, D("0.40"), [D("8000000.00"), D("30000000.00")])
    return Example(
        name="m06-innovative-device--moved-to-shanghai", measure="m06-innovative-device",
        item="first-registration", applicant=P.HENGZHOU, facts={"product": "冷冻球囊消融导管"},
        documents=m06_documents(P.HENGZHOU, number="国械注准20253010872", product="冷冻球囊消融导管",
                                model="CB-28", address="上海市闵行区新骏环路245号3幢",
                                issued=dt.date(2025, 5, 14), rd=rd,
                                report_no="立成专审字〔2025〕第0733号"),
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"The company moved from Suzhou and kept its USCC {P.HENGZHOU.uscc} (region 32, "
                    "an info finding only); its licence is issued by a Shanghai authority with a "
                    f"Shanghai address, so it is eligible: 40% of CNY {figures(rd)} = "
                    f"CNY {figures(amount)}, under the cap CNY 8,000,000.00",
        note="COMMON-USCC-REGION fails as info; the verdict is unaffected")


# ---------------------------------------------------------------------------------------
# m12: overseas clinical trial (cap only: min(20 m, requested))
# ---------------------------------------------------------------------------------------

def m12_base() -> Example:
    a = P.CHENGYUAN
    requested = D("8000000.00")
    amount = eligible(None, None, [D("20000000.00"), D("100000000.00")], requested)
    ind = docs.fda_letter(
        a, title="IND APPROVAL LETTER - STUDY MAY PROCEED", number_label="IND", number="171234",
        scheme="fda_ind", product="CY-205", established="chengtuzumab injection",
        day=dt.date(2025, 2, 12),
        body=["We have completed our 30-day safety review of your Investigational New Drug "
              "Application (IND) for CY-205 and have concluded that you may proceed with your "
              "proposed Phase 2 clinical investigation, Protocol CY205-US-201, in the United States.",
              "Please note that you are responsible for complying with the applicable requirements of "
              "21 CFR Part 312, including the submission of IND safety reports and annual reports.",
              "If you have any questions, call the Regulatory Project Manager assigned to this IND."])
    approval = docs.project_approval(
        issuer="上海市科学技术委员会", title="关于CY-205注射液美国Ⅱ期临床试验项目立项的批复",
        doc_no="沪科〔2025〕236号", applicant_label="承担单位", applicant=a,
        entries=[("项目名称", "CY-205注射液美国Ⅱ期临床试验项目", ("project", "CY-205注射液美国Ⅱ期临床试验项目")),
                 ("项目编号", "25SF1400300", ("project_code", "25SF1400300")),
                 ("实施地点", "美国（12家临床研究中心）", None)],
        paragraphs=["经审核，该项目为在境外开展的高水平创新产品临床试验项目，符合《关于支持生物医药产业全链条"
                    "创新发展的若干意见》（沪府办规〔2024〕9号）第十二条的支持方向，同意立项。",
                    "承担单位应严格按照国际通行的临床试验规范组织实施，按期报送项目进展。"],
        day=dt.date(2025, 6, 20), day_label="批复日期")
    return Example(
        name="m12-intl-clinical-trial", measure="m12-intl-clinical-trial", item="overseas-trial",
        applicant=a, requested_cny=requested, facts={"project": "CY-205注射液美国Ⅱ期临床试验项目"},
        documents=[licence(a), made("project-approval.pdf", "project_approval", approval),
                   made("fda-ind-letter.pdf", "regulatory_approval", ind)],
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"Measure 12 (overseas trial) gives only a cap: the smaller of the cap "
                    f"CNY 20,000,000.00 and the amount applied for CNY {figures(requested)} = "
                    f"CNY {figures(amount)}")


# ---------------------------------------------------------------------------------------
# m13: trial liability insurance, domestic (50% of premium, cap 0.5 m)
# ---------------------------------------------------------------------------------------

M13_PREMIUM = D("680000.00")
M13_POLICY = "PZAF202531010000001234"


def m13_documents(*, damaged_receipt: bool = False) -> list[Made]:
    a = P.CHENGYUAN
    policy = docs.insurance_policy(
        P.SHENCHENG_INSURANCE, a, policy_no=M13_POLICY, kind="临床试验责任保险", premium=M13_PREMIUM,
        start=dt.date(2025, 3, 1), issued=dt.date(2025, 2, 20),
        trial="CY-205注射液Ⅱ期临床试验（方案编号CY205-201）")
    receipt = made("premium-receipt.pdf", "premium_receipt", docs.premium_receipt(
        P.SHENCHENG_INSURANCE, a, policy_no=M13_POLICY, amount=M13_PREMIUM, paid=dt.date(2025, 3, 5),
        number="SC-SH-2025-0031877"))
    if damaged_receipt:
        receipt.truncated_to = len(receipt.built.data) * 2 // 5
    return [licence(a), made("insurance-policy.pdf", "insurance_policy", policy), receipt]


def m13_base() -> Example:
    amount = eligible(M13_PREMIUM, D("0.5"), [D("500000.00")])
    return Example(
        name="m13-trial-insurance", measure="m13-trial-insurance", item="domestic",
        applicant=P.CHENGYUAN, documents=m13_documents(), verdict="pass", eligible_cny=plain(amount),
        explanation=f"50% of the premium actually paid CNY {figures(M13_PREMIUM)} = "
                    f"CNY {figures(amount)}, under the domestic cap CNY 500,000.00")


def m13_bad_uscc() -> Example:
    return Example(
        name="m13-trial-insurance--bad-uscc-check", measure="m13-trial-insurance", item="domestic",
        applicant=P.CHENGYUAN, documents=m13_documents(), verdict="fail", eligible_cny="0.00",
        manifest_uscc=P.wrong_check(P.CHENGYUAN.uscc or ""), failing_rules=["COMMON-USCC"],
        explanation=f"The manifest gives USCC {P.wrong_check(P.CHENGYUAN.uscc or '')}, whose check "
                    f"character is wrong (the licence shows {P.CHENGYUAN.uscc})")


def m13_damaged() -> Example:
    return Example(
        name="m13-trial-insurance--damaged-receipt", measure="m13-trial-insurance", item="domestic",
        applicant=P.CHENGYUAN, documents=m13_documents(damaged_receipt=True),
        verdict="needs_review", eligible_cny=None,
        explanation="The premium receipt is a truncated PDF: present but unreadable, so the premium "
                    "paid (the support basis) cannot be read and a person must look")


# ---------------------------------------------------------------------------------------
# m20: demonstration application (cap only: min(2 m, requested))
# ---------------------------------------------------------------------------------------

M20_CERT = dict(number="国械注准20243010315", product="冷冻消融导管", model="CRYO-9F",
                production_address="上海市松江区新飞路1500号3号楼", day=dt.date(2024, 9, 12),
                use="用于房颤等心律失常的冷冻消融治疗。")


def m20_approval(applicant: P.Company, project: str, doc_no: str) -> docs.Built:
    return docs.project_approval(
        issuer="上海市经济和信息化委员会", title="关于同意开展创新医疗器械示范应用项目的批复",
        doc_no=doc_no, applicant_label="承担单位", applicant=applicant,
        entries=[("项目名称", project, ("project", project)),
                 ("项目编号", doc_no[-8:-1], ("project_code", doc_no[-8:-1])),
                 ("示范产品", "冷冻消融导管（国械注准20243010315）", None)],
        paragraphs=["经审核，该项目属于创新医疗器械应用示范项目，同意立项。承担单位应组织开展上市后真实世界"
                    "研究与临床应用评价，形成示范应用报告。",
                    "项目执行期为两年，执行期满后三个月内提交验收申请。"],
        day=dt.date(2025, 5, 12), day_label="批复日期")


def m20_base() -> Example:
    a = P.MINGCHE
    requested = D("1500000.00")
    amount = eligible(None, None, [D("2000000.00")], requested)
    project = "冷冻消融导管临床应用示范项目"
    return Example(
        name="m20-device-demonstration", measure="m20-device-demonstration", item=None, applicant=a,
        requested_cny=requested, facts={"project": project},
        documents=[licence(a),
                   made("project-approval.pdf", "project_approval",
                        m20_approval(a, project, "沪经信〔2025〕0318号")),
                   made("registration-certificate.pdf", "registration_certificate",
                        docs.registration_certificate(P.MINGCHE, **M20_CERT))],
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"Measure 20 gives only a cap: the smaller of CNY 2,000,000.00 and the amount "
                    f"applied for CNY {figures(requested)} = CNY {figures(amount)}")


def m20_hospital() -> Example:
    a = P.DONGBIN_HOSPITAL
    requested = D("1800000.00")
    amount = eligible(None, None, [D("2000000.00")], requested)
    project = "冷冻消融导管临床应用示范项目（东滨医院）"
    return Example(
        name="m20-device-demonstration--public-hospital", measure="m20-device-demonstration",
        item=None, applicant=a, requested_cny=requested,
        documents=[made("institution-certificate.pdf", "institution_certificate",
                        docs.institution_certificate(a, "上海申康医院发展中心")),
                   made("project-approval.pdf", "project_approval",
                        m20_approval(a, project, "沪经信〔2025〕0326号")),
                   made("registration-certificate.pdf", "registration_certificate",
                        docs.registration_certificate(P.MINGCHE, **M20_CERT))],
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"A public hospital (USCC {a.uscc}, registered by 上海市事业单位登记管理局) "
                    f"shows its 事业单位法人证书 instead of a business licence; cap only: the smaller of "
                    f"CNY 2,000,000.00 and the amount applied for CNY {figures(requested)} = "
                    f"CNY {figures(amount)}")


# ---------------------------------------------------------------------------------------
# m23: industrial project, platform (30% of approved new investment, cap 100 m)
# ---------------------------------------------------------------------------------------

M23_NEW = D("120000000.00")
M23_TOTAL = D("150000000.00")


def m23_approval() -> docs.Built:
    project = "生物药CDMO工艺开发与中试平台建设项目"
    return docs.project_approval(
        issuer="上海市嘉定区发展和改革委员会", title="上海市企业投资项目备案证明",
        doc_no="嘉发改备〔2025〕0047号", applicant_label="项目单位", applicant=P.HANBO,
        entries=[("项目名称", project, ("project", project)),
                 ("项目代码", "2501-310114-04-01-682315", ("project_code", "2501-310114-04-01-682315")),
                 ("建设地点", "上海市嘉定区叶城路1288号", None),
                 ("核定总投资", yi(M23_TOTAL),
                  ("approved_total_investment", {"amount": plain(M23_TOTAL), "currency": "CNY"})),
                 ("核定新增投资", wan(M23_NEW),
                  ("approved_new_investment", {"amount": plain(M23_NEW), "currency": "CNY"})),
                 ("建设内容", "新建细胞培养工艺开发实验室及2000L中试生产线", None)],
        paragraphs=["该项目已按《企业投资项目核准和备案管理条例》完成备案。项目单位应按照备案内容组织建设，"
                    "项目信息发生较大变更的，应及时告知备案机关。",
                    "本备案证明不作为项目单位办理规划、用地、环评、施工许可等手续的依据。"],
        day=dt.date(2025, 1, 22), day_label="备案日期")


def m23_base(*, scanned: bool = False) -> Example:
    amount = eligible(M23_NEW, D("0.30"), [D("100000000.00")])
    lic = licence(P.HANBO)
    if scanned:
        lic = Made(file="documents/business-license-scan.pdf", kind="business_license",
                   built=lic.built, copied_from=SCANNED_ASSET)
    return Example(
        name="m23-industrial-project" + ("--scanned-license" if scanned else ""),
        measure="m23-industrial-project", item="platform", applicant=P.HANBO,
        facts={"project": "生物药CDMO工艺开发与中试平台建设项目"},
        documents=[lic, made("project-filing.pdf", "project_approval", m23_approval())],
        verdict="pass", eligible_cny=plain(amount), assumes=["tesseract"] if scanned else [],
        explanation=("The business licence is an image-only scan, read by OCR. " if scanned else "")
        + f"30% of the approved new investment CNY {figures(M23_NEW)} = CNY {figures(amount)}, "
        "under the cap CNY 100,000,000.00")


# ---------------------------------------------------------------------------------------
# m24: CMO production (10% of production value, cap 5 m per product, 10 m per year)
# ---------------------------------------------------------------------------------------

def m24_batches(total: Decimal) -> list[tuple[str, int, dt.date, Decimal]]:
    """Eight batches from June to December 2024 that add up exactly to `total`."""
    days = [dt.date(2024, 6, 18), dt.date(2024, 7, 16), dt.date(2024, 8, 20), dt.date(2024, 9, 10),
            dt.date(2024, 10, 15), dt.date(2024, 11, 12), dt.date(2024, 12, 3), dt.date(2024, 12, 24)]
    share = (total / 8).quantize(FEN, rounding=ROUND_HALF_UP)
    values = [share] * 7 + [total - share * 7]
    return [(f"HB24{n:04d}", 120, day, value)
            for n, (day, value) in enumerate(zip(days, values, strict=True), start=31)]


def m24_documents(*, production: Decimal, client_holders: list[Holding],
                  extra_reports: list[tuple[str, P.Company, list[Holding]]] | None = None) -> list[Made]:
    cmo, client = P.HANBO, P.YUANCHUAN
    out = [licence(cmo)]
    out.append(made("cmo-contract.pdf", "cmo_contract", docs.cmo_contract(
        client, cmo, product="澄瑞替尼片", strength="50mg", contract_no="YC-HB-2024-017",
        amount=D("42000000.00"), signed=dt.date(2024, 5, 20), place="上海市嘉定区")))
    out.append(made("production-value-statement.pdf", "production_value_statement",
                    docs.production_value_statement(cmo, client, product="澄瑞替尼片（50mg）", year=2024,
                                                    batches=m24_batches(production),
                                                    day=dt.date(2025, 1, 20))))
    out.append(made("credit-report-hanbo.pdf", "credit_report", docs.credit_report(
        cmo, [Holding("周立群", None, D("8250"), D("55")),
              Holding(P.PUJIANG_VC.name, P.PUJIANG_VC.uscc, D("6750"), D("45"))],
        dt.date(2025, 2, 10))))
    out.append(made("credit-report-yuanchuan.pdf", "credit_report",
                    docs.credit_report(client, client_holders, dt.date(2025, 2, 10))))
    for file, company, holders in extra_reports or []:
        out.append(made(file, "credit_report", docs.credit_report(company, holders, dt.date(2025, 2, 10))))
    out.append(made("no-related-party-declaration.pdf", "related_party_declaration",
                    docs.related_party_declaration(cmo, client, "澄瑞替尼片受托生产",
                                                   dt.date(2025, 2, 12), cosigner=client)))
    return out


UNRELATED_CLIENT = [Holding("李华", None, D("3500"), D("70")), Holding("陈静", None, D("1500"), D("30"))]


def m24_base() -> Example:
    production = D("38600000.00")
    amount = eligible(production, D("0.10"), [D("5000000.00"), D("10000000.00")])
    return Example(
        name="m24-cmo-production", measure="m24-cmo-production", item=None, applicant=P.HANBO,
        facts={"product": "澄瑞替尼片", "contract_no": "YC-HB-2024-017"},
        documents=m24_documents(production=production, client_holders=UNRELATED_CLIENT),
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"10% of the 2024 commissioned production value CNY {figures(production)} = "
                    f"CNY {figures(amount)}, under the cap CNY 5,000,000.00 per product")


def m24_product_cap() -> Example:
    production = D("68500000.00")
    amount = eligible(production, D("0.10"), [D("5000000.00"), D("10000000.00")])
    return Example(
        name="m24-cmo-production--product-cap", measure="m24-cmo-production", item=None,
        applicant=P.HANBO, facts={"product": "澄瑞替尼片", "contract_no": "YC-HB-2024-017"},
        documents=m24_documents(production=production, client_holders=UNRELATED_CLIENT),
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"10% of the production value CNY {figures(production)} = "
                    f"CNY {figures(production * D('0.10'))}, capped at CNY 5,000,000.00 per product")


def m24_related_direct() -> Example:
    holders = [Holding("李华", None, D("4250"), D("85")),
               Holding(P.HANBO.name, P.HANBO.uscc, D("750"), D("15"))]
    return Example(
        name="m24-cmo-production--related-direct", measure="m24-cmo-production", item=None,
        applicant=P.HANBO, facts={"product": "澄瑞替尼片", "contract_no": "YC-HB-2024-017"},
        documents=m24_documents(production=D("38600000.00"), client_holders=holders),
        verdict="fail", eligible_cny="0.00", failing_rules=["M24-NO-RELATED-PARTY"],
        explanation=f"The commissioning party's credit report shows the CMO {P.HANBO.name} holding "
                    "15% of it: an investment-related link, despite the signed declaration")


def m24_related_indirect() -> Example:
    holders = [Holding(P.QIAOSHI.name, P.QIAOSHI.uscc, D("1750"), D("35")),
               Holding("李华", None, D("3250"), D("65"))]
    qiaoshi = [Holding(P.HANBO.name, P.HANBO.uscc, D("1020"), D("51")),
               Holding("王芳", None, D("980"), D("49"))]
    return Example(
        name="m24-cmo-production--related-indirect", measure="m24-cmo-production", item=None,
        applicant=P.HANBO, facts={"product": "澄瑞替尼片", "contract_no": "YC-HB-2024-017"},
        documents=m24_documents(production=D("38600000.00"), client_holders=holders,
                                extra_reports=[("credit-report-qiaoshi.pdf", P.QIAOSHI, qiaoshi)]),
        verdict="fail", eligible_cny="0.00", failing_rules=["M24-NO-RELATED-PARTY"],
        explanation=f"{P.QIAOSHI.name} holds 35% of the commissioning party and is itself 51% held "
                    f"by the CMO {P.HANBO.name} (its credit report is in the dossier): an indirect "
                    "investment-related link")


# ---------------------------------------------------------------------------------------
# m29: financing guarantee limit, small/micro (cap only: min(20 m, requested))
# ---------------------------------------------------------------------------------------

def m29_base() -> Example:
    a = P.RUILING
    requested = D("15000000.00")
    amount = eligible(None, None, [D("20000000.00")], requested)
    approval = docs.project_approval(
        issuer=P.ZHANGJIANG_GUARANTEE.name, title="科技型中小企业融资担保项目申报书（审核通过）",
        doc_no="沪中小担审〔2025〕第0215号", applicant_label="申报单位", applicant=a,
        entries=[("项目名称", "锐翎生命科学仪器产业化流动资金贷款担保",
                  ("project", "锐翎生命科学仪器产业化流动资金贷款担保")),
                 ("企业规模", "小型企业", ("enterprise_size", "小型企业")),
                 ("资质", "高新技术企业（证书编号GR202431001234）",
                  ("qualification", "高新技术企业（证书编号GR202431001234）")),
                 ("担保额度", wan(requested), ("guarantee_limit", {"amount": plain(requested),
                                                                    "currency": "CNY"})),
                 ("合作银行", "浦江商业银行上海徐汇支行", None),
                 ("担保期限", "12个月", None)],
        paragraphs=["经审核，申报单位属于小型生物医药科技企业，经营情况正常，信用记录良好，同意为其提供"
                    "单笔批次融资担保，担保额度以上述金额为限。",
                    "申报单位应按期还本付息，贷款资金用于企业生产经营，不得挪作他用。"],
        day=dt.date(2025, 4, 28), day_label="批复日期")
    fs = docs.financial_statement(a, period="2024年度", revenue=D("38600000.00"),
                                  assets=D("52000000.00"), employees=86)
    return Example(
        name="m29-financing-guarantee", measure="m29-financing-guarantee", item="small-micro",
        applicant=a, requested_cny=requested,
        documents=[licence(a), made("financial-statements.pdf", "financial_statement", fs),
                   made("guarantee-application.pdf", "project_approval", approval)],
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"A guarantee limit, not a grant: the smaller of the small/micro single-batch "
                    f"limit CNY 20,000,000.00 and the amount applied for CNY {figures(requested)} = "
                    f"CNY {figures(amount)}")


# ---------------------------------------------------------------------------------------
# m36a: global registration (30% of R&D, cap 10 m)
# ---------------------------------------------------------------------------------------

M36A_RD = D("28600000.00")


def m36a_documents(*, tga: bool = False, sales: bool = True) -> list[Made]:
    a = P.CHENGYUAN
    out = [licence(a)]
    if tga:
        out.append(made("tga-certificate.pdf", "regulatory_approval",
                        docs.tga_certificate(a, artg="412387", product="CY-101", day=dt.date(2025, 4, 2))))
    else:
        out.append(made("fda-approval-letter.pdf", "regulatory_approval", docs.fda_letter(
            a, title="APPROVAL LETTER", number_label="BLA", number="761412", scheme="fda_bla",
            product="CY-101", established="chenlimab injection", day=dt.date(2025, 3, 14),
            body=["Please refer to your biologics license application (BLA) submitted under section "
                  "351(a) of the Public Health Service Act for CY-101 (chenlimab) injection, 200 mg/10 mL "
                  "single-dose vial.",
                  "We have completed our review of this application. It is approved, effective on the "
                  "date of this letter, for use as recommended in the enclosed agreed-upon labeling.",
                  "We remind you of your postmarketing requirements and commitments, and that you must "
                  "submit annual reports and adverse-experience reports as required by 21 CFR 600.80."])))
    if sales:
        if tga:
            out.append(made("sales-confirmation.pdf", "sales_evidence", docs.sales_confirmation(
                a, distributor="Corella Pharma Pty Ltd", address="Level 12, 60 Margaret Street, "
                "Sydney NSW 2000, Australia", product="CY-101", country="Australia",
                shipments=[("CP-25-0412", dt.date(2025, 5, 20), 1200, D("640000.00")),
                           ("CP-25-0588", dt.date(2025, 7, 8), 1500, D("800000.00"))],
                currency="AUD", day=dt.date(2025, 8, 12))))
        else:
            out.append(made("sales-confirmation.pdf", "sales_evidence", docs.sales_confirmation(
                a, distributor="Meridian Specialty Pharma Distribution LLC",
                address="1200 Route 22 East, Bridgewater, NJ 08807, United States", product="CY-101",
                country="United States",
                shipments=[("MSP-25-1107", dt.date(2025, 5, 6), 1500, D("720000.00")),
                           ("MSP-25-1342", dt.date(2025, 6, 10), 1800, D("864000.00")),
                           ("MSP-25-1590", dt.date(2025, 7, 15), 1700, D("816000.00"))],
                currency="USD", day=dt.date(2025, 8, 5))))
    out.append(made("rd-audit-report.pdf", "rd_audit_report", docs.rd_audit_report(
        a, P.LICHENG_CPA, project="CY-101研发项目", total=M36A_RD, period="2019年1月1日至2024年12月31日",
        report_no="立成专审字〔2025〕第0512号", day=dt.date(2025, 6, 6))))
    return out


def m36a_base() -> Example:
    amount = eligible(M36A_RD, D("0.30"), [D("10000000.00")])
    return Example(
        name="m36-global-registration", measure="m36-global-registration", item=None,
        applicant=P.CHENGYUAN, facts={"product": "CY-101"}, documents=m36a_documents(),
        verdict="pass", eligible_cny=plain(amount),
        explanation=f"FDA approval (BLA 761412) with US sales; 30% of R&D investment "
                    f"CNY {figures(M36A_RD)} = CNY {figures(amount)}, under the cap CNY 10,000,000.00")


def m36a_no_sales() -> Example:
    return Example(
        name="m36-global-registration--no-sales", measure="m36-global-registration", item=None,
        applicant=P.CHENGYUAN, facts={"product": "CY-101"}, documents=m36a_documents(sales=False),
        verdict="fail", eligible_cny="0.00",
        failing_rules=["COMMON-DOCUMENTS", "M36A-SALES-ABROAD"],
        explanation="An FDA approval but no evidence of sales in the United States: measure 36a "
                    "requires registration and local sales")


def m36a_unlisted() -> Example:
    return Example(
        name="m36-global-registration--unlisted-regulator", measure="m36-global-registration",
        item=None, applicant=P.CHENGYUAN, facts={"product": "CY-101"},
        documents=m36a_documents(tga=True), verdict="fail", eligible_cny="0.00",
        failing_rules=["M36A-LISTED-REGULATOR"],
        explanation="The approval is by Australia's TGA, which is not among the regulators measure "
                    "36a lists (FDA, EMA, CE, PMDA, WHO, BRICS and Belt-and-Road regulators)")


# ---------------------------------------------------------------------------------------
# m36b: overseas licensing (down payment > 100 m; 50% of professional fees, cap 5 m)
# ---------------------------------------------------------------------------------------

M36B_INVOICES = [
    (P.HENGXIN_LAW, "25312000000041877362", dt.date(2025, 4, 25),
     [InvoiceLine("*法律服务*跨境许可交易法律服务费（第一期）", "项", 1, D("848000.00"))]),
    (P.HENGXIN_LAW, "25312000000043105519", dt.date(2025, 5, 6),
     [InvoiceLine("*法律服务*跨境许可交易法律服务费（第二期）", "项", 1, D("632000.00"))]),
    (P.HUIQIAO_ADVISORY, "25312000000043298804", dt.date(2025, 5, 6),
     [InvoiceLine("*咨询服务*海外许可交易财务顾问服务费", "项", 1, D("2120000.00"))]),
]


def m36b_documents(*, remittance: Remittance, upfront: Decimal, currency: str, effective: dt.date,
                   licensor_holders: list[Holding] | None = None) -> list[Made]:
    a, b = P.CHENGYUAN, P.NORTHBRIDGE
    holders = licensor_holders or [Holding("张明", None, D("4800"), D("60")),
                                   Holding(P.PUJIANG_VC.name, P.PUJIANG_VC.uscc, D("3200"), D("40"))]
    out = [licence(a)]
    out.append(made("license-agreement.pdf", "license_agreement", docs.license_agreement(
        a, b, agreement_no="CY-NB-2025-001", product="CY-303",
        product_desc="CY-303, an anti-CLDN18.2 antibody-drug conjugate", currency=currency,
        territory="Worldwide excluding Greater China", upfront=upfront, total=upfront * 46,
        effective=effective)))
    out.append(made("bank-receipt.pdf", "payment_receipt", docs.payment_receipt(remittance)))
    out.append(made("credit-report-chengyuan.pdf", "credit_report",
                    docs.credit_report(a, holders, effective + dt.timedelta(days=7))))
    out.append(made("shareholder-register-northbridge.pdf", "credit_report", docs.shareholder_register_en(
        b, [Holding(P.NORTHBRIDGE_HOLDINGS.name, None, D("1000"), D("100"))],
        effective + dt.timedelta(days=4), "Delaware Division of Corporations, File No. 6813527")))
    out.append(made("no-related-party-declaration.pdf", "related_party_declaration",
                    docs.related_party_declaration(a, b, "CY-303海外独占许可交易",
                                                   effective + dt.timedelta(days=17))))
    out.append(made("service-contract-law.pdf", "service_contract", docs.service_contract(
        a, P.HENGXIN_LAW, title="法律服务协议", contract_no="HX-2024-NS-0912",
        project="CY-303海外独占许可交易法律服务", fee=D("1480000.00"), signed=effective - dt.timedelta(days=95),
        scope=["就CY-303海外独占许可交易提供交易结构设计、尽职调查及法律意见；",
               "起草、审阅并参与谈判许可协议及相关附属协议；",
               "协助办理交易涉及的境内审批、登记及外汇手续。"],
        deliverables=[["1", "法律尽职调查报告", "签约前"], ["2", "许可协议及附属协议定稿", "签约日"],
                      ["3", "交割法律意见书", "首付款到账后"]])))
    out.append(made("service-contract-advisory.pdf", "service_contract", docs.service_contract(
        a, P.HUIQIAO_ADVISORY, title="财务顾问服务合同", contract_no="HQ-FA-2024-037",
        project="CY-303海外许可交易财务顾问", fee=D("2120000.00"), signed=effective - dt.timedelta(days=120),
        scope=["协助甲方制定CY-303海外授权策略，筛选并接洽潜在被许可方；",
               "完成资产估值与交易条款测算，协助甲方开展商务谈判；",
               "协助完成交割及首付款收取的相关工作。"],
        deliverables=[["1", "潜在合作方筛选报告", "签约后60日内"], ["2", "估值与条款测算报告", "谈判前"],
                      ["3", "交割备忘录", "首付款到账后"]])))
    for number, (seller, invoice_no, issued, lines) in enumerate(M36B_INVOICES, start=1):
        out.append(made(f"invoice-{number}.pdf", "invoice", docs.invoice(
            seller, a, number=invoice_no, issued=issued, lines=lines,
            remark="CY-303海外许可交易专业服务")))
    return out


def m36b_fees() -> Decimal:
    return sum((line.total for _, _, _, lines in M36B_INVOICES for line in lines), Decimal(0))


def usd_remittance(amount: Decimal, rate: Decimal | None, value_date: dt.date, *,
                   credited: Decimal | None = None, credited_currency: str = "CNY") -> Remittance:
    if credited is None and rate is not None:
        credited = (amount * rate).quantize(FEN, rounding=ROUND_HALF_UP)
    return Remittance(payer=P.NORTHBRIDGE, payee=P.CHENGYUAN, amount=amount, currency="USD",
                      rate=rate, credited=credited, credited_currency=credited_currency,
                      value_date=value_date, purpose="Upfront Payment, License Agreement CY-NB-2025-001",
                      reference=f"IR{value_date:%Y%m%d}0087215")


def m36b_example(name: str, *, remittance: Remittance, upfront: Decimal, currency: str = "USD",
                 effective: dt.date = dt.date(2025, 3, 3), verdict: str, failing: list[str],
                 explanation: str, holders: list[Holding] | None = None,
                 provisional: bool = False) -> Example:
    fees = m36b_fees()
    amount = eligible(fees, D("0.5"), [D("5000000.00")])
    if verdict == "pass" or provisional:
        value: str | None = plain(amount)
    else:
        value = "0.00"
    return Example(
        name=name, measure="m36-overseas-license", item=None, applicant=P.CHENGYUAN,
        facts={"product": "CY-303"},
        documents=m36b_documents(remittance=remittance, upfront=upfront, currency=currency,
                                 effective=effective, licensor_holders=holders),
        verdict=verdict, eligible_cny=value, failing_rules=failing, explanation=explanation)


def m36b_all() -> list[Example]:
    fees = m36b_fees()
    amount = eligible(fees, D("0.5"), [D("5000000.00")])
    share = f"50% of third-party professional-service spending CNY {figures(fees)} = CNY {figures(amount)}"
    base_receipt = usd_remittance(D("25000000.00"), D("7.1300"), dt.date(2025, 4, 18))
    exact = Remittance(payer=P.NORTHBRIDGE, payee=P.CHENGYUAN, amount=D("100000000.00"), currency="CNY",
                       rate=None, credited=D("100000000.00"), credited_currency="CNY",
                       value_date=dt.date(2025, 4, 18),
                       purpose="Upfront Payment, License Agreement CY-NB-2025-001 (CIPS)",
                       reference="IR202504180087215")
    return [
        m36b_example(
            "m36-overseas-license", remittance=base_receipt, upfront=D("25000000.00"), verdict="pass",
            failing=[], explanation=f"Down payment USD 25,000,000.00 at 7.1300 = CNY 178,250,000.00 "
            f"received 2025-04-18 (above CNY 100,000,000.00); {share}, under the cap CNY 5,000,000.00"),
        m36b_example(
            "m36-overseas-license--related-party", remittance=base_receipt, upfront=D("25000000.00"),
            verdict="fail", failing=["M36B-NO-RELATED-PARTY"],
            holders=[Holding("张明", None, D("6400"), D("80")),
                     Holding(P.NORTHBRIDGE.name, None, D("1600"), D("20"))],
            explanation="The licensor's credit report shows the licensee Northbridge Therapeutics Inc. "
                        "holding 20% of it: the parties have an investment-related relationship"),
        m36b_example(
            "m36-overseas-license--down-payment-exact", remittance=exact, upfront=D("100000000.00"),
            currency="CNY", verdict="fail", failing=["M36B-DOWN-PAYMENT"],
            explanation="The down payment is exactly CNY 100,000,000.00; the measure requires more "
                        "than 100 million yuan"),
        m36b_example(
            "m36-overseas-license--down-payment-below",
            remittance=usd_remittance(D("13500000.00"), D("7.1000"), dt.date(2025, 4, 18)),
            upfront=D("13500000.00"), verdict="fail", failing=["M36B-DOWN-PAYMENT"],
            explanation="Down payment USD 13,500,000.00 at 7.1000 = CNY 95,850,000.00, not above "
                        "CNY 100,000,000.00"),
        m36b_example(
            "m36-overseas-license--paid-before-window",
            remittance=usd_remittance(D("25000000.00"), D("7.1000"), dt.date(2024, 5, 20)),
            upfront=D("25000000.00"), effective=dt.date(2024, 4, 22), verdict="fail",
            failing=["COMMON-EVENT-WINDOW"],
            explanation="The down payment was received on 2024-05-20, before the funding window "
                        "opens on 2024-06-01"),
        m36b_example(
            "m36-overseas-license--usd-only",
            remittance=usd_remittance(D("25000000.00"), None, dt.date(2025, 4, 18),
                                      credited=D("25000000.00"), credited_currency="USD"),
            upfront=D("25000000.00"), verdict="needs_review", failing=[], provisional=True,
            explanation="The down payment USD 25,000,000.00 was credited to a USD account; no "
                        "document states a CNY amount or an exchange rate, so whether it exceeds "
                        f"CNY 100 million needs a person; provisional: {share}"),
    ]


# ---------------------------------------------------------------------------------------
# m37: international exhibitions (50% of spending, cap 50,000 per event, 500,000 per year)
# ---------------------------------------------------------------------------------------

M37_EVENT = "2025 BIO International Convention"


def m37_documents(a: P.Company) -> list[Made]:
    record = docs.exhibition_record(
        a, event=M37_EVENT, start=dt.date(2025, 6, 16), days=4,
        venue="Boston Convention and Exhibition Center, Boston, MA, USA", booth="#2417",
        fee=D("7200.00"))
    bills = [
        (P.BOZHAN_EXPO, "25312000000051002387", dt.date(2025, 6, 25),
         [InvoiceLine("*会展服务*BIO国际大会展位费", "项", 1, D("52000.00"))]),
        (P.BOZHAN_EXPO, "25312000000051002388", dt.date(2025, 6, 25),
         [InvoiceLine("*物流辅助服务*展品国际运输费", "项", 1, D("12000.00"))]),
        (P.DONGHANG_TRAVEL, "25312000000051377410", dt.date(2025, 6, 28),
         [InvoiceLine("*旅游服务*参展人员机票及住宿代订", "人次", 4, D("22000.00"))]),
    ]
    out = [licence(a), made("exhibitor-confirmation.pdf", "exhibition_record", record)]
    for number, (seller, invoice_no, issued, lines) in enumerate(bills, start=1):
        out.append(made(f"invoice-{number}.pdf", "invoice", docs.invoice(
            seller, a, number=invoice_no, issued=issued, lines=lines, remark=M37_EVENT)))
    return out


M37_SPENT = D("86000.00")

PRIOR_EVENTS = [
    ("2025 JPM Healthcare Week Partnering", "2025-01-20", "50000.00"),
    ("BIO-Europe Spring 2025", "2025-03-28", "50000.00"),
    ("AACR Annual Meeting 2025", "2025-05-02", "50000.00"),
    ("ASCO Annual Meeting 2025", "2025-06-10", "50000.00"),
    ("DIA Global Annual Meeting 2025", "2025-07-08", "50000.00"),
    ("Bio International Partnering Forum Singapore 2025", "2025-07-30", "50000.00"),
    ("CPHI Japan 2025", "2025-08-26", "50000.00"),
    ("ESMO Congress 2025", "2025-10-24", "50000.00"),
    ("MEDICA 2025", "2025-11-21", "50000.00"),
    ("World Vaccine Congress Europe 2025", "2025-11-28", "30000.00"),
]


def prior_awards_yaml(a: P.Company) -> str:
    """Awards already granted this year under m37 (toolkit/model/award.py `Award`)."""
    lines = ["# Awards already granted to the applicant in 2025 under measure 37 (a reviewer's file,",
             "# given with `dossier check --prior-awards prior-awards.yaml`). They sum to",
             f"# CNY {figures(sum((D(x[2]) for x in PRIOR_EVENTS), Decimal(0)))}.", ""]
    for event, granted, amount in PRIOR_EVENTS:
        lines += [f"- applicant_uscc: {a.uscc}", f"  applicant_name: {a.name}",
                  "  measure: m37-intl-exhibition", f"  year: {YEAR}", f'  amount_cny: "{amount}"',
                  f'  event: "{event}"', f"  granted: {granted}"]
    return "\n".join(lines) + "\n"


def m37_all() -> list[Example]:
    amount = eligible(M37_SPENT, D("0.5"), [D("50000.00"), D("500000.00")])
    prior = sum((D(x[2]) for x in PRIOR_EVENTS), Decimal(0))
    left = D("500000.00") - prior
    capped = eligible(M37_SPENT, D("0.5"), [D("50000.00"), left])
    return [
        Example(
            name="m37-intl-exhibition", measure="m37-intl-exhibition", item=None, applicant=P.RUILING,
            facts={"event": M37_EVENT}, documents=m37_documents(P.RUILING), verdict="pass",
            eligible_cny=plain(amount),
            explanation=f"50% of the event's invoices CNY {figures(M37_SPENT)} = CNY {figures(amount)}, "
                        "under the cap CNY 50,000.00 per event"),
        Example(
            name="m37-intl-exhibition--yearly-cap", measure="m37-intl-exhibition", item=None,
            applicant=P.RUILING, facts={"event": M37_EVENT}, documents=m37_documents(P.RUILING),
            verdict="pass", eligible_cny=plain(capped),
            check_args=["--prior-awards", "prior-awards.yaml"],
            extra_files={"prior-awards.yaml": prior_awards_yaml(P.RUILING)},
            explanation=f"50% of CNY {figures(M37_SPENT)} = CNY {figures(amount)}, but awards of "
                        f"CNY {figures(prior)} this year leave CNY {figures(left)} under the yearly "
                        f"cap CNY 500,000.00: CNY {figures(capped)}"),
        Example(
            name="m37-intl-exhibition--registered-jiangsu", measure="m37-intl-exhibition", item=None,
            applicant=P.LANAN, facts={"event": M37_EVENT}, documents=m37_documents(P.LANAN),
            verdict="fail", eligible_cny="0.00", failing_rules=["COMMON-REGISTERED-SHANGHAI"],
            explanation=f"The applicant's licence is issued by {P.LANAN.authority} with an address in "
                        "Jiangsu: it is not registered in Shanghai"),
    ]


def all_examples() -> list[Example]:
    """Every example, base items first, then the variants; sorted by folder name."""
    found = [m04_base(), m05_base(), m05_missing_audit(), m06_base(), m06_moved(), m12_base(),
             m13_base(), m13_bad_uscc(), m13_damaged(), m20_base(), m20_hospital(), m23_base(),
             m23_base(scanned=True), m24_base(), m24_product_cap(), m24_related_direct(),
             m24_related_indirect(), m29_base(), m36a_base(), m36a_no_sales(), m36a_unlisted(),
             *m36b_all(), *m37_all()]
    names = [e.name for e in found]
    if len(set(names)) != len(names):
        raise ValueError("two examples share a folder name")
    return sorted(found, key=lambda e: e.name)
