"""Where a search matched: the excerpt around the first match, the words marked, literal."""

from __future__ import annotations

from hotline_tui.services.triage.search_snippets import find_snippet


def test_the_excerpt_marks_each_word_of_the_search_at_a_word_start():
    document = {"narrative": "He met the dealer [b]twice[/b] behind the station; the dealers paid cash.",
                "subjects": [{"name": "Dave Whitfield"}]}
    found = find_snippet(document, "dealer AND cash", width=200)
    assert found is not None and found.field == "narrative"
    assert "[b]twice[/b]" in found.text  # markup stays text
    assert [found.text[a:b] for a, b in found.spans] == ["dealer", "dealers", "cash"]


def test_subjects_match_when_the_narrative_does_not_and_nothing_without_a_match():
    document = {"narrative": "Nothing here.", "subjects": [{"name": "Dave Whitfield", "station": "Lewisham"}]}
    found = find_snippet(document, "whitf")
    assert found is not None and found.field == "subjects"
    assert [found.text[a:b] for a, b in found.spans] == ["Whitfield"]
    assert find_snippet(document, "croydon") is None
    assert find_snippet(document, "  ") is None


def test_a_long_text_is_cut_around_the_match_with_ellipses():
    document = {"narrative": "word " * 100 + "needle " + "word " * 100}
    found = find_snippet(document, "needle", width=60)
    assert found is not None and found.text.startswith("…") and found.text.endswith("…")
    assert len(found.text) == 62 and [found.text[a:b] for a, b in found.spans] == ["needle"]
