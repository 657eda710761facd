"""The office's records, one module per family of records.

``from partnerships.models import City`` keeps working: every model is imported here.
"""

from .activities import Activity
from .agreements import Agreement, AgreementStatusChange, Signatory
from .base import (
    LANGUAGE_CODES,
    TRANSLATED_INTO,
    Named,
    Publishable,
    Recorded,
    in_reader_language,
    localized_fields,
    localized_paths,
    missing_translation,
    named,
    reading_order,
    text_of,
    translated_fields,
)
from .calendar_feeds import CalendarFeed
from .cities import City
from .collaborations import Collaboration, CollaborationParticipant, FocusArea
from .confirmations import ConfirmationRequest, PartnerContact
from .drafts import Draft, DraftStatus
from .institutions import Institution, InstitutionAlias
from .mappings import ColumnMapping
from .merges import Merge
from .people import Person, PersonAlias, Position, describe_person
from .public_requests import PublicRequest, RequestEvent
from .reminders import SentReminder
from .role_changes import RoleChange
from .search import fold
from .sectors import Sector
from .site import SiteSettings
from .sources import Source
from .visits import DelegationMember, Visit

# The records a Publisher puts on the public site, in the order lists show them.
PUBLISHABLE_MODELS = (City, Agreement, Visit, Institution, Collaboration, Activity)

__all__ = [
    "LANGUAGE_CODES",
    "TRANSLATED_INTO",
    "PUBLISHABLE_MODELS",
    "Activity",
    "Agreement",
    "AgreementStatusChange",
    "CalendarFeed",
    "City",
    "Collaboration",
    "CollaborationParticipant",
    "ConfirmationRequest",
    "DelegationMember",
    "FocusArea",
    "Institution",
    "InstitutionAlias",
    "Named",
    "PartnerContact",
    "Draft",
    "DraftStatus",
    "ColumnMapping",
    "Merge",
    "Person",
    "PersonAlias",
    "Position",
    "Publishable",
    "PublicRequest",
    "Recorded",
    "RequestEvent",
    "RoleChange",
    "SentReminder",
    "Sector",
    "Signatory",
    "SiteSettings",
    "Source",
    "Visit",
    "describe_person",
    "fold",
    "in_reader_language",
    "localized_fields",
    "localized_paths",
    "missing_translation",
    "named",
    "reading_order",
    "text_of",
    "translated_fields",
]
