import pytest
from django.test import Client, override_settings
from django.utils.crypto import salted_hmac

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.votes.identity import ADDRESS_HASH_SALT, VOTER_COOKIE, address_hash
from verdicts.votes.models import ToolVote
from verdicts.votes.tests.voting import vote


@pytest.mark.django_db
def test_a_spoofed_forwarded_address_is_ignored_without_a_trusted_proxy():
    tool = ToolFactory()
    Client(REMOTE_ADDR="203.0.113.5").post(
        f"/votes/tools/{tool.slug}/", {"choice": "ship"}, headers={"X-Forwarded-For": "1.2.3.4"}
    )
    stored = ToolVote.objects.get().address_hash
    assert stored == address_hash("203.0.113.5")
    assert "203.0.113.5" not in stored


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client():
    tool = ToolFactory()
    # The client prepended a fake hop; the proxy appended the real one.
    Client(REMOTE_ADDR="127.0.0.1").post(
        f"/votes/tools/{tool.slug}/",
        {"choice": "ship"},
        headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.7"},
    )
    assert ToolVote.objects.get().address_hash == address_hash("198.51.100.7")
    # A direct connection from elsewhere cannot claim an address at all.
    Client(REMOTE_ADDR="192.0.2.1").post(
        f"/votes/tools/{tool.slug}/", {"choice": "skip"}, headers={"X-Forwarded-For": "1.2.3.4"}
    )
    assert ToolVote.objects.filter(address_hash=address_hash("192.0.2.1")).exists()


@pytest.mark.django_db
def test_a_tampered_voter_cookie_is_not_trusted(client):
    tool = ToolFactory()
    vote(client, tool, "ship")
    value = client.cookies[VOTER_COOKIE].value
    forged = Client()
    forged.cookies[VOTER_COOKIE] = value.replace(value[5], "x" if value[5] != "x" else "y")
    vote(forged, tool, "skip")
    assert ToolVote.objects.count() == 2


@pytest.mark.django_db
def test_signed_in_users_vote_as_themselves(client, django_user_model):
    tool = ToolFactory()
    user = django_user_model.objects.create_user("reader", password="pw-reader-1")
    client.force_login(user)
    vote(client, tool, "ship")
    assert ToolVote.objects.get().voter_key == f"user:{user.pk}"


def test_address_hash_is_djangos_salted_hmac_under_each_secret(settings):
    # Stored hashes stay comparable: the cached key is the one salted_hmac derives.
    for secret in (settings.SECRET_KEY, "another-" + "s" * 50):
        settings.SECRET_KEY = secret
        expected = salted_hmac(ADDRESS_HASH_SALT, "203.0.113.5", algorithm="sha256").hexdigest()
        assert address_hash("203.0.113.5") == expected
