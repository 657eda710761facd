"""Template helpers for the public pages: dates that may be unknown, languages.

A record's text is shown in the reader's language; where it is not written in
it, in another (English first), marked: its own ``lang`` attribute, and a note in
the reader's language that says it is not yet translated (``text``, ``prose``).
A name in another script is marked with its ``lang`` only (``name``): names are
not translated, they are written as they are known.
"""

import datetime
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse, translate_url
from django.utils.html import format_html, format_html_join
from django.utils.translation import (
    get_language,
    get_language_info,
    gettext_lazy,
    override,
)
from django.utils.translation import gettext as _

from ..models import text_of
from ..models.choices import AgreementKind, DatePrecision
from ..models.partial_dates import format_date, format_range, iso

register = template.Library()


@register.filter
def dates(record):
    """A visit's or activity's dates, or "date not published"; never a guess."""
    start = getattr(record, "start_date", None)
    if start is None:
        return _("date not published")
    precision = getattr(record, "date_precision", DatePrecision.DAY)
    return format_range(start, getattr(record, "end_date", None), precision)


@register.filter
def day(value, precision=None):
    """A single known day (or month or year) in the reader's language."""
    if value is None:
        return _("date not published")
    return format_date(value, precision or DatePrecision.DAY)


@register.filter
def year_label(value):
    """A year of a timeline as the reader writes a year alone ("2025",
    "2025年"); ``None``, the visits without a date."""
    if value is None:
        return _("Date not published")
    return format_date(datetime.date(value, 1, 1), DatePrecision.YEAR)


@register.filter
def iso_date(record):
    """A visit's start as ISO 8601, no more exact than what is known."""
    return iso(record.start_date, getattr(record, "date_precision", DatePrecision.DAY))


@register.filter
def year(value):
    """A year, with BCE for negative years."""
    if value is None:
        return ""
    if value < 0:
        return _("%(year)s BCE") % {"year": -value}
    return str(value)


@register.filter
def member(delegation_member):
    """'Name, Title at the time', or only the one that is known.

    The name carries its ``lang`` where it is in another language than the
    reader's, and the title is marked as any text shown untranslated.
    """
    parts = []
    if delegation_member.person is not None:
        parts.append(name(delegation_member.person))
    title = text(delegation_member, "title_at_time")
    if title:
        parts.append(title)
    return format_html_join(", ", "{}", ((part,) for part in parts))


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: code, own name, absolute URL, current.

    The "page not found" page (Django passes it ``request_path``) links to the
    partner list instead: it must not repeat the address it was asked for.
    """
    request = context.get("request")
    if request is None:
        return []
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    not_found = context.get("request_path") is not None
    links = []
    for code, _name in settings.LANGUAGES:
        if not_found:
            with override(code):
                path, query = reverse("partnerships:city-list"), ""
        else:
            path, query = translate_url(request.path, code), request.GET.urlencode()
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": request.build_absolute_uri(path),
                "href": f"{path}?{query}" if query else path,
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without its query string."""
    request = context.get("request")
    return request.build_absolute_uri(request.path) if request else ""


@register.filter
def website_label(url):
    """A website's address as people say it: ``www.voronezh.ru`` from
    ``https://www.voronezh.ru/``."""
    parts = urlsplit(url)
    label = parts.netloc + parts.path.rstrip("/")
    return label or url


@register.filter
def kind_label(value):
    """The reader's-language label of an agreement kind stored as its code."""
    try:
        return AgreementKind(value).label
    except ValueError:
        return ""


@register.filter
def hreflang(code):
    """A Django language code as a BCP 47 tag: zh-hans becomes zh-Hans."""
    language, _sep, script = code.partition("-")
    return f"{language}-{script.title()}" if script else language


# Records' texts in the reader's language --------------------------------------


def is_readers(code):
    reader = (get_language() or settings.LANGUAGE_CODE).lower()
    return code is None or code == reader


# Whole sentences per language, so each translation can decline the name.
UNTRANSLATED = {
    "en": gettext_lazy("Not yet translated; shown in English."),
    "zh-hans": gettext_lazy("Not yet translated; shown in Chinese."),
    "ru": gettext_lazy("Not yet translated; shown in Russian."),
}
IN_LANGUAGE = {
    "en": gettext_lazy("in English"),
    "zh-hans": gettext_lazy("in Chinese"),
    "ru": gettext_lazy("in Russian"),
}


@register.simple_tag
def text(record, field):
    """A short text (a title, a place) in the reader's language, or marked."""
    value, code = text_of(record, field)
    if is_readers(code):
        return value
    return format_html(
        '<span lang="{}" class="fallback">{}</span> '
        '<span class="fallback-note">({})</span>',
        hreflang(code),
        value,
        IN_LANGUAGE[code],
    )


@register.simple_tag
def prose(record, field):
    """Paragraphs of a record's text; in another language, marked and noted."""
    value, code = text_of(record, field)
    if not value:
        return ""
    if is_readers(code):
        return linebreaks_filter(value, autoescape=True)
    # The note first: a reader (and a screen reader) knows before the text.
    return format_html(
        '<p class="fallback-note">{}</p><div lang="{}" class="fallback">{}</div>',
        UNTRANSLATED[code],
        hreflang(code),
        linebreaks_filter(value, autoescape=True),
    )


@register.simple_tag
def name(record, field="name"):
    """A name in the reader's language, or in its own, with its ``lang``."""
    value, code = text_of(record, field)
    if is_readers(code):
        return value
    return format_html('<span lang="{}">{}</span>', hreflang(code), value)
