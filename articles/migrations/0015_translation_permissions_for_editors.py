"""Both editorial groups edit a tag's names and a contact's roles in the other languages.

Migrations 0013 and 0014 added TagTranslation and PressContactRole without granting their
permissions to any group, and Django leaves an inline off the page for whoever holds none of
its model's permissions: only a superuser could name a tag in English. Writers get them all,
as for a release's other parts (quotes, placed photos): the admin refuses any change to a
tag or a contact a published release shows, translations included (articles/admin/people.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("tagtranslation", "presscontactrole")
ACTIONS = ("add", "change", "delete", "view")
GROUPS = ("Rédaction", "Publication")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now (as 0004).
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=[f"{a}_{m}" for m in MODELS for a in ACTIONS]
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=[f"{a}_{m}" for m in MODELS for a in ACTIONS]
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_press_contact_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
