import pytest

from licensing.models import LifeEvent, Material, Matter


def make_matter(department, code="XK-SCJG-001", name="食品经营许可", publish=True, by=None, **fields):
    fields.setdefault("name_en", "Food business licence")
    matter = Matter.objects.create(code=code, department=department, name=name, **fields)
    version = matter.start_new_version(by=by)
    version.legal_basis = "《中华人民共和国食品安全法》第三十五条"
    version.conditions = "具有与申请事项相适应的场所。"
    version.procedure = "申请\n受理\n审查\n决定"
    version.statutory_limit, version.promised_limit = 20, 10
    version.save()
    Material.objects.create(version=version, name="申请书", name_en="Application form")
    Material.objects.create(version=version, name="营业执照", name_en="Business licence", form="copy", required=False)
    if publish:
        version.publish(by=by)
        matter.refresh_from_db()
    return matter


@pytest.fixture
def matter(department):
    return make_matter(department)


@pytest.fixture
def restaurant(db):
    return LifeEvent.objects.create(slug="restaurant", name="开办餐馆", name_en="Opening a restaurant")
