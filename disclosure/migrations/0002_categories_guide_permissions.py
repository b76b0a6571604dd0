"""The categories of Art. 20 and 21, a few topics, the disclosure guide's first text, and the roles' permissions.

Idempotent: the test suite re-runs data migrations after flushing the database.
"""

from django.db import migrations

from civiccenter import roles

# Regulations on Open Government Information (2019), Art. 20 (items 1-15) and Art. 21 (districts and counties).
CATEGORIES = [
    (20, 1, "行政法规、规章和规范性文件", "Regulations, rules and normative documents"),
    (20, 2, "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", "Functions, organisation, address, hours, contacts and leaders"),
    (20, 3, "国民经济和社会发展规划、专项规划、区域规划及相关政策", "Development plans, special and regional plans and related policies"),
    (20, 4, "国民经济和社会发展统计信息", "Economic and social development statistics"),
    (20, 5, "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果", "Licensing and public services: basis, conditions, procedure and results"),
    (20, 6, "实施行政处罚、行政强制的依据、条件、程序以及重大行政处罚决定", "Administrative penalties and coercion: basis, conditions, procedure and major decisions"),
    (20, 7, "财政预算、决算信息", "Budgets and final accounts"),
    (20, 8, "行政事业性收费项目及其依据、标准", "Administrative fees: items, basis and rates"),
    (20, 9, "政府集中采购项目的目录、标准及实施情况", "Government procurement: catalogue, standards and implementation"),
    (20, 10, "重大建设项目的批准和实施情况", "Approval and implementation of major construction projects"),
    (20, 11, "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况", "Poverty relief, education, health, social security and employment policies"),
    (20, 12, "突发公共事件的应急预案、预警信息及应对情况", "Emergency plans, warnings and responses"),
    (20, 13, "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况", "Inspections: environment, public health, work safety, food and drugs, product quality"),
    (20, 14, "公务员招考的职位、名额、报考条件等事项以及录用结果", "Civil service recruitment: posts, numbers, conditions and results"),
    (20, 15, "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息", "Other information that laws and regulations require to be published"),
    (21, 1, "市政建设", "Municipal construction"),
    (21, 2, "公共服务", "Public services"),
    (21, 3, "公益事业", "Public-welfare undertakings"),
    (21, 4, "土地征收、房屋征收", "Land and housing expropriation"),
    (21, 5, "治安管理", "Public security management"),
    (21, 6, "社会救助", "Social assistance"),
]

TOPICS = [
    ("market", "市场监管", "Market regulation"),
    ("education", "教育", "Education"),
    ("health", "卫生健康", "Health"),
    ("social-security", "社会保障", "Social security"),
    ("civil-affairs", "民政", "Civil affairs"),
    ("housing", "住房城乡建设", "Housing and construction"),
    ("environment", "生态环境", "Environment"),
    ("finance", "财政", "Public finance"),
    ("employment", "就业创业", "Employment and business start-ups"),
    ("safety", "应急管理", "Emergency management"),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("disclosure", "Category")
    Topic = apps.get_model("disclosure", "Topic")
    Guide = apps.get_model("disclosure", "Guide")
    for order, (article, item, name, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(
            code=f"{article}-{item}",
            defaults={"article": article, "item": item, "name": name, "name_en": name_en, "order": order},
        )
    for order, (slug, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "order": order})
    if not Guide.objects.exists():
        Guide.objects.create(
            organisation=(
                "本区政府信息分为主动公开和依申请公开两类。主动公开的信息按《中华人民共和国政府信息公开条例》"
                "第二十条、第二十一条规定的类别和主题分类编排，每条信息标注索引号、名称、内容概述和生成日期，"
                "可在本网站“政府信息公开”栏目按类别、部门、年份和主题查询、检索和下载。"
            ),
            organisation_en=(
                "Government information is either published proactively or provided on request. Published "
                "information is arranged by the categories of Articles 20 and 21 of the Regulations and by topic; "
                "each item shows its index number, title, summary and date formed, and can be searched, read and "
                "downloaded under Government information disclosure on this site."
            ),
            how_to_request=(
                "公民、法人或者其他组织可以通过本网站在线提交、到政务服务中心窗口当面提交或者邮寄信函提出政府信息公开申请。"
                "申请应包括申请人的姓名或者名称、身份证明、联系方式，所需政府信息的名称、文号或者便于查询的其他特征性描述，"
                "以及获取信息的方式和途径。书面申请确有困难的，可以口头提出，由工作人员代为填写。"
                "行政机关收到申请后，能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；"
                "需要延长的，经负责人同意可延长不超过20个工作日。依申请提供政府信息，原则上不收取费用。"
            ),
            how_to_request_en=(
                "Citizens, companies and other organisations may request government information online on this "
                "site, at the window of the service center, or by letter. A request gives the applicant's name, "
                "identity proof and contact, the title, document number or other description of the information, "
                "and how it is to be provided. Anyone who finds writing difficult may ask orally and staff fill in "
                "the form. The reply comes at once where possible, otherwise within 20 working days of receipt, "
                "extended by at most 20 working days with the head's approval. Information is normally free."
            ),
            office_name="示范区人民政府办公室（政务公开办）",
            office_name_en="Model District Government Office (Open Government Office)",
            address="示范区人民大道100号市民服务中心一楼",
            address_en="Citizen Service Center, 1st floor, 100 People's Avenue, Model District",
            hours="工作日 9:00–12:00，13:30–17:00",
            hours_en="Working days 9:00-12:00 and 13:30-17:00",
            phone="0571-86010000",
            email="gongkai@civiccenter.example",
            postcode="310000",
        )


def grant(apps, schema_editor):
    app = "disclosure"
    content = ["document", "attachment", "topic"]
    editing = [f"{action}_{model}" for model in content for action in ("add", "change", "delete", "view")]
    editing += ["publish_document", "view_category", "change_guide", "view_guide"]
    requests = ["view_disclosurerequest", "add_disclosurerequest", "handle_request", "view_consultation"]
    requests += ["add_consultation", "change_consultation", "view_replyfile", "add_replyfile", "delete_replyfile"]
    reports = ["view_annualreport", "add_annualreport", "change_annualreport", "publish_annualreport"]
    everything = [f"{action}_{model}" for model in ("category", "guide") for action in ("add", "change", "view")]
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, app, editing + requests + reports + everything + ["extend_request"])
    roles.grant(apps, roles.CONTENT_EDITOR, app, editing + ["view_annualreport"])
    roles.grant(apps, roles.DEPARTMENT_HEAD, app, editing + requests + reports + ["extend_request"])
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, app, requests + ["view_document", "view_attachment"])
    roles.grant(apps, roles.WINDOW_CLERK, app, requests + ["view_document"])
    roles.grant(
        apps,
        roles.CENTER_SUPERVISOR,
        app,
        ["view_document", "view_attachment", "view_disclosurerequest", "view_consultation", "view_annualreport"],
    )


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_documents_requests_reports"), ("civiccenter", "0014_longer_counter_prefix")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
