"""The import's transactions: several bundles to a commit, and a turn for whoever waits."""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlcipher3

from hotline_tui.store.connection import Connection, begin_write
from hotline_tui.store.turns import TurnTaker


class BatchedCommits:
    """One transaction for several bundles, committed every ``reports`` reports or
    ``seconds`` seconds, at the end (a cancelled import included), and as soon as another
    session waits to write: it goes next (store/turns.py). Bundles are written
    without a savepoint each (a savepoint makes the full-text index write out what it
    holds in memory, a hundred small segments to merge later): a failure other than a
    refusal rolls back every bundle since the last commit, each wholly, as a crash does.
    Importing again brings them in."""

    def __init__(
        self, conn: Connection, reports: int, on_commit: Callable[[], None], turns: TurnTaker,
        seconds: float,
    ) -> None:
        self.conn, self.limit, self.on_commit, self.seconds = conn, reports, on_commit, seconds
        self.turns = turns
        self.pending = 0
        self.began = 0.0

    def __enter__(self) -> BatchedCommits:
        self._begin()
        return self

    def __exit__(self, kind: type[BaseException] | None, *_rest: object) -> None:
        try:
            self._finish(kind)
        finally:
            self.turns.close()

    def _finish(self, kind: type[BaseException] | None) -> None:
        try:
            if not self.conn.in_transaction:  # SQLite rolled it back itself (disk full, say)
                return
        except sqlcipher3.ProgrammingError:  # the session was closed meanwhile
            return
        if kind is not None:
            self.conn.execute("ROLLBACK")
            return
        try:
            self.conn.execute("COMMIT")
        except sqlcipher3.Error:
            self.conn.execute("ROLLBACK")
            raise

    def _begin(self) -> None:
        begin_write(self.conn)
        self.pending, self.began = 0, time.monotonic()

    def stored(self, reports: int) -> None:
        self.pending += reports
        if not self.let_in() and (self.pending >= self.limit or time.monotonic() - self.began >= self.seconds):
            self._commit()

    def let_in(self) -> bool:
        """Commit and let whoever waits to write go first, if anyone does; whether they did."""
        if not self.turns.someone_waiting():
            return False
        self._commit(let_in=True)
        return True

    def _commit(self, let_in: bool = False) -> None:
        self.conn.execute("COMMIT")
        self.on_commit()
        if let_in:
            self.turns.let_waiters_in()
        self._begin()
