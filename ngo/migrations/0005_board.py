# Filled by the board part: its own models' operations only (see /tmp/common.md).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ngo", "0004_development")]

    operations = []
