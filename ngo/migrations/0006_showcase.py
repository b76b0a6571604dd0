# Filled by the showcase part: its own models' operations only (see /tmp/common.md).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ngo", "0005_board")]

    operations = []
