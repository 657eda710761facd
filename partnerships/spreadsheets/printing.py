"""How a sheet prints: A4 landscape, columns chosen for the page, a footer.

A sheet is fitted to one page wide only where its columns then print at
``MIN_POINTS`` or more; otherwise its widest text columns are narrowed (their text
wraps) until they do, and a sheet that cannot fit even so prints at that size
across as few pages as its narrowest columns need, row by row. The header rows
repeat on every page; the footer names the office, the sheet and the page.
Widths are in Excel's units (characters of the default font's digit), and
measured as XlsxWriter converts them to pixels.
"""

import datetime
import math
import re
from dataclasses import dataclass

from ..office import office_name
from .widths import CJK_CHARACTER, display_width

# Where a header may wrap: at spaces, and around any Chinese character.
WORD_BREAKS = re.compile(r"\s+|[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

A4 = 9
SIDE_MARGIN, TOP_MARGIN, FOOTER_MARGIN = 0.4, 0.5, 0.3
# A4 landscape between the side margins, in pixels at 96 dpi and 100 %.
PRINTABLE_PX = (297 / 25.4 - 2 * SIDE_MARGIN) * 96
MIN_POINTS = 8
# Narrowed columns aim at this size, leaving room for how each program measures.
NARROWED_POINTS = 9
# A column narrowed for the page keeps at least this width; none grows past WIDEST.
NARROWEST, WIDEST = 10, 45
# Printed across pages, how much of each page the columns are planned to fill,
# and the narrowest a column of text gets.
PAGE_FILLED, ACROSS_NARROWEST = 0.9, 20
# A header wraps to lines no narrower than this (unless it is shorter).
HEADER_LEAST = 6
# The tallest row a spreadsheet allows is 409 points.
MOST_LINES = 30
# A letter's width in digit widths, a little over the average (words wrap whole);
# a line of Chinese's height in lines of Latin text.
LETTER, BOLD_LETTER, CJK_LINE = 0.9, 1.05, 1.35


@dataclass
class Layout:
    """Column widths and how the sheet is scaled: fitted, or at ``scale`` %."""

    widths: list
    fit: bool
    scale: int = 100


def column_px(width):
    """The pixels of a column ``width`` characters wide (XlsxWriter's rule)."""
    if width < 1:
        return int(width * 12 + 0.5)
    return int(width * 7 + 0.5) + 5


def plan_columns(natural, least, font_size, extra_px=0):
    """The ``Layout`` of columns, each narrowed no further than its ``least``."""
    # ``extra_px``: what else the sheet prints beside the columns (a chart).
    natural = capped(natural, least, WIDEST + 2)
    readable = PRINTABLE_PX * font_size / MIN_POINTS
    if total_px(natural) + extra_px <= readable:
        return Layout(natural, fit=True)
    target = PRINTABLE_PX * font_size / NARROWED_POINTS - extra_px
    if total_px(least) <= target:
        return Layout(narrowed(natural, least, target), fit=True)
    # Too many columns for one page at a readable size: across as few pages as
    # they need at that size, long texts kept in columns wide enough to read
    # (narrower ones would only make the rows, and the pages down, many more).
    # A column does not straddle two pages: each is planned a little less full.
    least = [
        max(low, min(width, ACROSS_NARROWEST))
        for width, low in zip(natural, least, strict=True)
    ]
    page = readable * PAGE_FILLED
    pages = math.ceil((total_px(least) + extra_px) / page)
    return Layout(
        narrowed(natural, least, pages * page - extra_px),
        fit=False,
        scale=math.ceil(100 * MIN_POINTS / font_size),
    )


def narrowed(natural, least, target):
    """The widest columns narrowed first, to one width, until all fit ``target``."""
    cap = max(natural, default=0)
    while cap > 1 and total_px(capped(natural, least, cap)) > target:
        cap -= 1
    return capped(natural, least, cap)


def capped(natural, least, cap):
    """Each width no wider than ``cap``, and no narrower than its ``least``."""
    return [
        max(low, min(width, cap)) for width, low in zip(natural, least, strict=True)
    ]


def total_px(widths):
    return sum(column_px(width) for width in widths)


def text_lines(text, width, letter=LETTER):
    """The lines (of Latin text's height) ``text`` takes in a column ``width`` wide."""
    # ``letter``: a letter's width in digits (``BOLD_LETTER`` for bold text); a
    # line of Chinese is taller (``CJK_LINE``).
    # Letters are narrower than the digits widths count in.
    room = width / letter
    if text.isascii():
        # The common case: no Chinese to look for.
        if "\n" not in text:
            return max(1, -int(-len(text) // room))
        return sum(max(1, -int(-len(line) // room)) for line in text.split("\n"))
    return sum(line_height(line, width, letter) for line in text.split("\n"))


def line_height(line, width, letter):
    cjk = len(CJK_CHARACTER.findall(line))
    # Cyrillic letters are wider than Latin ones on average (Ж, Ш, Щ, Ю, Ы).
    cyrillic = len(CYRILLIC_LETTER.findall(line))
    used = 2 * cjk + (len(line) - cjk - cyrillic) * letter
    used += cyrillic * letter * CYRILLIC_WIDER
    lines = max(1, math.ceil(used / width))
    return lines * CJK_LINE if cjk else lines


CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
CYRILLIC_WIDER = 1.2


def header_widths(header):
    """``(natural, least)`` widths of a column for its header, which wraps."""
    # At most 16 characters a line; at least its longest word (a Chinese header
    # wraps between any two characters), and no fewer than ``HEADER_LEAST``.
    words = WORD_BREAKS.split(header)
    longest = max((display_width(word) for word in words), default=0)
    least = min(max(longest, HEADER_LEAST), display_width(header), WIDEST) + 2
    return max(min(display_width(header), 16) + 2, least), least


def footer(language=None):
    """The footer: the office's name, the sheet's name, and "page / pages"."""
    name = office_name(language).replace("&", "&&")
    # A header or footer holds at most 255 characters, codes included.
    return f"&L&8{name[:180]}&C&8&A&R&8&P / &N"


def set_up_page(sheet, layout, header_rows=None, gridlines=True, language=None):
    """Print ``sheet`` on A4 landscape as ``layout`` says, ``header_rows`` repeated."""
    # ``header_rows``: ``(first, last)``, zero-based, or None.
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.set_margins(
        left=SIDE_MARGIN, right=SIDE_MARGIN, top=TOP_MARGIN, bottom=TOP_MARGIN
    )
    sheet.set_footer(footer(language), {"margin": FOOTER_MARGIN})
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)
    if layout.fit:
        sheet.fit_to_pages(1, 0)
    else:
        sheet.set_print_scale(layout.scale)
        # A row's columns on pages next to each other, then the next rows.
        sheet.print_across()
    if gridlines:
        # Printed rules between cells: wrapped rows stay told apart on paper.
        sheet.hide_gridlines(0)


# Lists (``writing.write_xlsx``): XlsxWriter's default font, Calibri 11.
LIST_FONT_SIZE, LIST_LINE_POINTS = 11, 15
# What a list's dates and moments take (yyyy-mm-dd, yyyy-mm-dd hh:mm), and FALSE.
DAY_WIDTH, MOMENT_WIDTH, BOOLEAN_WIDTH = 10, 16, 5


@dataclass
class ColumnSizes:
    """Each column's ``natural`` width, the ``least`` it narrows to, multi-line text."""

    natural: list
    least: list
    multiline: list


def column_sizes(headers, rows):
    """The ``ColumnSizes`` of a list's columns, from ``rows`` (its first ones)."""
    widths = [header_widths(str(header)) for header in headers]
    natural = [width for width, _least in widths]
    least = [low for _width, low in widths]
    multiline = [False] * len(natural)
    filled = [False] * len(natural)
    for row in rows:
        for index, value in enumerate(row[: len(natural)]):
            if value is None or value == "":
                continue
            filled[index] = True
            if isinstance(value, str):
                lines = value.splitlines()
                width = max(map(display_width, lines), default=0) + 2
                multiline[index] = multiline[index] or len(lines) > 1
                low = min(width, NARROWEST)
            else:
                width = value_width(value) + 2
                low = width
            natural[index] = max(natural[index], width)
            least[index] = max(least[index], low)
    for index, seen in enumerate(filled):
        if not seen:
            # Nothing in it (yet): its header wraps to its longest word.
            natural[index] = least[index]
    return ColumnSizes(natural, least, multiline)


def value_width(value):
    if isinstance(value, bool):
        return BOOLEAN_WIDTH
    if isinstance(value, datetime.datetime):
        return MOMENT_WIDTH
    if isinstance(value, datetime.date):
        return DAY_WIDTH
    return display_width(str(value))


def lay_out_list(book, sheet, headers, sizes):
    """Size and set up a list's ``sheet`` for print; ``[(index, width)]`` wrapped."""
    # The wrapped columns' text sets each row's height (``row_lines``).
    sizes = sizes or column_sizes(headers, [])
    layout = plan_columns(sizes.natural, sizes.least, LIST_FONT_SIZE)
    wrapped = [
        (index, width)
        for index, width in enumerate(layout.widths)
        if sizes.multiline[index] or sizes.natural[index] > width
    ]
    wrapping = {index for index, _width in wrapped}
    for index, width in enumerate(layout.widths):
        # A cell written without a format of its own takes its column's.
        style = book.styles["wrap"] if index in wrapping else None
        sheet.set_column(index, index, width, style)
    lines = 1
    for index, name in enumerate(headers):
        book.write_text(sheet, 0, index, str(name), book.styles["header"])
        lines = max(lines, text_lines(str(name), layout.widths[index], BOLD_LETTER))
    if lines > 1:
        sheet.set_row(0, list_row_height(lines))
    set_up_page(sheet, layout, header_rows=(0, 0))
    return wrapped


def row_lines(row, wrapped):
    """The lines the tallest of a row's wrapped cells takes."""
    lines = 1
    for index, width in wrapped:
        value = row[index]
        # Short text on one line (most cells) needs no measuring.
        if value.__class__ is str and (len(value) * 2 > width or "\n" in value):
            lines = max(lines, text_lines(value, width))
    return lines


def list_row_height(lines):
    return round(LIST_LINE_POINTS * min(lines, MOST_LINES))
