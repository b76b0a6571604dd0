"""The public catalogue and service guides."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing.models import Matter
from tests.conftest import make_department
from tests.licensing.conftest import make_matter

CATALOGUE = reverse("licensing:index")


@pytest.mark.django_db
def test_catalogue_lists_published_matters_for_anonymous_visitors(client, matter, department):
    draft_only = make_matter(department, code="XK-SCJG-009", name="未发布事项", publish=False)
    html = client.get(CATALOGUE).content.decode()
    assert "食品经营许可" in html and matter.get_absolute_url() in html
    assert draft_only.name not in html


@pytest.mark.django_db
def test_filters_by_department_audience_life_event_and_name(client, department, other_department, restaurant):
    food = make_matter(department, audience="enterprise")
    food.life_events.add(restaurant)
    social = make_matter(
        other_department, code="XK-MZ-001", name="社会团体成立登记", name_en="Social organization", audience="both"
    )
    person = make_matter(other_department, code="XK-MZ-002", name="个人事项", name_en="Personal", audience="individual")

    def codes(**query):
        return [m.code for m in client.get(CATALOGUE, query).context["matters"]]

    assert codes(department=department.pk) == [food.code]
    assert sorted(codes(audience="individual")) == sorted([social.code, person.code])
    assert sorted(codes(audience="enterprise")) == sorted([food.code, social.code])
    assert codes(life_event="restaurant") == [food.code]
    assert codes(q="社会团体") == [social.code]
    assert codes(q="食品", department=other_department.pk) == []


@pytest.mark.django_db
def test_a_nul_in_the_search_is_refused_before_the_view(client, matter):
    assert client.get(CATALOGUE, {"q": "食品\x00"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"department": "999999"},
        {"department": "abc"},
        {"audience": "aliens"},
        {"life_event": "no-such-event"},
        {"q": "<script>alert(1)</script>"},
        {"q": "x" * 51},
        {"page": "-1"},
        {"page": "99999"},
    ],
)
def test_bad_filter_input_gets_an_error_not_a_500(client, matter, query):
    response = client.get(CATALOGUE, query)
    assert response.status_code == 200
    if "page" not in query:
        assert response.context["filter"].errors


@pytest.mark.django_db
def test_catalogue_keeps_a_fixed_number_of_queries(client, department, restaurant, django_assert_num_queries):
    make_matter(department).life_events.add(restaurant)
    filtered = {"life_event": "restaurant", "page": "2"}
    with CaptureQueriesContext(connection) as plain_one:
        client.get(CATALOGUE)
    with CaptureQueriesContext(connection) as filtered_one:
        client.get(CATALOGUE, filtered)
    for index in range(25):
        other = make_department(f"D{index}", f"第{index}局")
        make_matter(other, code=f"XK-D{index}-001", name=f"事项{index}").life_events.add(restaurant)
    with django_assert_num_queries(len(plain_one.captured_queries)):
        response = client.get(CATALOGUE)
    assert len(response.context["matters"]) == 20
    with django_assert_num_queries(len(filtered_one.captured_queries)):
        response = client.get(CATALOGUE, filtered)
    assert len(response.context["matters"]) == 6


@pytest.mark.django_db
def test_service_guide_shows_everything_article_30_requires(client, matter):
    """Administrative Licensing Law Art. 30: basis, conditions, materials, procedure, time limits, fee."""
    client.cookies["django_language"] = "en"
    html = client.get(matter.get_absolute_url()).content.decode()
    for text in (
        "《中华人民共和国食品安全法》第三十五条",
        "具有与申请事项相适应的场所",
        "Application form",
        "Business licence",
        "If applicable",
        "20 working days from acceptance",
        "10 working days",
        "Free of charge",
        "<li>审查</li>",
        matter.department.phone,
    ):
        assert text in html, text


@pytest.mark.django_db
def test_service_guide_shows_the_version_in_force_not_the_draft(client, matter):
    draft = matter.start_new_version(by=None)
    draft.promised_limit = 3
    draft.save()
    client.cookies["django_language"] = "en"
    html = client.get(matter.get_absolute_url()).content.decode()
    assert "10 working days" in html and "3 working days" not in html


@pytest.mark.django_db
def test_guide_of_an_unknown_or_unpublished_matter_is_404(client, department):
    unpublished = make_matter(department, code="XK-SCJG-002", publish=False)
    assert client.get(reverse("licensing:matter-detail", args=["NO-SUCH"])).status_code == 404
    assert client.get(unpublished.get_absolute_url()).status_code == 404
    assert client.get(reverse("licensing:matter-print", args=[unpublished.code])).status_code == 404


@pytest.mark.django_db
def test_printable_guide_stands_alone(client, matter):
    html = client.get(reverse("licensing:matter-print", args=[matter.code])).content.decode()
    assert "食品经营许可" in html and 'class="mainnav"' not in html
    assert "《中华人民共和国食品安全法》第三十五条" in html


@pytest.mark.django_db
def test_guide_keeps_a_fixed_number_of_queries(client, matter, django_assert_num_queries):
    from licensing.models import Material

    with CaptureQueriesContext(connection) as one:
        client.get(matter.get_absolute_url())
    for index in range(10):
        Material.objects.create(version=matter.current_version, name=f"材料{index}")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(matter.get_absolute_url())


@pytest.mark.django_db
def test_demo_catalogue_has_at_least_fifteen_matters_with_forms(settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Matter.objects.published().count() >= 15
    first = Matter.objects.get(code="XK-SCJG-001").current_version.materials.first()
    assert first.blank_form.name.endswith(".pdf") and first.sample.name.endswith(".pdf")
    assert first.blank_form.read(5) == b"%PDF-"
