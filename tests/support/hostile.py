"""What hostile visitors send, as hypothesis strategies: the comment form's fields
(tests/security/test_hostile_input_comments.py) and addresses, query strings and path segments
(tests/security/test_hostile_input_public.py), with the settings both run them under."""

from urllib.parse import urlencode

import hypothesis
from hypothesis import HealthCheck
from hypothesis import strategies as st

VICTIM = "victim@example.net"


def hypothesis_settings(examples):
    return hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing written in the working tree; failures print their example
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# Any character a browser can send (surrogates cannot be encoded).
CHARACTERS = st.characters(exclude_categories=("Cs",))


FORM_SPECIALS = [
    "\x00", "\r", "\n", "\r\n", "\t", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028",
    "\u2029", "\ufeff", "\u200b", "\u202e", "\u0301", "İ", "ß", "ﷺ", "🙂", "²", "٣", "<", ">",
    '"', "'", "&", "%00", "%0d%0a", "\\", "/", "@", ":", ";", ",", " ",
]  # fmt: skip


INJECTIONS = [
    f"Eve\r\nBcc: {VICTIM}",
    f"Eve\nBcc: {VICTIM}\nX-Evil: 1",
    f"eve@example.org\r\nBcc: {VICTIM}",
    f"eve@example.org\nCc: {VICTIM}",
    f"eve@example.org%0d%0aBcc:{VICTIM}",
    f'"eve\r\nBcc: {VICTIM}"@example.org',
    f"eve@example.org, {VICTIM}",
    f"eve@example.org;{VICTIM}",
    "=?utf-8?q?Eve=0D=0ABcc=3A_victim=40example=2Enet?=",
    "<script>alert(1)</script>",
    "'; DROP TABLE comments_comment; --",
]


hostile_text = st.one_of(
    st.text(CHARACTERS, max_size=30),
    st.lists(st.sampled_from(FORM_SPECIALS) | st.text(CHARACTERS, max_size=4), max_size=12).map(
        "".join
    ),
    # Very long values, made cheaply: a piece repeated.
    st.builds(
        lambda piece, count: piece * count,
        st.sampled_from(["a", "é", "İ", "\x00", " ", "\r\n", "🙂", "ﷺ", "a@b.c "]),
        st.integers(90, 6000),
    ),
    st.sampled_from(INJECTIONS),
)


hostile_email = st.one_of(
    hostile_text,
    st.emails(),
    # Valid as typed, longer once lowercased ("İ" becomes two characters).
    st.integers(1, 3).map(lambda n: "a@" + ".".join(["İ" * 60] * n) + ".org"),
    st.integers(1, 60).map(lambda n: "İ" * n + "@example.org"),
    st.sampled_from(["MAEL@Example.ORG", " mael@example.org ", "mael@example.org\x00"]),
)


hostile_url = st.one_of(
    hostile_text,
    st.sampled_from(
        [
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "//evil.example/",
            "ftp://example.org/",
            "https://exa mple.org/",
            "https://[::1/",
            "https://xn--80ak6aa92e.com/",
            "https://пример.рф/" + "é" * 150,
            "https://example.org/\r\nSet-Cookie: x=1",
            "www.example.org",
        ]
    ),
    st.text(CHARACTERS, max_size=40).map(lambda tail: f"https://example.org/{tail}"),
)


# The parent field: symbolic values (resolved against the test's comments), or anything.
PARENTS = ["valid", "pending", "spam", "rejected", "other_post", "other_site", "removed"]


hostile_parent = st.one_of(
    st.none(),
    st.sampled_from(PARENTS),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", "0", "-1", "1.0", "1e3", " 5 ", "0x10", "٣", "²", "1_0", "9" * 5000]),
    hostile_text,
)


TIMESTAMPS = ["valid", "expired", "too_fast", "future", "forged", "other_salt", "not_a_number"]


hostile_timestamp = st.one_of(st.sampled_from(TIMESTAMPS), hostile_text)


hostile_flag = st.one_of(st.none(), st.just("on"), hostile_text)


hostile_next = st.one_of(
    st.none(),
    hostile_text,
    st.sampled_from(
        [
            "/",
            "//evil.example/",
            "https://evil.example/",
            "/blog/\r\nSet-Cookie: x=1",
            "/\x00",
            "/%0d%0aLocation:%20https://evil.example/",
            "/blog/?q=é#x",
            "\\\\evil.example",
            "/" + "a" * 5000,
        ]
    ),
)


hostile_ip = st.one_of(
    st.ip_addresses().map(str),
    st.sampled_from(
        ["", "unknown", "fe80::1%eth0", "::ffff:192.0.2.1", "\x00", "1.2.3.4, 5.6.7.8"]
    ),
)


hostile_user_agent = st.one_of(st.none(), hostile_text)


# --- what a hostile visitor puts in an address (tests/security/test_hostile_input_public.py) ----

URL_SPECIALS = [
    "\x00", "\r\n", "\t", "\x0b", "\x1b", "\x7f", "\u2028", "\ufeff", "\u200b", "\u202e",
    "\u0301", "İ", "ß", "🙂", "²", "٣", "-", "_", ".", "..", "<", ">", '"', "'", "&", "=", "?",
    "#", "%", "+", ";", "\\", "/", " ", "*", ":*", "|", "!", "(", ")", "NEAR", "AND", "OR",
]  # fmt: skip


NUMBERS = [
    "", "0", "1", "2", "-1", "+2", " 2 ", "1.5", "1e3", "1_0", "0x10", "²", "١", "٣", "𝟚",
    "9" * 30, "9" * 5000, "-" + "9" * 30, "NaN", "inf", "\x00", "1\x00", "%00",
]  # fmt: skip


url_text = st.one_of(
    st.text(CHARACTERS, max_size=30),
    st.lists(st.sampled_from(URL_SPECIALS) | st.text(CHARACTERS, max_size=4), max_size=10).map(
        "".join
    ),
    st.builds(
        lambda piece, count: piece * count,
        st.sampled_from(["a", "é", "\x00", " ", "mot ", "🙂", "%"]),
        st.integers(100, 6000),
    ),
)


hostile_value = st.one_of(st.sampled_from(NUMBERS), url_text)


# Not "reply" yet: test_odd_reply_parameters_show_the_post says why.
PARAMETERS = [
    "page",
    "p",
    "q",
    "scope",
    "site",
    "kind",
    "category",
    "comment",
    "reply",
    "lang",
    "done",
]


# A query string: parameters as a form would send them, or raw bytes a client may type.
RAW_PIECES = [
    "page=", "p=", "q=", "site=", "kind=", "category=", "comment=", "&", "=", "%00", "%ff", "%",
    "%%", "%E2%82", "%C2%B2", "%2F", "+", ";", "?", "[]", "page[]=", "é", "\u202e",
]  # fmt: skip


query_string = st.one_of(
    st.dictionaries(
        st.one_of(st.sampled_from(PARAMETERS), url_text),
        st.lists(hostile_value, min_size=1, max_size=2),
        max_size=4,
    ).map(lambda params: urlencode(params, doseq=True)),
    st.lists(st.sampled_from(RAW_PIECES) | st.sampled_from(NUMBERS), max_size=12).map("".join),
)


avatar_key = st.one_of(
    st.binary(min_size=32, max_size=32).map(bytes.hex),
    st.binary(min_size=32, max_size=32).map(lambda key: key.hex().upper()),
    st.binary(min_size=31, max_size=33).map(bytes.hex),
    st.just("anonymous"),
)
