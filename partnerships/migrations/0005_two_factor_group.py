"""The group whose members must sign in with a code from an authenticator app."""

from django.db import migrations

TWO_FACTOR_GROUP = "Two-factor required"


def add_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=TWO_FACTOR_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=TWO_FACTOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partnerships", "0004_upload_checks"),
    ]

    operations = [migrations.RunPython(add_group, remove_group)]
