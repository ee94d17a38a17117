"""Pipe tables laid out for the terminal: aligned, wrapped, never wider than the pane."""

from __future__ import annotations

from rich.cells import cell_len as cell_width

from tuireader.core.formats.tables import (
    column_widths,
    is_delimiter,
    layout_table,
    split_cells,
    table_extent,
)

TABLE = [
    "| Name | Role | Notes |",
    "|:-----|:----:|------:|",
    "| Ada | *engine* | 1843 |",
    "| Charles \\| B. | designer | a long note that will need wrapping when narrow |",
]


def texts(rows: list) -> list[str]:
    """The text of every display row."""
    return [row.text for line in rows for row in line]


def test_cells_and_delimiters() -> None:
    """Outer pipes dropped, escaped pipes kept; delimiter rows recognised."""
    assert split_cells("| a | b \\| c |") == ["a", "b | c"]
    assert is_delimiter("|:--|--:|---|") and not is_delimiter("| a | b |")


def test_fits_at_natural_widths_with_alignment() -> None:
    """A wide pane: one row per line, columns aligned, inline markup rendered."""
    rows = layout_table(TABLE, 120, cell_width)
    assert [len(line) for line in rows] == [1, 1, 1, 1]
    lines = texts(rows)
    assert lines[0].startswith("Name         │   Role   │")
    assert set(lines[1]) <= {"─", "┼"}
    assert "engine" in lines[2] and "*" not in lines[2]
    assert lines[2].endswith("1843")  # right-aligned column
    assert "Charles | B." in lines[3]
    positions = {line.index("│") for line in lines if "│" in line}
    assert len(positions) == 1  # the first separator lines up on every row


def test_narrow_pane_wraps_cells_and_stays_inside() -> None:
    """At 40 cells the long note wraps over several rows, each at most 40 cells."""
    rows = layout_table(TABLE, 40, cell_width)
    assert len(rows[3]) > 1
    assert all(cell_width(text) <= 40 for text in texts(rows))
    joined = " ".join(row.text.split("│")[-1].strip() for row in rows[3])
    assert "a long note that will need wrapping when narrow" in " ".join(joined.split())


def test_too_many_columns_never_exceed_by_much() -> None:
    """Twelve columns at 30 cells: minimum widths, the caller crops the rest."""
    header = "|" + "|".join(f" c{i} " for i in range(12)) + "|"
    rows = layout_table([header, "|" + "---|" * 12, header], 30, cell_width)
    assert rows and all(row for row in rows)


def test_column_widths_share_the_room() -> None:
    """Natural widths when they fit; otherwise shrunk to the room, narrow columns kept."""
    assert column_widths([5, 10], [5, 10], 40) == [5, 10]
    widths = column_widths([5, 100], [5, 12], 40)
    assert widths[0] == 5 and sum(widths) + 3 == 40


def test_wide_characters_count_double() -> None:
    """CJK cells are measured in terminal cells, so columns still line up."""
    rows = layout_table(["| 名前 | x |", "|---|---|", "| 日本語 | y |"], 80, cell_width)
    lines = texts(rows)
    assert cell_width(lines[0].split("│")[0]) == cell_width(lines[2].split("│")[0])


def test_extent_needs_a_delimiter_row() -> None:
    """A run of pipe lines is a table only with a delimiter as its second line."""
    doc = ["text", *TABLE, "", "| not | a table |", "| just | pipes |"]
    assert table_extent(doc.__getitem__, 3, len(doc)) == (1, 4)
    assert table_extent(doc.__getitem__, 7, len(doc)) is None
    assert table_extent(doc.__getitem__, 0, len(doc)) is None


def test_table_rows_for_every_line_of_the_table() -> None:
    """Any line of a table gives the rows of all its lines; other lines give None."""
    from tuireader.core.formats.tables import table_rows

    doc = ["Intro.", "", *TABLE, "", "After."]
    rows = table_rows(doc.__getitem__, 4, len(doc), 60, cell_width)
    assert rows is not None and sorted(rows) == [2, 3, 4, 5]
    assert table_rows(doc.__getitem__, 0, len(doc), 60, cell_width) is None
