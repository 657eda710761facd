"""Import and export in the admin (django-import-export), for the models that have
a resource in ``resources.py``. Filled in with the spreadsheet work (issue 4)."""


class SpreadsheetAdminMixin:
    """Mixed into a ModelAdmin to give it import and export; inert until wired."""
