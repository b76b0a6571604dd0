"""Drafts for comment in the browser: a citizen reads a draft, comments on article 3 and sees it pending; a
moderator publishes it; after the period closes and the adoption report is out, the citizen reads the
disposition of their comment. The portal answers in Chinese: assertions are on data and states."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civiccenter import roles
from hearings.models import Comment, Draft
from tests.conftest import PASSWORD, make_department, make_staff, make_user
from tests.hearings.test_drafts_models import make_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, user, next_path):
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    form = page.locator("main form[method=post]")
    form.locator("input[name=username]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[name=submit]").click()


def test_comment_on_article_3_see_it_published_and_read_its_disposition(live_server, page, check_page):
    today = timezone.localdate()
    department = make_department(code="ZJ", name="区住房和城乡建设局", name_en="District Housing Bureau")
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    moderator = make_staff("moderator@example.cn", roles.MODERATOR, department, full_name="赵敏")
    citizen = make_user()
    draft = make_draft(department, opens_on=today, closes_on=today + timedelta(days=45), publish_by=head, major=True)

    # The citizen reads the draft and comments on article 3 (the link preselects it; no JavaScript needed).
    sign_in(page, live_server.url, citizen, draft.get_absolute_url())
    expect(page.locator("#article-3")).to_contain_text("改造内容分为基础类")
    check_page(page, "draft")
    page.locator("#article-3 a[href*='#comment-form']").click()
    form = page.locator("#comment-form form")
    expect(form.locator("select[name=article]")).to_have_value(str(draft.articles.get(number=3).pk))
    form.locator("textarea[name=text]").fill("建议第三条写明加装电梯的费用分担办法，联系电话13812345678。")
    form.locator("input[name=display_name]").fill("新华街居民")
    form.locator("[type=submit]").click()
    own = page.locator("#my-comments .own-comment")
    expect(own).to_have_count(1)
    expect(own.locator(".comment-state")).to_have_class("badge text-bg-warning comment-state")
    comment = Comment.objects.get(author=citizen)
    assert comment.article.number == 3 and comment.state == "pending"
    # Not public while pending.
    expect(page.locator(f"#article-3 #comment-{comment.pk}")).to_have_count(0)
    check_page(page, "commented")

    # A moderator publishes it: it appears under article 3, scrubbed, with the name chosen.
    comment.moderate(by=moderator, publish=True)
    page.reload()
    expect(own.locator(".comment-state")).to_have_class("badge text-bg-success comment-state")
    published = page.locator(f"#article-3 #comment-{comment.pk}")
    expect(published).to_contain_text("138****5678")
    expect(published).to_contain_text("新华街居民")
    expect(published).not_to_contain_text("13812345678")

    # The period closes; the department gives its disposition and publishes the report.
    Draft.objects.filter(pk=draft.pk).update(opens_on=today - timedelta(days=46), closes_on=today - timedelta(days=1))
    draft.refresh_from_db()
    comment.dispose(by=head, disposition="partly", reason="费用分担办法另行制定，第三条增加原则性规定。")
    draft.generate_report(by=head).publish(by=head)

    page.goto(live_server.url + draft.get_absolute_url())
    expect(page.locator("#report")).to_be_visible()
    page.locator(f"#report a[href$='/hearings/drafts/{draft.pk}/report/']").click()
    expect(page.locator("#report-counts tbody tr")).to_have_count(1)
    expect(page.locator("#report-counts tfoot")).to_contain_text("1")
    expect(page.locator("#my-comments .own-disposition")).to_contain_text("费用分担办法另行制定")
    check_page(page, "report")
