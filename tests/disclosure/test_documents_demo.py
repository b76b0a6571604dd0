"""The demo documents: a few hundred, every category, amended and repealed ones, drafts late and due soon."""

import pytest
from django.utils import timezone

from civiccenter.management.commands.seed_demo import DEPARTMENTS
from demo.disclosure import documents as demo_documents
from disclosure.models import Attachment, Category, Document
from tests.conftest import make_department


@pytest.mark.django_db
def test_demo_documents_are_realistic_and_seeded_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for code, name, name_en, phone, _window, _window_en in DEPARTMENTS:
        make_department(code, name, name_en=name_en, phone=phone)
    created = demo_documents.seed()
    documents = Document.objects.all()
    assert 300 <= documents.count() <= 500 and created > documents.count()  # attachments counted too
    assert set(documents.values_list("category__code", flat=True).distinct()) == set(
        Category.objects.values_list("code", flat=True)
    )
    assert documents.filter(published_on__year=2024).exists() and documents.filter(formed_on__year=2026).exists()
    assert documents.filter(validity="amended", replaced_by__isnull=False).count() >= 2
    assert documents.filter(validity="repealed").count() >= 3
    assert documents.late().exists() and documents.published_late().exists()
    today = timezone.localdate()
    assert documents.drafts().filter(publish_by__gte=today).exists()
    assert Attachment.objects.count() >= 50
    assert Attachment.objects.first().file.read().startswith(b"%PDF-")
    assert documents.filter(document_number__regex=r"^示范区政办发〔20\d\d〕\d+号$").exists()
    assert documents.published().search("营业执照").exists()

    assert demo_documents.seed() == 0
    assert Document.objects.count() == documents.count()


@pytest.mark.django_db
def test_demo_without_its_departments_creates_nothing():
    assert demo_documents.seed() == 0
    assert not Document.objects.exists()
