"""The Chart sheet: completed visits per partner, as a table and a native chart."""

from django.utils.translation import gettext as _

from .sheet import Sheet

# The partners with the most visits; more bars would not be readable.
CHART_PARTNERS = 25
# The chart's width, and where it stands: beside the table, one column apart.
CHART_WIDTH, CHART_COLUMN = 720, 4


def write_chart(book, per_partner):
    """Write the Chart sheet from ``{partner id: (name, inbound, outbound)}``."""
    chart_sheet = Sheet(
        book,
        _("Chart"),
        [
            _("Partner city"),
            _("Inbound visits (completed)"),
            _("Outbound visits (completed)"),
        ],
        # The empty column before the chart (at its default width), and the chart.
        extra_px=64 + CHART_WIDTH,
        # Printed rules would run under the chart.
        gridlines=False,
    )
    ranked = sorted(
        per_partner.values(), key=lambda item: (-(item[1] + item[2]), item[0])
    )[:CHART_PARTNERS]
    for name, inbound, outbound in ranked:
        chart_sheet.append([name, inbound, outbound])
    chart_sheet.finish(autofilter=False)
    if not ranked:
        return
    chart = book.workbook.add_chart({"type": "bar", "subtype": "stacked"})
    sheet_name = chart_sheet.sheet.get_name()
    first, last = chart_sheet.first_data_row, chart_sheet.row - 1
    for column, colour in ((1, "#4F81BD"), (2, "#C0504D")):
        chart.add_series(
            {
                "name": [sheet_name, chart_sheet.header_row, column],
                "categories": [sheet_name, first, 0, last, 0],
                "values": [sheet_name, first, column, last, column],
                "fill": {"color": colour},
            }
        )
    chart.set_title({"name": _("Visits per partner in the period")})
    most = max(inbound + outbound for _name, inbound, outbound in ranked)
    chart.set_x_axis(
        {
            "name": _("Visits"),
            "min": 0,
            "major_unit": max(1, -(-most // 10)),
            "num_format": "0",
            "major_gridlines": {"visible": True},
        }
    )
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": CHART_WIDTH, "height": max(320, 28 * len(ranked) + 120)})
    chart_sheet.sheet.insert_chart(1, CHART_COLUMN, chart)
