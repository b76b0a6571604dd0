"""Demo opinion categories: a few for every demo department, some co-handled, in working and calendar days.

Called first by the cases demo (`demo/opinions/cases.py`), which builds its cases over these.
"""

from opinions.models import Category

# slug, name, English name, lead department code, co-handling codes, days, unit, description, English description
CATEGORIES = [
    (
        "service-quality",
        "政务服务意见建议",
        "Public services: suggestions",
        "ZXBGS",
        [],
        10,
        "working",
        "对中心窗口、预约、网上办事的意见和建议",
        "The center's windows, appointments and online services",
    ),
    (
        "staff-conduct",
        "工作人员作风问题",
        "Conduct of public servants",
        "ZXBGS",
        [],
        30,
        "calendar",
        "吃拿卡要、推诿扯皮、服务态度等问题的投诉和举报",
        "Complaints and reports about bribes, buck-passing or rudeness",
    ),
    (
        "food-safety",
        "食品安全",
        "Food safety",
        "SCJG",
        ["WJ"],
        10,
        "working",
        "餐饮卫生、过期食品、无证经营等",
        "Restaurant hygiene, expired food, unlicensed food businesses",
    ),
    (
        "consumer-disputes",
        "价格与消费纠纷",
        "Prices and consumer disputes",
        "SCJG",
        [],
        7,
        "working",
        "明码标价、预付卡、虚假宣传等",
        "Price tags, prepaid cards, misleading advertising",
    ),
    (
        "elderly-care",
        "养老服务",
        "Care for the elderly",
        "MZ",
        ["WJ"],
        15,
        "calendar",
        "养老机构、居家养老、老年食堂等",
        "Care homes, home care, canteens for the elderly",
    ),
    (
        "social-assistance",
        "社会救助",
        "Social assistance",
        "MZ",
        [],
        5,
        "working",
        "低保、临时救助、困难群众帮扶",
        "Minimum living allowance, emergency aid, help for families in hardship",
    ),
    (
        "property-management",
        "物业管理",
        "Property management",
        "ZJ",
        ["MZ"],
        15,
        "calendar",
        "物业服务、公共维修资金、小区设施",
        "Property services, maintenance funds, residential facilities",
    ),
    (
        "building-safety",
        "房屋安全与违法建设",
        "Building safety and illegal construction",
        "ZJ",
        ["STHJ"],
        10,
        "working",
        "危房、违章搭建、施工扰民",
        "Unsafe buildings, illegal structures, building sites disturbing residents",
    ),
    (
        "unpaid-wages",
        "欠薪求助",
        "Unpaid wages",
        "RS",
        ["ZJ"],
        5,
        "working",
        "拖欠工资、劳动报酬争议",
        "Wages owed, disputes over pay",
    ),
    (
        "social-insurance",
        "社保与就业服务",
        "Social insurance and employment services",
        "RS",
        [],
        10,
        "working",
        "社保缴费、待遇发放、就业培训",
        "Contributions, benefits, job training",
    ),
    (
        "medical-services",
        "医疗卫生服务",
        "Medical services",
        "WJ",
        [],
        10,
        "working",
        "社区卫生服务中心、医疗收费、服务态度",
        "Community health centers, medical fees, service",
    ),
    (
        "schools",
        "入学与学校管理",
        "School admission and management",
        "JY",
        [],
        20,
        "calendar",
        "入学政策、校外培训、校园安全",
        "Admission rules, private tutoring, school safety",
    ),
    (
        "noise-pollution",
        "噪声与环境污染",
        "Noise and pollution",
        "STHJ",
        ["ZJ"],
        7,
        "working",
        "噪声、油烟、污水、异味",
        "Noise, cooking fumes, waste water, odours",
    ),
    (
        "culture-sports",
        "文体场馆与活动",
        "Culture and sports venues",
        "WGL",
        [],
        20,
        "calendar",
        "公共文化场馆、体育设施、文化活动",
        "Libraries, cultural centers, sports facilities, events",
    ),
]


def seed_categories() -> int:
    """Create the demo categories that are missing (idempotent; departments come from `seed_demo`)."""
    from civiccenter.models import Department

    departments = {d.code: d for d in Department.objects.all()}
    existing = set(Category.objects.values_list("slug", flat=True))
    created = 0
    for order, (slug, name, name_en, lead, co, days, unit, description, description_en) in enumerate(
        CATEGORIES, start=1
    ):
        if slug in existing or lead not in departments:
            continue
        category = Category.objects.create(
            slug=slug,
            name=name,
            name_en=name_en,
            description=description,
            description_en=description_en,
            lead_department=departments[lead],
            time_limit_days=days,
            time_limit_unit=unit,
            order=order * 10,
        )
        category.co_departments.set([departments[code] for code in co if code in departments])
        created += 1
    return created
