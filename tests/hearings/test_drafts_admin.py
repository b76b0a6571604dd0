"""Drafts for comment in the admin: department scoping, the publish action, the moderators' queue,
dispositions, the adoption report and the decision pages, each calling the model's methods."""

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from civiccenter.models import Notification
from hearings.models import Comment, Draft, DraftKind
from tests.conftest import make_department, make_staff
from tests.hearings.test_drafts_models import article, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def moderator(other_department):
    return make_staff("moderator@example.cn", roles.MODERATOR, other_department, full_name="赵敏")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def closed_draft(department, head, today, applicant, other_applicant):
    draft = make_draft(
        department,
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=20),
        publish_by=head,
        major=True,
    )
    for author, number in ((applicant, 3), (other_applicant, 4)):
        draft.submit_comment(
            by=author,
            text=f"对第{number}条的意见",
            display_name="居民",
            article=article(draft, number),
            today=draft.opens_on,
        )
    return draft


def test_reviewer_prepares_a_draft_with_articles_and_publishes_it_with_the_action(
    english, staff_user, department, today
):
    english.force_login(staff_user)
    data = {
        "title": "示范区老旧小区改造实施办法（征求意见稿）",
        "department": department.pk,
        "kind": DraftKind.objects.get(name="规章").pk,
        "explanation": "起草说明",
        "how_to_comment": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(),
        "shortened_reason": "",
        "articles-TOTAL_FORMS": "2",
        "articles-INITIAL_FORMS": "0",
        "articles-MIN_NUM_FORMS": "0",
        "articles-MAX_NUM_FORMS": "1000",
        "articles-0-number": "1",
        "articles-0-text": "第一条内容",
        "articles-1-number": "2",
        "articles-1-text": "第二条内容",
    }
    response = english.post(reverse("admin:hearings_draft_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Draft.objects.get()
    assert draft.articles.count() == 2 and draft.status == "preparing"

    changelist = reverse("admin:hearings_draft_changelist")
    action = {"action": "publish_selected", helpers.ACTION_CHECKBOX_NAME: [draft.pk]}
    response = english.post(changelist, action, follow=True)
    assert "Art. 15" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "preparing"

    Draft.objects.filter(pk=draft.pk).update(closes_on=today + timedelta(days=45))
    english.post(changelist, action)
    draft.refresh_from_db()
    assert draft.status == "consulting" and draft.published_by == staff_user
    # The published text no longer changes.
    response = english.get(reverse("admin:hearings_draft_change", args=[draft.pk]))
    assert 'name="articles-0-text"' not in response.content.decode()


def test_a_draft_cannot_be_filed_under_another_department(client, staff_user, other_department, today):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:hearings_draft_add"),
        {
            "title": "他局草案",
            "department": other_department.pk,
            "kind": DraftKind.objects.first().pk,
            "explanation": "说明",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=45)).isoformat(),
            "articles-TOTAL_FORMS": "0",
            "articles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "department" in response.context["adminform"].form.errors
    assert not Draft.objects.exists()


def test_other_departments_staff_do_not_see_the_draft(client, closed_draft):
    outsider = make_staff("out@example.cn", roles.DEPARTMENT_HEAD, make_department(code="JT", name="区交通运输局"))
    client.force_login(outsider)
    assert closed_draft.title not in client.get(reverse("admin:hearings_draft_changelist")).content.decode()
    for name in ("change", "dispositions", "report", "decision"):
        assert client.get(reverse(f"admin:hearings_draft_{name}", args=[closed_draft.pk])).status_code in (302, 404)
    assert client.get(reverse("admin:hearings_draft_dispositions", args=[closed_draft.pk])).status_code == 404
    assert client.get(reverse("admin:hearings_comment_changelist")).context["cl"].result_count == 0


def test_moderator_reviews_the_scrubbed_copy_and_publishes(english, moderator, department, head, today, applicant):
    draft = make_draft(department, opens_on=today, closes_on=today + timedelta(days=45), publish_by=head)
    comment = draft.submit_comment(by=applicant, text="我是张明，电话13812345678，建议加装电梯。", display_name="居民")
    english.force_login(moderator)
    queue = english.get(reverse("admin:hearings_comment_changelist"))
    assert queue.context["cl"].result_count == 1
    page = english.get(reverse("admin:hearings_comment_moderate", args=[comment.pk]))
    content = page.content.decode()
    assert "13812345678" in content and "138****5678" in content  # the original and the masked copy
    response = english.post(
        reverse("admin:hearings_comment_moderate", args=[comment.pk]),
        {"action": "publish", "public_text": "建议加装电梯，联系13900001111。"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == "published" and comment.moderated_by == moderator
    assert "139****1111" in comment.public_text
    assert english.get(reverse("admin:hearings_comment_changelist")).context["cl"].result_count == 0


def test_withholding_without_a_reason_is_a_form_error(english, moderator, closed_draft):
    comment = closed_draft.comments.first()
    english.force_login(moderator)
    response = english.post(
        reverse("admin:hearings_comment_moderate", args=[comment.pk]), {"action": "withhold", "reason": ""}
    )
    assert response.status_code == 200 and response.context["withhold_form"].errors
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_withhold_action_asks_for_the_reason_then_withholds(english, moderator, closed_draft):
    english.force_login(moderator)
    ids = list(closed_draft.comments.values_list("pk", flat=True))
    changelist = reverse("admin:hearings_comment_changelist")
    response = english.post(changelist, {"action": "withhold_selected", helpers.ACTION_CHECKBOX_NAME: ids})
    assert response.status_code == 200 and 'name="reason"' in response.content.decode()
    assert closed_draft.comments.filter(state="pending").count() == 2
    english.post(
        changelist,
        {
            "action": "withhold_selected",
            helpers.ACTION_CHECKBOX_NAME: ids,
            "_selected_action": ids,
            "apply": "1",
            "reason": "",
        },
    )
    assert closed_draft.comments.filter(state="pending").count() == 2
    english.post(
        changelist,
        {"action": "withhold_selected", helpers.ACTION_CHECKBOX_NAME: ids, "apply": "1", "reason": "重复提交"},
    )
    assert set(closed_draft.comments.values_list("state", "withheld_reason")) == {("withheld", "重复提交")}


def test_publish_action_and_who_may_moderate(client, moderator, staff_user, closed_draft):
    ids = list(closed_draft.comments.values_list("pk", flat=True))
    client.force_login(staff_user)  # a department reviewer cannot moderate
    comment = closed_draft.comments.first()
    response = client.post(
        reverse("admin:hearings_comment_moderate", args=[comment.pk]), {"action": "publish", "public_text": "x"}
    )
    assert response.status_code == 403
    client.force_login(moderator)
    client.post(
        reverse("admin:hearings_comment_changelist"), {"action": "publish_selected", helpers.ACTION_CHECKBOX_NAME: ids}
    )
    assert closed_draft.comments.filter(state="published").count() == 2


def test_dispositions_page_then_report_then_decision(
    english, head, moderator, closed_draft, applicant, other_applicant
):
    for comment in closed_draft.comments.all():
        comment.moderate(by=moderator, publish=True)
    first, second = closed_draft.comments.order_by("pk")
    english.force_login(head)
    url = reverse("admin:hearings_draft_dispositions", args=[closed_draft.pk])
    # A disposition without a reason: a form error, nothing saved.
    response = english.post(
        url, {f"c{first.pk}-disposition": "adopted", f"c{first.pk}-reason": "", f"c{second.pk}-disposition": ""}
    )
    assert response.status_code == 200
    assert not Comment.objects.exclude(disposition="").exists()
    english.post(
        url,
        {
            f"c{first.pk}-disposition": "adopted",
            f"c{first.pk}-reason": "已采纳",
            f"c{second.pk}-disposition": "not_adopted",
            f"c{second.pk}-reason": "与上位法不符",
        },
    )
    assert set(Comment.objects.values_list("disposition", flat=True)) == {"adopted", "not_adopted"}

    # The decision of a major draft waits for the report.
    decision_url = reverse("admin:hearings_draft_decision", args=[closed_draft.pk])
    response = english.post(decision_url, {"text": "决定全文"}, follow=True)
    assert "Art. 32-33" in response.content.decode()
    closed_draft.refresh_from_db()
    assert closed_draft.status == "consulting"

    report_url = reverse("admin:hearings_draft_report", args=[closed_draft.pk])
    english.post(report_url, {"action": "generate"})
    english.post(report_url, {"action": "save", "text": "共收到意见2条，采纳1条。"})
    closed_draft.report.refresh_from_db()
    assert closed_draft.report.text == "共收到意见2条，采纳1条。"
    english.post(report_url, {"action": "publish"})
    closed_draft.report.refresh_from_db()
    assert closed_draft.report.published_at is not None
    assert Notification.objects.filter(recipient__in=[applicant, other_applicant]).count() == 2

    response = english.post(decision_url, {"text": "经区政府常务会议审议通过。"})
    assert response.status_code == 302
    closed_draft.refresh_from_db()
    assert closed_draft.status == "decided"


def test_reviewer_may_dispose_but_not_publish_the_report_or_decision(client, staff_user, closed_draft):
    client.force_login(staff_user)
    assert (
        client.post(reverse("admin:hearings_draft_report", args=[closed_draft.pk]), {"action": "publish"}).status_code
        == 403
    )
    assert (
        client.post(reverse("admin:hearings_draft_decision", args=[closed_draft.pk]), {"text": "x"}).status_code == 403
    )


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_changelists_take_a_fixed_number_of_queries(
    client, django_assert_num_queries, head, moderator, department, today, applicant
):
    def add(n):
        for i in range(n):
            draft = make_draft(
                department,
                opens_on=today,
                closes_on=today + timedelta(days=45),
                publish_by=head,
                title=f"草案{Draft.objects.count()}",
                articles=["第一条", "第二条"],
            )
            draft.submit_comment(by=applicant, text=f"意见{i}", display_name="甲", article=article(draft, 2))

    add(1)
    client.force_login(head)
    drafts_url = reverse("admin:hearings_draft_changelist") + "?phase=all"
    small_drafts = changelist_queries(client, drafts_url)
    client.force_login(moderator)
    comments_url = reverse("admin:hearings_comment_changelist")
    small_comments = changelist_queries(client, comments_url)
    add(6)
    with django_assert_num_queries(small_comments):
        client.get(comments_url)
    client.force_login(head)
    with django_assert_num_queries(small_drafts):
        client.get(drafts_url)
