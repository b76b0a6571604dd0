"""Demo data: the 2025 annual disclosure reports, generated from whatever documents and requests exist.

Run after the documents' and requests' demo seeds. Idempotent: a report that exists is left as it is.
The district's report and every department's but the last are published; the last stays a draft,
so the admin shows one report still to finish.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from civiccenter.models import Department, User
from disclosure.models import AnnualReport

YEAR = 2025

OVERVIEW = (
    "{year}年，{name}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》"
    "和上级关于政务公开工作的部署要求，围绕中心工作深化决策、执行、管理、服务、结果公开，持续完善依申请公开办理机制，"
    "加强政府信息管理和平台建设，政府信息公开工作取得新成效。\n"
    "一是主动公开更加及时全面。依托区政府门户网站和市民服务中心网上平台，及时发布规范性文件、行政许可和行政处罚结果、"
    "财政预决算等信息，信息形成或变更之日起20个工作日内公开。\n"
    "二是依申请公开更加规范。严格执行申请登记、补正告知、征求意见、延期审批和答复送达等程序，答复文书载明救济途径。\n"
    "三是监督保障更加有力。将政务公开纳入年度绩效考核，开展政务公开业务培训，主动接受社会监督。"
)
PROACTIVE = (
    "本年度通过门户网站主动公开政府信息，其中行政规范性文件均在印发后20个工作日内公开，"
    "并同步开展合法性审查、有效性评估和集中清理，及时标注废止和修订情况。行政许可和行政处罚结果按照“双公示”要求在作出决定之日起7个工作日内公开。"
)
REQUESTS = (
    "本年度收到的政府信息公开申请主要涉及行政许可办理情况、行政执法结果、财政资金使用等内容。"
    "所有申请均在法定期限内答复，未发生逾期答复情况。对需要补正的申请，一次性告知需要补正的事项和合理的补正期限；"
    "对涉及第三方合法权益的，书面征求第三方意见。"
)
REMEDIES = (
    "本年度因政府信息公开引起的行政复议、行政诉讼案件情况见上表。对被纠正的案件，已逐案分析原因，"
    "完善答复文书模板，加强法制审核。"
)
PROBLEMS = (
    "一是部分业务科室对政府信息公开工作重视不够，主动公开信息的及时性有待提高。\n"
    "二是依申请公开答复文书的规范性有待加强，个别答复说理不够充分。\n"
    "下一步，将加强业务培训和考核督查，健全依申请公开答复法制审核机制，推进政务公开标准化规范化建设。"
)
OTHER = (
    "本年度未收取信息处理费（另有说明的除外），按照《政府信息公开信息处理费管理办法》的规定执行。"
    "本年度无其他需要报告的事项。政府信息公开工作年度报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
)


def _figures(index):
    """Plausible staff-entered figures, different for each report and the same on every run."""
    return {
        "penalty": 12 + 17 * index,
        "coercion": index % 4,
        "fees": Decimal("0") if index % 3 else Decimal("2.35") * (index + 1),
        "table4": {
            "reconsideration": {
                "upheld": index % 3,
                "corrected": 1 if index % 4 == 1 else 0,
                "other": 0,
                "pending": index % 2,
            },
            "litigation_direct": {"upheld": 1 if index % 5 == 2 else 0, "corrected": 0, "other": 0, "pending": 0},
            "litigation_after": {"upheld": 0, "corrected": 0, "other": 0, "pending": 1 if index == 0 else 0},
        },
    }


def seed(stdout=None) -> int:
    """Generate (and mostly publish) the 2025 reports; returns the number of reports created."""
    publisher = User.objects.filter(email="admin@demo.civiccenter.example").first()
    departments = list(Department.objects.order_by("order", "name"))
    scopes = [None, *departments]
    created = 0
    for index, department in enumerate(scopes):
        if AnnualReport.objects.filter(year=YEAR, department=department).exists():
            continue
        name = department.name if department is not None else "区人民政府"
        report = AnnualReport.generate(YEAR, department)
        report.set_staff_figures(**_figures(index))
        report.overview = OVERVIEW.format(year=YEAR, name=name)
        report.proactive_text = PROACTIVE
        report.requests_text = REQUESTS
        report.remedies_text = REMEDIES
        report.problems = PROBLEMS
        report.other = OTHER.format(year=YEAR)
        report.save()
        last = department is not None and department == departments[-1]
        if not last:
            # Published in time: departments by 31 January, the district by 31 March.
            day = (1, 26) if department is not None else (3, 27)
            report.publish(by=publisher, now=datetime(YEAR + 1, *day, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
        created += 1
        if stdout is not None:
            stdout.write(f"  {report}: {'draft' if last else 'published'}")
    return created
