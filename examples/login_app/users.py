"""The app's user table: two demo users at two hotels. In a real app this is your database; the
passwords (documented in examples/README.md, it is a demo) are stored only as scrypt hashes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    login: str
    password_hash: str
    id: str  # stable, never reused: it becomes the identity token's `sub`
    name: str
    email: str
    hotel: str
    account: str  # everyone of one account (hotel) sees the account's requests in HelpMenu
    locale: str  # the language the user chose in this app; the widget follows it


USERS = {
    user.login: user
    for user in (
        User(
            login="maria",
            password_hash="scrypt$16384$8$1$lIqC51gyZNKVIvVTI4leig$QPqn2Leh90HMwIpJjDPq0BQzLhgFS2JLAIMj2vdjA6I",  # noqa: S106 - a hash
            id="karpaty-7",
            name="Maria Shevchenko",
            email="maria@hotel-karpaty.example",
            hotel="Hotel Karpaty",
            account="hotel-karpaty",
            locale="uk",
        ),
        User(
            login="jan",
            password_hash="scrypt$16384$8$1$k0B7oRjtz4a-4uF_r5vX0g$wmRB30ENwbLpr5ETPXqJ5LbMK-Vblcw1fJ5JuzFyu4I",  # noqa: S106 - a hash
            id="novak-3",
            name="Jan Novák",
            email="jan@penzion-novak.example",
            hotel="Penzion Novák",
            account="penzion-novak",
            locale="en",
        ),
    )
}
