"""The login limit under attack: simultaneous guesses on one name, floods from one address, and a
flood of failed logins while others write (issue 17, items 1 and 2). On SQLite and PostgreSQL.

Argon2 runs with its cheapest parameters here (a real hasher, a thousandth of the cost), so thirty
threads take milliseconds; where the test needs a check to be in progress, the hasher waits on an
event instead of a clock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from synthesist.errors import LoginFailed, TooManyAttempts
from synthesist.review.accounts import Role
from synthesist.services.accounts import users
from synthesist.services.accounts.users import (
    ADDRESS_LOGIN_ATTEMPTS,
    LOGIN_ATTEMPTS,
    LOGIN_WINDOW,
    add_member,
    add_user,
    authenticate,
)
from synthesist.workspace import Workspace

PASSWORD = "correct horse battery"


class CountingHasher(PasswordHasher):
    """Argon2 at its cheapest, counting the passwords it checks; ``hold`` makes every check and hash
    wait until the event is set (``checking`` is set once one is waiting)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checked = 0
        self.lock = threading.Lock()
        self.checking = threading.Event()
        self.hold: threading.Event | None = None

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self.lock:
            self.checked += 1
        self._wait_if_held()
        return super().verify(hash, password)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self._wait_if_held()  # hashing for an unknown name is as slow, and must hold no lock either
        return super().hash(password, salt=salt)

    def _wait_if_held(self) -> None:
        if self.hold is not None:
            self.checking.set()
            assert self.hold.wait(timeout=30), "the test never released the password check"


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    counting = CountingHasher()
    monkeypatch.setattr(users, "_hasher", counting)
    users._dummy_hash.cache_clear()
    yield counting
    users._dummy_hash.cache_clear()


@pytest.fixture
def accounts(workspace: Workspace, hasher: CountingHasher) -> Workspace:
    add_user(workspace, "aoife", PASSWORD)
    add_member(workspace, "aoife", Role.OWNER)
    hasher.checked = 0
    return workspace


def _simultaneously(count: int, attempt: object) -> list[BaseException | None]:
    """Run ``attempt(n)`` in ``count`` threads released at once; what each raised (None: nothing)."""
    assert callable(attempt)
    start = threading.Barrier(count)
    outcomes: list[BaseException | None] = [None] * count

    def run(n: int) -> None:
        start.wait()
        try:
            attempt(n)
        except BaseException as error:  # each thread's outcome is the test's data
            outcomes[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_thirty_simultaneous_guesses_on_one_name_check_only_the_limit(
    accounts: Workspace, hasher: CountingHasher
) -> None:
    outcomes = _simultaneously(
        30, lambda n: authenticate(accounts, "aoife", f"guess {n}", address="203.0.113.7")
    )
    failed = [o for o in outcomes if isinstance(o, LoginFailed)]
    refused = [o for o in outcomes if isinstance(o, TooManyAttempts)]
    assert hasher.checked == len(failed) == LOGIN_ATTEMPTS
    assert len(refused) == 30 - LOGIN_ATTEMPTS, [o for o in outcomes if o not in failed + refused]
    with pytest.raises(TooManyAttempts, match="for this user name"):
        authenticate(accounts, "aoife", PASSWORD, address="203.0.113.7")
    assert hasher.checked == LOGIN_ATTEMPTS, "a refused attempt checks no password"
    # the limit is per name and address: aoife from elsewhere still gets in
    assert authenticate(accounts, "aoife", PASSWORD, address="198.51.100.1").name == "aoife"


def test_one_address_guessing_many_names_is_limited_too(accounts: Workspace, hasher: CountingHasher) -> None:
    outcomes = _simultaneously(
        ADDRESS_LOGIN_ATTEMPTS + 10,
        lambda n: authenticate(accounts, f"guessed-name-{n}", "password", address="203.0.113.9"),
    )
    refused = [o for o in outcomes if isinstance(o, TooManyAttempts)]
    assert hasher.checked == ADDRESS_LOGIN_ATTEMPTS
    assert len(refused) == 10 and all("from your address" in o.message for o in refused)
    assert all(isinstance(o, LoginFailed | TooManyAttempts) for o in outcomes), outcomes
    assert authenticate(accounts, "aoife", PASSWORD, address="198.51.100.1").name == "aoife"


def test_a_right_password_gives_its_attempt_back(accounts: Workspace) -> None:
    for _ in range(LOGIN_ATTEMPTS - 1):
        with pytest.raises(LoginFailed):
            authenticate(accounts, "aoife", "wrong password", address="203.0.113.7")
    # colleagues behind one address logging in, many times over, never use up the address's limit
    for _ in range(ADDRESS_LOGIN_ATTEMPTS + 1):
        assert authenticate(accounts, "aoife", PASSWORD, address="203.0.113.7").name == "aoife"
    for _ in range(LOGIN_ATTEMPTS):  # the name's count started again
        with pytest.raises(LoginFailed):
            authenticate(accounts, "aoife", "wrong password", address="203.0.113.7")
    with pytest.raises(TooManyAttempts):
        authenticate(accounts, "aoife", PASSWORD, address="203.0.113.7")


def test_a_counter_whose_window_has_passed_counts_for_nothing(accounts: Workspace) -> None:
    limits = {"per_address": 10, "per_account": 2, "window": LOGIN_WINDOW}
    start = datetime.now(UTC)
    with accounts.unit_of_work() as uow:
        taken = [uow.users.take_login_attempt("a", "n", now=start, **limits) for _ in range(3)]
        later = start + LOGIN_WINDOW + timedelta(seconds=1)
        taken.append(uow.users.take_login_attempt("a", "n", now=later, **limits))
        uow.commit()
    assert taken == [None, None, "account", None]


def test_an_unknown_name_checks_a_hash_made_like_a_real_one(
    accounts: Workspace, hasher: CountingHasher
) -> None:
    with pytest.raises(LoginFailed):
        authenticate(accounts, "nobody", PASSWORD, address="203.0.113.7")
    assert hasher.checked == 1, "as many password checks as for a known name"
    with pytest.raises(VerificationError):
        hasher.verify(users._dummy_hash(), PASSWORD)
    assert not hasher.check_needs_rehash(users._dummy_hash()), "same parameters, so the same cost"


def test_a_login_being_checked_holds_no_lock_another_write_needs(
    accounts: Workspace, hasher: CountingHasher
) -> None:
    hasher.hold = threading.Event()
    login = threading.Thread(
        target=_simultaneously,
        args=(1, lambda n: authenticate(accounts, "nobody", "guess", address="203.0.113.7")),
    )
    login.start()
    try:
        assert hasher.checking.wait(timeout=10)
        written: list[object] = []
        # another connection writes while the password check is still in progress
        writer = threading.Thread(target=lambda: written.append(add_member(accounts, "aoife", Role.REVIEWER)))
        writer.start()
        writer.join(timeout=10)
        assert written, "the write waited for a password check"
        assert not hasher.hold.is_set()
    finally:
        hasher.hold.set()
        login.join(timeout=10)
