"""A large RIS file is read block by block; it must give what reading it whole gives."""

from __future__ import annotations

import pandas as pd
import pytest

import compendium.readers as readers
from compendium.readers import ReaderError, read_export

_FIXTURES = [
    "ris_blank_line_in_record.ris",
    "ris_continuation_lines.ris",
    "ris_cp1252.ris",
    "ris_cut_off.ris",
    "ris_ebscohost_db_code.ris",
    "ris_er_without_space.ris",
    "ris_four_letter_tag.ris",
    "ris_missing_er.ris",
    "ris_mixed_line_endings.ris",
    "ris_numbering_lines.ris",
    "ris_ovid_trailer.ris",
    "ris_preamble.ris",
    "ris_tag_outside_record.ris",
    "ris_utf16_bom.ris",
    "ris_utf8_bom.ris",
]


def _read(path):
    try:
        export = read_export(path)
    except ReaderError as error:
        return str(error), error.line
    return export.records, (export.format, export.encoding, export.bom, export.line_endings)


@pytest.mark.parametrize("name", _FIXTURES)
def test_streamed_read_equals_whole_read(fixture, monkeypatch, name):
    path = fixture(name)
    whole = _read(path)
    monkeypatch.setattr(readers, "STREAM_FROM", 0)
    monkeypatch.setattr(readers, "HEAD", 40)  # a head shorter than the file: streamed
    monkeypatch.setattr(readers.encoding, "_BLOCK", 7)  # blocks end inside lines and CRLFs
    streamed = _read(path)
    if isinstance(whole[0], pd.DataFrame):
        pd.testing.assert_frame_equal(streamed[0], whole[0], check_exact=True)
        assert streamed[1] == whole[1]
    else:
        assert streamed == whole
