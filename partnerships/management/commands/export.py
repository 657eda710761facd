"""``manage.py export <format> <resource>``: django-import-export's command, made safe.

Replaces import_export's command of the same name: CSV or XLSX only, formula-like
text neutralised, related records written by their natural keys.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from partnerships.resources import RESOURCE_ORDER, resource_by_name
from partnerships.spreadsheets import SafeCSV, SafeXLSX


class Command(BaseCommand):
    help = "Export one of the lists as CSV or XLSX. Resources: " + ", ".join(
        r._meta.model._meta.model_name for r in RESOURCE_ORDER
    )

    def add_arguments(self, parser):
        parser.add_argument("format", help="CSV or XLSX")
        parser.add_argument("resource", help="cities, agreements, visits, ...")
        parser.add_argument("-o", "--output", help="File to write (default: stdout).")
        parser.add_argument("--encoding", help="Ignored: CSV is always UTF-8.")

    def handle(self, *args, **options):
        formats = {"csv": SafeCSV, "xlsx": SafeXLSX}
        file_format = formats.get(options["format"].lower().rsplit(".", 1)[-1])
        if file_format is None:
            raise CommandError("The format is CSV or XLSX.")
        resource_class = resource_by_name(options["resource"])
        if resource_class is None:
            raise CommandError(f"Unknown resource “{options['resource']}”.")
        file_format = file_format()
        dataset = resource_class().export(
            force_native_type=file_format.is_binary()
            and isinstance(file_format, SafeXLSX)
        )
        data = file_format.export_data(dataset)
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data.encode("utf-8") if isinstance(data, str) else data)
            return
        if isinstance(data, str):
            self.stdout.write(data, ending="")
            return
        if sys.stdout.isatty():
            raise CommandError("XLSX is binary: use --output FILE or redirect.")
        sys.stdout.buffer.write(data)
