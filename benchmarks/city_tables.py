"""Writing the benchmark city's rows: PostgreSQL's COPY into a model's table, every column the
caller does not give filled with the model's default, and the id sequences moved on after it.
Used by generate_city.py (which sets Django up before importing this)."""

import datetime
import json
import time
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

CHUNK = 50_000


def log(message: str) -> None:
    print(message, flush=True)



class Loader:
    """Copies rows into a model's table. The caller gives some columns; every other
    concrete column gets the model's default, so new fields with defaults need no change."""

    def __init__(self, summary: dict[str, tuple[int, float]]):
        self.summary = summary
        self.now = timezone.now()

    def _defaults(self, model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list]:
        columns, values = [], []
        for field in model._meta.concrete_fields:
            if field.attname in given or (field.primary_key and isinstance(field, models.fields.AutoFieldMixin)):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            elif field.has_default():
                value = field.get_default()
                if isinstance(field, models.JSONField):
                    value = json.dumps(value)
            elif field.null:
                value = None
            elif isinstance(field, (models.CharField, models.TextField)):
                value = ""
            else:
                raise SystemExit(f"{model._meta.label}.{field.name} is required and has no default: "
                                 "teach benchmarks/generate_city.py to fill it.")
            if isinstance(value, bool) or value is None or isinstance(value, (int, str, datetime.date)):
                values.append(value)
            else:
                values.append(field.get_db_prep_save(value, connection))
            columns.append(field.column)
        return columns, values

    def copy(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], label: str = "") -> int:
        """COPY rows (tuples in the order of `fields`, attnames) into the model's table."""
        meta = model._meta
        table = meta.db_table
        label = label or table
        given_columns = [meta.get_field(name).column if name != "id" else meta.pk.column for name in fields]
        extra_columns, extra_values = self._defaults(model, fields)
        columns = ", ".join(f'"{column}"' for column in [*given_columns, *extra_columns])
        extra = tuple(extra_values)
        started = time.monotonic()
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            block = []
            for row in rows:
                block.append(row)
                if len(block) >= CHUNK:
                    count += self._write(raw, table, columns, block, extra)
                    block = []
                    elapsed = time.monotonic() - started
                    log(f"  {label}: {count:,} rows, {elapsed:.0f} s ({count / max(elapsed, 0.001):,.0f}/s)")
            if block:
                count += self._write(raw, table, columns, block, extra)
        elapsed = time.monotonic() - started
        previous_rows, previous_seconds = self.summary.get(label, (0, 0.0))
        self.summary[label] = (previous_rows + count, previous_seconds + elapsed)
        log(f"  {label}: {count:,} rows in {elapsed:.1f} s")
        return count

    @staticmethod
    def _write(raw, table: str, columns: str, block: list, extra: tuple) -> int:
        with raw.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            if extra:
                for row in block:
                    copy.write_row((*row, *extra))
            else:
                for row in block:
                    copy.write_row(row)
        return len(block)


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0] + 1


def sync_sequence(table: str, column: str = "id") -> None:
    """After rows were copied with explicit ids, the identity sequence continues after them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{table}"', column])
        sequence = cursor.fetchone()[0]
        if sequence:
            cursor.execute(f'SELECT setval(%s, GREATEST((SELECT MAX("{column}") FROM "{table}"), 1))', [sequence])
