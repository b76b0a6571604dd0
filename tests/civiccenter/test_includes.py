"""The shared includes every later list page uses."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def test_pagination_keeps_the_other_query_parameters_and_labels_pages():
    request = RequestFactory().get("/licensing/", {"department": "SCJG", "q": "食品 经营", "page": "2"})
    page_obj = Paginator(list(range(45)), 20).page(2)
    with translation.override("en"):
        html = render_to_string("includes/pagination.html", {"page_obj": page_obj, "request": request})
    assert 'aria-label="Pages"' in html
    assert "department=SCJG&amp;q=%E9%A3%9F%E5%93%81%20%E7%BB%8F%E8%90%A5&amp;page=1" in html
    assert "page=3" in html and 'aria-current="page"' in html
    assert "page=2&" not in html


def test_pagination_is_silent_for_a_single_page():
    request = RequestFactory().get("/")
    page_obj = Paginator([1, 2], 20).page(1)
    assert render_to_string("includes/pagination.html", {"page_obj": page_obj, "request": request}).strip() == ""


def test_breadcrumbs_mark_the_current_page():
    with translation.override("zh-hans"):
        html = render_to_string("includes/breadcrumbs.html", {"trail": [("/ngo/", "社会组织")], "current": "场地预约"})
    assert '<a href="/ngo/">社会组织</a>' in html
    assert 'aria-current="page">场地预约</li>' in html
    assert "首页" in html
