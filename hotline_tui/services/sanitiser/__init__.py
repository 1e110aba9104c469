"""The sanitiser: does a text give the reporter away?

Pure functions over a report document (FORMATS.md "report"). Texts are normalised
before they are compared (``normalise``: look-alike letters, accents, invisible
characters, digits written as letters or words), the way spam and fraud filters do.
Two kinds of finding:

- *blocking* (a sure hit): a value of the reporter object (name, phone, e-mail; the name
  an e-mail address spells when there is no name), the intake reference or report id,
  however disguised. A referral carrying one is never submitted nor approved
  (``assessment.submit`` and ``approval.approve`` check again, whatever the screen showed);
- *warnings* (a likely hit): a name spelled close to the reporter's or sounding like it,
  words that say how the reporter knows the subject, and what the narrative says about
  the reporter (job, home, workplace, what they do for the subject) repeated in the
  summary. The analyst answers each (reworded, or kept with a reason: ``answers``).

A false alarm costs a rewording; a miss can cost a reporter their safety.
"""

from hotline_tui.services.sanitiser.answers import FieldWarning, WarningAnswer, field_warnings, unanswered
from hotline_tui.services.sanitiser.check import (
    SanitisationFlag,
    blocking_flags,
    referral_leaks,
    sanitisation_flags,
    warning_flags,
)
from hotline_tui.services.sanitiser.profile import ROOM_REFERENCE_PREFIX, phone_core, reporter_values

__all__ = [
    "FieldWarning",
    "ROOM_REFERENCE_PREFIX",
    "WarningAnswer",
    "field_warnings",
    "unanswered",
    "SanitisationFlag",
    "blocking_flags",
    "phone_core",
    "referral_leaks",
    "reporter_values",
    "sanitisation_flags",
    "warning_flags",
]
