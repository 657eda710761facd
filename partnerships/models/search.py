"""Text search in any script and letter case, the same on SQLite and PostgreSQL.

``field__fold=word``: the field contains the word, both compared as ``fold``
writes them: compatibility forms made plain (full-width Ｖｏｒｏｎｅｚｈ is
Voronezh), the Russian stress mark dropped, upper case (Cyrillic and Latin
alike), and Ё read as Е. Neither database does this with ``icontains``: SQLite's
LIKE folds ASCII letters only, and PostgreSQL's UPPER follows the database's
ctype, which is often C (no Cyrillic).

- **SQLite**: the column goes through ``fa_fold``, this module's ``fold``,
  registered on every connection (``register_sqlite_function``).
- **PostgreSQL**: the column goes through ``TRANSLATE(UPPER(col COLLATE
  "und-x-icu"), 'Ё' || stress mark, 'Е')``: ICU's case mapping whatever the
  database's ctype. Its trigram indexes are on that very expression (migration
  0010), so a search can use them. A full-width letter stored in a record is not
  made plain there (typed in a search, it is).
"""

import re
import unicodedata

from django.db import models
from django.db.models import Lookup

STRESS = "\u0301"


def fold(text):
    """Text as searches compare it (see the module's docstring)."""
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", str(text).replace(STRESS, ""))
    return text.upper().replace("Ё", "Е")


def name_key(text):
    """A person's or institution's name as records are matched by it: folded as
    searches fold, without spaces or punctuation ("谢尔盖·彼得罗夫" and
    "谢尔盖 彼得罗夫" are one name, "Petrov-Vodkin" and "Petrov Vodkin" too)."""
    return re.sub(r"[\W_]+", "", fold(text or ""))


def register_sqlite_function(sender, connection, **kwargs):
    """``fa_fold`` on a new SQLite connection (``connection_created``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("fa_fold", 1, fold, deterministic=True)


def folded_sql(column_sql, vendor):
    """SQL that folds ``column_sql`` (a column or expression) as ``fold`` does."""
    if vendor == "postgresql":
        return (
            f'TRANSLATE(UPPER(({column_sql})::text COLLATE "und-x-icu"), '
            f"'Ё' || U&'\\0301', 'Е')"
        )
    return f"fa_fold({column_sql})"


@models.CharField.register_lookup
@models.TextField.register_lookup
class FoldedContains(Lookup):
    """``field__fold=word``: the field contains the word, folded alike."""

    lookup_name = "fold"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        pattern = connection.ops.prep_for_like_query(fold(value))
        return "%s", [f"%{pattern}%"]

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        escape = " ESCAPE '\\'" if connection.vendor == "sqlite" else ""
        sql = f"{folded_sql(lhs_sql, connection.vendor)} LIKE {rhs_sql}{escape}"
        return sql, [*lhs_params, *rhs_params]
