"""Writing frames into the raw tables, exactly as the sources yml declares them.

Tables are created from the yml (column order and DuckDB types). A frame is registered with
DuckDB as an Arrow table and inserted with one ``INSERT ... SELECT`` whose projection builds
the string columns from integer codes (Salesforce ids from numbers, e-mails from name codes),
so no per-row Python runs. Time columns travel as int64 epoch seconds (``NULL_TIME`` = null)
and land as naive UTC ``TIMESTAMP`` / ``DATE``. Insertion order is preserved, so the same
frames always give byte-identical tables.
"""

from __future__ import annotations

import re

import duckdb
import numpy as np
import pyarrow as pa

from lead_funnel.contract import RawTable, raw_tables_by_key
from lead_funnel_tools.generator.landing import Frame
from lead_funnel_tools.generator.worktime import NULL_TIME

RAW_SCHEMAS = ("raw_salesforce", "raw_marketo")
STATE_SCHEMA = "lead_funnel_generator"
_TIME_TYPES = ("TIMESTAMP", "DATE")

MACROS = (
    "CREATE OR REPLACE TEMP MACRO sfid(p, n) AS "
    "CASE WHEN n IS NULL THEN NULL ELSE p || lpad(CAST(n AS VARCHAR), 15, '0') END",
)


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Session settings and the SQL macros the insert projections use."""
    con.execute("SET preserve_insertion_order = true")
    for macro in MACROS:
        con.execute(macro)


def recreate_raw_schemas(con: duckdb.DuckDBPyConnection) -> None:
    """Drop and recreate ``raw_salesforce`` and ``raw_marketo`` with the declared tables."""
    for schema in RAW_SCHEMAS:
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        con.execute(f"CREATE SCHEMA {schema}")
    for table in raw_tables_by_key().values():
        con.execute(table.create_sql())


def nullable(values: np.ndarray, null: np.ndarray) -> pa.Array:
    """An Arrow array with nulls where ``null`` is true."""
    return pa.array(values, mask=np.asarray(null, dtype=bool))


def codes(values: np.ndarray, dictionary: tuple[str, ...] | list[str]) -> pa.Array:
    """Strings from integer codes (negative = null) as an Arrow dictionary array."""
    idx = np.asarray(values, dtype=np.int32)
    indices = pa.array(idx, mask=idx < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(dictionary), pa.string()))


_SFID = re.compile(r"^sfid\('(\w{3})', (\w+)\)$")
_ID_DIGITS = 15


def sf_ids(prefix: str, numbers: np.ndarray | pa.Array) -> pa.Array:
    """Salesforce-style 18-character ids (prefix + 15 digits) built straight into Arrow buffers.

    Columns with few distinct ids (owners, campaigns) become dictionary arrays, which DuckDB
    stores much faster than as many separate strings.
    """
    if isinstance(numbers, pa.Array):
        valid = ~np.asarray(numbers.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        values = np.asarray(numbers.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    else:
        values = np.asarray(numbers, dtype=np.int64)
        valid = np.ones(len(values), dtype=bool)
    if len(values) > 1000:
        low = int(values[valid].min()) if valid.any() else 0
        span = int(values[valid].max()) - low + 1 if valid.any() else 1
        if span * 20 < len(values):
            indices = pa.array((values - low).astype(np.int32), mask=~valid)
            distinct = np.arange(low, low + span, dtype=np.int64)
            return pa.DictionaryArray.from_arrays(indices, _id_strings(prefix, distinct, None))
    return _id_strings(prefix, values, valid)


def _id_strings(prefix: str, values: np.ndarray, valid: np.ndarray | None) -> pa.Array:
    n = len(values)
    width = len(prefix) + _ID_DIGITS
    chars = np.empty((n, width), dtype=np.uint8)
    chars[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    rest = values.copy()
    for position in range(width - 1, len(prefix) - 1, -1):
        chars[:, position] = 48 + rest % 10
        rest //= 10
    offsets = pa.py_buffer(np.arange(0, (n + 1) * width, width, dtype=np.int32).tobytes())
    data = pa.py_buffer(chars.tobytes())
    if valid is None or valid.all():
        return pa.StringArray.from_buffers(n, offsets, data)
    bitmap = pa.array(valid).buffers()[1]
    return pa.StringArray.from_buffers(n, offsets, data, bitmap, int((~valid).sum()))


def _arrow_column(col: np.ndarray | pa.Array, sql_type: str | None) -> pa.Array:
    if isinstance(col, pa.Array):
        return col
    if sql_type in _TIME_TYPES and col.dtype == np.int64:
        return pa.array(col, type=pa.int64(), mask=col == NULL_TIME).cast(pa.timestamp("s"))
    if col.dtype.kind == "f":
        return pa.array(col, mask=np.isnan(col))
    return pa.array(col)


def insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: Frame,
    exprs: dict[str, str] | None = None,
) -> int:
    """Insert a frame into ``schema.table``: columns from the frame or SQL ``exprs``, else null."""
    spec: RawTable = raw_tables_by_key()[table]
    exprs = exprs or {}
    if not frame:
        return 0
    types = {c.name: c.data_type.upper() for c in spec.columns}
    frame = dict(frame)
    exprs = dict(exprs)
    for column, expr in list(exprs.items()):
        match = _SFID.match(expr)
        if match and match.group(2) in frame:
            frame[column] = sf_ids(match.group(1), frame[match.group(2)])
            del exprs[column]
    arrays, names = [], []
    for name, col in frame.items():
        if name.startswith("__"):
            continue
        arrays.append(_arrow_column(col, types.get(name)))
        names.append(name)
    source = pa.Table.from_arrays(arrays, names=names)
    n = source.num_rows
    if n == 0:
        return 0
    select = []
    for column in spec.columns:
        if column.name in exprs:
            expr = exprs[column.name]
        elif column.name in frame:
            expr = f'"{column.name}"'
        else:
            expr = "NULL"
        select.append(f'CAST({expr} AS {column.data_type}) AS "{column.name}"')
    con.register("__frame", source)
    try:
        con.execute(f"INSERT INTO {spec.qualified_name} SELECT {', '.join(select)} FROM __frame")
    finally:
        con.unregister("__frame")
    return n
