"""Search of published documents: Chinese words inside titles and bodies, English words, document numbers (Art. 24)."""

from datetime import date

import pytest
from django.urls import reverse

from disclosure.models import Document
from tests.disclosure.test_documents_models import make_document


def search(text):
    return list(Document.objects.published(date(2026, 11, 1)).search(text).order_by("-rank", "-published_on", "-pk"))


@pytest.fixture
def library(department):
    return {
        "licence": make_document(
            department,
            "关于办理食品经营许可证和营业执照的通知",
            document_number="区市监发〔2026〕12号",
            body="申请人可在市民服务中心一楼窗口办理。",
            publish_on=date(2026, 3, 10),
        ),
        "trade": make_document(
            department,
            "关于做好外贸企业服务工作的意见",
            document_number="区商务发〔2025〕3号",
            summary="支持企业应对国际贸易规则。",
            body="按照WTO规则和5G网络建设要求，做好企业服务。",
            formed_on=date(2025, 6, 2),
            publish_on=date(2025, 6, 3),
        ),
        "other_number": make_document(
            department,
            "关于小餐饮登记的通知",
            document_number="区市监发〔2025〕12号",
            formed_on=date(2025, 6, 2),
            publish_on=date(2025, 6, 4),
        ),
        "draft": make_document(department, "尚未发布的营业执照办理指南"),
    }


@pytest.mark.django_db
def test_a_chinese_word_inside_a_title_is_found(library):
    assert search("营业执照") == [library["licence"]]
    assert search("食品经营") == [library["licence"]]


@pytest.mark.django_db
def test_a_word_inside_the_body_or_summary_is_found(library):
    assert search("市民服务中心") == [library["licence"]]
    assert search("国际贸易") == [library["trade"]]


@pytest.mark.django_db
def test_english_words_are_found_whatever_their_case(library):
    assert search("WTO") == [library["trade"]]
    assert search("wto") == [library["trade"]]
    assert search("5G") == [library["trade"]]
    assert search("ＷＴＯ") == [library["trade"]]  # full-width letters, as Chinese keyboards type them


@pytest.mark.django_db
def test_document_numbers_are_found_whole_and_by_their_end(library):
    assert search("区市监发〔2026〕12号") == [library["licence"]]
    assert search("〔2026〕12号") == [library["licence"]]
    assert set(search("12号")) == {library["licence"], library["other_number"]}


@pytest.mark.django_db
def test_every_word_must_match(library):
    assert search("营业执照 WTO") == []
    assert search("企业 WTO") == [library["trade"]]


@pytest.mark.django_db
def test_pairs_out_of_order_are_not_a_match(department):
    # 执照营业 has the pairs 执照 照营 营业: the exact recheck keeps the search honest.
    make_document(department, "营业执照", publish_on=date(2026, 3, 10))
    assert search("执照营业") == []


@pytest.mark.django_db
def test_drafts_are_never_found(library):
    assert library["draft"] not in search("营业执照")
    assert library["draft"] not in search("办理指南")


@pytest.mark.django_db
def test_a_title_match_ranks_above_a_body_only_match(department):
    body_only = make_document(
        department, "关于窗口服务的通知", body="办理营业执照的，请到一楼窗口。", publish_on=date(2026, 5, 6)
    )
    in_title = make_document(department, "营业执照办理须知", body="请按须知办理。", publish_on=date(2026, 3, 10))
    # The body-only match is newer, yet the title match comes first.
    assert search("营业执照") == [in_title, body_only]


@pytest.mark.django_db
def test_equal_matches_are_ordered_newest_first(department):
    older = make_document(department, "营业执照通知一", publish_on=date(2026, 3, 10))
    newer = make_document(department, "营业执照通知二", publish_on=date(2026, 4, 10))
    assert search("营业执照") == [newer, older]


@pytest.mark.django_db
def test_search_page_finds_the_document_by_a_chinese_word(client, library):
    response = client.get(reverse("disclosure:documents"), {"q": "营业执照"})
    assert response.context["searching"]
    assert list(response.context["documents"]) == [library["licence"]]
    assert library["licence"].get_absolute_url() in response.content.decode()


@pytest.mark.django_db
def test_search_combines_with_the_filters(client, library):
    url = reverse("disclosure:documents")
    assert list(client.get(url, {"q": "12号", "year": "2025"}).context["documents"]) == [library["other_number"]]
    assert list(client.get(url, {"q": "营业执照", "year": "2025"}).context["documents"]) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "营" * 100,
        "，。！？、；：“”（）《》【】",
        "!!!???",
        "' OR 1=1 --",
        "'; DROP TABLE disclosure_document; --",
        "营业 & | ! ( ) :* <-> \\",
        "a\u200bb",
        "<script>alert(1)</script>",
        "   ",
        "税",
    ],
)
def test_bad_or_odd_search_input_gives_a_page_never_an_error(client, library, text):
    response = client.get(reverse("disclosure:documents"), {"q": text})
    assert response.status_code == 200
    assert Document.objects.count() == 4
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.django_db
def test_too_long_a_search_is_a_form_error(client, library):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("disclosure:documents"), {"q": "营业执照" * 30})
    assert response.status_code == 200
    assert "q" in response.context["filter"].form.errors
    assert "at most 100 characters" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_is_refused_not_sent_to_the_database(client, library):
    response = client.get(reverse("disclosure:documents"), {"q": "营业\x00执照"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_ranked_search_scores_only_the_newest_candidates_so_common_words_stay_cheap(department):
    title_match = make_document(department, "营业执照办理须知", formed_on=date(2026, 1, 2), publish_on=date(2026, 1, 5))
    body_matches = [
        make_document(department, f"窗口通知{i}", body="办理营业执照请到窗口。", publish_on=date(2026, 3, 2 + i))
        for i in range(3)
    ]
    everything = Document.objects.published(date(2026, 11, 1))
    ranked = list(everything.search_top("营业执照", candidates=10).order_by("-rank", "-published_on"))
    assert ranked == [title_match, *body_matches[::-1]]
    capped = list(everything.search_top("营业执照", candidates=3).order_by("-rank", "-published_on"))
    assert capped == body_matches[::-1]  # the older title match is beyond the 3 newest candidates


@pytest.mark.django_db
def test_search_applies_the_filters_before_capping_the_candidates(client, department, other_department, monkeypatch):
    from disclosure import filters

    monkeypatch.setattr(filters, "SEARCH_CANDIDATES", 2)
    mine = make_document(
        other_department, "民政局的营业执照通知", publish_on=date(2025, 1, 6), formed_on=date(2025, 1, 2)
    )
    for i in range(3):
        make_document(department, f"营业执照通知{i}", publish_on=date(2026, 3, 2 + i))
    response = client.get(reverse("disclosure:documents"), {"q": "营业执照", "department": "MZ"})
    assert list(response.context["documents"]) == [mine]
