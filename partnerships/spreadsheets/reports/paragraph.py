"""The cover's summary paragraph: templated sentences in the report's language.

Each sentence is one translatable text with its numbers as placeholders (ngettext
where a number decides the grammar); which sentences are said follows the
figures. Nothing is generated freely.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

FULL_STOPS = ("。", "！", "？")


def list_text(items):
    """Names one after the other, as the active language lists them."""
    return pgettext("between the items of a list", ", ").join(items)


def counted(text, count, **values):
    """``text`` (an ``ngettext`` of ``count``) with its placeholders filled."""
    return text % {"count": count, **values}


def visit_sentences(figures):
    if not figures.completed:
        return [_("No visit was completed in the period.")]
    said = [
        counted(
            ngettext(
                "%(count)s delegation from a partner city was received.",
                "%(count)s delegations from partner cities were received.",
                figures.inbound,
            ),
            figures.inbound,
        ),
        counted(
            ngettext(
                "%(count)s delegation was sent to a partner city.",
                "%(count)s delegations were sent to partner cities.",
                figures.outbound,
            ),
            figures.outbound,
        ),
        counted(
            ngettext(
                "Visits were exchanged with %(count)s partner city.",
                "Visits were exchanged with %(count)s partner cities.",
                figures.partners_visited,
            ),
            figures.partners_visited,
        ),
    ]
    if figures.level_recorded:
        said.append(
            counted(
                ngettext(
                    "%(count)s delegation was led at vice-mayor level or above.",
                    "%(count)s delegations were led at vice-mayor level or above.",
                    figures.senior_led,
                ),
                figures.senior_led,
            )
        )
    missing = figures.completed - figures.level_recorded
    if missing:
        said.append(
            counted(
                ngettext(
                    "The level of the head of %(count)s delegation is not recorded.",
                    "The level of the head of %(count)s delegations is not recorded.",
                    missing,
                ),
                missing,
            )
        )
    return said


def agreement_sentences(figures):
    said = []
    if figures.signed or figures.ended or figures.renewed:
        said.append(
            counted(
                ngettext(
                    "%(count)s agreement was signed.",
                    "%(count)s agreements were signed.",
                    figures.signed,
                ),
                figures.signed,
            )
        )
        if figures.renewed:
            said.append(
                counted(
                    ngettext(
                        "%(count)s agreement was renewed.",
                        "%(count)s agreements were renewed.",
                        figures.renewed,
                    ),
                    figures.renewed,
                )
            )
        said.append(
            counted(
                ngettext(
                    "%(count)s agreement ended.",
                    "%(count)s agreements ended.",
                    figures.ended,
                ),
                figures.ended,
            )
        )
    else:
        said.append(_("No agreement was signed, renewed or ended."))
    if figures.renewals_due:
        said.append(
            counted(
                ngettext(
                    "%(count)s renewal fell due.",
                    "%(count)s renewals fell due.",
                    figures.renewals_due,
                ),
                figures.renewals_due,
            )
        )
    if figures.anniversaries:
        said.append(
            counted(
                ngettext(
                    "%(count)s anniversary of a signing fell in the period.",
                    "%(count)s anniversaries of signings fell in the period.",
                    figures.anniversaries,
                ),
                figures.anniversaries,
            )
        )
    if figures.round_anniversaries:
        said.append(
            counted(
                ngettext(
                    "%(count)s of them is a round anniversary.",
                    "%(count)s of them are round anniversaries.",
                    figures.round_anniversaries,
                ),
                figures.round_anniversaries,
            )
        )
    return said


def quiet_sentences(figures):
    years = settings.PARTNERSHIPS_QUIET_AFTER_YEARS
    if not figures.quiet:
        return [_("No partner city has gone quiet.")]
    return [
        counted(
            ngettext(
                "%(count)s partner city has had no completed visit for %(years)s "
                "years or more: %(names)s.",
                "%(count)s partner cities have had no completed visit for "
                "%(years)s years or more: %(names)s.",
                len(figures.quiet),
            ),
            len(figures.quiet),
            years=years,
            names=list_text(figures.quiet),
        )
    ]


def summary_paragraph(figures):
    """The paragraph, from the period's figures."""
    said = [
        *visit_sentences(figures),
        *agreement_sentences(figures),
        *quiet_sentences(figures),
    ]
    if figures.undated:
        said.append(
            counted(
                ngettext(
                    "%(count)s visit without dates is not counted.",
                    "%(count)s visits without dates are not counted.",
                    figures.undated,
                ),
                figures.undated,
            )
        )
    text = said[0]
    for sentence in said[1:]:
        # A Chinese sentence (its full stop) is followed by no space.
        text += ("" if text.endswith(FULL_STOPS) else " ") + sentence
    return text
