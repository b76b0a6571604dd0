"""The yearly catalogue of major administrative decision items (Order 713 Art. 3, prc-rules.md §4): the item's
moves, the draft of a major decision published only as a published item, the public page by year, the admin."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.lib import clock
from civiccenter.stateful import StatusEvent
from hearings.models import CatalogueItem, Draft
from tests.conftest import make_staff
from tests.hearings.test_drafts_models import CLOSES, OPENS, make_draft, published_item


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


def item(department, title="示范区老旧小区改造实施办法", year=2026, **fields):
    return CatalogueItem.objects.create(year=year, title=title, department=department, **fields)


# --- The item's moves --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_order713_art3_an_item_is_published_with_its_day_and_withdrawn_with_a_reason(department, head):
    entry = item(department)
    with pytest.raises(InvalidTransition):
        entry.withdraw(by=head, reason="调整")  # not published yet
    entry.publish(by=head, today=date(2026, 1, 10))
    assert entry.status == "published" and entry.published_on == date(2026, 1, 10)
    with pytest.raises(InvalidTransition):
        entry.publish(by=head)  # once
    with pytest.raises(InvalidTransition, match="reason"):
        entry.withdraw(by=head, reason=" ")
    entry.withdraw(by=head, reason="经区委同意调整出目录。")
    assert entry.status == "withdrawn" and entry.withdrawn_reason == "经区委同意调整出目录。"
    assert list(StatusEvent.objects.of(entry).values_list("move", flat=True)) == ["publish", "withdraw"]


@pytest.mark.django_db
def test_order713_art3_the_database_keeps_the_catalogue_consistent(department):
    entry = item(department)
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogueItem.objects.filter(pk=entry.pk).update(status="published")  # without its day
    with pytest.raises(IntegrityError), transaction.atomic():
        item(department)  # the same item twice in a year
    with pytest.raises(IntegrityError), transaction.atomic():
        item(department, title="更早的事项", year=2018)  # before Order 713


# --- The draft of a major decision ------------------------------------------------------------------


@pytest.mark.django_db
def test_order713_art3_major_draft_published_for_comment_only_as_a_published_catalogue_item(department, head):
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, major=False)
    Draft.objects.filter(pk=draft.pk).update(major=True)
    draft.refresh_from_db()
    for language, words in (("zh-hans", "第三条"), ("en", "Order 713 Art. 3")):
        with translation.override(language):
            with pytest.raises(InvalidTransition) as refused:
                draft.publish(by=head, today=OPENS)
            assert words in str(refused.value), (language, str(refused.value))
    entry = item(department)
    Draft.objects.filter(pk=draft.pk).update(catalogue_item=entry)
    draft.refresh_from_db()
    with pytest.raises(InvalidTransition, match="Art. 3"):  # the item is not published yet
        draft.publish(by=head, today=OPENS)
    assert Draft.objects.get(pk=draft.pk).status == "preparing"
    entry.publish(by=head, today=date(2026, 1, 10))
    draft.refresh_from_db()
    draft.publish(by=head, today=OPENS)
    assert draft.status == "consulting"


@pytest.mark.django_db
def test_a_draft_that_is_not_a_major_decision_needs_no_catalogue_item(department, head):
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, kind_name="规章", publish_by=head)
    assert draft.status == "consulting" and draft.catalogue_item is None


# --- The public page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_page_by_year_anonymous_with_the_drafts_of_its_items(client, department, head):
    draft = make_draft(department, opens_on=OPENS, closes_on=CLOSES, major=True, publish_by=head)
    older = published_item(department, title="示范区停车设施专项规划", year=2025)
    item(department, title="尚未公布的事项")  # preparing: not public
    client.cookies["django_language"] = "en"
    page = client.get(reverse("hearings:catalogue"))  # the latest year
    assert page.status_code == 200
    assert draft.catalogue_item.title in page.text and draft.get_absolute_url() in page.text
    assert "尚未公布的事项" not in page.text and older.title not in page.text
    assert reverse("hearings:catalogue-year", args=[2025]) in page.text
    page = client.get(reverse("hearings:catalogue-year", args=[2025]))
    assert page.status_code == 200 and older.title in page.text
    # The draft's page names its item and links to it.
    page = client.get(draft.get_absolute_url())
    assert draft.catalogue_item.get_absolute_url() in page.text


@pytest.mark.django_db
def test_catalogue_year_without_a_published_item_is_404(client, department):
    item(department, year=2027)
    assert client.get(reverse("hearings:catalogue-year", args=[2027])).status_code == 404
    assert client.get(reverse("hearings:catalogue-year", args=[2030])).status_code == 404
    assert client.get(reverse("hearings:catalogue")).status_code == 200  # no catalogue yet: said so


@pytest.mark.django_db
def test_catalogue_page_queries_do_not_grow_with_the_items(
    client, department, other_department, head, django_assert_max_num_queries
):
    published_item(department, title="事项一")
    client.get(reverse("hearings:catalogue"))  # warm up the session and the caches
    with django_assert_max_num_queries(10) as few:
        assert client.get(reverse("hearings:catalogue")).status_code == 200
    for i in range(12):
        published_item(other_department if i % 2 else department, title=f"事项{i + 2}")
    make_draft(department, opens_on=OPENS, closes_on=CLOSES, major=True, publish_by=head, title="草案甲")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("hearings:catalogue")).status_code == 200


# --- The admin ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_item_with_a_bad_year_is_a_form_error_and_nothing_is_saved(client, department, head):
    client.force_login(head)
    client.cookies["django_language"] = "en"
    url = reverse("admin:hearings_catalogueitem_add")
    data = {"year": "1990", "title": "示范区停车设施专项规划", "decision_organ": "区人民政府"}
    data.update({"department": department.pk, "order": 1})
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors.get("year")
    assert not CatalogueItem.objects.exists()
    response = client.post(url, {**data, "year": "2026"})
    assert response.status_code == 302
    entry = CatalogueItem.objects.get()
    assert entry.status == "preparing"
    # Published by the step, which calls the move.
    steps = reverse("admin:hearings_catalogueitem_move", args=[entry.pk])
    assert client.post(steps, {"move": "publish"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "published" and entry.published_on is not None
    # Withdrawing without a reason: a form error, nothing saved.
    response = client.post(steps, {"move": "withdraw", "withdraw-reason": ""})
    assert response.status_code == 200
    assert CatalogueItem.objects.get(pk=entry.pk).status == "published"


@pytest.mark.django_db
def test_admin_catalogue_is_limited_to_the_department(client, department, other_department, head):
    mine = published_item(department, title="本部门事项")
    theirs = published_item(other_department, title="别的部门事项")
    client.force_login(head)
    page = client.get(reverse("admin:hearings_catalogueitem_changelist"))
    assert page.status_code == 200 and mine.title in page.text and theirs.title not in page.text
    assert client.get(reverse("admin:hearings_catalogueitem_change", args=[theirs.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:hearings_catalogueitem_move", args=[theirs.pk])).status_code == 404
    # The draft's choice of item: published items of the department only.
    item(department, title="筹备中的事项")
    form = client.get(reverse("admin:hearings_draft_add")).context["adminform"].form
    assert list(form.fields["catalogue_item"].queryset) == [mine]


@pytest.mark.django_db
def test_admin_publish_a_major_draft_without_its_item_is_refused_with_the_article(client, department, head):
    today = clock.today()
    draft = make_draft(
        department, opens_on=today + timedelta(days=1), closes_on=today + timedelta(days=60), major=False
    )
    Draft.objects.filter(pk=draft.pk).update(major=True)
    client.force_login(head)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("admin:hearings_draft_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Order 713 Art. 3" in response.text
    assert Draft.objects.get(pk=draft.pk).status == "preparing"
