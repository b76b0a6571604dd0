"""Public pages and the asker's pages: happy paths, anonymous access, other people's objects, bad input, queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civiccenter.models import Department
from consultation.models import KnowledgeEntry, Question
from tests.conftest import make_user
from tests.consultation.conftest import answered, ask, make_topic, published

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def form_data(chosen, **overrides):
    data = {
        "topic": chosen.pk,
        "title": "食品经营许可证有效期多久",
        "body": "我的餐馆许可证快到期了，有效期是几年？",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_ask_needs_an_account(client):
    response = client.get(reverse("consultation:ask"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_ask_a_question_with_attachment_and_consent(english, applicant, topic):
    english.force_login(applicant)
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    response = english.post(
        reverse("consultation:ask"), form_data(topic, attachment=upload, consent_to_publish="on"), follow=True
    )
    question = Question.objects.get()
    assert response.redirect_chain[-1][0] == question.get_own_url()
    assert question.consent_to_publish and question.attachment.name.endswith(".png")
    assert question.case.number in response.content.decode()
    # The attachment is private: the asker and the department's staff only.
    url = reverse("consultation:attachment", args=[question.pk])
    assert english.get(url).status_code == 200
    english.force_login(make_user("other@example.cn"))
    assert english.get(url).status_code == 404
    english.logout()
    assert english.get(url).status_code == 404


def test_consent_is_unticked_by_default(english, applicant, topic):
    english.force_login(applicant)
    html = english.get(reverse("consultation:ask")).content.decode()
    assert 'name="consent_to_publish"' in html and "checked" not in html.split('name="consent_to_publish"')[1][:80]
    english.post(reverse("consultation:ask"), form_data(topic))
    assert Question.objects.get().consent_to_publish is False


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"body": "太短"},
        {"topic": "999999"},
        {"attachment": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")},
    ],
)
def test_bad_input_is_refused_with_a_clear_error(english, applicant, topic, overrides):
    english.force_login(applicant)
    response = english.post(reverse("consultation:ask"), form_data(topic, **overrides))
    assert response.status_code == 200 and response.context["form"].errors
    assert "Please correct the errors below." in response.content.decode()
    assert not Question.objects.exists()


def test_check_step_shows_similar_answers_without_saving(english, applicant, topic, reviewer, head):
    earlier = published(applicant, topic, reviewer, head, title="食品经营许可证有效期多久", body="许可证有效期是几年？")
    entry = KnowledgeEntry.objects.create(
        topic=topic, question="食品经营许可证如何延续", answer="在线申请。", published=True
    )
    english.force_login(make_user("new@example.cn"))
    response = english.post(reverse("consultation:ask"), form_data(topic, action="check"))
    html = response.content.decode()
    assert earlier.public_title in html and entry.question in html
    assert Question.objects.count() == 1  # nothing saved


def test_similar_fragment_for_the_script(client, applicant, topic, reviewer, head):
    earlier = published(applicant, topic, reviewer, head, title="食品经营许可证有效期多久")
    response = client.get(reverse("consultation:similar"), {"title": "许可证有效期"})
    assert response.status_code == 200 and earlier.public_title in response.content.decode()
    assert "<html" not in response.content.decode()
    assert client.get(reverse("consultation:similar")).content.decode().strip() == ""


def test_my_question_page_and_someone_elses(english, applicant, other_applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head, consent=False)
    english.force_login(applicant)
    html = english.get(question.get_own_url()).content.decode()
    assert "有效期为5年" in html and reverse("accounts:rate", args=[question.case.number]) in html
    assert "Ask a follow-up question" in html
    assert question.title in english.get(reverse("consultation:my-questions")).content.decode()
    english.force_login(other_applicant)
    assert english.get(question.get_own_url()).status_code == 404
    assert english.post(reverse("consultation:follow-up", args=[question.pk]), {"text": "x"}).status_code == 404
    english.logout()
    assert english.get(question.get_own_url()).status_code == 302


def test_follow_up_and_rating_through_the_pages(english, applicant, topic, reviewer, head):
    question = answered(applicant, topic, reviewer, head)
    english.force_login(applicant)
    url = reverse("consultation:follow-up", args=[question.pk])
    assert english.get(url).status_code == 405
    english.post(url, {"text": ""})
    assert Question.objects.get().follow_up == ""
    english.post(url, {"text": "可以网上办吗？"})
    question.refresh_from_db()
    assert question.status == "follow_up" and question.follow_up == "可以网上办吗？"
    response = english.post(url, {"text": "再问"}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    question.draft_answer(by=reviewer, text="可以。")
    question.approve(by=head)
    response = english.post(reverse("accounts:rate", args=[question.case.number]), {"level": "5", "comment": ""})
    assert response.status_code == 302 and question.case.ratings.get().level == 5


def test_withdraw_consent_page(english, applicant, topic, reviewer, head):
    question = published(applicant, topic, reviewer, head)
    english.force_login(applicant)
    english.post(reverse("consultation:withdraw-consent", args=[question.pk]))
    assert english.get(question.get_absolute_url()).status_code == 404


def test_public_qa_shows_only_consented_published_questions_scrubbed(english, applicant, topic, reviewer, head):
    public = published(applicant, topic, reviewer, head, body="我是张明，电话13812345678，身份证33010619900101123X")
    private = answered(applicant, topic, reviewer, head, consent=False, title="私密问题")
    unreviewed = answered(applicant, topic, reviewer, head, consent=True, title="待审核问题")
    html = english.get(reverse("consultation:index")).content.decode()
    assert public.public_title in html and "私密问题" not in html and "待审核问题" not in html
    page = english.get(public.get_absolute_url()).content.decode()
    for secret in ("13812345678", "33010619900101123X", "张明", "0571-86010101", applicant.email):
        assert secret not in page and secret not in html
    assert "张*" in page
    for question in (private, unreviewed):
        assert english.get(reverse("consultation:question", args=[question.pk])).status_code == 404


def test_filter_by_topic_and_department_and_search(english, applicant, department, other_department, reviewer, head):
    food = make_topic(department)
    civil = make_topic(other_department, slug="elderly", name="养老服务")
    from civiccenter import roles
    from tests.conftest import make_staff

    other_reviewer = make_staff("r2@example.cn", roles.DEPARTMENT_REVIEWER, other_department)
    other_head = make_staff("h2@example.cn", roles.DEPARTMENT_HEAD, other_department)
    one = published(applicant, food, reviewer, head, title="食品许可 licence")
    two = published(applicant, civil, other_reviewer, other_head, title="高龄津贴")
    url = reverse("consultation:index")

    def titles(params):
        return [q.pk for q in english.get(url, params).context["questions"]]

    assert titles({"topic": "elderly"}) == [two.pk]
    assert titles({"department": "SCJG"}) == [one.pk]
    assert titles({"q": "津贴"}) == [two.pk]
    assert titles({"q": "Licence"}) == [one.pk]
    response = english.get(url, {"topic": "no-such-topic"})
    assert response.status_code == 200 and response.context["form"].errors


def test_helpful_votes_once_per_session_without_javascript(client, applicant, topic, reviewer, head):
    question = published(applicant, topic, reviewer, head)
    url = reverse("consultation:vote", args=[question.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "no"})
    client.post(url, {"helpful": "maybe"})
    question.refresh_from_db()
    assert (question.helpful_yes, question.helpful_no) == (1, 0)
    assert client.get(question.get_absolute_url()).context["voted"]
    private = answered(applicant, topic, reviewer, head, consent=False)
    assert client.post(reverse("consultation:vote", args=[private.pk]), {"helpful": "yes"}).status_code == 404


def test_knowledge_base_pages(english, topic):
    entry = KnowledgeEntry.objects.create(
        topic=topic, question="许可证有效期", answer="5年", legal_basis="食品安全法", published=True
    )
    draft = KnowledgeEntry.objects.create(topic=topic, question="草稿条目", answer="x")
    html = english.get(reverse("consultation:knowledge")).content.decode()
    assert entry.question in html and "草稿条目" not in html
    assert "食品安全法" in english.get(entry.get_absolute_url()).content.decode()
    assert english.get(draft.get_absolute_url()).status_code == 404
    assert english.get(reverse("consultation:knowledge"), {"q": "有效期"}).context["entries"] == [entry]


# Queries: a fixed number whatever the data size --------------------------------------------


def _many_published(count, applicant, topic, reviewer, head):
    for index in range(count):
        published(applicant, topic, reviewer, head, title=f"食品许可问题{index}")


def _count_queries(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "食品许可"}, {"topic": "food-safety", "department": "SCJG"}])
def test_qa_list_queries_do_not_grow_with_the_data(
    client, applicant, topic, reviewer, head, params, django_assert_num_queries
):
    url = reverse("consultation:index")
    _many_published(2, applicant, topic, reviewer, head)
    small = _count_queries(client, url, params)
    _many_published(25, applicant, topic, reviewer, head)
    with django_assert_num_queries(small):
        client.get(url, params)
    assert small <= 6


def test_knowledge_base_queries_do_not_grow(client, topic):
    url = reverse("consultation:knowledge")
    KnowledgeEntry.objects.create(topic=topic, question="条目0", answer="答", published=True)
    small = _count_queries(client, url)
    department = Department.objects.get()
    for index in range(1, 30):
        chosen = make_topic(department, slug=f"t{index}", name=f"主题{index}") if index % 10 == 0 else topic
        KnowledgeEntry.objects.create(topic=chosen, question=f"条目{index}", answer="答", published=True)
    assert _count_queries(client, url) == small


def test_question_page_queries_are_fixed(client, applicant, topic, reviewer, head):
    question = published(applicant, topic, reviewer, head)
    for index in range(10):
        question.vote(voter=f"s{index}", helpful=True)
    small = _count_queries(client, question.get_absolute_url())
    assert small <= 4


def test_asking_needs_no_more_than_a_few_queries_to_show(client, applicant, topic):
    client.force_login(applicant)
    ask(applicant, topic)
    assert _count_queries(client, reverse("consultation:ask")) <= 6
