"""Publishing the annual report (Art. 50): only balanced, with an overview, once; frozen afterwards."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from disclosure.models import AnnualReport
from disclosure.models.reports import ReportFrozen, UnbalancedReport
from tests.conftest import make_staff
from tests.disclosure.test_reports_generator import make_request, make_request_set

NOW = datetime(2026, 1, 20, 2, 0, tzinfo=UTC)


@pytest.fixture
def head(department):
    return make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")


@pytest.fixture
def report(department, other_department):
    make_request_set(department, other_department)
    report = AnnualReport.generate(2025, department)
    report.overview = "2025年，区市场监督管理局认真贯彻落实《中华人民共和国政府信息公开条例》。"
    report.save()
    return report


@pytest.mark.django_db
def test_a_balanced_report_with_an_overview_is_published(report, head):
    report.publish(by=head, now=NOW)
    report.refresh_from_db()
    assert report.published_at == NOW and report.published_by == head
    assert AnnualReport.objects.published().get() == report


@pytest.mark.django_db
def test_publication_is_refused_twice(report, head):
    report.publish(by=head, now=NOW)
    with pytest.raises(ReportFrozen):
        report.publish(by=head)
    report.refresh_from_db()
    assert report.published_at == NOW


@pytest.mark.django_db
def test_publication_needs_the_overview(report, head):
    report.overview = "  "
    report.save()
    with pytest.raises(InvalidTransition):
        report.publish(by=head)
    report.refresh_from_db()
    assert report.published_at is None


@pytest.mark.django_db
def test_publication_needs_generated_tables(department, head):
    report = AnnualReport.objects.create(year=2025, department=department, overview="概述")
    with pytest.raises(InvalidTransition):
        report.publish(by=head)
    assert report.check_balance()[0].table == "3"


@pytest.mark.django_db
def test_a_hand_broken_table3_is_refused_and_the_failures_name_the_column(report, head):
    """一 + 二 = 三(七) + 四 (Art. 50 form): one more new request by hand breaks the individuals' column."""
    rows = report.table3["rows"]
    rows["1"]["individual"] += 1
    report.save()
    with pytest.raises(UnbalancedReport) as refused:
        report.publish(by=head)
    failures = refused.value.failures
    assert {(failure.table, failure.column) for failure in failures} == {("3", "individual"), ("3", "total")}
    report.refresh_from_db()
    assert report.published_at is None


@pytest.mark.django_db
def test_outcome_rows_must_add_up_to_the_total(report, head):
    report.table3["rows"]["3.3.1"]["business"] += 1  # an outcome without the total following
    report.save()
    failures = report.check_balance()
    assert {failure.column for failure in failures} == {"business", "total"}
    with pytest.raises(UnbalancedReport):
        report.publish(by=head)


@pytest.mark.django_db
def test_a_table4_total_that_does_not_add_up_is_refused(report, head):
    report.set_staff_figures(
        penalty=3, coercion=1, fees=Decimal("0.5"), table4={"reconsideration": {"upheld": 2, "corrected": 1}}
    )
    report.save()
    assert report.table4["reconsideration"]["total"] == 3
    assert report.check_balance() == []
    report.table4["litigation_direct"]["total"] = 2  # by hand, no outcomes
    report.save()
    with pytest.raises(UnbalancedReport) as refused:
        report.publish(by=head)
    assert [(f.table, f.column) for f in refused.value.failures] == [("4", "litigation_direct")]


@pytest.mark.django_db
def test_the_regenerated_report_is_balanced_again(report, head):
    report.table3["rows"]["4"]["total"] += 5
    report.save()
    assert report.check_balance()
    report.regenerate()
    assert report.check_balance() == []
    report.publish(by=head, now=NOW)


@pytest.mark.django_db
def test_a_published_report_is_frozen(report, head, department):
    report.publish(by=head, now=NOW)
    tables = report.table3
    make_request(department, received=date(2025, 6, 6), status="replied", reply="disclosed", replied=date(2025, 6, 9))
    with pytest.raises(ReportFrozen):
        AnnualReport.generate(2025, department)
    with pytest.raises(ReportFrozen):
        report.set_staff_figures(penalty=1, coercion=1, fees=Decimal(0), table4={})
    report.overview = "改写"
    with pytest.raises(ReportFrozen):
        report.save()
    report.refresh_from_db()
    assert report.table3 == tables and report.overview.startswith("2025年")


@pytest.mark.django_db
def test_deadlines_and_lateness(department):
    """Art. 49-50: departments by 31 January, the district government by 31 March of the next year."""
    mine = AnnualReport.generate(2025, department)
    district = AnnualReport.generate(2025)
    assert mine.deadline == date(2026, 1, 31) and district.deadline == date(2026, 3, 31)
    assert not mine.is_late(date(2026, 1, 31)) and mine.is_late(date(2026, 2, 1))
    assert not district.is_late(date(2026, 3, 31)) and district.is_late(date(2026, 4, 1))


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_publications_publish_once():
    """publish() locks the row: of two staff pressing Publish at once, one publishes and one is refused."""
    import threading

    from django.db import connection

    from tests.conftest import make_department, restore_migration_data

    try:
        report = AnnualReport.generate(2025, make_department())
        report.overview = "概述"
        report.save()
        barrier, results = threading.Barrier(2), []

        def attempt():
            try:
                mine = AnnualReport.objects.get(pk=report.pk)
                barrier.wait()
                mine.publish(by=None)
                results.append("published")
            except ReportFrozen:
                results.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == ["published", "refused"]
        assert AnnualReport.objects.published().count() == 1
    finally:
        restore_migration_data()
