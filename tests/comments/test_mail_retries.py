"""The mail server refusing or timing out: the comment is stored and answered as usual, the
notification is tried again by the task worker (COMMENTS_MAIL_RETRIES attempts, growing delays)
and delivered once when the server is back; a permanent refusal is not retried.

Tasks go through the database backend and run with `manage.py db_worker --batch`, as in
production; "the delay has passed" moves the queued tasks' run_after to now. The mail server is
FlakyBackend (it fails as each test plans), or a real SMTP exchange with a socket that never
answers and an aiosmtpd sink.
"""

import datetime
import io
import re
import smtplib
import socket
import time
from unittest import mock
from urllib.parse import urlsplit

from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.utils import timezone

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.management.commands import db_worker as db_worker_command
from django_tasks_db.models import DBTaskResult

from comments import notifications
from comments.models import Comment, CommentStatus, ModerationDigest, Subscription
from sites.models import ModerationPolicy
from tests.support.comments import (
    BRETAGNE,
    bretagne_post,
    make_comment,
    make_user,
    send,
    set_policy,
)

ADDRESS = "mael@example.org"
CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/subscription/confirm/[^\s\"<>]+")
DELAY = 30


class FlakyBackend(locmem.EmailBackend):
    """The mail server: each sending takes the next outcome of `plan` (None delivers, an exception
    is raised), then `down` once the plan is used up (None: the server works)."""

    plan = []
    down = None
    tries = 0

    def send_messages(self, messages):
        FlakyBackend.tries += 1
        outcome = FlakyBackend.plan.pop(0) if FlakyBackend.plan else FlakyBackend.down
        if outcome is not None:
            raise outcome
        return super().send_messages(messages)


@pytest.fixture
def server(settings, network):
    """Ask for it after the pages: the tasks of building them (search index) are not queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    settings.COMMENTS_MAIL_RETRY_DELAY = DELAY
    FlakyBackend.plan, FlakyBackend.down, FlakyBackend.tries = [], None, 0
    yield FlakyBackend
    FlakyBackend.plan, FlakyBackend.down = [], None


@pytest.fixture
def post(bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.NONE)
    return bretagne_post(bretagne_site)


def run_worker():
    """What `manage.py db_worker` does with the tasks due now. Its close_old_connections() would
    close the test's own connection on PostgreSQL (it is inside the test's transaction): kept
    open, as Django's test client does around requests."""
    with mock.patch.object(db_worker_command, "close_old_connections", lambda: None):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0", verbosity=0
        )


def delay_passes():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def waiting():
    """The tasks queued for later."""
    return list(DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()))


def comment_with_notify(client, **fields):
    response = send(client, fields.pop("page"), notify="on", **fields)
    assert response.status_code == 303  # as when the mail server works
    return Comment.objects.latest("pk")


def confirm(client, message):
    [link] = CONFIRM_LINK.findall(message.body)
    parts = urlsplit(link)
    return client.post(parts.path, HTTP_HOST=parts.netloc)


def no_address_in(caplog):
    texts = [caplog.text, *DBTaskResult.objects.values_list("traceback", flat=True)]
    texts += [str(args) for args in DBTaskResult.objects.values_list("args_kwargs", flat=True)]
    return not any("@" in text for text in texts)


# --- a transient failure: retried later, delivered once ----------------------------------------


def test_the_confirmation_waits_for_the_server_and_arrives_once(
    client, post, server, settings, caplog
):
    settings.COMMENTS_CONFIRMATION_RATE_LIMIT = "1/1d"  # a retry taking a slot would be refused
    server.plan = [ConnectionRefusedError(111, "Connection refused"), TimeoutError("timed out")]
    comment = comment_with_notify(client, page=post)
    assert comment.status == CommentStatus.APPROVED
    assert Subscription.objects.filter(comment=comment).exists()

    before = timezone.now()
    run_worker()
    assert mail.outbox == [] and server.tries == 1
    [retry] = waiting()
    assert before + datetime.timedelta(seconds=DELAY) <= retry.run_after
    assert retry.run_after <= timezone.now() + datetime.timedelta(seconds=DELAY)
    subscription = Subscription.objects.get(comment=comment)
    assert retry.args_kwargs == {"args": [subscription.pk], "kwargs": {"attempt": 2}}

    run_worker()  # not due yet
    assert server.tries == 1

    delay_passes()
    before = timezone.now()
    run_worker()
    assert mail.outbox == [] and server.tries == 2
    [retry] = waiting()
    assert retry.run_after >= before + datetime.timedelta(seconds=2 * DELAY)  # twice as long

    delay_passes()
    run_worker()
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert server.tries == 3
    assert waiting() == [] and not DBTaskResult.objects.ready().exists()
    assert confirm(client, message).status_code == 303  # the link mailed is the valid one
    assert Subscription.objects.get(comment=comment).is_active
    assert no_address_in(caplog)
    assert len([r for r in caplog.records if r.name == "comments.mail"]) == 2


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        socket.gaierror(-3, "Temporary failure in name resolution"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPConnectError(421, b"Too many connections, try again later"),
        smtplib.SMTPRecipientsRefused({ADDRESS: (450, b"4.2.0 <mael@example.org>: greylisted")}),
        smtplib.SMTPDataError(451, b"4.3.0 Temporary failure"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_transient_failure_is_retried(client, post, server, error, caplog):
    server.plan = [error]
    comment_with_notify(client, page=post)
    run_worker()
    assert mail.outbox == []
    assert len(waiting()) == 1
    delay_passes()
    run_worker()
    assert [message.to for message in mail.outbox] == [[ADDRESS]]
    assert no_address_in(caplog)


def test_a_reply_notification_is_retried_and_checked_again(client, post, server):
    parent = make_comment(post, email=ADDRESS, author_name="Maël")
    subscription = Subscription.objects.create(
        comment=parent, email=ADDRESS, confirmed_at=timezone.now()
    )
    notifications.issue_token(subscription)

    def reply(body):
        server.plan = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]
        response = send(
            client, post, name="Bob", email="bob@example.org", parent=str(parent.pk), body=body
        )
        assert response.status_code == 303
        return Comment.objects.latest("pk")

    first = reply("Première réponse.")
    run_worker()
    delay_passes()
    run_worker()
    [message] = mail.outbox
    assert f"#comment-{first.pk}" in message.body

    reply("Seconde réponse.")
    run_worker()
    assert len(waiting()) == 1
    notifications.unsubscribe(subscription)  # while the server was down
    delay_passes()
    run_worker()
    assert len(mail.outbox) == 1  # the retry checks again that the mail is still due
    assert not DBTaskResult.objects.ready().exists()


# --- giving up ---------------------------------------------------------------------------------


def test_it_stops_after_COMMENTS_MAIL_RETRIES_attempts(client, post, server, settings, caplog):
    settings.COMMENTS_MAIL_RETRIES = 4
    settings.COMMENTS_MAIL_RETRY_MAX_DELAY = 100
    server.down = TimeoutError("timed out")
    comment_with_notify(client, page=post)
    delays = []
    for _ in range(10):
        run_worker()
        delays += [(task.run_after - timezone.now()).total_seconds() for task in waiting()]
        delay_passes()
    assert server.tries == 4
    assert [round(delay / 10) * 10 for delay in delays] == [30, 60, 100]  # capped
    assert mail.outbox == []
    [failed] = DBTaskResult.objects.failed()
    assert failed.exception_class_path == "comments.mail.MailNotSent"
    assert failed.args_kwargs["kwargs"] == {"attempt": 4}
    assert no_address_in(caplog)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"5.1.1 <mael@example.org>: unknown")}),
        smtplib.SMTPDataError(554, b"5.7.1 Message to mael@example.org rejected as spam"),
        smtplib.SMTPSenderRefused(553, b"5.7.1 Sender refused", "no-reply@example.org"),
        smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid"),
        smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_permanent_refusal_is_not_retried(client, post, server, error, caplog):
    server.down = error
    comment = comment_with_notify(client, page=post)
    run_worker()
    delay_passes()
    run_worker()
    assert server.tries == 1
    assert mail.outbox == []
    assert not DBTaskResult.objects.filter(status="READY").exists()
    [failed] = DBTaskResult.objects.failed()
    assert failed.exception_class_path == "comments.mail.MailNotSent"
    assert Comment.objects.get(pk=comment.pk).status == CommentStatus.APPROVED
    assert no_address_in(caplog)


def test_without_a_backend_able_to_wait_the_comment_is_posted_and_the_mail_dropped(
    client, post, settings, caplog, django_capture_on_commit_callbacks
):
    """The immediate backend (development, tests) runs the task at the commit of the request."""
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.tries = 0
    FlakyBackend.plan = [ConnectionRefusedError(111, "Connection refused")]
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = send(client, post, notify="on")
    finally:
        FlakyBackend.plan = []
    assert response.status_code == 303
    assert Subscription.objects.filter(comment__body__startswith="Très bel article").exists()
    assert FlakyBackend.tries == 1
    assert mail.outbox == []
    assert "cannot run a task later" in caplog.text
    assert ADDRESS not in caplog.text


# --- the moderators' digest ---------------------------------------------------------------------


@pytest.fixture
def held(bretagne_site):
    set_policy(bretagne_site, comment_moderation=ModerationPolicy.ALL)
    return bretagne_post(bretagne_site)


@pytest.fixture
def moderators(network):
    group = network["bretagne"].profile.moderators
    return sorted(make_user(name, group).email for name in ("modo-a", "modo-b", "modo-c"))


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_digest_that_reached_nobody_is_sent_whole_once(client, held, moderators, server):
    server.plan = [ConnectionRefusedError(111, "Connection refused")]
    assert send(client, held, body="En attente.").status_code == 303
    run_worker()
    assert mail.outbox == []
    assert not ModerationDigest.objects.exists()  # the window was given back
    assert len(waiting()) == 1

    call_command("send_comment_digests", stdout=io.StringIO())  # the cron job comes first
    assert recipients() == moderators
    delay_passes()
    run_worker()  # the retry finds the window taken
    assert recipients() == moderators


def test_a_digest_that_reached_some_moderators_is_finished_for_the_others(
    client, held, moderators, server
):
    server.plan = [None, ConnectionResetError(104, "Connection reset by peer")]
    assert send(client, held, body="En attente.").status_code == 303
    run_worker()
    assert recipients() == moderators[:1]
    assert ModerationDigest.objects.exists()  # the window was used

    call_command("send_comment_digests", stdout=io.StringIO())
    assert recipients() == moderators[:1]  # the window is not over
    [retry] = waiting()
    assert "@" not in str(retry.args_kwargs)

    server.plan = [TimeoutError("timed out")]  # fails again before anything goes
    delay_passes()
    run_worker()
    assert recipients() == moderators[:1]
    delay_passes()
    run_worker()
    assert recipients() == moderators
    assert all("En attente." in message.body for message in mail.outbox)
    assert not DBTaskResult.objects.filter(status="READY").exists()


# --- a real SMTP exchange -----------------------------------------------------------------------


class Sink:
    """An SMTP server keeping what it receives (aiosmtpd's handler interface)."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_smtp_server_that_hangs_fails_within_the_timeout_then_delivers_once_back(
    client, post, server, settings
):
    """A server accepting the connection and never answering costs EMAIL_TIMEOUT, not forever;
    once a server listens again, the retry delivers."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = "127.0.0.1", False, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 0.5
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts; nobody ever says hello
        settings.EMAIL_PORT = silent.getsockname()[1]
        comment_with_notify(client, page=post)
        started = time.monotonic()
        run_worker()
        elapsed = time.monotonic() - started
    assert elapsed < 0.5 + 1.5
    assert len(waiting()) == 1

    sink = Sink()
    settings.EMAIL_PORT = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        delay_passes()
        run_worker()
    finally:
        controller.stop()
    [envelope] = sink.envelopes
    assert envelope.rcpt_tos == [ADDRESS]
    assert not DBTaskResult.objects.filter(status="READY").exists()


# --- the "Manage my comments" link (comments/selfservice.py) ----------------------------------


def test_the_manage_link_waits_for_the_server_and_arrives_once(client, post, server, settings):
    """Only the first attempt counts against the address's budget (here one mail a day)."""
    settings.COMMENTS_CONFIRMATION_RATE_LIMIT = "1/1d"
    make_comment(post, email=ADDRESS)
    server.plan = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]
    form = client.get("/comments/manage/", {"lang": "fr"}, HTTP_HOST=BRETAGNE)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.content)
    data = {"email": ADDRESS, "csrfmiddlewaretoken": token.group(1).decode() if token else ""}
    response = client.post("/comments/manage/", data, HTTP_HOST=BRETAGNE)
    assert response.status_code in (200, 302, 303)
    run_worker()
    assert mail.outbox == []
    [retry] = waiting()
    assert "@" not in str(retry.args_kwargs)
    delay_passes()
    run_worker()
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert "/comments/manage/" in message.body
    assert not DBTaskResult.objects.filter(status="READY").exists()
