"""The assessment screen: the original report beside the form (screen.py), the form's
fields (form.py) and its red flags (red_flags.py)."""

from hotline_tui.screens.assessment.screen import AssessmentScreen

__all__ = ["AssessmentScreen"]
