"""The roles' permissions on the catalogue of major decision items, hearers and the adoption table."""

from django.db import migrations

from civiccenter import roles


def grant(apps, schema_editor):
    view = ["view_catalogueitem", "view_hearer", "view_opinionadoption"]
    hearing_rows = [
        "add_hearer",
        "change_hearer",
        "delete_hearer",
        "add_opinionadoption",
        "change_opinionadoption",
        "delete_opinionadoption",
    ]
    catalogue = ["add_catalogueitem", "change_catalogueitem"]
    # Reviewers prepare the catalogue items and the hearing's rows; heads also publish and withdraw items.
    roles.grant(apps, roles.DEPARTMENT_REVIEWER, "hearings", [*view, *hearing_rows, *catalogue])
    roles.grant(apps, roles.DEPARTMENT_HEAD, "hearings", [*view, *hearing_rows, *catalogue, "publish_catalogueitem"])
    roles.grant(apps, roles.CONTENT_EDITOR, "hearings", ["view_catalogueitem", *catalogue])
    roles.grant(apps, roles.CENTER_SUPERVISOR, "hearings", view)
    roles.grant(
        apps,
        roles.SYSTEM_ADMINISTRATOR,
        "hearings",
        [*view, *hearing_rows, *catalogue, "delete_catalogueitem", "publish_catalogueitem"],
    )


class Migration(migrations.Migration):
    dependencies = [("hearings", "0009_price_hearings_and_catalogue"), ("civiccenter", "0002_staff_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
