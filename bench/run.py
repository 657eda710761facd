"""``make bench``: each heavy path timed next to its anchor, in the same run.

Usage: ``python -m bench.run [--scale full|small|tiny] [--no-build] [--only NAME]``.
``DATABASE_URL`` chooses the database (default: SQLite in bench/results/); the name
must contain "bench" since the build replaces every partnership record. Prints a
table (time, rows/s, ratio to the anchor, peak memory, queries) and writes it as
JSON to bench/results/.

Each measurement runs in a forked child process, so its peak memory is its own
(the kernel's high-water mark is reset at the start, where Linux allows it). Query
counts come from a database execute wrapper: exact, and free of the memory a
captured query log would add.
"""

import argparse
import base64
import contextlib
import csv
import datetime
import io
import json
import os
import platform
import resource
import select
import signal
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
SCALES = {
    "full": {"partners": 1000, "visits": 100_000, "collaborations": 20_000},
    "small": {"partners": 100, "visits": 10_000, "collaborations": 2_000},
    "tiny": {
        "partners": 12,
        "visits": 60,
        "collaborations": 10,
        "registry_rows": 40,
    },
}


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foreignaffairs.settings")
    if not os.environ.get("DATABASE_URL"):
        RESULTS.mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{RESULTS / 'bench.sqlite3'}"
    import django

    django.setup()


# Measuring ---------------------------------------------------------------------


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def rss_bytes(field):
    """VmRSS or VmHWM of this process, in bytes (0 where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak():
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure(func):
    """Run ``func()`` (returns a dict with ``rows``) and add time, memory, queries."""
    from django.db import connection

    counter = QueryCounter()
    reset = reset_peak()
    base = rss_bytes("VmRSS")
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        result = func() or {}
    seconds = time.perf_counter() - started
    peak = rss_bytes("VmHWM") if reset else 0
    if not peak:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result.update(
        seconds=seconds,
        queries=counter.count,
        peak_mb=round(max(peak - base, 0) / 2**20, 1),
    )
    return result


def in_child(func, fork=True, timeout=None):
    """``measure(func)`` in a forked process (its own peak memory), or in this one.

    A child still running after ``timeout`` seconds is stopped and reported so.
    """
    if not fork or not hasattr(os, "fork"):
        return measure(func)
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            payload = measure(func)
        except BaseException:  # noqa: BLE001 - reported in the table
            payload = {"error": traceback.format_exc(limit=6)}
        with os.fdopen(write, "w") as out:
            json.dump(payload, out, default=str)
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + timeout if timeout else None
    chunks = []
    with os.fdopen(read, "rb") as source:
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"timeout": timeout}
            ready, _, _ = select.select([source], [], [], wait)
            if not ready:
                continue
            chunk = os.read(source.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode()
    return json.loads(text) if text else {"error": "the child process died"}


# Data shared by the export measurements and their anchors ----------------------

VISIT_COLUMNS = (
    "direction",
    "home_party__name",
    "home_party__country",
    "partner_city__name",
    "partner_city__country",
    "title",
    "status",
    "start_date",
    "end_date",
    "date_precision",
    "date_note",
    "head_unrecorded",
    "purpose",
    "programme",
    "outcomes",
    "public_summary",
    "published",
    "internal_notes",
)


def first_visits(n):
    from partnerships.models import Visit

    last = Visit.objects.order_by("pk").values_list("pk", flat=True)[n - 1 : n]
    return Visit.objects.filter(pk__lte=last[0]) if last else Visit.objects.all()


def visit_cells(queryset):
    """The export's cells the fastest way: three queries, plain tuples."""
    from django_countries import countries

    from partnerships.models import DelegationMember, Visit
    from partnerships.models.choices import DelegationRole

    ids = queryset.values("pk")
    members, sectors = {}, {}
    for visit_id, role, name, title in (
        DelegationMember.objects.filter(visit__in=ids)
        .order_by("visit_id", "position", "pk")
        .values_list("visit_id", "role", "person__name", "title_at_time")
    ):
        label = DelegationRole(role).label
        body = ", ".join(part for part in (name, title) if part)
        members.setdefault(visit_id, []).append(f"{label}: {body}")
    for visit_id, code in Visit.sectors.through.objects.filter(
        visit__in=ids
    ).values_list("visit_id", "sector__name"):
        sectors.setdefault(visit_id, []).append(code)
    names = dict(countries)
    for row in queryset.order_by().values_list("pk", *VISIT_COLUMNS):
        pk, values = row[0], list(row[1:])
        values[2] = names.get(values[2], values[2])
        values[4] = names.get(values[4], values[4])
        yield [
            *values[:11],
            "\n".join(members.get(pk, [])),
            ", ".join(sectors.get(pk, [])),
            *values[11:],
        ]


def export_xlsx(n):
    """What the admin and ``manage.py export`` run: rows into a temporary file."""
    from partnerships.spreadsheets import exports
    from partnerships.spreadsheets.resources import VisitResource

    def run():
        with tempfile.TemporaryFile() as out:
            rows = exports.export_xlsx(VisitResource(), out, first_visits(n))
            return {"rows": rows, "bytes": out.tell()}

    return run


def anchor_xlsx(n):
    import xlsxwriter

    def run():
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"constant_memory": True})
        sheet = book.add_worksheet("Visits")
        sheet.write_row(0, 0, [f"column {i}" for i in range(len(VISIT_COLUMNS) + 2)])
        rows = 0
        for rows, cells in enumerate(visit_cells(first_visits(n)), start=1):
            sheet.write_row(rows, 0, cells)
        book.close()
        return {"rows": rows, "bytes": len(out.getvalue())}

    return run


def export_csv(n):
    """What the admin streams and the command writes, line by line, kept nowhere."""
    from partnerships.spreadsheets import exports
    from partnerships.spreadsheets.resources import VisitResource

    def run():
        lines = size = 0
        for line in exports.export_csv(VisitResource(), first_visits(n)):
            lines += 1
            size += len(line.encode())
        # The first two lines are the BOM and the header.
        return {"rows": lines - 2, "bytes": size}

    return run


def anchor_csv(n):
    def run():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([f"column {i}" for i in range(len(VISIT_COLUMNS) + 2)])
        rows = 0
        for cells in visit_cells(first_visits(n)):
            writer.writerow(cells)
            rows += 1
        return {"rows": rows, "bytes": len(out.getvalue().encode())}

    return run


# Pages -------------------------------------------------------------------------


def page(path, user=True, repeat=5, clear_cache=True, keep_visits=None):
    """Median time of ``repeat`` GETs after one warm-up; queries of one request.

    ``keep_visits=(slug, n)``: the page as if that partner had only its ``n``
    latest visits (the others are moved to another partner in a transaction
    rolled back after the measurement).
    """

    def run():
        from django.core.cache import cache
        from django.db import connection, transaction
        from django.test import Client
        from django.test.utils import override_settings, setup_test_environment

        # Already set up when the harness's own test runs it.
        with contextlib.suppress(RuntimeError):
            setup_test_environment()
        with override_settings(ROOT_URLCONF="bench.urls"), transaction.atomic():
            if keep_visits:
                keep_only_latest_visits(*keep_visits)
            client = Client()
            if user:
                from django.contrib.auth import get_user_model

                client.force_login(get_user_model().objects.get(username="bench-admin"))
            if clear_cache:
                cache.clear()
            response = client.get(path)
            if response.status_code != 200:
                raise AssertionError(f"{path} answered {response.status_code}")
            times, counts = [], []
            for _ in range(repeat):
                if clear_cache:
                    cache.clear()
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    client.get(path)
                times.append(time.perf_counter() - started)
                counts.append(counter.count)
            transaction.set_rollback(True)
        return {
            "rows": 1,
            "request_seconds": statistics.median(times),
            "request_queries": max(counts),
            "bytes": len(response.content),
        }

    return run


def keep_only_latest_visits(slug, count):
    """Move all but ``slug``'s ``count`` latest visits (in its timeline's order)
    to another partner; the caller rolls it back."""
    from partnerships.models import City, Visit
    from partnerships.public.timeline import NEWEST_FIRST

    city = City.objects.get(slug=slug)
    other = City.objects.exclude(pk=city.pk).filter(slug__startswith="benchmark-city-")
    kept = Visit.objects.filter(partner_city=city).order_by(*NEWEST_FIRST)[:count]
    Visit.objects.filter(partner_city=city).exclude(
        pk__in=list(kept.values_list("pk", flat=True))
    ).update(partner_city=other.order_by("pk").first())


# Imports -----------------------------------------------------------------------


def import_file(n):
    """CSV bytes of ``n`` new visits (exported rows under new titles)."""
    from partnerships.spreadsheets.formats import SafeCSV
    from partnerships.spreadsheets.resources import VisitResource

    dataset = VisitResource().export(queryset=first_visits(n))
    column = dataset.headers.index("Title")
    rows = []
    for number, row in enumerate(dataset, start=1):
        row = list(row)
        row[column] = f"Benchmark import {number:06d}"
        rows.append(row)
    dataset = type(dataset)(*rows, headers=dataset.headers)
    return SafeCSV().export_data(dataset).encode("utf-8")


def import_visits_preview(data):
    """The admin's preview: the file read and every row checked, nothing written."""

    def run():
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from partnerships.spreadsheets.reading import read_table
        from partnerships.spreadsheets.resources import VisitResource

        user = get_user_model().objects.get(username="bench-admin")
        with transaction.atomic():
            dataset = read_table(data, "visits.csv")
            result = VisitResource(user=user).import_data(
                dataset, dry_run=True, user=user, file_name="visits.csv"
            )
            bad = len(result.invalid_rows) + len(result.row_errors())
            totals = dict(result.totals)
            transaction.set_rollback(True)
        if bad or result.has_errors():
            raise AssertionError(f"{bad} invalid rows; totals {totals}")
        return {"rows": len(dataset), "new": totals.get("new")}

    return run


def written_tables():
    """The tables a visit import writes, history included, by model."""
    from partnerships.models import DelegationMember, Person, Visit

    models = []
    for model in (Visit, DelegationMember, Person):
        models += [model, model.history.model]
    models.append(Visit.sectors.through)
    models += [
        getattr(Visit.history.model, field.name).model
        for field in Visit.history.model._history_m2m_fields
    ]
    return models


def import_visits_command(data):
    """``manage.py import visits FILE`` in this process (no start-up), rolled back.

    What it wrote is passed on to the anchor, which COPYs the very same rows.
    """

    def run():
        from django.core.management import call_command
        from django.db import connection, transaction

        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / "import-visits.csv"
        path.write_bytes(data)
        tables = written_tables()
        with transaction.atomic():
            last = {
                model: model._default_manager.order_by("-pk")
                .values_list("pk", flat=True)
                .first()
                or 0
                for model in tables
            }
            out = io.StringIO()
            counter = QueryCounter()
            started = time.perf_counter()
            with connection.execute_wrapper(counter):
                call_command(
                    "import", "visits", str(path), "--user", "bench-admin", stdout=out
                )
            seconds = time.perf_counter() - started
            capture = {}
            for model in tables:
                columns = [f.column for f in model._meta.concrete_fields]
                capture[model._meta.db_table] = (
                    columns,
                    list(
                        model._default_manager.filter(pk__gt=last[model])
                        .order_by("pk")
                        .values_list(*[f.attname for f in model._meta.concrete_fields])
                    ),
                )
            transaction.set_rollback(True)
        if "Imported" not in out.getvalue():
            raise AssertionError(out.getvalue())
        return {
            "rows": len(capture[tables[0]._meta.db_table][1]),
            # The command alone: not writing the file nor reading back its rows.
            "timed_seconds": seconds,
            "timed_queries": counter.count,
            "written": {table: len(rows) for table, (_c, rows) in capture.items()},
            "_keep": {"visit_import": capture},
        }

    return run


def anchor_copy_written(capture):
    """COPY the very rows the import wrote, history included, into empty copies.

    Each copy is its table's shape with every index and check (PostgreSQL's
    ``LIKE … INCLUDING ALL``), temporary: the anchor this benchmark has always
    used, so figures before and after a change compare. Two stricter bounds are
    reported beside it (``also``): the same COPY into logged copies, which write
    the write-ahead log as the import must, and into the tables themselves,
    which also hold every record already there (their indexes are larger).
    Each runs in a transaction rolled back.
    """

    def run():
        seconds, queries = copy_into(capture, "temporary")
        logged, _queries = copy_into(capture, "logged")
        real, _queries = copy_into(capture, None)
        rows = sum(len(rows) for _columns, rows in capture.values())
        return {
            "rows": rows,
            "timed_seconds": seconds,
            "timed_queries": queries,
            "also": {
                "the same COPY into logged copies of the tables": logged,
                "the same COPY into the tables themselves": real,
            },
        }

    return run


def copy_into(capture, copies):
    """Seconds and queries to COPY ``capture``: into new copies, or the tables."""
    from django.db import connection, transaction

    from .build import copy_rows

    quote = connection.ops.quote_name
    counter = QueryCounter()
    with transaction.atomic():
        target = {table: table for table in capture}
        if copies:
            with connection.cursor() as cursor:
                for number, table in enumerate(capture):
                    target[table] = copy = f"bench_copy_{number}"
                    if connection.vendor != "postgresql":
                        cursor.execute(
                            f"CREATE TABLE {quote(copy)} AS "
                            f"SELECT * FROM {quote(table)} WHERE 0"
                        )
                        continue
                    kind = "TEMPORARY " if copies == "temporary" else ""
                    cursor.execute(
                        f"CREATE {kind}TABLE {quote(copy)} "
                        f"(LIKE {quote(table)} INCLUDING ALL)"
                    )
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            for table, (columns, rows) in capture.items():
                copy_rows(target[table], columns, rows)
        seconds = time.perf_counter() - started
        # The copies go with the rollback (DDL is transactional in both).
        transaction.set_rollback(True)
    return seconds, counter.count


def anchor_copy_visits(data):
    """Parse the same CSV with csv, look up cities in a dict, COPY the rows."""

    def run():
        from django.db import transaction
        from django.utils import timezone
        from django_countries import countries

        from partnerships.models import (
            City,
            DelegationMember,
            Sector,
            Visit,
            localized_fields,
        )
        from partnerships.models.choices import DelegationRole, Direction, VisitStatus

        from .build import copy_rows, next_pk

        def columns(field):
            # A translated text: the field's own column and one per language.
            return (field, *localized_fields(field))

        def texts(value):
            # As the import writes an English-only file: English, nothing else.
            return (value, value, "", "")

        text = data.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text))
        headers = next(reader)
        col = {name: index for index, name in enumerate(headers)}
        with transaction.atomic():
            codes = {str(name): code for code, name in countries}
            cities = {
                (name, code): pk
                for pk, name, code in City.objects.values_list("pk", "name", "country")
            }
            sectors = dict(Sector.objects.values_list("name", "pk"))
            directions = {str(c.label): c.value for c in Direction}
            statuses = {str(c.label): c.value for c in VisitStatus}
            roles = {str(c.label): c.value for c in DelegationRole}
            now = timezone.now()
            visit_pk = next_pk(Visit)
            member_pk = next_pk(DelegationMember)
            through_pk = next_pk(Visit.sectors.through)
            visits, members, links = [], [], []
            for row in reader:
                home = cities[
                    (row[col["Home party"]], codes[row[col["Home party country"]]])
                ]
                partner = cities[
                    (row[col["Partner city"]], codes[row[col["Partner country"]]])
                ]
                visits.append(
                    (
                        visit_pk,
                        directions.get(row[col["Direction"]], "inbound"),
                        partner,
                        home,
                        *texts(row[col["Title"]]),
                        statuses.get(row[col["Status"]], "completed"),
                        row[col["Start date"]] or None,
                        row[col["End date"]] or None,
                        # The precision is how the start is written: 2027-05-14,
                        # 2027-05, 2027 (the full form's length is 10), or nothing.
                        {10: "day", 7: "month", 4: "year"}.get(
                            len(row[col["Start date"]]), "unknown"
                        ),
                        *texts(row[col["About the dates"]]),
                        False,
                        *texts(row[col["Purpose"]]),
                        *texts(row[col["Programme"]]),
                        *texts(row[col["Outcomes"]]),
                        *texts(row[col["Public summary"]]),
                        True,
                        row[col["Internal notes"]],
                        now,
                        now,
                    )
                )
                for position, line in enumerate(
                    filter(None, row[col["Delegation"]].splitlines())
                ):
                    role, _, body = line.partition(": ")
                    members.append(
                        (
                            member_pk,
                            visit_pk,
                            None,
                            *texts(body),
                            roles.get(role, "member"),
                            position,
                        )
                    )
                    member_pk += 1
                for name in filter(None, row[col["Sectors"]].split(", ")):
                    if name in sectors:
                        links.append((through_pk, visit_pk, sectors[name]))
                        through_pk += 1
                visit_pk += 1
            copy_rows(
                Visit._meta.db_table,
                [
                    "id",
                    "direction",
                    "partner_city_id",
                    "home_party_id",
                    *columns("title"),
                    "status",
                    "start_date",
                    "end_date",
                    "date_precision",
                    *columns("date_note"),
                    "head_unrecorded",
                    *columns("purpose"),
                    *columns("programme"),
                    *columns("outcomes"),
                    *columns("public_summary"),
                    "published",
                    "internal_notes",
                    "created_at",
                    "updated_at",
                ],
                visits,
            )
            copy_rows(
                DelegationMember._meta.db_table,
                [
                    "id",
                    "visit_id",
                    "person_id",
                    *columns("title_at_time"),
                    "role",
                    "position",
                ],
                members,
            )
            copy_rows(
                Visit.sectors.through._meta.db_table,
                ["id", "visit_id", "sector_id"],
                links,
            )
            transaction.set_rollback(True)
        return {"rows": len(visits)}

    return run


def registry_cities_and_agreements():
    """Delete the registry's cities and agreements (inside a transaction)."""
    from django.db import connection
    from django.db.models import Q

    from partnerships.models import Agreement, City
    from partnerships.models.choices import CityRole

    Agreement.objects.exclude(home_party__role=CityRole.HOME)._raw_delete(
        connection.alias
    )
    City.objects.filter(role=CityRole.PARTNER).exclude(
        Q(slug__startswith="benchmark-city-") | Q(slug="voronezh")
    )._raw_delete(connection.alias)


def import_registry(rows_limit):
    def run():
        capture = {}
        from django.core.management import call_command
        from django.db import transaction

        from partnerships.models import Agreement, City

        from .build import REGISTRY

        path = REGISTRY
        if rows_limit:
            lines = REGISTRY.read_text(encoding="utf-8").splitlines(keepends=True)
            path = RESULTS / "registry-sample.tsv"
            RESULTS.mkdir(exist_ok=True)
            path.write_text("".join(lines[: rows_limit + 1]), encoding="utf-8")
        with transaction.atomic():
            registry_cities_and_agreements()
            last_city = City.objects.order_by("-pk").values_list("pk", flat=True)[0]
            last_agreement = (
                Agreement.objects.order_by("-pk").values_list("pk", flat=True).first()
            ) or 0
            started = time.perf_counter()
            call_command("import_partnerships", str(path), stdout=io.StringIO())
            seconds = time.perf_counter() - started
            # What the import wrote, for the COPY anchor (not timed in the anchor).
            for model, last in ((City, last_city), (Agreement, last_agreement)):
                fields = [f.column for f in model._meta.concrete_fields]
                capture[model._meta.db_table] = (
                    fields,
                    list(model.objects.filter(pk__gt=last).values_list(*fields)),
                )
            transaction.set_rollback(True)
        rows = sum(len(rows) for _, rows in capture.values())
        return {
            "rows": rows,
            "command_seconds": seconds,
            "_keep": {"registry": capture},
        }

    return run


def anchor_copy_registry(capture):
    """COPY the rows the import wrote (passed back from its process)."""

    def run():
        from django.db import transaction

        from .build import copy_rows

        with transaction.atomic():
            registry_cities_and_agreements()
            started = time.perf_counter()
            for table, (columns, rows) in capture.items():
                copy_rows(table, columns, rows)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return {"rows": sum(len(r) for _, r in capture.values()), "copy": seconds}

    return run


# The period report --------------------------------------------------------------


def period_report(year):
    def run():
        from partnerships.spreadsheets.reports import ReportFilter, build_report

        out = io.BytesIO()
        build_report(
            ReportFilter(datetime.date(year, 1, 1), datetime.date(year, 12, 31)), out
        )
        data = out.getvalue()
        return {
            "rows": count_rows(data),
            "bytes": len(data),
            "_keep": {"report": base64.b64encode(data).decode()},
        }

    return run


def count_rows(data):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return sum(sheet.max_row or 0 for sheet in book.worksheets)


def anchor_report(data):
    """xlsxwriter writing the report's own cells (read back from it, not timed)."""
    from openpyxl import load_workbook

    data = base64.b64decode(data)
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheets = [
        (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
        for sheet in book.worksheets
    ]

    def run():
        import xlsxwriter

        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
        for title, rows in sheets:
            sheet = workbook.add_worksheet(title)
            for number, row in enumerate(rows):
                sheet.write_row(number, 0, row)
        workbook.close()
        return {"rows": sum(len(rows) for _, rows in sheets)}

    return run


# The run ---------------------------------------------------------------------------


def read_declared(last_row):
    """The import's reading of a small XLSX that declares a huge sheet."""
    from partnerships.spreadsheets.reading import read_table

    from .files import declared_xlsx

    data = declared_xlsx(last_row)

    def run():
        dataset = read_table(data, "declared.xlsx")
        return {"rows": len(dataset), "file_bytes": len(data)}

    return run


def anchor_declared(last_row):
    """openpyxl's read-only ``iter_rows``, which trusts the declared size (what
    the import did before)."""
    import openpyxl

    from .files import declared_xlsx

    data = declared_xlsx(last_row)

    def run():
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        rows = [row for row in book.active.iter_rows(values_only=True) if any(row)]
        book.close()
        return {"rows": len(rows) - 1, "file_bytes": len(data)}

    return run


def plan(scale_name, scale, import_rows=10_000):
    """``(name, anchor name, factory)`` in run order; factories run lazily."""
    visits = scale["visits"]
    tenth = max(visits // 10, 1)
    imported = min(import_rows, visits)
    shared = {}

    def file_for_import():
        if "import" not in shared:
            shared["import"] = import_file(imported)
        return shared["import"]

    registry_limit = scale.get("registry_rows")
    report_year = 2020
    steps = [
        ("export XLSX, all visits", None, lambda: export_xlsx(visits)),
        (
            "xlsxwriter constant_memory, same cells",
            "export XLSX, all visits",
            lambda: anchor_xlsx(visits),
        ),
        ("export XLSX, a tenth of the visits", None, lambda: export_xlsx(tenth)),
        (
            "xlsxwriter, a tenth",
            "export XLSX, a tenth of the visits",
            lambda: anchor_xlsx(tenth),
        ),
        ("export CSV, all visits", None, lambda: export_csv(visits)),
        ("csv module, same rows", "export CSV, all visits", lambda: anchor_csv(visits)),
        (
            "admin visit changelist",
            None,
            lambda: page("/admin/partnerships/visit/"),
        ),
        (
            "bare ModelAdmin changelist",
            "admin visit changelist",
            lambda: page("/bench/admin/partnerships/visit/"),
        ),
        (
            "admin visit search (person name)",
            None,
            lambda: page("/admin/partnerships/visit/?q=Benchmark+Person+00042"),
        ),
        (
            "bare ModelAdmin, same search on title",
            "admin visit search (person name)",
            lambda: page("/bench/admin/partnerships/visit/?q=Benchmark+visit+000042"),
        ),
        ("public partner list", None, lambda: page("/partners/", user=False)),
        ("trivial view", "public partner list", lambda: page("/bench/trivial/", False)),
        ("Voronezh page", None, lambda: page("/partners/voronezh/", user=False)),
        (
            "Voronezh page, 1,000 visits",
            None,
            lambda: page("/partners/voronezh/", user=False),
        ),
        (
            "the same page with its 10 latest visits",
            "Voronezh page, 1,000 visits",
            lambda: page(
                "/partners/voronezh/", user=False, keep_visits=("voronezh", 10)
            ),
        ),
        (
            "Voronezh's visits, page 20 (1,000 visits)",
            None,
            lambda: page("/partners/voronezh/visits/?page=20", user=False),
        ),
        (
            "its page 1 with only its 50 latest visits",
            "Voronezh's visits, page 20 (1,000 visits)",
            lambda: page(
                "/partners/voronezh/visits/", user=False, keep_visits=("voronezh", 50)
            ),
        ),
        ("trivial view ", "Voronezh page", lambda: page("/bench/trivial/", False)),
        (
            "Voronezh page, cached",
            None,
            lambda: page("/partners/voronezh/", user=False, clear_cache=False),
        ),
        ("trivial view  ", "Voronezh page, cached", lambda: page("/bench/trivial/", 0)),
        (
            "import visits (dry run: admin preview)",
            None,
            lambda: import_visits_preview(file_for_import()),
        ),
        (
            "csv parse and COPY of the same visits",
            "import visits (dry run: admin preview)",
            lambda: anchor_copy_visits(file_for_import()),
        ),
        (
            "import visits (manage.py import)",
            None,
            lambda: import_visits_command(file_for_import()),
        ),
        (
            "COPY of the rows it wrote, history included, into copies of the tables",
            "import visits (manage.py import)",
            lambda: anchor_copy_written(shared["visit_import"]),
        ),
        (
            "EU registry import (import_partnerships)",
            None,
            lambda: import_registry(registry_limit),
        ),
        (
            "COPY of the resulting rows",
            "EU registry import (import_partnerships)",
            lambda: anchor_copy_registry(shared["registry"]),
        ),
        (
            "read an XLSX declaring A1:XFD8000 (a row at 8,000)",
            None,
            lambda: read_declared(8_000),
        ),
        (
            "openpyxl iter_rows, same file",
            "read an XLSX declaring A1:XFD8000 (a row at 8,000)",
            lambda: anchor_declared(8_000),
        ),
        (
            "read an XLSX declaring A1:XFD1048576 (a row at 1,048,576)",
            None,
            lambda: read_declared(1_048_576),
        ),
        (
            f"period report {report_year}",
            None,
            lambda: period_report(report_year),
        ),
        (
            "xlsxwriter, the report's cells",
            f"period report {report_year}",
            lambda: anchor_report(shared["report"]),
        ),
    ]
    return steps, shared


def run(
    scale_name="full",
    build=True,
    only=None,
    fork=True,
    log=print,
    force=False,
    import_rows=10_000,
    timeout=None,
):
    from django.db import connection

    from .build import build as build_database
    from .build import database_is_built

    scale = SCALES[scale_name]
    state = code_state()
    if build or not database_is_built(scale["visits"]):
        in_child(lambda: {"counts": build_database(scale, force=force, log=log)}, fork)
    results = {}
    steps, shared = plan(scale_name, scale, import_rows)
    for name, anchor, factory in steps:
        if only and not any(word in name or word in (anchor or "") for word in only):
            continue
        if anchor and anchor not in results:
            continue
        log(f"… {name.strip()}")
        try:
            func = factory()
        except Exception:  # noqa: BLE001 - reported in the table
            results[name] = {"error": traceback.format_exc(limit=6)}
            continue
        outcome = in_child(func, fork, timeout)
        shared.update(outcome.pop("_keep", {}))
        if "request_seconds" in outcome:
            outcome["seconds"] = outcome["request_seconds"]
            outcome["queries"] = outcome["request_queries"]
        if "timed_seconds" in outcome:
            # Only the part of the run that is the path (or its anchor) itself.
            outcome["seconds"] = outcome["timed_seconds"]
            outcome["queries"] = outcome["timed_queries"]
        outcome["anchor"] = anchor
        results[name] = outcome
    for outcome in results.values():
        anchor = outcome.get("anchor")
        if not anchor or not outcome.get("seconds"):
            continue
        if "seconds" in results[anchor]:
            results[anchor]["ratio"] = results[anchor]["seconds"] / outcome["seconds"]
        elif "timeout" in results[anchor]:
            results[anchor]["ratio_above"] = (
                results[anchor]["timeout"] / outcome["seconds"]
            )
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": state,
        "database": connection.vendor,
        "scale": {"name": scale_name, **scale},
        "results": results,
    }
    return report


def code_state():
    """The commit measured, and which files differed from it when the run began."""
    import subprocess

    root = Path(__file__).resolve().parent.parent

    def git(*args):
        try:
            return subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            return ""

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "modified": git("status", "--porcelain", "--untracked-files=no").splitlines(),
    }


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()}"


def table(report):
    lines = [
        "| measurement | rows | time | rows/s | × anchor | peak MiB | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, outcome in report["results"].items():
        if "error" in outcome:
            first = outcome["error"].strip().splitlines()[-1]
            lines.append(f"| {name.strip()} | failed: {first} | | | | | |")
            continue
        if "timeout" in outcome:
            above = outcome.get("ratio_above")
            ratio = f"> {above:.1f}" if above else ""
            lines.append(
                f"| {name.strip()} | | > {outcome['timeout']} s (stopped) | "
                f"| {ratio} | | |"
            )
            continue
        seconds = outcome["seconds"]
        rows = outcome.get("rows", 0)
        rate = f"{rows / seconds:,.0f}" if seconds and rows > 1 else ""
        ratio = f"{outcome['ratio']:.2f}" if "ratio" in outcome else ""
        shown = f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"
        if outcome.get("anchor"):
            name = f"↳ {name.strip()}"
        lines.append(
            f"| {name} | {rows:,} | {shown} | {rate} | {ratio} | "
            f"{outcome['peak_mb']} | {outcome['queries']:,} |"
        )
        path = report["results"].get(outcome.get("anchor") or "", {})
        for label, other in outcome.get("also", {}).items():
            ratio = f"{path['seconds'] / other:.2f}" if path.get("seconds") else ""
            lines.append(f"| ↳ {label} | {rows:,} | {other:.3f} s | | {ratio} | | |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="full")
    parser.add_argument(
        "--no-build", action="store_true", help="Reuse the data if it is there."
    )
    parser.add_argument(
        "--only", action="append", help="Only measurements whose name has this."
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=10_000,
        help="Visit rows to import (default: %(default)s).",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900,
        help="Stop a measurement after this many seconds (default: %(default)s).",
    )
    parser.add_argument(
        "--force", action="store_true", help="Build even if the name lacks 'bench'."
    )
    options = parser.parse_args(argv)
    setup_django()
    report = run(
        options.scale,
        log=lambda text: print(text, file=sys.stderr, flush=True),
        build=not options.no_build,
        only=options.only,
        force=options.force,
        import_rows=options.import_rows,
        timeout=options.timeout,
    )
    print(
        f"\n{report['date']} · {report['machine']} · {report['database']} · "
        f"scale {options.scale} · commit {report['code']['commit']}\n"
    )
    print(table(report))
    RESULTS.mkdir(exist_ok=True)
    stamp = report["date"].replace(":", "")
    for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWritten to {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()
