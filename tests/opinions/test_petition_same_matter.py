"""The same matter in new words (Letters and Visits Regulations Art. 19 and 36, issue 15): the earlier petitions
offered to staff at acceptance, the link to one of them, and the blocks applied through the link.

Dates: petitions are filed on Thu 24 Sep 2026 unless said otherwise (test_petitions.py's helpers).
"""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import translation

from civiccenter import roles
from civiccenter.cases import InvalidTransition
from civiccenter.models import User
from opinions.models.petition_rules import identity_digest, request_pairs
from opinions.models.petitions import Petition
from tests.conftest import make_staff
from tests.hearings.test_hearings_rules import make_id
from tests.opinions.test_petitions import file, issued, opinion, reviewed

pytestmark = pytest.mark.django_db
S = Petition.Status

LEAK = "要求区市场监管局责令小区旁的餐馆整改油烟直排问题"
LEAK_NEW_WORDS = "请求区市场监管局责令小区旁的餐馆整改油烟直排问题"
UNRELATED = "请求公开本区二〇二五年预算执行情况"


def visit(department, *, name="赵大伟", address="示范区文三路 100 号", request=LEAK, phone="", id_number="", **extra):
    """A visit registered by a clerk (no account): only what the petitioner tells at the window identifies them."""
    return file(
        None, department, name=name, address=address, request=request, phone=phone, id_number=id_number, **extra
    )


def numbers(petitions):
    return [p.case.number for p in petitions]


def refused(call, language):
    with pytest.raises(InvalidTransition) as refusal:
        call()
    with translation.override(language):
        return str(refusal.value)


@pytest.fixture
def other_staff(other_department):
    return make_staff("other-reviewer@example.cn", roles.DEPARTMENT_REVIEWER, other_department)


# --- Candidates: the same petitioner, or the same request in new words ------------------------------------------


def test_art19_candidates_found_by_identity_number_kept_as_a_keyed_digest(department, staff_user):
    number = make_id()
    earlier = visit(department, id_number=number, request=UNRELATED)
    # Another name written at the window, another address, other words: only the identity card says who it is.
    later = visit(department, name="赵 大伟", address="示范区学院路 5 号", request=LEAK, id_number=number.lower())
    (found,) = later.likely_same_matter(staff_user)
    assert found == earlier and found.by_identity and not found.by_phone and not found.by_account
    assert later.id_digest == earlier.id_digest == identity_digest("id", number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_digest FROM opinions_petition WHERE id = %s", [later.pk])
        stored, digest = cursor.fetchone()
    assert number not in stored and number not in digest  # encrypted at rest; the digest is keyed, not the number


def test_art19_candidates_found_by_phone_number(department, staff_user):
    earlier = visit(department, phone="138 0013 8000", request=UNRELATED)
    later = visit(department, name="赵先生", address="示范区学院路 5 号", phone="+86 13800138000")
    (found,) = later.likely_same_matter(staff_user)
    assert found == earlier and found.by_phone and not found.by_identity
    assert later.phone_digest == identity_digest("phone", "13800138000") != ""


def test_art19_candidates_found_by_the_same_account(applicant, department, staff_user):
    earlier = file(applicant, department, request=UNRELATED)
    later = file(applicant, department, request=LEAK)
    (found,) = later.likely_same_matter(staff_user)
    assert found == earlier and found.by_account


def test_art19_candidates_found_by_similar_text_with_changed_words(department, staff_user):
    """要求 → 请求: a new fingerprint, so filing is not refused, but the request keeps most of its pairs."""
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    assert later.fingerprint != earlier.fingerprint
    (found,) = later.likely_same_matter(staff_user)
    assert found == earlier and not (found.by_identity or found.by_phone or found.by_account)
    assert 0.8 < found.similarity < 1
    # Someone else stating the same request in other words is offered too: staff judge.
    another = visit(
        department, name="钱小红", address="示范区古翠路 8 号", request="请区市场监管局责令小区旁餐馆整改油烟直排"
    )
    assert numbers(another.likely_same_matter(staff_user)) == numbers([later, earlier])


def test_candidates_list_the_same_petitioner_first_then_by_similarity(applicant, department, staff_user):
    mine = file(applicant, department, request=UNRELATED)
    close = visit(department, request=LEAK_NEW_WORDS)
    later = file(applicant, department, request=LEAK)
    assert numbers(later.likely_same_matter(staff_user)) == numbers([mine, close])


def test_art19_no_candidate_for_an_unrelated_petition(applicant, other_applicant, department, staff_user):
    file(applicant, department, request=LEAK)
    visit(department, request="请求查处超市销售过期食品", phone="13700137000", id_number=make_id())
    later = file(other_applicant, department, request=UNRELATED)
    assert later.likely_same_matter(staff_user) == []


def test_art19_candidates_are_earlier_and_not_refused_ones(department, staff_user):
    refused_one = visit(department)
    refused_one.refuse(by=staff_user, reason="重复信访")
    middle = visit(department, request=LEAK_NEW_WORDS)
    later = visit(department, request="要求区市场监管局责令小区旁边的餐馆整改油烟直排的问题")
    assert numbers(later.likely_same_matter(staff_user)) == numbers([middle])
    assert middle.likely_same_matter(staff_user) == []  # the later one is never offered to the earlier


def test_art19_candidates_stay_in_the_staff_members_department(department, other_department, staff_user, other_staff):
    phone = "13600136000"
    visit(other_department, phone=phone, request=UNRELATED)
    later = visit(department, phone=phone)
    assert later.likely_same_matter(staff_user) == []  # the other department's petition is not offered
    assert later.likely_same_matter(other_staff) == []  # nor does the other department see this one's


def test_matching_keys_are_filled_on_save(department):
    petition = visit(department, phone="13500135000")
    Petition.objects.filter(pk=petition.pk).update(phone_digest="", request_pairs=[])
    petition.refresh_from_db()
    petition.request = "请求整改"
    petition.save()
    petition.refresh_from_db()
    assert petition.request_pairs == request_pairs("请求整改") == ["整改", "求整", "请求"]
    assert petition.phone_digest == identity_digest("phone", "13500135000")


def test_the_data_migration_fills_the_keys_of_earlier_petitions(department):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("opinions.migrations.0010_same_matter")
    petition = visit(department, phone="13500135000")
    Petition.objects.filter(pk=petition.pk).update(phone_digest="", request_pairs=[])
    migration.fill_matching_keys(apps, None)
    petition.refresh_from_db()
    assert petition.phone_digest == identity_digest("phone", "13500135000")
    assert petition.request_pairs == request_pairs(LEAK)


def test_an_invalid_identity_number_is_refused(department):
    with pytest.raises(InvalidTransition):
        visit(department, id_number="36042619910102009X")
    assert not Petition.objects.exists()


# --- The link --------------------------------------------------------------------------------------------------


def test_art19_link_to_an_earlier_petition_notes_both_timelines(department, staff_user):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    later.link_same_matter(by=staff_user, earlier=earlier)
    assert later.same_matter_as == earlier and later.status == S.REGISTERED
    assert list(earlier.repeated_by.all()) == [later]
    for case, other in ((later.case, earlier.case), (earlier.case, later.case)):
        event = case.events.last()
        assert (event.kind, event.public, event.actor) == ("note", False, staff_user)
        assert other.number in event.note


def test_art19_link_refused_to_itself(department, staff_user):
    petition = visit(department)
    for language, text in (("en", "itself"), ("zh-hans", "不能与其自身关联")):
        assert text in refused(lambda: petition.link_same_matter(by=staff_user, earlier=petition), language)


def test_art19_link_refused_to_a_later_petition(department, staff_user):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    message = refused(lambda: earlier.link_same_matter(by=staff_user, earlier=later), "en")
    assert later.case.number in message and "after this one" in message
    assert later.case.number in refused(lambda: earlier.link_same_matter(by=staff_user, earlier=later), "zh-hans")
    earlier.refresh_from_db()
    assert earlier.same_matter_as is None


def test_art19_link_refused_across_departments(department, other_department, staff_user, other_staff):
    mine = visit(department)
    theirs = visit(other_department, request=LEAK_NEW_WORDS)
    # My later petition to their earlier one, and their staff linking mine: neither is in one department.
    elsewhere = visit(department, request="要求区市场监管局责令小区旁的餐馆整改油烟直排")
    for earlier, by in ((theirs, staff_user), (mine, other_staff)):

        def link(earlier=earlier, by=by):
            elsewhere.link_same_matter(by=by, earlier=earlier)

        assert "own department" in refused(link, "en")
        assert "本部门" in refused(link, "zh-hans")
    elsewhere.refresh_from_db()
    assert elsewhere.same_matter_as is None


def test_art19_link_refused_when_already_linked(department, staff_user):
    first = visit(department)
    second = visit(department, request=LEAK_NEW_WORDS)
    later = visit(department, request="要求区市场监管局责令小区旁的餐馆整改油烟直排")
    later.link_same_matter(by=staff_user, earlier=first)
    for language in ("en", "zh-hans"):
        message = refused(lambda: later.link_same_matter(by=staff_user, earlier=second), language)
        assert first.case.number in message
    assert "already linked" in refused(lambda: later.link_same_matter(by=staff_user, earlier=second), "en")


def test_link_needs_a_handler_and_a_registered_petition(department, staff_user, supervisor):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    with pytest.raises(InvalidTransition):
        later.link_same_matter(by=supervisor, earlier=earlier)
    later.accept(by=staff_user, today=date(2026, 9, 24))  # not linked: acceptance is the staff's call
    with pytest.raises(InvalidTransition, match="not possible while the status"):
        later.link_same_matter(by=staff_user, earlier=earlier)


# --- Art. 19 and 36 through the link ------------------------------------------------------------------------------


def test_art19_linked_pending_matter_refuses_acceptance(department, staff_user):
    earlier = visit(department)
    earlier.accept(by=staff_user, today=date(2026, 9, 24))
    later = visit(department, request=LEAK_NEW_WORDS, today=date(2026, 9, 28))
    later.link_same_matter(by=staff_user, earlier=earlier)
    english = refused(lambda: later.accept(by=staff_user, today=date(2026, 9, 28)), "en")
    assert earlier.case.number in english and "Art. 19" in english and "Do not accept" in english
    chinese = refused(lambda: later.accept(by=staff_user, today=date(2026, 9, 28)), "zh-hans")
    assert earlier.case.number in chinese and "第十九条" in chinese and "告知信访人" in chinese
    later.refresh_from_db()
    assert later.status == S.REGISTERED
    # The proper move: not accepted, with the reason told to the petitioner.
    reason = later.linked_repeat_refusal(today=date(2026, 9, 28))
    with translation.override("zh-hans"):
        later.refuse(by=staff_user, reason=str(reason), today=date(2026, 9, 28))
    assert later.status == S.NOT_ACCEPTED and "第十九条" in later.decision_note


def test_art19_linked_to_a_registered_or_transferred_matter_refuses_acceptance(department, staff_user):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    later.link_same_matter(by=staff_user, earlier=earlier)
    assert "Art. 19" in refused(lambda: later.accept(by=staff_user), "en")
    earlier.transfer(by=staff_user, organ="文三街道办事处", reason="属地管理")
    assert "Art. 19" in refused(lambda: later.accept(by=staff_user), "en")


def test_art36_linked_final_matter_refuses_acceptance(applicant, department, staff_user):
    earlier = reviewed(applicant, department, staff_user, date(2026, 9, 10))
    earlier.request_rereview(by=applicant, reason="仍不服", today=date(2026, 9, 30))
    opinion(earlier, staff_user, date(2026, 10, 20), outcome="not_supported")
    assert earlier.status == S.FINAL
    later = file(applicant, department, request="要求责令小区旁的餐馆整改油烟直排问题", today=date(2026, 11, 2))
    later.link_same_matter(by=staff_user, earlier=earlier)
    english = refused(lambda: later.accept(by=staff_user, today=date(2026, 11, 2)), "en")
    assert earlier.case.number in english and "re-review" in english and "Art. 36" in english
    chinese = refused(lambda: later.accept(by=staff_user, today=date(2026, 11, 2)), "zh-hans")
    assert earlier.case.number in chinese and "第三十六条" in chinese and "告知信访人" in chinese


def test_art36_linked_matter_whose_review_period_ended_refuses_acceptance(applicant, department, staff_user):
    """An opinion of 10 Sep may be reviewed until 10 Oct (Art. 35); within it the matter is pending (Art. 19),
    after it the opinion stands and the matter is settled (Art. 36)."""
    earlier = issued(applicant, department, staff_user, date(2026, 9, 10))
    later = file(applicant, department, request="要求责令小区旁的餐馆整改油烟直排问题", today=date(2026, 9, 24))
    later.link_same_matter(by=staff_user, earlier=earlier)
    assert "Art. 19" in refused(lambda: later.accept(by=staff_user, today=date(2026, 9, 24)), "en")
    late = refused(lambda: later.accept(by=staff_user, today=date(2026, 11, 2)), "en")
    assert "can no longer be reviewed" in late and "Art. 36" in late and earlier.case.number in late
    assert "第三十六条" in refused(lambda: later.accept(by=staff_user, today=date(2026, 11, 2)), "zh-hans")


def test_art19_link_to_a_matter_not_accepted_does_not_block(department, staff_user):
    earlier = visit(department)
    earlier.refuse(by=staff_user, reason="信访人撤回")
    later = visit(department, request=LEAK_NEW_WORDS)
    later.link_same_matter(by=staff_user, earlier=earlier)
    later.accept(by=staff_user, today=date(2026, 9, 24))
    assert later.status == S.ACCEPTED


def test_art19_a_chain_of_repeats_leads_to_the_first_petition_of_the_matter(department, staff_user):
    first = visit(department)
    first.accept(by=staff_user, today=date(2026, 9, 24))
    second = visit(department, request=LEAK_NEW_WORDS)
    second.link_same_matter(by=staff_user, earlier=first)
    second.refuse(by=staff_user, reason=str(second.linked_repeat_refusal()))
    third = visit(department, request="要求区市场监管局责令小区旁的餐馆整改油烟直排")
    third.link_same_matter(by=staff_user, earlier=second)
    message = refused(lambda: third.accept(by=staff_user), "en")
    assert first.case.number in message and "Art. 19" in message


def test_the_fingerprint_block_follows_the_same_finality_art_36(applicant, department, other_department, staff_user):
    """Exact repeats still meet the fingerprint; after the unused review period the refusal cites Art. 36."""
    issued(applicant, department, staff_user, date(2026, 9, 10))
    with pytest.raises(InvalidTransition, match="Art. 19"):
        file(applicant, other_department, today=date(2026, 9, 24))
    with pytest.raises(InvalidTransition, match="can no longer be reviewed.*Art. 36"):
        file(applicant, other_department, today=date(2026, 11, 2))


# --- Admin: the acceptance page, the one-click link -----------------------------------------------------------


def move_url(petition):
    return reverse("admin:opinions_petition_move", args=[petition.pk])


def link_url(petition):
    return reverse("admin:opinions_petition_same_matter", args=[petition.pk])


def test_admin_acceptance_page_lists_likely_same_matters(client, department, staff_user):
    earlier = visit(department, phone="13600136000")
    earlier.accept(by=staff_user, today=date(2026, 9, 24))
    later = visit(department, request=LEAK_NEW_WORDS, phone="13600136000")
    client.force_login(staff_user)
    response = client.get(move_url(later))
    html = response.content.decode()
    assert response.status_code == 200 and [c.pk for c in response.context["candidates"]] == [earlier.pk]
    assert earlier.case.number in html and "2026年9月24日" in html and "已受理，正在办理" in html
    assert move_url(earlier) in html and link_url(later) in html and f'value="{earlier.pk}"' in html
    assert 'id="same-matter"' in html


def test_admin_links_in_one_click_then_acceptance_is_refused_with_a_message_art_19(client, department, staff_user):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    client.force_login(staff_user)
    response = client.post(link_url(later), {"earlier": earlier.pk})
    assert response.status_code == 302 and response.url == move_url(later)
    later.refresh_from_db()
    assert later.same_matter_as == earlier
    # The page now shows the link, and "Do not accept" comes with the reason for the petitioner.
    response = client.get(move_url(later))
    assert response.context["candidates"] is None and earlier.case.number in response.content.decode()
    refuse_form = next(form for move, form, _page in response.context["moves"] if move.name == "refuse")
    assert earlier.case.number in refuse_form.initial["reason"] and "第十九条" in refuse_form.initial["reason"]
    # Accepting is refused on the page, never a server error.
    response = client.post(move_url(later), {"move": "accept", "accept-note": ""})
    accept_form = next(form for move, form, _page in response.context["moves"] if move.name == "accept")
    assert response.status_code == 200 and earlier.case.number in str(accept_form.non_field_errors())
    later.refresh_from_db()
    assert later.status == S.REGISTERED


def test_admin_link_refusal_is_a_message(client, department, staff_user):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    client.force_login(staff_user)
    response = client.post(link_url(earlier), {"earlier": later.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert later.case.number in message
    earlier.refresh_from_db()
    assert earlier.same_matter_as is None
    assert client.get(link_url(later)).status_code == 405  # POST only
    assert client.post(link_url(later), {"earlier": "x"}).status_code == 404


def test_admin_link_by_tracking_number_on_the_steps_page(client, department, staff_user):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    client.force_login(staff_user)
    response = client.post(move_url(later), {"move": "link_same_matter", "link_same_matter-number": "XF-NONE"})
    form = next(form for move, form, _page in response.context["moves"] if move.name == "link_same_matter")
    assert response.status_code == 200 and "number" in form.errors
    number = earlier.case.number.lower()
    response = client.post(move_url(later), {"move": "link_same_matter", "link_same_matter-number": number})
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.same_matter_as == earlier


def test_admin_other_departments_staff_get_404(client, department, other_department, staff_user, other_staff):
    earlier = visit(department)
    later = visit(department, request=LEAK_NEW_WORDS)
    client.force_login(other_staff)
    assert client.get(move_url(later)).status_code == 404
    assert client.post(link_url(later), {"earlier": earlier.pk}).status_code == 404
    theirs = visit(other_department, request="要求区市场监管局责令小区旁的餐馆整改油烟直排")
    client.force_login(staff_user)
    assert client.post(link_url(later), {"earlier": theirs.pk}).status_code == 404
    later.refresh_from_db()
    assert later.same_matter_as is None


def test_admin_registers_a_visit_with_an_identity_number(client, department, staff_user):
    from tests.opinions.test_petitions_views import FORM

    number = make_id()
    client.force_login(staff_user)
    data = {**FORM, "department": department.pk, "channel": "window", "email": "", "id_number": number}
    response = client.post(reverse("admin:opinions_petition_register"), {**data, "id_number": "36042619910102009X"})
    assert response.status_code == 200 and not Petition.objects.exists()
    spaced = f"{number[:6]} {number[6:14]} {number[14:].lower()}"  # as read off the card
    assert client.post(reverse("admin:opinions_petition_register"), {**data, "id_number": spaced}).status_code == 302
    assert Petition.objects.get().id_digest == identity_digest("id", number)


def test_admin_acceptance_page_queries_do_not_grow_with_petitions(
    client, applicant, department, staff_user, django_assert_max_num_queries
):
    """The latest petition's page, with 1 and then 10 (the most shown) of 13 earlier likely repeats."""
    counts = []
    client.force_login(staff_user)
    for total, shown in ((2, 1), (14, 10)):
        while Petition.objects.count() < total:
            file(applicant, department, request=f"{LEAK_NEW_WORDS}（第 {Petition.objects.count()} 件）")
        latest = Petition.objects.order_by("-created_at", "-pk").first()
        with django_assert_max_num_queries(30) as captured:
            response = client.get(move_url(latest))
        assert response.status_code == 200 and len(response.context["candidates"]) == shown
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_demo_clerk_sees_a_linked_repeat(demo):
    repeat = Petition.objects.exclude(same_matter_as=None).select_related("same_matter_as").get()
    assert repeat.status == S.REGISTERED and repeat.same_matter_as.status == S.ACCEPTED
    assert repeat.fingerprint != repeat.same_matter_as.fingerprint
    head = User.objects.get(email="head@demo.civiccenter.example")
    assert repeat.same_matter_as in repeat.likely_same_matter(head)
    with pytest.raises(InvalidTransition, match="Art. 19"):
        repeat.accept(by=head)
