"""One builder per document kind: what an applicant would actually file.

Why this much text: a toy PDF with one line would let an extractor pass while failing on
real filings. Each builder draws the document's real furniture (letterheads, numbered
clauses, boilerplate, ruled tables, seals across signatures, page headers and footers)
and prints every value that matters with a label from toolkit/data/kinds.yaml, either as
a `label：value` line or as a ruled `label | value` row. The rows that print a value carry
the golden field (name and value as the extraction JSON gives it), so the page number in
expected.json is the page the value was really drawn on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from _gen.formats import (
    capitals,
    en_date,
    figures,
    iso,
    money,
    rmb_capitals,
    wan,
    zh_date,
)
from _gen.layout import Built, Doc, Seal, Style
from _gen.parties import Company

GREY = (0.35, 0.35, 0.35)
FEN = Decimal("0.01")


def party(role: str, company: Company) -> dict[str, Any]:
    """The golden value of a party field."""
    return {"role": role, "name": company.name, "uscc": company.uscc}


def party_block(doc: Doc, label: str, role: str, company: Company, *, en: bool = False) -> None:
    """`甲方（委托方）：name` then the party's code, address and representative."""
    doc.line(f"{label}：{company.name}" if not en else f"{label}: {company.name}",
             fields=[("party", party(role, company))], after=2)
    if en:
        if company.uscc:
            doc.line(f"Unified Social Credit Code: {company.uscc}", indent=12, after=2)
        doc.line(f"Address: {company.address}", indent=12, after=2)
        if company.legal_rep:
            doc.line(f"Legal Representative: {company.legal_rep}", indent=12, after=8)
        return
    if company.uscc:
        doc.line(f"统一社会信用代码：{company.uscc}", indent=21, after=2)
    doc.line(f"住所：{company.address}", indent=21, after=2)
    if company.legal_rep:
        doc.line(f"法定代表人：{company.legal_rep}", indent=21, after=8)


def clauses(doc: Doc, items: list[tuple[str, list[str]]]) -> None:
    """Numbered contract clauses: a heading line, then its paragraphs."""
    for heading, paragraphs in items:
        doc.line(heading, bold=True, after=3, keep_with_next=True)
        for text in paragraphs:
            doc.para(text)


def qr_block(doc: Doc, seed: str) -> None:
    """A QR-like block at the top right, as printed on licences and e-invoices."""
    import hashlib

    bits = hashlib.sha256(seed.encode()).digest()

    def draw(c: Any, top: float) -> None:
        size, cell = 21, 2.6
        x0, y0 = 470.0, top + 40
        c.setFillColorRGB(0, 0, 0)
        for row in range(size):
            for col in range(size):
                byte = bits[(row * size + col) // 8 % len(bits)]
                corner = (row < 7 and col < 7) or (row < 7 and col >= size - 7) or (
                    row >= size - 7 and col < 7)
                on = (byte >> ((row * size + col) % 8)) & 1
                if corner:
                    ring = min(row % 14, col % 14, 6 - row % 14 if row < 7 else row - (size - 7),
                               6 - col % 14 if col < 7 else col - (size - 7))
                    on = int(ring != 1)
                if on:
                    c.rect(x0 + col * cell, y0 - row * cell, cell, cell, stroke=0, fill=1)

    from _gen.layout import Row

    doc.add(Row(0.0, draw))


# ---------------------------------------------------------------------------------------
# registration documents
# ---------------------------------------------------------------------------------------

def business_license(company: Company) -> Built:
    """营业执照（副本）: the fields of the licence, the registering authority's seal."""
    doc = Doc(Style(lang="zh", footer=False, frame=True, size=11))
    doc.space(10)
    qr_block(doc, company.name)
    doc.title("营业执照", size=30, after=4)
    doc.line("（副本）", align="center", size=12, after=6)
    doc.line("副本编号：1-1", align="right", size=9, key=True, after=10)
    doc.line(f"统一社会信用代码：{company.uscc}", size=11.5, fields=[("uscc", company.uscc)], after=14)
    doc.line(f"名称：{company.name}", fields=[("company_name", company.name)], after=9)
    doc.line(f"类型：{company.entity_type}", fields=[("entity_type", company.entity_type)], after=9)
    doc.line(f"法定代表人：{company.legal_rep}",
             fields=[("legal_representative", company.legal_rep)], after=9)
    cap_wan = company.capital / Decimal(10000)
    doc.line(f"注册资本：人民币{cap_wan:.4f}万元整",
             fields=[("registered_capital", money(company.capital))], after=9)
    est = company.established
    doc.line(f"成立日期：{est.year}年{est.month:02d}月{est.day:02d}日",
             fields=[("established_date", iso(est))], after=9)
    doc.line(f"住所：{company.address}", fields=[("registered_address", company.address)], after=9)
    doc.line(f"经营范围：{company.scope}", fields=[("business_scope", company.scope)], after=3)
    doc.line("（依法须经批准的项目，经相关部门批准后方可开展经营活动）", size=9.5, indent=55, after=40)
    doc.line(f"登记机关：{company.authority}",
             fields=[("registration_authority", company.authority)], indent=200, after=6)
    issued = company.licence_issued
    doc.line(f"发照日期：{zh_date(issued)}", fields=[("issue_date", iso(issued))], indent=200, after=12)
    doc.line("国家企业信用信息公示系统网址：https://www.gsxt.gov.cn", size=8.5, after=3)
    doc.stamp(Seal(company.authority, "登记专用章", cx=430, dy=48, radius=44))
    doc.line("市场主体应当于每年1月1日至6月30日通过国家企业信用信息公示系统报送公示年度报告。", size=8.5,
             after=3)
    doc.line("国家市场监督管理总局监制", size=8.5, align="center", after=2)
    return doc.build()


def institution_certificate(company: Company, sponsor: str) -> Built:
    """事业单位法人证书（副本）: a public institution's registration certificate."""
    doc = Doc(Style(lang="zh", footer=False, frame=True, size=11))
    doc.space(10)
    qr_block(doc, company.name)
    doc.title("事业单位法人证书", size=26, after=4)
    doc.line("（副本）", align="center", size=12, after=16)
    doc.line(f"统一社会信用代码：{company.uscc}", size=11.5, fields=[("uscc", company.uscc)], after=14)
    doc.line(f"名称：{company.name}", fields=[("company_name", company.name)], after=9)
    doc.line(f"宗旨和业务范围：{company.scope}", fields=[("business_scope", company.scope)], after=9)
    doc.line(f"住所：{company.address}", fields=[("registered_address", company.address)], after=9)
    doc.line(f"法定代表人：{company.legal_rep}",
             fields=[("legal_representative", company.legal_rep)], after=9)
    doc.line(f"开办资金：人民币{company.capital / Decimal(10000):.0f}万元", after=9)
    doc.line("经费来源：财政补助", after=9)
    doc.line(f"举办单位：{sponsor}", fields=[("sponsor", sponsor)], after=9)
    doc.line("有效期：自2023年12月28日至2028年12月31日", after=40)
    doc.line(f"登记管理机关：{company.authority}",
             fields=[("registration_authority", company.authority)], indent=170, after=6)
    issued = company.licence_issued
    doc.line(f"发证日期：{zh_date(issued)}", fields=[("issue_date", iso(issued))], indent=170, after=12)
    doc.line("事业单位法人应当于每年3月31日前通过登记管理机关网站报送上一年度报告。", size=8.5, after=3)
    doc.stamp(Seal(company.authority, "登记专用章", cx=430, dy=48, radius=44))
    doc.line("国家事业单位登记管理局监制", size=8.5, align="center", after=2)
    return doc.build()


@dataclass
class Holding:
    """One shareholder row: who, their code, subscribed capital (万元) and share."""

    name: str
    uscc: str | None
    subscribed_wan: Decimal
    pct: Decimal


def credit_report(company: Company, holdings: list[Holding], report_date: dt.date) -> Built:
    """企业信用信息报告: registration facts and the shareholder table, three sections."""
    doc = Doc(Style(lang="zh", header="企业信用信息报告", header_right=company.name))
    doc.title("企业信用信息报告", size=20, after=6)
    doc.line("（本报告根据国家企业信用信息公示系统公示信息生成）", align="center", size=9, after=10)
    doc.line(f"报告日期：{zh_date(report_date)}", fields=[("report_date", iso(report_date))], after=4)
    doc.line(f"报告编号：XY{report_date:%Y%m%d}{abs(hash_int(company.name)) % 1000000:06d}", after=12)
    doc.line("一、基本信息", bold=True, size=12, after=6)
    doc.line(f"企业名称：{company.name}", fields=[("company_name", company.name)], after=4)
    doc.line(f"统一社会信用代码：{company.uscc}", fields=[("uscc", company.uscc)], after=4)
    doc.line(f"法定代表人：{company.legal_rep}", after=4)
    doc.line("登记状态：存续（在营、开业、在册）", after=4)
    doc.line(f"成立日期：{zh_date(company.established)}", after=4)
    doc.line(f"注册资本：{company.capital / Decimal(10000):,.2f}万元人民币", after=4)
    doc.line(f"住所：{company.address}", after=4)
    doc.line(f"登记机关：{company.authority}", after=12)
    doc.line("二、股东及出资信息", bold=True, size=12, after=6)
    rows = [["股东名称", "统一社会信用代码", "认缴出资额（万元）", "出资比例"]]
    fields: dict[int, list[tuple[str, Any]]] = {}
    for number, holding in enumerate(holdings, start=1):
        rows.append([holding.name, holding.uscc or "—", f"{holding.subscribed_wan:,.2f}",
                     f"{holding.pct:.2f}%"])
        fields[number] = [("shareholder", {"name": holding.name, "uscc": holding.uscc,
                                           "share_pct": f"{holding.pct:.2f}"})]
    total = sum((h.subscribed_wan for h in holdings), Decimal(0))
    rows.append(["合计", "", f"{total:,.2f}", "100.00%"])
    doc.table(rows, [190, 140, 100, 70], align=["left", "left", "right", "right"], row_fields=fields)
    doc.line("三、主要人员信息", bold=True, size=12, after=6)
    doc.table([["姓名", "职务"], [company.legal_rep, "执行董事兼总经理"], ["王雪", "监事"],
               ["林涛", "财务负责人"]], [200, 300])
    doc.line("四、行政处罚及经营异常信息", bold=True, size=12, after=6)
    doc.para("经查询，截至报告日期，该企业无行政处罚信息，未被列入经营异常名录，"
             "未被列入严重违法失信名单（黑名单）。")
    doc.para("说明：本报告内容来源于国家企业信用信息公示系统及相关部门公示信息，"
             "仅供参考。报告使用人应结合其他信息独立判断，本报告不构成任何担保或承诺。")
    return doc.build()


def shareholder_register_en(company: Company, holdings: list[Holding], report_date: dt.date,
                            registry: str) -> Built:
    """An overseas party's shareholder register (certified extract), in English."""
    doc = Doc(Style(lang="en", header="Certified Shareholder Register Extract",
                    header_right=company.name))
    doc.title("SHAREHOLDER REGISTER", size=18, after=4)
    doc.line("Certified extract for the purpose of a related-party review", align="center",
             size=9.5, after=14)
    doc.line(f"Company Name: {company.name}", fields=[("company_name", company.name)], after=4)
    doc.line(f"Registered Office: {company.address}", after=4)
    doc.line(f"Registry: {registry}", after=4)
    doc.line(f"Report Date: {en_date(report_date)}", fields=[("report_date", iso(report_date))],
             after=14)
    rows = [["Shareholder", "Registration No.", "Shares Held", "Shareholding"]]
    fields: dict[int, list[tuple[str, Any]]] = {}
    for number, holding in enumerate(holdings, start=1):
        shares = (holding.subscribed_wan * 10000).to_integral_value()
        rows.append([holding.name, holding.uscc or "n/a", f"{shares:,}", f"{holding.pct:.2f}%"])
        fields[number] = [("shareholder", {"name": holding.name, "uscc": holding.uscc,
                                           "share_pct": f"{holding.pct:.2f}"})]
    doc.table(rows, [200, 120, 100, 80], align=["left", "left", "right", "right"], row_fields=fields)
    doc.para("We certify that the above is a true and complete extract of the register of members "
             "of the Company as of the Report Date, and that no shares are held on trust for, or "
             "under any nominee arrangement with, any other person.", latin="Times-Roman")
    doc.space(14)
    doc.line("/s/ Margaret A. Lowell", latin="Times-Italic", after=2)
    doc.line("Margaret A. Lowell, Corporate Secretary", latin="Times-Roman", after=2)
    return doc.build()


def hash_int(text: str) -> int:
    """A stable integer from text (Python's hash() is salted per process)."""
    import hashlib

    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:6], "big")


def related_party_declaration(declarant: Company, counterpart: Company, subject: str,
                              day: dt.date, *, cosigner: Company | None = None) -> Built:
    """无关联关系承诺书, signed and sealed by the declarant (and the counterpart if given)."""
    doc = Doc(Style(lang="zh"))
    doc.title("无关联关系承诺书", size=20, after=16)
    doc.line(f"承诺方：{declarant.name}", fields=[("party", party("declarant", declarant))], after=2)
    doc.line(f"统一社会信用代码：{declarant.uscc}", indent=21, after=10)
    doc.para(f"本公司就{subject}事宜，向上海市相关主管部门郑重承诺如下：")
    doc.line(f"一、本公司与{counterpart.name}之间不存在关联关系，", fields=[("statement", "不存在关联关系")],
             after=2)
    doc.para("即双方之间不存在直接或间接的投资关系：任何一方均未直接或通过其他企业间接持有另一方的股权"
             "或出资份额，双方不存在共同的控股股东或实际控制人，亦不存在其他可能导致利益转移的安排。")
    doc.para("二、本公司已如实提供双方的企业信用信息报告（或股东名册），所提供材料真实、准确、完整。")
    doc.para("三、如本承诺与事实不符，本公司愿意退回已获得的全部支持资金，并承担相应法律责任。")
    doc.space(8)
    doc.line(f"承诺日期：{zh_date(day)}", fields=[("signing_date", iso(day))], after=20)
    right = [f"相对方（盖章）：{cosigner.name}", ""] if cosigner else []
    doc.signatures([f"承诺单位（盖章）：{declarant.name}", "", "法定代表人（签字）：", ""],
                   right + ([] if not cosigner else ["授权代表（签字）：", ""]),
                   seal_left=Seal(declarant.name, "合同专用章"),
                   seal_right=Seal(cosigner.name, "") if cosigner and cosigner.uscc else None)
    return doc.build()


# ---------------------------------------------------------------------------------------
# contracts
# ---------------------------------------------------------------------------------------

def cmo_contract(client: Company, cmo: Company, *, product: str, strength: str, contract_no: str,
                 amount: Decimal, signed: dt.date, place: str) -> Built:
    """药品委托生产合同: parties, ten numbered clauses, a batch plan, sealed signatures."""
    doc = Doc(Style(lang="zh", header="药品委托生产合同", header_right=f"{client.name} / {cmo.name}"))
    doc.title("药品委托生产合同", size=20, after=14)
    doc.line(f"合同编号：{contract_no}", fields=[("contract_no", contract_no)], after=3)
    doc.line(f"签订日期：{zh_date(signed)}", fields=[("signing_date", iso(signed))], after=3)
    doc.line(f"签订地点：{place}", after=12)
    party_block(doc, "甲方（委托方）", "commissioning_party", client)
    party_block(doc, "乙方（受托方）", "cmo", cmo)
    doc.para("根据《中华人民共和国民法典》《中华人民共和国药品管理法》《药品生产监督管理办法》及"
             "《药品委托生产质量协议指南》等法律法规的规定，甲乙双方本着平等互利、诚实信用的原则，"
             "就甲方委托乙方生产药品事宜，经友好协商，达成如下协议，以资共同遵守。")
    clauses(doc, [
        ("第一条 委托生产品种", [
            "甲方委托乙方生产下列药品，乙方同意按照本合同及双方签订的质量协议的约定进行受托生产："]),
    ])
    doc.line(f"产品名称：{product}", indent=21, fields=[("product", product)], after=2)
    doc.line(f"规格：{strength}", indent=21, after=2)
    doc.line("剂型：片剂（薄膜衣片）", indent=21, after=2)
    doc.line("药品上市许可持有人：甲方", indent=21, after=6)
    clauses(doc, [
        ("第二条 质量标准", [
            "乙方应严格按照国家药品监督管理部门核准的药品注册标准、生产工艺和《药品生产质量管理规范》"
            "（GMP）组织生产，确保每一批次产品符合放行标准。甲方负责产品的上市放行，乙方负责产品的出厂放行。",
            "双方另行签订《药品委托生产质量协议》，质量协议是本合同不可分割的组成部分；"
            "质量协议与本合同约定不一致的，涉及质量的事项以质量协议为准。"]),
        ("第三条 生产计划与数量", [
            "甲方应于每季度开始前三十日向乙方提供书面生产计划，乙方确认后按计划安排生产。"
            "本合同期内的预计生产批次如下表（以双方确认的订单为准）："]),
    ])
    doc.table([["季度", "批次数", "每批批量（万片）", "预计交付时间"],
               ["第一季度", "6", "120", "每季度末月25日前"],
               ["第二季度", "8", "120", "每季度末月25日前"],
               ["第三季度", "8", "120", "每季度末月25日前"],
               ["第四季度", "6", "120", "每季度末月25日前"]],
              [80, 60, 110, 150], align=["left", "right", "right", "left"])
    clauses(doc, [
        ("第四条 合同价款", [
            "本合同项下委托生产服务费按实际交付并经甲方验收合格的批次结算，预计合同总价如下，"
            "最终以双方确认的结算单为准。"]),
    ])
    doc.line(f"合同总价：{rmb_capitals(amount)}", indent=21,
             fields=[("contract_amount", money(amount))], after=6)
    clauses(doc, [
        ("第五条 付款方式", [
            "甲方应于每批产品验收合格并收到乙方开具的增值税专用发票后三十日内，将该批次服务费支付至乙方"
            "指定账户。逾期付款的，每逾期一日，甲方应按逾期金额的万分之三向乙方支付违约金。"]),
        ("第六条 双方的权利与义务", [
            "甲方作为药品上市许可持有人，对委托生产药品的质量承担主体责任，应向乙方提供生产所需的"
            "技术资料、质量标准及工艺规程，并对乙方的质量管理体系进行审核。",
            "乙方应具备相应的药品生产许可证和生产条件，按照GMP要求组织生产，如实记录生产和检验数据，"
            "接受甲方及药品监督管理部门的检查，不得将受托生产的药品转委托第三方生产。"]),
        ("第七条 知识产权与保密", [
            "甲方提供的技术资料、处方工艺及与本合同有关的商业信息均属甲方的商业秘密，乙方应严格保密，"
            "未经甲方书面同意不得向任何第三方披露或用于本合同以外的目的。保密义务在本合同终止后五年内持续有效。"]),
        ("第八条 违约责任", [
            "任何一方违反本合同约定的，应承担违约责任，赔偿对方因此遭受的全部直接损失。"
            "因乙方原因导致产品质量不合格的，乙方应免费重新生产并承担相应的检验、运输及销毁费用。"]),
        ("第九条 争议解决", [
            "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，"
            "任何一方均可向乙方所在地有管辖权的人民法院提起诉讼。"]),
        ("第十条 不可抗力", [
            "因地震、台风、水灾、火灾、战争、疫情以及政府行为等不能预见、不能避免并不能克服的客观情况，"
            "致使一方不能履行或不能完全履行本合同的，该方应在事件发生后七日内书面通知对方，并提供有关证明。"
            "受影响一方在不可抗力影响范围内免除责任，但应采取合理措施减少损失。"]),
        ("第十一条 通知与送达", [
            "本合同项下的通知应以书面形式送达本合同首部所列地址。任何一方变更地址的，应提前七日书面通知对方；"
            "未通知的，按原地址送达即视为有效送达。"]),
        ("第十二条 其他", [
            "本合同有效期自签订之日起三年。本合同一式肆份，甲乙双方各执贰份，具有同等法律效力。"
            "本合同自双方法定代表人或授权代表签字并加盖公章或合同专用章之日起生效。"]),
    ])
    doc.line("附件一：批次放行检验项目", bold=True, after=4, keep_with_next=True)
    doc.table([["检验项目", "标准依据", "检验方", "放行责任"],
               ["性状、鉴别", "国家药品标准", "乙方", "出厂放行"],
               ["有关物质", "注册标准", "乙方", "出厂放行"],
               ["溶出度", "注册标准", "乙方", "出厂放行"],
               ["含量测定", "注册标准", "乙方/甲方复核", "上市放行"],
               ["微生物限度", "中国药典四部", "乙方", "出厂放行"]],
              [120, 120, 120, 120])
    doc.space(10)
    doc.line("（以下无正文，为签署页）", align="center", size=9.5, after=14)
    doc.signatures(
        [f"甲方（盖章）：{client.name}", "法定代表人或授权代表（签字）：", "", f"日期：{zh_date(signed)}"],
        [f"乙方（盖章）：{cmo.name}", "法定代表人或授权代表（签字）：", "", f"日期：{zh_date(signed)}"],
        seal_left=Seal(client.name, "合同专用章"), seal_right=Seal(cmo.name, "合同专用章"))
    return doc.build()


def license_agreement(licensor: Company, licensee: Company, *, agreement_no: str, product: str,
                      product_desc: str, territory: str, upfront: Decimal, currency: str,
                      total: Decimal, effective: dt.date) -> Built:
    """An English exclusive licence agreement: articles, financial terms, signatures."""
    doc = Doc(Style(lang="en", latin="Times-Roman", latin_bold="Times-Bold", size=10.5,
                    header="EXCLUSIVE LICENSE AGREEMENT", header_right=agreement_no))
    doc.title("EXCLUSIVE LICENSE AGREEMENT", size=18, after=12)
    doc.line(f"Agreement No.: {agreement_no}", fields=[("contract_no", agreement_no)], after=3)
    doc.line(f"Effective Date: {en_date(effective)}", fields=[("signing_date", iso(effective))],
             after=12)
    doc.para("This Exclusive License Agreement (the \"Agreement\") is entered into as of the Effective "
             "Date by and between:")
    party_block(doc, "Licensor", "licensor", licensor, en=True)
    party_block(doc, "Licensee", "licensee", licensee, en=True)
    doc.para("WHEREAS, Licensor has developed and controls certain patents, know-how and regulatory "
             "materials relating to the Licensed Product; and WHEREAS, Licensee wishes to obtain, and "
             "Licensor is willing to grant, an exclusive license to develop, manufacture and "
             "commercialize the Licensed Product in the Territory, on the terms set out below.")
    doc.line("ARTICLE 1 DEFINITIONS", bold=True, after=4, keep_with_next=True)
    doc.line(f"Licensed Product: {product}", fields=[("product", product)], after=2)
    doc.para(f"1.1 \"Licensed Product\" means {product_desc}, in any formulation, dosage or "
             "presentation, including any improvement thereof controlled by Licensor.")
    doc.para("1.2 \"Net Sales\" means the gross amounts invoiced by Licensee, its affiliates and "
             "sublicensees for the Licensed Product, less customary deductions in accordance with "
             "US GAAP consistently applied.")
    doc.line("ARTICLE 2 GRANT OF LICENSE", bold=True, after=4, keep_with_next=True)
    doc.line(f"Territory: {territory}", fields=[("territory", territory)], after=2)
    doc.para("2.1 Licensor hereby grants to Licensee an exclusive, royalty-bearing license, with the "
             "right to sublicense, under the Licensor Patents and Licensor Know-How to develop, "
             "manufacture and commercialize the Licensed Product in the Territory.")
    doc.para("2.2 Licensor retains all rights to the Licensed Product in mainland China, the Hong Kong "
             "SAR, the Macau SAR and Taiwan region.")
    doc.line("ARTICLE 3 FINANCIAL TERMS", bold=True, after=4, keep_with_next=True)
    doc.line(f"Upfront Payment: {currency} {figures(upfront)}",
             fields=[("down_payment", money(upfront, currency))], after=2)
    doc.para("3.1 Within thirty (30) days after the Effective Date, Licensee shall pay Licensor the "
             "non-refundable, non-creditable Upfront Payment stated above by wire transfer to the "
             "account designated by Licensor.")
    doc.line(f"Total Deal Value: {currency} {figures(total)}",
             fields=[("total_value", money(total, currency))], after=2)
    doc.para("3.2 Licensee shall pay the following development and regulatory milestone payments, "
             "each payable once upon first achievement:")
    doc.table([["Milestone event", f"Amount ({currency})"],
               ["First patient dosed in a Phase 3 trial", figures(upfront * Decimal("0.8"))],
               ["Acceptance of a BLA by the US FDA", figures(upfront * Decimal("1.2"))],
               ["First commercial sale in the United States", figures(upfront * 2)]],
              [320, 160], align=["left", "right"])
    doc.para("3.3 Licensee shall pay tiered royalties of eight percent (8%) to fourteen percent (14%) "
             "on annual Net Sales. All payments are exclusive of value-added tax; each party bears "
             "its own taxes as required by applicable law.")
    for heading, text in (
        ("ARTICLE 4 DILIGENCE", "Licensee shall use commercially reasonable efforts to develop and "
         "obtain regulatory approval for the Licensed Product in the United States, the European "
         "Union and Japan, and shall report its progress to the Joint Steering Committee quarterly."),
        ("ARTICLE 5 INTELLECTUAL PROPERTY", "Licensor shall prosecute and maintain the Licensor "
         "Patents at its own cost. Each party shall promptly notify the other of any suspected "
         "infringement of the Licensor Patents in the Territory."),
        ("ARTICLE 6 CONFIDENTIALITY", "Each party shall keep the other party's Confidential "
         "Information in confidence during the term and for seven (7) years thereafter, and shall "
         "not use it for any purpose other than this Agreement."),
        ("ARTICLE 7 REPRESENTATIONS", "Each party represents that it is not an affiliate of the "
         "other, that neither party holds any equity interest in the other, directly or indirectly, "
         "and that this Agreement was negotiated at arm's length."),
        ("ARTICLE 8 TERM AND TERMINATION", "This Agreement remains in force until the expiry of "
         "the last royalty term in the Territory. Either party may terminate it upon a material "
         "breach not cured within ninety (90) days after written notice. Licensee may terminate it "
         "for convenience upon one hundred eighty (180) days' written notice; the Upfront Payment is "
         "not refundable in any case."),
        ("ARTICLE 9 NOTICES", "All notices shall be in writing in English and delivered by courier "
         "or e-mail to the addresses first written above, to the attention of the Chief Executive "
         "Officer of the receiving party, with a copy to its general counsel."),
        ("ARTICLE 10 GOVERNING LAW", "This Agreement is governed by the laws of the State of New "
         "York. Any dispute shall be finally settled by arbitration administered by the Hong Kong "
         "International Arbitration Centre."),
    ):
        doc.line(heading, bold=True, after=4, keep_with_next=True)
        doc.para(text)
    doc.space(10)
    doc.line("IN WITNESS WHEREOF, the parties have executed this Agreement by their duly authorized",
             after=2)
    doc.line("representatives as of the Effective Date.", after=16)
    doc.signatures(
        [f"LICENSOR: {licensor.name}", f"By: {licensor.legal_rep}", "Title: Chairman", "(company seal)"],
        [f"LICENSEE: {licensee.name}", f"By: {licensee.legal_rep}", "Title: Chief Executive Officer",
         ""],
        seal_left=Seal(licensor.name, "合同专用章"))
    return doc.build()


def service_contract(client: Company, provider: Company, *, title: str, contract_no: str,
                     project: str, fee: Decimal, signed: dt.date, scope: list[str],
                     deliverables: list[list[str]]) -> Built:
    """A Chinese service contract (technical, legal or advisory services)."""
    doc = Doc(Style(lang="zh", header=title, header_right=contract_no))
    doc.title(title, size=20, after=14)
    doc.line(f"合同编号：{contract_no}", fields=[("contract_no", contract_no)], after=3)
    doc.line(f"签订日期：{zh_date(signed)}", fields=[("signing_date", iso(signed))], after=12)
    party_block(doc, "甲方（委托方）", "client", client)
    party_block(doc, "乙方（服务方）", "provider", provider)
    doc.para("甲乙双方根据《中华人民共和国民法典》的规定，经平等协商，就甲方委托乙方提供专业服务事宜"
             "订立本合同，双方共同遵守。")
    doc.line("第一条 服务项目", bold=True, after=3, keep_with_next=True)
    doc.line(f"项目名称：{project}", indent=21, fields=[("project", project)], after=4)
    doc.line("第二条 服务内容", bold=True, after=3, keep_with_next=True)
    for number, text in enumerate(scope, start=1):
        doc.para(f"{number}. {text}")
    doc.line("第三条 交付成果与进度", bold=True, after=3, keep_with_next=True)
    doc.table([["序号", "交付成果", "交付时间"], *deliverables], [40, 300, 120])
    doc.line("第四条 服务费用", bold=True, after=3, keep_with_next=True)
    doc.line(f"服务费：{rmb_capitals(fee)}", indent=21, fields=[("service_fee", money(fee))], after=3)
    doc.para("上述服务费为含税价，包含乙方完成本合同服务所需的全部费用。甲方在收到乙方开具的合法有效发票后"
             "十五个工作日内支付相应款项。")
    for heading, text in (
        ("第五条 保密", "乙方对在服务过程中知悉的甲方技术信息和经营信息负有保密义务，未经甲方书面同意，"
         "不得向任何第三方披露。本条在合同终止后继续有效。"),
        ("第六条 知识产权", "乙方在履行本合同过程中形成的工作成果，其知识产权归甲方所有，法律另有规定"
         "或双方另有约定的除外。"),
        ("第七条 违约责任与争议解决", "任何一方违约的，应赔偿对方因此造成的直接损失。因本合同发生的争议，"
         "双方协商解决；协商不成的，提交上海仲裁委员会按其仲裁规则仲裁。"),
        ("第八条 其他", "本合同一式贰份，双方各执壹份，自双方签字盖章之日起生效。"),
    ):
        doc.line(heading, bold=True, after=3, keep_with_next=True)
        doc.para(text)
    doc.space(16)
    doc.signatures(
        [f"甲方（盖章）：{client.name}", "授权代表（签字）：", "", f"日期：{zh_date(signed)}"],
        [f"乙方（盖章）：{provider.name}", "授权代表（签字）：", "", f"日期：{zh_date(signed)}"],
        seal_left=Seal(client.name, "合同专用章") if client.uscc else None,
        seal_right=Seal(provider.name, "合同专用章"))
    return doc.build()


# ---------------------------------------------------------------------------------------
# money documents
# ---------------------------------------------------------------------------------------

@dataclass
class Remittance:
    """What a bank's inward-remittance advice shows."""

    payer: Company
    payee: Company
    amount: Decimal
    currency: str
    rate: Decimal | None
    credited: Decimal | None
    credited_currency: str
    value_date: dt.date
    purpose: str
    reference: str


def payment_receipt(r: Remittance, bank: str = "浦江商业银行上海张江支行") -> Built:
    """境外汇款入账通知: the bank's advice as a ruled label | value table, bank seal."""
    doc = Doc(Style(lang="zh", header=bank, header_right="电子回单"))
    doc.title("境外汇款入账通知", size=18, after=4)
    doc.line("INWARD REMITTANCE CREDIT ADVICE", align="center", size=9, latin="Helvetica", after=12)
    rows: list[list[str]] = [["项目", "内容"]]
    fields: dict[int, list[tuple[str, Any]]] = {}

    def add(label: str, value: str, *found: tuple[str, Any]) -> None:
        rows.append([label, value])
        if found:
            fields[len(rows) - 1] = list(found)

    add("业务编号", r.reference)
    add("汇款人", r.payer.name, ("party", party("payer", r.payer)))
    add("汇出地址", r.payer.address)
    add("汇款行", "JPMorgan Chase Bank, N.A., New York" if r.currency == "USD" else "汇丰银行（中国）有限公司")
    add("收款人", r.payee.name, ("party", {**party("payee", r.payee), "uscc": None}))  # a receipt shows no code
    add("入账账号", "3101 0468 2200 5187 36")
    add("汇款金额", f"{r.currency} {figures(r.amount)}", ("amount", money(r.amount, r.currency)))
    if r.rate is not None:
        add("结汇汇率", f"{r.rate:.4f}", ("exchange_rate", f"{r.rate:.4f}"))
    if r.credited is not None:
        add("入账金额", f"{r.credited_currency} {figures(r.credited)}",
            ("credited_amount", money(r.credited, r.credited_currency)))
        if r.credited_currency == "CNY":
            add("大写金额", f"人民币{capitals(r.credited)}")
    add("起息日", iso(r.value_date), ("value_date", iso(r.value_date)))
    add("附言", r.purpose, ("purpose", r.purpose))
    doc.table(rows, [110, 373], size=10, row_fields=fields)
    doc.para("本回单为银行电子回单，可通过本行网上银行或柜面进行验证。同一笔业务重复打印的回单内容一致，"
             "请勿重复记账。", size=9)
    doc.space(20)
    doc.line(f"打印日期：{zh_date(r.value_date + dt.timedelta(days=3))}", size=9, after=3, key=True)
    doc.line("验证码：7Q3K-96MZ-T2WD", size=9, after=3)
    doc.line("经办：柜员A026　复核：B113", size=9, after=40)
    doc.stamp_below(Seal(bank, "电子回单专用章", cx=430, radius=40))
    return doc.build()


@dataclass
class InvoiceLine:
    """One line of an invoice: the item and its total including VAT."""

    item: str
    unit: str
    qty: int
    total: Decimal


def invoice(seller: Company, buyer: Company, *, number: str, issued: dt.date,
            lines: list[InvoiceLine], rate: Decimal = Decimal("0.06"), remark: str = "") -> Built:
    """电子发票（增值税专用发票）: buyer and seller blocks, item table, 价税合计, seller's seal."""
    doc = Doc(Style(lang="zh", footer=False, size=10))
    qr_block(doc, number)
    doc.title("电子发票（增值税专用发票）", size=17, color=(0.55, 0.2, 0.1), after=6)
    doc.line(f"发票号码：{number}", fields=[("invoice_no", number)], after=3, indent=270)
    doc.line(f"开票日期：{issued.year}年{issued.month:02d}月{issued.day:02d}日",
             fields=[("issue_date", iso(issued))], after=10, indent=270)
    doc.line(f"购买方：{buyer.name}", fields=[("party", party("buyer", buyer))], after=2)
    doc.line(f"统一社会信用代码：{buyer.uscc}", indent=20, after=8)
    doc.line(f"销售方：{seller.name}", fields=[("party", party("seller", seller))], after=2)
    doc.line(f"统一社会信用代码：{seller.uscc}", indent=20, after=10)
    rows = [["项目名称", "单位", "数量", "金额", "税率", "税额"]]
    grand = Decimal(0)
    net_sum = Decimal(0)
    tax_sum = Decimal(0)
    for entry in lines:
        net = (entry.total / (1 + rate)).quantize(FEN, rounding=ROUND_HALF_UP)
        tax = entry.total - net
        rows.append([entry.item, entry.unit, str(entry.qty), figures(net), f"{rate * 100:.0f}%",
                     figures(tax)])
        grand += entry.total
        net_sum += net
        tax_sum += tax
    rows.append(["合计", "", "", f"¥{figures(net_sum)}", "", f"¥{figures(tax_sum)}"])
    doc.table(rows, [235, 32, 30, 85, 32, 75], size=8.5,
              align=["left", "center", "right", "right", "center", "right"])
    doc.line(f"价税合计（大写）{capitals(grand)}（小写）¥{figures(grand)}",
             fields=[("invoice_total", money(grand))], after=8)
    doc.line(f"备注：{remark}" if remark else "备注：", size=9, after=30)
    doc.line("开票人：李静", size=9, after=40)
    doc.stamp_below(Seal(seller.name, f"发票专用章 {seller.uscc}", cx=400, radius=38))
    doc.line("（本发票由全国统一电子发票服务平台开具）", size=8, after=3)
    return doc.build()


def premium_receipt(insurer: Company, payer: Company, *, policy_no: str, amount: Decimal,
                    paid: dt.date, number: str) -> Built:
    """保费收据: the insurer's receipt for the premium actually received."""
    doc = Doc(Style(lang="zh", footer=False))
    doc.title("保费收据", size=20, after=4)
    doc.line(f"收据编号：{number}", align="right", size=9, after=12)
    doc.line(f"保险单号：{policy_no}", fields=[("policy_no", policy_no)], after=5)
    doc.line(f"交款单位：{payer.name}", after=5)
    doc.line("险种名称：临床试验责任保险", after=5)
    doc.line(f"实收保费：¥{figures(amount)}", fields=[("premium_paid", money(amount))], after=5)
    doc.line(f"金额大写：人民币{capitals(amount)}", after=5)
    doc.line("缴费方式：银行转账", after=5)
    doc.line(f"收费日期：{zh_date(paid)}", fields=[("payment_date", iso(paid))], after=16)
    doc.para("上述保险费已如数收讫。本收据为投保人缴纳保险费的凭证，如需增值税发票，请与本公司联系开具。",
             size=9.5)
    doc.space(20)
    doc.line(f"收款单位：{insurer.name}", size=10, after=3)
    doc.line("收款人：赵敏　　复核：钱伟", size=10, after=40)
    doc.stamp_below(Seal(insurer.name, "财务专用章", cx=420, radius=40))
    return doc.build()


# ---------------------------------------------------------------------------------------
# R&D, production, finance
# ---------------------------------------------------------------------------------------

def rd_audit_report(company: Company, auditor: Company, *, project: str, total: Decimal,
                    period: str, report_no: str, day: dt.date) -> Built:
    """研发费用专项审计报告: cover, opinion, the expense table with its total, signatures."""
    doc = Doc(Style(lang="zh", header=auditor.name, header_right=report_no))
    doc.space(90)
    doc.title(auditor.name, size=16, after=40)
    doc.title("研发费用专项审计报告", size=24, after=14)
    doc.line(report_no, align="center", size=12, after=260)
    doc.line(f"被审计单位：{company.name}", align="center", size=12, after=4,
             fields=[("company_name", company.name)])
    doc.line(f"报告日期：{zh_date(day)}", align="center", size=12, fields=[("report_date", iso(day))])
    doc.page_break()
    doc.title("研发费用专项审计报告", size=16, after=6)
    doc.line(report_no, align="center", size=10, after=12)
    doc.line(f"{company.name}全体股东：", after=6)
    doc.line("一、审计意见", bold=True, after=4)
    doc.para(f"我们审计了后附的{company.name}（以下简称“贵公司”）研发费用专项明细表。我们认为，"
             "后附的研发费用专项明细表在所有重大方面按照《企业会计准则》及财政部、国家税务总局关于研发费用"
             "归集的相关规定编制，公允反映了贵公司下列研发项目在审计期间的研发投入情况。")
    doc.line(f"研发项目：{project}", fields=[("project", project)], after=3)
    doc.line(f"审计期间：{period}", fields=[("audit_period", period)], after=6)
    doc.line("二、形成审计意见的基础", bold=True, after=4)
    doc.para("我们按照中国注册会计师审计准则的规定执行了审计工作。审计报告的“注册会计师对研发费用专项"
             "明细表审计的责任”部分进一步阐述了我们在这些准则下的责任。按照中国注册会计师职业道德守则，"
             "我们独立于贵公司，并履行了职业道德方面的其他责任。我们相信，我们获取的审计证据是充分、"
             "适当的，为发表审计意见提供了基础。")
    doc.line("三、研发费用明细", bold=True, after=4)
    shares = [("人员人工费用", Decimal("0.38")), ("直接投入费用", Decimal("0.27")),
              ("折旧费用与长期待摊费用", Decimal("0.06")), ("无形资产摊销", Decimal("0.02")),
              ("委托外部研究开发费用", Decimal("0.22"))]
    rows = [["费用类别", "金额（元）", "占比"]]
    used = Decimal(0)
    for label, share in shares:
        value = (total * share).quantize(FEN, rounding=ROUND_HALF_UP)
        used += value
        rows.append([label, figures(value), f"{share * 100:.0f}%"])
    rest = total - used
    rows.append(["其他相关费用", figures(rest), f"{rest / total * 100:.0f}%"])
    rows.append(["合计", figures(total), "100%"])
    doc.table(rows, [220, 160, 80], align=["left", "right", "right"])
    doc.line(f"研发投入合计：人民币{figures(total)}元（{wan(total)}）",
             fields=[("rd_investment", money(total))], after=6)
    doc.line("四、管理层对研发费用专项明细表的责任", bold=True, after=4)
    doc.para("贵公司管理层负责按照相关规定编制研发费用专项明细表，并设计、执行和维护必要的内部控制，"
             "以使研发费用专项明细表不存在由于舞弊或错误导致的重大错报。")
    doc.line("五、注册会计师的责任", bold=True, after=4)
    doc.para("我们的目标是对研发费用专项明细表整体是否不存在由于舞弊或错误导致的重大错报获取合理保证，"
             "并出具包含审计意见的审计报告。合理保证是高水平的保证，但并不能保证按照审计准则执行的审计"
             "在某一重大错报存在时总能发现。")
    doc.space(20)
    doc.signatures([auditor.name, "", "中国·上海"],
                   ["中国注册会计师：王立新", "中国注册会计师：陈晓燕", ""],
                   seal_left=Seal(auditor.name, "", radius=44))
    return doc.build()


def production_value_statement(cmo: Company, client: Company, *, product: str, year: int,
                               batches: list[tuple[str, int, dt.date, Decimal]],
                               day: dt.date) -> Built:
    """受托生产产值情况表: batch table and the year's total production value."""
    doc = Doc(Style(lang="zh", header="受托生产产值情况表", header_right=cmo.name))
    doc.title(f"受托生产产值情况表（{year}年度）", size=17, after=12)
    doc.line(f"填报单位：{cmo.name}", fields=[("company_name", cmo.name)], after=3)
    doc.line(f"产品名称：{product}", fields=[("product", product)], after=3)
    doc.line(f"年度：{year}", fields=[("production_year", str(year))], after=3)
    doc.line(f"委托方：{client.name}", after=10)
    rows = [["序号", "生产批号", "批量（万片）", "入库日期", "产值（元）"]]
    total = Decimal(0)
    for number, (lot, size, stocked, value) in enumerate(batches, start=1):
        rows.append([str(number), lot, str(size), iso(stocked), figures(value)])
        total += value
    rows.append(["合计", "", str(sum(b[1] for b in batches)), "", figures(total)])
    doc.table(rows, [40, 110, 80, 100, 130], size=9,
              align=["center", "left", "right", "center", "right"])
    doc.line(f"受托生产产值合计：¥{figures(total)}（人民币{capitals(total)}）",
             fields=[("production_value", money(total))], after=8)
    doc.para("填报说明：产值按受托生产并经委托方验收入库的合格产品，以合同约定的受托生产单价计算，"
             "不含增值税；数据与本单位财务账簿记录一致。本单位对所填报数据的真实性负责。", size=9.5)
    doc.space(6)
    doc.line(f"填报日期：{zh_date(day)}", fields=[("statement_date", iso(day))], after=24)
    doc.signatures([f"单位（盖章）：{cmo.name}", "", "负责人签字：周立群"],
                   ["财务负责人：沈佳怡", "", "填报人：黄磊"],
                   seal_left=Seal(cmo.name, ""))
    return doc.build()


def financial_statement(company: Company, *, period: str, revenue: Decimal, assets: Decimal,
                        employees: int) -> Built:
    """财务报表 (balance sheet and income statement summary) of a small enterprise."""
    doc = Doc(Style(lang="zh", header="财务报表", header_right=company.name))
    doc.title("财务报表", size=20, after=10)
    doc.line(f"编制单位：{company.name}", fields=[("company_name", company.name)], after=3)
    doc.line(f"报告期：{period}", fields=[("period", period)], after=3)
    doc.line("货币单位：人民币元", after=10)
    doc.line("一、资产负债表（简表）", bold=True, after=4)
    liab = (assets * Decimal("0.42")).quantize(FEN)
    doc.table([["项目", "期末余额", "上年年末余额"],
               ["货币资金", figures(assets * Decimal("0.31")), figures(assets * Decimal("0.28"))],
               ["应收账款", figures(assets * Decimal("0.18")), figures(assets * Decimal("0.16"))],
               ["固定资产", figures(assets * Decimal("0.36")), figures(assets * Decimal("0.33"))],
               ["负债合计", figures(liab), figures(liab * Decimal("0.9"))]],
              [200, 140, 140], align=["left", "right", "right"])
    doc.line(f"资产总计：{figures(assets)}", fields=[("total_assets", money(assets))], after=10)
    doc.line("二、利润表（简表）", bold=True, after=4)
    doc.line(f"营业收入：{figures(revenue)}", fields=[("revenue", money(revenue))], after=4)
    doc.table([["项目", "本期金额"],
               ["营业成本", figures(revenue * Decimal("0.55"))],
               ["研发费用", figures(revenue * Decimal("0.21"))],
               ["净利润", figures(revenue * Decimal("0.07"))]],
              [240, 240], align=["left", "right"])
    doc.line("三、其他信息", bold=True, after=4)
    doc.line(f"从业人员：{employees}人", fields=[("employees", str(employees))], after=4)
    doc.para("注：上述数据摘自本单位经审计的年度财务报表，审计机构出具了标准无保留意见的审计报告。")
    doc.space(20)
    doc.signatures([f"单位负责人：{company.legal_rep}", "", ""], ["会计机构负责人：许宁", "", ""],
                   seal_left=Seal(company.name, "财务专用章"))
    return doc.build()


# ---------------------------------------------------------------------------------------
# approvals and registrations
# ---------------------------------------------------------------------------------------

def clinical_trial_approval(applicant: Company, *, acceptance_no: str, product: str,
                            category: str, phase: str, day: dt.date, notice_no: str) -> Built:
    """药物临床试验批准通知书 from the NMPA."""
    doc = Doc(Style(lang="zh", footer=False))
    doc.line("国家药品监督管理局", align="center", size=16, bold=True, color=(0.7, 0.05, 0.05), after=4)
    doc.title("药物临床试验批准通知书", size=20, after=6)
    doc.line(f"通知书编号：{notice_no}", align="right", size=10, after=12)
    rows = [["项目", "内容"]]
    fields: dict[int, list[tuple[str, Any]]] = {}

    def add(label: str, value: str, *found: tuple[str, Any]) -> None:
        rows.append([label, value])
        if found:
            fields[len(rows) - 1] = list(found)

    add("受理号", acceptance_no,
        ("acceptance_no", {"number": acceptance_no, "scheme": "nmpa_acceptance"}))
    add("药物名称", product, ("product", product))
    add("剂型", "注射剂")
    add("申请事项", "境内生产药品注册临床试验")
    add("注册分类", category, ("drug_category", category))
    add("申请人", applicant.name, ("applicant_name", applicant.name))
    add("试验分期", phase, ("trial_phase", phase))
    doc.table(rows, [110, 373], size=10, row_fields=fields)
    doc.line("审批结论：", bold=True, after=3)
    doc.para(f"根据《中华人民共和国药品管理法》及有关规定，经审查，{date_words(day)}受理的{product}"
             "符合药品注册的有关要求，同意本品开展临床试验。申请人应按照药物临床试验质量管理规范开展试验，"
             "并在临床试验登记与信息公示平台进行登记。")
    doc.para("本通知书的有效期为三年，自批准之日起计算。临床试验期间发生药物临床试验方案变更、"
             "非临床或者药学的变化或者有新发现的，申请人应当按照规定及时报告。")
    doc.space(6)
    doc.line(f"批准日期：{zh_date(day)}", fields=[("approval_date", iso(day))], indent=250, after=8)
    doc.line("抄送：上海市药品监督管理局", size=9, after=40)
    doc.stamp_below(Seal("国家药品监督管理局", "药品注册专用章", cx=420, radius=44))
    doc.line("国家药品监督管理局药品审评中心", size=9, after=3)
    return doc.build()


def date_words(day: dt.date) -> str:
    """A date as it is spelt inside running Chinese text."""
    return zh_date(day - dt.timedelta(days=60))


def registration_certificate(registrant: Company, *, number: str, product: str, model: str,
                             production_address: str, day: dt.date, use: str) -> Built:
    """中华人民共和国医疗器械注册证 (Class III, domestic)."""
    doc = Doc(Style(lang="zh", footer=False, frame=True))
    doc.space(10)
    doc.title("中华人民共和国医疗器械注册证", size=20, after=14)
    rows = [["项目", "内容"]]
    fields: dict[int, list[tuple[str, Any]]] = {}

    def add(label: str, value: str, *found: tuple[str, Any]) -> None:
        rows.append([label, value])
        if found:
            fields[len(rows) - 1] = list(found)

    add("注册证编号", number, ("registration_no", {"number": number, "scheme": "nmpa_device_domestic"}))
    add("注册人名称", registrant.name, ("registrant", registrant.name))
    add("注册人住所", registrant.address)
    add("生产地址", production_address, ("production_address", production_address))
    add("产品名称", product, ("product", product))
    add("型号、规格", model)
    add("管理类别", "第三类")
    add("适用范围", use)
    add("批准日期", zh_date(day), ("issue_date", iso(day)))
    add("有效期至", zh_date(dt.date(day.year + 5, day.month, day.day) - dt.timedelta(days=1)))
    doc.table(rows, [110, 373], size=10, row_fields=fields)
    doc.para("附件：产品技术要求。本注册证及其附件所载内容均为医疗器械注册审批的法定内容，"
             "注册人应当按照经注册的产品技术要求组织生产。", size=9.5)
    doc.space(50)
    doc.line("审批部门：国家药品监督管理局", indent=240, after=4)
    doc.stamp_below(Seal("国家药品监督管理局", "", cx=420, radius=44))
    doc.line("（医疗器械注册专用章）", indent=240, size=9, after=3)
    return doc.build()


def fda_letter(applicant: Company, *, title: str, number_label: str, number: str, scheme: str,
               product: str, established: str, day: dt.date, body: list[str]) -> Built:
    """A US FDA letter (NDA approval or IND): letterhead, references, signed body."""
    doc = Doc(Style(lang="en", latin="Times-Roman", latin_bold="Times-Bold", size=10.5))
    doc.line("DEPARTMENT OF HEALTH & HUMAN SERVICES", latin="Helvetica-Bold", size=9, after=1)
    doc.line("Food and Drug Administration", latin="Helvetica", size=9, after=1)
    doc.line("Silver Spring, MD 20993", latin="Helvetica", size=9, after=14)
    doc.line(f"{number_label} {number}", fields=[("approval_number",
                                                  {"number": f"{number_label} {number}",
                                                   "scheme": scheme})], after=4)
    doc.title(title, size=14, after=10)
    doc.line("Issued by: U.S. Food and Drug Administration", fields=[("regulator", "FDA")], after=3)
    doc.line(f"Approval Date: {en_date(day)}", fields=[("approval_date", iso(day))], after=3)
    doc.line(f"Product: {product}", fields=[("product", product)], after=3)
    doc.line(f"Established Name: {established}", after=3)
    doc.line("Jurisdiction: United States", fields=[("jurisdiction", "United States")], after=12)
    doc.line(applicant.en_name, after=2)
    doc.line("Attention: Regulatory Affairs Department", after=2)
    doc.line("c/o US Agent: Harborview Regulatory Consulting LLC, Rockville, MD 20850", after=10)
    doc.line("Dear Sir or Madam:", after=6)
    for text in body:
        doc.para(text, latin="Times-Roman")
    doc.space(14)
    doc.line("Sincerely,", after=10)
    doc.line("{See appended electronic signature page}", latin="Times-Italic", after=4)
    doc.line("Elena M. Castillo, M.D.", after=2)
    doc.line("Director, Office of Oncologic Diseases", after=2)
    doc.line("Center for Drug Evaluation and Research", after=2)
    return doc.build()


def tga_certificate(applicant: Company, *, artg: str, product: str, day: dt.date) -> Built:
    """An Australian ARTG certificate (TGA), a regulator not on measure 36a's list."""
    doc = Doc(Style(lang="en", size=10.5))
    doc.line("Australian Government", latin="Helvetica-Bold", size=10, after=1)
    doc.line("Department of Health and Aged Care", latin="Helvetica", size=9, after=1)
    doc.line("Therapeutic Goods Administration", latin="Helvetica", size=9, after=16)
    doc.title("Approval Certificate", size=16, after=2)
    doc.line("Australian Register of Therapeutic Goods (ARTG)", align="center", size=10, after=14)
    doc.line("Issued by: Therapeutic Goods Administration", fields=[("regulator", "TGA")], after=3)
    doc.line(f"Certificate No.: ARTG {artg}",
             fields=[("approval_number", {"number": f"ARTG {artg}", "scheme": "tga_artg"})], after=3)
    doc.line(f"Product: {product}", fields=[("product", product)], after=3)
    doc.line("Sponsor: Corella Pharma Pty Ltd", after=3)
    doc.line("Site of manufacture: Shanghai, China", after=3)
    doc.line(f"Date of Issue: {en_date(day)}", fields=[("approval_date", iso(day))], after=3)
    doc.line("Jurisdiction: Australia", fields=[("jurisdiction", "Australia")], after=12)
    doc.para("This certificate confirms that the therapeutic good described above is included in the "
             "Australian Register of Therapeutic Goods as a registered prescription medicine under "
             "section 25 of the Therapeutic Goods Act 1989, subject to the standard and specific "
             "conditions of registration set out in the attached schedule.")
    doc.para("The sponsor must notify the TGA of any change to the information on which registration "
             "is based, and must report adverse events in accordance with the applicable guidelines.")
    doc.space(16)
    doc.line("Delegate of the Secretary", latin="Times-Italic", after=2)
    doc.line("Prescription Medicines Authorisation Branch", after=2)
    return doc.build()


def sales_confirmation(seller: Company, *, distributor: str, address: str, product: str, country: str,
                       shipments: list[tuple[str, dt.date, int, Decimal]], currency: str,
                       day: dt.date) -> Built:
    """A distributor's sales confirmation for the overseas market."""
    doc = Doc(Style(lang="en", size=10.5))
    doc.line(distributor, latin="Helvetica-Bold", size=13, after=1)
    doc.line(address, latin="Helvetica", size=8.5, after=16)
    doc.title("SALES CONFIRMATION", size=16, after=12)
    doc.line(en_date(day), after=8)
    doc.line(f"To: {seller.en_name}", after=10)
    doc.line(f"Product: {product}", fields=[("product", product)], after=3)
    doc.line(f"Country: {country}", fields=[("jurisdiction", country)], after=8)
    rows = [["Invoice No.", "Date of Shipment", "Units Sold", f"Amount ({currency})"]]
    total = Decimal(0)
    for invoice_no, shipped, units, amount in shipments:
        rows.append([invoice_no, iso(shipped), f"{units:,}", figures(amount)])
        total += amount
    doc.table(rows, [110, 120, 90, 140], align=["left", "left", "right", "right"])
    first = shipments[0][1]
    doc.line(f"Net Sales: {currency} {figures(total)}", fields=[("sales_amount", money(total, currency))],
             after=3)
    doc.line(f"Date of Shipment: {en_date(first)} (first commercial shipment)",
             fields=[("sales_date", iso(first))], after=10)
    doc.para(f"We hereby confirm that the above quantities of {product} supplied by "
             f"{seller.en_name} were sold by us to wholesalers and specialty pharmacies in the "
             f"{country} market in the ordinary course of business, and that the amounts shown are "
             "net of returns, chargebacks and rebates.")
    doc.space(14)
    doc.line("/s/ Thomas J. Brennan", latin="Times-Italic", after=2)
    doc.line("Thomas J. Brennan, Vice President, Trade Operations", after=2)
    return doc.build()


def exhibition_record(exhibitor: Company, *, event: str, start: dt.date, days: int, venue: str,
                      booth: str, fee: Decimal) -> Built:
    """An organiser's exhibitor confirmation (English)."""
    doc = Doc(Style(lang="en", size=10.5))
    doc.line("Biotechnology Innovation Organization", latin="Helvetica-Bold", size=12, after=1)
    doc.line("1201 New York Avenue NW, Suite 1300, Washington, DC 20005", latin="Helvetica", size=8.5,
             after=16)
    doc.title("EXHIBITOR CONFIRMATION", size=16, after=12)
    doc.line(f"Event: {event}", fields=[("event", event)], after=3)
    end = start + dt.timedelta(days=days - 1)
    doc.line(f"Event Date: {en_date(start)} (through {en_date(end)})",
             fields=[("event_date", iso(start))], after=3)
    doc.line(f"Venue: {venue}", fields=[("location", venue)], after=3)
    doc.line(f"Exhibitor: {exhibitor.name}", fields=[("exhibitor", exhibitor.name)], after=3)
    doc.line(f"Booth: {booth}", after=3)
    doc.line(f"Booth Fee: USD {figures(fee)}", fields=[("booth_fee", money(fee, "USD"))], after=10)
    doc.para("Thank you for your participation. This letter confirms that the exhibitor named above "
             "has been assigned the booth shown and has paid the booth fee in full through its "
             "appointed agent. Exhibitor badges and move-in schedules are available in the exhibitor "
             "service center.")
    doc.space(14)
    doc.line("Exhibition Sales Department", latin="Times-Italic", after=2)
    return doc.build()


def insurance_policy(insurer: Company, insured: Company, *, policy_no: str, kind: str,
                     premium: Decimal, start: dt.date, issued: dt.date, trial: str) -> Built:
    """临床试验责任保险单: parties, coverage, limits table, clauses, insurer's seal."""
    end = dt.date(start.year + 1, start.month, start.day) - dt.timedelta(days=1)
    doc = Doc(Style(lang="zh", header=insurer.name, header_right=f"保险单号 {policy_no}"))
    doc.title(f"{kind}保险单", size=19, after=12)
    doc.line(f"保险单号：{policy_no}", fields=[("policy_no", policy_no)], after=8)
    for label, role in (("投保人", "policyholder"), ("被保险人", "insured")):
        doc.line(f"{label}：{insured.name}", fields=[("party", party(role, insured))], after=2)
        doc.line(f"统一社会信用代码：{insured.uscc}", indent=21, after=2)
        doc.line(f"住所：{insured.address}", indent=21, after=6)
    doc.line(f"保险人：{insurer.name}", fields=[("party", {**party("insurer", insurer), "uscc": None})], after=8)  # no code shown
    doc.line(f"险种：{kind}", fields=[("insurance_type", kind)], after=3)
    doc.line(f"承保临床试验：{trial}", after=3)
    period = f"自{zh_date(start)}零时起至{zh_date(end)}二十四时止"
    doc.line(f"保险期间：{period}", fields=[("period", period)], after=3)
    doc.line(f"总保险费：{rmb_capitals(premium)}", fields=[("premium", money(premium))], after=8)
    doc.table([["责任限额项目", "限额（人民币元）"],
               ["每位受试者人身伤亡责任限额", figures(Decimal(1000000))],
               ["每次事故责任限额", figures(Decimal(10000000))],
               ["累计责任限额", figures(Decimal(30000000))],
               ["每位受试者医疗费用责任限额", figures(Decimal(300000))]],
              [300, 180], align=["left", "right"])
    doc.line("特别约定", bold=True, after=3)
    for text in (
        "1. 本保险承保被保险人在保险期间内，因开展上述临床试验导致受试者发生与试验相关的损害，"
        "依法应由被保险人承担的经济赔偿责任。",
        "2. 本保单适用《临床试验责任保险条款》，本保单的特别约定与条款不一致的，以特别约定为准。",
        "3. 保险费应于签单后十五日内一次性缴清，未按约定缴费的，保险人不承担保险责任。",
        "4. 争议处理：因本保险合同发生的争议，由当事人协商解决；协商不成的，提交上海仲裁委员会仲裁。",
    ):
        doc.para(text, first_indent=0)
    doc.space(6)
    doc.line(f"签单日期：{zh_date(issued)}", fields=[("issue_date", iso(issued))], after=20)
    doc.signatures([f"保险人：{insurer.name}", "（盖章）", "核保：孙莉"], ["经办：周洋", "", "复核：吴凡"],
                   seal_left=Seal(insurer.name, "保单专用章"))
    return doc.build()


def project_approval(*, issuer: str, title: str, entries: list[tuple[str, str, tuple[str, Any] | None]],
                     paragraphs: list[str], day: dt.date, day_label: str, doc_no: str,
                     applicant_label: str = "", applicant: Company | None = None) -> Built:
    """A government project approval, filing certificate or application form."""
    doc = Doc(Style(lang="zh", header=issuer, header_right=doc_no))
    doc.line(issuer, align="center", size=16, bold=True, color=(0.75, 0.05, 0.05), after=3)

    def red_rule(c: Any, top: float) -> None:
        c.setStrokeColorRGB(0.75, 0.05, 0.05)
        c.setLineWidth(1.8)
        c.line(56, top - 3, 539, top - 3)

    from _gen.layout import Row

    doc.add(Row(12, red_rule))
    doc.line(doc_no, align="center", size=10, after=10)
    doc.title(title, size=17, after=12)
    if applicant is not None:
        doc.line(f"{applicant_label}：{applicant.name}",
                 fields=[("applicant_name", applicant.name)], after=4)
        doc.line(f"统一社会信用代码：{applicant.uscc}", after=4)
    for label, value, found in entries:
        doc.line(f"{label}：{value}", fields=[found] if found else [], after=4)
    doc.space(6)
    for text in paragraphs:
        doc.para(text)
    doc.space(8)
    doc.line(f"{day_label}：{zh_date(day)}", fields=[("approval_date", iso(day))], indent=250, after=8)
    doc.line("（公章）", size=9, indent=330, after=30)
    doc.stamp(Seal(issuer, "", cx=430, dy=46, radius=44))
    doc.line(f"抄送：{issuer}办公室", size=9, after=3)
    doc.line("（此件公开发布）", size=9, after=3)
    return doc.build()


@dataclass
class Made:
    """A document the catalogue asked for: its file name, kind and what was drawn."""

    file: str
    kind: str
    built: Built
    truncated_to: int | None = None  # the damaged example: only this many leading bytes
    copied_from: str | None = None  # the scanned example: a committed file under _gen/
