"""The public board: publication by moderators (scrubbed, masked), consent and its withdrawal (PIPL Art. 25, 15),
reports never published (Letters and Visits Regulations Art. 30), keyset paging and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from civiccenter.cases import Case, InvalidTransition
from opinions import publishing
from opinions.models import BoardEntry, Category, Kind, Opinion
from tests.conftest import make_department, make_staff, make_user

pytestmark = pytest.mark.django_db


def make_category(department, slug="food-safety", name="食品安全", **fields):
    fields.setdefault("name_en", "Food safety")
    return Category.objects.create(slug=slug, name=name, lead_department=department, **fields)


def make_opinion(
    category,
    *,
    submitter=None,
    kind=Kind.COMPLAINT,
    status=Opinion.Status.REPLIED,
    consent=True,
    title="小区门口餐馆油烟扰民",
    description="我是张明，电话13812345678，楼下餐馆每天晚上油烟很大。",
    reply="经现场核查，已责令该餐馆加装油烟净化设施，并于一周内整改完毕。",
    received_on=None,
    replied_at=None,
    channel=Case.Channel.WEB,
    number=None,
    reported_department=None,
):
    """An opinion case in a given state, written directly (the workflow is tested by its own part)."""
    received_on = received_on or timezone.localdate() - timedelta(days=10)
    replied = status == Opinion.Status.REPLIED
    replied_at = replied_at or (timezone.now() - timedelta(days=2) if replied else None)
    case = Case.objects.create(
        kind="opinion",
        number=number or f"YJ-2026-{Case.objects.count() + 1:06d}",
        applicant=submitter,
        contact_name=submitter.full_name if submitter else "李华",
        channel=channel,
        department=category.lead_department,
        status=status,
        received_on=received_on,
        closed_at=replied_at if replied else None,
        due_at_close=received_on + timedelta(days=14) if replied else None,
    )
    return Opinion.objects.create(
        case=case,
        kind=kind,
        category=category,
        submitter=submitter,
        status=status,
        title=title,
        description=description,
        reply=reply if replied else "",
        replied_at=replied_at,
        consent_to_publish=consent,
        reported_department=reported_department,
    )


def publish(opinion, moderator, **overrides):
    draft, _findings = publishing.publication_draft(opinion)
    draft.update(overrides)
    return publishing.publish_opinion(opinion, by=moderator, **draft)


@pytest.fixture
def category(department):
    return make_category(department)


@pytest.fixture
def moderator(db):
    office = make_department(code="ZXBGS", name="区市民服务中心办公室", name_en="Office of the Center")
    return make_staff("moderator@example.cn", roles.MODERATOR, office, full_name="孙文博")


# --- Publishing -----------------------------------------------------------------------------------------------


def test_publication_draft_scrubs_phone_and_name(category, applicant):
    opinion = make_opinion(category, submitter=applicant)
    draft, findings = publishing.publication_draft(opinion)
    assert "13812345678" not in draft["description"]
    assert "138****5678" in draft["description"]
    assert "张明" not in draft["description"] and "张*" in draft["description"]
    assert {finding.kind for finding in findings} >= {"phone", "name"}


def test_publish_scrubs_again_and_masks_the_name_pipl_art_25(category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    publish(opinion, moderator, reply="请联系 zhang.ming@example.cn 或 13900001111 复核。")
    opinion.refresh_from_db()
    assert opinion.published_at is not None
    assert opinion.public_name == "张*"
    assert "13900001111" not in opinion.public_reply and "139****1111" in opinion.public_reply
    assert "zhang.ming@example.cn" not in opinion.public_reply


def test_publish_writes_an_internal_timeline_event(category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    publish(opinion, moderator)
    event = opinion.case.events.get()
    assert event.actor == moderator and not event.public


def test_publish_refused_without_consent_pipl_art_25(category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant, consent=False)
    with pytest.raises(InvalidTransition, match="did not agree"):
        publish(opinion, moderator)
    assert Opinion.objects.get(pk=opinion.pk).published_at is None


def test_report_of_wrongdoing_never_published_letters_and_visits_art_30(category, applicant, moderator, department):
    other = make_department(code="MZ", name="区民政局")
    opinion = make_opinion(category, submitter=applicant, kind=Kind.REPORT, consent=False, reported_department=other)
    with pytest.raises(InvalidTransition, match="never published"):
        publish(opinion, moderator)
    assert not BoardEntry.objects.publishable().filter(pk=opinion.pk).exists()


def test_database_refuses_a_published_report_or_unconsented_case(category, applicant):
    opinion = make_opinion(category, submitter=applicant, consent=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.filter(pk=opinion.pk).update(published_at=timezone.now())


@pytest.mark.parametrize("status", [Opinion.Status.ACCEPTED, Opinion.Status.REOPENED, Opinion.Status.SUBMITTED])
def test_only_replied_cases_are_published(category, applicant, moderator, status):
    opinion = make_opinion(category, submitter=applicant, status=status)
    with pytest.raises(InvalidTransition, match="Only a replied case"):
        publishing.publish_opinion(opinion, by=moderator, title="标题", description="内容", reply="答复")


def test_publish_needs_title_description_and_reply(category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    with pytest.raises(InvalidTransition, match="needs a title"):
        publishing.publish_opinion(opinion, by=moderator, title=" ", description="内容", reply="答复")


def test_unpublish_and_unpublish_twice_refused(category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    publish(opinion, moderator)
    publishing.unpublish_opinion(opinion, by=moderator)
    assert opinion.published_at is None
    with pytest.raises(InvalidTransition, match="not published"):
        publishing.unpublish_opinion(opinion, by=moderator)


def test_reopened_and_replied_again_waits_for_a_new_review(category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    publish(opinion, moderator)
    assert BoardEntry.objects.published().filter(pk=opinion.pk).exists()
    Opinion.objects.filter(pk=opinion.pk).update(replied_at=opinion.published_at + timedelta(microseconds=1))
    assert not BoardEntry.objects.published().filter(pk=opinion.pk).exists()
    assert BoardEntry.objects.to_review().filter(pk=opinion.pk).exists()
    publish(Opinion.objects.get(pk=opinion.pk), moderator)
    assert BoardEntry.objects.published().filter(pk=opinion.pk).exists()


# --- Withdrawing consent (PIPL Art. 15) ---------------------------------------------------------------------------


def test_withdraw_consent_unpublishes_and_clears_the_copy_pipl_art_15(category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    publish(opinion, moderator)
    publishing.withdraw_consent(opinion, by=applicant)
    opinion.refresh_from_db()
    assert (opinion.consent_to_publish, opinion.published_at, opinion.public_description) == (False, None, "")
    assert opinion.case.events.filter(public=True).exists()
    with pytest.raises(InvalidTransition, match="did not agree"):
        publish(opinion, moderator)


def test_withdraw_consent_refused_to_someone_else(category, applicant, other_applicant):
    opinion = make_opinion(category, submitter=applicant)
    with pytest.raises(InvalidTransition, match="Only the person"):
        publishing.withdraw_consent(opinion, by=other_applicant)


def test_withdraw_view_own_case(client, category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    publish(opinion, moderator)
    client.force_login(applicant)
    url = reverse("opinions:withdraw-consent", args=[opinion.case.number])
    response = client.post(url, {"next": "/accounts/cases/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/cases/"
    assert not Opinion.objects.get(pk=opinion.pk).consent_to_publish
    assert client.get(reverse("opinions:board-entry", args=[opinion.pk])).status_code == 404


def test_withdraw_view_ignores_an_outside_next(client, category, applicant):
    opinion = make_opinion(category, submitter=applicant)
    client.force_login(applicant)
    url = reverse("opinions:withdraw-consent", args=[opinion.case.number])
    response = client.post(url, {"next": "https://evil.example/"})
    assert "evil" not in response["Location"]


def test_withdraw_view_another_users_case_is_404(client, category, applicant, other_applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    publish(opinion, moderator)
    client.force_login(other_applicant)
    response = client.post(reverse("opinions:withdraw-consent", args=[opinion.case.number]))
    assert response.status_code == 404
    assert Opinion.objects.get(pk=opinion.pk).published_at is not None


def test_withdraw_view_anonymous_redirects_to_sign_in_and_get_is_405(client, category, applicant):
    opinion = make_opinion(category, submitter=applicant)
    url = reverse("opinions:withdraw-consent", args=[opinion.case.number])
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(applicant)
    assert client.get(url).status_code == 405
    assert Opinion.objects.get(pk=opinion.pk).consent_to_publish


# --- The board pages --------------------------------------------------------------------------------------------


def published_cases(category, moderator, count, title=None, **fields):
    opinions = []
    for index in range(count):
        user = make_user(f"person{index}-{category.pk}@example.cn", full_name="王五")
        opinion = make_opinion(category, submitter=user, title=title or f"问题{index}号", **fields)
        opinions.append(publish(opinion, moderator))
    return opinions


def test_board_shows_only_published_consented_non_report_cases(client, category, applicant, moderator):
    shown = published_cases(category, moderator, 1)[0]
    make_opinion(category, submitter=applicant, title="未审核的意见")
    make_opinion(category, submitter=applicant, consent=False, title="未同意公开的意见")
    response = client.get(reverse("opinions:board"))
    body = response.content.decode()
    assert response.status_code == 200
    assert shown.public_title in body and "王*" in body
    assert "未审核的意见" not in body and "未同意公开的意见" not in body
    assert "13812345678" not in body and "138****5678" in body
    assert "经现场核查" in body  # the reply
    entry = client.get(reverse("opinions:board-entry", args=[shown.pk]))
    assert entry.status_code == 200 and shown.case.department.name in entry.content.decode()


def test_board_entry_of_unpublished_case_is_404(client, category, applicant):
    opinion = make_opinion(category, submitter=applicant)
    assert client.get(reverse("opinions:board-entry", args=[opinion.pk])).status_code == 404


def test_board_filters_by_kind_category_and_department(client, category, moderator, other_department):
    other_category = make_category(other_department, slug="elderly", name="养老服务")
    complaint = published_cases(category, moderator, 1)[0]
    suggestion = published_cases(other_category, moderator, 1, kind=Kind.SUGGESTION, title="建议增设老年食堂")[0]
    by_kind = client.get(reverse("opinions:board"), {"kind": "suggestion"}).content.decode()
    assert suggestion.public_title in by_kind and complaint.public_title not in by_kind
    by_category = client.get(reverse("opinions:board"), {"category": category.pk}).content.decode()
    assert complaint.public_title in by_category and suggestion.public_title not in by_category
    by_department = client.get(reverse("opinions:board"), {"department": other_department.pk}).content.decode()
    assert suggestion.public_title in by_department and complaint.public_title not in by_department


def test_board_bad_filter_is_a_form_error_not_a_500(client, category, moderator):
    published_cases(category, moderator, 1)
    response = client.get(reverse("opinions:board"), {"category": "abc", "kind": "report", "older": "x_y"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"category", "kind"}


def test_board_pages_by_keyset_newest_first(client, category, moderator):
    opinions = published_cases(category, moderator, 23)
    first = client.get(reverse("opinions:board"))
    titles = [entry.public_title for entry in first.context["entries"]]
    assert titles == [o.public_title for o in reversed(opinions)][:20]
    assert "OFFSET" not in str(first.context["older_query"])
    second = client.get(reverse("opinions:board") + "?" + first.context["older_query"])
    assert [e.public_title for e in second.context["entries"]] == [o.public_title for o in reversed(opinions)][20:]
    assert second.context["older_query"] == ""


@pytest.mark.parametrize("count", [2, 30])
def test_board_query_count_is_fixed(client, category, moderator, django_assert_num_queries, count):
    published_cases(category, moderator, count)
    # The page, the category and department choices of the filter form.
    with django_assert_num_queries(3):
        response = client.get(reverse("opinions:board"))
    assert response.status_code == 200
    with django_assert_num_queries(3):
        client.get(reverse("opinions:board") + "?" + (response.context["older_query"] or "kind=complaint"))


# --- The moderation queue in the admin --------------------------------------------------------------------------


def test_moderator_sees_the_queue_of_every_department_but_no_report(client, category, applicant, moderator):
    other = make_department(code="MZ", name="区民政局")
    waiting = make_opinion(category, submitter=applicant, title="待审核的投诉")
    report_category = make_category(other, slug="conduct", name="作风问题")
    make_opinion(
        report_category,
        submitter=applicant,
        kind=Kind.REPORT,
        consent=False,
        reported_department=category.lead_department,
        title="举报某科室",
    )
    client.force_login(moderator)
    response = client.get(reverse("admin:opinions_boardentry_changelist"))
    body = response.content.decode()
    assert response.status_code == 200
    assert waiting.title in body and "举报某科室" not in body


def test_moderator_reviews_scrubbed_copy_and_publishes(client, category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    client.force_login(moderator)
    url = reverse("admin:opinions_boardentry_review", args=[opinion.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["description"].count("138****5678") == 1
    response = client.post(
        url,
        {
            "action": "publish",
            "title": "油烟扰民",
            "description": "楼下餐馆油烟大，电话 13812345678",
            "reply": "已整改。",
        },
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.published_at and "13812345678" not in opinion.public_description
    client.post(url, {"action": "unpublish"})
    assert Opinion.objects.get(pk=opinion.pk).published_at is None


def test_moderator_bad_input_is_a_form_error_nothing_published(client, category, applicant, moderator):
    opinion = make_opinion(category, submitter=applicant)
    client.force_login(moderator)
    url = reverse("admin:opinions_boardentry_review", args=[opinion.pk])
    response = client.post(url, {"action": "publish", "title": "", "description": "", "reply": "已整改。"})
    assert response.status_code == 200 and response.context["form"].errors
    assert Opinion.objects.get(pk=opinion.pk).published_at is None


def test_department_reviewer_cannot_publish(client, category, applicant, staff_user):
    opinion = make_opinion(category, submitter=applicant)
    staff_user.user_permissions.add(Permission.objects.get(codename="view_boardentry"))
    client.force_login(staff_user)
    url = reverse("admin:opinions_boardentry_review", args=[opinion.pk])
    response = client.post(url, {"action": "publish", "title": "t", "description": "d", "reply": "r"})
    assert response.status_code == 403
    assert Opinion.objects.get(pk=opinion.pk).published_at is None


@pytest.mark.parametrize("count", [2, 20])
def test_queue_changelist_query_count_is_fixed(client, category, moderator, django_assert_num_queries, count):
    for index in range(count):
        make_opinion(category, submitter=make_user(f"q{index}@example.cn"), title=f"待审核{index}")
    client.force_login(moderator)
    client.get(reverse("admin:opinions_boardentry_changelist"))  # warm the session and permission caches
    with django_assert_num_queries(11):
        response = client.get(reverse("admin:opinions_boardentry_changelist"))
    assert response.status_code == 200
