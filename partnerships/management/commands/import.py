"""``manage.py import <resource> <file>``: django-import-export's command, made safe.

It replaces import_export's command of the same name (``partnerships`` comes first
in INSTALLED_APPS): the file is read as bytes and checked like an upload, the
import is all or nothing, and every bad row is listed with its column and reason.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.management.base import BaseCommand, CommandError

from partnerships.spreadsheets.reading import SpreadsheetError, check_size, read_table
from partnerships.spreadsheets.resources import RESOURCE_ORDER, resource_by_name


def describe_errors(result):
    """One line per problem: the row (and spreadsheet line), the column, the reason."""
    lines = []
    for error in result.base_errors:
        lines.append(str(error.error))
    for number, errors in result.row_errors():
        for error in errors:
            lines.append(f"Row {number} (line {number + 1}): {error.error}")
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            for message in messages:
                if column == NON_FIELD_ERRORS:
                    lines.append(f"Row {row.number} (line {row.number + 1}): {message}")
                else:
                    lines.append(
                        f"Row {row.number} (line {row.number + 1}), "
                        f"column “{column}”: {message}"
                    )
    return lines


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8) or XLSX file into one of the lists, all or nothing. "
        "Resources: "
        + ", ".join(r._meta.model._meta.model_name for r in RESOURCE_ORDER)
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "resource", help="cities, agreements, visits, collaborations, ..."
        )
        parser.add_argument(
            "import_file_name", help="The .csv or .xlsx file ('-': standard input)."
        )
        parser.add_argument(
            "-n", "--dry-run", action="store_true", help="Check only; write nothing."
        )
        parser.add_argument(
            "--user", help="Username recorded in the audit history as the importer."
        )
        # Accepted for compatibility with import_export's command; never prompts.
        parser.add_argument("--noinput", "--no-input", action="store_false")
        parser.add_argument("--raise-errors", action="store_true")
        parser.add_argument(
            "--format", help="csv or xlsx, for standard input; else the extension."
        )
        parser.add_argument("--encoding", help="Ignored: files must be UTF-8.")

    def handle(self, *args, **options):
        resource_class = resource_by_name(options["resource"])
        if resource_class is None:
            raise CommandError(
                f"Unknown resource “{options['resource']}”. Choose one of: "
                + ", ".join(
                    str(r._meta.model._meta.verbose_name_plural) for r in RESOURCE_ORDER
                )
            )
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user “{options['user']}”.") from None
        path = Path(options["import_file_name"])
        if options["import_file_name"] == "-":
            # Standard input has no name: the format says what it is.
            path = Path("stdin." + (options["format"] or "csv").lower())
            data = sys.stdin.buffer.read(settings.PARTNERSHIPS_IMPORT_MAX_BYTES + 1)
        else:
            try:
                check_size(path.stat().st_size)
                data = path.read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            dataset = read_table(data, path.name)
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None

        resource = resource_class(user=user)
        result = resource.import_data(
            dataset, dry_run=options["dry_run"], user=user, file_name=path.name
        )
        if result.has_errors() or result.has_validation_errors():
            for line in describe_errors(result):
                self.stderr.write(line)
            bad = len(result.invalid_rows) + len(result.row_errors())
            raise CommandError(
                f"Nothing was imported: {bad} row(s) are not valid."
                if bad
                else "Nothing was imported."
            )
        totals = result.totals
        verb = (
            "Checked (dry run, nothing written)" if options["dry_run"] else "Imported"
        )
        self.stdout.write(
            f"{verb}: {totals['new']} new, {totals['update']} updated, "
            f"{totals['skip']} unchanged "
            f"{resource_class._meta.model._meta.verbose_name_plural}."
        )
