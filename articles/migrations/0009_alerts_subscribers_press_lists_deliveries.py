"""E-mail for journalists (articles/alerts/): subscribers, press lists, journalists, embargo notices,
one delivery row per message; and what the Publication role may do with them."""

import articles.alerts.models
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Publication keeps the press lists, sends embargo notices, reads the deliveries, and exports
# or erases a subscriber (RGPD). Subscribers are never typed in by staff (double opt-in).
PUBLISH = {
    "subscriber": ["view", "delete"],
    "presslist": ["add", "change", "delete", "view"],
    "journalist": ["add", "change", "delete", "view"],
    "embargonotice": ["add", "view"],
    "delivery": ["view"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Publication").first()
    if group is None:
        return
    for model, actions in PUBLISH.items():
        for action in actions:
            group.permissions.add(Permission.objects.get(content_type__app_label="articles", codename=f"{action}_{model}"))


def ungrant(apps, schema_editor):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_release_events_went_live_and_photo_jobs'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PressList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='nom')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'liste de presse',
                'verbose_name_plural': 'listes de presse',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='EmbargoNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='envoyé le')),
                ('expires_at', models.DateTimeField(verbose_name='les liens expirent le')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='embargo_notices', to='articles.article', verbose_name='communiqué')),
                ('sent_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='envoyé par')),
                ('lists', models.ManyToManyField(related_name='notices', to='articles.presslist', verbose_name='listes')),
            ],
            options={
                'verbose_name': 'envoi sous embargo',
                'verbose_name_plural': 'envois sous embargo',
                'ordering': ['-sent_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Journalist',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='nom')),
                ('outlet', models.CharField(blank=True, max_length=200, verbose_name='média')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='courriel')),
                ('language', models.CharField(choices=[('fr', 'Français'), ('en', 'Anglais')], default='fr', max_length=8, verbose_name='langue')),
                ('beats', models.ManyToManyField(blank=True, help_text="Les mots-clés des sujets qu'il ou elle suit.", related_name='+', to='taggit.tag', verbose_name='rubriques')),
                ('lists', models.ManyToManyField(blank=True, related_name='journalists', to='articles.presslist', verbose_name='listes')),
            ],
            options={
                'verbose_name': 'journaliste',
                'verbose_name_plural': 'journalistes',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Subscriber',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='courriel')),
                ('all_releases', models.BooleanField(default=False, verbose_name='tous les communiqués')),
                ('language', models.CharField(blank=True, choices=[('fr', 'Français'), ('en', 'Anglais')], help_text='Vide : les communiqués dans toutes les langues.', max_length=8, verbose_name='langue')),
                ('frequency', models.CharField(choices=[('immediate', 'À chaque communiqué'), ('daily', 'Un résumé par jour')], default='immediate', max_length=12, verbose_name='fréquence')),
                ('secret', models.CharField(default=articles.alerts.models.new_secret, editable=False, max_length=32)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='inscrit le')),
                ('consent_at', models.DateTimeField(blank=True, null=True, verbose_name='consentement donné le')),
                ('consent_ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='adresse IP du consentement')),
                ('consent_version', models.CharField(blank=True, max_length=20, verbose_name='version du texte de consentement')),
                ('confirmation_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmation envoyée le')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmé le')),
                ('confirmed_ip', models.GenericIPAddressField(blank=True, null=True, verbose_name='adresse IP de la confirmation')),
                ('unsubscribed_at', models.DateTimeField(blank=True, null=True, verbose_name='désinscrit le')),
                ('speakers', models.ManyToManyField(blank=True, related_name='+', to='articles.speaker', verbose_name='intervenants')),
                ('tags', models.ManyToManyField(blank=True, related_name='+', to='taggit.tag', verbose_name='mots-clés')),
            ],
            options={
                'verbose_name': 'abonné',
                'verbose_name_plural': 'abonnés',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(editable=False, max_length=120, unique=True)),
                ('kind', models.CharField(choices=[('alert', 'Alerte'), ('correction', 'Avis de correction'), ('digest', 'Résumé du jour'), ('embargo', 'Envoi sous embargo')], max_length=12, verbose_name='type')),
                ('publication', models.PositiveIntegerField(default=0, verbose_name='publication')),
                ('recipient', models.EmailField(max_length=254, verbose_name='destinataire')),
                ('detail', models.CharField(blank=True, max_length=40, verbose_name='détail')),
                ('status', models.CharField(choices=[('pending', 'À envoyer'), ('sending', "En cours d'envoi"), ('sent', 'Envoyé'), ('failed', 'Échec'), ('bounced', 'Refusé par le serveur du destinataire'), ('cancelled', 'Annulé')], default='pending', max_length=12, verbose_name='état')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='tentatives')),
                ('claimed_by', models.CharField(blank=True, editable=False, max_length=100)),
                ('claimed_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='prévu le')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='envoyé le')),
                ('error', models.TextField(blank=True, verbose_name='erreur')),
                ('article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='articles.article', verbose_name='communiqué')),
                ('embargo_link', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='articles.embargolink')),
                ('notice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='articles.embargonotice')),
                ('journalist', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='articles.journalist', verbose_name='journaliste')),
                ('subscriber', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='deliveries', to='articles.subscriber', verbose_name='abonné')),
            ],
            options={
                'verbose_name': 'envoi de courriel',
                'verbose_name_plural': 'envois de courriels',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='subscriber',
            index=models.Index(fields=['confirmed_at', 'unsubscribed_at'], name='subscriber_active'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(fields=['status', 'article', 'kind'], name='delivery_to_send'),
        ),
        migrations.AddIndex(
            model_name='delivery',
            index=models.Index(fields=['article', 'kind', 'status'], name='delivery_by_article'),
        ),
        migrations.RunPython(grant, ungrant),
    ]
