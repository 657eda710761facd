"""Create or update the Clerk, Official, Publisher and Administrator groups."""

from django.core.management.base import BaseCommand

from partnerships.accounts.roles import ROLE_DESCRIPTIONS, setup_roles


class Command(BaseCommand):
    help = (
        "Create the Clerk, Official, Publisher and Administrator groups, or bring "
        "their permissions up to date. Safe to run again."
    )

    def handle(self, *args, **options):
        for role, created in setup_roles().items():
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} group {role}: {ROLE_DESCRIPTIONS[role]}")
