"""Versioned matters: every allowed and refused move, and the invariants the database holds."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from licensing.models import InvalidTransition, Material, Matter, MatterVersion
from tests.licensing.conftest import make_matter


@pytest.mark.django_db
def test_first_version_starts_empty_as_a_draft(department):
    matter = Matter.objects.create(code="XK-T-1", department=department, name="试点事项")
    version = matter.start_new_version(by=None)
    assert (version.number, version.status) == (1, "draft")
    assert matter.current_version is None
    assert not Matter.objects.published().filter(pk=matter.pk).exists()


@pytest.mark.django_db
def test_publishing_a_draft_puts_it_in_force(matter):
    version = matter.current_version
    assert (version.number, version.status) == (1, "published")
    assert version.published_at is not None
    assert Matter.objects.published().get() == matter


@pytest.mark.django_db
def test_a_new_version_copies_the_rules_and_materials_and_leaves_the_old_in_force(matter, staff_user):
    draft = matter.start_new_version(by=staff_user)
    assert (draft.number, draft.status, draft.created_by) == (2, "draft", staff_user)
    assert draft.legal_basis == matter.current_version.legal_basis
    assert [m.name for m in draft.materials.all()] == ["申请书", "营业执照"]
    matter.refresh_from_db()
    assert matter.current_version.number == 1

    draft.promised_limit = 5
    draft.save()
    draft.publish(by=staff_user)
    matter.refresh_from_db()
    old = MatterVersion.objects.get(matter=matter, number=1)
    assert matter.current_version == draft and draft.status == "published"
    assert old.status == "retired" and old.promised_limit == 10  # the rules applications filed under v1 keep
    assert old.materials.count() == 2


@pytest.mark.django_db
def test_only_one_draft_at_a_time(matter):
    matter.start_new_version(by=None)
    with pytest.raises(InvalidTransition):
        matter.start_new_version(by=None)


@pytest.mark.django_db
def test_only_a_draft_can_be_published(matter):
    with pytest.raises(InvalidTransition):
        matter.current_version.publish(by=None)
    draft = matter.start_new_version(by=None)
    draft.publish(by=None)
    with pytest.raises(InvalidTransition):
        MatterVersion.objects.get(matter=matter, number=1).publish(by=None)


@pytest.mark.django_db
def test_publishing_requires_materials_legal_basis_and_procedure_art_30(department):
    """Administrative Licensing Law Art. 30: the full list of materials and the procedure are posted."""
    matter = make_matter(department, publish=False)
    draft = matter.draft
    Material.objects.filter(version=draft).delete()
    with pytest.raises(InvalidTransition):
        draft.publish(by=None)
    Material.objects.create(version=draft, name="申请书")
    draft.legal_basis = ""
    draft.save()
    with pytest.raises(InvalidTransition):
        draft.publish(by=None)
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.django_db
def test_database_allows_one_draft_and_one_version_in_force_per_matter(matter):
    with pytest.raises(IntegrityError), transaction.atomic():
        MatterVersion.objects.create(matter=matter, number=7, status="published")
    matter.start_new_version(by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatterVersion.objects.create(matter=matter, number=8, status="draft")


@pytest.mark.django_db
def test_promise_may_not_exceed_the_statutory_limit_art_42(matter):
    """Art. 42: 20 working days by law; the center may promise less, never more."""
    draft = matter.start_new_version(by=None)
    draft.promised_limit = 25
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.save()


@pytest.mark.django_db
def test_no_fee_without_a_legal_basis_art_58(matter):
    """Art. 58: licensing is free unless a law or administrative regulation provides for a fee."""
    draft = matter.start_new_version(by=None)
    draft.fee = Decimal("50")
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.save()
    draft.fee_basis = "《某某条例》第十条"
    draft.save()


@pytest.mark.django_db
def test_matter_codes_are_upper_case_catalogue_codes(department):
    with pytest.raises(IntegrityError), transaction.atomic():
        Matter.objects.create(code="xk lower", department=department, name="错误代码")


@pytest.mark.django_db
def test_search_matches_every_word_in_either_language(department, other_department):
    make_matter(department)
    make_matter(
        other_department, code="XK-MZ-001", name="社会团体成立登记", name_en="Registration of a social organization"
    )
    assert [m.code for m in Matter.objects.search("食品 许可")] == ["XK-SCJG-001"]
    assert [m.code for m in Matter.objects.search("social registration")] == ["XK-MZ-001"]
    assert [m.code for m in Matter.objects.search("xk-mz-001")] == ["XK-MZ-001"]
    assert not Matter.objects.search("食品 社会").exists()
