# The public statistics of a kind of case read a period of cases by the day received and by the moment
# closed (opinions' /opinions/stats/). Without these, a million-case table is scanned whole for every period.
# Plain SQL, not Meta.indexes, so the Case model (shared by every app) needs no change; CONCURRENTLY is not
# used because migrations run in a transaction and the table is small until production grows it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("civiccenter", "0014_longer_counter_prefix")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS case_kind_received_idx ON civiccenter_case (kind, received_on)",
            "DROP INDEX IF EXISTS case_kind_received_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS case_kind_closed_idx ON civiccenter_case (kind, closed_at) "
            "WHERE closed_at IS NOT NULL",
            "DROP INDEX IF EXISTS case_kind_closed_idx",
        ),
    ]
