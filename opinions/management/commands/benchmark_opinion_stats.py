"""Time the opinion statistics page over a large number of cases, in a throwaway copy of the database.

    manage.py benchmark_opinion_stats --cases 1000000

The copy is made from the current database (`CREATE DATABASE ... TEMPLATE`, so it has the schema, the
departments and the opinion categories: run `seed_demo` first), filled in SQL with `INSERT ... SELECT ...
generate_series` (not the ORM row by row), analysed, and dropped at the end unless `--keep`. The page is
then requested uncached (the cache cleared before each run) and cached, and the times printed.

    manage.py benchmark_opinion_stats --cases 1000000 --reuse   # fill once, then time again without refilling
    manage.py benchmark_opinion_stats --drop                    # drop the kept copy
"""

import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client

# Columns the generated rows fill themselves (SQL with psycopg2 parameters, so a modulo is written %%); every
# other NOT NULL column gets its type's empty value.
CASE_SQL = """
INSERT INTO civiccenter_case ({columns})
SELECT {values}
FROM generate_series(1, %(n)s) AS g
CROSS JOIN LATERAL (SELECT current_date - (g %% 1095) AS received) r
CROSS JOIN LATERAL (
    SELECT CASE WHEN g %% 100 < 88 AND r.received + (g * 7) %% 25 < current_date
                THEN ((r.received + (g * 7) %% 25)::timestamp + time '10:00') AT TIME ZONE %(tz)s END AS closed_at
) c
"""
CASE_VALUES = {
    "kind": "'opinion'",
    "number": "'BM-' || g",
    "query_code": "'BENCH000'",
    "contact_name": "'测试'",
    "channel": "(ARRAY['web','web','phone','window','post'])[1 + g %% 5]",
    "department_id": "(%(departments)s::bigint[])[1 + g %% %(department_count)s]",
    "status": "CASE WHEN c.closed_at IS NULL THEN 'accepted' ELSE 'replied' END",
    "received_on": "r.received",
    "clock_unit": "'working'",
    "clock_days": "15",
    "clock_start": "r.received",
    "due_date": "CASE WHEN c.closed_at IS NULL THEN r.received + 21 END",
    "closed_at": "c.closed_at",
    "due_at_close": "CASE WHEN c.closed_at IS NOT NULL THEN r.received + 21 END",
    "created_at": "r.received::timestamptz",
    "updated_at": "now()",
}
OPINION_SQL = """
INSERT INTO opinions_opinion ({columns})
SELECT {values}
FROM civiccenter_case c
WHERE c.number LIKE 'BM-%%'
"""
OPINION_VALUES = {
    "case_id": "c.id",
    "kind": "(ARRAY['suggestion','help','complaint'])[1 + c.id %% 3]",
    "category_id": "(%(categories)s::bigint[])[1 + c.id %% %(category_count)s]",
    "status": "c.status",
    "title": "'测试意见'",
    "description": "'测试内容'",
    "reply": "CASE WHEN c.closed_at IS NULL THEN '' ELSE '已处理' END",
    "replied_at": "c.closed_at",
    "consent_to_publish": "false",
    "created_at": "c.created_at",
}
RATING_SQL = """
INSERT INTO civiccenter_rating (case_id, channel, level, comment, created_at)
SELECT c.id, 'web', 1 + (c.id * 7) %% 5, '', c.closed_at
FROM civiccenter_case c
WHERE c.number LIKE 'BM-%%' AND c.closed_at IS NOT NULL AND c.id %% 2 = 0
"""
EMPTY = {"boolean": "false", "integer": "0", "smallint": "0", "bigint": "0", "numeric": "0"}


def _insert_sql(template, table, values):
    """Fill `values`, plus an empty value for any other NOT NULL column without a default."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL
            """,
            [table],
        )
        for name, data_type in cursor.fetchall():
            if name not in values and name != "id":
                values = {**values, name: EMPTY.get(data_type, "''")}
    return template.format(columns=", ".join(values), values=", ".join(values.values()))


class Command(BaseCommand):
    help = "Time /opinions/stats/ uncached and cached over N generated opinion cases in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Time against the kept throwaway database if there is one (no copy, no fill), and keep it.",
        )
        parser.add_argument("--drop", action="store_true", help="Only drop the kept throwaway database.")

    def handle(self, *args, cases, runs, keep, reuse, drop, **options):
        source = connection.settings_dict["NAME"]
        throwaway = f"{source}_stats_benchmark"
        if drop:
            connection.close()
            self._admin(f'DROP DATABASE IF EXISTS "{throwaway}"')
            self.stdout.write(f"Dropped the database {throwaway}.")
            return
        keep = keep or reuse
        reused = reuse and self._exists(throwaway)
        connection.close()
        if not reused:
            self._admin(f'DROP DATABASE IF EXISTS "{throwaway}"')
            self._admin(f'CREATE DATABASE "{throwaway}" TEMPLATE "{source}"')
        connection.settings_dict["NAME"] = throwaway
        try:
            if reused:
                self.stdout.write(f"Reusing the filled database {throwaway}.")
            else:
                self._fill(cases)
            self._time(runs)
        finally:
            connection.close()
            connection.settings_dict["NAME"] = source
            if not keep:
                self._admin(f'DROP DATABASE IF EXISTS "{throwaway}"')
            else:
                self.stdout.write(f"Kept the database {throwaway}.")

    def _exists(self, name):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _admin(self, sql):
        """CREATE and DROP DATABASE run outside a transaction, from the maintenance database."""
        import psycopg2

        params = connection.get_connection_params()
        params.pop("database", None)
        params["dbname"] = "postgres"
        params.pop("cursor_factory", None)
        admin = psycopg2.connect(**params)
        try:
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(sql)
        finally:
            admin.close()

    def _fill(self, n):
        from civiccenter.models import Department
        from opinions.models import Category

        departments = list(Department.objects.values_list("pk", flat=True))
        categories = list(Category.objects.values_list("pk", flat=True))
        if not departments or not categories:
            raise CommandError("No departments or opinion categories: run `manage.py seed_demo` first.")
        params = {
            "n": n,
            "tz": settings.TIME_ZONE,
            "departments": departments,
            "department_count": len(departments),
            "categories": categories,
            "category_count": len(categories),
        }
        steps = [
            ("cases", _insert_sql(CASE_SQL, "civiccenter_case", CASE_VALUES)),
            ("opinions", _insert_sql(OPINION_SQL, "opinions_opinion", OPINION_VALUES)),
            ("ratings", RATING_SQL),
        ]
        with connection.cursor() as cursor:
            for label, sql in steps:
                started = time.monotonic()
                cursor.execute(sql, params)
                self.stdout.write(f"Inserted {cursor.rowcount} {label} in {time.monotonic() - started:.1f} s.")
            started = time.monotonic()
            cursor.execute("ANALYZE civiccenter_case, opinions_opinion, civiccenter_rating")
            self.stdout.write(f"Analysed in {time.monotonic() - started:.1f} s.")

    def _time(self, runs):
        client = Client(HTTP_HOST="localhost")
        url = "/opinions/stats/"
        uncached = []
        for _ in range(runs):
            cache.clear()
            started = time.monotonic()
            response = client.get(url)
            uncached.append(time.monotonic() - started)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        cached = []
        for _ in range(max(runs, 5)):
            started = time.monotonic()
            client.get(url)
            cached.append(time.monotonic() - started)
        self.stdout.write(
            f"{url} uncached: median {statistics.median(uncached) * 1000:.0f} ms "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in uncached)} ms)"
        )
        self.stdout.write(f"{url} cached:   median {statistics.median(cached) * 1000:.1f} ms")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM civiccenter_case WHERE kind = 'opinion'")
            self.stdout.write(f"Opinion cases in the database: {cursor.fetchone()[0]}")
        connections.close_all()
