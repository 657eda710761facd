"""Visits as a spreadsheet, their delegations one member per line."""

from copy import deepcopy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import exceptions, fields
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history

from ...models import (
    DelegationMember,
    Person,
    Visit,
)
from ...models.choices import (
    DatePrecision,
    DelegationRole,
    Direction,
    VisitStatus,
)
from ...public.cache import invalidate_now_and_on_commit
from .. import bulk
from ..children import format_member, parse_member
from ..lookups import chunks, split_lines
from ..widgets import LIST_SEPARATOR, CountryWidget, SectorsWidget, TextWidget
from .base import PartnershipResource, RowPlan, choice, city, date, shown, text, yes_no


class VisitResource(PartnershipResource):
    key_description = gettext_lazy(
        "same direction, home party, partner city, start date and title"
    )
    # Visit.clean() checks both of the visit's check constraints.
    validate_constraints = False

    direction = choice("direction", gettext_lazy("Direction"), Direction)
    home_party = city(
        "home_party", gettext_lazy("Home party"), gettext_lazy("Home party country")
    )
    home_party_country = shown(
        "home_party__country", gettext_lazy("Home party country"), CountryWidget()
    )
    partner_city = city(
        "partner_city", gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )
    partner_country = shown(
        "partner_city__country", gettext_lazy("Partner country"), CountryWidget()
    )
    title = text("title", gettext_lazy("Title"))
    status = choice("status", gettext_lazy("Status"), VisitStatus)
    start_date = date("start_date", gettext_lazy("Start date"))
    end_date = date("end_date", gettext_lazy("End date"))
    date_precision = choice(
        "date_precision", gettext_lazy("Date precision"), DatePrecision
    )
    date_note = text("date_note", gettext_lazy("About the dates"))
    head_unrecorded = yes_no(
        "head_unrecorded", gettext_lazy("Head of delegation not recorded")
    )
    delegation = fields.Field(
        column_name=gettext_lazy("Delegation"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_delegation",
    )
    sectors = fields.Field(
        attribute="sectors", column_name=gettext_lazy("Sectors"), widget=SectorsWidget()
    )
    purpose = text("purpose", gettext_lazy("Purpose"))
    programme = text("programme", gettext_lazy("Programme"))
    outcomes = text("outcomes", gettext_lazy("Outcomes"))
    public_summary = text("public_summary", gettext_lazy("Public summary"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (
        gettext_lazy("Direction"),
        gettext_lazy("Home party"),
        gettext_lazy("Partner city"),
    )

    related_attribute = "_members"

    class Meta(PartnershipResource.Meta):
        model = Visit
        fields = (
            "direction",
            "home_party",
            "home_party_country",
            "partner_city",
            "partner_country",
            "title",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "date_note",
            "head_unrecorded",
            "delegation",
            "sectors",
            "purpose",
            "programme",
            "outcomes",
            "public_summary",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def dehydrate_delegation(self, visit):
        return "\n".join(format_member(m) for m in visit.members.all())

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

    def natural_key(self, row):
        """What tells visits apart, as the row gives it; ``None`` if it cannot."""
        try:
            home = self.cell("home_party", row)
            partner = self.cell("partner_city", row)
            direction = self.cell("direction", row)
            if not home or not partner or not direction:
                return None
            start = self.cell("start_date", row)
            title = self.cell("title", row) or ""
        except (ValueError, ValidationError):
            # The row's own validation reports the bad cell.
            return None
        return (home.pk, partner.pk, direction, start, title)

    def find_existing(self, row):
        key = self.natural_key(row)
        if key is None:
            return None
        home, partner, direction, start, title = key
        return (
            Visit.objects.filter(
                home_party=home,
                partner_city=partner,
                direction=direction,
                start_date=start,
                title=title,
            )
            .order_by("pk")
            .first()
        )

    # The bulk import: every row validated in Python first, then written at once.

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """All or nothing in a few queries per file: validate every row, then write.

        Same rules and the same Result as the per-row import, which cost a dozen
        queries and two history rows a visit, and wrote and rolled back a dry run.
        """
        if kwargs.get("user") is not None:
            self.user = kwargs["user"]
        keep_instances = kwargs.get("retain_instance_in_row_result", False)
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        with transaction.atomic():
            try:
                self.before_import(dataset, **kwargs)
            except Exception as error:  # noqa: BLE001 - reported as a base error
                self.handle_import_error(result, error, raise_errors)
                return result
            result.total_rows = len(dataset)
            if collect_failed_rows:
                result.add_dataset_headers(dataset.headers)
            plans = self.check_rows(dataset, result, raise_errors, collect_failed_rows)
            if dry_run or result.has_errors() or result.has_validation_errors():
                # Nothing was written, so there is nothing to roll back.
                return result
            try:
                self.write(plans)
            except Exception as error:  # noqa: BLE001 - reported, rolled back
                transaction.set_rollback(True)
                self.handle_import_error(result, error, raise_errors)
                return result
            for plan in plans:
                plan.row_result.add_instance_info(plan.instance)
                if keep_instances:
                    plan.row_result.instance = plan.instance
        return result

    def preload_existing(self, dataset):
        """The visits the rows name, with what the comparison reads, by row key."""
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        self.row_keys = [self.natural_key(row) for row in rows]
        keys = {key for key in self.row_keys if key is not None}
        first = {}
        titles = sorted({key[4] for key in keys})
        for part in chunks(titles):
            found = (
                Visit.objects.filter(title__in=part)
                .order_by("pk")
                .values_list(
                    "pk",
                    "home_party_id",
                    "partner_city_id",
                    "direction",
                    "start_date",
                    "title",
                )
            )
            for pk, *key in found:
                if tuple(key) in keys:
                    first.setdefault(tuple(key), pk)
        by_pk = {}
        for part in chunks(sorted(first.values())):
            by_pk.update(
                (visit.pk, visit)
                for visit in Visit.objects.filter(pk__in=part)
                .select_related("home_party", "partner_city")
                .prefetch_related(
                    "sectors",
                    Prefetch(
                        "members", DelegationMember.objects.select_related("person")
                    ),
                )
            )
        self.existing = {key: by_pk[pk] for key, pk in first.items()}

    def check_rows(self, dataset, result, raise_errors, collect_failed_rows):
        """Validate every row (no writes); the plans of the rows to write."""
        self.preload_existing(dataset)
        self.claimed = {}  # natural key -> the row that imports it
        self.blank = self.init_instance()
        plans = []
        shown = 0
        for number, values in enumerate(dataset, start=1):
            row = dict(zip(dataset.headers, values, strict=True))
            plan = self.check_row(row, number, diff=shown < self.preview_rows)
            row_result = plan.row_result
            result.increment_row_result_total(row_result)
            if row_result.errors:
                result.append_error_row(number, row, row_result.errors)
                if collect_failed_rows:
                    result.append_failed_row(row, row_result.errors[0])
                if raise_errors:
                    raise exceptions.ImportError(
                        row_result.errors[-1].error, number=number, row=row
                    )
            elif row_result.validation_error is not None:
                result.append_invalid_row(number, row, row_result.validation_error)
                if collect_failed_rows:
                    result.append_failed_row(row, row_result.validation_error)
                if raise_errors:
                    raise exceptions.ImportError(
                        row_result.validation_error, number=number, row=row
                    )
            else:
                shown += 1
                if not row_result.is_skip():
                    plans.append(plan)
            if not row_result.is_skip() or self._meta.report_skipped:
                result.append_row_result(row_result)
        return plans

    #: Rows of the admin preview that show their values (the rest are counted).
    @property
    def preview_rows(self):
        return settings.PARTNERSHIPS_IMPORT_PREVIEW_ROWS

    def check_row(self, row, number, diff=True):
        """One row as the per-row import checks it, in Python alone."""
        plan = RowPlan(self.get_row_result_class()())
        row_result = plan.row_result
        try:
            key = self.row_keys[number - 1]
            earlier = self.claimed.get(key) if key is not None else None
            if earlier is not None:
                # Two rows naming one record would silently merge; say so instead.
                raise ValidationError(
                    _(
                        "This row describes the same record as row %(row)s "
                        "(%(key)s). Merge the two rows, or tell them apart."
                    )
                    % {"row": earlier, "key": self.key_description}
                )
            instance = self.existing.get(key) if key is not None else None
            new = instance is None
            if new:
                instance = self.init_instance(row)
                # Only read (to compare and to show): one blank for every new row.
                original = self.blank
            else:
                original = deepcopy(instance)
                # deepcopy leaves out the prefetched sectors and members.
                original._prefetched_objects_cache = dict(
                    instance._prefetched_objects_cache
                )
            self.after_init_instance(instance, new, row)
            errors = {}
            try:
                self.import_instance(instance, row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            sectors = None
            column = self.fields["sectors"].column_name
            if column in row:
                try:
                    sectors = list(self.fields["sectors"].clean(row))
                except ValueError as error:
                    errors.setdefault("sectors", []).append(str(error))
            if self.skip_row(instance, original, row, errors):
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            else:
                self.validate_instance(instance, errors, validate_unique=False)
                row_result.import_type = (
                    RowResult.IMPORT_TYPE_NEW if new else RowResult.IMPORT_TYPE_UPDATE
                )
            if key is not None:
                self.claimed.setdefault(key, number)
            if not new:
                row_result.add_instance_info(instance)
            plan.instance, plan.new, plan.sectors = instance, new, sectors
            if diff:
                row_result.diff = self.row_diff(original, instance, new, sectors)
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = self.relabel(error)
        except Exception as error:  # noqa: BLE001 - the row's error, as import_row
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(
                self.get_error_result_class()(error, row=row, number=number)
            )
        return plan

    def row_diff(self, original, instance, new, sectors):
        """The preview's cells, as the per-row import showed them after saving."""
        diff = self.get_diff_class()(self, original, new)
        sectors_field = self.fields["sectors"]
        right = []
        for field in self.get_import_fields():
            if field is sectors_field and sectors is not None:
                ordered = sorted(sectors, key=lambda s: (s.position, s.name))
                right.append(LIST_SEPARATOR.join(s.name for s in ordered))
            else:
                right.append(field.export(instance))
        diff.right = right
        return diff.as_html()

    def write(self, plans):
        """Write the checked rows: visits, their sectors, members and history."""
        user = self.user_for_history()
        created = [plan.instance for plan in plans if plan.new]
        updated = [plan.instance for plan in plans if not plan.new]
        bulk.insert(Visit, created)
        if updated:
            names = []
            for field in Visit._meta.concrete_fields:
                if field.primary_key or getattr(field, "auto_now_add", False):
                    continue
                names.append(field.name)
                if getattr(field, "auto_now", False):
                    # bulk_update does not call pre_save, which sets updated_at.
                    for visit in updated:
                        field.pre_save(visit, add=False)
            Visit.objects.bulk_update(updated, names)
        links = []
        for plan in plans:
            if plan.sectors is None:
                continue
            if plan.new:
                links.extend((plan.instance.pk, sector.pk) for sector in plan.sectors)
            elif {s.pk for s in plan.sectors} != {
                s.pk for s in plan.instance.sectors.all()
            }:
                # Rare: an existing visit's sectors changed. No history row here:
                # the one below records the visit with its new sectors.
                plan.instance.skip_history_when_saving = True
                plan.instance.sectors.set(plan.sectors)
                del plan.instance.skip_history_when_saving
        ids = bulk.insert_rows(Visit.sectors.through, ["visit_id", "sector_id"], links)
        self.write_members([plan.instance for plan in plans])
        history = bulk.insert_history(Visit, created, user)
        history.update(bulk.insert_history(Visit, updated, user, update=True))
        new_links = {
            "sectors": [(i, *link) for i, link in zip(ids, links, strict=True)]
        }
        self.write_history_m2m(history, created, new_links)
        invalidate_now_and_on_commit()

    def write_members(self, visits):
        """The delegations that changed, their new people included, in bulk."""
        people = []
        members = []
        for visit in visits:
            wanted = self.wanted_related(visit)
            stored = self.stored_related(visit) if visit._imported_existing else []
            if wanted is None or wanted == stored:
                continue
            for member in visit.members.all() if stored else ():
                self.history_user(member).delete()
            side_city = (
                visit.partner_city
                if visit.direction == Direction.INBOUND
                else visit.home_party
            )
            for position, (role, name, title) in enumerate(wanted, start=1):
                person = None
                if name:
                    person = self.lookups.person(name, side_city)
                    if person is None:
                        person = Person(name=name, city=side_city)
                        self.lookups.add_person(person)
                        people.append(person)
                members.append((visit.pk, person, title, role, position))
        user = self.user_for_history()
        bulk.insert(Person, people)
        bulk.insert_history(Person, people, user)
        # Plain rows, not instances: a large file has several members a visit.
        attnames = ["visit_id", "person_id", "title_at_time", "role", "position"]
        rows = [
            (visit, person.pk if person else None, title, role, position)
            for visit, person, title, role, position in members
        ]
        ids = bulk.insert_rows(DelegationMember, attnames, rows)
        bulk.insert_history_rows(DelegationMember, attnames, rows, ids, user)

    def write_history_m2m(self, history, created, new_links):
        """Each history row's sectors and sources, as simple-history snapshots them.

        A new visit's links are the ones just written (``{field: [(id, visit,
        other)]}``); an updated visit's are read.
        """
        if not history:  # history switched off
            return
        new_visits = {visit.pk for visit in created}
        updated = sorted(set(history) - new_visits)
        for field in Visit.history.model._history_m2m_fields:
            through = field.remote_field.through
            source = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            links = list(new_links.get(field.name, ()))
            for part in chunks(updated):
                links.extend(
                    through.objects.filter(**{f"{source}__in": part}).values_list(
                        "pk", source, target
                    )
                )
            bulk.insert_rows(
                getattr(Visit.history.model, field.name).model,
                ["id", source, target, "history_id"],
                ((pk, visit, other, history[visit]) for pk, visit, other in links),
            )

    def stored_related(self, instance):
        if not instance.pk:
            return []
        members = instance.members.all()
        if "members" not in getattr(instance, "_prefetched_objects_cache", {}):
            members = members.select_related("person")
        return [
            (m.role, m.person.name if m.person_id else "", m.title_at_time)
            for m in members
        ]

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["delegation"].column_name)
        instance._members = None
        if column not in row:
            return
        members = []
        errors = []
        heads = 0
        for number, line in enumerate(split_lines(row[column]), start=1):
            role, name, title = parse_member(line)
            if not name and not title:
                errors.append(
                    _("Line %(n)s names neither a person nor a title.") % {"n": number}
                )
            if len(title) > 300 or len(name) > 200:
                errors.append(_("Line %(n)s is too long.") % {"n": number})
            heads += role == DelegationRole.HEAD
            members.append((role, name, title))
        if heads > 1:
            errors.append(_("A delegation has one head."))
        # As the visit form does: a head is named, or the source is said not to.
        head_column = str(self.fields["head_unrecorded"].column_name)
        if not heads and not instance.head_unrecorded:
            errors.append(
                _(
                    "This visit has no head of delegation: add a line “%(head)s: "
                    "Name — Title” in this column, or put “yes” in the column "
                    "“%(column)s” if the source does not say who led it."
                )
                % {"head": DelegationRole.HEAD.label, "column": head_column}
            )
        if heads and instance.head_unrecorded:
            errors.append(
                _(
                    "The column “%(column)s” says yes, but a head of delegation is "
                    "listed; change one of the two."
                )
                % {"column": head_column}
            )
        if errors:
            raise ValidationError({"delegation": errors})
        instance._members = members

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        stored = self.stored_related(instance) if instance._imported_existing else []
        if wanted is None or wanted == stored:
            return
        if stored:
            for member in instance.members.all():
                self.history_user(member).delete()
        side_city = (
            instance.partner_city
            if instance.direction == Direction.INBOUND
            else instance.home_party
        )
        members = []
        for position, (role, name, title) in enumerate(wanted, start=1):
            person = self.person_for(name, side_city) if name else None
            # import_related checked each line (a name or title, one head).
            members.append(
                DelegationMember(
                    visit=instance,
                    person=person,
                    title_at_time=title,
                    role=role,
                    position=position,
                )
            )
        bulk_create_with_history(
            members, DelegationMember, default_user=self.user_for_history()
        )

    def optimise(self, queryset):
        return queryset.select_related("home_party", "partner_city").prefetch_related(
            "sectors",
            Prefetch("members", DelegationMember.objects.select_related("person")),
        )
