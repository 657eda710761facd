from django.core.management.base import BaseCommand, CommandError

from partnerships.backups import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format, or SQLite copy) and media."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", help="Folder to write (default: backups/<UTC time>)."
        )

    def handle(self, *args, output=None, **options):
        try:
            folder = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
