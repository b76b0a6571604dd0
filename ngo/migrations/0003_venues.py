# Filled by the venues part: its own models' operations only (see /tmp/common.md).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ngo", "0002_organizations")]

    operations = []
