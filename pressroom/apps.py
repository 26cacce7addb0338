from django.contrib.admin.apps import AdminConfig


class PressroomAdminConfig(AdminConfig):
    """Django's admin with our default site, which asks for the second factor at login."""

    default_site = "pressroom.admin_site.PressroomAdminSite"

    def ready(self):
        super().ready()
        # The project has no app of its own: its deploy check (a security.txt contact) registers here.
        from pressroom import security_txt  # noqa: F401
