"""Revocation: a revoked key opens nothing new, and what it brought in earlier is listed.

The rule: a revoked key is refused for every bundle the room had not already accepted
when the revocation was recorded, whatever the bundle says about itself (the reader
refuses a revoked signer, and the import checks again inside its write transaction, so
a revocation recorded while an import runs is not slipped past). The "from" time of a
revocation only marks which bundles the room accepted earlier are now suspect: those it
accepted at or after that time (by the room's clock, never the bundle's claim).
"""

from hotline_tui.services.revocation.suspects import (
    Consequences,
    SuspectBundle,
    consequences,
    refuse_if_revoked,
    suspect_bundles,
    suspect_line,
)

__all__ = ["Consequences", "SuspectBundle", "consequences", "refuse_if_revoked", "suspect_bundles", "suspect_line"]
