import pytest

from helpmenu.sites.contacts import ContactsError, normalise_phone, parse_contacts
from helpmenu.sites.service import SiteError, validate_settings


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+38 (044) 390-0014", "+380443900014"),
        ("+ 48 (22) 390-6200", "+48223906200"),
        ("0048 22 390 6200", "+48223906200"),
        ("+420.222.333.444", "+420222333444"),
    ],
)
def test_phones_are_normalised_to_e164(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "044 390 0014", "+0123456789", "+38abc", "+1234", "+" + "1" * 16])
def test_phones_are_checked_strictly(typed: str) -> None:
    assert normalise_phone(typed) is None


def test_contacts_are_validated_and_normalised() -> None:
    contacts = parse_contacts({
        "phones": [{"country": "ua", "number": "+38 (044) 390-0014", "label": "Україна"}],
        "emails": [{"kind": "billing", "address": "billing@otelms.example"}],
    })
    assert contacts == {
        "phones": [{"country": "UA", "number": "+380443900014", "label": "Україна"}],
        "emails": [{"kind": "billing", "address": "billing@otelms.example"}],
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"phones": [{"country": "UA", "number": "call us"}]}, "phone 1: 'call us'"),
        ({"phones": [{"country": "Ukraine", "number": "+380443900014"}]}, "two-letter"),
        ({"emails": [{"kind": "spam", "address": "a@b.example"}]}, "kind must be one of"),
        ({"emails": [{"kind": "general", "address": "<script>@x"}]}, "is not an e-mail"),
        ({"phones": ["+380443900014"]}, "expected an object"),
        ({"phones": [{"country": "UA", "number": "+380443900014", "label": "x" * 81}]}, "over 80"),
        ({"phones": [{"country": "UA", "number": "+380443900014", "label": "a\x00b"}]}, "NUL"),
    ],
)
def test_bad_contacts_name_the_entry(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ContactsError, match=message):
        parse_contacts(raw)


def test_site_names_with_nul_are_refused_before_the_database() -> None:
    with pytest.raises(SiteError, match="NUL"):
        validate_settings(name="Hotel\x00Dnipro")
