"""Demo data for the mutual assistance board: needs and offers in every state (waiting, open, accepted, closed
with thanks, rejected, hidden), responses, and a few reports in the moderators' queue."""

from datetime import timedelta

from django.db import transaction

import demo
from civiccenter.lib import clock
from civiccenter.models import User

_DATA = demo.load("ngo", "board")
_POST = ("kind", "category", "area", "when", "title", "description", "state")

# email, full name, phone
DEMO_PASSWORD_USERS = [(row["email"], row["name"], row["phone"]) for row in _DATA["residents"]]

# kind, category, area, when, title, description, final state
POSTS = [tuple(row[key] for key in _POST) for row in _DATA["posts"]]


@transaction.atomic
def seed(stdout=None) -> int:
    from ngo.models.board import Post, Report, Response

    if Post.objects.filter(title=POSTS[0][4]).exists():
        return 0
    moderator = User.objects.filter(email="moderator@demo.civiccenter.example").first()
    citizen = User.objects.filter(email="citizen@demo.civiccenter.example").first()
    ngo_user = User.objects.filter(email="ngo@demo.civiccenter.example").first()
    if moderator is None or citizen is None:
        return 0
    created = 0
    residents = []
    for email, name, phone in DEMO_PASSWORD_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, "demo-password-2026", full_name=name, phone=phone, email_confirmed_at=clock.now()
            )
            created += 1
        residents.append(user)
    people = [citizen, *residents, *([ngo_user] if ngo_user else [])]
    now = clock.now()
    for index, (kind, category, area, when, title, description, state) in enumerate(POSTS):
        author = people[index % len(people)]
        # Each post on the day it was written (the newest first, over the past weeks), moderated, answered
        # and settled in the hours after.
        written = now - timedelta(days=2 * index + 1, hours=index)
        with clock.at(written):
            post = Post.submit(
                by=author,
                kind=kind,
                category=category,
                area=area,
                when_text=when,
                title=title,
                description=description,
                contact_phone=author.phone or "13800138000",
                contact_email=author.email,
            )
        created += 1
        if state == "pending":
            continue
        moment = written + timedelta(hours=3)
        with clock.at(moment):
            if state == "rejected":
                post.reject(by=moderator, reason="商业回收广告不属于邻里互助内容，请勿发布。")
                continue
            post.approve(by=moderator)
        helpers = [p for p in people if p.pk != author.pk]
        if (state == "open" and index % 2 == 0) or state in ("accepted", "closed"):
            with clock.at(moment + timedelta(hours=2)):
                first = post.respond(
                    by=helpers[0],
                    message="您好，我就住在附近，时间上可以配合，欢迎联系。",
                    contact_phone=helpers[0].phone or "13900139000",
                )
            with clock.at(moment + timedelta(hours=3)):
                second = post.respond(
                    by=helpers[1], message="我也可以帮忙，周末时间比较多。", contact_email=helpers[1].email
                )
            created += 2
            with clock.at(moment + timedelta(hours=5)):
                if state in ("accepted", "closed"):
                    post.accept(by=author, response=first)
                if state == "closed":
                    post.close(by=author)
                    post.thank(by=author, text="非常感谢热心邻居的帮助，远亲不如近邻！")
                    post.thank(by=helpers[0], text="举手之劳，很高兴能帮上忙。")
                if index == 0:
                    second.report(by=author, reason="回应内容与需求无关，疑似推销。")
                    created += 1
        if state == "hidden":
            with clock.at(moment + timedelta(hours=6)):
                post.report(by=citizen if author.pk != citizen.pk else residents[0], reason="收费代写广告。")
            created += 1
            with clock.at(moment + timedelta(hours=8)):
                post.hide(by=moderator, reason="收费商业服务，不属于邻里互助。")
    # One open post reported and waiting in the queue.
    reported = Post.objects.get(title=POSTS[3][4])
    reporter = next(p for p in people if p.pk != reported.author_id)
    reported.report(by=reporter, reason="请核实发布者身份，担心有安全隐患。")
    created += 1
    if stdout:
        stdout.write(f"Board: {Post.objects.count()} posts, {Response.objects.count()} responses, "
                     f"{Report.objects.count()} reports.")  # fmt: skip
    return created
