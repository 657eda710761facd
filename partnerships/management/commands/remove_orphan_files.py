from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.uploads_cleanup import orphans


class Command(BaseCommand):
    help = (
        "Remove uploaded photos and documents that no record, history row or "
        "pending draft points to, once older than PARTNERSHIPS_ORPHAN_FILE_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List them; remove nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        found = orphans()
        for path, name in found:
            if not dry_run:
                path.unlink(missing_ok=True)
            self.stdout.write(("would remove " if dry_run else "removed ") + name)
        days = settings.PARTNERSHIPS_ORPHAN_FILE_DAYS
        verb = "to remove" if dry_run else "removed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(found)} file(s) {verb}: nothing points to them and they "
                f"are older than {days} days."
            )
        )
