"""Hearings (听证会): notices, categories and quotas, registration, the auditable draw, licensing hearings."""
