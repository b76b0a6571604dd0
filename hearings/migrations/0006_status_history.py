from django.db import migrations

# The hearing's own event table goes: its rows join the one status history (civiccenter.StatusEvent).
COPY = """
INSERT INTO django_content_type (app_label, model) VALUES ('hearings', 'hearing')
    ON CONFLICT (app_label, model) DO NOTHING;
INSERT INTO civiccenter_statusevent (content_type_id, object_id, move, old_status, new_status, actor_id, note, created_at)
SELECT ct.id, e.hearing_id, '', e.old_status, e.new_status, e.actor_id, e.note, e.created_at
FROM hearings_hearingevent AS e
JOIN django_content_type AS ct ON ct.app_label = 'hearings' AND ct.model = 'hearing'
ORDER BY e.id;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0005_hearings_labels"),
        ("civiccenter", "0018_status_history"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
        migrations.DeleteModel(name="HearingEvent"),
    ]
