"""``/healthz``: each dependency's state; 503 only when the database is down.

The cache being down is reported but is not an outage: pages are then built
uncached and saves still succeed (``partnerships/public/cache.py``).
"""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partnerships.public.cache import cache_status


@never_cache
@require_GET
def healthz(request):
    state = {"database": "ok", "cache": cache_status()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        state["database"] = "down"
    status = "unavailable" if state["database"] == "down" else "ok"
    return JsonResponse(
        {"status": status, **state}, status=503 if status == "unavailable" else 200
    )
