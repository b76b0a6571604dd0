from django.db import migrations

from civiccenter.workflow import mirror_case_status


class Migration(migrations.Migration):
    """The case owns the status; the database keeps this app's copy equal to it."""

    dependencies = [("consultation", "0002_permissions"), ("civiccenter", "0017_case_status_mirror")]

    operations = [
        mirror_case_status("consultation_question", "consultation"),
    ]
