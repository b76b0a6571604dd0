"""Demo organizations: three dozen of every type and field, most verified, some pending or returned, one
with an early pilot code that fails the check; logos drawn at seed time; the demo representative
(ngo@demo…) administers two verified ones and a pending one. A reviewer of the civil affairs department
(mz@demo…) verifies them.
"""

import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from civiccenter import roles
from civiccenter.lib.uscc import CHARS as USCC_CHARS
from civiccenter.lib.uscc import check_character
from civiccenter.models import Department, User
from civiccenter.stateful import StatusEvent
from ngo.models.organizations import VERIFYING_DEPARTMENT, Membership, Organization

REPRESENTATIVE = "ngo@demo.civiccenter.example"
VERIFIER = "mz@demo.civiccenter.example"

COLOURS = ["#1e6b30", "#1f4e8c", "#8a4b00", "#6b1e5a", "#0f6b6b", "#7a2e1e", "#3d3d8f", "#4f6b1e"]

# name, type, field, area, description
ORGANIZATIONS = [
    (
        "示范区夕阳红养老服务中心",
        "private_non_enterprise",
        "elderly",
        "东湖街道",
        "为辖区独居和失能老人提供助餐、助浴、助医和日间照料服务。",
    ),
    ("示范区青少年成长促进会", "social_group", "children", "全区", "开展青少年课后托管、心理辅导和暑期实践活动。"),
    (
        "示范区助残康复服务社",
        "private_non_enterprise",
        "disability",
        "西城街道",
        "为残疾人提供康复训练、辅具适配和就业指导。",
    ),
    ("示范区慈善基金会", "foundation", "poverty", "全区", "募集善款，资助困难家庭、助学和大病救助项目。"),
    ("东湖社区居民委员会", "community", "community", "东湖社区", "组织居民议事、楼道自治和邻里互助活动。"),
    (
        "幸福里邻里互助会",
        "mutual_aid",
        "community",
        "幸福里社区",
        "居民自发组成的互助组织，开展代购、陪诊和家电维修等互助服务。",
    ),
    ("示范区环保志愿者协会", "social_group", "environment", "全区", "开展垃圾分类宣传、河道巡护和植树护绿活动。"),
    (
        "示范区法律援助志愿服务中心",
        "private_non_enterprise",
        "legal",
        "全区",
        "为困难群众提供免费法律咨询和代写文书服务。",
    ),
    ("示范区书画艺术协会", "social_group", "culture", "全区", "举办书画培训、展览和进社区公益讲座。"),
    ("示范区健康促进会", "social_group", "health", "南山街道", "开展慢性病健康管理讲座和义诊活动。"),
    ("示范区阳光助学基金会", "foundation", "education", "全区", "资助家庭困难学生完成学业，开展阅读推广。"),
    ("南山社区居民委员会", "community", "community", "南山社区", "组织社区议事协商和文明楼道创建。"),
    (
        "示范区社区教育服务中心",
        "private_non_enterprise",
        "education",
        "北湖街道",
        "为社区居民提供终身学习课程和数字技能培训。",
    ),
    ("示范区老年大学校友会", "social_group", "elderly", "全区", "组织老年学员开展文体活动和互助学习。"),
    (
        "示范区儿童关爱服务中心",
        "private_non_enterprise",
        "children",
        "西城街道",
        "为留守和困境儿童提供陪伴、学业辅导和安全教育。",
    ),
    ("示范区红十字志愿服务队", "other", "health", "全区", "开展应急救护培训和无偿献血宣传。"),
    ("北湖社区居民委员会", "community", "community", "北湖社区", "推动社区自治、物业协调和居民文体活动。"),
    ("绿荫小区互助会", "mutual_aid", "environment", "绿荫小区", "组织小区绿化认养、旧物交换和节能宣传。"),
    ("示范区体育舞蹈协会", "social_group", "culture", "全区", "开展广场舞、体育舞蹈培训和群众性比赛。"),
    ("示范区心理健康服务中心", "private_non_enterprise", "health", "全区", "提供心理咨询热线和心理健康讲座。"),
    ("示范区残疾人就业促进会", "social_group", "disability", "全区", "为残疾人提供职业技能培训和就业对接。"),
    ("示范区乡村振兴公益基金会", "foundation", "poverty", "东湖街道", "支持乡村产业发展和困难群众增收项目。"),
    (
        "示范区家庭教育指导中心",
        "private_non_enterprise",
        "education",
        "南山街道",
        "为家长提供家庭教育讲座和亲子活动指导。",
    ),
    ("示范区调解员协会", "social_group", "legal", "全区", "组织人民调解员培训，化解邻里和家庭纠纷。"),
    ("示范区读书会", "other", "culture", "北湖街道", "每月组织读书分享会和社区图书漂流。"),
    ("西城社区居民委员会", "community", "community", "西城社区", "组织社区协商议事和老旧小区改造意见征集。"),
    ("和睦家园互助会", "mutual_aid", "elderly", "和睦家园小区", "低龄老人帮扶高龄老人的时间银行互助组织。"),
    ("示范区生态保护基金会", "foundation", "environment", "全区", "资助湿地保护和环境教育项目。"),
    ("示范区青年志愿者协会", "social_group", "community", "全区", "组织青年参与社区服务、大型活动保障和应急志愿服务。"),
    (
        "示范区居家养老服务社",
        "private_non_enterprise",
        "elderly",
        "北湖街道",
        "为居家老人提供上门照护和适老化改造咨询。",
    ),
    ("示范区少儿科技创新协会", "social_group", "children", "全区", "开展少儿编程、科技制作和科普活动。"),
    ("示范区公益法律服务社", "private_non_enterprise", "legal", "东湖街道", "为劳动者和农民工提供维权咨询。"),
    (
        "示范区社区营养餐服务中心",
        "private_non_enterprise",
        "health",
        "西城街道",
        "为社区老人和慢病人群提供营养配餐指导。",
    ),
    ("示范区非遗传承促进会", "social_group", "culture", "全区", "组织非物质文化遗产展示、传承和进校园活动。"),
    ("春晖小区互助会", "mutual_aid", "children", "春晖小区", "家长轮值看护放学儿童的互助组织。"),
    ("示范区助老扶弱慈善会", "other", "poverty", "全区", "走访慰问困难老人，开展节日送温暖活动。"),
]
# Indexes of the ones the demo representative administers: two verified and one pending.
REPRESENTATIVE_OWNS = {0: "verified", 6: "verified", 12: "pending"}
PENDING = {12, 20, 27, 33}
RETURNED = {9: "证书扫描件不清晰，请重新上传完整清晰的登记证书。", 24: "机构名称与登记证书不一致，请核对后修改。"}
PILOT = 15  # an early pilot code that fails the check: accepted with the warning

# The second character of the code by type (GB 32100-2015): 5x for civil affairs, 9x companies, Y others.
AUTHORITY = {
    "social_group": "51",
    "private_non_enterprise": "52",
    "foundation": "53",
    "community": "59",
    "mutual_aid": "59",
    "other": "Y1",
}


def uscc_for(kind: str, number: int, *, valid=True) -> str:
    """A code of the right shape for `kind`, its check character computed unless `valid` is False."""
    organisation = f"MJ{number:07d}"  # 9 characters: the organisation code
    body = f"{AUTHORITY[kind]}330106{organisation}"
    check = check_character(body)
    if not valid:
        check = USCC_CHARS[(USCC_CHARS.index(check) + 1) % len(USCC_CHARS)]
    return body + check


def logo_png(name: str, colour: str) -> bytes:
    """A coloured square with the organization's initial characters (two after the district's name)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(image)
    text = name.replace("示范区", "")[:2]
    font = None
    for path in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    ):
        try:
            font = ImageFont.truetype(path, 96)
            break
        except OSError:
            continue
    if font is None:
        font, text = ImageFont.load_default(), "".join(c for c in name if c.isascii())[:2] or "NGO"
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(
        ((240 - box[2] + box[0]) / 2 - box[0], (240 - box[3] + box[1]) / 2 - box[1]), text, fill="white", font=font
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


CERTIFICATE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _verifier():
    """The civil affairs reviewer who verifies (created here until seed_demo lists it among the staff)."""
    from civiccenter.management.commands import seed_demo

    user = User.objects.filter(email=VERIFIER).first()
    if user is not None:
        return user, 0
    department = Department.objects.filter(code=VERIFYING_DEPARTMENT).first()
    user = User.objects.create_user(
        VERIFIER,
        seed_demo.DEMO_PASSWORD,
        full_name="马丽华",
        is_staff=True,
        department=department,
        email_confirmed_at=timezone.now(),
    )
    user.groups.add(Group.objects.get(name=roles.DEPARTMENT_REVIEWER))
    return user, 1


def _representative(index):
    user = User.objects.filter(email=f"org{index:02d}@demo.civiccenter.example").first()
    if user:
        return user, 0
    from civiccenter.management.commands import seed_demo

    user = User.objects.create_user(
        f"org{index:02d}@demo.civiccenter.example",
        seed_demo.DEMO_PASSWORD,
        full_name=["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄勇"][index % 8],
        account_type=User.AccountType.ORGANIZATION,
        email_confirmed_at=timezone.now(),
    )
    return user, 1


@transaction.atomic
def seed(stdout=None) -> int:
    if Organization.objects.filter(name=ORGANIZATIONS[0][0]).exists():
        return 0
    verifier, created = _verifier()
    owner = User.objects.filter(email=REPRESENTATIVE).first()
    now = timezone.now()
    events = []
    organization_type = ContentType.objects.get_for_model(Organization)
    for index, (name, kind, field, area, description) in enumerate(ORGANIZATIONS):
        if index in REPRESENTATIVE_OWNS and owner is not None:
            admin_user = owner
        else:
            admin_user, new = _representative(index)
            created += new
        registered = now - timedelta(days=400 - index * 9)
        organization = Organization(
            name=name,
            type=kind,
            uscc=uscc_for(kind, 1000 + index * 37, valid=index != PILOT),
            uscc_check_failed=index == PILOT,
            field=field,
            area=area,
            description=description,
            contact_person=admin_user.full_name,
            contact_phone=f"0571-8620{index:04d}",
            show_phone=index % 3 == 0,
            contact_email=f"contact{index:02d}@ngo.demo.civiccenter.example",
            created_by=admin_user,
            created_at=registered,
        )
        organization.certificate.save("certificate.pdf", ContentFile(CERTIFICATE_PDF), save=False)
        organization.logo.save("logo.png", ContentFile(logo_png(name, COLOURS[index % len(COLOURS)])), save=False)
        if index in PENDING:
            status = "pending"
        elif index in RETURNED:
            status = "returned"
            organization.return_reason = RETURNED[index]
        else:
            status = "verified"
            organization.verified_at, organization.verified_by = registered + timedelta(days=3), verifier
        organization.status = status
        organization.featured = index in (0, 3, 6)
        organization.save()
        organization.refresh_logo_thumbnail()
        Membership.objects.create(
            organization=organization, user=admin_user, role=Membership.Role.ADMINISTRATOR, joined_at=registered
        )
        created += 2
        events.append(
            StatusEvent(
                content_type=organization_type,
                object_id=organization.pk,
                move="register",
                new_status="pending",
                actor=admin_user,
                note="登记",
                created_at=registered,
            )
        )
        if status != "pending":
            note = "核验通过" if status == "verified" else organization.return_reason
            events.append(
                StatusEvent(
                    content_type=organization_type,
                    object_id=organization.pk,
                    move="verify" if status == "verified" else "return_for_correction",
                    old_status="pending",
                    new_status=status,
                    actor=verifier,
                    note=note,
                    created_at=registered + timedelta(days=3),
                )
            )
    # A few members besides the administrators, for the member lists.
    first = Organization.objects.get(name=ORGANIZATIONS[0][0])
    for index in (1, 2):
        member, new = _representative(100 + index)
        created += new
        Membership.objects.get_or_create(organization=first, user=member, defaults={"role": Membership.Role.MEMBER})
        created += 1
    StatusEvent.objects.bulk_create(events)
    created += len(events)
    if stdout:
        stdout.write(f"  ngo organizations: {len(ORGANIZATIONS)} organizations")
    return created
