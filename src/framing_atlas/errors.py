"""The one exception type for problems a user can fix."""

from __future__ import annotations


class AtlasError(Exception):
    """A problem the user can fix; says where (file, row, column) when it knows."""

    def __init__(self, msg: str, *, file: object = None, row: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(msg)
        self.file, self.row, self.field = file, row, field

    def __str__(self) -> str:
        where = [str(self.file) if self.file else "",
                 f"row {self.row}" if self.row is not None else "",
                 f"column '{self.field}'" if self.field else ""]
        return ": ".join([w for w in where if w] + [str(self.args[0])])


def require_columns(frame, columns, *, stage: str) -> None:
    """Raise AtlasError naming the columns a stage needs but did not get."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AtlasError(f"stage '{stage}' needs column(s) {', '.join(missing)}; "
                         f"got {', '.join(map(str, frame.columns))}")
