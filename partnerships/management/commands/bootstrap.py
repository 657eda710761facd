"""Prepare a new installation: seed data and a first administrator."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from partnerships.models import City, SiteSettings


class Command(BaseCommand):
    help = (
        "Load the seed data if the database holds no records yet, the office's "
        "site settings if none are saved, and create an administrator (password "
        "printed once) if there is none. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username", default="admin", help="Name of the first administrator."
        )
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="Where the site will be served, for the sign-in address printed.",
        )

    def handle(self, *args, username, address, **options):
        with transaction.atomic():
            if City.objects.exists():
                self.stdout.write("Records found; the seed data is not loaded again.")
            else:
                call_command("loaddata", "seed", verbosity=0)
                self.stdout.write(self.style.SUCCESS("Loaded the seed data."))
            if not SiteSettings.objects.exists():
                # The office's names as the source article signs; nothing more.
                call_command("loaddata", "site_settings", verbosity=0)
                self.stdout.write(
                    self.style.SUCCESS(
                        "Saved the office's site settings (its name); add its "
                        "address and contacts in the admin."
                    )
                )
        call_command("setup_roles", verbosity=0, stdout=self.stdout)
        self.ensure_administrator(username, address)

    def ensure_administrator(self, username, address):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        line = "=" * 64
        self.stdout.write(
            self.style.WARNING(
                f"\n{line}\nCreated the administrator account.\n"
                f"  user:     {username}\n  password: {password}\n"
                "This password is shown only once: note it now, and change it "
                f"after you sign in at http://{address}/admin/\n{line}\n"
            )
        )
