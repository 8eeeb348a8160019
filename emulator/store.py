"""SQLite persistence: one table of JSON bodies, so a restart with the same file keeps every object.

Fields whose name starts with "_" are bookkeeping (e.g. `_transition_at`); they are stored in the body
and stripped from responses by the routes.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    parent_id TEXT,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_by_parent ON objects (kind, parent_id, seq);
CREATE INDEX IF NOT EXISTS objects_children ON objects (parent_id);
"""

Body = dict[str, Any]


class Store:
    """Synchronous on purpose: every call is short and runs on the server's single event loop."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.executescript(SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def insert(self, kind: str, object_id: str, parent_id: str | None, body: Body) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO objects (id, kind, parent_id, body) VALUES (?, ?, ?, ?)",
                (object_id, kind, parent_id, json.dumps(body)),
            )

    def get(self, kind: str, object_id: str, parent_id: str | None) -> Body | None:
        """The object only if it has this kind and this parent, so a wrong path reads as 404."""
        row = self._db.execute(
            "SELECT body FROM objects WHERE id = ? AND kind = ? AND parent_id IS ?",
            (object_id, kind, parent_id),
        ).fetchone()
        return None if row is None else json.loads(row[0])

    def replace(self, object_id: str, body: Body) -> None:
        with self._db:
            self._db.execute("UPDATE objects SET body = ? WHERE id = ?", (json.dumps(body), object_id))

    def delete_tree(self, object_id: str) -> int:
        """Delete an object and, recursively, every object below it; returns how many went."""
        with self._db:
            cursor = self._db.execute(
                """
                WITH RECURSIVE tree(id) AS (
                    SELECT ?
                    UNION ALL
                    SELECT objects.id FROM objects JOIN tree ON objects.parent_id = tree.id
                )
                DELETE FROM objects WHERE id IN (SELECT id FROM tree)
                """,
                (object_id,),
            )
            return cursor.rowcount

    def page(self, kind: str, parent_id: str | None, offset: int, limit: int) -> tuple[list[Body], int]:
        """One page in creation order, plus the total count."""
        rows = self._db.execute(
            "SELECT body FROM objects WHERE kind = ? AND parent_id IS ? ORDER BY seq LIMIT ? OFFSET ?",
            (kind, parent_id, limit, offset),
        ).fetchall()
        (total,) = self._db.execute(
            "SELECT COUNT(*) FROM objects WHERE kind = ? AND parent_id IS ?", (kind, parent_id)
        ).fetchone()
        return [json.loads(body) for (body,) in rows], int(total)

    def all(self, kind: str, parent_id: str | None) -> list[Body]:
        rows = self._db.execute(
            "SELECT body FROM objects WHERE kind = ? AND parent_id IS ? ORDER BY seq", (kind, parent_id)
        ).fetchall()
        return [json.loads(body) for (body,) in rows]

    def marked(self, kind: str, field: str) -> list[Body]:
        """Every object of `kind` (any parent) whose body has a non-null top-level `field`, e.g.
        a bookkeeping mark such as `_deleting_at`, without decoding the others."""
        rows = self._db.execute(
            "SELECT body FROM objects WHERE kind = ? AND json_extract(body, ?) IS NOT NULL ORDER BY seq",
            (kind, f"$.{field}"),
        ).fetchall()
        return [json.loads(body) for (body,) in rows]

    def dump(self) -> list[tuple[str, str, str | None, Body]]:
        """Every object as (kind, id, parent id, body), in creation order."""
        rows = self._db.execute("SELECT kind, id, parent_id, body FROM objects ORDER BY seq").fetchall()
        return [(kind, object_id, parent_id, json.loads(body)) for kind, object_id, parent_id, body in rows]

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT kind, COUNT(*) FROM objects GROUP BY kind").fetchall()
        return {kind: int(count) for kind, count in rows}

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM objects")
