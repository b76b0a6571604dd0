"""Public pages of proactive disclosure: list, document, catalogue and CSV, guide, feeds, sitemap."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter.lib.simplepdf import text_pdf
from consultation.models import Interpretation
from disclosure.models import Attachment, Category, Document, Guide, Topic
from disclosure.views.documents import PER_PAGE, SEARCH_PAGES
from tests.disclosure.test_documents_models import make_document

TODAY = timezone.localdate()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def publish_many(department, count, start=date(2025, 1, 6), **fields):
    """`count` published documents, one a day from `start`, each formed the day before."""
    documents = []
    for i in range(count):
        day = start + timedelta(days=i)
        documents.append(
            make_document(department, f"第{i}号文件", formed_on=day - timedelta(days=1), publish_on=day, **fields)
        )
    return documents


# The list ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_published_documents_newest_first_and_hides_drafts_and_future_ones(client, department):
    old = make_document(department, "较早的文件", formed_on=date(2025, 3, 3), publish_on=date(2025, 3, 4))
    new = make_document(department, "较新的文件", formed_on=date(2026, 3, 3), publish_on=date(2026, 3, 4))
    make_document(department, "草稿文件")
    make_document(department, "定时发布的文件", formed_on=TODAY, publish_on=TODAY + timedelta(days=3))
    response = client.get(reverse("disclosure:documents"))
    assert response.status_code == 200
    assert list(response.context["documents"]) == [new, old]
    assert "草稿文件" not in response.content.decode() and "定时发布的文件" not in response.content.decode()


@pytest.mark.django_db
def test_list_filters_by_category_department_year_topic_and_validity(client, department, other_department):
    plans = Category.objects.get(code="20-3")
    education = Topic.objects.get(slug="education")
    a = make_document(department, "规划文件", category=plans, formed_on=date(2025, 5, 5), publish_on=date(2025, 5, 6))
    b = make_document(other_department, "民政文件", topic=education, publish_on=date(2026, 3, 3))
    c = make_document(department, "已废止的文件", publish_on=date(2026, 3, 3))
    c.repeal(on=date(2026, 3, 5), today=date(2026, 3, 5))
    url = reverse("disclosure:documents")
    assert list(client.get(url, {"category": "20-3"}).context["documents"]) == [a]
    assert list(client.get(url, {"department": "MZ"}).context["documents"]) == [b]
    assert list(client.get(url, {"year": "2025"}).context["documents"]) == [a]
    assert list(client.get(url, {"topic": "education"}).context["documents"]) == [b]
    assert list(client.get(url, {"validity": "repealed"}).context["documents"]) == [c]
    assert set(client.get(url, {"validity": "in_force", "department": "SCJG"}).context["documents"]) == {a}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1900"},
        {"category": "99-9"},
        {"department": "<script>"},
        {"validity": "gone"},
        {"older": "2026-13-45_1"},
        {"older": "'; DROP TABLE disclosure_document; --"},
        {"newer": "9999-12-31_99999999999999999999"},
        {"q": "营业执照", "page": "abc"},
        {"q": "营业执照", "page": "-3"},
        {"q": "营业执照", "page": "100000000000000000000"},
    ],
)
def test_bad_list_parameters_give_a_page_never_an_error(client, department, params):
    make_document(department, publish_on=date(2026, 3, 3))
    response = client.get(reverse("disclosure:documents"), params)
    assert response.status_code == 200
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_an_invalid_filter_is_shown_as_a_form_error_and_ignored(english, department):
    document = make_document(department, publish_on=date(2026, 3, 3))
    response = english.get(reverse("disclosure:documents"), {"year": "abc", "department": "SCJG"})
    assert list(response.context["documents"]) == [document]
    assert "year" in response.context["filter"].form.errors
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_keyset_pages_follow_newer_and_older_without_gaps_or_repeats(client, department):
    documents = publish_many(department, PER_PAGE * 2 + 5)
    newest_first = documents[::-1]
    url = reverse("disclosure:documents")
    first = client.get(url).context
    assert list(first["documents"]) == newest_first[:PER_PAGE]
    assert first["page"].newer is None and first["page"].older
    second = client.get(url, {"older": first["page"].older}).context
    assert list(second["documents"]) == newest_first[PER_PAGE : PER_PAGE * 2]
    third = client.get(url, {"older": second["page"].older}).context
    assert list(third["documents"]) == newest_first[PER_PAGE * 2 :]
    assert third["page"].older is None
    back = client.get(url, {"newer": third["page"].newer}).context
    assert list(back["documents"]) == newest_first[PER_PAGE : PER_PAGE * 2]
    top = client.get(url, {"newer": back["page"].newer}).context
    assert list(top["documents"]) == newest_first[:PER_PAGE]
    assert top["page"].first and top["page"].newer is None


@pytest.mark.django_db
def test_keyset_handles_several_documents_published_the_same_day(client, department):
    documents = [make_document(department, f"同日{i}", publish_on=date(2026, 3, 3)) for i in range(PER_PAGE + 3)]
    url = reverse("disclosure:documents")
    first = client.get(url).context
    second = client.get(url, {"older": first["page"].older}).context
    seen = list(first["documents"]) + list(second["documents"])
    assert sorted(d.pk for d in seen) == sorted(d.pk for d in documents)


@pytest.mark.django_db
def test_pager_links_keep_the_filters(client, department):
    publish_many(department, PER_PAGE + 2)
    response = client.get(reverse("disclosure:documents"), {"department": "SCJG"})
    older = response.context["page"].older
    assert f'href="?department=SCJG&amp;older={older}"' in response.content.decode()


def _list_queries(client, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("disclosure:documents"), params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries], response


@pytest.mark.django_db
def test_list_page_one_and_a_deep_page_cost_the_same_queries_without_count_or_offset(client, department):
    publish_many(department, PER_PAGE * 6)
    first, response = _list_queries(client)
    cursor = response.context["page"].older
    for _ in range(4):  # follow the cursor to the last page
        deep, response = _list_queries(client, {"older": cursor})
        cursor = response.context["page"].older or cursor
    assert len(first) == len(deep)
    for sql in first + deep:
        assert "COUNT(" not in sql.upper()
        assert "OFFSET" not in sql.upper()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({}, 4),  # documents, then the category, department and topic choices
        ({"category": "20-1"}, 5),  # + the chosen category
        ({"department": "SCJG", "year": "2025", "topic": "health"}, 6),  # + the chosen department and topic
    ],
)
def test_list_costs_a_fixed_number_of_queries_for_3_or_30_documents(
    client, department, django_assert_num_queries, params, queries
):
    publish_many(department, 3, topic=Topic.objects.get(slug="health"))
    with django_assert_num_queries(queries):
        response = client.get(reverse("disclosure:documents"), params)
    assert len(response.context["documents"]) == 3
    publish_many(department, 27, start=date(2025, 2, 1), topic=Topic.objects.get(slug="health"))
    with django_assert_num_queries(queries):
        response = client.get(reverse("disclosure:documents"), params)
    assert len(response.context["documents"]) == PER_PAGE


@pytest.mark.django_db
def test_search_results_cost_a_fixed_number_of_queries(client, department, django_assert_num_queries):
    publish_many(department, 3)
    with django_assert_num_queries(4):
        client.get(reverse("disclosure:documents"), {"q": "营业执照"})
    publish_many(department, 27, start=date(2025, 2, 1))
    with django_assert_num_queries(4):
        client.get(reverse("disclosure:documents"), {"q": "营业执照"})


@pytest.mark.django_db
def test_search_pages_stop_after_the_cap_with_a_refine_message(english, department):
    documents = [
        Document(
            title=f"关于办理营业执照的通知{i}",
            department=department,
            category=Category.objects.get(code="20-1"),
            formed_on=date(2025, 1, 1),
            summary="摘要",
            index_number=f"T/{i}",
            published_on=date(2025, 1, 2) + timedelta(days=i),
        )
        for i in range(PER_PAGE * SEARCH_PAGES + 1)
    ]
    for document in documents:
        document.search = document.search_vector()
    Document.objects.bulk_create(documents)
    url = reverse("disclosure:documents")
    last = english.get(url, {"q": "营业执照", "page": SEARCH_PAGES})
    assert last.context["refine"] and last.context["next_page"] is None
    assert "refine your search" in last.content.decode()
    beyond = english.get(url, {"q": "营业执照", "page": SEARCH_PAGES + 5})
    assert beyond.context["page_number"] == SEARCH_PAGES
    first = english.get(url, {"q": "营业执照"})
    assert first.context["next_page"] == 2 and not first.context["refine"]


# One document -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_document_page_shows_every_field_attachments_validity_and_links(english, department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = make_document(
        department,
        "旧的办法",
        document_number="区市监发〔2025〕3号",
        formed_on=date(2025, 3, 3),
        publish_on=date(2025, 3, 4),
    )
    new = make_document(
        department,
        "新的办法",
        document_number="区市监发〔2026〕12号",
        topic=Topic.objects.get(slug="market"),
        kind=Document.Kind.NORMATIVE,
        summary="新办法的概述。",
        body="第一条 正文。",
        publish_on=date(2026, 3, 3),
    )
    related = make_document(department, "相关的解读", publish_on=date(2026, 3, 4))
    draft_related = make_document(department, "尚未发布的相关文件")
    new.related.add(related, draft_related)
    old.amend(replaced_by=new, on=date(2026, 3, 3), today=date(2026, 3, 3))
    Attachment.objects.create(
        document=new, title="办法全文", file=ContentFile(text_pdf("办法", ["正文"]), name="a.pdf")
    )

    page = english.get(new.get_absolute_url()).content.decode()
    for text in ("新的办法", "区市监发〔2026〕12号", "SCJG/2026-", "District Administration for Market Regulation"):
        assert text in page
    for text in ("2026-03-02", "2026-03-03", "新办法的概述。", "第一条 正文。", "Administrative normative document"):
        assert text in page
    attachment = new.attachments.get()
    assert f'href="{attachment.file.url}" download' in page and attachment.file.url.startswith("/media/disclosure/")
    assert old.get_absolute_url() in page  # what it replaces
    assert related.get_absolute_url() in page and "尚未发布的相关文件" not in page

    old_page = english.get(old.get_absolute_url()).content.decode()
    assert "Amended on 2026-03-03" in old_page and new.get_absolute_url() in old_page


@pytest.mark.django_db
def test_document_page_costs_a_fixed_number_of_queries(client, department, django_assert_num_queries):
    document = make_document(department, publish_on=date(2026, 3, 3))
    with django_assert_num_queries(5):  # document, attachments, what it replaces, related, interpretations
        client.get(document.get_absolute_url())
    others = publish_many(department, 30)
    document.related.add(*others[:15])
    for other in others[15:20]:
        other.repeal(on=date(2026, 3, 3), replaced_by=document, today=date(2026, 3, 3))
    for i in range(10):
        Attachment.objects.create(document=document, title=f"附件{i}", file=f"disclosure/{i}.pdf")
    for i in range(3):
        interpretation = Interpretation.objects.create(
            title=f"图解{i}", department=department, summary="解读", body="正文", published_on=date(2026, 3, 4)
        )
        interpretation.documents.add(document)
    with django_assert_num_queries(5):
        response = client.get(document.get_absolute_url())
    assert len(response.context["document"].public_related) == 15
    html = response.content.decode()
    assert all(f"图解{i}" in html for i in range(3)), "the document links back to its interpretations"


@pytest.mark.django_db
def test_drafts_future_and_missing_documents_answer_404(client, department):
    draft = make_document(department, "草稿")
    future = make_document(department, "将来", formed_on=TODAY, publish_on=TODAY + timedelta(days=1))
    for pk in (draft.pk, future.pk, 999999):
        assert client.get(reverse("disclosure:document", args=[pk])).status_code == 404


@pytest.mark.django_db
def test_link_to_an_unpublished_replacement_is_not_shown(client, department):
    old = make_document(department, "旧", formed_on=date(2025, 3, 3), publish_on=date(2025, 3, 4))
    new = make_document(department, "新", formed_on=date(2026, 3, 3), publish_on=date(2026, 3, 4))
    old.repeal(on=date(2026, 3, 4), replaced_by=new, today=date(2026, 3, 4))
    Document.objects.filter(pk=new.pk).update(published_on=TODAY + timedelta(days=5))  # rescheduled
    response = client.get(old.get_absolute_url())
    assert response.context["replacement"] is None
    assert new.get_absolute_url() not in response.content.decode()


# Landing page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_landing_page_has_search_categories_latest_and_links(english, department):
    document = make_document(department, publish_on=date(2026, 3, 3))
    make_document(department, "草稿不显示")
    page = english.get(reverse("disclosure:index")).content.decode()
    assert f'action="{reverse("disclosure:documents")}"' in page and 'name="q"' in page
    assert document.get_absolute_url() in page and "草稿不显示" not in page
    assert "?category=21-6" in page
    for path in ("/disclosure/requests/new/", "/disclosure/reports/", "/disclosure/guide/", "/disclosure/catalogue/"):
        assert f'href="{path}"' in page


@pytest.mark.django_db
def test_landing_page_costs_a_fixed_number_of_queries(client, department, django_assert_num_queries):
    publish_many(department, 3)
    with django_assert_num_queries(2):
        client.get(reverse("disclosure:index"))
    publish_many(department, 27, start=date(2025, 2, 1))
    with django_assert_num_queries(2):
        client.get(reverse("disclosure:index"))


# Catalogue ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_lists_index_number_name_summary_and_date_formed_article_12(english, department):
    document = make_document(
        department, "目录中的文件", summary="目录概述。", formed_on=date(2026, 2, 27), publish_on=date(2026, 3, 3)
    )
    make_document(department, "目录外的草稿")
    page = english.get(reverse("disclosure:catalogue")).content.decode()
    for text in (document.index_number, "目录中的文件", "目录概述。", "2026-02-27"):
        assert text in page
    assert "目录外的草稿" not in page


@pytest.mark.django_db
def test_catalogue_costs_a_fixed_number_of_queries_and_pages_by_cursor(client, department, django_assert_num_queries):
    publish_many(department, 3)
    with django_assert_num_queries(1):
        client.get(reverse("disclosure:catalogue"))
    publish_many(department, 27, start=date(2025, 2, 1))
    with django_assert_num_queries(1):
        response = client.get(reverse("disclosure:catalogue"))
    with django_assert_num_queries(1):
        deep = client.get(reverse("disclosure:catalogue"), {"older": response.context["page"].older})
    assert len(deep.context["documents"]) == 10


@pytest.mark.django_db
def test_catalogue_csv_is_streamed_utf8_with_bom_and_every_published_item(client, department):
    document = make_document(
        department,
        "=危险的标题",
        document_number="区市监发〔2026〕12号",
        summary="概述，含逗号",
        publish_on=date(2026, 3, 3),
    )
    make_document(department, "草稿不导出")
    response = client.get(reverse("disclosure:catalogue-csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == document.index_number
    assert row[1] == "'=危险的标题"  # never a formula in a spreadsheet
    assert row[2] == "区市监发〔2026〕12号" and row[5] == "概述，含逗号"
    assert row[6] == "2026-03-02" and row[7] == "2026-03-03"
    assert row[9].endswith(document.get_absolute_url())


@pytest.mark.django_db
def test_catalogue_csv_reads_rows_with_a_server_side_cursor(client, department):
    publish_many(department, 5)
    with CaptureQueriesContext(connection) as captured:
        b"".join(client.get(reverse("disclosure:catalogue-csv")).streaming_content)
    # Django runs .iterator() on PostgreSQL through a named cursor: DECLARE ... CURSOR.
    assert len(captured.captured_queries) == 1


# Guide ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_guide_shows_organisation_how_to_request_and_office(english):
    guide = Guide.current()
    page = english.get(reverse("disclosure:guide")).content.decode()
    for text in (guide.organisation_en[:30], guide.how_to_request_en[:30], guide.office_name_en, guide.phone):
        assert text in page
    assert "/disclosure/requests/new/" in page


@pytest.mark.django_db
def test_guide_in_chinese_by_default(client):
    guide = Guide.current()
    page = client.get(reverse("disclosure:guide")).content.decode()
    assert guide.office_name in page and guide.hours in page


@pytest.mark.django_db
def test_no_guide_answers_404(client):
    Guide.objects.all().delete()
    assert client.get(reverse("disclosure:guide")).status_code == 404


# Feeds and sitemap -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_atom_feed_lists_published_documents_only(client, department):
    document = make_document(department, "订阅中的文件", publish_on=date(2026, 3, 3))
    make_document(department, "订阅外的草稿")
    response = client.get(reverse("disclosure:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in body
    assert "订阅中的文件" in body and document.get_absolute_url() in body and "订阅外的草稿" not in body


@pytest.mark.django_db
def test_category_feed_lists_only_that_category(client, department):
    social = Category.objects.get(code="21-6")
    mine = make_document(department, "社会救助文件", category=social, publish_on=date(2026, 3, 3))
    make_document(department, "其他类别文件", publish_on=date(2026, 3, 3))
    body = client.get(reverse("disclosure:category-feed", args=["21-6"])).content.decode()
    assert mine.title in body and "其他类别文件" not in body
    assert client.get(reverse("disclosure:category-feed", args=["99-9"])).status_code == 404


@pytest.mark.django_db
def test_feeds_keep_to_the_latest_50_at_a_fixed_number_of_queries(client, department, django_assert_num_queries):
    publish_many(department, 3)
    with django_assert_num_queries(1):
        client.get(reverse("disclosure:feed"))
    with django_assert_num_queries(2):
        client.get(reverse("disclosure:category-feed", args=["20-1"]))
    publish_many(department, 60, start=date(2025, 2, 1))
    with django_assert_num_queries(1):
        response = client.get(reverse("disclosure:feed"))
    with django_assert_num_queries(2):
        client.get(reverse("disclosure:category-feed", args=["20-1"]))
    assert response.content.decode().count("<entry>") == 50


@pytest.mark.django_db
def test_sitemap_lists_published_documents_and_main_pages(client, department):
    document = make_document(department, publish_on=date(2026, 3, 3))
    draft = make_document(department, "草稿")
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-documents.xml" in index and "/sitemap-pages.xml" in index
    documents = client.get("/sitemap-documents.xml").content.decode()
    assert document.get_absolute_url() in documents and draft.get_absolute_url() not in documents
    pages = client.get("/sitemap-pages.xml").content.decode()
    for path in ("/disclosure/", "/disclosure/documents/", "/disclosure/guide/", "/licensing/", "/about/"):
        assert re.search(rf"<loc>https?://[^<]+{re.escape(path)}</loc>", pages)


@pytest.mark.django_db
def test_public_pages_need_no_sign_in(client, department):
    document = make_document(department, publish_on=date(2026, 3, 3))
    for url in (
        reverse("disclosure:index"),
        reverse("disclosure:documents"),
        document.get_absolute_url(),
        reverse("disclosure:catalogue"),
        reverse("disclosure:guide"),
        reverse("disclosure:feed"),
    ):
        assert client.get(url).status_code == 200, url
