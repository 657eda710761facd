"""Which texts of each record are kept per language, and their history.

django-modeltranslation adds a column per language to each field named here
(``title_en``, ``title_zh_hans``, ``title_ru``) and makes ``title`` read the
reader's language, falling back as ``MODELTRANSLATION_FALLBACK_LANGUAGES`` says.
This is the one place that says which texts are translated: the resources, the
admin forms and the open data read it through ``models.translated_fields``.

simple-history builds a record's historical model from the fields the model has
when it is registered. The per-language columns exist only once modeltranslation
has registered the model, so the history of a translated record is registered
here, after it, and not with ``HistoricalRecords()`` in the model's body (the
pattern simple-history's documentation gives for modeltranslation).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, translator

from .models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    FocusArea,
    Institution,
    Person,
    Position,
    Sector,
    Signatory,
    SiteSettings,
    Source,
    Visit,
)


def options(*fields, required=(), m2m_history=()):
    """TranslationOptions for ``fields``; ``required`` ones need English."""
    # A text not written in a language is "", as in any other text field here,
    # not NULL (modeltranslation's default): one empty value, which forms save
    # and history compares alike.
    attrs = {
        "fields": fields,
        "field_options": {
            field: {"default": {"null": False, "default": ""}} for field in fields
        },
    }
    if required:
        # Only the fields that were required before need their English text.
        attrs["required_languages"] = {"default": (), "en": required}
    return type("Options", (TranslationOptions,), attrs), m2m_history


TRANSLATED = {
    City: options(
        "name",
        "region",
        "description",
        "photo_caption",
        required=("name",),
        m2m_history=("sources",),
    ),
    Agreement: options(
        "origin", "signed_place", "end_reason", m2m_history=("sources",)
    ),
    Signatory: options("title_at_time"),
    Visit: options(
        "title",
        "purpose",
        "programme",
        "outcomes",
        "public_summary",
        "date_note",
        m2m_history=("sectors", "sources"),
    ),
    DelegationMember: options("title_at_time"),
    Collaboration: options(
        "title",
        "summary",
        required=("title",),
        m2m_history=("focus_areas", "sources"),
    ),
    CollaborationParticipant: options("description", "role"),
    Activity: options(
        "title",
        "description",
        "date_note",
        required=("title",),
        m2m_history=("sources",),
    ),
    Institution: options(
        "name", "description", required=("name",), m2m_history=("sources",)
    ),
    Person: options("name", "current_title", required=("name",)),
    Position: options("title", required=("title",)),
    Sector: options("name", required=("name",)),
    FocusArea: options("name", required=("name",)),
    Source: options("title", "credit", required=("title",)),
    # The office's own identity (models/site.py): who changed it is in its history.
    SiteSettings: options(
        "office_name",
        "home_city_name",
        "address",
        "opening_hours",
        required=("office_name",),
    ),
}

for model, (translation_options, m2m_history) in TRANSLATED.items():
    translator.register(model, translation_options)
    simple_history.register(model, m2m_fields=list(m2m_history))
