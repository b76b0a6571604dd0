"""Drafts for comment, public pages: list, draft page and comment form, comment list, adoption report, CSV, landing."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from hearings.models import Comment, Draft
from tests.conftest import make_staff, make_user
from tests.hearings.test_drafts_models import article, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def moderator(department):
    return make_staff("moderator@example.cn", roles.MODERATOR, department, full_name="赵敏")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def open_draft(department, head, today):
    return make_draft(
        department, opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=40), publish_by=head
    )


@pytest.fixture
def closed_draft(department, head, today):
    return make_draft(
        department,
        opens_on=today - timedelta(days=60),
        closes_on=today - timedelta(days=20),
        publish_by=head,
        major=True,
        title="示范区社区养老服务设施配建规定（征求意见稿）",
    )


def add_comments(draft, author, moderator, count, *, when=None, number=3):
    """`count` published comments on article `number` (created directly: the draft may be closed)."""
    target = article(draft, number)
    comments = [
        Comment(
            draft=draft,
            article=target,
            author=author,
            display_name=f"居民{i}",
            text=f"意见{i}",
            public_text=f"意见{i}",
            state="published",
            moderated_by=moderator,
            moderated_at=timezone.now(),
        )
        for i in range(count)
    ]
    return Comment.objects.bulk_create(comments)


def finish_with_report(draft, head, moderator, author, today):
    comment = draft.submit_comment(
        by=author,
        text="第三条建议加装电梯。",
        display_name="新华街居民",
        article=article(draft, 3),
        today=draft.opens_on,
    )
    comment.moderate(by=moderator, publish=True)
    comment.dispose(by=head, disposition="adopted", reason="已在第三条增加加装电梯。", today=today)
    report = draft.generate_report(by=head, today=today)
    report.publish(by=head, today=today)
    return comment, report


# List and landing ---------------------------------------------------------------------------


def test_list_shows_open_drafts_with_days_left_and_closed_ones_with_their_report(
    english, open_draft, closed_draft, department
):
    make_draft(department, opens_on=open_draft.opens_on, closes_on=open_draft.closes_on, title="尚未发布的草案")
    response = english.get(reverse("hearings:drafts"))
    assert response.status_code == 200
    content = response.content.decode()
    assert open_draft.title in content and "40 days left" in content
    assert closed_draft.title in content and "Adoption report in preparation" in content
    assert "尚未发布的草案" not in content


def test_landing_page_lists_open_drafts_and_past_consultations(english, open_draft, closed_draft):
    response = english.get(reverse("hearings:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert open_draft.title in content and "40 days left" in content
    assert closed_draft.title in content
    assert "Upcoming hearings" in content


# The draft page -------------------------------------------------------------------------------


def test_anonymous_reads_the_draft_article_by_article_with_published_comments_only(
    english, open_draft, applicant, other_applicant, moderator
):
    published = open_draft.submit_comment(
        by=applicant, text="公开的意见", display_name="居民甲", article=article(open_draft, 3)
    )
    published.moderate(by=moderator, publish=True)
    open_draft.submit_comment(
        by=other_applicant, text="尚待审核的意见", display_name="老李", article=article(open_draft, 3)
    )
    response = english.get(open_draft.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="article-3"' in content and "Article 3" in content
    assert "公开的意见" in content and "居民甲" in content
    assert "尚待审核的意见" not in content
    assert applicant.email not in content and applicant.full_name not in content
    assert "Sign in to comment" in content and 'name="text"' not in content


def test_unpublished_draft_is_not_found(client, department, today):
    draft = make_draft(department, opens_on=today, closes_on=today + timedelta(days=40))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("hearings:draft-comments", args=[draft.pk])).status_code == 404
    assert client.get(reverse("hearings:draft-comments-csv", args=[draft.pk])).status_code == 404


def test_anonymous_post_redirects_to_login_and_saves_nothing(client, open_draft):
    response = client.post(open_draft.get_absolute_url(), {"text": "匿名意见内容", "display_name": "甲"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Comment.objects.exists()


def test_signed_in_citizen_comments_on_article_3_and_sees_it_pending(english, open_draft, applicant, other_applicant):
    english.force_login(applicant)
    target = article(open_draft, 3)
    response = english.post(
        open_draft.get_absolute_url(),
        {
            "article": target.pk,
            "text": "建议第三条写明加装电梯的费用分担。电话13812345678",
            "display_name": "新华街居民",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#my-comments")
    comment = Comment.objects.get()
    assert (comment.article, comment.author, comment.state) == (target, applicant, "pending")
    assert "138****5678" in comment.public_text
    page = english.get(open_draft.get_absolute_url()).content.decode()
    assert "Your comments" in page and "Waiting for moderation" in page and "加装电梯的费用分担" in page

    # Another citizen does not see it while it is pending.
    english.force_login(other_applicant)
    page = english.get(open_draft.get_absolute_url()).content.decode()
    assert "加装电梯的费用分担" not in page and "Your comments" not in page


def test_withheld_comment_shows_its_reason_to_its_author(english, open_draft, applicant, moderator):
    comment = open_draft.submit_comment(by=applicant, text="广告：优惠装修", display_name="甲")
    comment.moderate(by=moderator, publish=False, reason="含有广告内容")
    english.force_login(applicant)
    page = english.get(open_draft.get_absolute_url()).content.decode()
    assert "Withheld" in page and "含有广告内容" in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"text": "", "display_name": "甲"}, "text"),
        ({"text": "短", "display_name": "甲"}, "text"),
        ({"text": "这是一条足够长的意见", "display_name": ""}, "display_name"),
        ({"text": "这是一条足够长的意见", "display_name": "13812345678"}, "display_name"),
        ({"text": "这是一条足够长的意见", "display_name": "<b>甲</b>"}, "display_name"),
        ({"text": "这是一条足够长的意见", "display_name": "甲", "article": "999999"}, "article"),
        ({"text": "意" * 3001, "display_name": "甲"}, "text"),
    ],
)
def test_bad_comment_input_shows_a_form_error_and_saves_nothing(english, open_draft, applicant, data, field):
    english.force_login(applicant)
    response = english.post(open_draft.get_absolute_url(), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Comment.objects.exists()


def test_article_of_another_draft_is_refused(english, open_draft, closed_draft, applicant):
    english.force_login(applicant)
    response = english.post(
        open_draft.get_absolute_url(),
        {"article": article(closed_draft, 1).pk, "text": "这是一条足够长的意见", "display_name": "甲"},
    )
    assert response.status_code == 200 and "article" in response.context["form"].errors
    assert not Comment.objects.exists()


def test_closed_draft_takes_no_comment(english, closed_draft, applicant):
    english.force_login(applicant)
    response = english.post(closed_draft.get_absolute_url(), {"text": "这是一条足够长的意见", "display_name": "甲"})
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert "The comment period is closed." in english.get(closed_draft.get_absolute_url()).content.decode()


def test_shortened_period_reason_is_published_with_the_draft(english, department, head, today):
    draft = make_draft(
        department,
        opens_on=today,
        closes_on=today + timedelta(days=10),
        shortened_reason="汛期前须完成排水设施改造。",
        publish_by=head,
    )
    content = english.get(draft.get_absolute_url()).content.decode()
    assert "汛期前须完成排水设施改造。" in content and "The usual minimum is 30" in content


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("signed_in", [False, True])
def test_draft_page_and_comment_list_take_a_fixed_number_of_queries(
    client, django_assert_num_queries, open_draft, applicant, moderator, signed_in
):
    if signed_in:
        client.force_login(applicant)
    add_comments(open_draft, applicant, moderator, 2)
    draft_url = open_draft.get_absolute_url()
    list_url = reverse("hearings:draft-comments", args=[open_draft.pk])
    small = queries_for(client, draft_url), queries_for(client, list_url)
    for number in (1, 2, 4, 5):
        add_comments(open_draft, applicant, moderator, 30, number=number)
    with django_assert_num_queries(small[0]):
        client.get(draft_url)
    with django_assert_num_queries(small[1]):
        response = client.get(list_url)
    assert response.context["page"].paginator.count == 122


def test_draft_page_shows_the_latest_comments_per_article_and_links_to_all(english, open_draft, applicant, moderator):
    add_comments(open_draft, applicant, moderator, 8)
    content = english.get(open_draft.get_absolute_url()).content.decode()
    assert "8 published comments" in content
    assert len(re.findall(r'id="comment-\d+"', content)) == 5
    assert f"{reverse('hearings:draft-comments', args=[open_draft.pk])}?article=3" in content


def test_comment_list_filters_by_article_and_rejects_bad_parameters(client, open_draft, applicant, moderator):
    add_comments(open_draft, applicant, moderator, 3, number=3)
    add_comments(open_draft, applicant, moderator, 2, number=4)
    url = reverse("hearings:draft-comments", args=[open_draft.pk])
    assert client.get(url, {"article": 4}).context["page"].paginator.count == 2
    assert client.get(url, {"article": "none"}).context["page"].paginator.count == 0
    assert client.get(url, {"article": "x"}).status_code == 404
    assert client.get(url, {"article": 99}).status_code == 404
    assert client.get(url, {"page": "abc"}).status_code == 200


# The adoption report and the decision beside the draft ----------------------------------------------


def test_report_page_is_not_found_until_published(client, closed_draft):
    assert client.get(reverse("hearings:draft-report", args=[closed_draft.pk])).status_code == 404
    assert client.get(reverse("hearings:draft-report-csv", args=[closed_draft.pk])).status_code == 404
    assert client.get(reverse("hearings:draft-dispositions-csv", args=[closed_draft.pk])).status_code == 404


def test_commenter_reads_the_report_with_the_disposition_of_their_comment(
    english, closed_draft, head, moderator, applicant, today
):
    finish_with_report(closed_draft, head, moderator, applicant, today)
    english.force_login(applicant)
    response = english.get(reverse("hearings:draft-report", args=[closed_draft.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Adopted" in content and "已在第三条增加加装电梯。" in content
    assert 'class="mt-2 mb-0 own-disposition"' in content
    draft_page = english.get(closed_draft.get_absolute_url()).content.decode()
    assert 'id="report-heading"' in draft_page and "own-disposition" in draft_page


def test_decision_is_shown_beside_the_draft(english, closed_draft, head, moderator, applicant, today):
    finish_with_report(closed_draft, head, moderator, applicant, today)
    closed_draft.publish_decision(by=head, text="经区政府常务会议审议通过。", today=today)
    content = english.get(closed_draft.get_absolute_url()).content.decode()
    assert 'id="decision"' in content and "经区政府常务会议审议通过。" in content


# CSV exports ------------------------------------------------------------------------------------


def rows_of(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_comments_csv_has_public_fields_of_published_comments_only(client, open_draft, applicant, moderator):
    published = open_draft.submit_comment(by=applicant, text="电话13812345678请回复", display_name="居民甲")
    published.moderate(by=moderator, publish=True)
    open_draft.submit_comment(by=applicant, text="待审核的意见", display_name="居民甲")
    rows = rows_of(client.get(reverse("hearings:draft-comments-csv", args=[open_draft.pk])))
    assert len(rows) == 2
    flat = " ".join(rows[1])
    assert "138****5678" in flat and "13812345678" not in flat
    assert applicant.email not in flat and applicant.full_name not in flat
    assert "待审核的意见" not in " ".join(" ".join(row) for row in rows)


def test_drafts_csv_lists_published_drafts(client, open_draft, closed_draft, department):
    make_draft(department, opens_on=open_draft.opens_on, closes_on=open_draft.closes_on, title="=HYPERLINK(1)")
    rows = rows_of(client.get(reverse("hearings:drafts-csv")))
    titles = [row[1] for row in rows[1:]]
    assert sorted(titles) == sorted([open_draft.title, closed_draft.title])


def test_report_and_dispositions_csv_after_publication(client, closed_draft, head, moderator, applicant, today):
    comment, _report = finish_with_report(closed_draft, head, moderator, applicant, today)
    report_rows = rows_of(client.get(reverse("hearings:draft-report-csv", args=[closed_draft.pk])))
    assert report_rows[1][1:] == ["1", "0", "0", "0", "1"] and report_rows[-1][1:] == ["1", "0", "0", "0", "1"]
    disposition_rows = rows_of(client.get(reverse("hearings:draft-dispositions-csv", args=[closed_draft.pk])))
    assert disposition_rows[1][0] == str(comment.pk) and disposition_rows[1][4] == "已在第三条增加加装电梯。"
    comment_rows = rows_of(client.get(reverse("hearings:draft-comments-csv", args=[closed_draft.pk])))
    assert comment_rows[1][-1] == "已在第三条增加加装电梯。"


def test_draft_list_takes_a_fixed_number_of_queries(client, django_assert_num_queries, department, head, today):
    def add(n):
        for i in range(n):
            make_draft(
                department,
                opens_on=today,
                closes_on=today + timedelta(days=45),
                publish_by=head,
                title=f"草案{Draft.objects.count()}-{i}",
                articles=["第一条"],
            )

    add(1)
    small = queries_for(client, reverse("hearings:drafts")), queries_for(client, reverse("hearings:index"))
    add(6)
    with django_assert_num_queries(small[0]):
        client.get(reverse("hearings:drafts"))
    with django_assert_num_queries(small[1]):
        client.get(reverse("hearings:index"))


def test_other_users_comment_is_not_shown_as_theirs(english, open_draft, applicant):
    make_user("wang@example.cn", full_name="王五")
    open_draft.submit_comment(by=applicant, text="我的私人意见内容", display_name="甲")
    english.force_login(make_user("zhao@example.cn", full_name="赵六"))
    assert "我的私人意见内容" not in english.get(open_draft.get_absolute_url()).content.decode()
