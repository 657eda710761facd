"""django-axes' glue: who is asking, the page a locked-out user sees, and the
limits across users and addresses that django-axes' per-pair lockout lacks."""

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _


def client_ip(request):
    """The client's address, from what our own proxies say and nothing else.

    Without a proxy, the socket's address: a client's X-Forwarded-For is ignored.
    Behind ``DJANGO_TRUSTED_PROXIES`` proxies, each appends the address it saw, so
    the entry that many places from the right is the one no client can forge;
    everything left of it is the client's own say and is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page, inside the admin's own frame and header."""
    from django.contrib import admin
    from django.shortcuts import render

    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed sign-in attempts"),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def too_many_failures(request, username):
    """Whether sign-ins are refused for now: too many failures from this
    address across every user name (one password sprayed over many), or for
    this user name across every address (one account tried from many).

    django-axes locks a user name *at* an address (``AXES_FAILURE_LIMIT``);
    these wider limits are higher (``LOGIN_FAILURES_PER_ADDRESS``,
    ``LOGIN_FAILURES_PER_USER``), counted over the same cool-off time from
    django-axes' own records of failed attempts.
    """
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)

    def failures(**which):
        total = recent.filter(**which).aggregate(n=Sum("failures_since_start"))
        return total["n"] or 0

    if failures(ip_address=client_ip(request)) >= settings.LOGIN_FAILURES_PER_ADDRESS:
        return True
    return bool(username) and (
        failures(username=username) >= settings.LOGIN_FAILURES_PER_USER
    )


def locked_out(request):
    """The error that ends a refused sign-in; django-axes' middleware turns the
    page into its lockout page (``lockout_response``)."""
    request.axes_locked_out = True
    return ValidationError(_("Too many failed sign-in attempts"), code="locked_out")
