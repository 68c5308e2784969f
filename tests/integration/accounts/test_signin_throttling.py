"""Sign-in throttling: per account, with doubling waits, and per client address."""

from __future__ import annotations

from typing import Any

from tests.support.api import expect_error
from tests.support.databases import query

from .conftest import Fresh


def failures(url: str) -> dict[str, int]:
    return dict(query(url, "SELECT key, failures FROM auth_failures"))


def set_failure_age(url: str, key: str, seconds: float) -> None:
    """Pretend the last failure for `key` happened `seconds` ago (instead of waiting)."""
    query(
        url,
        "UPDATE auth_failures SET last_failure = now() - make_interval(secs => %s) WHERE key = %s",
        (seconds, key),
    )


def address_key(url: str) -> str:
    keys = [k for k in failures(url) if k.startswith("address:")]
    assert len(keys) == 1, keys
    return keys[0]


def expect_throttled(response: Any, retry_after: int) -> None:
    error = expect_error(response, 429, "rate_limited")
    assert error["details"] == {"retry_after": retry_after}
    assert response.headers["retry-after"] == str(retry_after)
    assert str(retry_after) in error["message"]
    assert response.headers.get_list("set-cookie") == []


def test_account_is_throttled_after_five_failures_with_doubling_waits(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    email = new_api().signup()["user"]["email"]
    account = f"account:{email}"
    attacker = new_api()
    for attempt in range(1, 6):
        expect_error(attacker.signin(email, f"guess {attempt}xx"), 401, "invalid_credentials")
    assert failures(database_url)[account] == 5
    # From the sixth attempt on: 2^(failures - 5) s after the last failure.
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email, "guess 6xxx"), 1)
    expect_throttled(attacker.signin(email.upper()), 1)  # even the right password
    expect_throttled(new_api().signin(email), 1)  # from any client
    assert failures(database_url)[account] == 5  # refused attempts are not counted

    set_failure_age(database_url, account, 1.5)  # the 1 s wait is over
    expect_error(attacker.signin(email, "guess 6xxx"), 401, "invalid_credentials")
    assert failures(database_url)[account] == 6
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email, "guess 7xxx"), 2)
    set_failure_age(database_url, account, 1.2)
    expect_throttled(attacker.signin(email), 1)  # 2 s - 1.2 s, rounded up

    set_failure_age(database_url, account, 2.5)
    expect_error(attacker.signin(email, "guess 7xxx"), 401, "invalid_credentials")
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email), 4)

    # The wait is capped at 15 minutes however many failures.
    query(database_url, "UPDATE auth_failures SET failures = 500 WHERE key = %s", (account,))
    set_failure_age(database_url, account, 0)
    expect_throttled(attacker.signin(email), 900)
    # Failures older than an hour are forgotten.
    set_failure_age(database_url, account, 3601)
    owner = new_api()
    assert owner.signin(email).status_code == 200


def test_success_resets_the_account_counter(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    email = new_api().signup()["user"]["email"]
    account = f"account:{email}"
    client = new_api()
    for _ in range(5):
        expect_error(client.signin(email, "wrong password"), 401, "invalid_credentials")
    set_failure_age(database_url, account, 0)
    expect_throttled(client.signin(email), 1)
    set_failure_age(database_url, account, 1.5)
    assert client.signin(email).status_code == 200
    counts = failures(database_url)
    assert account not in counts
    assert counts[address_key(database_url)] == 5  # the address keeps its count
    # The count starts again from zero: the next failure is the first of five free ones.
    expect_error(client.signin(email, "wrong password"), 401, "invalid_credentials")
    assert failures(database_url)[account] == 1
    set_failure_age(database_url, account, 0)
    assert client.signin(email).status_code == 200


def test_the_wait_stays_capped_however_many_failures_were_counted(fresh: Fresh) -> None:
    """2^(failures - 5) overflows a float past 1028 failures; the cap must still hold (and
    concurrent attempts can pile up that many, see test_two_processes)."""
    database_url, new_api = fresh.url, fresh.new_api
    email = new_api().signup()["user"]["email"]
    client = new_api()
    expect_error(client.signin(email, "wrong password"), 401, "invalid_credentials")
    for key, count_ in ((f"account:{email}", 1029), (address_key(database_url), 1044)):
        query(
            database_url,
            "UPDATE auth_failures SET failures = %s, last_failure = now() WHERE key = %s",
            (count_, key),
        )
        expect_throttled(client.signin(email), 900)
        query(database_url, "DELETE FROM auth_failures WHERE key = %s", (key,))
    assert client.signin(email).status_code == 200


def test_unknown_email_is_throttled_like_a_real_account(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    client = new_api()
    for _ in range(5):
        expect_error(client.signin("ghost@example.com"), 401, "invalid_credentials")
    set_failure_age(database_url, "account:ghost@example.com", 0)
    expect_throttled(client.signin("ghost@example.com"), 1)


def test_other_accounts_are_not_throttled_until_the_address_limit(fresh: Fresh) -> None:
    database_url, new_api = fresh.url, fresh.new_api
    victim = new_api().signup()["user"]["email"]
    bystander = new_api().signup()["user"]["email"]
    client = new_api()
    for _ in range(5):
        expect_error(client.signin(victim, "wrong password"), 401, "invalid_credentials")
    set_failure_age(database_url, f"account:{victim}", 0)
    expect_throttled(client.signin(victim), 1)
    # Another account from the same address: free until the address has 20 failures.
    assert client.signin(bystander).status_code == 200
    expect_error(client.signin(bystander, "wrong password"), 401, "invalid_credentials")
    address = address_key(database_url)
    assert failures(database_url)[address] == 6
    # Skip most of the way (argon2 is slow on purpose), then count the last ones for real.
    query(database_url, "UPDATE auth_failures SET failures = 18 WHERE key = %s", (address,))
    for i in range(2):
        expect_error(client.signin(f"nobody{i}@example.com"), 401, "invalid_credentials")
    assert failures(database_url)[address] == 20
    set_failure_age(database_url, address, 0)
    expect_throttled(client.signin(bystander), 1)
    expect_throttled(client.signin("someone-new@example.com"), 1)
    set_failure_age(database_url, address, 1.5)
    assert client.signin(bystander).status_code == 200
    assert failures(database_url)[address] == 20  # success clears only the account
