"""The reference data the product carries as its own."""

from __future__ import annotations

from hotline_tui import reference
from import_export import documents


def test_forty_eight_forces_with_unique_codes() -> None:
    forces = reference.forces()
    assert len(forces) == 48
    assert len({f.code for f in forces}) == 48
    ons = [f.ons_pfa_code for f in forces if f.ons_pfa_code]  # Scotland, NI and the UK-wide forces have none
    assert len(ons) == len(set(ons)) == 43
    assert {f.oversight_body for f in forces} == {"IOPC", "PIRC", "PONI"}


def test_hampshire_has_its_2022_name() -> None:
    hampshire = reference.force_by_code("hampshire")
    assert hampshire is not None and hampshire.name == "Hampshire and Isle of Wight Constabulary"
    assert hampshire.iopc


def test_scotland_and_northern_ireland_are_not_iopc() -> None:
    assert reference.force_by_code("police-scotland").oversight_body == "PIRC"
    assert not reference.force_by_code("northern-ireland").iopc
    assert reference.force_by_code("atlantis") is None


def test_tables_agree_with_the_bundle_formats() -> None:
    assert tuple(b.code for b in reference.BEHAVIOURS) == documents.BEHAVIOURS
    assert tuple(s.code for s in reference.OUTCOME_STATUSES) == documents.OUTCOME_STATUSES
    assert tuple(g.code for g in reference.GRADING_SOURCE) == documents.GRADING_SOURCE
    assert tuple(g.code for g in reference.GRADING_INTELLIGENCE) == documents.GRADING_INTELLIGENCE
    assert tuple(g.code for g in reference.GRADING_HANDLING) == documents.GRADING_HANDLING
    assert tuple(c.code for c in reference.HANDLING_CONDITIONS) == documents.HANDLING_CONDITIONS
    assert len(reference.SERVICE_BEHAVIOURS) == 5
    assert {b.code for b in reference.SERVICE_BEHAVIOURS} <= set(documents.BEHAVIOURS)


def test_categories_and_criteria() -> None:
    assert len(reference.CATEGORIES) == 12 and len({c.code for c in reference.CATEGORIES}) == 12
    assert len(reference.IOPC_CRITERIA) == 6
    assert [d.code for d in reference.DISCRIMINATION_TYPES] == ["racist", "homophobic", "misogynistic", "disablist"]
    assert reference.label_of(reference.GRADING_SOURCE, "2") == "Untested"
    assert reference.label_of(reference.CATEGORIES, "unknown-code") == "unknown-code"


def test_every_force_has_a_short_name_that_fits_the_queue_at_100_columns():
    from hotline_tui.reference import forces, short_force_name

    for force in forces():
        assert 0 < len(force.short_name) <= 18 and "(" not in force.short_name
        assert short_force_name(force.name) == force.short_name
    assert short_force_name("Avon and Somerset Constabulary") == "Avon and Somerset"
    assert short_force_name("the Met") == "the Met"  # a reporter's hint stays as written
