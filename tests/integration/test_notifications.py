"""Who is told what, by email through a real local SMTP server, in the recipient's language."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import get_locale

from tests.builders import make_case, make_user
from tests.integration import smtp_support
from tests.integration.smtp_support import Inbox, client_for
from tracker.accounts.models import Role, User
from tracker.cases.categories import load_categories
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, Category
from tracker.extensions import db
from tracker.notifications import services
from tracker.notifications.models import Notification
from tracker.workflow import Action

smtp, inbox, mail_app = smtp_support.smtp, smtp_support.inbox, smtp_support.mail_app
CYRILLIC = set("абвгдђежзијклљмнњопрстћуфхцчџш")


def notified(user: User) -> list[str]:
    """The kinds of in-app notification `user` has, oldest first."""
    stmt = sa.select(Notification.kind).where(Notification.user_id == user.id)
    return list(db.session.scalars(stmt.order_by(Notification.id)))


def person(role: Role, locale: str | None = "en") -> User:
    user = make_user(role)
    user.locale = locale
    return user


def submitted_case(member: User) -> Case:
    case = make_case(member, title="Pressure on school staff")
    apply(case, member, Action.SUBMIT)
    return case


def test_submission_tells_every_coordinator_in_their_language(
    mail_app: Flask, inbox: Inbox
) -> None:
    english, cyrillic = person(Role.COORDINATOR, "en"), person(Role.ADMIN, "sr_Cyrl")
    retired = person(Role.COORDINATOR)
    retired.active = False
    member = person(Role.MEMBER)
    case = make_case(member, title="Submitted for review")
    db.session.commit()
    client = client_for(mail_app, member)
    assert client.post(f"/cases/{case.reference}/submit?lang=sr-Latn").status_code == 302
    [to_english] = inbox.to(english.email)
    assert to_english["Subject"] == f"A case was submitted for review: {case.reference}"
    body = to_english.get_content()
    assert case.reference in body and f"/review/{case.reference}" in body
    assert "Submitted for review" not in body  # the title stays behind the sign-in
    [to_cyrillic] = inbox.to(cyrillic.email)
    assert set(to_cyrillic["Subject"].lower()) & CYRILLIC
    assert "Open it here" not in to_cyrillic.get_content()
    assert inbox.to(member.email) == [] and notified(member) == []  # not told of one's own act
    assert inbox.to(retired.email) == [] and notified(retired) == []
    assert notified(english) == notified(cyrillic) == ["submitted"]


def test_mail_is_composed_in_the_recipients_locale_whatever_the_request_language(
    mail_app: Flask, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    compose = services.compose

    def spy(kind: str, case: Case, link: str) -> tuple[str, str]:
        subject, body = compose(kind, case, link)
        return subject, f"{body}\nlocale={get_locale()}"

    monkeypatch.setattr(services, "compose", spy)
    users = {loc: person(Role.COORDINATOR, loc) for loc in ("en", "sr_Cyrl", "sr_Latn", None)}
    member = person(Role.MEMBER, "en")
    case = make_case(member)
    db.session.commit()
    client_for(mail_app, member).post(f"/cases/{case.reference}/submit?lang=en")
    for locale, user in users.items():
        [message] = inbox.to(user.email)
        assert message.get_content().rstrip().endswith(f"locale={locale or 'sr_Latn'}")


def test_member_hears_of_a_question_and_of_rejection_and_reads_the_reason_signed_in(
    mail_app: Flask, inbox: Inbox
) -> None:
    coordinator, member = person(Role.COORDINATOR), person(Role.MEMBER)
    case = submitted_case(member)
    db.session.commit()
    client = client_for(mail_app, coordinator)
    client.post(f"/review/{case.reference}/take")
    client.post(f"/review/{case.reference}/ask", data={"text": "Which day?"})
    client.post(f"/review/{case.reference}/reject", data={"text": "Outside our mandate"})
    asked, rejected = inbox.to(member.email)
    assert asked["Subject"] == f"A coordinator asked you for information: {case.reference}"
    assert f"/cases/{case.reference}" in asked.get_content()
    assert rejected["Subject"] == f"Your case was rejected: {case.reference}"
    # Mail crosses servers the network does not control: the reason is on the case page.
    assert "Outside our mandate" not in rejected.get_content()
    assert (
        "Outside our mandate" in client_for(mail_app, member).get(f"/cases/{case.reference}").text
    )
    assert notified(member) == ["info_requested", "rejected"]
    [submitted] = inbox.to(coordinator.email)  # and nothing about their own actions
    assert submitted["Subject"].startswith("A case was submitted")


def test_verification_and_publication_tell_the_member_only(mail_app: Flask, inbox: Inbox) -> None:
    load_categories()
    coordinator, other, member = person(Role.COORDINATOR), person(Role.ADMIN), person(Role.MEMBER)
    case = submitted_case(member)
    apply(case, coordinator, Action.TAKE)
    apply(case, coordinator, Action.VERIFY, checklist=["sources", "evidence", "safety"])
    case.public_summary = "The network found that …"
    case.category = db.session.scalars(sa.select(Category)).first()
    apply(case, coordinator, Action.PUBLISH)
    db.session.commit()
    client_for(mail_app, other).get("/")  # the next request after the commit sends the mail
    subjects = [m["Subject"] for m in inbox.to(member.email)]
    assert subjects == [
        f"Your case was verified: {case.reference}",
        f"Your case was published: {case.reference}",
    ]
    assert notified(member) == ["verified", "published"]
    assert notified(coordinator) == notified(other) == ["submitted"]  # not of verify or publish


def test_an_answer_tells_the_assignee_and_assignment_tells_the_assignee(
    mail_app: Flask, inbox: Inbox
) -> None:
    me, other, bystander = (person(Role.COORDINATOR) for _ in range(3))
    member = person(Role.MEMBER)
    case = submitted_case(member)
    db.session.commit()
    client = client_for(mail_app, me)
    client.post(f"/review/{case.reference}/assign", data={"assignee": str(me.id)})
    assert notified(me) == ["submitted"]  # assigning oneself tells nobody
    client.post(f"/review/{case.reference}/assign", data={"assignee": str(other.id)})
    [assigned] = [m for m in inbox.to(other.email) if "assigned" in m["Subject"]]
    assert assigned["Subject"] == f"A case was assigned to you: {case.reference}"
    apply(case, other, Action.TAKE)
    apply(case, other, Action.ASK, message="Which day?")
    apply(case, member, Action.ANSWER, message="The 14th")
    db.session.commit()
    assert notified(other) == ["submitted", "assigned", "answered"]
    assert notified(bystander) == ["submitted"]


def test_turning_email_off_keeps_the_notification_in_the_app(mail_app: Flask, inbox: Inbox) -> None:
    coordinator, member = person(Role.COORDINATOR), person(Role.MEMBER)
    db.session.commit()
    settings = client_for(mail_app, coordinator)
    assert settings.post("/notifications/settings", data={"email": ["assigned"]}).status_code == 302
    case = make_case(member)
    db.session.commit()
    client_for(mail_app, member).post(f"/cases/{case.reference}/submit")
    assert inbox.to(coordinator.email) == []
    assert notified(coordinator) == ["submitted"]
    assert case.reference in settings.get("/notifications/").text
