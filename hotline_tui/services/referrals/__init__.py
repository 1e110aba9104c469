"""From a decided report to a force and back: approval, sealing, outcomes."""
