"""Every text the bridge sends a seat is in that seat's language: its client's, else its library's."""

from __future__ import annotations

from pathlib import Path

from tests.support.stack import start_stack

ROTA = Path(__file__).parents[1] / "data" / "rota.yaml"


def _rota_with_swedish_nokia(directory: Path) -> Path:
    text = ROTA.read_text(encoding="utf-8")
    nokia = '  nokia: {name: Nokia, desks: [nokia@chat.localhost], phone: "03 3413 3400"}'
    assert nokia in text
    path = directory / "rota.yaml"
    path.write_text(text.replace(nokia, nokia[:-1] + ", lang: sv}"), encoding="utf-8")
    return path


async def test_a_swedish_seat_gets_swedish_offers_and_refusals_an_english_seat_english(tmp_path) -> None:
    s = await start_stack(tmp_path, rota=_rota_with_swedish_nokia(tmp_path))
    try:
        swedish = await s.desk("tampere@chat.localhost", lang="sv")
        english = await s.desk("tampere-2@chat.localhost", lang="en")
        # a client language the bridge does not speak: the library's (sv in this roster)
        nokia = await s.desk("nokia@chat.localhost", lang="de")
        p = await s.patron()
        await p.say("Missä on kirjani?")

        offer_sv = await swedish.next_message("offer")
        offer_en = await english.next_message("offer")
        assert offer_sv.body.startswith("Ny chatt: Patron ") and "språk fi" in offer_sv.body
        assert "Låntagare: Missä on kirjani?" in offer_sv.body
        assert "Svara för att ta chatten" in offer_sv.body
        assert offer_en.body.startswith("New chat: Patron ") and "Patron: Missä on kirjani?" in offer_en.body
        assert "Reply to take this chat" in offer_en.body

        swedish.say(offer_sv.frm, "Hej, jag hjälper dig.")
        accepted = await swedish.next_message("accepted")
        assert accepted.body.startswith("Chatten med Patron ") and "är din nu." in accepted.body
        taken = await english.next_message("taken")
        assert taken.body.endswith(": taken by tampere@chat.localhost/desk-1.")

        nokia.say(offer_sv.frm, "/transcript")
        refused = await nokia.next_message("info")
        assert refused.body == (
            "tampere@chat.localhost/desk-1 har den här chatten; "
            "bara platser med samma diskkonto kan läsa chatten."
        )

        english.say(offer_en.frm, "Hello from Tampere 2")
        refused = await english.next_message("info")
        assert refused.body == (
            "Not sent: tampere@chat.localhost/desk-1 has this chat; "
            "only seats of that desk account can reply it."
        )

        swedish.say(offer_sv.frm, "/tag")
        assert (await swedish.next_message("info")).body == "Ange ett ämne: /tag NAMN (se /tags)."
        swedish.say(offer_sv.frm, "/end")
        ended_sv = await swedish.next_message("ended")
        assert ended_sv.body == "Chatten avslutades av tampere@chat.localhost/desk-1."
    finally:
        await s.close()


async def test_the_seat_language_follows_the_clients_presence(tmp_path) -> None:
    s = await start_stack(tmp_path)
    try:
        seat = await s.desk("tampere@chat.localhost", lang="fi")
        p = await s.patron()
        await p.say("hei")
        offer = await seat.next_message("offer")
        assert offer.body.startswith("Uusi keskustelu: Patron ")
        seat.say(offer.frm, "/unknown")
        assert (await seat.next_message("info")).body.startswith("Tuntematon komento /unknown.")

        # the same seat says it reads English now (the console's language setting changed)
        for to in (None, s.component):
            presence = seat.make_presence(pto=to)
            presence["lang"] = "en"
            presence.send()
        seat.say(offer.frm, "/unknown")
        answer = await seat.next_message("info")
        assert answer.body.startswith("Unknown command /unknown."), answer.body
    finally:
        await s.close()
