"""The one CSV writer: UTF-8 with a BOM, headers in the reader's language, formulas kept text, big sets streamed."""

import csv
import io
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy

from civiccenter.lib.csvexport import as_text, cell, csv_response


def parse(text):
    return list(csv.reader(io.StringIO(text)))


def test_text_starts_with_a_bom_and_parses_back():
    text = as_text(["编号", "标题"], [[1, "关于“稳就业”的通知, 第一号"], [2, "第二行\n换行"]])
    assert text.startswith("\ufeff")
    assert parse(text[1:]) == [["编号", "标题"], ["1", "关于“稳就业”的通知, 第一号"], ["2", "第二行\n换行"]]


def test_cells_a_spreadsheet_would_run_as_formulas_are_kept_text():
    assert [cell(v) for v in ("=SUM(A1)", "+1", "-x", "@cmd", "a=b")] == ["'=SUM(A1)", "'+1", "'-x", "'@cmd", "a=b"]


def test_numbers_and_none():
    assert [cell(v) for v in (None, 0, -3, 2.5, Decimal("-1.50"), True)] == ["", "0", "-3", "2.5", "-1.50", "True"]


def test_no_header_row_when_none_is_given():
    assert parse(as_text(None, [["a", 1]])[1:]) == [["a", "1"]]


def test_response_is_a_download_and_header_labels_are_in_the_readers_language():
    header = [gettext_lazy("Title"), gettext_lazy("Status")]
    with translation.override("zh-hans"):
        response = csv_response("drafts.csv", header, [["x", "y"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="drafts.csv"'
    with translation.override("zh-hans"):
        expected = [str(label) for label in header]
    assert parse(response.content.decode("utf-8-sig"))[0] == expected
    with translation.override("en"):
        english = csv_response("drafts.csv", header, [])
    assert parse(english.content.decode("utf-8-sig")) == [["Title", "Status"]]


def test_a_streamed_file_reads_its_rows_as_sent_in_the_language_of_the_request():
    read = []

    def rows():
        for i in range(3):
            read.append(i)
            yield [i, gettext_lazy("Status")]

    with translation.override("en"):
        response = csv_response("big.csv", ["n", gettext_lazy("Status")], rows(), stream=True)
    assert response.streaming and read == []
    with translation.override("zh-hans"):
        body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and read == [0, 1, 2]
    assert parse(body[1:]) == [["n", "Status"], *[[str(i), "Status"] for i in range(3)]]
