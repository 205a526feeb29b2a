"""Normalisation keeps one box per character: radicals, CJK spacing, fake bold, white space."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.read.layout import build_lines, group_lines
from toolkit.read.normalise import drop_overprints, is_cjk, normalise_chars, normalise_text
from toolkit.read.radicals import RADICALS


def chars_of(text: str, x: float = 10.0, top: float = 100.0, size: float = 10.0, gap: float = 0.0):
    """Characters laid out left to right, each `size` wide (a space a quarter of that), `gap` apart."""
    out = []
    for ch in text:
        width = size / 4 if ch == " " else size
        out.append((ch, (x, top, x + width, top + size)))
        x += width + gap
    return out


def test_kangxi_and_supplement_radicals_become_ideographs():
    # ⼈ U+2F08 (Kangxi, NFKC folds it) and ⻓ U+2ED3 / ⻔ U+2ED4 (supplement: needs the table)
    assert normalise_text("\u2f08\u6c11\u94f6\u884c") == "人民银行"
    assert normalise_text("\u2ed3\u6c5f") == "长江"
    assert normalise_text("\u2ed4\u5e97") == "门店"
    assert unicodedata.normalize("NFKC", "\u2ed3") == "\u2ed3"  # why the table exists


def test_every_supplement_radical_maps_to_a_unified_ideograph():
    assert len(RADICALS) == 114
    for radical, ideograph in RADICALS.items():
        assert 0x2E80 <= ord(radical) <= 0x2EFF
        assert "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ideograph), hex(ord(radical))


def test_spaces_inside_chinese_runs_and_beside_digits_go():
    assert normalise_text("2025 年 4 月 18 日") == "2025年4月18日"
    assert normalise_text("上 海 澄 源") == "上海澄源"
    assert normalise_text("第 1 页 共 1 页") == "第1页共1页"


def test_spaces_between_latin_words_and_digit_groups_stay():
    assert normalise_text("CNY  178,250,000.00") == "CNY 178,250,000.00"
    assert normalise_text("3101 0468 2200") == "3101 0468 2200"
    assert normalise_text("  Licensee:   Northbridge  ") == "Licensee: Northbridge"


def test_a_wide_gap_between_chinese_cells_is_kept():
    label = chars_of("收款人", x=60)
    value = chars_of("上海", x=200)
    text, boxes, _ = normalise_chars(label + [(" ", (90, 100, 200, 110))] + value)
    assert text == "收款人 上海"
    assert len(boxes) == len(text)


def test_ideographic_space_is_a_separator():
    assert normalise_text("柜员A026\u3000复核") == "柜员A026 复核"


def test_full_width_forms_and_ligatures_keep_a_box_each():
    text, boxes, raw = normalise_chars(chars_of("（副本）\ufb01ＡＢ１２"))
    assert text == "（副本）fiAB12"  # Chinese punctuation stays as printed; letters, digits, ligatures fold
    assert raw == "（副本）\ufb01ＡＢ１２"
    assert len(boxes) == len(text)
    assert boxes[-2][2] == boxes[-1][0]  # the ligature's box is split in two halves


def test_boxes_follow_the_characters_they_came_from():
    chars = chars_of("2025 年 4 月", gap=0.0)
    text, boxes, _ = normalise_chars(chars)
    assert text == "2025年4月"
    assert boxes[4] == chars[5][1]  # 年 keeps 年's box, the dropped space is gone


def test_zero_width_and_soft_hyphen_are_dropped():
    assert normalise_text("in\u00adter\u200bnational") == "international"


def test_fake_bold_duplicates_are_dropped():
    chars = chars_of("甲方")
    doubled = sorted(chars + [(c, (b[0] + 0.0001, b[1], b[2] + 0.0001, b[3])) for c, b in chars], key=lambda c: c[1][0])
    assert [c for c, _ in drop_overprints(doubled)] == ["甲", "方"]


def test_repeated_characters_side_by_side_are_not_duplicates():
    assert "".join(c for c, _ in drop_overprints(chars_of("1000"))) == "1000"


def test_lines_are_grouped_by_height_and_read_left_to_right():
    second = chars_of("乙方", x=10, top=130)
    first_right = chars_of("上海", x=200, top=101)
    first_left = chars_of("甲方:", x=10, top=100)
    lines = build_lines(second + first_right + first_left)
    assert [line.text for line in lines] == ["甲方: 上海", "乙方"]
    assert lines[0].span_bbox(4, 6) == (200, 101, 220, 111)


def test_is_cjk():
    assert is_cjk("年") and is_cjk("。") and is_cjk("カ")
    assert not is_cjk("a") and not is_cjk("1") and not is_cjk(" ") and not is_cjk("한")


_alphabet = st.sampled_from(list("年月日上海 \u3000\t\u00ad\u200b2025ABab,.:（）：\ufb01\u2f08\u2ed3㈱ ﾊﾟ"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_alphabet, st.floats(0, 500), st.floats(0, 700), st.floats(0.1, 20)), max_size=40))
def test_one_box_per_character_always(items):
    chars = [(c, (x, y, x + w, y + w)) for c, x, y, w in items]
    text, boxes, raw = normalise_chars(chars)
    assert len(boxes) == len(text)
    assert raw == "".join(c for c, _ in chars)
    assert text == text.strip() and "  " not in text
    for line in build_lines(chars):
        assert len(line.boxes) == len(line.text)
        assert line.text
    assert sum(len(g) for g in group_lines(chars)) >= 0
