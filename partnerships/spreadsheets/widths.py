"""How wide text is in a spreadsheet's columns: CJK characters take two."""

import re

# CJK ideographs, their punctuation and full-width forms: two columns wide.
CJK_CHARACTER = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def is_cjk(char):
    return CJK_CHARACTER.match(char) is not None


def display_width(text):
    """Columns a text takes: CJK characters are twice as wide."""
    if text.isascii():
        return len(text)
    return len(text) + len(CJK_CHARACTER.findall(text))
