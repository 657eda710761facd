"""The office on every public page: its identity, and the same as schema.org data.

``{% office_identity as office %}`` reads the site settings once
(``partnerships/office.py``); ``{% office_structured_data office %}`` writes
them as a ``GovernmentOrganization`` in JSON-LD, which search engines read.
"""

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import office as office_module
from ..models import text_of

register = template.Library()

# As Django's json_script: nothing in the data can close the script element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def office_identity():
    return office_module.identity()


def emblem_url(row):
    """The emblem's address, changed with each new upload (browsers keep it)."""
    if row is None or not row.emblem:
        return ""
    version = row.emblem.name.rsplit("/", 1)[-1].split(".", 1)[0][:12]
    return f"{reverse('site-emblem')}?v={version}"


@register.simple_tag
def office_emblem_url(identity):
    return emblem_url(identity.settings)


def structured_data(identity, request):
    """The office as a schema.org ``GovernmentOrganization`` (a dict)."""
    absolute = request.build_absolute_uri if request is not None else str
    contact_page = absolute(reverse("partnerships:contact"))
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": identity.name,
    }
    if identity.other_names:
        data["alternateName"] = [name for _code, name in identity.other_names]
    if identity.home_city:
        data["areaServed"] = {"@type": "City", "name": identity.home_city}
    row = identity.settings
    contact = {
        "@type": "ContactPoint",
        "contactType": "public enquiries",
        "url": contact_page,
        "availableLanguage": ["en", "zh-Hans", "ru"],
    }
    if row is not None:
        if row.website:
            data["url"] = row.website
        if row.emblem:
            data["logo"] = absolute(emblem_url(row))
        address = text_of(row, "address")[0]
        if address:
            data["address"] = {"@type": "PostalAddress", "streetAddress": address}
        for key in ("telephone", "email"):
            value = getattr(row, key)
            if value:
                data[key] = contact[key] = value
    data["contactPoint"] = contact
    return data


@register.simple_tag(takes_context=True)
def office_structured_data(context, identity):
    data = structured_data(identity, context.get("request"))
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(JSON_ESCAPES)
    # Safe as Django's json_script makes it: <, > and & are JSON escapes, so no
    # text can close the script (tested); HTML-escaping would break the JSON.
    safe = mark_safe(text)  # nosec B308 B703
    return format_html('<script type="application/ld+json">{}</script>', safe)
