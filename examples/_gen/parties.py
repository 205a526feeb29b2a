"""The fictional companies, institutions and people the example documents name.

Why fixed, fictional parties: every example must be reproducible and must never name a
real company. USCCs are built from an 17-character body (registration-authority code,
the six-digit division of first registration, an organisation code) with the GB 32100
check character computed by python-stdnum, so they validate exactly as a real one would.
Shanghai's division codes begin 31; Jiangsu's 32, Zhejiang's 33. Foreign companies have no
USCC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from stdnum.cn import uscc as uscc_mod


def make_uscc(body: str) -> str:
    """A valid USCC from its first 17 characters."""
    if len(body) != 17:
        raise ValueError(f"a USCC body has 17 characters: {body}")
    code = body + uscc_mod.calc_check_digit(body)
    if not uscc_mod.is_valid(code):
        raise ValueError(f"not a valid USCC body (GB 32100 alphabet): {body}")
    return code


def wrong_check(code: str) -> str:
    """The same code with a wrong check character (for the failing example)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    right = code[-1]
    wrong = alphabet[(alphabet.index(right) + 1) % len(alphabet)]
    return code[:-1] + wrong


@dataclass(frozen=True)
class Company:
    """A party as its business licence (or institution certificate) describes it."""

    key: str
    name: str
    uscc: str | None
    en_name: str = ""
    address: str = ""
    authority: str = ""
    legal_rep: str = ""
    capital: Decimal = Decimal("0")
    established: dt.date = dt.date(2015, 1, 1)
    scope: str = ""
    entity_type: str = "有限责任公司（自然人投资或控股）"
    tel: str = ""
    licence_issued: dt.date = dt.date(2024, 3, 15)
    color: tuple[float, float, float] = (0.1, 0.2, 0.45)

    def moved(self, **changes: object) -> Company:
        """The same party with some registration details changed (a variant)."""
        return replace(self, **changes)  # type: ignore[arg-type]


CHENGYUAN = Company(
    key="chengyuan",
    name="上海澄源生物医药有限公司",
    uscc=make_uscc("91310115MA1H8R2X4"),
    en_name="Shanghai Chengyuan Biopharmaceutical Co., Ltd.",
    address="中国（上海）自由贸易试验区张江路88号",
    authority="上海市浦东新区市场监督管理局",
    legal_rep="张明",
    capital=Decimal("80000000"),
    established=dt.date(2016, 3, 22),
    scope="生物医药技术开发、技术服务；药品研发；药品生产；货物进出口",
    tel="021-5080 1688",
    licence_issued=dt.date(2024, 3, 15),
    color=(0.05, 0.25, 0.5),
)

HANBO = Company(
    key="hanbo",
    name="上海瀚博生物制药有限公司",
    uscc=make_uscc("91310114MA1GT5KQ0"),
    en_name="Shanghai Hanbo Biomanufacturing Co., Ltd.",
    address="上海市嘉定区叶城路1288号",
    authority="上海市嘉定区市场监督管理局",
    legal_rep="周立群",
    capital=Decimal("150000000"),
    established=dt.date(2013, 9, 10),
    scope="药品生产；药品委托生产；生物医药技术开发；货物进出口",
    entity_type="其他有限责任公司",
    tel="021-5991 2260",
    licence_issued=dt.date(2023, 11, 2),
    color=(0.0, 0.35, 0.3),
)

YUANCHUAN = Company(
    key="yuanchuan",
    name="杭州远川药业有限公司",
    uscc=make_uscc("91330108MA2B1C3D4"),
    en_name="Hangzhou Yuanchuan Pharmaceutical Co., Ltd.",
    address="浙江省杭州市滨江区江陵路1888号",
    authority="杭州市滨江区市场监督管理局",
    legal_rep="李华",
    capital=Decimal("50000000"),
    established=dt.date(2017, 6, 5),
    scope="药品研发；药品批发；医药技术咨询",
)

QIAOSHI = Company(
    key="qiaoshi",
    name="宁波桥石投资有限公司",
    uscc=make_uscc("91330212MA2H7W5N1"),
    address="浙江省宁波市鄞州区天童南路588号",
    authority="宁波市鄞州区市场监督管理局",
    legal_rep="王芳",
    capital=Decimal("20000000"),
    scope="实业投资；投资管理；投资咨询",
)

QIHENG = Company(
    key="qiheng",
    name="上海启衡医药科技有限公司",
    uscc=make_uscc("91310112MA1GB3QH7"),
    en_name="Shanghai Qiheng Pharmaceutical Technology Co., Ltd.",
    address="上海市闵行区紫星路588号2幢",
    authority="上海市闵行区市场监督管理局",
    legal_rep="陈思远",
    capital=Decimal("30000000"),
    established=dt.date(2018, 4, 12),
    scope="医药技术开发、技术服务；药物临床前研究服务；实验动物饲养",
    tel="021-3412 7700",
    licence_issued=dt.date(2024, 1, 8),
    color=(0.2, 0.3, 0.55),
)

MINGCHE = Company(
    key="mingche",
    name="上海明澈医疗器械有限公司",
    uscc=make_uscc("91310117MA1J2P6L8"),
    en_name="Shanghai Mingche Medical Devices Co., Ltd.",
    address="上海市松江区新飞路1500号",
    authority="上海市松江区市场监督管理局",
    legal_rep="刘佳",
    capital=Decimal("60000000"),
    established=dt.date(2019, 7, 30),
    scope="第二类、第三类医疗器械生产；医疗器械研发；技术服务",
    tel="021-6788 3200",
    licence_issued=dt.date(2024, 5, 20),
    color=(0.1, 0.4, 0.6),
)

RUILING = Company(
    key="ruiling",
    name="上海锐翎生物科技有限公司",
    uscc=make_uscc("91310104MA1FR8TY2"),
    en_name="Shanghai Ruiling Bioscience Co., Ltd.",
    address="上海市徐汇区宜山路700号C1幢",
    authority="上海市徐汇区市场监督管理局",
    legal_rep="赵晨",
    capital=Decimal("12000000"),
    established=dt.date(2020, 10, 16),
    scope="生物技术开发；生命科学仪器研发、销售；技术进出口",
    tel="021-6432 9051",
    licence_issued=dt.date(2024, 2, 27),
    color=(0.45, 0.15, 0.35),
)

LANAN = Company(
    key="lanan",
    name="苏州澜岸生物科技有限公司",
    uscc=make_uscc("91320594MA1MKPQB4"),
    en_name="Suzhou Lan'an Bioscience Co., Ltd.",
    address="江苏省苏州市工业园区星湖街218号",
    authority="苏州工业园区市场监督管理局",
    legal_rep="孙亦舟",
    capital=Decimal("10000000"),
    established=dt.date(2016, 8, 1),
    scope="生物技术开发；生命科学仪器研发、销售；技术进出口",
    tel="0512-6295 0810",
    licence_issued=dt.date(2024, 4, 9),
)

HENGZHOU = Company(
    key="hengzhou",
    name="上海衡舟医疗科技有限公司",
    uscc=make_uscc("91320505MA1T7RXK3"),
    en_name="Shanghai Hengzhou Medical Technology Co., Ltd.",
    address="上海市闵行区新骏环路245号3幢",
    authority="上海市闵行区市场监督管理局",
    legal_rep="韩宇",
    capital=Decimal("40000000"),
    established=dt.date(2017, 12, 4),
    scope="第三类医疗器械生产；医疗器械研发；技术服务、技术转让",
    tel="021-5433 6018",
    licence_issued=dt.date(2024, 6, 12),
    color=(0.15, 0.35, 0.25),
)

DONGBIN_HOSPITAL = Company(
    key="dongbin",
    name="上海市东滨医院",
    uscc=make_uscc("12310000425037162"),
    en_name="Shanghai Dongbin Hospital",
    address="上海市杨浦区控江路1665号",
    authority="上海市事业单位登记管理局",
    legal_rep="顾文涛",
    capital=Decimal("368000000"),
    scope="医疗与护理，医学教学，医学研究，医疗器械临床试验与示范应用",
    entity_type="事业单位",
    licence_issued=dt.date(2023, 12, 28),
    color=(0.0, 0.3, 0.55),
)

SHENJIANG_UNIV = Company(
    key="shenjiang",
    name="申江大学药学院",
    uscc=make_uscc("12310000425006873"),
    address="上海市浦东新区蔡伦路826号",
    legal_rep="沈启明",
    entity_type="事业单位",
)

NORTHBRIDGE = Company(
    key="northbridge",
    name="Northbridge Therapeutics Inc.",
    uscc=None,
    en_name="Northbridge Therapeutics Inc.",
    address="450 Kendall Street, Cambridge, MA 02142, United States",
    legal_rep="Daniel R. Whitaker",
)

NORTHBRIDGE_HOLDINGS = Company(
    key="northbridge-holdings",
    name="Northbridge Holdings LLC",
    uscc=None,
    address="1209 Orange Street, Wilmington, DE 19801, United States",
)

HENGXIN_LAW = Company(
    key="hengxin",
    name="上海衡信律师事务所",
    uscc=make_uscc("31310000MD0173429"),
    address="上海市黄浦区中山东二路600号18楼",
    legal_rep="何明哲",
)

LICHENG_CPA = Company(
    key="licheng",
    name="上海立成会计师事务所（特殊普通合伙）",
    uscc=make_uscc("91310101MA1FPK7C6"),
    address="上海市黄浦区延安东路222号30楼",
    legal_rep="钱立成",
)

HUIQIAO_ADVISORY = Company(
    key="huiqiao",
    name="上海汇桥投资咨询有限公司",
    uscc=make_uscc("91310106MA1FY2LM3"),
    address="上海市静安区南京西路1266号38楼",
    legal_rep="吴晓峰",
)

SHENCHENG_INSURANCE = Company(
    key="shencheng-insurance",
    name="申城财产保险股份有限公司上海分公司",
    uscc=make_uscc("91310000MA1K3N8W5"),
    address="上海市浦东新区银城中路168号",
    legal_rep="郑国华",
)

BOZHAN_EXPO = Company(
    key="bozhan",
    name="上海博展国际会展服务有限公司",
    uscc=make_uscc("91310105MA1FW0EX9"),
    address="上海市长宁区娄山关路83号",
    legal_rep="杨帆",
)

DONGHANG_TRAVEL = Company(
    key="donghang-travel",
    name="上海东航国际旅行服务有限公司",
    uscc=make_uscc("91310115MA1HA4TR0"),
    address="上海市浦东新区民航路99号",
    legal_rep="马骏",
)

PUJIANG_VC = Company(
    key="pujiang-vc",
    name="上海浦江创投有限公司",
    uscc=make_uscc("91310115MA1H2CW15"),
    address="上海市浦东新区世纪大道100号",
)

ZHANGJIANG_GUARANTEE = Company(
    key="zhangjiang-guarantee",
    name="上海市中小微企业政策性融资担保基金管理中心",
    uscc=make_uscc("12310000MB2F0G7Q1"),
    address="上海市黄浦区汉口路398号",
)

ALL = (
    CHENGYUAN, HANBO, YUANCHUAN, QIAOSHI, QIHENG, MINGCHE, RUILING, LANAN, HENGZHOU,
    DONGBIN_HOSPITAL, SHENJIANG_UNIV, NORTHBRIDGE, NORTHBRIDGE_HOLDINGS, HENGXIN_LAW,
    LICHENG_CPA, HUIQIAO_ADVISORY, SHENCHENG_INSURANCE, BOZHAN_EXPO, DONGHANG_TRAVEL,
    PUJIANG_VC, ZHANGJIANG_GUARANTEE,
)
