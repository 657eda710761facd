"""``manage.py export_template <resource> -o FILE.xlsx [--language zh-hans]``: a
list's import template, as the admin's import page gives it."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from partnerships.spreadsheets.resources import RESOURCE_ORDER, resource_by_name
from partnerships.spreadsheets.templates import write_template


class Command(BaseCommand):
    help = (
        "Write the import template (XLSX) of one of the lists. Resources: "
        + ", ".join(r._meta.model._meta.model_name for r in RESOURCE_ORDER)
    )

    def add_arguments(self, parser):
        parser.add_argument("resource", help="cities, agreements, visits, ...")
        parser.add_argument("-o", "--output", help="File to write (default: stdout).")
        parser.add_argument(
            "--language",
            default="en",
            help="Language of the column names and lists: "
            + ", ".join(code for code, _name in settings.LANGUAGES),
        )

    def handle(self, *args, **options):
        resource_class = resource_by_name(options["resource"])
        if resource_class is None:
            raise CommandError(f"Unknown resource “{options['resource']}”.")
        language = options["language"]
        if language not in dict(settings.LANGUAGES):
            raise CommandError(f"Unknown language “{language}”.")
        output = options["output"]
        if not output and sys.stdout.isatty():
            raise CommandError("XLSX is binary: use --output FILE or redirect.")
        with translation.override(language):
            data = write_template(resource_class)
        if output:
            with open(output, "wb") as out:
                out.write(data)
        else:
            sys.stdout.buffer.write(data)
