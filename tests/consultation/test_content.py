"""Policy interpretations and online interviews."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civiccenter.cases import InvalidTransition
from consultation.models import (
    Guest,
    Interpretation,
    InterpretationImage,
    Interview,
    InterviewQuestion,
    KnowledgeEntry,
    Turn,
)
from tests.consultation.conftest import make_topic

pytestmark = pytest.mark.django_db


def png(width=2400, height=1200):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return SimpleUploadedFile("chart.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def make_interpretation(department, **fields):
    fields.setdefault("published_on", timezone.localdate())
    return Interpretation.objects.create(
        title="图解：个体工商户登记", summary="全程网办。", body="正文", department=department, **fields
    )


def test_images_are_resized_and_need_alt_text(department, media):
    item = make_interpretation(department)
    image = InterpretationImage.objects.create(interpretation=item, image=png(), alt_text="登记流程：申请、审核、发照")
    with Image.open(image.image.path) as stored:
        assert stored.width == 1600 and stored.height == 800
    with pytest.raises(IntegrityError), transaction.atomic():
        InterpretationImage.objects.create(interpretation=item, image=png(10, 10), alt_text="")


def test_interpretation_page_links_documents_and_entries(client, department, media):
    from disclosure.models import Category, Document

    category = Category.objects.first() or Category.objects.create(code="20-1", article=20, item=1, name="规章")
    document = Document.objects.create(
        title="关于促进个体工商户发展的通知",
        department=department,
        category=category,
        formed_on=timezone.localdate() - timedelta(days=3),
        summary="通知",
    )
    document.publish(today=timezone.localdate())
    draft_document = Document.objects.create(
        title="未公开文件", department=department, category=category, formed_on=timezone.localdate(), summary="x"
    )
    entry = KnowledgeEntry.objects.create(
        topic=make_topic(department), question="个体户怎么登记", answer="网上办", published=True
    )
    item = make_interpretation(department)
    item.documents.add(document, draft_document)
    item.entries.add(entry)
    InterpretationImage.objects.create(interpretation=item, image=png(200, 100), alt_text="登记流程图")
    html = client.get(item.get_absolute_url()).content.decode()
    assert document.get_absolute_url() in html and "未公开文件" not in html
    assert entry.get_absolute_url() in html and 'alt="登记流程图"' in html
    assert list(document.interpretations.all()) == [item]  # the document page can link back
    unpublished = make_interpretation(department, published_on=None)
    assert client.get(unpublished.get_absolute_url()).status_code == 404
    assert item.title in client.get(reverse("consultation:interpretations")).content.decode()


def make_interview(department, status=Interview.Status.ANNOUNCED, **fields):
    interview = Interview.objects.create(
        title="在线访谈：加装电梯",
        topic="加装电梯",
        department=department,
        host="林晓",
        starts_at=timezone.now() + timedelta(days=2),
        **fields,
    )
    Interview.objects.filter(pk=interview.pk).update(status=status)
    interview.refresh_from_db()
    return interview


def test_interview_lifecycle_and_moderation(department, applicant, staff_user):
    interview = Interview.objects.create(
        title="访谈", topic="电梯", department=department, host="林晓", starts_at=timezone.now()
    )
    with pytest.raises(InvalidTransition):
        interview.submit_question(by=applicant, text="草稿不收问题")
    with pytest.raises(InvalidTransition):
        interview.finish(by=staff_user)
    interview.announce(by=staff_user)
    question = interview.submit_question(by=applicant, text="费用怎么分摊？我的电话13812345678")
    assert "13812345678" not in question.public_text and question.public_asker == "张*"
    question.moderate(by=staff_user, accept=True)
    with pytest.raises(InvalidTransition):
        question.moderate(by=staff_user, accept=False)
    interview.go_live(by=staff_user)
    interview.finish(by=staff_user)
    with pytest.raises(InvalidTransition):
        interview.submit_question(by=applicant, text="结束后")


def test_turns_need_their_speaker(department):
    interview = make_interview(department)
    with pytest.raises(IntegrityError), transaction.atomic():
        Turn.objects.create(interview=interview, speaker="guest", text="没有嘉宾")
    with pytest.raises(IntegrityError), transaction.atomic():
        Turn.objects.create(interview=interview, speaker="citizen", text="")


def test_live_page_is_readable_without_javascript_and_refreshes_only_on_request(client, department, applicant):
    client.cookies["django_language"] = "en"
    interview = make_interview(department, status=Interview.Status.LIVE)
    guest = Guest.objects.create(interview=interview, name="郑国强", position="局长")
    question = interview.submit_question(by=applicant, text="有补贴吗？")
    question.moderate(by=None, accept=True)
    rejected = interview.submit_question(by=applicant, text="广告内容")
    rejected.moderate(by=None, accept=False)
    Turn.objects.create(interview=interview, speaker="host", text="欢迎收看", order=1)
    Turn.objects.create(interview=interview, speaker="citizen", question=question, order=2)
    Turn.objects.create(interview=interview, speaker="guest", guest=guest, text="有，每台补贴20万元。", order=3)
    html = client.get(interview.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "Refresh now" in html and "?refresh=on" in html
    assert html.index("欢迎收看") < html.index("有补贴吗？") < html.index("每台补贴20万元")
    assert "广告内容" not in html
    assert 'http-equiv="refresh"' in client.get(interview.get_absolute_url(), {"refresh": "on"}).content.decode()
    Interview.objects.filter(pk=interview.pk).update(status="finished")
    finished = client.get(interview.get_absolute_url(), {"refresh": "on"}).content.decode()
    assert 'http-equiv="refresh"' not in finished and "Complete record" in finished


def test_asking_an_interview_through_the_page(client, department, applicant):
    interview = make_interview(department)
    url = reverse("consultation:interview-ask", args=[interview.pk])
    assert client.post(url, {"text": "问题"}).status_code == 302 and not InterviewQuestion.objects.exists()
    client.force_login(applicant)
    client.post(url, {"text": ""})
    assert not InterviewQuestion.objects.exists()
    client.post(url, {"text": "加装电梯的费用怎么分摊？"})
    assert InterviewQuestion.objects.get().status == "pending"
    # Pending questions are not shown before moderation.
    assert "费用怎么分摊" not in client.get(interview.get_absolute_url()).content.decode()
    draft = Interview.objects.create(title="草稿", topic="x", department=department, host="h", starts_at=timezone.now())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_interview_pages_queries_are_fixed(client, department, applicant, django_assert_num_queries):
    interview = make_interview(department, status=Interview.Status.FINISHED)
    guest = Guest.objects.create(interview=interview, name="周建华", position="副局长")
    Turn.objects.create(interview=interview, speaker="host", text="开场", order=1)
    with CaptureQueriesContext(connection) as small_detail:
        client.get(interview.get_absolute_url())
    with CaptureQueriesContext(connection) as small_list:
        client.get(reverse("consultation:interviews"))
    for index in range(15):
        Interview.objects.filter(pk=interview.pk).update(status="live")
        interview.refresh_from_db()
        question = interview.submit_question(by=applicant, text=f"问题{index}")
        question.moderate(by=None, accept=True)
        Turn.objects.create(interview=interview, speaker="citizen", question=question, order=10 + index)
        Turn.objects.create(interview=interview, speaker="guest", guest=guest, text=f"回答{index}", order=10 + index)
        Guest.objects.create(interview=make_interview(department), name=f"嘉宾{index}", position="科长")
    Interview.objects.filter(pk=interview.pk).update(status="finished")
    with django_assert_num_queries(len(small_detail.captured_queries)):
        client.get(interview.get_absolute_url())
    with django_assert_num_queries(len(small_list.captured_queries)):
        client.get(reverse("consultation:interviews"))
