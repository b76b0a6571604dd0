"""The one iCalendar writer (RFC 5545): parses back, folds long Chinese lines by octets, escapes text values."""

from datetime import datetime, timedelta, timezone

from icalendar import Calendar

from civiccenter.lib.ical import CalendarEvent, calendar, calendar_response

BEIJING = timezone(timedelta(hours=8))
START = datetime(2026, 12, 8, 9, 30, tzinfo=BEIJING)


def event(**fields):
    fields = {
        "uid": "hearing-7@civiccenter",
        "start": START,
        "end": START + timedelta(hours=3),
        "summary": "关于调整出租汽车运价的听证会",
        **fields,
    }
    return CalendarEvent(**fields)


def test_output_parses_back_with_every_field_and_times_in_utc():
    body = calendar(
        [event(location="区政府三楼会议室", description="价格听证 · 区发展和改革局", url="https://example.cn/h/7/")],
        product="Hearings",
        name="听证会",
    )
    parsed = Calendar.from_ical(body)
    assert parsed["prodid"] == "-//Civic Center Portal//Hearings//ZH" and parsed["x-wr-calname"] == "听证会"
    (item,) = parsed.walk("VEVENT")
    assert str(item["uid"]) == "hearing-7@civiccenter"
    assert item.decoded("dtstart") == START and item.decoded("dtstart").utcoffset() == timedelta(0)
    assert item.decoded("dtend") == START + timedelta(hours=3)
    assert str(item["summary"]) == "关于调整出租汽车运价的听证会"
    assert str(item["location"]) == "区政府三楼会议室" and str(item["url"]) == "https://example.cn/h/7/"
    assert "DTSTART:20261208T013000Z\r\n" in body and body.endswith("END:VCALENDAR\r\n")


def test_empty_optional_fields_are_left_out():
    body = calendar([event()], product="Venue bookings")
    assert "LOCATION" not in body and "DESCRIPTION" not in body and "URL" not in body
    assert "X-WR-CALNAME" not in body


def test_dicts_are_accepted_as_events():
    body = calendar([{"uid": "a@civiccenter", "start": START, "end": START, "summary": "已预订"}], product="x")
    assert [str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")] == ["已预订"]


def test_long_chinese_lines_fold_at_75_octets_without_splitting_a_character_rfc5545_3_1():
    summary = "关于《城市生活垃圾分类管理办法（征求意见稿）》公开征求意见的听证会，欢迎社会各界人士报名参加" * 2
    body = calendar([event(summary=summary)], product="Hearings")
    lines = body.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)  # folded
    body.encode("utf-8").decode("utf-8")  # no character was cut in two
    (item,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(item["summary"]) == summary


def test_commas_semicolons_backslashes_and_newlines_are_escaped_rfc5545_3_3_11():
    text = "一楼, 二楼; 三楼\\四楼\n第二行"
    body = calendar([event(summary=text, description=text, location=text)], product="Hearings")
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:一楼\\, 二楼\\; 三楼\\\\四楼\\n第二行\r\n" in unfolded
    (item,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(item["summary"]) == str(item["description"]) == str(item["location"]) == text


def test_response_is_a_calendar_download():
    response = calendar_response(calendar([event()], product="Hearings"), "hearings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hearings.ics"'
