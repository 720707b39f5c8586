"""The data version per partnership (cooperation/freshness.py): one row per partnership,
keyed by its id, and the global row 0 for the records that belong to no partnership. The
old single row is dropped; the global row starts with a random token, so that a new
database never shares a version with another one."""

import uuid

from django.db import migrations, models


def create_global_row(apps, schema_editor):
    DataVersion = apps.get_model("cooperation", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).get_or_create(
        partnership_id=0, defaults={"token": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0005_trim_indexes'),
    ]

    operations = [
        migrations.DeleteModel(
            name='DataVersion',
        ),
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('partnership_id', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='协作关系')),
                ('token', models.CharField(max_length=32, verbose_name='数据版本标识')),
                ('counter', models.BigIntegerField(default=0, verbose_name='修改次数')),
                ('changed_at', models.DateTimeField(auto_now=True, verbose_name='最后修改时间')),
            ],
            options={
                'verbose_name': '数据版本',
                'verbose_name_plural': '数据版本',
            },
        ),
        migrations.RunPython(create_global_row, migrations.RunPython.noop),
    ]
