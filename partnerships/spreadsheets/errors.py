"""The one error a file can cause: a message for the person importing it."""


class SpreadsheetError(ValueError):
    """A file that cannot be imported, with a message for the person importing it."""
