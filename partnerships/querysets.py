"""The rules of what is public, active and upcoming, as QuerySet methods.

Public views query through ``published()``: a record is public only when it and
every record it hangs from are published, so unpublishing a city hides its
agreements, visits and collaborations without touching them.
"""

from django.db import models
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import (
    AgreementStatus,
    CityRole,
    CollaborationStatus,
    Direction,
    VisitStatus,
)

HOME_ROLES = (CityRole.HOME, CityRole.DISTRICT)


class CityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def home_municipality(self):
        return self.filter(role=CityRole.HOME)

    def home_parties(self):
        """The home municipality and its districts: who can sign for the home side."""
        return self.filter(role__in=HOME_ROLES)

    def partners(self):
        return self.filter(role=CityRole.PARTNER)

    def partners_of_home(self):
        """Partner cities with a published agreement signed by a home party."""
        from .models import Agreement

        agreements = Agreement.objects.published().filter(
            partner=OuterRef("pk"), home_party__role__in=HOME_ROLES
        )
        return self.published().partners().filter(models.Exists(agreements))


class AgreementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            published=True, home_party__published=True, partner__published=True
        )

    def active(self):
        return self.filter(status=AgreementStatus.ACTIVE)

    def of_home(self):
        return self.filter(home_party__role__in=HOME_ROLES)

    def involving(self, city):
        return self.filter(Q(home_party=city) | Q(partner=city))

    def with_last_contact(self, published_only=False):
        """Annotate ``last_contact``: the latest day of a completed, dated visit."""
        from .models import Visit

        visits = Visit.objects.contacts()
        if published_only:
            visits = visits.published()
        latest = (
            visits.filter(partner_city=OuterRef("partner"))
            .order_by()
            .values("partner_city")
            .annotate(latest=Max("contact_date"))
            .values("latest")
        )
        return self.annotate(last_contact=Subquery(latest))


class VisitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            published=True, partner_city__published=True, home_party__published=True
        )

    def inbound(self):
        return self.filter(direction=Direction.INBOUND)

    def outbound(self):
        return self.filter(direction=Direction.OUTBOUND)

    def upcoming(self, today=None):
        """Planned visits starting today or later; undated plans are not upcoming."""
        today = today or timezone.localdate()
        return self.filter(status=VisitStatus.PLANNED, start_date__gte=today)

    def completed(self):
        return self.filter(status=VisitStatus.COMPLETED)

    def dated(self):
        return self.filter(start_date__isnull=False)

    def undated(self):
        return self.filter(start_date__isnull=True)

    def in_period(self, first, last):
        """Dated visits overlapping ``first``..``last`` (both inclusive)."""
        return self.filter(start_date__lte=last).filter(
            Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first)
        )

    def contacts(self):
        """Completed, dated visits annotated with ``contact_date`` (their last day)."""
        return (
            self.completed()
            .dated()
            .annotate(contact_date=Coalesce("end_date", "start_date"))
        )


class InstitutionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, city__published=True)


class CollaborationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            published=True,
            agreement__published=True,
            agreement__home_party__published=True,
            agreement__partner__published=True,
        )

    def active(self):
        return self.filter(status=CollaborationStatus.ACTIVE)


class ParticipantQuerySet(models.QuerySet):
    def published(self):
        """Participants a public page may name: unnamed or published institutions."""
        return self.filter(
            Q(institution__isnull=True)
            | Q(institution__published=True, institution__city__published=True)
        )


class ActivityQuerySet(models.QuerySet):
    def published(self):
        from .models import Collaboration, Visit

        return (
            self.filter(published=True)
            .filter(
                Q(collaboration__isnull=True)
                | Q(collaboration__in=Collaboration.objects.published())
            )
            .filter(Q(visit__isnull=True) | Q(visit__in=Visit.objects.published()))
        )
