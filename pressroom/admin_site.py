from django.contrib import admin

from articles.two_factor import TwoFactorAdminAuthenticationForm


class PressroomAdminSite(admin.AdminSite):
    """The admin site: its login asks for the second factor (articles/two_factor.py).

    Not django-otp's OTPAdminSite: that one requires a verified device of every staff
    member, where only Publication and superusers must have one (Rédaction may), and its
    login form makes people pick their device from a list in a second round. Who may
    enter is still decided by request.user, which TwoFactorRequiredMiddleware makes
    anonymous for an unverified session of a required role, on the admin and everywhere else.
    """

    login_form = TwoFactorAdminAuthenticationForm
