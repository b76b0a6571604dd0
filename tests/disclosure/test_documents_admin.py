"""Editors publish, amend and repeal their own department's documents in the admin; Art. 26 due dates are coloured."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from civiccenter.lib import workdays
from civiccenter.models import CalendarDay
from disclosure.admin.documents import LATE, ON_TRACK, SOON
from disclosure.models import Category, Document, Guide
from tests.conftest import make_staff
from tests.disclosure.test_documents_models import make_document

CHANGELIST = reverse("admin:disclosure_document_changelist")
ADD = reverse("admin:disclosure_document_add")
TODAY = timezone.localdate()


def change_url(document):
    return reverse("admin:disclosure_document_change", args=[document.pk])


def validity_url(document):
    return reverse("admin:disclosure_document_validity", args=[document.pk])


def formed_working_days_ago(days):
    """The day from which `days` working days run to today."""
    calendar = CalendarDay.objects.work_calendar()
    day = TODAY
    while workdays.working_days_between(calendar, day, TODAY) < days:
        day -= timedelta(days=1)
    return day


@pytest.fixture
def editor(department, client):
    user = make_staff("editor@example.cn", roles.CONTENT_EDITOR, department, full_name="赵雅婷")
    client.force_login(user)
    return user


@pytest.fixture
def published(department):
    return make_document(department, "已发布的办法", formed_on=date(2025, 3, 3), publish_on=date(2025, 3, 4))


@pytest.mark.django_db
def test_editor_sees_only_their_departments_documents(client, editor, department, other_department):
    mine = make_document(department, "本部门文件")
    theirs = make_document(other_department, "其他部门文件", publish_on=date(2026, 3, 3))
    assert list(client.get(CHANGELIST).context["cl"].result_list) == [mine]
    assert client.get(change_url(theirs)).status_code == 302  # as if it did not exist
    assert client.get(validity_url(theirs)).status_code == 404


@pytest.mark.django_db
def test_supervisor_sees_every_department_but_cannot_publish(client, supervisor, department, other_department):
    make_document(department, "本部门文件")
    make_document(other_department, "其他部门文件")
    client.force_login(supervisor)
    response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 2
    assert 'value="publish_selected"' not in response.content.decode()


def _add_data(department, **overrides):
    data = {
        "title": "关于做好2026年小餐饮登记工作的通知",
        "document_number": "区市监发〔2026〕30号",
        "department": department.pk,
        "category": Category.objects.get(code="20-5").pk,
        "topic": "",
        "kind": "other",
        "formed_on": "2026-09-24",
        "summary": "小餐饮登记的条件和程序。",
        "body": "正文。",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_editor_adds_a_draft_with_its_article_26_due_date(client, editor, department):
    assert client.get(ADD).context["adminform"].form.initial["department"] == department.pk
    response = client.post(ADD, _add_data(department))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.published_on is None and document.index_number is None
    assert document.publish_by == date(2026, 10, 29)  # 20 working days over the 2026 Mid-Autumn and National Day
    assert document.created_by == editor


@pytest.mark.django_db
def test_editor_cannot_add_a_document_for_another_department(client, editor, other_department):
    response = client.post(ADD, _add_data(other_department))
    assert response.status_code == 200 and "department" in response.context["adminform"].form.errors
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_date_formed_after_publication_is_a_form_error(client, editor, department, published):
    data = _add_data(department, title=published.title, formed_on="2025-03-05", category=published.category_id)
    response = client.post(change_url(published), data)
    assert response.status_code == 200 and "formed_on" in response.context["adminform"].form.errors
    published.refresh_from_db()
    assert published.formed_on == date(2025, 3, 3)


@pytest.mark.django_db
def test_publish_action_gives_the_index_number(client, editor, department):
    draft = make_document(department, formed_on=date(2026, 3, 2))
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.published_on == TODAY and draft.index_number == "SCJG/2026-00001"


@pytest.mark.django_db
def test_publish_action_refuses_a_published_document_with_a_warning(client, editor, published):
    response = client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [published.pk]}, follow=True)
    levels = [message.level_tag for message in response.context["messages"]]
    assert levels == ["warning"]
    published.refresh_from_db()
    assert published.published_on == date(2025, 3, 4)


@pytest.mark.django_db
def test_repeal_action_repeals_today_and_refuses_drafts(client, editor, department, published):
    draft = make_document(department, "草稿")
    client.post(CHANGELIST, {"action": "repeal_selected", "_selected_action": [published.pk, draft.pk]})
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.validity, published.validity_changed_on) == ("repealed", TODAY)
    assert draft.validity == "in_force"


@pytest.mark.django_db
def test_reviewer_can_neither_publish_nor_change_validity(client, department, published):
    reviewer = make_staff("reviewer@example.cn", roles.DEPARTMENT_REVIEWER, department)
    client.force_login(reviewer)
    draft = make_document(department, "草稿")
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.published_on is None
    assert client.get(validity_url(published)).status_code == 403


@pytest.mark.django_db
def test_amend_page_links_the_replacement_by_its_index_number(client, editor, department, published):
    new = make_document(department, "修订后的办法", formed_on=date(2026, 3, 2), publish_on=date(2026, 3, 3))
    assert validity_url(published) in client.get(change_url(published)).content.decode()
    response = client.post(
        validity_url(published), {"change": "amend", "on": "2026-03-03", "replacement": new.index_number}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.validity, published.validity_changed_on, published.replaced_by) == (
        "amended",
        date(2026, 3, 3),
        new,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"change": "amend", "on": "2026-03-03", "replacement": ""}, "replacement"),
        ({"change": "amend", "on": "2026-03-03", "replacement": "NOPE/2026-00001"}, "replacement"),
        ({"change": "repeal", "on": "not a date"}, "on"),
        ({"change": "vanish", "on": "2026-03-03"}, "change"),
        ({"change": "repeal", "on": "2025-03-01"}, None),  # before the document was formed
        ({"change": "repeal", "on": (TODAY + timedelta(days=2)).isoformat()}, None),  # in the future
    ],
)
def test_bad_validity_changes_are_form_errors_and_change_nothing(client, editor, published, data, field):
    response = client.post(validity_url(published), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (field in errors) if field else ("__all__" in errors)
    published.refresh_from_db()
    assert published.validity == "in_force" and published.replaced_by is None


@pytest.mark.django_db
def test_an_unpublished_replacement_is_refused_on_the_page(client, editor, department, published):
    draft = make_document(department, "草稿")
    Document.objects.filter(pk=draft.pk).update(index_number="SCJG/2026-09999")
    response = client.post(
        validity_url(published), {"change": "amend", "on": "2026-03-03", "replacement": "SCJG/2026-09999"}
    )
    assert "__all__" in response.context["form"].errors
    published.refresh_from_db()
    assert published.validity == "in_force"


@pytest.mark.django_db
def test_published_documents_cannot_be_deleted_drafts_can(client, editor, department, published):
    draft = make_document(department, "草稿")
    assert (
        client.post(reverse("admin:disclosure_document_delete", args=[published.pk]), {"post": "yes"}).status_code
        == 403
    )
    client.post(reverse("admin:disclosure_document_delete", args=[draft.pk]), {"post": "yes"})
    assert list(Document.objects.all()) == [published]


@pytest.mark.django_db
def test_publication_column_is_coloured_by_the_article_26_deadline(client, editor, department):
    late = make_document(department, "已逾期", formed_on=formed_working_days_ago(21))
    soon = make_document(department, "即将到期", formed_on=formed_working_days_ago(17))
    fine = make_document(department, "时间充裕", formed_on=formed_working_days_ago(2))
    page = client.get(CHANGELIST).content.decode()
    assert f'<strong class="{LATE}">{late.publish_by}' in page
    assert f'<strong class="{SOON}">{soon.publish_by}' in page
    assert f'<strong class="{ON_TRACK}">{fine.publish_by}' in page


@pytest.mark.django_db
def test_publication_filter_due_soon_late_published_late_and_published(client, editor, department):
    late = make_document(department, "已逾期", formed_on=formed_working_days_ago(21))
    soon = make_document(department, "即将到期", formed_on=formed_working_days_ago(17))
    make_document(department, "时间充裕", formed_on=formed_working_days_ago(2))
    on_time = make_document(department, "按时发布", formed_on=date(2026, 9, 18), publish_on=date(2026, 10, 22))
    tardy = make_document(department, "逾期发布", formed_on=date(2026, 9, 18), publish_on=date(2026, 10, 23))

    def listed(value):
        return set(client.get(CHANGELIST, {"publication": value}).context["cl"].result_list)

    assert listed("late") == {late}
    assert listed("due_soon") == {soon}
    assert listed("published_late") == {tardy}
    assert listed("published") == {on_time, tardy}


@pytest.mark.django_db
def test_changelist_keeps_a_fixed_number_of_queries(client, editor, department, django_assert_num_queries):
    for i in range(3):
        make_document(department, f"文件{i}", publish_on=date(2026, 3, 3) if i % 2 else None)
    with CaptureQueriesContext(connection) as three:
        client.get(CHANGELIST)
    for i in range(27):
        make_document(department, f"更多文件{i}", publish_on=date(2026, 3, 3) if i % 2 else None)
    with django_assert_num_queries(len(three.captured_queries)):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 30


@pytest.mark.django_db
def test_admin_search_by_chinese_word_and_by_index_number(client, editor, department, published):
    other = make_document(department, "关于办理营业执照的通知", publish_on=date(2026, 3, 3))
    assert list(client.get(CHANGELIST, {"q": "营业执照"}).context["cl"].result_list) == [other]
    assert list(client.get(CHANGELIST, {"q": published.index_number}).context["cl"].result_list) == [published]


@pytest.mark.django_db
def test_related_documents_autocomplete_finds_own_department_only(client, editor, department, other_department):
    mine = make_document(department, "本部门营业执照文件")
    make_document(other_department, "其他部门营业执照文件")
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "营业执照", "app_label": "disclosure", "model_name": "document", "field_name": "related"},
    )
    assert [int(row["id"]) for row in response.json()["results"]] == [mine.pk]


# Guide, categories, topics -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_guide_list_opens_the_single_guide_which_editors_change_but_never_add_or_delete(client, editor):
    guide = Guide.current()
    response = client.get(reverse("admin:disclosure_guide_changelist"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:disclosure_guide_change", args=[guide.pk]
    )
    assert client.get(reverse("admin:disclosure_guide_add")).status_code == 403
    assert client.post(reverse("admin:disclosure_guide_delete", args=[guide.pk]), {"post": "yes"}).status_code == 403
    data = {
        field: getattr(guide, field)
        for field in (
            "organisation",
            "organisation_en",
            "how_to_request",
            "how_to_request_en",
            "office_name",
            "office_name_en",
            "address",
            "address_en",
            "hours",
            "hours_en",
            "phone",
            "email",
            "postcode",
        )
    }
    data.update(hours="工作日 8:30–12:00，13:30–17:30", updated_on="2026-11-20")
    assert client.post(reverse("admin:disclosure_guide_change", args=[guide.pk]), data).status_code == 302
    assert "工作日 8:30–12:00，13:30–17:30" in client.get(reverse("disclosure:guide")).content.decode()


@pytest.mark.django_db
def test_categories_are_read_only(client, editor):
    category = Category.objects.get(code="20-1")
    assert client.get(reverse("admin:disclosure_category_changelist")).status_code == 200
    client.post(reverse("admin:disclosure_category_change", args=[category.pk]), {"name": "改名"})
    category.refresh_from_db()
    assert category.name == "行政法规、规章和规范性文件"
    assert client.get(reverse("admin:disclosure_category_add")).status_code == 403


@pytest.mark.django_db
def test_editors_add_topics(client, editor):
    response = client.post(
        reverse("admin:disclosure_topic_add"),
        {"name": "文化旅游", "name_en": "Culture and tourism", "slug": "culture", "order": 20},
    )
    assert response.status_code == 302
