"""``manage.py export_report --from YYYY-MM-DD --to YYYY-MM-DD --output FILE.xlsx``."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from partnerships.models import City, Sector
from partnerships.spreadsheets.reports import ReportFilter, build_report


def iso_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2023-12-31."
        ) from None


class Command(BaseCommand):
    help = "Write the officials' period report (an XLSX workbook)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="The .xlsx file to write.")
        parser.add_argument(
            "--partner",
            action="append",
            default=[],
            help="Only this partner city (its name or slug); repeat for several.",
        )
        parser.add_argument(
            "--sector",
            action="append",
            default=[],
            help="Only this sector (its code, e.g. healthcare); repeat for several.",
        )

    def handle(self, *args, **options):
        first, last = iso_date(options["first"]), iso_date(options["last"])
        if first > last:
            raise CommandError("--from is after --to.")
        if not options["output"].lower().endswith(".xlsx"):
            raise CommandError("The output file must end in .xlsx.")
        partners = []
        for name in options["partner"]:
            found = list(City.objects.filter(slug=name)) or list(
                City.objects.filter(name__iexact=name)
            )
            if len(found) != 1:
                raise CommandError(
                    f"No single city “{name}”: give its slug."
                    if found
                    else f"No city “{name}”."
                )
            partners.extend(found)
        sectors = []
        for code in options["sector"]:
            try:
                sectors.append(Sector.objects.get(code=code))
            except Sector.DoesNotExist:
                codes = ", ".join(Sector.objects.values_list("code", flat=True))
                raise CommandError(f"No sector “{code}”. Codes: {codes}.") from None
        started = time.monotonic()
        report = ReportFilter(first, last, partners=partners, sectors=sectors)
        try:
            with open(options["output"], "wb") as out:
                build_report(report, out)
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error}") from None
        self.stdout.write(
            f"Wrote {options['output']} in {time.monotonic() - started:.1f} s."
        )
