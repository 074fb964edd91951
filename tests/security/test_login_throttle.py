"""Wagtail's admin login is throttled per account and address (django-axes, hub/settings/base.py).

Through the real sign-in form: after the failure limit, that account is refused from that address,
even with its right password, until the cool-off has passed; the same account from another address
and another account from the same address still sign in. Attempts are counted in the cache only.
"""

from datetime import timedelta

from django.core.management import call_command
from django.test import Client

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from tests.support.comments import make_user

HOST = "bretagne.localhost"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
LIMIT = 3


@pytest.fixture(autouse=True)
def throttled(settings):
    """The lockout as in production (hub.settings.test turns it off for Client.login)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def editors(bretagne_site):
    group = bretagne_site.profile.editors
    return make_user("erwan", group), make_user("nolwenn", group)


def sign_in(username, password, ip=ATTACKER, client=None, **extra):
    return (client or Client()).post(
        "/admin/login/",
        {"username": username, "password": password},
        HTTP_HOST=HOST,
        REMOTE_ADDR=ip,
        **extra,
    )


def signed_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def fail(times, username="erwan", ip=ATTACKER):
    return [sign_in(username, "wrong", ip).status_code for _ in range(times)]


def test_the_account_is_locked_from_that_address_after_the_failure_limit(editors):
    assert fail(LIMIT) == [200] * (LIMIT - 1) + [429]

    right_password = sign_in("erwan", "x")

    assert right_password.status_code == 429
    assert not right_password.wsgi_request.user.is_authenticated
    assert "sessionid" not in right_password.cookies


def test_another_address_and_another_account_are_not_locked(editors):
    fail(LIMIT)

    assert signed_in(sign_in("erwan", "x", ip=ELSEWHERE))
    assert signed_in(sign_in("nolwenn", "x", ip=ATTACKER))


def test_the_lock_lifts_after_the_cool_off(editors):
    with time_machine.travel(0, tick=False) as clock:
        fail(LIMIT)
        clock.shift(timedelta(minutes=14))
        assert sign_in("erwan", "x").status_code == 429

        clock.shift(timedelta(minutes=16))  # 15 minutes after the last refused attempt
        assert signed_in(sign_in("erwan", "x"))


def test_an_administrator_can_lift_a_lock_at_once(editors):
    """The README's way: `manage.py axes_reset_ip_username <address> <username>`."""
    fail(LIMIT)

    call_command("axes_reset_ip_username", ATTACKER, "erwan")

    assert signed_in(sign_in("erwan", "x"))


def test_failures_below_the_limit_are_forgotten_after_a_successful_sign_in(editors):
    fail(LIMIT - 1)
    assert signed_in(sign_in("erwan", "x"))

    assert fail(LIMIT - 1) == [200] * (LIMIT - 1)
    assert signed_in(sign_in("erwan", "x"))


def test_the_lockout_page_says_what_happened_and_when_to_come_back(editors):
    fail(LIMIT - 1)
    locked = sign_in("erwan", "wrong")

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked["Content-Type"].startswith("text/html")
    html = locked.content.decode()
    # In the admin's language, French by default.
    assert "Trop de tentatives de connexion" in html
    assert "suspendue pendant 15 minutes" in html
    assert 'href="/admin/login/"' in html
    assert "wagtailadmin/css/core" in html  # in the admin's look
    assert "Content-Security-Policy" in locked


def test_attempts_are_kept_in_the_cache_not_in_tables(editors):
    fail(LIMIT + 1)
    sign_in("nolwenn", "x")

    assert AccessAttempt.objects.count() == 0
    assert AccessLog.objects.count() == 0
    assert AccessFailureLog.objects.count() == 0


def test_the_address_is_remote_addr_not_a_header_the_client_chooses(editors):
    """X-Forwarded-For is the visitor's to write: changing it does not escape the lock."""
    fail(LIMIT)

    dodge = sign_in("erwan", "x", HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert dodge.status_code == 429
