"""``manage.py import_partnerships [PATH]``: the EU sister-city registry.

The work is ``partnerships.spreadsheets.registry``; this parses the arguments,
shows the progress bar and prints the summary.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnerships.models import Agreement, City
from partnerships.publication import can_publish
from partnerships.spreadsheets import registry


class Progress:
    """A one-line progress bar on stderr (only when it is a terminal, or forced)."""

    def __init__(self, stream, total, label, enabled):
        self.stream, self.total, self.label = stream, max(total, 1), label
        self.enabled = enabled
        self.last = -1

    def update(self, done):
        percent = done * 100 // self.total
        if not self.enabled or percent == self.last:
            return
        self.last = percent
        bar = "#" * (percent // 4) + "." * (25 - percent // 4)
        self.stream.write(
            f"\r{self.label:<22} [{bar}] {percent:3d}% {done:,}/{self.total:,}",
            ending="",
        )
        self.stream.flush()

    def done(self):
        if self.enabled:
            self.update(self.total)
            self.stream.write("")


def summary_lines(plan, stats, dry_run):
    """The report the command prints, line by line."""
    lines = []
    out = lines.append
    out(("Dry run, nothing written. " if dry_run else "") + "Summary:")
    out(f"  rows read                       {plan['rows']:>7,}")
    out(f"  rows repeated outright          {plan['repeated']:>7,}")
    out(f"  pairs listed from both sides    {plan['both_sides']:>7,}")
    out(f"  rows pairing a city with itself {plan['self_pairs']:>7,}")
    out(f"  rows set aside (country unknown){len(plan['skipped_rows']):>7,}")
    out(f"  distinct partnerships           {len(plan['pairs']):>7,}")
    out(f"  distinct cities                 {len(plan['places']):>7,}")
    out(f"    of which namesakes told apart {plan['namesakes']:>7,}")
    out(f"  cities created                  {stats['cities_new']:>7,}")
    out(f"    without a population          {stats['no_population']:>7,}")
    out(f"  cities already recorded         {stats['cities_existing']:>7,}")
    out(f"  agreements created              {stats['agreements_new']:>7,}")
    out(f"  agreements already recorded     {stats['agreements_existing']:>7,}")
    out(f"  time                            {stats['seconds']:>7.1f} s")
    for warning in plan["warnings"]:
        out(f"  population not a whole number: {warning}")
    for number, name, label in plan["unresolved"]:
        out(f"  set aside: line {number}: {name} (country “{label}” unknown)")
    return lines


class Command(BaseCommand):
    help = "Import the EU sister-city registry TSV as cities and agreements."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=None,
            help="The TSV (default: data/eu-sister-cities.tsv, the copy in the repo).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the file if any row's country cannot be told.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Mark new cities and agreements as published (default: not).",
        )
        parser.add_argument("--user", help="Username recorded in the audit history.")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show the progress bar even when stderr is not a terminal.",
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user “{options['user']}”.") from None
        if (
            options["publish"]
            and user is not None
            and not all(can_publish(user, model) for model in (City, Agreement))
        ):
            # The Publisher decides what is public, from the command line too.
            raise CommandError(
                f"“{user}” may not publish cities and agreements: leave out "
                "--publish (a Publisher publishes them in the admin), or name a "
                "Publisher with --user."
            )
        shown = options["progress"] or sys.stderr.isatty()

        def progress(total, label):
            return Progress(self.stderr, total, label, shown)

        try:
            plan, stats = registry.import_registry(
                Path(options["path"] or registry.REGISTRY_FILE),
                strict=options["strict"],
                publish=options["publish"],
                user=user,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except registry.RegistryError as error:
            raise CommandError(str(error)) from None
        for line in summary_lines(plan, stats, options["dry_run"]):
            self.stdout.write(line)
