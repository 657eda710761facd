"""The example row of an import template: what it holds, and how an import knows it.

The row's first cell starts with ``SIGN`` and the marker text; an import passes
by any row whose first cell starts with the sign, or with the marker in any site
language, so a template saved in one language imports in another, and a later
translation of the marker does not make old templates' examples real rows.
"""

from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Choices, When
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country

from ..models import Agreement, City, Collaboration, Institution, Sector
from ..models.choices import (
    ActivityKind,
    AgreementKind,
    AgreementStatus,
    CityRole,
    CollaborationStatus,
    DelegationRole,
    Direction,
    InstitutionKind,
    Side,
    VisitStatus,
)
from .lookups import site_languages

HEALTHCARE = "healthcare"
# No record's name or title starts with it; it says "example" in no language.
SIGN = "▶"
MARKER = gettext_lazy("Example row, ignored on import:")


@cache
def markers():
    """What starts an example row's first cell: the sign, and the marker in every
    site language, casefolded."""
    found = {SIGN}
    for language in site_languages():
        with translation.override(language):
            found.add(str(MARKER).casefold())
    return tuple(found)


def is_example_row(row):
    """Whether ``row`` (a file's row, column name to cell) is a template's example."""
    first = next(iter(row.values()), None)
    return isinstance(first, str) and first.casefold().startswith(markers())


def marked(value):
    """The example row's first cell: the sign, the marker, then its value."""
    return f"{SIGN} {MARKER} {value}".rstrip()


class Context:
    """The records the example names, read once: the home municipality, a partner
    it has an agreement with, a collaboration under it, sectors."""

    def __init__(self):
        self.agreement = (
            Agreement.objects.filter(home_party__role=CityRole.HOME)
            .select_related("home_party", "partner")
            .order_by("pk")
            .first()
        )
        if self.agreement is not None:
            self.home, self.partner = self.agreement.home_party, self.agreement.partner
        else:
            cities = City.objects.order_by("pk")
            self.home = cities.filter(role=CityRole.HOME).first()
            self.partner = cities.filter(role=CityRole.PARTNER).first()
        self.sectors = list(Sector.objects.all())
        # The samples are of healthcare: a nurses' exchange, their training.
        self.sector = next(
            (s for s in self.sectors if s.code == HEALTHCARE),
            self.sectors[0] if self.sectors else None,
        )
        self.collaboration = (
            Collaboration.objects.filter(agreement=self.agreement)
            .order_by(Case(When(sector=self.sector, then=0), default=1), "pk")
            .first()
            if self.agreement
            else None
        )
        self.institutions = {
            side: Institution.objects.filter(city=city).order_by("pk").first()
            for side, city in ((Side.HOME, self.home), (Side.PARTNER, self.partner))
            if city is not None
        }


# Texts of the sample records. Not gettext: each fills the column of its own
# language ("Title (Chinese)"); a cell of one language only (a delegation's
# titles) takes the reader's.
MAYOR = {"en": "Mayor", "zh-hans": "市长", "ru": "Мэр"}
DEPUTY_MAYOR = {"en": "Deputy Mayor", "zh-hans": "副市长", "ru": "Заместитель мэра"}


def in_language(texts, language=None):
    return texts.get(language or translation.get_language(), texts["en"])


def city_name(which, fallback):
    def value(context):
        city = getattr(context, which)
        return city.name if city is not None else fallback

    return value


def city_country(which, fallback):
    def value(context):
        city = getattr(context, which)
        return (city.country if city is not None else Country(fallback)).name

    return value


HOME = city_name("home", "Chongqing")
HOME_COUNTRY = city_country("home", "CN")
PARTNER = city_name("partner", "Voronezh")
PARTNER_COUNTRY = city_country("partner", "RU")


def sectors(context):
    return "; ".join(sector.name for sector in context.sectors[:2])


def sector(context):
    return context.sector.name if context.sector else ""


def delegation(context):
    return "\n".join(
        [
            f"{DelegationRole.HEAD.label}: {in_language(MAYOR)}",
            f"{DelegationRole.MEMBER.label}: {in_language(DEPUTY_MAYOR)}",
        ]
    )


def signatories(context):
    return "\n".join(
        f"{side.label}: {in_language(MAYOR)}" for side in (Side.HOME, Side.PARTNER)
    )


def participants(context):
    return "\n".join(
        f"{side.label}: {institution.name}"
        for side, institution in context.institutions.items()
        if institution is not None
    )


def agreement_kind(context):
    agreement = context.agreement
    return agreement.get_kind_display() if agreement else AgreementKind.SISTER_CITY


def collaboration(context):
    return context.collaboration.title if context.collaboration else ""


VORONEZH = {"en": "Voronezh", "zh-hans": "沃罗涅日", "ru": "Воронеж"}
UNIVERSITY = {
    "en": "Voronezh State University",
    "zh-hans": "沃罗涅日国立大学",
    "ru": "Воронежский государственный университет",
}

#: The sample record of each list, by resource field (or translated text) name.
SAMPLES = {
    "city": {
        "name": VORONEZH,
        "name_local": VORONEZH["ru"],
        "country": Country("RU"),
        "region": {
            "en": "Voronezh Oblast",
            "zh-hans": "沃罗涅日州",
            "ru": "Воронежская область",
        },
        "role": CityRole.PARTNER,
        "founded_year": 1586,
        "description": {
            "en": "One of the earliest centres of Slavic culture.",
            "zh-hans": "斯拉夫文化最早的中心之一。",
            "ru": "Один из древнейших центров славянской культуры.",
        },
        "published": False,
    },
    "institution": {
        "name": UNIVERSITY,
        "name_local": UNIVERSITY["ru"],
        "kind": InstitutionKind.UNIVERSITY,
        "city": PARTNER,
        "city__country": PARTNER_COUNTRY,
        "published": False,
    },
    "agreement": {
        "home_party": HOME,
        "home_party__country": HOME_COUNTRY,
        "partner": PARTNER,
        "partner__country": PARTNER_COUNTRY,
        "kind": AgreementKind.MEMORANDUM,
        "status": AgreementStatus.ACTIVE,
        "signed_on": "2024-03-05",
        "signatories": signatories,
        "published": False,
    },
    "visit": {
        "direction": Direction.INBOUND,
        "home_party": HOME,
        "home_party__country": HOME_COUNTRY,
        "partner_city": PARTNER,
        "partner_city__country": PARTNER_COUNTRY,
        "title": {
            "en": "Talks on trade and education",
            "zh-hans": "经贸与教育会谈",
            "ru": "Переговоры о торговле и образовании",
        },
        "status": VisitStatus.COMPLETED,
        "start_date": "2024-03-05",
        "end_date": "2024-03-08",
        "head_unrecorded": False,
        "delegation": delegation,
        "sectors": sectors,
        "public_summary": {
            "en": "A delegation came to talk about trade and student exchanges.",
            "zh-hans": "代表团来访，商谈经贸与学生交流。",
            "ru": "Делегация приехала обсудить торговлю и обмен студентами.",
        },
        "published": False,
    },
    "collaboration": {
        "title": {
            "en": "Exchange of nursing staff",
            "zh-hans": "护理人员交流",
            "ru": "Обмен медицинскими сёстрами",
        },
        "sector": sector,
        "agreement": HOME,
        "agreement__home_party__country": HOME_COUNTRY,
        "agreement__partner__name": PARTNER,
        "agreement__partner__country": PARTNER_COUNTRY,
        "agreement__kind": agreement_kind,
        "status": CollaborationStatus.ACTIVE,
        "started_on": "2024-03",
        "summary": {
            "en": "Nurses of the two cities' hospitals work in each other's wards.",
            "zh-hans": "两市医院的护士互到对方病房工作。",
            "ru": "Медсёстры больниц двух городов работают в отделениях друг друга.",
        },
        "participants": participants,
        "published": False,
    },
    "activity": {
        "title": {
            "en": "Training course for nurses",
            "zh-hans": "护士培训班",
            "ru": "Курс обучения медсестёр",
        },
        "kind": ActivityKind.TRAINING,
        "start_date": "2024",
        "partner": PARTNER,
        "partner_country": PARTNER_COUNTRY,
        "collaboration": collaboration,
        "published": False,
    },
}


def example_values(resource, fields, context=None):
    """The example's cells for ``fields`` (``[(name, field)]``), unmarked, in the
    reader's language; empty where the sample says nothing."""
    context = context or Context()
    sample = SAMPLES.get(resource._meta.model._meta.model_name, {})
    return [
        cell(sample_value(sample, resource, name, field), context)
        for name, field in fields
    ]


def sample_value(sample, resource, name, field):
    """The sample's value for a column: by its name, or its text's and language's."""
    if name in sample:
        return sample[name]
    try:
        model_field = resource._meta.model._meta.get_field(field.attribute or "")
    except FieldDoesNotExist:
        return None
    original = getattr(model_field, "translated_field", None)
    if original is None or original.name not in sample:
        return None
    return in_language(sample[original.name], model_field.language)


def cell(value, context):
    """One sample value as a file writes it, in the reader's language."""
    if callable(value):
        value = value(context)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Choices):
        return str(value.label)
    if isinstance(value, Country):
        return str(value.name)
    if isinstance(value, dict):
        return in_language(value)
    return str(value)
