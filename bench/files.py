"""Spreadsheet files made for measuring (and for the tests that reuse them)."""

import io
import re
import zipfile


def declared_xlsx(last_row, dimension="XFD", header=("Direction", "Title")):
    """A small XLSX whose sheet declares ``A1:<dimension><last_row>``: a header
    row, and one data row at ``last_row`` (the empty rows between are not in
    the file). A reader that trusts the declared size pays for every cell of it.
    """
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for column, _name in enumerate(header, start=1):
        sheet.cell(row=last_row, column=column, value=f"value {column}")
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, found = re.subn(
                    rb'<dimension ref="[^"]*" ?/>',
                    f'<dimension ref="A1:{dimension}{last_row}"/>'.encode(),
                    data,
                )
                if found != 1:
                    raise ValueError("the sheet declares no dimension to replace")
            target.writestr(item, data)
    return out.getvalue()
