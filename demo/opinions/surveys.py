"""Demo surveys: one open (the service hall's satisfaction survey, a few dozen responses), one closed with several
hundred responses and published results (community elderly-care canteens), one opening soon and one still being
prepared. Idempotent: surveys are found by title. Responses and answers are bulk-inserted, with a fixed random
seed so every run draws the same answers.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civiccenter.models import Department, User
from opinions.models.surveys import Answer, Choice, Question, Response, Survey

# title, department code, introduction, audience, (start, end) days from now, published, responses,
# questions: (text, kind, required, choices or (scale_max, low, high), weights)
SURVEYS = [
    (
        "市民服务中心政务服务大厅办事体验满意度调查",
        "ZXBGS",
        "为持续改进政务服务大厅的办事体验，中心办公室开展本次满意度调查。问卷匿名填写，约需3分钟；"
        "调查结果将在调查结束后公布，书面意见仅供中心改进工作使用，不予公开。",
        "everyone",
        (-10, 20),
        True,
        42,
        [
            (
                "您本次到大厅办理的事项是否一次办成？",
                "single",
                True,
                ["一次办成", "跑了两次", "跑了三次及以上"],
                [70, 22, 8],
            ),
            (
                "您本次在大厅的等候时间大约是多少？",
                "single",
                True,
                ["10分钟以内", "10至30分钟", "30分钟至1小时", "1小时以上"],
                [45, 35, 15, 5],
            ),
            (
                "您认为大厅哪些方面需要改进？（可多选）",
                "multiple",
                False,
                ["等候时间", "指引标识", "工作人员服务态度", "网上预约", "自助设备", "停车"],
                [40, 25, 10, 30, 20, 35],
            ),
            ("您对本次办事体验的总体满意程度", "scale", True, (5, "非常不满意", "非常满意"), [3, 5, 12, 35, 45]),
            ("您对大厅服务还有哪些意见和建议？", "text", False, None, None),
        ],
    ),
    (
        "社区老年助餐食堂服务意见征集",
        "MZ",
        "为完善社区老年助餐服务，区民政局就老年食堂的饭菜质量、价格和服务征求居民意见。本次调查已经结束，"
        "感谢各位居民参与，统计结果公布如下，书面意见已转各街道研究办理。",
        "everyone",
        (-60, -15),
        True,
        420,
        [
            ("您或家人是否在社区老年食堂用餐？", "single", True, ["经常用餐", "偶尔用餐", "从未用餐"], [45, 35, 20]),
            (
                "您最看重老年食堂的哪些方面？（可多选）",
                "multiple",
                True,
                ["饭菜口味", "价格实惠", "营养搭配", "就餐环境", "送餐上门", "离家近"],
                [55, 60, 40, 20, 30, 45],
            ),
            (
                "您认为一顿午餐（两荤一素）的合理价格是多少？",
                "single",
                True,
                ["10元以下", "10至15元", "15至20元", "20元以上"],
                [30, 50, 15, 5],
            ),
            ("您对老年食堂饭菜质量的满意程度", "scale", True, (5, "非常不满意", "非常满意"), [4, 8, 20, 38, 30]),
            ("您对老年食堂还有哪些意见和建议？", "text", False, None, None),
        ],
    ),
    (
        "全民健身设施布局居民需求调查",
        "WGL",
        "区文化和广电旅游体育局拟在各街道新建和改造一批全民健身设施，请您告诉我们最需要的健身项目和场地位置。"
        "本问卷仅限注册用户填写。",
        "signed_in",
        (5, 35),
        True,
        0,
        [
            (
                "您最常参加的健身活动是？",
                "single",
                True,
                ["健步走", "广场舞", "球类运动", "游泳", "健身器材锻炼"],
                None,
            ),
            (
                "您希望新增哪些健身设施？（可多选）",
                "multiple",
                False,
                ["健身步道", "篮球场", "笼式足球场", "室内健身房", "儿童游乐设施"],
                None,
            ),
            ("您对现有健身设施的满意程度", "scale", True, (5, "非常不满意", "非常满意"), None),
        ],
    ),
    (
        "2027年度政务公开工作意见征集",
        "ZXBGS",
        "（准备中）了解公众对政务公开栏目和内容的意见。",
        "everyone",
        (30, 60),
        False,
        0,
        [("您最常查阅哪类政府信息？", "single", True, ["政策文件", "财政预决算", "重大项目", "人事信息"], None)],
    ),
]

WRITTEN = [
    "希望大厅增加老年人专用窗口。",
    "自助填表机经常排队，建议多放几台。",
    "工作人员很耐心，给个好评。",
    "周末只开半天，上班族不方便，建议延长。",
    "停车位太少，能否与周边单位共享车位。",
    "饭菜偏咸，希望少油少盐。",
    "希望能提供送餐上门服务，家里老人腿脚不便。",
    "价格实惠，味道不错，希望长期办下去。",
    "就餐时间能否提前到十一点。",
    "建议公布每周菜谱。",
]


def _draw(rng, weights):
    return rng.choices(range(len(weights)), weights=weights)[0]


@transaction.atomic
def seed(stdout=None) -> int:
    editor = User.objects.filter(email="editor@demo.civiccenter.example").first()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for title, code, intro, audience, (start, end), published, n_responses, questions in SURVEYS:
        department = Department.objects.filter(code=code).first()
        if department is None or Survey.objects.filter(title=title).exists():
            continue
        opens = now + timedelta(days=start)
        survey = Survey.objects.create(
            title=title,
            introduction=intro,
            department=department,
            audience=audience,
            opens_at=opens,
            closes_at=now + timedelta(days=end),
            anonymous_limit=3,
            created_at=opens - timedelta(days=3),
        )
        created += 1
        plan = []
        for order, (text, kind, required, options, weights) in enumerate(questions, 1):
            question = Question(survey=survey, order=order, text=text, kind=kind, required=required)
            if kind == "scale":
                question.scale_max, question.scale_min_label, question.scale_max_label = options
            question.save()
            choices = []
            if kind in ("single", "multiple"):
                choices = Choice.objects.bulk_create(
                    Choice(question=question, order=i, text=choice) for i, choice in enumerate(options, 1)
                )
            plan.append((question, choices, weights))
        if published:
            survey.publish(by=editor, now=opens - timedelta(days=1))
        if n_responses:
            created += _responses(survey, plan, n_responses, citizen if end < 0 else None, opens, now)
    if stdout and created:
        stdout.write(f"  surveys: {created} surveys and responses\n")
    return created


def _responses(survey, plan, n, citizen, opens, now):
    """`n` responses spread over the period so far; the demo citizen answers the closed survey only (so that the
    open one can still be tried with that account)."""
    rng = random.Random(survey.title)  # noqa: S311 - demo data, not security
    last = min(now, survey.closes_at)
    span = (last - opens).total_seconds()
    responses = []
    for i in range(n):
        created_at = opens + timedelta(seconds=span * (i + rng.random()) / n)
        if i == 0 and citizen is not None:
            responses.append(Response(survey=survey, respondent=citizen, created_at=created_at))
        else:
            key = f"demo-{survey.pk}-{i}"
            responses.append(Response(survey=survey, client_key=key, client_slot=1, created_at=created_at))
    responses = Response.objects.bulk_create(responses)
    written = WRITTEN[:5] if "大厅" in survey.title else WRITTEN[5:]
    answers = []
    for response in responses:
        for question, choices, weights in plan:
            if question.kind == "single":
                answers.append(Answer(response=response, question=question, choice=choices[_draw(rng, weights)]))
            elif question.kind == "multiple":
                picked = [c for c, w in zip(choices, weights, strict=True) if rng.random() < w / 100]
                if not picked and question.required:
                    picked = [choices[_draw(rng, weights)]]
                answers.extend(Answer(response=response, question=question, choice=c) for c in picked)
            elif question.kind == "scale":
                answers.append(Answer(response=response, question=question, value=_draw(rng, weights) + 1))
            elif rng.random() < 0.15:
                answers.append(Answer(response=response, question=question, text=rng.choice(written)))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)
