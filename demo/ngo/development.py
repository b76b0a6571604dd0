"""Demo activities (past and coming weeks, some at booked venues, every moderation state), registrations,
achievements with photos drawn at seed time (three featured), and the center's news of exchanges.

Rows are written in bulk with their states set directly, as the moderators would have left them, so the
seed stays fast; the photos go through the model so they are re-encoded and get their thumbnails.
"""

import io
import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from civiccenter.models import User
from ngo.models.development import (
    Achievement,
    AchievementPhoto,
    Activity,
    ActivityPhoto,
    ActivityRegistration,
    NewsItem,
)
from ngo.models.organizations import Membership

MODERATOR = "moderator@demo.civiccenter.example"
EDITOR = "editor@demo.civiccenter.example"

# title, description, place, days from today, start hour, hours, capacity (None: no limit, 0: no registration)
ACTIVITIES = [
    (
        "重阳节敬老茶话会",
        "邀请辖区独居老人共度重阳，包饺子、唱老歌、义务理发。",
        "东湖街道社区服务中心二楼",
        -27,
        14,
        2,
        60,
    ),
    ("垃圾分类进社区宣传", "志愿者入户讲解垃圾分类知识，发放分类指引和环保袋。", "幸福里社区文化广场", -20, 9, 3, None),
    (
        "青少年周末读书会",
        "共读《城南旧事》，分享读后感，由志愿者老师引导讨论。",
        "示范区图书馆三楼阅览室",
        -13,
        10,
        2,
        25,
    ),
    ("免费法律咨询日", "律师志愿者现场解答婚姻家庭、劳动争议和物业纠纷问题。", "西城街道便民服务中心", -9, 9, 4, 0),
    (
        "助残康复训练开放日",
        "康复师示范居家康复训练方法，家属可现场体验辅具。",
        "示范区助残康复服务社一楼训练室",
        -5,
        14,
        3,
        30,
    ),
    ("慢性病健康管理讲座", "社区医生讲解高血压、糖尿病的日常管理和用药常识。", "南山街道社区卫生服务站", -2, 15, 2, 80),
    (
        "冬季送温暖义卖活动",
        "义卖手工作品和爱心捐赠物品，所得善款全部用于困难家庭冬季慰问。",
        "东湖社区居民委员会门前广场",
        3,
        9,
        4,
        None,
    ),
    ("亲子植树护绿活动", "家长与孩子一起在河道绿化带补种树苗、认领护绿责任区。", "东湖河滨公园南门集合", 6, 9, 3, 40),
    ("书画进社区公益课", "书画协会老师现场教授毛笔字和国画入门，提供笔墨纸砚。", "幸福里社区老年活动室", 9, 14, 2, 20),
    (
        "社会组织公益项目分享会",
        "优秀社会组织分享项目设计、志愿者管理和募捐经验。",
        "示范区社会组织孵化基地",
        12,
        14,
        3,
        50,
    ),
    ("独居老人安全检查志愿行动", "志愿者上门检查燃气、用电安全，更换老化插座。", "东湖街道各社区", 16, 9, 4, 15),
    ("少儿防溺水安全课堂", "讲解防溺水知识，演示心肺复苏和简单急救方法。", "示范区青少年活动中心", 20, 10, 2, 35),
]
PENDING = {"邻里议事会：楼道堆物怎么管", "社区义诊进家门"}
RETURNED = {"春节写春联送福字": "请写明活动的具体地点和报名方式，并补充一张往年活动照片。"}
EXTRA = [
    (
        "邻里议事会：楼道堆物怎么管",
        "居民代表一起商量楼道堆物清理办法，形成居民公约草案。",
        "幸福里社区议事厅",
        10,
        19,
        2,
        30,
    ),
    ("社区义诊进家门", "医生志愿者为行动不便的老人上门测血压、血糖。", "南山街道各小区", 14, 9, 3, 0),
    ("春节写春联送福字", "书法志愿者现场写春联，免费赠送给居民。", "社区活动中心", 30, 9, 3, None),
]

ACHIEVEMENTS = [
    (
        "重阳节敬老茶话会温暖六十位老人",
        "重阳节当天，六十余位独居老人与志愿者一起包饺子、唱老歌。二十名志愿者为老人义务理发、测量血压，"
        "社区还为八十岁以上老人送上了慰问品。老人们说：“像过年一样热闹。”",
        0,
    ),
    (
        "垃圾分类宣传覆盖一千二百户",
        "三周来，环保志愿者协会组织志愿者一百二十人次，入户讲解垃圾分类知识一千二百余户，"
        "幸福里社区的分类准确率从百分之六十提高到百分之八十五。",
        1,
    ),
    (
        "读书会陪伴青少年度过四十个周末",
        "青少年成长促进会的周末读书会已连续举办四十期，参与青少年三百余人次，孩子们的读后感汇编成册，在区图书馆展出。",
        2,
    ),
    (
        "一年服务困难群众法律咨询五百件",
        "法律援助志愿服务中心全年接待群众法律咨询五百余件，代写文书八十余份，帮助群众挽回经济损失三十余万元。",
        3,
    ),
    (
        "康复开放日让家属学会居家训练",
        "三十户残疾人家庭参加开放日，康复师一对一示范居家训练，二十位家属现场学会使用辅具。",
        4,
    ),
    (
        "慈善基金会资助五十名困难学生",
        "基金会本学年资助辖区困难家庭学生五十名，每人每学期两千元，并安排志愿者结对辅导。",
        None,
    ),
]
ACHIEVEMENT_PENDING = ("健康讲座听众满堂", "慢性病讲座吸引八十位居民参加，社区医生现场解答用药问题。", 5)
ACHIEVEMENT_RETURNED = (
    ("互助会一年代购代办三百次", "邻里互助会志愿者为行动不便的居民代购代办三百余次。", None),
    "照片中有居民正脸，请取得本人同意或换用不含正脸的照片后再提交。",
)

NEWS = [
    (
        "区社会组织公益项目交流会举行",
        -3,
        "11月19日，区市民服务中心举办社会组织公益项目交流会，二十家社会组织负责人参加。"
        "与会组织分享了助老、助残和环保项目的经验，并就志愿者招募与管理开展讨论。",
        True,
    ),
    (
        "社会组织孵化基地第三期入驻组织名单公布",
        -10,
        "经申报、评审，六家社会组织入驻区社会组织孵化基地第三期，"
        "中心将为其提供办公场地、能力培训和项目指导，孵化期一年。",
        False,
    ),
    (
        "社会组织财务管理培训班结业",
        -17,
        "为期两天的社会组织财务管理培训班结业，四十五名社会组织财务人员参加，"
        "培训内容包括非营利组织会计制度、票据管理和年度检查。",
        True,
    ),
    (
        "三家社会组织结对共建社区服务项目",
        -24,
        "示范区夕阳红养老服务中心、示范区健康促进会与东湖社区居民委员会签订结对共建协议，共同开展独居老人关爱服务。",
        False,
    ),
    (
        "年度优秀社会组织评选启动",
        -31,
        "区年度优秀社会组织评选活动启动，评选结果将在中心社会组织专区公布，优秀组织将获得场地预约优先等支持。",
        False,
    ),
]

PALETTES = [
    ((244, 190, 120), (88, 150, 96)),
    ((170, 205, 235), (70, 120, 80)),
    ((250, 215, 170), (190, 90, 60)),
    ((200, 225, 240), (120, 110, 160)),
    ((235, 235, 215), (60, 110, 140)),
]


def photo_jpeg(seed: int, width=960, height=640) -> bytes:
    """A simple scene (sky, ground, sun, figures) drawn by Pillow: a photo stand-in with no metadata."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    sky, ground = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.55, 0.7))
    draw.rectangle([0, horizon, width, height], fill=ground)
    sun = rng.randint(80, width - 80)
    draw.ellipse([sun - 50, 50, sun + 50, 150], fill=(255, 230, 120))
    for _ in range(rng.randint(5, 10)):
        x = rng.randint(40, width - 40)
        colour = tuple(rng.randint(30, 220) for _ in range(3))
        draw.ellipse([x - 18, horizon - 95, x + 18, horizon - 59], fill=(240, 200, 170))
        draw.rounded_rectangle([x - 26, horizon - 58, x + 26, horizon + 20], radius=12, fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _at(day_offset, hour, today):
    return timezone.make_aware(datetime.combine(today + timedelta(days=day_offset), time(hour, 0)))


def _add_photos(model, parent_field, parent, count, seed):
    for i in range(count):
        photo = model(**{parent_field: parent}, caption="活动现场" if i == 0 else "")
        photo.image.save("photo.jpg", ContentFile(photo_jpeg(seed * 7 + i)), save=False)
        photo.save()


@transaction.atomic
def seed(stdout=None) -> int:
    if Activity.objects.filter(title=ACTIVITIES[0][0]).exists():
        return 0
    admins = {}
    for membership in (
        Membership.objects.filter(role=Membership.Role.ADMINISTRATOR, organization__status="verified")
        .select_related("organization", "user")
        .order_by("organization__pk", "joined_at")
    ):
        admins.setdefault(membership.organization, membership.user)
    organizations = list(admins)
    if not organizations:
        if stdout:
            stdout.write("ngo development: no verified organization yet, so no demo activities.")
        return 0
    moderator = User.objects.filter(email=MODERATOR).first()
    now = timezone.now()
    today = timezone.localdate()
    created = 0

    from ngo.models.venues import Booking

    bookings = list(
        Booking.objects.filter(organization__in=organizations, status=Booking.Status.APPROVED, starts_at__gt=now)
        .select_related("venue")
        .order_by("starts_at")[:3]
    )

    activities = []
    for index, (title, description, place, offset, hour, hours, capacity) in enumerate(ACTIVITIES + EXTRA):
        organization = organizations[index % len(organizations)]
        starts = _at(offset, hour, today)
        activity = Activity(
            organization=organization,
            title=title,
            description=description,
            place=place,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            registration_open=capacity != 0,
            capacity=capacity or None,
            submitted_by=admins[organization],
            submitted_at=min(now, starts) - timedelta(days=12),
        )
        # Coming activities held at a venue the organization booked at the center.
        if offset > 0 and title not in PENDING | set(RETURNED) and bookings:
            booking = bookings.pop(0)
            activity.organization = booking.organization
            activity.submitted_by = admins.get(booking.organization, activity.submitted_by)
            activity.take_booking(booking)
        if title in PENDING:
            activity.status = Activity.Status.PENDING
        elif title in RETURNED:
            activity.status, activity.return_reason = Activity.Status.RETURNED, RETURNED[title]
            activity.moderated_by = moderator
        else:
            activity.status, activity.moderated_by = Activity.Status.PUBLISHED, moderator
            activity.published_at = activity.submitted_at + timedelta(days=1)
        activities.append(activity)
    Activity.objects.bulk_create(activities)
    created += len(activities)

    # Registrations: citizens and other account holders, fewer than the capacity.
    people = list(User.objects.filter(is_staff=False, is_active=True).order_by("pk")[:40])
    registrations = []
    for index, activity in enumerate(activities):
        if activity.status != Activity.Status.PUBLISHED or not activity.registration_open:
            continue
        limit = activity.capacity - 2 if activity.capacity else 12
        chosen = people[index % 5 :: 2][: max(0, min(limit, 4 + index * 2))]
        for person in chosen:
            registrations.append(
                ActivityRegistration(
                    activity=activity,
                    user=person,
                    created_at=min(now, activity.starts_at) - timedelta(days=3),
                    reminded=activity.starts_at < now,
                )
            )
        activity.registered = len(chosen)
    ActivityRegistration.objects.bulk_create(registrations)
    Activity.objects.bulk_update(activities, ["registered"])
    created += len(registrations)

    for index, activity in enumerate(activities[:8]):
        _add_photos(ActivityPhoto, "activity", activity, 1 + index % 2, index)
        created += 1 + index % 2

    achievements = []
    for index, (title, story, activity_index) in enumerate(ACHIEVEMENTS):
        activity = activities[activity_index] if activity_index is not None else None
        organization = activity.organization if activity else organizations[(index * 3) % len(organizations)]
        published_at = (activity.ends_at if activity else now - timedelta(days=20)) + timedelta(days=2)
        achievements.append(
            Achievement(
                organization=organization,
                activity=activity,
                title=title,
                story=story,
                status=Achievement.Status.PUBLISHED,
                featured=index in (0, 1, 3),
                submitted_by=admins.get(organization),
                submitted_at=published_at - timedelta(days=1),
                moderated_by=moderator,
                published_at=min(published_at, now),
            )
        )
    title, story, activity_index = ACHIEVEMENT_PENDING
    achievements.append(
        Achievement(
            organization=activities[activity_index].organization,
            activity=activities[activity_index],
            title=title,
            story=story,
            submitted_by=admins.get(activities[activity_index].organization),
        )
    )
    (title, story, _none), reason = ACHIEVEMENT_RETURNED
    returned_org = organizations[min(5, len(organizations) - 1)]
    achievements.append(
        Achievement(
            organization=returned_org,
            title=title,
            story=story,
            status=Achievement.Status.RETURNED,
            return_reason=reason,
            moderated_by=moderator,
            submitted_by=admins[returned_org],
        )
    )
    Achievement.objects.bulk_create(achievements)
    created += len(achievements)
    for index, achievement in enumerate(achievements):
        _add_photos(AchievementPhoto, "achievement", achievement, 1 + (index % 3 == 0), 100 + index)
        created += 1 + (index % 3 == 0)

    editor = User.objects.filter(email=EDITOR).first()
    for index, (title, offset, body, with_photo) in enumerate(NEWS):
        item = NewsItem(title=title, date=today + timedelta(days=offset), body=body, created_by=editor)
        if with_photo:
            item.photo.save("news.jpg", ContentFile(photo_jpeg(200 + index)), save=False)
            item.photo_caption = "交流活动现场"
        item.save()
        created += 1

    if stdout:
        stdout.write(f"ngo development: {len(activities)} activities, {len(achievements)} achievements.")
    return created
