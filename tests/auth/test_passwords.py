import pytest

from helpmenu.auth.passwords import (
    MAX_LENGTH,
    PasswordError,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)


def test_a_hash_is_argon2id_and_verifies_only_its_password() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password(stored, "")


def test_the_stored_hash_is_not_a_password() -> None:
    stored = hash_password("correct horse battery")
    assert not verify_password(stored, stored)


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


@pytest.mark.parametrize(
    "stored",
    ["", "plain text", "$argon2id$v=19$m=65536,t=3,p=4$broken", "$2b$12$" + "a" * 53, "\x00"],
)
def test_a_malformed_hash_never_verifies(stored: str) -> None:
    assert not verify_password(stored, "correct horse battery")
    assert needs_rehash(stored)


def test_weaker_parameters_need_a_rehash() -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("correct horse battery")
    assert verify_password(weak, "correct horse battery")
    assert needs_rehash(weak)
    assert not needs_rehash(hash_password("correct horse battery"))


@pytest.mark.parametrize(("password", "code"), [("", "too_short"), ("nine char", "too_short"),
                                                ("x" * (MAX_LENGTH + 1), "too_long")])
def test_the_policy_refuses_short_and_huge_passwords(password: str, code: str) -> None:
    with pytest.raises(PasswordError) as caught:
        check_policy(password)
    assert caught.value.code == code


def test_ten_characters_are_enough() -> None:
    check_policy("ten chars!")


def test_an_over_long_password_is_refused_without_hashing() -> None:
    stored = hash_password("correct horse battery")
    assert not verify_password(stored, "x" * (MAX_LENGTH + 1))
