"""Fixtures for the FAQ tests: the example files and a small FAQ written in the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.faq import FaqBase, load_faq, parse_faq

ROOT = Path(__file__).resolve().parents[2]
PIKI_FAQ = ROOT / "examples" / "piki" / "faq.yaml"
PIKI_CANNED = ROOT / "examples" / "piki" / "canned.yaml"

SMALL = """
- id: hours
  tag: hours
  questions:
    fi: ["Milloin kirjasto on auki?", "aukioloajat"]
    sv: ["När är biblioteket öppet?"]
    en: ["When is the library open?"]
  answer:
    fi: "Aukioloajat löydät kirjastosi sivulta."
    sv: "Öppettiderna finns på bibliotekets sida."
    en: "Opening hours are on your library's page."
  links:
    - {title: {fi: Aukioloajat, en: Opening hours}, url: "https://library.example/hours"}
- id: renew
  tag: loans
  questions:
    fi: ["Miten uusin lainani?", "lainojen uusiminen"]
    en: ["How do I renew my loans?"]
  answer: {fi: "Uusi lainat Omilla sivuilla.", en: "Renew on My pages."}
- id: phone
  kind: roster
  fact: phone
  questions: {fi: ["Mikä on kirjaston puhelinnumero?"], en: ["What is the library's phone number?"]}
  answer: {fi: "{library_name}: puhelin {phone}.", en: "{library_name}: phone {phone}."}
  fallback: {fi: "Yhteystiedot ovat kirjaston sivulla.", en: "Contacts are on the library's page."}
  links:
    - {title: {fi: Kirjaston sivu, en: Library page}, url: "{url}"}
- id: chat
  kind: roster
  fact: open_now
  questions: {fi: ["Milloin chat on auki?"], en: ["When is the chat open?"]}
  answer: {fi: "Chat palvelee {hours}. Nyt olemme paikalla.", en: "Chat: {hours}. We are here."}
  closed:
    fi: "Chat palvelee {hours}. Seuraavaksi {next_opening}."
    en: "Chat: {hours}. Next {next_opening}."
  fallback: {fi: "Chat palvelee arkisin 10–16.", en: "The chat is open on weekdays 10–16."}
"""


@pytest.fixture(scope="session")
def piki() -> FaqBase:
    return load_faq(PIKI_FAQ)


@pytest.fixture
def small() -> FaqBase:
    return parse_faq(SMALL, "small.yaml")
