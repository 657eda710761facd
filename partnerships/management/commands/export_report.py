"""``manage.py export_report --from YYYY-MM-DD --to YYYY-MM-DD --output FILE.xlsx``
(or ``--format pdf --output FILE.pdf``, through LibreOffice)."""

import datetime
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnerships.models import City, Sector
from partnerships.spreadsheets import pdf
from partnerships.spreadsheets.reports import ReportFilter, build_report


def iso_date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2023-12-31."
        ) from None


class Command(BaseCommand):
    help = "Write the officials' period report (an XLSX workbook, or its PDF)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--output", required=True, help="The file to write (.xlsx, or .pdf)."
        )
        parser.add_argument(
            "--format",
            choices=("xlsx", "pdf"),
            default="xlsx",
            help="xlsx (the default), or pdf: the same workbook through LibreOffice.",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="The report's language (default: %(default)s).",
        )
        parser.add_argument(
            "--user",
            help="The user the cover names as its maker (their name or username).",
        )
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
        kind = options["format"]
        if not options["output"].lower().endswith(f".{kind}"):
            raise CommandError(f"The output file must end in .{kind}.")
        if kind == "pdf" and pdf.soffice() is None:
            raise CommandError(
                "LibreOffice (soffice) is not installed, so no PDF: install it "
                "(apt-get install libreoffice-calc-nogui) or name its program in "
                "PARTNERSHIPS_SOFFICE."
            )
        report = ReportFilter(
            first,
            last,
            partners=self.partners(options["partner"]),
            sectors=self.sectors(options["sector"]),
            language=options["language"],
            made_by=self.maker(options["user"]),
        )
        started = time.monotonic()
        try:
            if kind == "pdf":
                data = pdf.xlsx_to_pdf(build_report(report).getvalue())
                with open(options["output"], "wb") as out:
                    out.write(data)
            else:
                with open(options["output"], "wb") as out:
                    build_report(report, out)
        except pdf.ConversionFailed as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error}") from None
        self.stdout.write(
            f"Wrote {options['output']} in {time.monotonic() - started:.1f} s."
        )

    def partners(self, names):
        partners = []
        for name in names:
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
        return partners

    def sectors(self, codes):
        sectors = []
        for code in codes:
            try:
                sectors.append(Sector.objects.get(code=code))
            except Sector.DoesNotExist:
                known = ", ".join(Sector.objects.values_list("code", flat=True))
                raise CommandError(f"No sector “{code}”. Codes: {known}.") from None
        return sectors

    def maker(self, username):
        if not username:
            return ""
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user “{username}”.") from None
        return user.get_full_name() or user.get_username()
