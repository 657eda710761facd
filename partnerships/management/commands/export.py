"""``manage.py export <format> <resource>``: django-import-export's command, made safe.

Replaces import_export's command of the same name: CSV or XLSX only, formula-like
text neutralised, related records written by their natural keys, rows streamed so
memory stays flat however long the list is.
"""

import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError

from partnerships.spreadsheets import exports
from partnerships.spreadsheets.resources import RESOURCE_ORDER, resource_by_name


class Command(BaseCommand):
    help = "Export one of the lists as CSV or XLSX. Resources: " + ", ".join(
        r._meta.model._meta.model_name for r in RESOURCE_ORDER
    )

    def add_arguments(self, parser):
        parser.add_argument("format", help="CSV or XLSX")
        parser.add_argument("resource", help="cities, agreements, visits, ...")
        parser.add_argument("-o", "--output", help="File to write (default: stdout).")
        parser.add_argument("--encoding", help="Ignored: CSV is always UTF-8.")
        parser.add_argument(
            "--semicolon",
            action="store_true",
            help="CSV for Excel where it expects semicolons (Russian, most of Europe).",
        )

    def handle(self, *args, **options):
        kind = options["format"].lower().rsplit(".", 1)[-1]
        if kind not in ("csv", "xlsx"):
            raise CommandError("The format is CSV or XLSX.")
        resource_class = resource_by_name(options["resource"])
        if resource_class is None:
            raise CommandError(f"Unknown resource “{options['resource']}”.")
        output = options["output"]
        if kind == "csv":
            lines = exports.export_csv(
                resource_class(), delimiter=";" if options["semicolon"] else ","
            )
            if output:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    out.writelines(lines)
            else:
                for line in lines:
                    self.stdout.write(line, ending="")
            return
        if output:
            with open(output, "wb") as out:
                exports.export_xlsx(resource_class(), out)
            return
        if sys.stdout.isatty():
            raise CommandError("XLSX is binary: use --output FILE or redirect.")
        with tempfile.TemporaryFile() as out:
            exports.export_xlsx(resource_class(), out)
            out.seek(0)
            sys.stdout.buffer.write(out.read())
