"""What every resource shares: natural keys, all-or-nothing, the audit user."""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.results import RowResult

from ...models import (
    Person,
)
from ..lookups import LookupCache
from ..reading import SpreadsheetError
from ..widgets import ChoiceWidget, CityWidget, IsoDateWidget, TextWidget, YesNoWidget

EXPORT_CHUNK = 2000


@dataclass
class RowPlan:
    """A checked row of a bulk import, and what to write for it."""

    row_result: RowResult
    instance: object = None
    new: bool = False
    sectors: list | None = None


# Fields ---------------------------------------------------------------------------


def text(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=TextWidget())


def choice(attribute, column, choices):
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=ChoiceWidget(choices),
        saves_null_values=False,
    )


def date(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=IsoDateWidget())


def yes_no(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=YesNoWidget())


def city(attribute, column, country_column, region_column=None):
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=CityWidget(country_column=country_column, region_column=region_column),
    )


def shown(attribute, column, widget=None):
    """An export-only column (read back through another field, if at all)."""
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=widget or TextWidget(),
        readonly=True,
    )


class PartnershipResource(resources.ModelResource):
    """What every resource here shares: natural keys, all-or-nothing, audit user."""

    #: Columns an import file must have.
    required_columns = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.lookups = LookupCache()
        self.rows_seen = {}  # record pk -> the row that imported it
        self._import_fields = None
        for field in self.fields.values():
            field.widget.resource = self

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural).capitalize()

    # Import ---------------------------------------------------------------------

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
        """Always in one transaction, rolled back if any row is invalid."""
        if kwargs.get("user") is not None:
            self.user = kwargs["user"]
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def column_names(self):
        return [str(field.column_name) for field in self.get_import_fields()]

    def before_import(self, dataset, **kwargs):
        """Match headers to our columns (ignoring case and spaces), refuse strangers."""
        max_rows = kwargs.get("max_rows")
        if max_rows and len(dataset) > max_rows:
            raise SpreadsheetError(
                _(
                    "This file has %(rows)s rows, more than can be imported in the "
                    "browser (%(max)s). Ask an administrator to run: python "
                    "manage.py import %(what)s FILE"
                )
                % {
                    "rows": f"{len(dataset):,}",
                    "max": f"{max_rows:,}",
                    "what": self._meta.model._meta.model_name,
                }
            )
        known = self.known_headers()
        headers = []
        unknown = []
        for header in dataset.headers or []:
            clean = force_str(header or "").strip().lstrip("\ufeff")
            match = known.get(" ".join(clean.split()).casefold())
            if match is None:
                unknown.append(clean)
            headers.append(match or clean)
        if unknown:
            message = _(
                "Unknown column(s): %(unknown)s. The columns for %(what)s are: "
                "%(known)s."
            ) % {
                "unknown": ", ".join(f"“{u}”" for u in unknown),
                "what": self.get_display_name().lower(),
                "known": ", ".join(self.column_names()),
            }
            other = sheet_with_our_columns(dataset, known)
            if other:
                message = _(
                    "The first sheet does not hold %(what)s; they seem to be on "
                    "sheet “%(sheet)s”. Only the first sheet is imported: move that "
                    "sheet to the front."
                ) % {"what": self.get_display_name().lower(), "sheet": other}
            elif header_row_lower_down(dataset, known):
                message = _(
                    "The column names must be on the first row; delete the rows "
                    "above them (titles, notes) and import again."
                )
            raise SpreadsheetError(message)
        missing = [
            str(column) for column in self.required_columns if column not in headers
        ]
        if missing:
            raise SpreadsheetError(
                _("The file lacks the column(s): %(missing)s.")
                % {"missing": ", ".join(f"“{m}”" for m in missing)}
            )
        dataset.headers = headers
        self.fix_column_names()
        self.preload(dataset)

    def fix_column_names(self):
        """Column names as plain text for this import, not translated per cell."""
        for field in self.fields.values():
            if field.column_name is not None:
                field.column_name = str(field.column_name)
            for name in ("country_column", "region_column"):
                if getattr(field.widget, name, None) is not None:
                    setattr(field.widget, name, str(getattr(field.widget, name)))

    def known_headers(self):
        """Our column names in every site language, casefolded, to today's name."""
        fields_ = self.get_import_fields()
        current = [str(field.column_name) for field in fields_]
        known = {}
        for language in ["en", *(code for code, _name in settings.LANGUAGES)]:
            with translation.override(language):
                for field, name in zip(fields_, current, strict=True):
                    known.setdefault(
                        " ".join(str(field.column_name).split()).casefold(), name
                    )
        for name in current:
            known[" ".join(name.split()).casefold()] = name
        return known

    def preload(self, dataset):
        """Fetch the records the rows name in a few queries (override)."""

    #: What identifies a record of this list, for the duplicate-row message.
    key_description = ""

    def get_instance(self, instance_loader, row):
        try:
            instance = self.find_existing(row)
        except (ValueError, ValidationError):
            # The row's own validation reports the bad key.
            return None
        earlier = self.rows_seen.get(instance.pk) if instance is not None else None
        if earlier is not None:
            # Two rows naming one record would silently merge; say so instead.
            raise ValidationError(
                _(
                    "This row describes the same record as row %(row)s (%(key)s). "
                    "Merge the two rows, or tell them apart."
                )
                % {"row": earlier, "key": self.key_description}
            )
        return instance

    def find_existing(self, row):
        raise NotImplementedError

    def cell(self, field_name, row):
        """The cleaned value of one of this row's cells (``ValueError`` if bad)."""
        field = self.fields[field_name]
        if field.column_name not in row:
            return None
        return field.clean(row)

    def import_instance(self, instance, row, **kwargs):
        was_published = instance.published if hasattr(instance, "published") else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_related(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if (
            was_published is not None
            and instance.published != was_published
            and not self.may_publish()
        ):
            errors.setdefault("published", []).append(
                _(
                    "You may not publish or unpublish %(what)s; leave this "
                    "column as it is."
                )
                % {"what": self._meta.model._meta.verbose_name_plural}
            )
        if errors:
            raise ValidationError(errors)

    def import_related(self, instance, row, **kwargs):
        """Read flattened related records (override); raise ValidationError."""

    def may_publish(self):
        if self.user is None:
            # The command line is run by an administrator.
            return True
        model = self._meta.model._meta.model_name
        return self.user.has_perm(f"partnerships.publish_{model}")

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        return skip and not self.related_changed(instance)

    # Where ``import_related`` leaves the flattened related rows it read, for
    # ``save_related`` to write; ``stored_related`` reads them back the same way.
    related_attribute = None

    def wanted_related(self, instance):
        if self.related_attribute is None:
            return None
        return getattr(instance, self.related_attribute, None)

    def stored_related(self, instance):
        return []

    def related_changed(self, instance):
        """Whether the flattened related records differ from what is stored."""
        wanted = self.wanted_related(instance)
        return wanted is not None and wanted != self.stored_related(instance)

    def person_for(self, name, city):
        """The person of that name in ``city``, made if the office has none yet."""
        person = self.lookups.person(name, city)
        if person is None:
            person = self.history_user(Person(name=name, city=city))
            person.save()
            self.lookups.add_person(person)
        return person

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self.relabel(result.validation_error)
        elif result.object_id is not None:
            self.rows_seen.setdefault(result.object_id, kwargs.get("row_number"))
        return result

    def relabel(self, error):
        """The same errors keyed by column names, which is what the user sees."""
        if not hasattr(error, "error_dict"):
            return ValidationError({NON_FIELD_ERRORS: error.messages})
        columns = {name: str(field.column_name) for name, field in self.fields.items()}
        columns.update(
            {
                field.attribute: str(field.column_name)
                for field in self.fields.values()
                if field.attribute and not field.readonly
            }
        )
        model_fields = {f.name: f for f in self._meta.model._meta.get_fields()}
        relabelled = {}
        for key, messages in error.message_dict.items():
            if key == NON_FIELD_ERRORS:
                label = NON_FIELD_ERRORS
            elif key in columns:
                label = columns[key]
            elif key in model_fields and hasattr(model_fields[key], "verbose_name"):
                label = str(model_fields[key].verbose_name).capitalize()
            else:
                label = key
            relabelled.setdefault(label, []).extend(messages)
        return ValidationError(relabelled)

    #: False where the model's clean() already checks what its check constraints
    #: do (the database still enforces them): Django runs a query per constraint.
    validate_constraints = True

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        """``full_clean``, minus a query per foreign key already found by key."""
        errors = dict(import_validation_errors or {})
        found = {
            field.name
            for field in instance._meta.concrete_fields
            if field.is_relation
            and field.is_cached(instance)
            and getattr(instance, field.name) is not None
            and not getattr(instance, field.name)._state.adding
        }
        steps = [
            lambda: instance.clean_fields(exclude=set(errors) | found),
            instance.clean,
        ]
        if validate_unique:
            steps.append(lambda: instance.validate_unique(exclude=set(errors)))
        if self.validate_constraints:
            steps.append(lambda: instance.validate_constraints(exclude=set(errors)))
        for step in steps:
            try:
                step()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def user_for_history(self):
        if self.user is not None and self.user.is_authenticated:
            return self.user
        return None

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._imported_existing = not new

    def before_save_instance(self, instance, row, **kwargs):
        if self.user is not None and self.user.is_authenticated:
            instance._history_user = self.user

    def after_save_instance(self, instance, row, **kwargs):
        self.save_related(instance)

    def save_related(self, instance):
        """Write the flattened related records read by ``import_related``."""

    def history_user(self, obj):
        if self.user is not None and self.user.is_authenticated:
            obj._history_user = self.user
        return obj

    def get_import_fields(self):
        # Asked for on every row (and every cell of the preview): worked out once.
        if self._import_fields is None:
            self._import_fields = [
                f for f in super().get_import_fields() if not is_hidden(f)
            ]
        return self._import_fields

    # Export ---------------------------------------------------------------------

    def get_export_fields(self, selected_fields=None):
        fields_ = super().get_export_fields(selected_fields)
        return [f for f in fields_ if not is_hidden(f)]

    def optimise(self, queryset):
        """select_related/prefetch_related for the cells (override)."""
        return queryset

    def filter_export(self, queryset, **kwargs):
        return self.optimise(super().filter_export(queryset, **kwargs))

    def iter_queryset(self, queryset):
        """Rows in chunks, prefetches included, without paging by OFFSET."""
        if not isinstance(queryset, QuerySet):
            yield from queryset
            return
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK)

    def export_rows(self, queryset=None, **kwargs):
        """``(headers, rows)``: the export as a generator, for streaming it."""
        if queryset is None:
            queryset = self.get_queryset()
        queryset = self.filter_export(queryset, **kwargs)
        fields_ = self.get_export_fields()
        headers = [str(field.column_name) for field in fields_]
        # Resolve each column's dehydrate method once, not once per cell.
        getters = []
        for field in fields_:
            method = field.get_dehydrate_method(self.get_field_name(field))
            method = method if callable(method) else getattr(self, method, None)
            getters.append(method or partial(field.export, **kwargs))
        rows = (
            [getter(obj) for getter in getters] for obj in self.iter_queryset(queryset)
        )
        return headers, rows


def is_hidden(field):
    return getattr(field, "hidden", False)


def lookup(column, country_column):
    """A helper field that reads a city for another field; not a column itself."""
    field = fields.Field(
        column_name=column,
        widget=CityWidget(country_column=country_column),
        readonly=True,
    )
    field.hidden = True
    return field


def header_row_lower_down(dataset, known):
    """Whether one of the first rows, not the first, holds our column names."""
    for row in list(dataset)[:5]:
        names = {
            " ".join(str(v).split()).casefold() for v in row if v not in ("", None)
        }
        if len(names) >= 2 and names <= set(known):
            return True
    return False


def sheet_with_our_columns(dataset, known):
    for title, headers in getattr(dataset, "other_sheets", {}).items():
        names = {" ".join(h.split()).casefold() for h in headers if h}
        if names and names <= set(known):
            return title
    return None
