"""Template components (templates/components/): what a reader and a screen reader get from the shared macros."""

import re

import pytest

from audit_app import create_app


@pytest.fixture(scope="module")
def render():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")

    def render(source, **context):
        imports = '{% from "components/table.html" import data_table, link, hidden, with_notes %}'
        with app.test_request_context():
            return app.jinja_env.from_string(imports + source).render(**context)

    return render


def test_typed_text_is_shown_as_typed_and_never_becomes_markup(render):
    typed = '<script>alert("x")</script> & co'
    page = render(
        '{{ data_table("Cases", ["Case", "Note"], [[link(typed, "/cases/1"), typed]]) }}',
        typed=typed,
    )
    assert "<script>" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co") == 2
    assert '<a class="govuk-link" href="/cases/1">' in page


def test_markup_from_a_macro_or_a_set_block_keeps_its_tags(render):
    page = render(
        '{% set cell %}<strong class="govuk-tag">{{ word }}</strong>{% endset %}'
        '{{ data_table("Tags", ["Tag", hidden("Action")], [[cell, with_notes("A1", "Team <b>")]]) }}',
        word="<i>Done</i>",
    )
    assert '<strong class="govuk-tag">&lt;i&gt;Done&lt;/i&gt;</strong>' in page
    assert '<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Action</span></th>' in page
    assert 'A1 <span class="govuk-body-s app-block">Team &lt;b&gt;</span>' in page


def test_caption_headers_with_scope_numeric_columns_and_row_headers(render):
    page = render(
        '{{ data_table("Agreement", ["Domain", "n", "Share"], [["Voice", 4, none]], numeric=(1, 2), row_headers=true,'
        ' caption_size="s", id="by-domain", classes="app-x") }}'
    )
    assert '<table class="govuk-table app-x" id="by-domain">' in page
    assert '<caption class="govuk-table__caption govuk-table__caption--s">Agreement</caption>' in page
    assert re.findall(r'<th scope="col" class="([^"]+)">', page) == [
        "govuk-table__header",
        "govuk-table__header govuk-table__header--numeric",
        "govuk-table__header govuk-table__header--numeric",
    ]
    assert '<th scope="row" class="govuk-table__header">Voice</th>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric"></td>' in page  # none shows as nothing


def test_no_rows_gives_one_row_saying_so_across_every_column(render):
    page = render(
        '{{ data_table("Teams", ["Team", "Locality", "Service"], [], caption_hidden=true, empty="No teams yet.") }}'
    )
    assert '<td class="govuk-table__cell" colspan="3">No teams yet.</td>' in page
    assert "govuk-visually-hidden" in page.split("<caption")[1].split(">")[0]
    assert "<tr" in render('{{ data_table("Teams", ["Team"], [], empty="None") }}').split("<tbody")[1]
    assert "<tr" not in render('{{ data_table("Teams", ["Team"], []) }}').split("<tbody")[1]


def test_rows_and_cells_carry_their_attributes_and_a_wide_table_scrolls(render):
    rows = [
        {
            "cells": ["Voice", {"text": 3, "attributes": {"data-grade": "<2>", "data-good": True}}],
            "attributes": {"data-key": "v"},
        }
    ]
    page = render('{{ data_table("Spread", ["Domain", "Good"], rows, scroll_label="Spread, scrolls") }}', rows=rows)
    assert '<div class="app-table-scroll" tabindex="0" role="region" aria-label="Spread, scrolls">' in page
    assert '<tr class="govuk-table__row" data-key="v">' in page
    assert '<td class="govuk-table__cell" data-grade="&lt;2&gt;" data-good>3</td>' in page


def test_a_cell_with_an_href_is_the_same_link_as_the_link_macro_and_a_cell_without_one_is_plain_text(render):
    rows = [
        [{"text": "<b>4</b>", "href": "/evidence?a=1&b=2", "hidden": " for <Voice>", "classes": "x", "colspan": 2}],
        [{"text": 0, "href": None}],
    ]
    page = render(
        '{{ data_table("Figures", ["Count"], rows) }}{{ link("<b>4</b>", "/evidence?a=1&b=2", hidden=" for <Voice>") }}',
        rows=rows,
    )
    made = '<a class="govuk-link" href="/evidence?a=1&amp;b=2">&lt;b&gt;4&lt;/b&gt;<span class="govuk-visually-hidden"> for &lt;Voice&gt;</span></a>'
    assert f'<td class="govuk-table__cell x" colspan="2">{made}</td>' in page
    assert page.endswith(made)  # the link macro draws the very same link
    assert '<td class="govuk-table__cell">0</td>' in page


def test_a_summary_list_escapes_typed_values_and_leaves_out_rows_a_record_does_not_have(render):
    page = render(
        '{% from "components/macros.html" import summary_list %}'
        '{% set rag %}<strong class="govuk-tag">Red</strong>{% endset %}'
        '{{ summary_list([("Owner", typed), ("Outcome", "x") if false else none, ("RAG", rag), ("Lead", none)]) }}',
        typed="<b>Sam</b>",
    )
    assert re.findall(r'<dt class="govuk-summary-list__key">\s*(.*?)\s*</dt>', page) == ["Owner", "RAG", "Lead"]
    assert "&lt;b&gt;Sam&lt;/b&gt;" in page and "<b>" not in page
    assert '<strong class="govuk-tag">Red</strong>' in page


def test_an_empty_message_says_so_and_offers_the_action_that_starts_the_list(render):
    page = render(
        '{% from "components/macros.html" import empty_message %}'
        '{{ empty_message("No cases yet.", "Import cases", "/admin/cases/import", end=" first.") }}{{ empty_message("None.") }}'
    )
    assert page == (
        '<p class="govuk-body">No cases yet. <a class="govuk-link" href="/admin/cases/import">Import cases</a> first.</p>'
        '<p class="govuk-body">None.</p>'
    )
