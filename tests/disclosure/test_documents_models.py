"""Documents: the Art. 26 publication deadline, index numbers, publish / amend / repeal and their refusals."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from civiccenter.cases import InvalidTransition
from disclosure.models import Category, Document
from tests.conftest import make_department


def make_document(department, title="关于办理食品经营许可证和营业执照的通知", publish_on=None, **fields):
    """A document of `department`, published on `publish_on` when given (a draft otherwise)."""
    fields.setdefault("category", Category.objects.get(code="20-1"))
    fields.setdefault("formed_on", date(2026, 3, 2))
    fields.setdefault("summary", "关于办理有关事项的说明。")
    fields.setdefault("body", "正文。")
    document = Document.objects.create(title=title, department=department, **fields)
    if publish_on is not None:
        document.publish(today=publish_on)
    return document


# Art. 26: publish within 20 working days of being formed ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("formed", "due"),
    [
        # Mid-Autumn (25-27 Sep), National Day (1-7 Oct), adjusted working Sun 20 Sep and Sat 10 Oct 2026.
        (date(2026, 9, 18), date(2026, 10, 22)),
        (date(2026, 9, 24), date(2026, 10, 29)),
        (date(2026, 9, 30), date(2026, 11, 3)),
        # Spring Festival 15-23 Feb, adjusted working Sat 14 Feb and Sat 28 Feb 2026.
        (date(2026, 2, 9), date(2026, 3, 13)),
        # An ordinary stretch: four weeks.
        (date(2026, 3, 2), date(2026, 3, 30)),
    ],
)
def test_publish_by_is_20_working_days_after_formed_article_26(department, formed, due):
    document = make_document(department, formed_on=formed)
    assert document.publish_by == due
    document.refresh_from_db()
    assert document.publish_by == due


@pytest.mark.django_db
def test_changing_the_date_formed_moves_the_article_26_due_date(department):
    document = make_document(department, formed_on=date(2026, 9, 18))
    document.formed_on = date(2026, 9, 24)
    document.save(update_fields=["formed_on"])
    document.refresh_from_db()
    assert document.publish_by == date(2026, 10, 29)


@pytest.mark.django_db
def test_late_due_soon_and_published_late_querysets_article_26(department):
    late = make_document(department, "迟发", formed_on=date(2026, 9, 18))  # due 22 Oct
    soon = make_document(department, "将到期", formed_on=date(2026, 9, 24))  # due 29 Oct
    on_time = make_document(department, "按时", formed_on=date(2026, 9, 18), publish_on=date(2026, 10, 22))
    published_late = make_document(department, "逾期发布", formed_on=date(2026, 9, 18), publish_on=date(2026, 10, 23))
    today = date(2026, 10, 23)
    assert set(Document.objects.late(today)) == {late}
    assert set(Document.objects.due_soon(date(2026, 10, 30), today)) == {soon}
    assert set(Document.objects.published_late()) == {published_late}
    assert set(Document.objects.published(today)) == {on_time, published_late}


# Publishing: the index number ----------------------------------------------------------


@pytest.mark.django_db
def test_publish_gives_index_number_by_organ_year_and_sequence(department):
    first = make_document(department, "一", formed_on=date(2026, 3, 2))
    second = make_document(department, "二", formed_on=date(2026, 3, 3))
    older = make_document(department, "三", formed_on=date(2025, 12, 30))
    first.publish(today=date(2026, 3, 10))
    second.publish(today=date(2026, 3, 10))
    older.publish(today=date(2026, 1, 5))
    assert (first.index_number, second.index_number) == ("SCJG/2026-00001", "SCJG/2026-00002")
    assert older.index_number == "SCJG/2025-00001"  # the year the information was formed
    first.refresh_from_db()
    assert first.published_on == date(2026, 3, 10) and first.index_number == "SCJG/2026-00001"


@pytest.mark.django_db
def test_index_number_format_comes_from_settings_and_organ_is_upper_cased(settings):
    settings.DISCLOSURE_INDEX_FORMAT = "11330100MB/{year}-{organ}-{seq:03d}"
    department = make_department(code="jy", name="区教育局")
    document = make_document(department, publish_on=date(2026, 3, 10))
    assert document.index_number == "11330100MB/2026-JY-001"


@pytest.mark.django_db
def test_publishing_twice_is_refused(department):
    document = make_document(department, publish_on=date(2026, 3, 10))
    with pytest.raises(InvalidTransition):
        document.publish(today=date(2026, 3, 11))
    document.refresh_from_db()
    assert document.published_on == date(2026, 3, 10) and document.index_number == "SCJG/2026-00001"


@pytest.mark.django_db
def test_publishing_a_stale_copy_of_a_published_document_is_refused(department):
    document = make_document(department)
    stale = Document.objects.get(pk=document.pk)
    document.publish(today=date(2026, 3, 10))
    with pytest.raises(InvalidTransition):
        stale.publish(today=date(2026, 3, 12))
    assert Document.objects.get(pk=document.pk).published_on == date(2026, 3, 10)


@pytest.mark.django_db
def test_publishing_before_the_day_formed_is_refused(department):
    document = make_document(department, formed_on=date(2026, 3, 2))
    with pytest.raises(InvalidTransition):
        document.publish(today=date(2026, 3, 1))
    document.refresh_from_db()
    assert document.published_on is None and document.index_number is None


@pytest.mark.django_db
def test_publishing_on_the_day_formed_is_allowed(department):
    document = make_document(department, formed_on=date(2026, 3, 2), publish_on=date(2026, 3, 2))
    assert document.published_on == date(2026, 3, 2)


@pytest.mark.django_db
def test_a_document_dated_in_the_future_is_not_public_yet(department):
    document = make_document(department, formed_on=date(2026, 3, 2), publish_on=date(2026, 3, 20))
    assert not Document.objects.published(date(2026, 3, 19)).filter(pk=document.pk).exists()
    assert Document.objects.published(date(2026, 3, 20)).filter(pk=document.pk).exists()


def _publish_in_thread(pk, results):
    try:
        Document.objects.get(pk=pk).publish(today=date(2026, 3, 10))
        results.append(Document.objects.get(pk=pk).index_number)
    except InvalidTransition:
        results.append("refused")
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_never_share_an_index_number_and_never_publish_twice():
    department = make_department()
    documents = [make_document(department, f"文件{i}") for i in range(4)]
    results = []
    threads = [threading.Thread(target=_publish_in_thread, args=(d.pk, results)) for d in documents]
    threads += [threading.Thread(target=_publish_in_thread, args=(documents[0].pk, results))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = list(Document.objects.order_by("index_number").values_list("index_number", flat=True))
    assert numbers == [f"SCJG/2026-{n:05d}" for n in range(1, 5)]
    assert results.count("refused") == 1


# Validation -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_clean_refuses_a_date_formed_after_the_date_published(department):
    document = make_document(department, publish_on=date(2026, 3, 10))
    document.formed_on = date(2026, 3, 11)
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "formed_on" in error.value.message_dict


# Amend and repeal -----------------------------------------------------------------------------


@pytest.fixture
def old_and_new(department):
    old = make_document(department, "旧办法", document_number="区市监发〔2025〕3号", formed_on=date(2025, 3, 3))
    old.publish(today=date(2025, 3, 10))
    new = make_document(department, "新办法", document_number="区市监发〔2026〕12号", formed_on=date(2026, 3, 2))
    new.publish(today=date(2026, 3, 10))
    return old, new


@pytest.mark.django_db
def test_amend_records_the_date_and_the_text_now_in_force(old_and_new):
    old, new = old_and_new
    old.amend(replaced_by=new, on=date(2026, 3, 10), today=date(2026, 3, 10))
    old.refresh_from_db()
    assert (old.validity, old.validity_changed_on, old.replaced_by) == ("amended", date(2026, 3, 10), new)
    assert list(new.replaces.all()) == [old]


@pytest.mark.django_db
def test_repeal_with_and_without_a_replacement(old_and_new, department):
    old, new = old_and_new
    old.repeal(on=date(2026, 3, 12), replaced_by=new, today=date(2026, 3, 12))
    other = make_document(department, "其他", formed_on=date(2025, 5, 6), publish_on=date(2025, 5, 8))
    other.repeal(on=date(2026, 1, 5), today=date(2026, 3, 12))
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.validity, old.validity_changed_on, old.replaced_by) == ("repealed", date(2026, 3, 12), new)
    assert (other.validity, other.validity_changed_on, other.replaced_by) == ("repealed", date(2026, 1, 5), None)


@pytest.mark.django_db
def test_amend_requires_a_replacement(old_and_new):
    old, _new = old_and_new
    with pytest.raises(InvalidTransition):
        old.amend(replaced_by=None, on=date(2026, 3, 10), today=date(2026, 3, 10))


@pytest.mark.django_db
def test_repealing_or_amending_a_draft_is_refused(department, old_and_new):
    _old, new = old_and_new
    draft = make_document(department, "草稿", formed_on=date(2026, 3, 2))
    with pytest.raises(InvalidTransition):
        draft.repeal(on=date(2026, 3, 10), today=date(2026, 3, 10))
    with pytest.raises(InvalidTransition):
        draft.amend(replaced_by=new, on=date(2026, 3, 10), today=date(2026, 3, 10))
    draft.refresh_from_db()
    assert draft.validity == "in_force" and draft.validity_changed_on is None


@pytest.mark.django_db
def test_an_unpublished_replacement_is_refused(old_and_new, department):
    old, _new = old_and_new
    draft = make_document(department, "未发布的新办法", formed_on=date(2026, 3, 2))
    with pytest.raises(InvalidTransition):
        old.amend(replaced_by=draft, on=date(2026, 3, 10), today=date(2026, 3, 10))
    with pytest.raises(InvalidTransition):
        old.repeal(replaced_by=draft, on=date(2026, 3, 10), today=date(2026, 3, 10))
    old.refresh_from_db()
    assert old.validity == "in_force" and old.replaced_by is None


@pytest.mark.django_db
def test_a_replacement_published_after_the_change_is_refused(old_and_new):
    old, new = old_and_new  # new published on 10 Mar 2026
    with pytest.raises(InvalidTransition):
        old.amend(replaced_by=new, on=date(2026, 3, 9), today=date(2026, 3, 10))


@pytest.mark.django_db
def test_a_replacement_no_longer_in_force_is_refused(old_and_new, department):
    old, new = old_and_new
    newest = make_document(department, "最新办法", formed_on=date(2026, 4, 1), publish_on=date(2026, 4, 2))
    new.repeal(on=date(2026, 4, 2), replaced_by=newest, today=date(2026, 4, 2))
    with pytest.raises(InvalidTransition):
        old.amend(replaced_by=new, on=date(2026, 4, 2), today=date(2026, 4, 2))


@pytest.mark.django_db
def test_a_document_cannot_replace_itself(old_and_new):
    old, _new = old_and_new
    with pytest.raises(InvalidTransition):
        old.amend(replaced_by=old, on=date(2026, 3, 10), today=date(2026, 3, 10))


@pytest.mark.django_db
def test_a_change_dated_before_formed_or_published_or_in_the_future_is_refused(old_and_new):
    old, _new = old_and_new  # formed 3 Mar 2025, published 10 Mar 2025
    for on in (date(2025, 3, 1), date(2025, 3, 7), date(2026, 3, 11)):
        with pytest.raises(InvalidTransition):
            old.repeal(on=on, today=date(2026, 3, 10))
    old.refresh_from_db()
    assert old.validity == "in_force"


@pytest.mark.django_db
def test_a_repealed_or_amended_document_cannot_change_again(old_and_new):
    old, new = old_and_new
    old.amend(replaced_by=new, on=date(2026, 3, 10), today=date(2026, 3, 10))
    with pytest.raises(InvalidTransition):
        old.repeal(on=date(2026, 3, 11), today=date(2026, 3, 11))
    with pytest.raises(InvalidTransition):
        old.amend(replaced_by=new, on=date(2026, 3, 11), today=date(2026, 3, 11))
    old.refresh_from_db()
    assert (old.validity, old.validity_changed_on) == ("amended", date(2026, 3, 10))
