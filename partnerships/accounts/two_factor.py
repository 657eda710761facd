"""Two-factor sign-in for staff (django-otp, time-based codes from an app).

Optional for everyone: once a staff member has confirmed an authenticator app, the
sign-in page asks for its code. An Administrator can require it, for every staff
member (``PARTNERSHIPS_REQUIRE_TWO_FACTOR``) or for the members of the group
``TWO_FACTOR_GROUP``; until such a user has set it up, the admin shows only the
set-up page.
"""

import base64
import io

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import login_protection

TWO_FACTOR_GROUP = "Two-factor required"


def two_factor_required(user):
    if not (user.is_authenticated and user.is_staff):
        return False
    if settings.PARTNERSHIPS_REQUIRE_TWO_FACTOR:
        return True
    in_group = getattr(user, "in_two_factor_group", None)
    if in_group is None:
        in_group = user.groups.filter(name=TWO_FACTOR_GROUP).exists()
    return in_group


class TwoFactorAwareBackend(ModelBackend):
    """Django's ModelBackend; the signed-in user comes with its two-factor group.

    The admin checks the group on every request; read with the user, it costs
    no query of its own.
    """

    def get_user(self, user_id):
        model = get_user_model()
        in_group = Group.objects.filter(user=OuterRef("pk"), name=TWO_FACTOR_GROUP)
        try:
            user = model._default_manager.annotate(
                in_two_factor_group=Exists(in_group)
            ).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class StaffLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin sign-in: a code is asked for only from those who set one up."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        help_text=_("Only if you have set up two-factor sign-in."),
    )
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        # Before the password is tried: a sprayed or spread attack is refused.
        if login_protection.too_many_failures(self.request, self.username_asked()):
            raise login_protection.locked_out(self.request)
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned_data

    def username_asked(self):
        """The user name as the sign-in reads it (trimmed, NFKC-normalised), so
        " alice" or a full-width "ａｌｉｃｅ" count as alice's attempts."""
        try:
            return self.fields["username"].clean(self.data.get("username", ""))
        except forms.ValidationError:
            return ""

    def _chosen_device(self, user):
        # Staff have one authenticator app each, so there is nothing to choose.
        return super()._chosen_device(user) or next(
            iter(devices_for_user(user, confirmed=True)), None
        )


class ConfirmDeviceForm(forms.Form):
    token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("That code is not right, or has expired. Try the current one.")
            )
        return token


def qr_code_data_uri(text):
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def safe_next(request):
    """Where to go after the code: ``next`` if it stays on this site."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


@never_cache
@login_required(login_url="admin:login")
def setup(request):
    """Set up an authenticator app, or give its code for this session."""
    confirmed = list(devices_for_user(request.user, confirmed=True))
    if confirmed:
        device = confirmed[0]
        setting_up = False
    else:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=request.user, name=_("Authenticator app"), confirmed=False
            )
        setting_up = True
    form = ConfirmDeviceForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if setting_up:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(safe_next(request))
    context = {
        **admin.site.each_context(request),
        "form": form,
        "setting_up": setting_up,
        "title": _("Two-factor sign-in"),
    }
    if setting_up:
        context["qr_code"] = qr_code_data_uri(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/two_factor_setup.html", context)


class TwoFactorRequiredMiddleware:
    """Keeps staff who must use two-factor sign-in out of the admin until they do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.must_set_up(request):
            return redirect(f"{reverse('admin:two-factor')}?next={request.path_info}")
        return self.get_response(request)

    @staticmethod
    def must_set_up(request):
        path = request.path_info
        if not path.startswith(reverse("admin:index")):
            return False
        exempt = {
            reverse("admin:logout"),
            reverse("admin:login"),
            reverse("admin:two-factor"),
        }
        if path in exempt:
            return False
        return two_factor_required(request.user) and not request.user.is_verified()
