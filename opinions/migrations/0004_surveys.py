# Filled by the surveys part: its own models' operations only (see /tmp/common.md).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("opinions", "0003_petitions")]

    operations = []
