"""manage.py setup_two_factor USERNAME: a TOTP app and recovery codes for one account.

`make admin` runs it right after createsuperuser. A superuser runs it for each member of
Publication (who cannot log in without it) and for any Rédaction member who wants it; running
it again replaces the devices (a lost phone) and the codes.
"""

import io

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.two_factor import set_up_devices, two_factor_required


class Command(BaseCommand):
    help = "Configure la double authentification d'un compte : application TOTP et codes de secours."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--no-qr", action="store_true", help="Ne pas dessiner le QR code dans le terminal.")

    def handle(self, *args, username, no_qr=False, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"Aucun compte « {username} ».") from None
        devices = set_up_devices(user=user)
        uri = devices.totp.config_url
        out = self.stdout
        out.write(f"Double authentification de « {username} » : ajoutez ce compte à une application "
                  "d'authentification (FreeOTP, Aegis, Google Authenticator…).")
        if not no_qr:
            out.write(self._qr(uri))
        out.write("Ou saisissez ce lien de configuration :")
        out.write(f"  {uri}")
        out.write("")
        out.write("Codes de secours, chacun utilisable une seule fois si le téléphone est perdu "
                  "(conservez-les hors ligne, ils ne seront plus affichés) :")
        for code in devices.recovery_codes:
            out.write(f"  {code}")
        if two_factor_required(user):
            out.write("")
            out.write("Ce compte ne peut se connecter qu'avec un code : la connexion à /admin/ le demandera.")

    @staticmethod
    def _qr(uri: str) -> str:
        """The QR code in text, for a phone to scan in the terminal (qrcode's ASCII rendering)."""
        import qrcode

        qr = qrcode.QRCode(border=2)
        qr.add_data(uri)
        buffer = io.StringIO()
        qr.print_ascii(out=buffer, invert=True)
        return buffer.getvalue()
