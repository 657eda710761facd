"""Uploaded files, served only to whom they are for.

Nothing under MEDIA_ROOT is published as it is: the office's emblem and a
published city's photo are public, an unpublished city's photo only for staff
who may view cities, and a signed agreement only for staff who may view
agreements.
"""

import mimetypes

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import office
from ..accounts.two_factor import two_factor_required
from ..models import Agreement, City


def open_file(field):
    try:
        return field.open("rb")
    except FileNotFoundError:
        raise Http404("File not found.") from None


@require_GET
def city_photo(request, pk):
    city = get_object_or_404(City, pk=pk)
    # The same rule as the partner page: a city with no public page has no
    # public photo either.
    public = City.objects.partners_of_home().filter(pk=pk).exists()
    if not public and not (
        request.user.is_staff and request.user.has_perm("partnerships.view_city")
    ):
        # The same answer as for a city that does not exist.
        raise Http404("No such photo.")
    if not city.photo:
        raise Http404("No such photo.")
    content_type = mimetypes.guess_type(city.photo.name)[0]
    response = FileResponse(open_file(city.photo), content_type=content_type)
    # Short, so an unpublished photo leaves shared caches soon.
    response["Cache-Control"] = "public, max-age=300" if public else "private"
    return response


@require_GET
def site_emblem(request):
    """The office's emblem, on every public page (its address changes with it)."""
    row = office.site_settings()
    if row is None or not row.emblem:
        raise Http404("No emblem.")
    content_type = mimetypes.guess_type(row.emblem.name)[0]
    response = FileResponse(open_file(row.emblem), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def agreement_document(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url="admin:login")
    if not (
        request.user.is_staff and request.user.has_perm("partnerships.view_agreement")
    ):
        raise PermissionDenied
    if two_factor_required(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('admin:two-factor')}?next={request.get_full_path()}")
    agreement = get_object_or_404(Agreement.objects.select_related("partner"), pk=pk)
    if not agreement.document:
        raise Http404("This agreement has no document.")
    signed = agreement.signed_on.isoformat() if agreement.signed_on else "undated"
    response = FileResponse(
        open_file(agreement.document),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"agreement-{agreement.partner.slug}-{signed}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
