"""Demo data for the mutual assistance board: needs and offers in every state (waiting, open, accepted, closed
with thanks, rejected, hidden), responses, and a few reports in the moderators' queue."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civiccenter.models import User

DEMO_PASSWORD_USERS = [
    ("resident1@demo.civiccenter.example", "王秀兰", "13512340001"),
    ("resident2@demo.civiccenter.example", "陈国华", "13512340002"),
    ("resident3@demo.civiccenter.example", "刘晓燕", "13512340003"),
]

# kind, category, area, when, title, description, final state
POSTS = [
    ("need", "elderly", "城南街道幸福里社区", "每周二、四上午", "想找人陪我母亲在小区里散步",
     "母亲八十二岁，腿脚不太灵便，白天我要上班。希望有邻居每周两次陪她在小区散步一小时，聊聊天。", "open"),
    ("offer", "repairs", "城北街道", "周末全天", "退休电工，免费帮邻居修小电器",
     "本人退休前是电工，可以免费帮忙检修台灯、电风扇、电饭煲等小家电，材料费自理。", "open"),
    ("need", "children", "城东街道", "工作日下午四点到六点", "孩子放学后需要人辅导作业",
     "孩子上小学三年级，父母下班较晚，希望有大学生或退休教师帮忙辅导语文和数学作业。", "open"),
    ("offer", "transport", "城西街道", "工作日白天", "有车，可接送老人去医院复诊",
     "本人时间比较自由，有私家车，可以接送行动不便的老人去区人民医院复诊，不收费用。", "open"),
    ("need", "errands", "城南街道", "每周六上午", "腿受伤了，需要人帮忙买菜",
     "上个月摔伤了腿，最近一个月不方便出门，希望有人每周六帮忙去菜市场买一次菜，菜钱当面结清。", "accepted"),
    ("offer", "skills", "城中街道文化站", "每周日下午", "免费教中老年人使用智能手机",
     "可以教大家用手机挂号、视频通话、扫码乘车和防范电信诈骗，每次一小时，欢迎报名。", "closed"),
    ("need", "goods", "城北街道", "本月内", "求借一辆轮椅用两周",
     "家里老人做完手术，需要借一辆轮椅用两周左右，用完洗干净归还。", "closed"),
    ("offer", "goods", "城东街道", "随时", "闲置儿童绘本免费送",
     "家里孩子长大了，有五十多本儿童绘本，品相良好，免费送给有需要的家庭。", "pending"),
    ("need", "health", "城西街道", "下周三上午", "需要有人陪同去医院做检查",
     "独居，下周三要去医院做胃镜，需要有人陪同并在检查后送我回家。", "pending"),
    ("offer", "other", "城南街道", "长期", "高价回收旧手机，联系微信",
     "高价回收各种旧手机、旧电脑，上门取货，详情加微信。", "rejected"),
    ("offer", "skills", "城中街道", "周末", "代写各类材料，收费优惠",
     "专业代写各类申请材料、论文，价格优惠，量大从优。", "hidden"),
]  # fmt: skip


@transaction.atomic
def seed(stdout=None) -> int:
    from ngo.models.board import Post, Report, Response

    if Post.objects.filter(title=POSTS[0][4]).exists():
        return 0
    moderator = User.objects.filter(email="moderator@demo.civiccenter.example").first()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    ngo_user = User.objects.filter(email="ngo@demo.civiccenter.example").first()
    if moderator is None or citizen is None:
        return 0
    created = 0
    residents = []
    for email, name, phone in DEMO_PASSWORD_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, "demo-password-2026", full_name=name, phone=phone, email_confirmed_at=timezone.now()
            )
            created += 1
        residents.append(user)
    people = [citizen, *residents, *([ngo_user] if ngo_user else [])]
    now = timezone.now()
    for index, (kind, category, area, when, title, description, state) in enumerate(POSTS):
        author = people[index % len(people)]
        post = Post.submit(
            by=author,
            kind=kind,
            category=category,
            area=area,
            when_text=when,
            title=title,
            description=description,
            contact_phone=author.phone or "13800138000",
            contact_email=author.email,
        )
        created += 1
        # Stand the post on the day it was written: the newest first, over the past weeks.
        Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(days=2 * index + 1, hours=index))
        if state == "pending":
            continue
        if state == "rejected":
            post.reject(by=moderator, reason="商业回收广告不属于邻里互助内容，请勿发布。")
            continue
        post.approve(by=moderator)
        Post.objects.filter(pk=post.pk).update(published_at=now - timedelta(days=2 * index, hours=index))
        helpers = [p for p in people if p.pk != author.pk]
        if (state == "open" and index % 2 == 0) or state in ("accepted", "closed"):
            first = post.respond(
                by=helpers[0],
                message="您好，我就住在附近，时间上可以配合，欢迎联系。",
                contact_phone=helpers[0].phone or "13900139000",
            )
            second = post.respond(
                by=helpers[1], message="我也可以帮忙，周末时间比较多。", contact_email=helpers[1].email
            )
            created += 2
            if state in ("accepted", "closed"):
                post.accept(by=author, response=first)
            if state == "closed":
                post.close(by=author)
                post.thank(by=author, text="非常感谢热心邻居的帮助，远亲不如近邻！")
                post.thank(by=helpers[0], text="举手之劳，很高兴能帮上忙。")
            if index == 0:
                second.report(by=author, reason="回应内容与需求无关，疑似推销。")
                created += 1
        if state == "hidden":
            post.report(by=citizen if author.pk != citizen.pk else residents[0], reason="收费代写广告。")
            created += 1
            post.hide(by=moderator, reason="收费商业服务，不属于邻里互助。")
    # One open post reported and waiting in the queue.
    reported = Post.objects.get(title=POSTS[3][4])
    reporter = next(p for p in people if p.pk != reported.author_id)
    reported.report(by=reporter, reason="请核实发布者身份，担心有安全隐患。")
    created += 1
    if stdout:
        stdout.write(f"Board: {Post.objects.count()} posts, {Response.objects.count()} responses, "
                     f"{Report.objects.count()} reports.")  # fmt: skip
    return created
