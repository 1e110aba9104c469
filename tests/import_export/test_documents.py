"""documents.py: each document is refused naming the field; unknown fields are kept."""

from __future__ import annotations

import copy
from typing import Any

import bundlekit
import pytest
from bundlekit import make_outcome, make_referral, make_report

from import_export.documents import grading_code, validate_outcome, validate_referral, validate_report
from import_export.errors import DocumentInvalid
from import_export.minisign import SecretKey

REQUIRED_REPORT_FIELDS = [
    "report_id",
    "reference",
    "channel",
    "received_at",
    "subjects",
    "behaviours",
    "narrative",
    "attachments",
]


def refused_field(validate, document: Any) -> str:
    with pytest.raises(DocumentInvalid) as info:
        validate(document)
    return info.value.field


def test_sample_report_is_valid() -> None:
    report = make_report()
    assert validate_report(report) is report


@pytest.mark.parametrize("field", REQUIRED_REPORT_FIELDS)
def test_missing_required_report_field(field: str) -> None:
    assert refused_field(validate_report, make_report(**{field: ...})) == field


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("report_id", 42, "report_id"),
        ("report_id", "not-a-uuid", "report_id"),
        ("report_id", None, "report_id"),
        ("reference", ["PAC"], "reference"),
        ("reference", "x" * 101, "reference"),
        ("channel", "fax", "channel"),
        ("channel", True, "channel"),
        ("received_at", "yesterday", "received_at"),
        ("received_at", "2026-03-14T09:12:00", "received_at"),  # no time zone
        ("received_at", "2026-03-14", "received_at"),
        ("received_at", 1710407520, "received_at"),
        ("reporter", "anonymous", "reporter"),
        ("reporter", {"anonymous": "yes"}, "reporter.anonymous"),
        ("reporter", {"name": 7}, "reporter.name"),
        ("reporter", {"relationship": "neighbour"}, "reporter.relationship"),
        ("reporter", {"consent_to_contact": "yes"}, "reporter.consent_to_contact"),
        ("reporter", {"email": "x" * 2001}, "reporter.email"),
        ("subjects", {"role": "officer"}, "subjects"),
        ("subjects", ["officer"], "subjects[0]"),
        ("subjects", [{"name": "PC A"}], "subjects[0].role"),
        ("subjects", [{"role": "officer"}, {"role": "sergeant"}], "subjects[1].role"),
        ("subjects", [{"role": "officer", "collar_number": 1234}], "subjects[0].collar_number"),
        ("subjects", [{"role": "officer", "description": "x" * 100_001}], "subjects[0].description"),
        ("subjects", [{"role": "staff"}] * 1001, "subjects"),
        ("force_hint", 5, "force_hint"),
        ("behaviours", "corruption", "behaviours"),
        ("behaviours", ["corruption", "bribery"], "behaviours[1]"),
        ("behaviours", [["corruption"]], "behaviours[0]"),
        ("behaviours", ["other"] * 21, "behaviours"),
        ("narrative", None, "narrative"),
        ("narrative", 3.5, "narrative"),
        ("narrative", "x" * 100_001, "narrative"),
        ("when", False, "when"),
        ("where", {"x": 1}, "where"),
        ("handler_notes", [], "handler_notes"),
        ("attachments", "photo.jpg", "attachments"),
        ("attachments", ["photo.jpg"], "attachments[0]"),
        ("attachments", [{"media_type": "image/jpeg", "path": "a.jpg"}], "attachments[0].name"),
        ("attachments", [{"name": "a", "path": "a.jpg"}], "attachments[0].media_type"),
        ("attachments", [{"name": "a", "media_type": "image/jpeg"}], "attachments[0].path"),
        ("attachments", [{"name": "a", "media_type": "x", "path": "../a.jpg"}], "attachments[0].path"),
        ("attachments", [{"name": "a", "media_type": "x", "path": "a b.jpg"}], "attachments[0].path"),
        ("attachments", [{"name": "a", "media_type": "x", "path": "sub/../../a"}], "attachments[0].path"),
        ("attachments", [{"name": "a", "media_type": "x", "path": ""}], "attachments[0].path"),
    ],
)
def test_wrong_report_field(field: str, value: Any, named: str) -> None:
    assert refused_field(validate_report, make_report(**{field: value})) == named


@pytest.mark.parametrize("document", [[], "report", None, 1])
def test_report_is_an_object(document: Any) -> None:
    assert refused_field(validate_report, document) == "report"


def test_optional_fields_may_be_absent_or_null() -> None:
    report = make_report(reporter=..., force_hint=..., when=None, where=..., handler_notes=None, behaviours=[], subjects=[])
    validate_report(report)


def test_named_reporter_and_attachments() -> None:
    report = make_report(
        reporter={
            "name": "A. Person",
            "phone": "0123",
            "email": "a@example.org",
            "relationship": "victim",
            "consent_to_contact": True,
        },
        attachments=[{"name": "photo", "media_type": "image/jpeg", "path": "photo.jpg"}],
    )
    report["attachments"].append(
        {"name": "doc", "media_type": "application/pdf", "path": f"attachments/{report['report_id']}/doc.pdf"}
    )
    validate_report(report)


def test_unknown_fields_are_kept_untouched() -> None:
    report = make_report(x_extra={"nested": [1, "[bold]"]}, narrative="[@click=app.quit]\x1b[2J")
    before = copy.deepcopy(report)
    assert validate_report(report) == before


class TestOutcome:
    def test_valid(self) -> None:
        validate_outcome(make_outcome())
        validate_outcome(make_outcome(date="2026-04-02T10:00:00+01:00", note=...))
        # the Home Office categories are optional (a first-version bundle has none)
        validate_outcome(make_outcome(status="dismissed", case_to_answer=True, proceedings="misconduct_hearing",
                                      finding="proven", sanction="dismissal_without_notice"))

    @pytest.mark.parametrize("field", ["referral_id", "status", "date"])
    def test_missing(self, field: str) -> None:
        assert refused_field(validate_outcome, make_outcome(**{field: ...})) == field

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("referral_id", "x"),
            ("status", "won"),
            ("date", "02/04/2026"),
            ("date", "2026-04-02T10:00:00"),
            ("date", 20260402),
            ("note", 1),
            ("case_to_answer", "yes"),
            ("proceedings", "hearing"),
            ("finding", "guilty"),
            ("sanction", "sacked"),
        ],
    )
    def test_wrong(self, field: str, value: Any) -> None:
        assert refused_field(validate_outcome, make_outcome(**{field: value})) == field


class TestReferral:
    supervisor = SecretKey.generate()

    def test_valid(self) -> None:
        referral = make_referral(self.supervisor)
        validate_referral(referral)
        assert grading_code(referral["grading"]) == "[2CP]"
        validate_referral(
            make_referral(
                self.supervisor, grading={"source": 1, "intelligence": "A", "handling": "C", "handling_conditions": ["A1", "S2"]}
            )
        )

    @pytest.mark.parametrize(
        "field",
        [
            "referral_id",
            "force",
            "created",
            "subjects",
            "categories",
            "grading",
            "priority",
            "iopc_referral_criteria",
            "summary",
            "linked_referrals",
            "analyst",
            "approved_by",
            "approved_at",
            "attachments",
        ],
    )
    def test_missing(self, field: str) -> None:
        referral = make_referral(self.supervisor)
        del referral[field]
        assert refused_field(validate_referral, referral) == field

    @pytest.mark.parametrize(
        ("field", "value", "named"),
        [
            ("grading", {"source": "4", "intelligence": "A", "handling": "P"}, "grading.source"),
            ("grading", {"source": "1", "intelligence": "F", "handling": "P"}, "grading.intelligence"),
            ("grading", {"source": "1", "intelligence": "A", "handling": "X"}, "grading.handling"),
            ("grading", {"source": "1", "intelligence": "A", "handling": "C"}, "grading.handling_conditions"),
            (
                "grading",
                {"source": "1", "intelligence": "A", "handling": "C", "handling_conditions": ["Z9"]},
                "grading.handling_conditions",
            ),
            ("grading", "2CP", "grading"),
            ("categories", [1], "categories[0]"),
            ("linked_referrals", [None], "linked_referrals[0]"),
            ("approved_by", {"name": "S"}, "approved_by.key_id"),
            ("approved_by", {"key_id": "0" * 16}, "approved_by.name"),
            ("approved_by", {"name": "S", "key_id": "0" * 17}, "approved_by.key_id"),
            ("approved_at", "soon", "approved_at"),
            ("summary", 12, "summary"),
        ],
    )
    def test_wrong(self, field: str, value: Any, named: str) -> None:
        assert refused_field(validate_referral, make_referral(self.supervisor, **{field: value})) == named


def test_sample_factories_share_the_force() -> None:
    assert make_referral(SecretKey.generate())["force"] == bundlekit.FORCE
