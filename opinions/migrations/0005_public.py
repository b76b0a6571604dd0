from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    view = ["view_boardentry"]
    publish = ["view_boardentry", "publish_opinion"]
    # Moderators approve what the board shows, for the whole center; the supervisor may read the queue.
    roles.grant(apps, roles.MODERATOR, "opinions", publish)
    roles.grant(apps, roles.SYSTEM_ADMINISTRATOR, "opinions", publish)
    roles.grant(apps, roles.CENTER_SUPERVISOR, "opinions", view)


class Migration(migrations.Migration):
    dependencies = [("opinions", "0004_surveys"), ("civiccenter", "0002_staff_roles")]

    operations = [
        migrations.CreateModel(
            name="BoardEntry",
            fields=[],
            options={
                "verbose_name": "publication on the board",
                "verbose_name_plural": "publications on the board",
                "permissions": [("publish_opinion", "Can publish handled opinions on the public board")],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("opinions.opinion",),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
