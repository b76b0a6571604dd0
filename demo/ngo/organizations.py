"""Demo organizations: three dozen of every type and field, most verified, some pending or returned, one
with an early pilot code that fails the check; logos drawn at seed time; the demo representative
(ngo@demo…) administers two verified ones and a pending one. A reviewer of the civil affairs department
(mz@demo…) verifies them.

Nothing is written in its final state: each representative registers their organization over the last
thirteen months (`Organization.register`, the certificate and logo uploaded as on the form) and the reviewer
verifies or returns it three days later, each step inside `clock.at` on its own day, so the status, the
verification date and the history are the moves' own.
"""

import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

import demo
from civiccenter import roles
from civiccenter.lib import clock
from civiccenter.lib.simplepdf import text_pdf
from civiccenter.lib.uscc import CHARS as USCC_CHARS
from civiccenter.lib.uscc import check_character
from civiccenter.models import Department, User
from ngo.models.organizations import VERIFYING_DEPARTMENT, Membership, Organization

REPRESENTATIVE = "ngo@demo.civiccenter.example"
VERIFIER = "mz@demo.civiccenter.example"

COLOURS = ["#1e6b30", "#1f4e8c", "#8a4b00", "#6b1e5a", "#0f6b6b", "#7a2e1e", "#3d3d8f", "#4f6b1e"]

_DATA = demo.load("ngo", "organizations")

# name, type, field, area, description
ORGANIZATIONS = [
    (row["name"], row["type"], row["field"], row["area"], row["description"]) for row in _DATA["organizations"]
]
# Indexes of the ones the demo representative administers: two verified and one pending.
REPRESENTATIVE_OWNS = {0: "verified", 6: "verified", 12: "pending"}
PENDING = {12, 20, 27, 33}
RETURNED = {9: "证书扫描件不清晰，请重新上传完整清晰的登记证书。", 24: "机构名称与登记证书不一致，请核对后修改。"}
PILOT = 15  # an early pilot code that fails the check: accepted with the warning
FEATURED = {0, 3, 6}  # verified ones staff feature on the NGO page

# The second character of the code by type (GB 32100-2015), by organization type.
AUTHORITY = _DATA["authority"]


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


# A one-page scan stand-in; a real PDF (cross-reference table and all), as uploads require.
CERTIFICATE_PDF = text_pdf("社会组织登记证书（演示）", ["本文件为演示数据，不是真实的登记证书。"])


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
        email_confirmed_at=clock.now(),
    )
    user.groups.add(Group.objects.get(name=roles.DEPARTMENT_REVIEWER))
    return user, 1


def _representative(index):
    """An organization account of the demo, created (and confirmed) at the clock's moment: the day it registers
    an organization or joins one."""
    user = User.objects.filter(email=f"org{index:02d}@demo.civiccenter.example").first()
    if user:
        return user, 0
    from civiccenter.management.commands import seed_demo

    user = User.objects.create_user(
        f"org{index:02d}@demo.civiccenter.example",
        seed_demo.DEMO_PASSWORD,
        full_name=["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄勇"][index % 8],
        account_type=User.AccountType.ORGANIZATION,
        email_confirmed_at=clock.now(),
    )
    return user, 1


def _register(index, representative):
    """The representative registers the organization, with its certificate and logo, as on the form."""
    name, kind, field, area, description = ORGANIZATIONS[index]
    return Organization.register(
        by=representative,
        name=name,
        type=kind,
        uscc=uscc_for(kind, 1000 + index * 37, valid=index != PILOT),  # the pilot code is flagged by register
        field=field,
        area=area,
        description=description,
        contact_person=representative.full_name,
        contact_phone=f"0571-8620{index:04d}",
        show_phone=index % 3 == 0,
        contact_email=f"contact{index:02d}@ngo.demo.civiccenter.example",
        certificate=ContentFile(CERTIFICATE_PDF, name="certificate.pdf"),
        logo=ContentFile(logo_png(name, COLOURS[index % len(COLOURS)]), name="logo.png"),
    )


@transaction.atomic
def seed(stdout=None) -> int:
    """Each organization is registered by its representative on its day, then verified or returned by the
    civil affairs reviewer three days later, through the real moves (`clock.at`), so its history is dated."""
    if Organization.objects.filter(name=ORGANIZATIONS[0][0]).exists():
        return 0
    verifier, created = _verifier()
    owner = User.objects.filter(email=REPRESENTATIVE).first()
    now = clock.now()
    for index in range(len(ORGANIZATIONS)):
        registered = now - timedelta(days=400 - index * 9)
        with clock.at(registered):
            if index in REPRESENTATIVE_OWNS and owner is not None:
                representative = owner
            else:
                representative, new = _representative(index)
                created += new
            organization = _register(index, representative)
            created += 3  # the organization, its first administrator, its registration in the history
        if index in PENDING:
            continue
        with clock.at(registered + timedelta(days=3)):
            if index in RETURNED:
                organization.return_for_correction(by=verifier, reason=RETURNED[index])
            else:
                organization.verify(by=verifier)
                if index in FEATURED:  # staff feature it on the NGO page (the admin's field; no move)
                    organization.featured = True
                    organization.save(update_fields=["featured"])
            created += 2  # the move in the history, the administrators' notice
    # A few members besides the administrators, for the member lists: they joined ten days after it registered.
    first = Organization.objects.get(name=ORGANIZATIONS[0][0])
    with clock.at(first.created_at + timedelta(days=10)):
        for index in (1, 2):
            member, new = _representative(100 + index)
            created += new
            Membership.objects.get_or_create(organization=first, user=member, defaults={"role": Membership.Role.MEMBER})
            created += 1
    if stdout:
        stdout.write(f"  ngo organizations: {len(ORGANIZATIONS)} organizations")
    return created
