# Filled by the petitions part: its own models' operations only (see /tmp/common.md).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("opinions", "0002_cases")]

    operations = []
