"""Plain helpers for the board and showcase tests (no tests here: imported by the test modules)."""

from civiccenter import roles
from ngo.models.board import Post
from tests.conftest import make_department, make_staff


def make_post(author, *, approve_by=None, **fields):
    fields.setdefault("kind", Post.Kind.NEED)
    fields.setdefault("category", Post.Category.ELDERLY)
    fields.setdefault("area", "城南街道")
    fields.setdefault("title", "每周陪老人散步")
    fields.setdefault("description", "家中老人行动不便，希望每周二上午有人陪同在小区散步一小时。")
    fields.setdefault("contact_phone", "13800138000")
    post = Post.submit(by=author, **fields)
    if approve_by is not None:
        post.approve(by=approve_by)
    return post


def make_moderator(email="moderator@example.cn"):
    department = make_department(code="ZXBGS", name="中心办公室", name_en="Center office", phone="0571-86010000")
    return make_staff(email, roles.MODERATOR, department, full_name="孙文博")
