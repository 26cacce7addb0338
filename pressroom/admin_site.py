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
    # The sidebar repeated the index's list of every app (two-factor devices, task queues…) beside
    # each page, and took 290 px of a 1,280 px screen from the release list and form (issue #16).
    # The breadcrumbs and the index lead everywhere it did.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        # Publication's morning glance (articles/publishing/dashboard.py), above the app list.
        from articles.publishing import dashboard

        return super().index(request, {"dashboard": dashboard.build(), **(extra_context or {})})

    def i18n_javascript(self, request, extra_context=None):
        # django-prose-editor's dialogs ("Edit Link", "URL", "Title"…) call gettext: its own
        # French catalogue joins the admin's, or they stay in English.
        from django.views.i18n import JavaScriptCatalog

        return JavaScriptCatalog.as_view(packages=["django.contrib.admin", "django_prose_editor"])(request)
