"""Visits as a spreadsheet, their delegations one member per line.

A visit list is the long one (an office's history, or a partner's list of
delegations): it imports on django-import-export's ``use_bulk``. Every row is
read and checked through the library's loop, in a few queries per file (cities,
people, sectors and the visits the file names are read up front); nothing is
written while rows are checked, and only if none is invalid are the visits, their
sectors, delegations, new people and history written at once by ``bulk_create``
and ``bulk_update`` (``partnerships.spreadsheets.bulk``: ``COPY`` on PostgreSQL).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy

from ...models import DelegationMember, Visit
from ...public.cache import invalidate_now_and_on_commit
from .. import bulk
from ..children import DELEGATION
from ..fields import ChildrenField
from .columns import per_language
from .dated import DatesAsKnownResource


class VisitResource(DatesAsKnownResource):
    key_description = gettext_lazy(
        "same direction, home party, partner city, start date and title"
    )
    # Visit.clean() checks both of the visit's check constraints, and its key is
    # its only unique field.
    validate_constraints = False
    validate_unique = False
    columns = {
        "direction": gettext_lazy("Direction"),
        "date_precision": gettext_lazy("Date precision"),
        "head_unrecorded": gettext_lazy("Head of delegation not recorded"),
        "head_level": gettext_lazy("Level of the head of delegation"),
        "sectors": gettext_lazy("Sectors"),
        "purpose": gettext_lazy("Purpose"),
        "programme": gettext_lazy("Programme"),
        "outcomes": gettext_lazy("Outcomes"),
        "public_summary": gettext_lazy("Public summary"),
    }
    required_columns = (
        gettext_lazy("Direction"),
        gettext_lazy("Home party"),
        gettext_lazy("Partner city"),
    )

    delegation = ChildrenField(DELEGATION, gettext_lazy("Delegation"))

    class Meta(DatesAsKnownResource.Meta):
        model = Visit
        fields = (
            "direction",
            "home_party",
            "home_party__country",
            "partner_city",
            "partner_city__country",
            "title_en",
            *per_language("title")[1:],
            "status",
            "start_date",
            "end_date",
            "start_day",
            "end_day",
            "date_precision",
            *per_language("date_note"),
            "head_unrecorded",
            "head_level",
            "delegation",
            "sectors",
            *per_language("purpose", "programme", "outcomes", "public_summary"),
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields
        widgets = {
            "home_party": {"country_column": gettext_lazy("Home party country")},
            "partner_city": {"country_column": gettext_lazy("Partner country")},
        }
        use_bulk = True
        # Everything at the end, once every row is checked.
        batch_size = None

    def import_instance(self, instance, row, **kwargs):
        # The dates (and their precision) first: the titles proposed need them.
        super().import_instance(instance, row, **kwargs)
        DELEGATION.propose_titles(instance, self)

    #: ``(cells, natural key)`` of each row, when ``existing_visits`` read them.
    read_ahead = ()

    def preload(self, dataset):
        for name in ("home_party", "partner_city"):
            column = str(self.fields[name].column_name)
            if column in dataset.headers:
                self.lookups.preload_cities(dataset[column])
        column = str(self.fields["delegation"].column_name)
        if column in dataset.headers:
            self.lookups.preload_people(
                city for bucket in self.lookups.cities.values() for city in bucket
            )
        self.existing = self.existing_visits(dataset)

    def existing_visits(self, dataset):
        """``{natural key: visit}`` of the recorded visits the rows name.

        Visits are looked for by title first: a file of new visits costs one query.
        """
        column = str(self.fields["title_en"].column_name)
        widget = self.fields["title_en"].widget
        if column in dataset.headers:
            titles = {widget.clean(title) for title in dataset[column]}
        else:
            titles = {""}
        candidates = {}
        for visits in bulk.where_in(Visit.objects.all(), "title_en", titles):
            for pk, *key in visits.order_by("pk").values_list(
                "pk",
                "home_party_id",
                "partner_city_id",
                "direction",
                "start_date",
                "title_en",
            ):
                candidates.setdefault(tuple(key), pk)
        if not candidates:
            return {}
        named = set()
        self.read_ahead = []
        for values in dataset:
            row = dict(zip(dataset.headers, values, strict=True))
            cells = self.row_cells(row)
            key = self.natural_key(row)
            # Kept for the row's turn in the loop (``before_import_row``).
            self.read_ahead.append((cells, key))
            if key in candidates:
                named.add(candidates[key])
        found = {}
        for visits in bulk.where_in(self.optimise(Visit.objects.all()), "pk", named):
            found.update((visit.pk, visit) for visit in visits)
        return {key: found[pk] for key, pk in candidates.items() if pk in found}

    def natural_key(self, row):
        """What tells visits apart, as the row gives it; ``None`` if it cannot."""
        try:
            home = self.cell("home_party", row)
            partner = self.cell("partner_city", row)
            direction = self.cell("direction", row)
            if not home or not partner or not direction:
                return None
            start = self.cell("start_date", row)
            title = self.cell("title_en", row) or ""
        except ValueError:
            # The row's own validation reports the bad cell.
            return None
        return (home.pk, partner.pk, direction, start, title)

    def before_import_row(self, row, row_number=None, **kwargs):
        """The cells and key ``existing_visits`` read ahead for this row, reused."""
        if self.read_ahead:
            cells, key = self.read_ahead[row_number - 1]
            self._cells, self._key = (row, cells), (row, key)

    def find_existing(self, row):
        key = self.row_key(row)
        return self.existing.get(key) if key is not None else None

    # Writing, once every row is checked ------------------------------------------

    def bulk_create(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        self.write(self.create_instances, True, dry_run, raise_errors, result)

    def bulk_update(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        self.write(self.update_instances, False, dry_run, raise_errors, result)

    def write(self, visits, new, dry_run, raise_errors, result):
        """Write the checked visits, unless it is a dry run or a row is invalid."""
        try:
            if visits and not (
                dry_run or result.has_errors() or result.has_validation_errors()
            ):
                self.write_visits(visits, new)
                # Their rows now name the records written.
                written = {id(visit) for visit in visits}
                for row in result.rows:
                    if id(row.instance) in written:
                        row.add_instance_info(row.instance)
        except Exception as error:  # noqa: BLE001 - reported, and all rolled back
            self.handle_import_error(result, error, raise_errors)
        finally:
            visits.clear()

    def write_visits(self, visits, new):
        """The visits, their sectors, delegations and history rows."""
        user = self.user_for_history()
        if new:
            bulk.insert(Visit, visits)
        else:
            bulk.update(Visit, visits)
        links = []
        for visit in visits:
            sectors = visit._import_m2m.get("sectors")
            if sectors is None:
                continue
            if new:
                links.extend((visit.pk, sector.pk) for sector in sectors)
            elif {s.pk for s in sectors} != {s.pk for s in visit.sectors.all()}:
                # Rare: an existing visit's sectors changed. No history row here:
                # the one below records the visit with its new sectors.
                visit.skip_history_when_saving = True
                visit.sectors.set(sectors)
                del visit.skip_history_when_saving
        bulk.insert_rows(
            Visit.sectors.through, ["visit_id", "sector_id"], links, ids=False
        )
        DELEGATION.replace(visits, self)
        history = bulk.insert_history(Visit, visits, user, update=not new)
        bulk.insert_history_m2m(Visit, history)
        invalidate_now_and_on_commit()

    def optimise(self, queryset):
        return queryset.select_related("home_party", "partner_city").prefetch_related(
            "sectors",
            Prefetch("members", DelegationMember.objects.select_related("person")),
        )
