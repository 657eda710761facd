from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from .accounts.sessions import SessionIdleMiddleware
        from .models.search import register_sqlite_function
        from .public import invalidation

        invalidation.connect()
        connection_created.connect(
            register_sqlite_function, dispatch_uid="partnerships-sqlite-fold"
        )
        user_logged_in.connect(
            SessionIdleMiddleware.signed_in, dispatch_uid="session-idle-renewal"
        )


class PartnershipsAdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with the office's site as ``admin.site``."""

    # Named in INSTALLED_APPS; not this module's default (that is the app's own).
    default = False
    default_site = "partnerships.admin.site.PartnershipsAdminSite"

    def ready(self):
        # The site's class lives in the package that registers the ModelAdmins.
        # Imported before Django first builds the site, the package builds it once,
        # with its registrations; imported from inside that first build, they would
        # land on a site Django then replaces.
        import partnerships.admin  # noqa: F401

        super().ready()
