"""Where an upload waits between the admin's import preview and its confirmation."""

from import_export.tmp_storages import CacheStorage


class SharedTmpStorage(CacheStorage):
    """django-import-export's upload between preview and confirm, in the shared cache.

    The two requests may reach different app servers. A file that has expired or
    was never there reads as a missing file, as the temporary folder's would.
    """

    def read(self):
        data = super().read()
        if data is None:
            raise FileNotFoundError(self.name)
        return data
