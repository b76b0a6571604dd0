# Filled by the organizations part: its own models' operations only (see /tmp/common.md).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ngo", "0001_initial")]

    operations = []
