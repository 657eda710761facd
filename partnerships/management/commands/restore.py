from django.core.management.base import BaseCommand, CommandError

from partnerships.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Replace the database and media with a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by `manage.py backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation."
        )
        parser.add_argument(
            "--allow-readable",
            action="store_true",
            help="Restore a backup that other users of this machine can read.",
        )

    def handle(self, *args, folder, yes, allow_readable, **options):
        try:
            manifest = read_manifest(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not yes:
            answer = input(
                f"Replace this database and media with the backup of "
                f"{manifest['created']}? Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            restore_backup(folder, allow_readable=allow_readable)
        except BackupError as error:
            raise CommandError(str(error)) from error
        total = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {total} records and {manifest['media_files']} files "
                f"from {folder}."
            )
        )
