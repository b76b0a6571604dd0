import pytest


@pytest.fixture(autouse=True)
def _refusals_read_in_english():
    """Refusals read in the reader's language; these tests read them in English (pages set their own)."""
    from django.utils import translation

    with translation.override("en"):
        yield
