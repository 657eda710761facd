"""A workbook as PDF, printed by LibreOffice headless, when it is installed.

LibreOffice is optional (``make run`` does not need it): ``soffice()`` says
whether it is there. Each conversion runs the program directly (no shell) in a
temporary folder with a profile of its own (two conversions at once would share
and lock the default one), is stopped with everything it started after
``PARTNERSHIPS_PDF_TIMEOUT_SECONDS``, and leaves nothing behind.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


class ConversionFailed(Exception):
    """LibreOffice is missing, failed, or took too long."""


def soffice():
    """LibreOffice's program, or None when it is not installed."""
    # ``PARTNERSHIPS_SOFFICE`` (a path or a name), else "soffice" on the PATH.
    return shutil.which(settings.PARTNERSHIPS_SOFFICE or "soffice")


def xlsx_to_pdf(data, name="report"):
    """The PDF of the XLSX workbook ``data`` (bytes), as LibreOffice prints it."""
    program = soffice()
    if program is None:
        raise ConversionFailed(_("LibreOffice is not installed on the server."))
    with tempfile.TemporaryDirectory(prefix="partnerships-pdf-") as folder:
        folder = Path(folder)
        source = folder / f"{name}.xlsx"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        run(command, folder)
        result = folder / "out" / f"{name}.pdf"
        if not result.is_file() or not result.stat().st_size:
            raise ConversionFailed(_("LibreOffice could not make the PDF."))
        return result.read_bytes()


def run(command, folder):
    """Run ``command`` in ``folder``; stop it and its children after the timeout."""
    # A session of its own: soffice starts soffice.bin, which a timeout must end too.
    process = subprocess.Popen(
        command,
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "HOME": str(folder)},
    )
    try:
        process.wait(timeout=settings.PARTNERSHIPS_PDF_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(
            _("LibreOffice took longer than %(seconds)s seconds; it was stopped.")
            % {"seconds": settings.PARTNERSHIPS_PDF_TIMEOUT_SECONDS}
        ) from None
    finally:
        stop_group(process)
    if process.returncode != 0:
        raise ConversionFailed(_("LibreOffice could not make the PDF."))


def stop_group(process):
    """End whatever is left of the process group ``process`` leads."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return  # Already gone, with everything it started.
    process.wait()
