from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.public_requests import purge


class Command(BaseCommand):
    help = (
        "Erase the personal data of requests from the public received more than "
        "PARTNERSHIPS_REQUEST_RETENTION_MONTHS ago (name, organisation, e-mail, "
        "telephone, message, notes and replies); their anonymous rows stay for the "
        "counts. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count them; erase nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        count = purge(dry_run=dry_run)
        months = settings.PARTNERSHIPS_REQUEST_RETENTION_MONTHS
        verb = "to erase" if dry_run else "erased"
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} request(s) {verb}: received more than {months} months ago."
            )
        )
