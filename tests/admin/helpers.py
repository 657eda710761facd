"""What the admin tests share: a signed-in superuser and the admin's addresses."""

from django.contrib.auth import get_user_model
from django.core.files import File
from django.test import TestCase
from django.urls import reverse


def changelist(model):
    return reverse(f"admin:partnerships_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:partnerships_{obj._meta.model_name}_change", args=[obj.pk])


def initial_data(response, leave_out=()):
    """The admin form's initial values as a POST would send them back."""
    form = response.context["adminform"].form
    return {
        key: value
        for key, value in form.initial.items()
        # A file is kept by sending none (an empty one cannot be sent).
        if value is not None and key not in leave_out and not isinstance(value, File)
    }


def filter_spec(response, parameter):
    """The changelist's SimpleListFilter with this parameter name."""
    specs = response.context["cl"].filter_specs
    found = [s for s in specs if getattr(s, "parameter_name", None) == parameter]
    return found[0] if found else None


class SuperuserTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser(
            "boss", password="a-long-test-password"
        )

    def setUp(self):
        self.client.force_login(self.superuser)


def change_form_data(response):
    """The POST data that saves a change page as it stands, inlines included."""

    def values(form, prefix=None):
        data = {}
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False or name in {"document", "photo"}:
                continue
            data[key] = "on" if value is True else value
        return data

    data = values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {
                management.add_prefix(name): management[name].value()
                for name in management.fields
            }
        )
        # The rows shown filled: those recorded, and those a draft proposes.
        filled = [form for form in formset.forms if not form.empty_permitted]
        for form in filled:
            data.update(values(form))
        data[management.add_prefix("TOTAL_FORMS")] = len(filled)
    return data
