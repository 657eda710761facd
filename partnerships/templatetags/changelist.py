"""The admin's date hierarchy, with the years of a whole list read from the index."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.utils.translation import ngettext_lazy

from ..admin.changelists import cached_year_range, year_range

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html", takes_context=True)
def indexed_date_hierarchy(context, cl):
    """Django's date hierarchy, but its first level from ``MIN``/``MAX``.

    Django lists the years present with ``SELECT DISTINCT`` over every row; this
    lists every year from the first to the last of the whole list. Drilled down
    to a year, a month or a day, or over a single year, Django's own tag answers.
    """
    field = cl.date_hierarchy
    generic = f"{field}__"
    if any(key.startswith(generic) for key in cl.params) or isinstance(
        get_fields_from_path(cl.model, field)[-1], models.DateTimeField
    ):
        return no_days_unless_known(cl, date_hierarchy(cl))
    # The years of the whole list, as the year filter lists them (one query for
    # both): a filtered or searched list may have none in some of them.
    request = context.get("request")
    if request is not None:
        years = cached_year_range(request, cl.model_admin.get_queryset(request), field)
    else:
        years = year_range(cl.queryset, field)
    if years is None or years[0] == years[1]:
        return no_days_unless_known(cl, date_hierarchy(cl))
    first, last = years
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({f"{field}__year": str(year)}, [generic]),
                "title": str(year),
            }
            for year in range(first, last + 1)
        ],
    }


def no_days_unless_known(cl, hierarchy):
    """The hierarchy without its days for records whose dates may be known only
    to the month (visits, activities, collaborations): their 1st of May is
    "May", not a day to pick."""
    if not hierarchy or not any(
        field.name.endswith("precision") for field in cl.model._meta.fields
    ):
        return hierarchy
    day = f"{cl.date_hierarchy}__day"
    if day in cl.params or any(day in c.get("link", "") for c in hierarchy["choices"]):
        return {**hierarchy, "choices": []}
    return hierarchy


# "5 visits" in the reader's language, with its plural forms (Russian has three:
# 1 визит, 2 визита, 5 визитов); Django's own count pairs the number with the
# model's plural name, which reads "5 визиты".
RECORD_COUNTS = {
    "visit": ngettext_lazy("%(count)s visit", "%(count)s visits", "count"),
    "city": ngettext_lazy("%(count)s city", "%(count)s cities", "count"),
    "agreement": ngettext_lazy("%(count)s agreement", "%(count)s agreements", "count"),
    "collaboration": ngettext_lazy(
        "%(count)s collaboration", "%(count)s collaborations", "count"
    ),
    "activity": ngettext_lazy("%(count)s activity", "%(count)s activities", "count"),
    "institution": ngettext_lazy(
        "%(count)s institution", "%(count)s institutions", "count"
    ),
    "person": ngettext_lazy("%(count)s person", "%(count)s people", "count"),
    "sector": ngettext_lazy("%(count)s sector", "%(count)s sectors", "count"),
    "focusarea": ngettext_lazy(
        "%(count)s focus area", "%(count)s focus areas", "count"
    ),
    "source": ngettext_lazy("%(count)s source", "%(count)s sources", "count"),
    "sentreminder": ngettext_lazy(
        "%(count)s sent reminder", "%(count)s sent reminders", "count"
    ),
}


@register.simple_tag
def record_count(cl):
    """The list's count with its noun, in the reader's plural forms."""
    count = cl.result_count
    phrase = RECORD_COUNTS.get(cl.opts.model_name)
    if cl.opts.app_label == "partnerships" and phrase is not None:
        return phrase % {"count": count}
    name = cl.opts.verbose_name if count == 1 else cl.opts.verbose_name_plural
    return f"{count} {name}"
