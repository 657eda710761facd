"""``manage.py import <resource> <file>``: django-import-export's command, made safe.

It replaces import_export's command of the same name (``partnerships`` comes first
in INSTALLED_APPS): the file is read as bytes and checked like an upload, the
import is all or nothing, and every bad row is listed with its column and reason.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnerships.spreadsheets.imports import (
    describe_errors,
    import_file,
    read_file,
    read_stream,
)
from partnerships.spreadsheets.mapping import NeedsMapping
from partnerships.spreadsheets.reading import SpreadsheetError
from partnerships.spreadsheets.resources import RESOURCE_ORDER, resource_by_name


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
        parser.add_argument(
            "--mapping",
            help="A column mapping saved in the admin's import page, by its name: "
            "for a file whose column names are the office's own.",
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
            data = read_stream(sys.stdin.buffer)
        else:
            try:
                data = read_file(path)
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}") from None
            except SpreadsheetError as error:
                raise CommandError(str(error)) from None
        try:
            result = import_file(
                resource_class,
                data,
                path.name,
                user=user,
                dry_run=options["dry_run"],
                mapping=options["mapping"],
            )
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None
        if result.has_errors() or result.has_validation_errors():
            for line in describe_errors(result):
                self.stderr.write(line)
            if any(isinstance(e.error, NeedsMapping) for e in result.base_errors):
                self.stderr.write(
                    "Match the file's columns to the list's once in the admin's "
                    "import page and save the match under a name; then give that "
                    "name here with --mapping NAME."
                )
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
