"""The analyst's screens: the queue, a report, red-flag comparison, a subject's file, escalations."""
