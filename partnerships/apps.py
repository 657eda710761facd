from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from foreignaffairs.security import SessionIdleMiddleware

        from . import cache

        cache.connect()
        user_logged_in.connect(
            SessionIdleMiddleware.signed_in, dispatch_uid="session-idle-renewal"
        )
