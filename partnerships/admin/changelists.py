"""What keeps the admin's lists fast at 100,000 rows: counting, years and search."""

from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import Max, Min, Q
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

from ..models import localized_fields, translated_fields
from ..models.search import name_key

# Below this many rows an exact count costs nothing worth saving.
ESTIMATE_FROM_ROWS = 10_000
# A search word found in at most this many records narrows the search to them.
FEW_MATCHES = 500


class EstimatedCountPaginator(Paginator):
    """PostgreSQL's row estimate for an unfiltered big table; exact otherwise.

    ``COUNT(*)`` reads the whole table on every page; the planner's estimate
    (kept by autovacuum's ANALYZE) is free and within a percent or so. A filtered
    or searched list is counted exactly, and so is any table of under 10,000 rows.
    """

    estimated = False

    @cached_property
    def count(self):
        estimate = self.estimate()
        if estimate is not None and estimate >= ESTIMATE_FROM_ROWS:
            self.estimated = True
            return estimate
        return super().count

    def page(self, number):
        if self.estimated and self.at_or_past_the_end(number):
            # The last page, or one past the estimate: counted exactly, so no
            # record is out of reach (a bulk import may not be in the estimate).
            self.count = Paginator.count.func(self)
            self.estimated = False
            self.__dict__.pop("num_pages", None)
            self.__dict__.pop("page_range", None)
        return super().page(number)

    def at_or_past_the_end(self, number):
        try:
            return self.validate_number(number) >= self.num_pages
        except EmptyPage:
            return True

    def estimate(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.combinator or query.distinct:
            return None
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        # -1 until the table is first analysed.
        return row[0] if row and row[0] >= 0 else None


class RecordChangeList(ChangeList):
    """Django's changelist; a whole list does not offer to "Show all" of itself.

    Without ``show_full_result_count`` Django shows "N results (Show all)" beside
    the search box on every page, the unfiltered one included.
    """

    def get_results(self, request):
        super().get_results(request)
        # The last page of an estimated list has counted exactly.
        self.result_count = self.paginator.count
        if not (self.query or self.has_active_filters):
            self.full_result_count = self.result_count


def year_range(queryset, field):
    """The first and last year of ``field`` in ``queryset``, or ``None``.

    ``MIN``/``MAX`` are answered from the field's index; the distinct years
    (``QuerySet.dates``) would read every row.
    """
    bounds = queryset.order_by().aggregate(first=Min(field), last=Max(field))
    if bounds["first"] is None:
        return None
    return bounds["first"].year, bounds["last"].year


def cached_year_range(request, queryset, field):
    """``year_range`` of the unfiltered list, once per request.

    The year filter and the date hierarchy of an unfiltered list ask the same.
    """
    cache = request.__dict__.setdefault("_fa_year_ranges", {})
    key = (queryset.model._meta.label, field)
    if key not in cache:
        cache[key] = year_range(queryset, field)
    return cache[key]


class IndexedSearchMixin:
    """Admin search as a union of per-table look-ups, each able to use an index.

    Django's search ORs ``icontains`` over every joined table, which no index can
    answer, and multi-valued joins add a de-duplicating subquery. Here each table
    reached by ``search_fields`` is searched on its own (on PostgreSQL through the
    trigram indexes of migration 0007), the matches are mapped back to this list's
    ids and joined with ``UNION``.

    As in Django's search, a record is found when every word of the search is
    in one of its searched fields ("Воронеж Petrov": the partner city and the
    head of delegation). Each word is first looked for up to ``FEW_MATCHES``
    records; a word found in more (a common word) is then looked for only among
    the records the other words found, through their keys. Only a search of
    common words alone goes through the whole of the tables. Search fields with
    a lookup prefix (``^``, ``=``, ``@``) fall back to Django's own search.
    """

    def get_search_results(self, request, queryset, search_term):
        groups = self.search_groups(request)
        words = search_words(search_term)
        if groups is None or not words:
            return super().get_search_results(request, queryset, search_term)
        # The rare words first: each is looked up once, and what it finds, if
        # few, is all the common words need to be looked for in. A word in
        # nearly every row ("Benchmark", "Person") is then not folded over the
        # whole of every table it could be in.
        found, common = None, []
        for word in words:
            ids = list(self.matching_ids(groups, word)[: FEW_MATCHES + 1])
            if len(ids) > FEW_MATCHES:
                common.append(word)
            else:
                found = set(ids) if found is None else found & set(ids)
        if found is None:
            for word in words:
                queryset = queryset.filter(pk__in=self.matching_ids(groups, word))
            return queryset, False
        for word in common:
            if found:
                found = self.matching_among(groups, word, sorted(found))
        return queryset.filter(pk__in=sorted(found)), False

    def search_groups(self, request):
        """``{relation path: (related model, [fields])}``, or ``None`` to fall back."""
        groups = {}
        for name in self.get_search_fields(request):
            if name[:1] in "^=@":
                return None
            *path, field_name = name.split("__")
            model = self.model
            try:
                for part in path:
                    model = model._meta.get_field(part).related_model
                    if model is None:
                        return None
                field = model._meta.get_field(field_name)
            except FieldDoesNotExist:
                return None
            if field.is_relation:
                return None
            # A translated text is searched in every language.
            names = (
                localized_fields(field_name)
                if field_name in translated_fields(model)
                else (field_name,)
            )
            group = groups.setdefault("__".join(path), (model, []))[1]
            group.extend(name for name in names if name not in group)
        return groups

    def matching_ids(self, groups, word):
        """Ids of the records with ``word`` in one of their searched fields."""
        branches = []
        for path, (model, fields) in groups.items():
            condition = word_condition("", fields, word)
            # SQLite refuses ordered parts in a compound statement.
            branches.append(self.ids_through(path, model, condition).order_by())
        first, *rest = branches
        # UNION ALL: "IN" ignores repeats, so no need to sort them away.
        return first.union(*rest, all=True) if rest else first

    def matching_among(self, groups, word, ids):
        """Those of ``ids`` whose records have ``word`` in a searched field.

        Joined from the records, which are few, so each related row is reached
        by its key and no table is read through.
        """
        branches = []
        for path, (_model, fields) in groups.items():
            condition = word_condition(f"{path}__" if path else "", fields, word)
            records = self.model._default_manager.filter(pk__in=ids)
            branches.append(records.filter(condition).values_list("pk").order_by())
        first, *rest = branches
        return {pk for (pk,) in first.union(*rest, all=True)}

    def ids_through(self, path, model, condition):
        """Ids of this list's records reaching a ``model`` row that fits ``condition``.

        Through a one-to-many relation the ids are read from the related table's
        own foreign key, without joining this list's table back in.
        """
        if not path:
            return self.model._default_manager.filter(condition).values_list(
                "pk", flat=True
            )
        first, _, rest = path.partition("__")
        relation = self.model._meta.get_field(first)
        if relation.one_to_many and not relation.many_to_many:
            child = relation.related_model._default_manager
            if rest:
                child = child.filter(
                    **{f"{rest}__in": model._default_manager.filter(condition)}
                )
            else:
                child = child.filter(condition)
            return child.values_list(relation.field.attname, flat=True)
        return self.model._default_manager.filter(
            **{f"{path}__in": model._default_manager.filter(condition)}
        ).values_list("pk", flat=True)


def word_condition(prefix, fields, word):
    """A search ``word`` in one of ``fields`` (reached through ``prefix``).

    In any script and letter case (models/search.py); in ``name_keys``, every
    name a person or institution goes by, without its spaces and punctuation
    ("谢尔盖彼得罗夫" finds "谢尔盖·彼得罗夫"; models/known_names.py).
    """
    condition = Q()
    for field in fields:
        if field == "name_keys":
            key = name_key(word)
            if key:
                condition |= Q(**{f"{prefix}{field}__contains": key})
        else:
            condition |= Q(**{f"{prefix}{field}__fold": word})
    # A word of punctuation alone has no key: it finds nothing there.
    return condition or Q(pk__in=[])


def search_words(search_term):
    """The words of a search, a quoted phrase counting as one (as Django does)."""
    words = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        words.append(bit)
    return words
