"""The personal-details scrubber used before anything a citizen wrote is published."""

import pytest

from civiccenter.lib.scrub import contains_personal_details, mask_name, scrub, scrub_text

SECRETS = {
    "13812345678": "138****5678",
    "138-1234-5678": "138****5678",
    "138 1234 5678": "138****5678",
    "+86 138 1234 5678": "138****5678",
    "+8613812345678": "138****5678",
    "(+86)138-1234-5678": "138****5678",
    "0086 13812345678": "138****5678",
    "１３８１２３４５６７８": "138****5678",
    "0571-86010101": "0571-********",
    "(0571)86010101": "0571-********",
    "0571 8601 0101": "0571-********",
    "010-12345678": "010-********",
    "+86 571 86010101": "0571-********",
    "0571-86010101转8023": "0571-********",
    "33010619900101123X": "330106********123X",
    "33010619900101123x": "330106********123x",
    "330106199001011234": "330106********1234",
    "330106 19900101 123X": "330106********123X",
    "330106900101123": "330106*****1123",
    "zhang.ming@example.cn": "z***@example.cn",
    "li_hua+tax@mail.example.com.cn": "l***@mail.example.com.cn",
    "ｗａｎｇ＠ｑｑ．ｃｏｍ": "w***@qq.com",
    "6222 0212 3456 7890": "************7890",
    "6222021234567890123": "***************0123",
}


@pytest.mark.parametrize(("secret", "masked"), SECRETS.items())
def test_every_format_is_masked_inside_chinese_text(secret, masked):
    text = f"您好，我的联系方式：{secret}，请回复。"
    result = scrub(text)
    assert secret not in result.text
    assert result.text == f"您好，我的联系方式：{masked}，请回复。"
    assert result.findings and result.findings[0].original == secret


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-01 至 2026年10月8日放假",
        "浙政办发〔2026〕12号第三条",
        "请拨打12345热线或110",
        "注册资本100万元，面积120平方米",
        "营业时间9:00-17:30",
        "ＰＭ２.５ 浓度 35 微克",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert scrub_text(text) == text
    assert not contains_personal_details(text)


def test_several_details_in_one_text_and_the_askers_name():
    text = "我是张明，电话13812345678，备用0571-86010101，邮箱zm@example.cn，身份证33010619900101123X。张明"
    result = scrub(text, names=["张明"])
    for secret in ("13812345678", "0571-86010101", "zm@example.cn", "33010619900101123X", "张明"):
        assert secret not in result.text
    assert result.text.count("张*") == 2
    assert {f.kind for f in result.findings} == {"phone", "landline", "email", "id_number", "name"}


def test_mask_name():
    assert mask_name("张明") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("") == ""
