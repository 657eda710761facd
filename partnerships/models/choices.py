"""Choice lists shared by the models, querysets, filters and resources."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CityRole(models.TextChoices):
    HOME = "home", _("Home municipality")
    DISTRICT = "district", _("District or county of the home municipality")
    PARTNER = "partner", _("Partner city")


class AgreementKind(models.TextChoices):
    SISTER_CITY = "sister_city", _("Sister city")
    FRIENDLY_EXCHANGE = "friendly_exchange", _("Friendly-exchange city")
    MEMORANDUM = "memorandum", _("Memorandum of cooperation")


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound (home to partner)")
    INBOUND = "inbound", _("Inbound (partner to home)")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class DatePrecision(models.TextChoices):
    """How much of a date is known; it follows from what was written."""

    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")
    UNKNOWN = "unknown", _("Not known")


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")


class DelegationLevel(models.TextChoices):
    """The rank of the post a delegation's head held, as protocol counts it."""

    NOT_RECORDED = "", _("Not recorded")
    MAYOR = "mayor", _("Mayor level or above")
    VICE_MAYOR = "vice_mayor", _("Vice-mayor level")
    BELOW = "below", _("Below vice-mayor level")


# Delegations "led at vice-mayor level or above", as the period report counts them.
SENIOR_LEVELS = (DelegationLevel.MAYOR, DelegationLevel.VICE_MAYOR)


class Side(models.TextChoices):
    HOME = "home", _("Home side")
    PARTNER = "partner", _("Partner side")


class InstitutionKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    UNIVERSITY = "university", _("University")
    SCHOOL = "school", _("School")
    VOCATIONAL = "vocational", _("Vocational institute")
    ACADEMY = "academy", _("Academy")
    MEDIA = "media", _("Media outlet")
    GOVERNMENT = "government", _("Government body")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")


class CollaborationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class ActivityKind(models.TextChoices):
    TRADE_PROMOTION = "trade_promotion", _("Trade promotion event")
    EXHIBITION = "exhibition", _("Exhibition")
    TRAINING = "training", _("Expert training programme")
    ACADEMIC_EXCHANGE = "academic_exchange", _("Academic exchange")
    PERFORMANCE = "performance", _("Performance")
    MEDIA_EXCHANGE = "media_exchange", _("Media exchange")
    MEETING = "meeting", _("Meeting or talks")
    SIGNING = "signing", _("Signing ceremony")
    OTHER = "other", _("Other")


# Who can sign for the home side: the home municipality and its districts.
HOME_ROLES = (CityRole.HOME, CityRole.DISTRICT)


class RequestStatus(models.TextChoices):
    """Where a request from the public stands in the office's triage."""

    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    SPAM = "spam", _("Spam")


class RequestEventKind(models.TextChoices):
    """What happened to a request, in its log."""

    ACKNOWLEDGED = "acknowledged", _("Acknowledgement sent")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Reply sent")
    ERASED = "erased", _("Personal data erased")


class ContactLanguage(models.TextChoices):
    """The language a partner's contact reads: their e-mails and page are in it."""

    EN = "en", _("English")
    ZH_HANS = "zh-hans", _("Chinese")
    RU = "ru", _("Russian")


class ConfirmationStatus(models.TextChoices):
    """Where a request to a partner to confirm a record stands (whether it has
    expired follows from its expiry, not from this)."""

    AWAITING = "awaiting", _("Awaiting the partner's answer")
    ANSWERED = "answered", _("Answered")
    REVOKED = "revoked", _("Revoked")


class ConfirmationAnswer(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed as correct")
    CORRECTED = "corrected", _("Corrections proposed")
    NOT_OURS = "not_ours", _("Not their delegation")


class CorrectionDecision(models.TextChoices):
    """A clerk's decision on one correction a partner proposed."""

    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
