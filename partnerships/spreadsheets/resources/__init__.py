"""The spreadsheet resources, one module per record, in the order a full import goes."""

from .activities import ActivityResource
from .agreements import AgreementResource
from .base import PartnershipResource
from .cities import CityResource
from .collaborations import CollaborationResource
from .institutions import InstitutionResource
from .visits import VisitResource

RESOURCE_ORDER = [
    CityResource,
    InstitutionResource,
    AgreementResource,
    VisitResource,
    CollaborationResource,
    ActivityResource,
]


def resource_by_name(name):
    """A resource class from 'visits', 'visit', 'partnerships.Visit' or its path."""
    wanted = name.strip().casefold()
    for resource in RESOURCE_ORDER:
        model = resource._meta.model
        names = {
            model.__name__.casefold(),
            model._meta.model_name,
            f"{model._meta.app_label}.{model._meta.model_name}",
            str(model._meta.verbose_name).casefold(),
            str(model._meta.verbose_name_plural).casefold(),
            resource.__name__.casefold(),
            f"{resource.__module__}.{resource.__name__}".casefold(),
        }
        if wanted in names:
            return resource
    return None


__all__ = [
    "RESOURCE_ORDER",
    "ActivityResource",
    "AgreementResource",
    "CityResource",
    "CollaborationResource",
    "InstitutionResource",
    "PartnershipResource",
    "VisitResource",
    "resource_by_name",
]
