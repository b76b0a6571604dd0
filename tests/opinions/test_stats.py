"""The statistics page against a small hand-made data set: exact counts, medians and rates, the period filter,
CSV, the cache, and a fixed number of queries whatever the number of cases (§6 satisfaction: share of 4-5 stars)."""

import csv
import io
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from civiccenter.cases import Case, Rating
from opinions import publishing
from opinions.models import Opinion
from tests.opinions.test_board import make_category

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
PERIOD = {"start": "2026-01", "end": "2026-03"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def at(day, hour=10, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def case(
    category,
    received,
    *,
    closed=None,
    due=None,
    channel="web",
    status=None,
    kind="opinion",
    ratings=(),
    merged_into=None,
):
    """A case written directly with the dates the statistics read."""
    n = Case.objects.count() + 1
    row = Case.objects.create(
        kind=kind,
        number=f"T-2026-{n:06d}",
        contact_name="测试",
        channel=channel,
        department=category.lead_department,
        status=status or ("replied" if closed else "accepted"),
        received_on=received,
        closed_at=closed,
        due_at_close=due,
    )
    if kind == "opinion":
        status = status or ("replied" if closed else "accepted")
        Opinion.objects.create(
            case=row,
            kind="complaint",
            category=category,
            status=status,
            title="t",
            description="d",
            reply="r" if status == "replied" else "",
            replied_at=closed if status == "replied" else None,
            merged_into=merged_into,
        )
    for rating_channel, level in ratings:
        Rating.objects.create(case=row, channel=rating_channel, level=level)
    return row


@pytest.fixture
def data(department, other_department):
    food = make_category(department)
    elderly = make_category(other_department, slug="elderly", name="养老服务", name_en="Care for the elderly")
    d = date
    case(food, d(2026, 1, 5), closed=at(d(2026, 1, 15)), due=d(2026, 1, 19), ratings=[("web", 5)])  # 10 days
    case(food, d(2026, 1, 10), closed=at(d(2026, 2, 9)), due=d(2026, 1, 31), channel="phone", ratings=[("web", 2)])
    case(food, d(2026, 2, 1), closed=at(d(2026, 2, 5)), due=d(2026, 2, 10), ratings=[("web", 4), ("phone", 3)])
    case(elderly, d(2026, 2, 20), channel="window")  # still open
    case(elderly, d(2026, 3, 1), closed=at(d(2026, 3, 8), 23, 30), due=d(2026, 3, 8))  # on the due day, late evening
    main = Opinion.objects.get(case__received_on=d(2026, 3, 1))
    case(elderly, d(2026, 3, 2), closed=at(d(2026, 3, 3)), status="merged", merged_into=main)
    case(food, d(2025, 12, 20), closed=at(d(2026, 1, 2)), due=d(2026, 1, 5))  # received before the period: 13 days
    # Received in March, closed half an hour into April (local time): received in the period, closed outside it.
    case(food, d(2026, 3, 25), closed=at(d(2026, 4, 1), 0, 30), due=d(2026, 4, 3), ratings=[("web", 1)])
    case(food, d(2026, 4, 2))  # after the period
    case(food, d(2026, 2, 2), closed=at(d(2026, 2, 3)), due=d(2026, 2, 9), kind="question")  # not an opinion
    return food, elderly


def stats():
    return publishing.compute_statistics(date(2026, 1, 1), date(2026, 4, 1))


def test_totals_exact_counts_median_on_time_and_satisfaction(data):
    totals = stats()["totals"]
    assert totals["received"] == 7
    assert totals["closed"] == 5  # the merged duplicate is not a handled case
    assert totals["median_days"] == 10  # 4, 7, 10, 13, 30
    assert totals["on_time_rate"] == 80.0  # 4 of 5; closed on the due day counts as on time
    assert totals["rated"] == 4
    assert totals["satisfaction_rate"] == 50.0  # 5 and 4 of 5, 2, 4, 3 (prc-rules §6: satisfied = 4 or 5 stars)
    assert totals["average_rating"] == 3.5


def test_by_month_received_by_reception_closed_by_local_closing_day(data):
    months = {row["label"]: row for row in stats()["months"]}
    assert list(months) == ["2026-01", "2026-02", "2026-03"]
    assert (months["2026-01"]["received"], months["2026-01"]["closed"], months["2026-01"]["median_days"]) == (
        2,
        2,
        11.5,
    )
    assert (months["2026-02"]["received"], months["2026-02"]["closed"], months["2026-02"]["median_days"]) == (2, 2, 17)
    assert months["2026-02"]["on_time_rate"] == 50.0
    assert months["2026-02"]["satisfaction_rate"] == 33.3 and months["2026-02"]["average_rating"] == 3.0
    assert (months["2026-03"]["received"], months["2026-03"]["closed"]) == (3, 1)
    assert months["2026-03"]["satisfaction_rate"] is None


def test_by_department_normalised_by_volume(data, department, other_department):
    with translation.override("zh-hans"):
        rows = {row["label"]: row for row in stats()["departments"]}
    food, elderly = rows[department.name], rows[other_department.name]
    assert (food["received"], food["share"], food["closed"], food["median_days"]) == (4, 57.1, 4, 11.5)
    assert (food["on_time_rate"], food["satisfaction_rate"], food["average_rating"]) == (75.0, 50.0, 3.5)
    assert (elderly["received"], elderly["share"], elderly["closed"], elderly["on_time_rate"]) == (3, 42.9, 1, 100.0)


def test_by_channel_and_category_in_english(data):
    with translation.override("en"):
        result = stats()
    channels = {row["label"]: row for row in result["channels"]}
    assert (channels["Online"]["received"], channels["Online"]["closed"], channels["Online"]["median_days"]) == (
        5,
        4,
        8.5,
    )
    assert (channels["By phone"]["closed"], channels["By phone"]["on_time_rate"]) == (1, 0.0)
    assert (channels["At the window"]["received"], channels["At the window"]["closed"]) == (1, 0)
    assert {row["label"] for row in result["categories"]} == {"Food safety", "Care for the elderly"}


def test_stats_page_shows_tables_and_bars(client, data):
    response = client.get(reverse("opinions:stats"), PERIOD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<table" in body and "<caption>" in body and "stats-bar" in body
    assert response.context["stats"]["totals"]["received"] == 7


def test_default_period_is_the_last_twelve_months(client, data):
    response = client.get(reverse("opinions:stats"))
    stats = response.context["stats"]
    assert len(stats["months"]) == 12


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-13", "end": "2026-03"}, "start"),
        ({"start": "2026-03", "end": "2026-01"}, "start"),
        ({"start": "2020-01", "end": "2099-01"}, "end"),
        ({"start": "2010-01", "end": "2026-03"}, "start"),
        ({"start": "1999-01", "end": "1999-03"}, "start"),
        ({"start": "abc", "end": "2026-03"}, "start"),
    ],
)
def test_bad_period_is_a_form_error(client, data, params, field):
    response = client.get(reverse("opinions:stats"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["stats"] is None
    assert client.get(reverse("opinions:stats-csv"), params).status_code == 400


def test_csv_has_the_same_figures(client, data):
    response = client.get(reverse("opinions:stats-csv"), PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows[0]) == 10
    total = rows[1]
    assert total[2:] == ["7", "100.0", "5", "10.0", "80.0", "4", "50.0", "3.5"]
    months = [row for row in rows if row[1].startswith("2026-")]
    assert [row[1] for row in months] == ["2026-01", "2026-02", "2026-03"]


def test_result_is_cached_per_period_with_its_time(client, data, department):
    first = client.get(reverse("opinions:stats"), PERIOD)
    food = make_category(department, slug="food-2", name="食品二")
    case(food, date(2026, 1, 6))
    cached = client.get(reverse("opinions:stats"), PERIOD)
    assert cached.context["stats"]["totals"]["received"] == 7
    assert cached.context["stats"]["computed_at"] == first.context["stats"]["computed_at"]
    other_period = client.get(reverse("opinions:stats"), {"start": "2026-01", "end": "2026-02"})
    assert other_period.context["stats"]["totals"]["received"] == 5  # 4 received in Jan-Feb, plus the new one
    cache.clear()
    assert client.get(reverse("opinions:stats"), PERIOD).context["stats"]["totals"]["received"] == 8


@pytest.mark.parametrize("extra", [2, 30])
def test_stats_query_count_is_fixed(client, data, django_assert_num_queries, extra):
    food = data[0]
    for index in range(extra):
        received = date(2026, 1, 1) + timedelta(days=index)
        case(food, received, closed=at(received + timedelta(days=3)), due=received + timedelta(days=5))
    with django_assert_num_queries(1):
        client.get(reverse("opinions:stats"), PERIOD)
    with django_assert_num_queries(0):
        client.get(reverse("opinions:stats"), PERIOD)
    with django_assert_num_queries(0):
        client.get(reverse("opinions:stats-csv"), PERIOD)


def test_medians_match_a_median_of_every_group_with_duplicates_and_even_counts(department, other_department):
    """The medians are read from a histogram of handling days in SQL: the same as the median of the days listed."""
    import statistics

    food = make_category(department)
    elderly = make_category(other_department, slug="elderly", name="养老服务", name_en="Care for the elderly")
    spec = [  # category, received, days to close (None: open), channel
        (food, date(2026, 1, 2), 3, "web"),
        (food, date(2026, 1, 3), 3, "web"),
        (food, date(2026, 1, 4), 8, "phone"),
        (food, date(2026, 1, 5), 1, "web"),
        (elderly, date(2026, 1, 6), 3, "post"),
        (elderly, date(2026, 1, 7), 20, "web"),
        (elderly, date(2026, 2, 1), 0, "phone"),
        (food, date(2026, 2, 2), 5, "phone"),
        (food, date(2026, 2, 3), 6, "web"),
        (elderly, date(2026, 2, 4), None, "web"),
        (food, date(2026, 3, 1), 2, "window"),
        (food, date(2025, 12, 30), 4, "web"),  # received before the period, closed in it
        (elderly, date(2026, 3, 20), 30, "web"),  # closed after the period
    ]
    closed = []
    for category, received, days, channel in spec:
        closing = at(received + timedelta(days=days)) if days is not None else None
        case(category, received, closed=closing, due=received + timedelta(days=7), channel=channel)
        if closing and date(2026, 1, 1) <= closing.date() < date(2026, 4, 1):
            closed.append((category, channel, closing.date().replace(day=1), days))
    with translation.override("zh-hans"):
        result = stats()
        channel_labels = {value: str(label) for value, label in Case.Channel.choices}

    def median(key):
        groups = {}
        for row in closed:
            groups.setdefault(key(row), []).append(row[3])
        return {label: statistics.median(days) for label, days in groups.items()}

    assert result["totals"]["median_days"] == statistics.median(row[3] for row in closed)
    assert {r["month"]: r["median_days"] for r in result["months"] if r["closed"]} == median(lambda r: r[2])
    assert {r["label"]: r["median_days"] for r in result["channels"] if r["closed"]} == median(
        lambda r: channel_labels[r[1]]
    )
    assert {r["label"]: r["median_days"] for r in result["categories"] if r["closed"]} == median(lambda r: r[0].name)
    assert {r["label"]: r["median_days"] for r in result["departments"] if r["closed"]} == median(
        lambda r: r[0].lead_department.name
    )
    assert all(isinstance(r["median_days"], float) for r in result["months"] if r["closed"])


def test_ratings_of_closed_cases_only_each_case_counted_once(department):
    food = make_category(department)
    d = date
    case(food, d(2026, 1, 5), closed=at(d(2026, 1, 9)), ratings=[("web", 5), ("phone", 4), ("window", 1)])
    main = Opinion.objects.get(case__received_on=d(2026, 1, 5))
    case(food, d(2026, 1, 6), closed=at(d(2026, 1, 7)), status="merged", merged_into=main, ratings=[("web", 5)])
    case(food, d(2026, 1, 8), ratings=[("web", 2)])  # open: its rating is not counted
    case(food, d(2026, 3, 30), closed=at(d(2026, 4, 2)), ratings=[("web", 1)])  # closed after the period
    totals = stats()["totals"]
    assert (totals["received"], totals["closed"], totals["median_days"]) == (4, 1, 4)
    assert (totals["rated"], totals["satisfaction_rate"], totals["average_rating"]) == (3, 66.7, 3.33)
    january = stats()["months"][0]
    assert (january["received"], january["closed"], january["rated"]) == (3, 1, 3)


def test_empty_period_has_zero_counts_and_no_rates(department):
    result = stats()
    assert result["totals"] == {
        "share": None,
        "received": 0,
        "closed": 0,
        "median_days": None,
        "on_time_rate": None,
        "rated": 0,
        "satisfaction_rate": None,
        "average_rating": None,
    }
    assert [row["received"] for row in result["months"]] == [0, 0, 0]
    assert result["categories"] == result["departments"] == result["channels"] == []
