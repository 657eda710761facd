"""The admin's date hierarchy, with the years of a whole list read from the index."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import get_fields_from_path
from django.db import models

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
        return date_hierarchy(cl)
    # The years of the whole list, as the year filter lists them (one query for
    # both): a filtered or searched list may have none in some of them.
    request = context.get("request")
    if request is not None:
        years = cached_year_range(request, cl.model_admin.get_queryset(request), field)
    else:
        years = year_range(cl.queryset, field)
    if years is None or years[0] == years[1]:
        return date_hierarchy(cl)
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
