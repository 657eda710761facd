"""The contact page ("Contact the office / propose an exchange"), the page that
says a request arrived, and the privacy notice.

The contact page is never cached, by the page cache or any other: its form
carries a CSRF token and a fresh signed moment (``spam.py``). What a request
says is shown on no public page: the "received" page knows only the reference
number, signed into its address by the form it follows.
"""

import logging

from django import forms
from django.conf import settings
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from .. import public_requests
from . import spam
from .cache import cached_page, site_scopes
from .forms import ContactForm

logger = logging.getLogger(__name__)

SENT_SALT = "partnerships.public.contact.sent"
#: How long the "received" page still shows a reference number.
SENT_MAX_AGE_SECONDS = 60 * 60
FLOOD = _(
    "Several requests have come from your address in the last hour. Please wait "
    "an hour before you send another; what you wrote is kept below."
)


def sent_url(public_request=None):
    """The "received" page, with the request's reference (and whether it was
    acknowledged) signed in."""
    url = reverse("partnerships:contact-sent")
    if public_request is None:
        return url
    acknowledged = public_request.acknowledged_at is not None
    token = signing.dumps([public_request.reference, acknowledged], salt=SENT_SALT)
    return f"{url}?ref={token}"


def base_url(request):
    """The site's address, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


@method_decorator(never_cache, name="dispatch")
class ContactView(FormView):
    template_name = "partnerships/contact.html"
    form_class = ContactForm

    def get_initial(self):
        # From a partner page: ``/contact/?city=<slug>`` chooses that partner.
        return {"city": self.request.GET.get("city", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_months"] = settings.PARTNERSHIPS_REQUEST_RETENTION_MONTHS
        context["privacy_url"] = reverse("partnerships:privacy")
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        email = request.POST.get("email", "")
        if spam.over_limit(request, email):
            form.is_valid()
            form.add_error(None, forms.ValidationError(FLOOD, code="flood"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if form.is_bait():
            # Answered as if received, so the program learns nothing.
            spam.count(request, email)
            logger.info("Contact form: a filled honeypot, dropped.")
            return redirect(sent_url())
        if not form.is_valid():
            if form.too_fast:
                spam.count(request, email)
            return self.form_invalid(form)
        public_request = public_requests.receive(form.cleaned_data, get_language())
        spam.count(request, email)
        public_requests.acknowledge(public_request, base_url(request))
        return redirect(sent_url(public_request))


@method_decorator(never_cache, name="dispatch")
class ContactSentView(TemplateView):
    template_name = "partnerships/contact_sent.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            reference, acknowledged = signing.loads(
                self.request.GET.get("ref", ""),
                salt=SENT_SALT,
                max_age=SENT_MAX_AGE_SECONDS,
            )
        except (signing.BadSignature, TypeError, ValueError):
            reference, acknowledged = None, False
        context.update(reference=reference, acknowledged=acknowledged)
        return context


@method_decorator(cached_page(site_scopes), name="dispatch")
class PrivacyNoticeView(TemplateView):
    template_name = "partnerships/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_months"] = settings.PARTNERSHIPS_REQUEST_RETENTION_MONTHS
        context["requests_per_hour"] = settings.PARTNERSHIPS_REQUESTS_PER_HOUR
        return context
