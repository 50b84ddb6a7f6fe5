"""Signing in to the admin: wrong passwords are throttled per address and per username
(django-axes), and a locked-out person is told so in plain words."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "the-right-password"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_to_the_limit(client, usernames, addresses) -> list[int]:
    """Wrong passwords for each username from each address; the statuses answered."""
    return [
        sign_in(client, username, "a-wrong-guess", address).status_code
        for username, address in zip(usernames, addresses, strict=True)
    ]


LIMIT = settings.AXES_FAILURE_LIMIT


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, editor):
    statuses = fail_to_the_limit(client, ["editor"] * LIMIT, ["192.0.2.10"] * LIMIT)
    # The form again, with its error, until the failure that reaches the limit.
    assert statuses == [200] * (LIMIT - 1) + [429]

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is paused" in page
    assert "Too many attempts to sign in failed" in page
    assert "15 minutes" in page
    assert not is_signed_in(client)


def test_a_username_is_locked_out_whatever_address_guesses_it(client, editor):
    fail_to_the_limit(client, ["editor"] * LIMIT, [f"198.51.100.{n}" for n in range(LIMIT)])

    assert sign_in(client, "editor", PASSWORD, address="203.0.113.99").status_code == 429
    assert not is_signed_in(client)


def test_an_address_is_locked_out_whatever_usernames_it_tries(client, editor):
    fail_to_the_limit(client, [f"guess{n}" for n in range(LIMIT)], ["192.0.2.10"] * LIMIT)

    assert sign_in(client, "editor", PASSWORD, address="192.0.2.10").status_code == 429
    assert not is_signed_in(client)


def test_ipv6_addresses_of_one_64_network_count_as_one_address(client, editor):
    addresses = [f"2001:db8:5:6::{n + 1:x}" for n in range(LIMIT)]
    fail_to_the_limit(client, [f"guess{n}" for n in range(LIMIT)], addresses)

    assert sign_in(client, "editor", PASSWORD, address="2001:db8:5:6:ab::1").status_code == 429


def test_others_still_sign_in_while_one_username_and_address_are_locked_out(
    client, editor, django_user_model
):
    django_user_model.objects.create_superuser("reviewer", "reviewer@example.org", PASSWORD)
    fail_to_the_limit(client, ["editor"] * LIMIT, ["192.0.2.10"] * LIMIT)

    response = sign_in(client, "reviewer", PASSWORD, address="198.51.100.20")

    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_few_mistakes_do_not_lock_anyone_out(client, editor):
    fail_to_the_limit(client, ["editor"] * (LIMIT - 1), ["192.0.2.10"] * (LIMIT - 1))

    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert is_signed_in(client)
