"""What every resource shares when it imports: natural keys, all or nothing.

Each resource imports through django-import-export's own loop (``import_data`` →
``import_row``), always in one transaction that is rolled back when any row is
invalid, through the library's public hooks: each cell read once, a record found
by its natural key, two rows naming one record refused, the record checked as
its model checks it, its children and many-to-many written after it, the audit
history's user set. The columns are ``columns.py``'s; the preview's cells
``diffs.py``'s.
"""

import copy

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export.results import RowResult
from modeltranslation.fields import TranslationField

from ...models import translated_fields
from .. import mapping
from ..example_rows import is_example_row
from ..lookups import LookupCache
from ..reading import SpreadsheetError
from ..results import SheetResult, sheet_row
from ..widgets import ChoiceWidget, IsoDateWidget, YesNoWidget
from .cells import (
    CHILDREN,
    MANY,
    collector_paused,
    column_kind,
    original_of,
    read_cell,
)
from .columns import ColumnsResource
from .diffs import PreviewDiff
from .review import ReviewedImportMixin, hold_for_review


class NamedWhenAskedRowResult(RowResult):
    """A row's result that writes its record's name only when it is read.

    django-import-export names the record of every row (``str(instance)``,
    twice per row) whether or not anything reads it; a visit's name is composed
    from its cities and dates, a tenth of a long import's time. Read (the
    admin's log entries, the preview), it names the record as it is then.
    """

    def add_instance_info(self, instance):
        if instance is not None:
            self.object_id = getattr(instance, "pk", None)
            self.__dict__["_named"] = instance

    @property
    def object_repr(self):
        named = self.__dict__.get("_named")
        if named is not None:
            return force_str(named)
        return self.__dict__.get("_object_repr")

    @object_repr.setter
    def object_repr(self, value):
        self.__dict__["_named"] = None
        self.__dict__["_object_repr"] = value


class PartnershipResource(ReviewedImportMixin, ColumnsResource):
    """What every resource here shares: natural keys, all-or-nothing, audit user."""

    #: What identifies a record of this list, for the duplicate-row message.
    key_description = ""
    #: False where the model's clean() already checks what its check constraints
    #: do (the database still enforces them): Django runs a query per constraint.
    validate_constraints = True
    #: False where the model has no unique field but its key: Django would query
    #: for each saved record.
    validate_unique = True

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        # The diff and the comparison of unchanged rows are this resource's own
        # (``after_init_instance``, ``skip_row``, ``after_import_row``): the
        # library would deep-copy every row's record.
        skip_diff = True
        # Each row's result keeps its record: the preview and the admin's log.
        store_instance = True

    #: Each data row's row in the sheet (``layout.make_dataset``), for messages.
    sheet_rows = None

    def get_row_result_class(self):
        return NamedWhenAskedRowResult

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.lookups = LookupCache()
        self.rows_seen = {}  # record pk -> the row that imported it
        self.claimed = {}  # natural key of a new record -> the row that adds it
        self.previewed = 0
        self._import_columns = None
        self._cells = (None, None)
        self._key = (None, None)
        self._row = None
        model = self._meta.model
        self.text_defaults = {
            field.attname: field.get_default()
            for field in model._meta.concrete_fields
            if isinstance(field, TranslationField)
        }
        # A translated field's own column (``title``) shows one of its languages'
        # columns, which are checked themselves; it has nothing of its own to
        # check unless it is required.
        self.shown_texts = {
            name
            for name in translated_fields(model)
            if model._meta.get_field(name).blank
        }
        # Fields whose widget reads only valid values (dates, yes/no, choices):
        # the model's own check of them again is a tenth of the import's time.
        self.checked_by_widgets = {
            field.attribute
            for field in self.fields.values()
            if isinstance(field.widget, (IsoDateWidget, YesNoWidget, ChoiceWidget))
            and field.attribute
            and "__" not in field.attribute
        }
        self.blank = model(**self.text_defaults)
        self.relations = [
            field
            for field in self._meta.model._meta.concrete_fields
            if field.is_relation
        ]
        for field in self.fields.values():
            field.widget.resource = self

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
        with collector_paused():
            result = super().import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=raise_errors,
                use_transactions=True,
                collect_failed_rows=collect_failed_rows,
                rollback_on_validation_errors=True,
                **kwargs,
            )
        result.place_rows(dataset)
        return result

    def get_result_class(self):
        return SheetResult

    def before_import(self, dataset, **kwargs):
        """Refuse a file too long for the browser or with columns not ours; read
        up front what the rows will look up."""
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
        if kwargs.get("mapping") is not None:
            mapping.apply(dataset, self, kwargs["mapping"])
        self.match_headers(dataset)
        self.sheet_rows = getattr(dataset, "row_numbers", None)
        self.preload(dataset)

    def preload(self, dataset):
        """Fetch the records the rows name in a few queries (override)."""

    def cell(self, field_name, row):
        """The cleaned value of one of this row's cells (``ValueError`` if bad).

        Each cell is read once for its row, whoever asks: the natural key, the
        widgets that read other columns, and the record's own fields.
        """
        cells = self.row_cells(row)
        if field_name not in cells:
            field = self.fields[field_name]
            cells[field_name] = (
                read_cell(field, row) if field.column_name in row else None
            )
        value = cells[field_name]
        if isinstance(value, ValueError):
            raise value
        return value

    def row_cells(self, row):
        """The cells of ``row`` read so far, by field name (see ``cell``)."""
        memo, cells = self._cells
        if memo is not row:
            cells = {}
            self._cells = (row, cells)
        return cells

    def import_columns(self):
        """``[(name, field, kind)]`` of the columns an import reads, worked out
        once: ``CHILDREN``, ``MANY`` (many-to-many), ``VALUE``, or ``None`` for a
        column the record does not take (read-only)."""
        if self._import_columns is None:
            names = {field: name for name, field in self.fields.items()}
            self._import_columns = [
                (names[field], field, column_kind(field))
                for field in self.get_import_fields()
            ]
        return self._import_columns

    def natural_key(self, row):
        """What tells a new record of this list from another, or ``None``.

        Only new records are told apart this way; saved ones by their key.
        """
        return None

    def row_key(self, row):
        """``natural_key`` of the row, worked out once."""
        if self._key[0] is not row:
            self._key = (row, self.natural_key(row))
        return self._key[1]

    def get_instance(self, instance_loader, row):
        self._row = None
        try:
            instance = self.find_existing(row)
            key = self.row_key(row) if instance is None else None
        except (ValueError, ValidationError):
            # The row's own validation reports the bad key.
            return None
        if instance is not None:
            earlier = self.rows_seen.get(instance.pk)
        else:
            earlier = self.claimed.get(key) if key is not None else None
        if earlier is not None:
            # Two rows naming one record would silently merge; say so instead.
            raise ValidationError(
                _(
                    "This row describes the same record as row %(row)s (%(key)s). "
                    "Merge the two rows, or tell them apart."
                )
                % {
                    "row": sheet_row(self.sheet_rows, earlier),
                    "key": self.key_description,
                }
            )
        self._row = key
        return instance

    def find_existing(self, row):
        raise NotImplementedError

    def init_instance(self, row=None):
        # A copy of the blank record, not a new one: modeltranslation's
        # constructor rewrites every keyword and works out each language's
        # default under that language; it took a second in ten thousand rows.
        # A shallow copy will do: no record has a mutable default.
        return copy.copy(self.blank)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_existing = not new
        instance._import_children = {}
        instance._import_m2m = {}
        instance._import_stored = {}  # children as recorded, read once
        # What the record was, for the preview and to tell an unchanged row: the
        # blank record for a new one (only read).
        instance._import_original = self.blank if new else original_of(instance)

    def import_instance(self, instance, row, **kwargs):
        """The row's cells into the record; its children and many-to-many aside.

        As django-import-export's own, but each cell read once (``cell``), and
        the children read for ``save_children``.
        """
        was_published = instance.published if hasattr(instance, "published") else None
        errors = {}
        cells = self.row_cells(row)
        for name, field, kind in self.import_columns():
            column = field.column_name
            if kind is None or column not in row:
                continue
            if kind is CHILDREN:
                try:
                    wanted = field.children.parse(row[column], instance, self)
                except ValidationError as error:
                    errors[name] = error.messages
                else:
                    instance._import_children[field.children.related_name] = wanted
                continue
            value = cells[name] if name in cells else read_cell(field, row)
            cells[name] = value
            if isinstance(value, ValueError):
                errors[field.attribute] = [
                    ValidationError(force_str(value), code="invalid")
                ]
            elif kind is MANY:
                instance._import_m2m[name] = list(value)
            elif value is not None or field.saves_null_values:
                setattr(instance, field.attribute, value)
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

    def may_publish(self):
        if self.user is None:
            # The command line is run by an administrator.
            return True
        model = self._meta.model._meta.model_name
        return self.user.has_perm(f"partnerships.publish_{model}")

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Whether the row would change nothing recorded."""
        if import_validation_errors:
            return False
        # What a live record's row changes of its public content waits for
        # review: the row is compared, and written, without it.
        hold_for_review(self, instance)
        original = instance._import_original
        for name, field, kind in self.import_columns():
            if kind is CHILDREN:
                wanted = instance._import_children.get(field.children.related_name)
                if wanted is not None and wanted != field.children.recorded(instance):
                    return False
            elif kind is MANY:
                if name not in instance._import_m2m:
                    continue
                wanted = sorted(record.pk for record in instance._import_m2m[name])
                stored = (
                    sorted(record.pk for record in field.get_value(instance).all())
                    if instance.pk
                    else []
                )
                if wanted != stored:
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        """``full_clean``, minus a query per foreign key already found by key."""
        errors = dict(import_validation_errors or {})
        found = set()
        for field in self.relations:
            related = field.get_cached_value(instance, None)
            if related is not None and not related._state.adding:
                found.add(field.name)
        steps = [
            lambda: instance.clean_fields(
                exclude=set(errors) | found | self.shown_texts | self.checked_by_widgets
            ),
            instance.clean,
        ]
        if validate_unique and self.validate_unique:
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

    def before_save_instance(self, instance, row, **kwargs):
        self.history_user(instance)

    def save_m2m(self, instance, row, **kwargs):
        """The many-to-many values the row gave, as read once."""
        if self._meta.use_bulk:
            return
        for name, values in instance._import_m2m.items():
            getattr(instance, self.fields[name].attribute).set(values)

    def after_save_instance(self, instance, row, **kwargs):
        if not self._meta.use_bulk:
            self.save_children([instance])

    def save_children(self, records):
        """Write the children the rows gave the (saved) records, where they changed."""
        for _name, field, kind in self.import_columns():
            if kind is CHILDREN:
                field.children.replace(records, self)

    def import_row(self, row, instance_loader, **kwargs):
        if is_example_row(row):
            # A template's example: a result of no kind, counted nowhere.
            return self.get_row_result_class()()
        result = super().import_row(row, instance_loader, **kwargs)
        number = kwargs.get("row_number")
        if result.validation_error is not None:
            result.validation_error = self.relabel(result.validation_error)
        elif not result.errors:
            if result.object_id is not None:
                self.rows_seen.setdefault(result.object_id, number)
            elif self._row is not None:
                self.claimed.setdefault(self._row, number)
        return result

    def after_import_row(self, row, row_result, **kwargs):
        instance = row_result.instance
        if (
            instance is None
            or row_result.validation_error is not None
            or row_result.errors
            or self.previewed >= settings.PARTNERSHIPS_IMPORT_PREVIEW_ROWS
        ):
            return
        # The first rows' values for the preview (the rest are counted).
        self.previewed += 1
        row_result.sheet_row = sheet_row(self.sheet_rows, kwargs["row_number"])
        diff = self.get_diff_class()(self, instance, not instance._import_existing)
        diff.compare_with(self, instance)
        row_result.diff = diff.as_html()

    def get_diff_class(self):
        return PreviewDiff

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

    def user_for_history(self):
        if self.user is not None and self.user.is_authenticated:
            return self.user
        return None

    def history_user(self, obj):
        if self.user is not None and self.user.is_authenticated:
            obj._history_user = self.user
        return obj
