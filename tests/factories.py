"""Small ``make_*`` helpers that build valid records with sensible defaults.

Each takes keyword overrides; a related record that is not given is made too.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from partnerships.models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    Institution,
    InstitutionAlias,
    Person,
    PersonAlias,
    Position,
    Sector,
    Source,
    Visit,
)
from partnerships.models.choices import (
    ActivityKind,
    AgreementKind,
    CityRole,
    DelegationRole,
    Direction,
    InstitutionKind,
    Side,
    VisitStatus,
)
from partnerships.models.partial_dates import parse

_counter = itertools.count(1)


def unique(prefix):
    return f"{prefix} {next(_counter)}"


def make_home(**fields):
    """The home municipality (there is only one); reused if it exists."""
    home = City.objects.filter(role=CityRole.HOME).first()
    if home:
        return home
    fields = {
        "name": "Chongqing",
        "name_local": "重庆",
        "name_zh_hans": "重庆",
        "country": "CN",
        "role": CityRole.HOME,
        "published": True,
        **fields,
    }
    return make_city(**fields)


def make_city(**fields):
    name = fields.pop("name", None) or unique("City")
    fields.setdefault("slug", slugify(f"{name}-{next(_counter)}"))
    fields.setdefault("country", "RU")
    fields.setdefault("role", CityRole.PARTNER)
    fields.setdefault("published", True)
    return City.objects.create(name=name, **fields)


def make_district(**fields):
    fields.setdefault("parent", make_home())
    fields.setdefault("role", CityRole.DISTRICT)
    fields.setdefault("country", "CN")
    return make_city(**fields)


def make_agreement(**fields):
    fields.setdefault("home_party", make_home())
    if "partner" not in fields:
        fields["partner"] = make_city()
    fields.setdefault("kind", AgreementKind.SISTER_CITY)
    fields.setdefault("signed_on", datetime.date(1993, 10, 20))
    fields.setdefault("published", True)
    return Agreement.objects.create(**fields)


def make_person(aliases=(), positions=(), **fields):
    """A person; ``positions`` are (title, start, end) with dates as typed."""
    fields.setdefault("name", unique("Person"))
    person = Person.objects.create(**fields)
    for alias in aliases:
        PersonAlias.objects.create(person=person, name=alias)
    for title, start, end in positions:
        (start_date, start_precision), (end_date, end_precision) = map(
            parse, (start, end)
        )
        Position.objects.create(
            person=person,
            title=title,
            start_date=start_date,
            start_precision=start_precision,
            end_date=end_date,
            end_precision=end_precision,
        )
    return person


def make_visit(members=(), sectors=(), **fields):
    """A visit; ``members`` are (title, role) pairs or DelegationMember field dicts."""
    fields.setdefault("home_party", make_home())
    if "partner_city" not in fields:
        fields["partner_city"] = make_city()
    fields.setdefault("direction", Direction.INBOUND)
    fields.setdefault("status", VisitStatus.COMPLETED)
    fields.setdefault("start_date", datetime.date(2019, 5, 14))
    fields.setdefault("published", True)
    visit = Visit.objects.create(**fields)
    for position, member in enumerate(members):
        if isinstance(member, dict):
            DelegationMember.objects.create(visit=visit, position=position, **member)
        else:
            title, role = member
            DelegationMember.objects.create(
                visit=visit, title_at_time=title, role=role, position=position
            )
    if sectors:
        visit.sectors.set(Sector.objects.filter(code__in=sectors))
    return visit


def make_head(visit, title="Deputy Mayor", person=None):
    return DelegationMember.objects.create(
        visit=visit, person=person, title_at_time=title, role=DelegationRole.HEAD
    )


def make_institution(aliases=(), **fields):
    fields.setdefault("name", unique("Institution"))
    fields.setdefault("kind", InstitutionKind.UNIVERSITY)
    if "city" not in fields:
        fields["city"] = make_city()
    fields.setdefault("published", True)
    institution = Institution.objects.create(**fields)
    for alias in aliases:
        InstitutionAlias.objects.create(institution=institution, name=alias)
    return institution


def make_collaboration(participants=(), **fields):
    """A collaboration; ``participants`` are Institution objects (side from city)."""
    if "agreement" not in fields:
        fields["agreement"] = make_agreement()
    if "sector" not in fields:
        fields["sector"] = Sector.objects.get(code="economy")
    elif isinstance(fields["sector"], str):
        fields["sector"] = Sector.objects.get(code=fields["sector"])
    fields.setdefault("title", unique("Collaboration"))
    fields.setdefault("published", True)
    collaboration = Collaboration.objects.create(**fields)
    for institution in participants:
        CollaborationParticipant.objects.create(
            collaboration=collaboration,
            institution=institution,
            side=Side(institution.side),
        )
    return collaboration


def make_activity(**fields):
    if "collaboration" not in fields and "visit" not in fields:
        fields["collaboration"] = make_collaboration()
    fields.setdefault("kind", ActivityKind.EXHIBITION)
    fields.setdefault("title", unique("Activity"))
    fields.setdefault("published", True)
    return Activity.objects.create(**fields)


def make_source(**fields):
    fields.setdefault("title", unique("Source"))
    return Source.objects.create(**fields)


def make_user(username=None, groups=(), **fields):
    """A staff user in the named groups (the groups must exist)."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username or unique("user").replace(" ", ""),
        password=fields.pop("password", "a-long-test-password"),
        is_staff=fields.pop("is_staff", True),
        **fields,
    )
    if groups:
        user.groups.set(Group.objects.filter(name__in=groups))
    return user


def make_site_settings(**fields):
    """The office's site settings (one row): the seed's names unless given."""
    from partnerships.models import SiteSettings

    fields.setdefault(
        "office_name_en",
        "Foreign Affairs Office of Chongqing Municipal People's Government",
    )
    fields.setdefault("office_name_zh_hans", "重庆市人民政府外事办公室")
    fields.setdefault("home_city_name_en", "Chongqing")
    fields.setdefault("home_city_name_zh_hans", "重庆")
    settings, _created = SiteSettings.objects.update_or_create(pk=1, defaults=fields)
    return settings


def make_request(**fields):
    """A request from the public, numbered as the contact form numbers it."""
    from django.utils import timezone

    from partnerships.models import PublicRequest
    from partnerships.public.spam import fingerprint

    fields.setdefault("name", unique("Sender"))
    fields.setdefault("email", "sender@example.org")
    fields.setdefault("language", "en")
    fields.setdefault("message", unique("A proposal of a school exchange"))
    fields.setdefault("received_at", timezone.now())
    fields.setdefault("consented_at", fields["received_at"])
    fields.setdefault("fingerprint", fingerprint(fields["message"]))
    request = PublicRequest.objects.create(**fields)
    request.reference = (
        f"{timezone.localtime(request.received_at).year}-{request.pk:05d}"
    )
    request.save(update_fields=["reference"])
    return request


def make_contact(**fields):
    """A partner city's office that confirms records (Voronezh's, in Russian)."""
    from partnerships.models import PartnerContact

    if "city" not in fields:
        fields["city"] = make_city()
    fields.setdefault("office", unique("International Relations Department"))
    fields.setdefault("person", "Irina Petrova")
    fields.setdefault("email", "relations@example.ru")
    fields.setdefault("language", "ru")
    return PartnerContact.objects.create(**fields)
