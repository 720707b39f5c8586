import uuid

from django.db import migrations, models


def create_row(apps, schema_editor):
    DataVersion = apps.get_model("cooperation", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cooperation', '0003_export_audit'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32, verbose_name='数据版本标识')),
                ('counter', models.BigIntegerField(default=0, verbose_name='修改次数')),
                ('changed_at', models.DateTimeField(auto_now=True, verbose_name='最后修改时间')),
            ],
            options={
                'verbose_name': '数据版本',
                'verbose_name_plural': '数据版本',
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
