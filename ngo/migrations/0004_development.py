# Filled by the development part: its own models' operations only (see /tmp/common.md).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ngo", "0003_venues")]

    operations = []
