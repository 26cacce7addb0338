"""The two editorial roles, as groups: Rédaction writes, Publication publishes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITE = {
    "articles": {
        "article": ["add", "change", "view"],
        "quote": ["add", "change", "delete", "view"],
        "articlephoto": ["add", "change", "delete", "view"],
        "photo": ["add", "change", "view"],
        "credit": ["add", "change", "view"],
        "speaker": ["add", "change", "view"],
        "presscontact": ["add", "change", "view"],
        "taggedarticle": ["add", "change", "delete", "view"],
    },
    "taggit": {"tag": ["add", "change", "view"]},
}
PUBLISH_EXTRA = {
    "articles": {
        "article": ["delete", "publish"],
        "photo": ["delete"],
        "credit": ["delete"],
        "speaker": ["delete"],
        "presscontact": ["delete"],
        "embargolink": ["add", "change", "delete", "view"],
        "embargovisit": ["view"],
        "slugredirect": ["add", "change", "delete", "view"],
    },
    "taggit": {"tag": ["delete"]},
}
ROLES = {"Rédaction": [WRITE], "Publication": [WRITE, PUBLISH_EXTRA]}


def codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, ("publish_article" if action == "publish" else f"{action}_{model}")


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, specs in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for spec in specs:
            for app_label, codename in codenames(spec):
                group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow_embargo_links_history_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
