from django.db import migrations

from civiccenter.workflow import MIRROR_FUNCTION_SQL


class Migration(migrations.Migration):
    """The functions behind `civiccenter.workflow.mirror_case_status`: an app record's status follows its case."""

    dependencies = [("civiccenter", "0016_case_event_kinds")]

    operations = [
        migrations.RunSQL(
            MIRROR_FUNCTION_SQL,
            "DROP FUNCTION IF EXISTS civiccenter_case_status_to_record(); "
            "DROP FUNCTION IF EXISTS civiccenter_record_status_from_case();",
        )
    ]
