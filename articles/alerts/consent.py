"""The consent text a subscriber agrees to (RGPD), and its version.

Each subscriber records the version they agreed to (`Subscriber.consent_version`). Change
the text, change the version: the record then still says which text each person saw.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-12-01"
CONSENT_TEXT = _(
    "J'accepte de recevoir par courriel les communiqués de presse choisis. Mon adresse sert à ces seuls envois ; "
    "elle n'est ni cédée ni vendue. Je peux me désinscrire à tout moment par le lien présent dans chaque courriel, "
    "et demander l'export ou l'effacement de mes données à l'équipe de la salle de presse."
)
