import pytest

from timeline.partners import ORGANISATIONS, PartnerError, resolve_partner


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("Italy", "IT", "Italy"),
        ("italy", "IT", "Italy"),
        ("IT", "IT", "Italy"),
        ("ita", "IT", "Italy"),
        ("UK", "GB", "United Kingdom"),
        ("Great Britain", "GB", "United Kingdom"),
        ("GBR", "GB", "United Kingdom"),
        ("USA", "US", "United States"),
        ("United States of America", "US", "United States"),
        ("Türkiye", "TR", "Türkiye"),
        ("Turkey", "TR", "Türkiye"),
        ("TURKIYE", "TR", "Türkiye"),
        ("Czechia", "CZ", "Czechia"),
        ("Czech Republic", "CZ", "Czechia"),
        ("South Korea", "KR", "South Korea"),
        ("Korea, Republic of", "KR", "South Korea"),
        ("NO", "NO", "Norway"),
        ("the Netherlands", "NL", "Netherlands"),
        ("Moldova", "MD", "Moldova"),
        ("EU", "EU", "European Union"),
        ("European Union", "EU", "European Union"),
        ("nato", "NATO", "NATO"),
        ("G7", "G7", "G7"),
        ("Group of Seven", "G7", "G7"),
        ("U.K.", "GB", "United Kingdom"),
        ("U.S.A.", "US", "United States"),
        ("the United States", "US", "United States"),
        ("E.U.", "EU", "European Union"),
        ("UAE", "AE", "United Arab Emirates"),
        ("Ivory Coast", "CI", "Côte d'Ivoire"),
        ("Macedonia", "MK", "North Macedonia"),
        ("Holy See", "VA", "Vatican City"),
        ("Russian Federation", "RU", "Russia"),
    ],
)
def test_names_codes_and_aliases_resolve_to_one_partner(text, code, name):
    partner = resolve_partner(text)
    assert (partner.code, partner.name) == (code, name)


def test_countries_carry_flags_and_organisations_are_marked():
    assert resolve_partner("IT").flag == "\U0001f1ee\U0001f1f9"
    assert resolve_partner("EU").is_organisation
    assert not resolve_partner("DE").is_organisation
    assert set(ORGANISATIONS) == {"EU", "NATO", "G7"}


@pytest.mark.parametrize(("typo", "suggestion"), [("Itlay", "Italy"), ("Polnad", "Poland"), ("Germnay", "Germany")])
def test_unknown_countries_get_a_suggestion(typo, suggestion):
    with pytest.raises(PartnerError, match=f"unknown country '{typo}' \\(did you mean {suggestion}\\?\\)"):
        resolve_partner(typo)


def test_ukraine_is_never_suggested_as_a_partner():
    with pytest.raises(PartnerError) as raised:
        resolve_partner("Ukrane")
    assert "did you mean Ukraine" not in str(raised.value)


def test_nonsense_gets_no_suggestion_but_a_hint():
    with pytest.raises(PartnerError) as raised:
        resolve_partner("Qqqqqq")
    assert "did you mean" not in str(raised.value)
    assert "ISO 3166" in str(raised.value)


@pytest.mark.parametrize("text", ["Ukraine", "UA", "ukr"])
def test_ukraine_is_never_its_own_partner(text):
    with pytest.raises(PartnerError, match="Ukraine is implied"):
        resolve_partner(text)
