"""Logs without secret links: the token of a partner's confirmation link or a
staff member's calendar feed is written as ``[secret]``, in gunicorn's access log
(request line, path, query, Referer and headers) and in Django's own log lines
(``Not Found: /confirm/...``)."""

import logging
import re

from gunicorn.glogging import Logger

#: The paths whose last part is a secret (with or without a language prefix).
SECRET_PATH = re.compile(r"(/(?:confirm|admin/calendar)/)[^/?\s\"]+")
#: The atoms that carry a path: request line, path, query, Referer.
CARRIERS = ("r", "U", "q", "f")


def redact(text):
    if not isinstance(text, str):
        return text
    return SECRET_PATH.sub(r"\1[secret]", text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in CARRIERS:
            atoms[key] = redact(atoms.get(key))
        atoms = {
            key: redact(value) if key.startswith("{") else value
            for key, value in atoms.items()
        }
        return atoms


class RedactSecrets(logging.Filter):
    """Rewrites a log record's message without the secret links it names."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
