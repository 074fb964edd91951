"""Sending the comments' e-mails, and trying again while the mail server is unavailable.

django-tasks retries nothing. A task whose e-mail fails with a transient error enqueues itself
again, with its attempt number plus one, COMMENTS_MAIL_RETRY_DELAY seconds later, then twice as
long after each further failure (at most COMMENTS_MAIL_RETRY_MAX_DELAY), until it has been tried
COMMENTS_MAIL_RETRIES times. What the task does before sending (checking that the mail is still
due, building its links) runs again at each attempt, so a retry sends what is right at that time;
what must happen once (counting the address's confirmation budget) is done by the first attempt
only.

Transient: the server cannot be reached, does not answer in time (EMAIL_TIMEOUT), drops the
connection, or answers with a 4xx code ("try again later"). Permanent, never retried: a 5xx answer
(unknown recipient, refused sender, bad credentials) or a server lacking what the settings ask
(STARTTLS, AUTH); those need a human, not a later attempt.

A task backend that cannot run a task later (the "immediate" one of development and tests) gets no
retry: the failure is logged and the task fails, after the request that enqueued it has done its
work. Logs and failed tasks carry the exception's class and SMTP code, never the server's message,
which may repeat an e-mail address.
"""

import logging
import smtplib
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from . import conf

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """An e-mail failed and will not be tried again (permanent error, attempts used up, or no
    backend able to retry later)."""


class Undelivered(Exception):
    """Sending stopped at a failure: `sent` messages of the batch had gone; `rest` is what a retry
    still has to do (for the task that knows what it means)."""

    def __init__(self, error, sent=0, rest=None):
        super().__init__(describe(error))
        self.error = error
        self.sent = sent
        self.rest = rest


def one_line(text):
    """No CR, LF or other line break can reach a header."""
    return " ".join(str(text).split())


def build_message(subject, template, context, to, headers=None):
    """The e-mail comments/email/<template>.txt and .html make, from COMMENTS_FROM_EMAIL (else
    DEFAULT_FROM_EMAIL), its subject on one line."""
    text = render_to_string(f"comments/email/{template}.txt", context)
    html = render_to_string(f"comments/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text,
        from_email=conf.get("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def smtp_codes(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _message in error.recipients.values()]
    if isinstance(error, smtplib.SMTPResponseException):
        return [error.smtp_code]
    return []


def describe(error):
    """The failure without what the server said: its class, and its SMTP codes if any."""
    codes = smtp_codes(error)
    name = type(error).__name__
    return f"{name} {','.join(str(code) for code in codes)}" if codes else name


def is_transient(error):
    """Whether a later attempt may succeed (see the module's docstring)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException):
        codes = smtp_codes(error)
        return bool(codes) and not any(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):  # no STARTTLS, no AUTH: the settings are wrong
        return False
    return isinstance(error, OSError)  # refused, reset, unreachable, timed out, TLS failure


def retry_delay(attempt):
    """Seconds to wait after the failure of attempt number `attempt` (1 for the first)."""
    delay = conf.get("MAIL_RETRY_DELAY") * 2 ** (attempt - 1)
    return min(delay, conf.get("MAIL_RETRY_MAX_DELAY"))


def _abandon(connection):
    """Drop a failed connection without the polite QUIT, which a server that stopped answering
    would make wait for EMAIL_TIMEOUT once more."""
    for name in ("connection", "_partial_connection"):  # django's SMTP backend
        smtp = getattr(connection, name, None)
        if isinstance(smtp, smtplib.SMTP):
            with suppress(OSError):
                smtp.close()
            setattr(connection, name, None)
    with suppress(OSError):
        connection.close()


def send_all(messages, connect=get_connection):
    """Send `messages` one after the other over one connection; returns how many went.
    Undelivered (with how many had gone) when one fails; any other exception is a bug."""
    sent = 0
    connection = None
    try:
        connection = connect()
        connection.open()
        for message in messages:
            connection.send_messages([message])
            sent += 1
    except OSError as error:  # smtplib.SMTPException included
        if connection is not None:
            _abandon(connection)
        raise Undelivered(error, sent) from None  # the server's words stay out of tracebacks
    with suppress(OSError):  # every message has gone: a failing QUIT changes nothing
        connection.close()
    return sent


def retry_later(task, attempt, error, *args, **kwargs):
    """After `error` failed attempt number `attempt` of `task(*args, **kwargs)`, enqueue the next
    attempt for later, or raise MailNotSent when there is none. Logs either way."""
    attempts = conf.get("MAIL_RETRIES")
    what = describe(error)
    if not is_transient(error):
        reason = "refused, not retried"
    elif attempt >= attempts:
        reason = f"failed {attempt} times, given up"
    elif not task.get_backend().supports_defer:
        reason = "not retried: the task backend cannot run a task later"
    else:
        delay = retry_delay(attempt)
        later = task.using(run_after=timezone.now() + timedelta(seconds=delay))
        later.enqueue(*args, attempt=attempt + 1, **kwargs)
        logger.warning(
            "%s: mail failed (%s), attempt %d of %d; next in %s s",
            task.name,
            what,
            attempt,
            attempts,
            delay,
        )
        return
    logger.warning("%s: mail %s (%s), attempt %d of %d", task.name, reason, what, attempt, attempts)
    raise MailNotSent(f"{task.name}: {reason} ({what})")


def send_or_retry(message, task, attempt, *args, **kwargs):
    """Send `message` for attempt number `attempt` of `task(*args, **kwargs)`, scheduling the next
    attempt if it fails (retry_later). Returns whether it went."""
    try:
        return send_all([message]) == 1
    except Undelivered as failure:
        retry_later(task, attempt, failure.error, *args, **kwargs)
        return False
