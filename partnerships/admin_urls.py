"""Where a record is changed in the admin: the one place its page's URL name is
spelled, for the admin's own links and for what links into it from outside (the
dashboard, a staff member's calendar feed)."""

from django.urls import reverse


def change_url(record):
    """The admin page that changes ``record``."""
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
