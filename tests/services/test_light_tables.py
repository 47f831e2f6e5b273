"""The light table clauses that the start's 工作台 and a cold print read instead of the ORM's mapped tables."""

from __future__ import annotations

from app.db.tables import metadata
from app.services.kernel import light_tables


def test_the_light_tables_match_the_mapped_ones() -> None:
    """Each column named in a light clause exists in the mapped table, with a type of the same class (a date
    stays a date, a UTC time a UTC time, a flag a flag)."""
    import app.models

    app.models.load_all_models()  # declares every table on the shared MetaData
    for light in light_tables.LIGHT_TABLES:
        mapped = metadata.tables[light.name]
        for col in light.c:
            assert col.name in mapped.c, f"{light.name}.{col.name}"
            assert type(col.type) is type(mapped.c[col.name].type), f"{light.name}.{col.name}"
