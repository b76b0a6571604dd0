"""Staff keep their own department's service guides current, through versions."""

import pytest
from django.urls import reverse

from civiccenter import roles
from licensing.models import Matter, MatterVersion
from tests.conftest import make_staff
from tests.licensing.conftest import make_matter

MATTERS = reverse("admin:licensing_matter_changelist")
VERSIONS = reverse("admin:licensing_matterversion_changelist")


def version_url(version):
    return reverse("admin:licensing_matterversion_change", args=[version.pk])


@pytest.mark.django_db
def test_editor_sees_only_their_departments_matters(client, department, other_department):
    mine = make_matter(department)
    theirs = make_matter(other_department, code="XK-MZ-001", name="社会团体成立登记")
    editor = make_staff("editor@example.cn", roles.CONTENT_EDITOR, department)
    client.force_login(editor)
    assert list(client.get(MATTERS).context["cl"].result_list) == [mine]
    assert list(client.get(VERSIONS).context["cl"].result_list) == [mine.current_version]
    assert client.get(version_url(theirs.current_version)).status_code == 302  # as if it did not exist


@pytest.mark.django_db
def test_editor_starts_a_new_version_and_edits_the_draft_but_cannot_publish(client, department, matter):
    editor = make_staff("editor@example.cn", roles.CONTENT_EDITOR, department)
    client.force_login(editor)
    client.post(MATTERS, {"action": "start_new_version", "_selected_action": [matter.pk]})
    draft = matter.versions.get(status="draft")
    assert draft.created_by == editor

    page = client.get(version_url(draft))
    assert page.status_code == 200 and 'name="promised_limit"' in page.content.decode()
    actions = [name for name, _label in page.context["adminform"].form.fields.items()]
    assert "promised_limit" in actions
    changelist = client.get(VERSIONS).content.decode()
    assert 'value="publish"' not in changelist  # publishing is the head's approval
    client.post(VERSIONS, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_a_version_in_force_is_read_only(client, department, matter):
    editor = make_staff("editor@example.cn", roles.CONTENT_EDITOR, department)
    client.force_login(editor)
    html = client.get(version_url(matter.current_version)).content.decode()
    assert 'name="promised_limit"' not in html and 'name="legal_basis"' not in html


@pytest.mark.django_db
def test_head_publishes_the_draft(client, department, matter):
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    draft = matter.start_new_version(by=None)
    client.force_login(head)
    client.post(VERSIONS, {"action": "publish", "_selected_action": [draft.pk]})
    matter.refresh_from_db()
    assert matter.current_version == draft
    assert MatterVersion.objects.get(matter=matter, number=1).status == "retired"


@pytest.mark.django_db
def test_publishing_an_incomplete_draft_is_refused_with_a_message(client, department):
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    matter = Matter.objects.create(code="XK-SCJG-005", department=department, name="空事项")
    draft = matter.start_new_version(by=None)
    client.force_login(head)
    response = client.post(VERSIONS, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert any(message.level_tag == "warning" for message in response.context["messages"])
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_bad_input_on_a_draft_saves_nothing(client, department, matter):
    head = make_staff("head@example.cn", roles.DEPARTMENT_HEAD, department, full_name="陈志强")
    draft = matter.start_new_version(by=None)
    client.force_login(head)
    page = client.get(version_url(draft))
    form = page.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
            "materials-MIN_NUM_FORMS": "0",
            "materials-MAX_NUM_FORMS": "1000",
        }
    )
    for checkbox in ("on_the_spot", "hearing_possible", "joint_handling"):
        data.pop(checkbox, None)
    data.update(promised_limit="30", statutory_limit="20", fee="50", fee_basis="")
    response = client.post(version_url(draft), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "__all__" in errors or "promised_limit" in errors, errors
    draft.refresh_from_db()
    assert (draft.promised_limit, draft.fee) == (10, 0)
