"""Every record accounted for, in formats without an end-of-record mark.

Ovid's text displays, MEDLINE and CSV end a record only where the next one starts (or at a
line end), so a damaged header, a missing blank line or a file cut short would merge or
lose records without a sign. Each case below is a small export of our own making, with the
damage done to it; the fuzzing at the end does such damage at random: delete, duplicate or
damage a record's header line, or cut the file inside a record, and the reader must give
the right count or its own error naming the line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compendium import columns as col
from compendium.readers import ReaderError, read_export, read_records

PREAMBLE = (
    "Database: APA PsycInfo <1806 to August Week 1 2022>\n"
    "Search Strategy:\n"
    "--------------------------------------------------------------------------------\n"
    "1     peer support.mp. (9137)\n\n"
    "***************************\n\n"
)


def ovid_labelled(n: int) -> str:
    records = [
        f"<{k}>\nAccession Number\n  2022-{k:05d}-001\nAuthor\n  Smith, J.; Brown, K.\n"
        f"Title\n  Peer support study {k}\nSource\n  Journal of Mental Health. Vol.{k}(2), "
        f"2020, pp. {k}1-{k}9.\nYear of Publication\n  2020\n"
        f"Link to the Ovid Full Text or citation:\n  http://ovidsp.ovid.com/?AN=2022-{k:05d}\n\n"
        for k in range(1, n + 1)
    ]
    return PREAMBLE + "".join(records)


def ovid_tagged(n: int) -> str:
    return "".join(
        f"<{k}. >\nVN  - Ovid Technologies\nDB  - Embase\nUI  - {600 + k}\n"
        f"TI  - Peer support study {k}\nAU  - Smith J.\nSO  - J Ment Health. {k}(2) "
        f"(pp {k}1-{k}9), 2020.\nYR  - 2020\n\n"
        for k in range(1, n + 1)
    )


def medline(n: int) -> str:
    return "".join(
        f"PMID- {3000 + k}\nOWN - NLM\nTI  - Peer support study {k} of people\n"
        f"      with psychosis.\nFAU - Smith, John\nAU  - Smith J\nDP  - 2020\n"
        f"SO  - J Ment Health. 2020;{k}(2):{k}1-{k}9.\n\n"
        for k in range(1, n + 1)
    )


def csv_export(n: int) -> str:
    rows = [f'"Peer support, study {k}","Smith, J; Brown, K",2020,10.1/{k}' for k in range(n)]
    return "title,authors,year,doi\n" + "\n".join(rows) + "\n"


def write(tmp_path: Path, text: str, name: str = "export.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error(path: Path) -> ReaderError:
    with pytest.raises(ReaderError) as info:
        read_records(path)
    return info.value


@pytest.mark.parametrize(
    ("make", "count"),
    [(ovid_labelled, 6), (ovid_tagged, 6), (medline, 6), (csv_export, 6)],
    ids=["ovid-labelled", "ovid-tagged", "medline", "csv"],
)
def test_the_intact_exports_read_whole(tmp_path, make, count):
    assert len(read_records(write(tmp_path, make(count)))) == count


# --- Ovid ------------------------------------------------------------------------------------
@pytest.mark.parametrize("damaged", ["<2 >", "< 2>", "<2", "2>"])
def test_a_damaged_ovid_header_is_an_error_at_its_line(tmp_path, damaged):
    text = ovid_labelled(4).replace("<2>\n", f"{damaged}\n")
    line = text.split("\n").index(damaged) + 1
    found = error(write(tmp_path, text))
    assert found.line == line
    assert "record header such as '<2>'" in str(found)


def test_a_damaged_header_in_a_tagged_export_is_an_error(tmp_path):
    text = ovid_tagged(4).replace("<3. >", "<3 .>")
    assert error(write(tmp_path, text)).line == text.split("\n").index("<3 .>") + 1


def test_a_record_left_out_is_an_error_naming_the_number_that_follows(tmp_path):
    text = ovid_labelled(4)
    text = text[: text.index("<2>")] + text[text.index("<3>") :]
    found = error(write(tmp_path, text))
    assert "record header <3> follows <1>: expected <2>" in str(found)
    assert found.line == text.split("\n").index("<3>") + 1


@pytest.mark.parametrize("lost", ["<2>", "<4>"])
def test_a_lost_header_is_the_first_field_twice_in_one_record(tmp_path, lost):
    text = ovid_labelled(4).replace(f"{lost}\n", "")
    found = error(write(tmp_path, text))
    lines = text.split("\n")
    second = [i for i, line in enumerate(lines) if line == "Accession Number"][int(lost[1]) - 1]
    assert found.line == second + 1
    assert "hold the field it starts with once" in str(found)


def test_text_after_the_search_history_is_an_error(tmp_path):
    # the first record's header lost: its fields follow the row of asterisks
    text = ovid_labelled(3).replace("<1>\n", "")
    found = error(write(tmp_path, text))
    assert found.line == text.split("\n").index("Accession Number") + 1
    assert "row of asterisks" in str(found)


def test_ovid_records_may_count_down_but_not_skip(tmp_path):
    down = "".join(f"<{k}>\nTitle\n  Study {k}\nSource\n  J. 2020.\n\n" for k in (9, 8, 7))
    assert len(read_records(write(tmp_path, down))) == 3
    skipping = down.replace("<8>", "<6>")
    assert "record header <6> follows <9>: expected <8>" in str(error(write(tmp_path, skipping)))


@pytest.mark.parametrize("make", [ovid_labelled, ovid_tagged], ids=["labelled", "tagged"])
def test_an_ovid_file_cut_short_inside_a_record_is_an_error(tmp_path, make):
    text = make(5)
    cut = text[: text.index("Peer support study 5") + 10]  # inside record 5's title
    found = error(write(tmp_path, cut))
    assert "the file ends inside the record starting here" in str(found)
    assert found.line == cut.split("\n").index(next(h for h in ("<5>", "<5. >") if h in cut)) + 1


# --- MEDLINE ---------------------------------------------------------------------------------
def test_a_missing_blank_line_between_medline_records_is_an_error_at_the_second_pmid(tmp_path):
    text = medline(3).replace("\n\nPMID- 3002", "\nPMID- 3002")
    found = error(write(tmp_path, text, "export.nbib"))
    assert found.line == text.split("\n").index("PMID- 3002") + 1
    assert "a second 'PMID' in one record: expected a blank line" in str(found)


def test_a_medline_file_cut_short_is_an_error(tmp_path):
    text = medline(6)
    cut = text[: text.index("PMID- 3004") + 40]
    found = error(write(tmp_path, cut, "export.nbib"))
    assert "ends with 'SO'" in str(found)
    assert found.line == cut.split("\n").index("PMID- 3004") + 1


# --- CSV -------------------------------------------------------------------------------------
def test_a_csv_file_cut_short_is_an_error(tmp_path):
    text = csv_export(8)
    cut = text[: text.index('"Peer support, study 5"') + 30]  # inside the authors cell
    found = error(write(tmp_path, cut, "export.csv"))
    assert "still open at the end of the file" in str(found)
    assert found.line == 7


def test_a_csv_header_repeated_below_is_an_error(tmp_path):
    text = csv_export(3) + csv_export(2)
    assert error(write(tmp_path, text, "export.csv")).line == 5


# --- counts the export states ----------------------------------------------------------------
def test_an_ris_file_holding_fewer_records_than_it_states_is_an_error(tmp_path):
    record = "TY  - JOUR\nTI  - Peer support {k}\nER  - \n\n"
    text = "".join(f"Record #{k} of 3\n" + record.format(k=k) for k in (1, 2))
    found = error(write(tmp_path, text, "export.ris"))
    assert "states it holds 3 records" in str(found) and "2 read" in str(found)
    whole = text + "Record #3 of 3\n" + record.format(k=3)
    assert len(read_records(write(tmp_path, whole, "export.ris"))) == 3


# --- encodings -------------------------------------------------------------------------------
def test_a_utf8_file_with_a_stray_latin1_byte_is_an_error_naming_line_and_column(tmp_path):
    text = "TY  - JOUR\nAU  - Décio, A\nTI  - Peer support\nER  - \n"
    data = text.encode("utf-8").replace(b"Peer", b"P\xe9er")
    path = tmp_path / "export.ris"
    path.write_bytes(data)
    found = error(path)
    assert "1 byte(s) not valid UTF-8" in str(found)
    assert "line 3, column 8 (byte 0xE9)" in str(found)
    assert found.line == 3


def test_a_cp1252_file_is_still_read_as_cp1252(tmp_path):
    path = tmp_path / "export.ris"
    path.write_bytes("TY  - JOUR\nAU  - Décio, A\nER  - \n".encode("cp1252"))
    export = read_export(path)
    assert export.encoding == "cp1252"
    assert export.records.loc[0, col.AUTHORS] == "Décio, A"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_recognised(tmp_path, encoding):
    path = write(tmp_path, "TY  - JOUR\nAU  - Décio, A\nER  - \n", "export.ris", encoding)
    export = read_export(path)
    assert (export.encoding, export.bom) == (encoding, False)
    assert export.records.loc[0, col.AUTHORS] == "Décio, A"


# --- record-level fuzzing --------------------------------------------------------------------
def _header_lines(kind: str, lines: list[str]) -> list[int]:
    starts = {
        "ovid-labelled": lambda line: line.startswith("<") and line.endswith(">"),
        "ovid-tagged": lambda line: line.startswith("<") and line.endswith(". >"),
        "medline": lambda line: line.startswith("PMID-"),
        "csv": lambda line: line.startswith("title,"),
    }[kind]
    return [i for i, line in enumerate(lines) if starts(line)]


MAKERS = {"ovid-labelled": ovid_labelled, "ovid-tagged": ovid_tagged, "medline": medline}
MAKERS["csv"] = csv_export
DAMAGE = (
    lambda line: line.replace(">", " >"),
    lambda line: line.replace("<", ""),
    lambda line: line.replace(">", ""),
    lambda line: line[:1] + "O" + line[2:],  # a digit (or letter) read as another
    lambda line: " " + line,
    lambda line: line.replace("-", " ", 1),
    lambda line: line.replace(",", ";", 1),
    lambda line: line.lower(),
)


def _read_count_or_error(path: Path, expected: int) -> None:
    try:
        records = read_records(path)
    except ReaderError as found:
        assert found.line is not None, str(found)
        return
    assert len(records) == expected


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from(sorted(MAKERS)),
    count=st.integers(min_value=3, max_value=7),
    mutation=st.sampled_from(["delete", "duplicate", "damage"]),
    which=st.integers(min_value=0, max_value=10),
    damage=st.sampled_from(range(len(DAMAGE))),
)
def test_a_damaged_record_header_gives_the_count_or_an_error_naming_the_line(
    tmp_path_factory, kind, count, mutation, which, damage
):
    lines = MAKERS[kind](count).split("\n")
    headers = _header_lines(kind, lines)
    at = headers[which % len(headers)]
    if mutation == "delete":
        del lines[at]
    elif mutation == "duplicate":
        lines.insert(at, lines[at])
    else:
        changed = DAMAGE[damage](lines[at])
        if changed == lines[at]:
            return  # this damage does not apply to this kind of header
        lines[at] = changed
    path = write(tmp_path_factory.mktemp("fuzz"), "\n".join(lines))
    _read_count_or_error(path, count)


# Where a record's last field starts: a file cut before it has lost that record's end.
_LAST_FIELD = {"ovid-labelled": "Link to the Ovid", "ovid-tagged": "YR  - ", "medline": "SO  - "}


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(sorted(MAKERS)),
    count=st.integers(min_value=3, max_value=7),
    record=st.integers(min_value=2, max_value=6),
    share=st.floats(min_value=0.0, max_value=0.999),
)
def test_a_file_cut_inside_a_record_is_an_error_naming_the_line(
    tmp_path_factory, kind, count, record, share
):
    # Cut inside the third record or later (two whole records before it show what a
    # record ends with), before the record's last field, or for CSV before its last cell.
    text = MAKERS[kind](count)
    lines = text.split("\n")
    if kind == "csv":
        starts = [len("\n".join(lines[:i])) + 1 for i in range(1, count + 1)]
        row = min(record, count - 1)
        start, end = starts[row], starts[row] + lines[row + 1].rindex(",")
    else:
        headers = _header_lines(kind, lines)
        row = min(record, count - 1)
        start = len("\n".join(lines[: headers[row]])) + 1
        end = text.index(_LAST_FIELD[kind], start)
    cut = text[: start + 1 + int(share * (end - start - 1))]
    path = write(tmp_path_factory.mktemp("cut"), cut)
    with pytest.raises(ReaderError) as info:
        read_records(path)
    assert info.value.line is not None, str(info.value)
