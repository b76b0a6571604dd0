"""好差评: one rating per closed case and channel; poor ratings are followed up; satisfaction is public."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiccenter import roles
from civiccenter.cases import FollowUp, InvalidTransition, Rating
from tests.conftest import make_staff, make_user
from tests.licensing.conftest import make_matter
from tests.licensing.test_applications import make_application


def closed_case(matter, applicant, staff_user):
    application = make_application(matter, applicant)
    application.submit(by=applicant, today=date(2026, 9, 18))
    application.refuse(by=staff_user, reason="不属于本部门职权")
    return application.case


@pytest.fixture
def case(matter, applicant, staff_user):
    return closed_case(matter, applicant, staff_user)


@pytest.mark.django_db
def test_a_closed_case_is_rated_once_per_channel(case, applicant):
    Rating.give(case=case, level=5, by=applicant)
    with pytest.raises(InvalidTransition):
        Rating.give(case=case, level=4, by=applicant)
    Rating.give(case=case, level=4, channel="window", by=applicant)  # 一次一评 at the window is another rating
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(case=case, level=3, channel="web")


@pytest.mark.django_db
def test_open_cases_and_bad_levels_cannot_be_rated(matter, applicant, case):
    open_case = make_application(matter, applicant).submit(by=applicant).case
    with pytest.raises(InvalidTransition):
        Rating.give(case=open_case, level=5, by=applicant)
    for level in (0, 6):
        with pytest.raises(InvalidTransition):
            Rating.give(case=case, level=level, by=applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(case=case, level=9)


@pytest.mark.django_db
def test_a_poor_rating_opens_a_follow_up_contact_within_1_then_rectify_within_15_working_days(
    case, applicant, staff_user
):
    rating = Rating.give(case=case, level=2, comment="窗口态度差", by=applicant)
    followup = rating.followup
    assert followup.case.number.startswith("HCP-") and followup.case.department == case.department
    today = timezone.localdate()
    from civiccenter.lib import workdays
    from civiccenter.models import CalendarDay

    calendar = CalendarDay.objects.work_calendar()
    assert followup.case.due_date == workdays.compute(calendar, today, 1).due
    with pytest.raises(InvalidTransition):
        followup.contact(by=staff_user, note="")
    followup.contact(by=staff_user, note="已电话联系申请人并致歉")
    followup.case.refresh_from_db()
    assert followup.case.status == "contacted" and followup.case.due_date == workdays.compute(calendar, today, 15).due
    followup.close(by=staff_user, note="已对窗口人员进行培训")
    followup.case.refresh_from_db()
    assert followup.case.closed_at is not None
    with pytest.raises(InvalidTransition):
        followup.close(by=staff_user, note="again")


@pytest.mark.django_db
def test_good_ratings_open_no_follow_up(case, applicant):
    Rating.give(case=case, level=3, by=applicant)
    assert not FollowUp.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rating_cannot_be_given_twice_even_at_once(department):
    matter = make_matter(department)
    applicant = make_user()
    staff = make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    case = closed_case(matter, applicant, staff)
    barrier = threading.Barrier(6)
    outcomes = []

    def run(level):
        try:
            barrier.wait()
            Rating.give(case=case, level=level, by=applicant)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(level,)) for level in (1, 2, 3, 4, 5, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert Rating.objects.count() == 1
    assert FollowUp.objects.count() == (1 if Rating.objects.get().level <= 2 else 0)


# Views --------------------------------------------------------------------------


@pytest.mark.django_db
def test_rating_page_has_nothing_preselected_and_saves_once(client, case, applicant):
    client.force_login(applicant)
    url = reverse("accounts:rate", args=[case.number])
    html = client.get(url).content.decode()
    assert 'name="level"' in html and "checked" not in html
    assert client.post(url, {"comment": "x"}).context["form"].errors  # no level chosen
    client.post(url, {"level": "5", "comment": "办事高效"})
    assert Rating.objects.get().level == 5
    assert "already" in client.get(url).context.keys() and client.get(url).context["already"]


@pytest.mark.django_db
def test_another_persons_or_an_open_case_cannot_be_rated(client, case, matter, applicant, other_applicant):
    client.force_login(other_applicant)
    assert client.get(reverse("accounts:rate", args=[case.number])).status_code == 404
    open_case = make_application(matter, applicant).submit(by=applicant).case
    client.force_login(applicant)
    assert client.get(reverse("accounts:rate", args=[open_case.number])).status_code == 404


@pytest.mark.django_db
def test_satisfaction_is_public_per_department_and_matter_with_fixed_queries(
    client, matter, applicant, staff_user, django_assert_num_queries
):
    Rating.give(case=closed_case(matter, applicant, staff_user), level=5, by=applicant)
    Rating.give(case=closed_case(matter, applicant, staff_user), level=4, by=applicant)
    Rating.give(case=closed_case(matter, applicant, staff_user), level=1, by=applicant)
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("satisfaction"))
    department_row = response.context["departments"][0]
    assert (department_row["total"], department_row["l5"], department_row["l1"], department_row["satisfied"]) == (
        3,
        1,
        1,
        67,
    )
    assert response.context["matters"][0]["total"] == 3
    assert applicant.full_name not in response.content.decode()
    for _ in range(10):
        Rating.give(case=closed_case(matter, applicant, staff_user), level=3, by=applicant)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("satisfaction"))


@pytest.mark.django_db
def test_department_staff_follow_up_in_the_admin_and_other_departments_cannot(
    client, case, applicant, department, other_department
):
    rating = Rating.give(case=case, level=1, comment="很不满意", by=applicant)
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    client.force_login(head)
    url = reverse("admin:civiccenter_followup_move", args=[rating.followup.pk])
    assert "很不满意" in client.get(url).content.decode()
    client.post(url, {"move": "contact", "contact-note": "已联系"})
    rating.followup.case.refresh_from_db()
    assert rating.followup.case.status == "contacted"
    stranger = make_staff("other@example.cn", roles.DEPARTMENT_HEAD, other_department, full_name="李四")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
