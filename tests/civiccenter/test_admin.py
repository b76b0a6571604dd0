"""Staff administration: roles, department scoping, branding."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civiccenter import roles
from civiccenter.models import Department, User
from tests.conftest import make_department, make_staff, make_user

DEPARTMENTS = reverse("admin:civiccenter_department_changelist")
USERS = reverse("admin:civiccenter_user_changelist")


def change_url(obj):
    return reverse(f"admin:civiccenter_{obj._meta.model_name}_change", args=[obj.pk])


def department_form(department, **overrides):
    data = {
        "name": department.name,
        "name_en": department.name_en,
        "code": department.code,
        "order": department.order,
        "phone": department.phone,
        "window_location": department.window_location,
        "window_location_en": department.window_location_en,
        "description": department.description,
        "description_en": department.description_en,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_every_role_exists_as_a_group_with_permissions():
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    assert set(roles.ALL_ROLES) <= set(groups)
    for role in roles.ALL_ROLES:
        assert groups[role].permissions.exists(), role
    head = {p.codename for p in groups[roles.DEPARTMENT_HEAD].permissions.all()}
    assert {"change_department", "view_user"} <= head
    supervisor = {p.codename for p in groups[roles.CENTER_SUPERVISOR].permissions.all()}
    assert not any(codename.startswith(("add_", "change_", "delete_")) for codename in supervisor)


@pytest.mark.django_db
def test_reviewer_sees_only_their_own_department(client, staff_user, department, other_department):
    client.force_login(staff_user)
    response = client.get(DEPARTMENTS)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [department]


@pytest.mark.django_db
def test_reviewer_cannot_open_or_change_another_departments_row(client, staff_user, other_department):
    client.force_login(staff_user)
    response = client.get(change_url(other_department))
    # The admin answers as if the row did not exist.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    client.post(change_url(other_department), department_form(other_department, phone="0571-99999999"))
    other_department.refresh_from_db()
    assert other_department.phone == "0571-86010202"


@pytest.mark.django_db
def test_reviewer_can_read_but_not_change_their_own_department(client, staff_user, department):
    client.force_login(staff_user)
    assert client.get(change_url(department)).status_code == 200
    response = client.post(change_url(department), department_form(department, phone="0571-99999999"))
    assert response.status_code == 403
    department.refresh_from_db()
    assert department.phone == "0571-86010101"


@pytest.mark.django_db
def test_department_head_changes_own_contacts_but_not_the_name(client, department, other_department):
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    client.force_login(head)
    response = client.post(
        change_url(department), department_form(department, phone="0571-12345678", name="改名局", code="X")
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.phone == "0571-12345678"
    assert (department.name, department.code) == ("区市场监督管理局", "SCJG")
    client.post(change_url(other_department), department_form(other_department, phone="0571-12345678"))
    other_department.refresh_from_db()
    assert other_department.phone == "0571-86010202"


@pytest.mark.django_db
def test_department_head_sees_own_staff_but_no_citizens(client, department, other_department, applicant):
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    colleague = make_staff("clerk@example.cn", roles.WINDOW_CLERK, department)
    stranger = make_staff("other@example.cn", roles.WINDOW_CLERK, other_department)
    client.force_login(head)
    rows = set(client.get(USERS).context["cl"].result_list)
    assert rows == {head, colleague}
    assert stranger not in rows and applicant not in rows
    assert client.get(change_url(stranger)).status_code == 302


@pytest.mark.django_db
def test_supervisor_reads_every_department_but_changes_none(client, supervisor, department, other_department):
    client.force_login(supervisor)
    rows = set(client.get(DEPARTMENTS).context["cl"].result_list)
    assert rows == {department, other_department}
    assert client.get(change_url(other_department)).status_code == 200
    response = client.post(change_url(other_department), department_form(other_department, phone="0571-99999999"))
    assert response.status_code == 403
    other_department.refresh_from_db()
    assert other_department.phone == "0571-86010202"


@pytest.mark.django_db
def test_system_administrator_manages_every_department(client, department, other_department):
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    response = client.post(change_url(other_department), department_form(other_department, name="区民政局（新）"))
    assert response.status_code == 302
    other_department.refresh_from_db()
    assert other_department.name == "区民政局（新）"


@pytest.mark.django_db
def test_system_administrator_cannot_make_superusers(client, department, applicant):
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    html = client.get(change_url(applicant)).content.decode()
    assert 'name="is_superuser"' not in html


@pytest.mark.django_db
def test_system_administrator_adds_a_staff_member(client, department):
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:civiccenter_user_add"),
        {
            "email": "New.Clerk@Example.cn",
            "full_name": "新员工",
            "usable_password": "true",
            "password1": "a-long-new-passphrase-3",
            "password2": "a-long-new-passphrase-3",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="new.clerk@example.cn").exists()


@pytest.mark.django_db
def test_bad_department_input_in_the_admin_saves_nothing(client, department):
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    for bad in [
        {"phone": "not a phone"},
        {"name": ""},
        {"name": "<script>x</script>"},
        {"name": "甲\x00局"},
        {"code": "has space"},
        {"name": "长" * 101},
    ]:
        response = client.post(change_url(department), department_form(department, **bad))
        assert response.status_code == 200, bad
        assert response.context["adminform"].form.errors, bad
    department.refresh_from_db()
    assert (department.name, department.phone, department.code) == ("区市场监督管理局", "0571-86010101", "SCJG")


@pytest.mark.django_db
def test_citizens_cannot_enter_the_admin(client, applicant):
    client.force_login(applicant)
    response = client.get(DEPARTMENTS)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


@pytest.mark.django_db
def test_admin_change_lists_keep_a_fixed_number_of_queries(client, django_assert_num_queries, department):
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    counts = {}
    for url in (DEPARTMENTS, USERS):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    for index in range(30):
        extra = make_department(f"N{index}", f"新局{index}")
        make_user(f"user{index}@example.cn", phone="13800138000", is_staff=True, department=extra)
    for url in (DEPARTMENTS, USERS):
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_admin_is_branded_and_ordered_by_function(client, department):
    admin_user = make_staff("admin@example.cn", roles.SYSTEM_ADMINISTRATOR, department, full_name="吴振华")
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    html = response.content.decode()
    assert "示范区市民服务中心" in html
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels.index("civiccenter") < labels.index("auth")


@pytest.mark.django_db
def test_queryset_scoping_is_one_method_for_every_kind_of_user(department, other_department, staff_user, supervisor):
    citizen = make_user("citizen@example.cn", phone="13700137000")
    assert list(Department.objects.visible_to(staff_user)) == [department]
    assert set(Department.objects.visible_to(supervisor)) == {department, other_department}
    assert not Department.objects.visible_to(citizen).exists()
    staff_user.is_active = False
    assert not Department.objects.visible_to(staff_user).exists()
