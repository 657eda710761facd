"""The clerks' admin: the site, then one module per family of records.

Importing the package registers every ModelAdmin on the site (Django's admin
autodiscovery imports it).
"""

from . import (
    accounts,
    activities,
    agreements,
    cities,
    collaborations,
    confirmations,
    institutions,
    mappings,
    partner_contacts,
    people,
    public_requests,
    reference,
    reminders,
    site_settings,
    visits,
)

__all__ = [
    "accounts",
    "activities",
    "agreements",
    "cities",
    "collaborations",
    "confirmations",
    "institutions",
    "mappings",
    "partner_contacts",
    "people",
    "public_requests",
    "reference",
    "reminders",
    "site_settings",
    "visits",
]
