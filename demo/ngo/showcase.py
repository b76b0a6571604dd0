"""Demo data for the citizen showcase: about thirty works with images drawn by Pillow at seed time (gradients,
abstract shapes, calligraphy-like strokes), in every moderation state, and two exhibitions (current and past)."""

import io
import math
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

import demo
from civiccenter.lib import clock
from civiccenter.models import User

_DATA = demo.load("ngo", "showcase")

# category -> the works' titles; category -> the works' description
TITLES = {category: row["titles"] for category, row in _DATA["categories"].items()}
# (title, video address)
PERFORMANCES = [(row["title"], row["url"]) for row in _DATA["performances"]]
DESCRIPTIONS = {category: row["description"] for category, row in _DATA["categories"].items()}


def _gradient(draw, size, top, bottom):
    width, height = size
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)


def draw_image(category, seed_value, size=(800, 600)) -> bytes:
    """A small abstract picture for the category: gradients and shapes, or ink strokes on rice paper."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed_value)  # noqa: S311 - reproducible pictures, not secrets
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    width, height = size
    if category == "calligraphy":
        draw.rectangle([0, 0, width, height], fill=(244, 236, 214))
        for column in range(rng.randint(2, 4)):
            x = width * (column + 1) / 5
            y = 60
            while y < height - 80:
                points = []
                for step in range(6):
                    points.append((x + rng.randint(-40, 40), y + step * rng.randint(6, 14)))
                draw.line(points, fill=(25, 25, 25), width=rng.randint(8, 18), joint="curve")
                y += rng.randint(80, 120)
        draw.rectangle([width - 90, height - 110, width - 50, height - 70], fill=(178, 34, 34))
    else:
        top = tuple(rng.randint(60, 230) for _ in range(3))
        bottom = tuple(rng.randint(20, 200) for _ in range(3))
        _gradient(draw, size, top, bottom)
        for _shape in range(rng.randint(4, 9)):
            x, y = rng.randint(0, width), rng.randint(0, height)
            r = rng.randint(30, 160)
            colour = tuple(rng.randint(0, 255) for _ in range(3))
            if rng.random() < 0.5:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
            else:
                angle = rng.random() * math.pi
                pts = [(x + r * math.cos(angle + k * 2.1), y + r * math.sin(angle + k * 2.1)) for k in range(3)]
                draw.polygon(pts, fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


@transaction.atomic
def seed(stdout=None) -> int:
    from ngo.models.showcase import Exhibition, ExhibitionEntry, Work, WorkImage

    if Exhibition.objects.filter(title="金秋市民书画摄影展").exists():
        return 0
    moderator = User.objects.filter(email="moderator@demo.civiccenter.example").first()
    authors = list(
        User.objects.filter(is_staff=False, email__endswith="@demo.civiccenter.example").order_by("email")[:6]
    )
    if moderator is None or not authors:
        return 0
    created = 0
    now = clock.now()
    approved = []
    index = 0
    items = [(c, t) for c, titles in TITLES.items() for t in titles]
    for category, title in items:
        author = authors[index % len(authors)]
        # Submitted over the last two months, each moderated two days later (withdrawn a day after that).
        submitted = now - timedelta(days=60 - index * 2)
        moderated = submitted + timedelta(days=2)
        work = Work(category=category, title=title, description=DESCRIPTIONS[category], consent_to_publish=True)
        with clock.at(submitted):
            work.submit(by=author)
            pictures = 2 if index % 5 == 0 else 1
            for n in range(pictures):
                data = draw_image(category, index * 10 + n)
                WorkImage.objects.create(work=work, image=SimpleUploadedFile(f"demo{index}-{n}.jpg", data), order=n)
        created += 1 + pictures
        with clock.at(moderated):
            if index in (3, 11):
                pass  # waiting for moderation
            elif index == 7:
                work.return_to_author(by=moderator, reason="图片过暗，请补充一张清晰的作品照片。")
            elif index == 15:
                work.approve(by=moderator)
                with clock.at(moderated + timedelta(days=1)):
                    work.withdraw(by=author)
            else:
                work.approve(by=moderator)
                approved.append(work)
        index += 1
    for number, (title, url) in enumerate(PERFORMANCES):
        work = Work(
            category=Work.Category.PERFORMANCE,
            title=title,
            description="社区文艺汇演上的表演录像。",
            video_url=url,
            consent_to_publish=True,
        )
        with clock.at(now - timedelta(days=20 - number)):
            work.submit(by=authors[index % len(authors)])
        with clock.at(now - timedelta(days=19 - number)):
            work.approve(by=moderator)
        approved.append(work)
        created += 1
        index += 1
    today = clock.today()
    current = Exhibition.objects.create(
        title="金秋市民书画摄影展",
        introduction="本次展览精选本区市民近期创作的书法、绘画和摄影作品，展现市民的才华与对生活的热爱。",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=30),
        published=True,
    )
    past = Exhibition.objects.create(
        title="夏日手工艺作品展",
        introduction="展出市民手工制作的剪纸、竹编、布艺等传统手工艺作品，传承非遗技艺。",
        starts_on=today - timedelta(days=120),
        ends_on=today - timedelta(days=80),
        published=True,
    )
    created += 2
    shown = [w for w in approved if w.category in ("painting", "calligraphy", "photography")][:10]
    crafts = [w for w in approved if w.category in ("handicraft", "other")]
    ExhibitionEntry.objects.bulk_create(
        [ExhibitionEntry(exhibition=current, work=w, order=n) for n, w in enumerate(shown)]
        + [ExhibitionEntry(exhibition=past, work=w, order=n) for n, w in enumerate(crafts)]
    )
    created += len(shown) + len(crafts)
    if stdout:
        stdout.write(f"Showcase: {Work.objects.count()} works, {Exhibition.objects.count()} exhibitions.")
    return created
