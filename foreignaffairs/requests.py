"""What every request goes through before any view reads it."""

from django.http import QueryDict

NUL = "\x00"


class StripNulMiddleware:
    """Query parameters without NUL characters.

    PostgreSQL refuses a NUL in any text (``psycopg.DataError``), so a filter,
    a search or an autocomplete given ``%00`` would answer 500. No one types a
    NUL; it is dropped, and the rest of the value is used as any other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            request.GET = without_nul(request.GET)
        return self.get_response(request)


def without_nul(query):
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(
            key.replace(NUL, ""), [value.replace(NUL, "") for value in values]
        )
    cleaned._mutable = False
    return cleaned
