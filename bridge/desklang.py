"""Every human text the bridge sends desks, in Finnish, Swedish and English. Pure: no I/O.

A seat's language is the `xml:lang` of its presence (the console sets it from its `lang:`
setting), else its library's `lang:` in the roster, else Finnish (`choose`). Texts have
`{placeholders}` for str.format; `Say` is a text not yet rendered, so that a notice sent to
several seats is rendered in each seat's language.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

LANGS = ("fi", "sv", "en")
DEFAULT_LANG = "fi"

# A desk text: plain (already rendered) or rendered for a language.
Text = str | Callable[[str], str]


def choose(*candidates: str | None) -> str:
    """The first of `candidates` that is fi, sv or en ("sv-FI" counts as sv); else Finnish."""
    for candidate in candidates:
        code = (candidate or "").strip().lower().replace("_", "-").split("-")[0]
        if code in LANGS:
            return code
    return DEFAULT_LANG


def say(lang: str, key: str, /, **params: object) -> str:
    """The text `key` in `lang` (Finnish if unknown) with its placeholders filled.

    A parameter that is itself a `Say` (or any callable of the language) is rendered first.
    """
    texts = TEXTS[key]
    template = texts.get(lang) or texts[DEFAULT_LANG]
    return template.format(**{k: render(v, lang) if callable(v) else v for k, v in params.items()})


def render(text: Text, lang: str) -> str:
    """A text for a seat whose language is `lang`."""
    return text if isinstance(text, str) else text(lang)


@dataclass(frozen=True)
class Say:
    """A catalog text with its parameters, rendered when the seat's language is known."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __call__(self, lang: str) -> str:
        return say(lang, self.key, **self.params)


def said(key: str, /, **params: object) -> Say:
    """`Say(key, params)` written like `say(lang, key, **params)`."""
    return Say(key, params)


def placeholders(template: str) -> set[str]:
    """The names of a template's {placeholders}."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


HELP_EN = """Commands (send them in the chat with the patron; they never reach the patron).
Start them with ! or / (clients that eat a leading /, such as profanity and Gajim: ! or //):
/chats             waiting chats and yours, one line each
/accept            take this chat (a colleague's at your desk account: take it over)
/tag NAME…         add tags (id, name or number from /tags)
/untag NAME        remove a tag
/tags              list the tags with numbers
/transfer TARGET   hand the chat to a library or pool (see /desks)
/desks             libraries and pools, who is available now
/end               end the chat
/note TEXT         internal note, never shown to the patron
/canned [KEY]      send a canned answer (without KEY: list them)
/transcript        the whole chat so far
/forward TO [NOTE] mail the transcript to a library id or an address
/faq ENTRY         keep the patron's question as an example for an FAQ entry
/keep              keep the chat open although the patron has gone
/end-stale         end the chats whose patrons have gone
/followups         open follow-ups (messages patrons left)
/claim N           take follow-up N
/answer N TEXT     answer follow-up N (by e-mail when the patron left an address)
/close N           close follow-up N
/help              this list
In a client that passes / through, start a line with // to send a literal / to the patron."""

HELP_FI = """Komennot (lähetä ne keskusteluun asiakkaan kanssa; ne eivät koskaan näy asiakkaalle).
Aloita ne merkillä ! tai / (ohjelmissa, jotka syövät alun /-merkin, kuten profanity ja Gajim: ! tai //):
/chats             odottavat ja omat keskustelut, yksi rivi kustakin
/accept            ota tämä keskustelu (saman tiskitunnuksen kollegalta: ota se itsellesi)
/tag NIMI…         lisää aiheita (tunniste, nimi tai numero listasta /tags)
/untag NIMI        poista aihe
/tags              aiheet numeroineen
/transfer KOHDE    siirrä keskustelu kirjastolle tai kimpalle (ks. /desks)
/desks             kirjastot ja kimpat, kuka on nyt paikalla
/end               päätä keskustelu
/note TEKSTI       sisäinen muistiinpano, ei koskaan näy asiakkaalle
/canned [AVAIN]    lähetä valmis vastaus (ilman avainta: lista)
/transcript        koko keskustelu tähän asti
/forward KENELLE [VIESTI] lähetä keskustelu sähköpostilla kirjastolle (tunniste) tai osoitteeseen
/faq KOHTA         tallenna asiakkaan kysymys UKK-kohdan esimerkiksi
/keep              pidä keskustelu auki, vaikka asiakas on poistunut
/end-stale         päätä keskustelut, joista asiakas on poistunut
/followups         avoimet jätetyt viestit (asiakkaiden yhteydenottopyynnöt)
/claim N           ota viesti N itsellesi
/answer N TEKSTI   vastaa viestiin N (sähköpostilla, jos asiakas jätti osoitteen)
/close N           sulje viesti N
/help              tämä lista
Ohjelmassa, joka päästää /-merkin läpi, aloita rivi merkeillä // lähettääksesi asiakkaalle /-merkin."""

HELP_SV = """Kommandon (skicka dem i chatten med låntagaren; de når aldrig låntagaren).
Börja dem med ! eller / (i program som äter ett inledande /, såsom profanity och Gajim: ! eller //):
/chats             väntande chattar och dina egna, en rad per chatt
/accept            ta den här chatten (en kollegas på samma diskkonto: ta över den)
/tag NAMN…         lägg till ämnen (id, namn eller nummer från /tags)
/untag NAMN        ta bort ett ämne
/tags              ämnena med nummer
/transfer MÅL      flytta chatten till ett bibliotek eller en grupp (se /desks)
/desks             bibliotek och grupper, vem som är på plats nu
/end               avsluta chatten
/note TEXT         intern anteckning, visas aldrig för låntagaren
/canned [NYCKEL]   skicka ett färdigt svar (utan nyckel: listan)
/transcript        hela chatten hittills
/forward TILL [TEXT] skicka chatten per e-post till ett bibliotek (id) eller en adress
/faq POST          spara låntagarens fråga som exempel för en FAQ-post
/keep              håll chatten öppen fast låntagaren har gått
/end-stale         avsluta chattarna vars låntagare har gått
/followups         öppna uppföljningar (meddelanden som låntagare lämnat)
/claim N           ta uppföljning N
/answer N TEXT     svara på uppföljning N (per e-post om låntagaren lämnade en adress)
/close N           stäng uppföljning N
/help              den här listan
I ett program som släpper igenom /, börja raden med // för att skicka ett / till låntagaren."""

# key → {lang: template}. English is what the bridge said before it spoke other languages.
TEXTS: dict[str, dict[str, str]] = {
    "help": {"fi": HELP_FI, "sv": HELP_SV, "en": HELP_EN},
    # the offer and transcripts
    "offer.new": {
        "fi": "Uusi keskustelu: {nick} ({library}), kieli {lang}",
        "sv": "Ny chatt: {nick} ({library}), språk {lang}",
        "en": "New chat: {nick} ({library}), language {lang}",
    },
    "offer.transferred": {
        "fi": "Keskustelu siirretty, lähettäjä {source}: {nick} ({library}), kieli {lang}",
        "sv": "Chatt flyttad från {source}: {nick} ({library}), språk {lang}",
        "en": "Chat transferred from {source}: {nick} ({library}), language {lang}",
    },
    "offer.released_from": {
        "fi": "{seat} (poistui linjoilta)",
        "sv": "{seat} (gick offline)",
        "en": "{seat} (went offline)",
    },
    "offer.page": {"fi": "Sivu: {page}", "sv": "Sida: {page}", "en": "Page: {page}"},
    "offer.place": {
        "fi": "Paikka jonossa: {place}",
        "sv": "Plats i kön: {place}",
        "en": "Place in queue: {place}",
    },
    "offer.tags": {"fi": "Aiheet: {tags}", "sv": "Ämnen: {tags}", "en": "Tags: {tags}"},
    "offer.how": {
        "fi": "Vastaa ottaaksesi keskustelun, tai lähetä !accept (tai /accept, jos ohjelmasi päästää "
        "/-merkin läpi; profanityssä ja Gajimissa kirjoita //accept). !help listaa komennot.",
        "sv": "Svara för att ta chatten, eller skicka !accept (eller /accept om ditt program släpper "
        "igenom /; i profanity och Gajim skriv //accept). !help listar kommandona.",
        "en": "Reply to take this chat, or send !accept (or /accept where your client lets a / through; "
        "in profanity and Gajim type //accept). !help lists the commands.",
    },
    "transcript.none": {
        "fi": "(ei vielä viestejä)",
        "sv": "(inga meddelanden ännu)",
        "en": "(no messages yet)",
    },
    "transcript.earlier": {
        "fi": "… {n} aiempaa riviä ei näytetä; /transcript näyttää kaikki",
        "sv": "… {n} tidigare rad(er) visas inte; /transcript visar alla",
        "en": "… {n} earlier line(s) not shown; /transcript has all",
    },
    "sender.patron": {"fi": "Asiakas", "sv": "Låntagare", "en": "Patron"},
    "sender.librarian": {"fi": "Kirjastonhoitaja", "sv": "Bibliotekarie", "en": "Librarian"},
    "sender.bot": {"fi": "Automaatti", "sv": "Automat", "en": "Bot"},
    "sender.system": {"fi": "Tiski", "sv": "Tiski", "en": "Tiski"},
    "sender.note": {"fi": "Muistiinpano", "sv": "Anteckning", "en": "Note"},
    # notices of changes
    "reminder": {
        "fi": "Odottaa yhä vastausta: {nick}, {secs} s. Vastaa tai lähetä !accept.",
        "sv": "Väntar fortfarande på svar: {nick}, {secs} s. Svara eller skicka !accept.",
        "en": "Still waiting for an answer: {nick}, {secs} s. Reply or send !accept.",
    },
    "taken": {
        "fi": "{nick}: keskustelun otti {seat}.",
        "sv": "{nick}: chatten togs av {seat}.",
        "en": "{nick}: taken by {seat}.",
    },
    "accepted": {
        "fi": "Keskustelu asiakkaan {nick} kanssa on nyt sinun.",
        "sv": "Chatten med {nick} är din nu.",
        "en": "You have the chat with {nick}.",
    },
    "transferred": {
        "fi": "{seat} siirsi keskustelun {nick} kohteelle {target}.",
        "sv": "{nick} flyttades till {target} av {seat}.",
        "en": "{nick} was transferred to {target} by {seat}.",
    },
    "released": {
        "fi": "{nick}: {seat} poistui linjoilta; keskustelu odottaa taas.",
        "sv": "{nick}: {seat} gick offline; chatten väntar igen.",
        "en": "{nick}: {seat} went offline; the chat is waiting again.",
    },
    "patron_back": {
        "fi": "{nick} palasi.",
        "sv": "{nick} är tillbaka.",
        "en": "{nick} is back.",
    },
    "patron_left": {
        "fi": "{nick} poistui keskustelusta (sulki sivun tai yhteys katkesi). Keskustelu päättyy "
        "keskeytyneenä {grace} s kuluttua, ellei asiakas palaa tai lähetä /keep.",
        "sv": "{nick} lämnade chatten (stängde sidan eller tappade anslutningen). Den avslutas som "
        "avbruten om {grace} s om inte låntagaren kommer tillbaka eller du skickar /keep.",
        "en": "{nick} left the chat (closed the page or lost the connection). "
        "It ends as interrupted in {grace} s unless the patron comes back or you send /keep.",
    },
    "withdrawn": {
        "fi": "{nick} poistui ennen kuin kukaan vastasi; keskustelu peruttiin.",
        "sv": "{nick} gick innan någon svarade; chatten drogs tillbaka.",
        "en": "{nick} left before anyone answered; the chat was withdrawn.",
    },
    "ended.interrupted": {
        "fi": "{nick} ei palannut; keskustelu päättyi keskeytyneenä.",
        "sv": "{nick} kom inte tillbaka; chatten avslutades som avbruten.",
        "en": "{nick} did not come back; the chat ended as interrupted.",
    },
    "ended.by_patron": {
        "fi": "Asiakas päätti keskustelun.",
        "sv": "Chatten avslutades av låntagaren.",
        "en": "The chat was ended by the patron.",
    },
    "ended.by_seat": {
        "fi": "{seat} päätti keskustelun.",
        "sv": "Chatten avslutades av {seat}.",
        "en": "The chat was ended by {seat}.",
    },
    "ended.by_bridge": {
        "fi": "Silta päätti keskustelun.",
        "sv": "Chatten avslutades av bryggan.",
        "en": "The chat was ended by the bridge.",
    },
    # desk actions: answers and errors
    "chat.no_such": {
        "fi": "Keskustelua {session} ei ole.",
        "sv": "Chatten {session} finns inte.",
        "en": "No chat {session} exists.",
    },
    "chat.not_found": {
        "fi": "Ei keskustelua {session!r}; /chats tai komento `chats` listaa ne.",
        "sv": "Ingen chatt {session!r}; /chats eller kommandot `chats` listar dem.",
        "en": "No chat {session!r}; /chats or the `chats` command lists them.",
    },
    "chat.too_old": {
        "fi": "Keskustelu päättyi liian kauan sitten muutettavaksi.",
        "sv": "Chatten avslutades för länge sedan för att ändras.",
        "en": "This chat ended too long ago to change it.",
    },
    "chat.transcript_day": {
        "fi": "Päättyneen keskustelun voi lukea vain sinä päivänä, jona se päättyi.",
        "sv": "En avslutad chatt kan läsas bara samma dag som den avslutades.",
        "en": "Transcripts of ended chats are available only on the day they ended.",
    },
    "chat.ended": {
        "fi": "Keskustelu on päättynyt.",
        "sv": "Chatten har avslutats.",
        "en": "This chat has ended.",
    },
    "chat.ended_already": {
        "fi": "Keskustelu on jo päättynyt.",
        "sv": "Chatten har redan avslutats.",
        "en": "This chat has ended already.",
    },
    "reply.ended": {
        "fi": "Keskustelu on päättynyt; viestiäsi ei lähetetty.",
        "sv": "Chatten har avslutats; ditt meddelande skickades inte.",
        "en": "This chat has ended; your line was not sent.",
    },
    "reply.not_sent": {"fi": "Ei lähetetty: {why}", "sv": "Inte skickat: {why}", "en": "Not sent: {why}"},
    "accept.already": {
        "fi": "Keskustelu on jo sinun.",
        "sv": "Chatten är redan din.",
        "en": "You already have this chat.",
    },
    "tag.missing": {
        "fi": "Keskustelulla ei ole aihetta {tag!r}; sillä on: {tags}.",
        "sv": "Chatten har inget ämne {tag!r}; den har: {tags}.",
        "en": "The chat has no tag {tag!r}; it has: {tags}.",
    },
    "none": {"fi": "ei yhtään", "sv": "inga", "en": "none"},
    "nobody": {"fi": "ei ketään", "sv": "ingen", "en": "nobody"},
    "target.unknown": {
        "fi": "Ei kirjastoa tai kimppaa {name!r}. Tunnetut: {known}.",
        "sv": "Inget bibliotek eller ingen grupp {name!r}. Kända: {known}.",
        "en": "No library or pool {name!r}. Known: {known}.",
    },
    "target.nobody": {
        "fi": "Kohteessa {target} ei ole nyt ketään paikalla. Paikalla: {available}.",
        "sv": "Ingen på {target} är på plats nu. På plats: {available}.",
        "en": "Nobody at {target} is available now. Available: {available}.",
    },
    "transfer.done": {
        "fi": "Siirretty: {target}.",
        "sv": "Flyttad till {target}.",
        "en": "Transferred to {target}.",
    },
    "end.done": {
        "fi": "Keskustelu on päätetty.",
        "sv": "Chatten har avslutats.",
        "en": "The chat has ended.",
    },
    "end.tag_first": {
        "fi": "Lisää keskustelulle aihe ennen kuin päätät sen (/tag NIMI tai numero, tai komento `tag`):\n"
        "{tags}",
        "sv": "Lägg till ett ämne innan du avslutar chatten (/tag NAMN eller nummer, eller kommandot "
        "`tag`):\n{tags}",
        "en": "Tag the chat before ending it (/tag NAME or number, or the `tag` command):\n{tags}",
    },
    "keep.done": {
        "fi": "Keskustelu pysyy auki, vaikka asiakas on poistunut; päätä se komennolla /end, kun olet "
        "valmis.",
        "sv": "Chatten hålls öppen fast låntagaren har gått; avsluta den med /end när du är klar.",
        "en": "The chat stays open although the patron has gone; /end it when you are done.",
    },
    "stale.ended": {
        "fi": "Päätettiin {n} keskustelua, joista asiakas oli poistunut.",
        "sv": "Avslutade {n} chatt(ar) vars låntagare hade gått.",
        "en": "Ended {n} chat(s) whose patrons had gone.",
    },
    "stale.none": {
        "fi": "Ei hylättyjä keskusteluja.",
        "sv": "Inga övergivna chattar.",
        "en": "No stale chats.",
    },
    "note.empty": {
        "fi": "Kirjoita muistiinpano komennon perään: /note TEKSTI",
        "sv": "Skriv anteckningen efter kommandot: /note TEXT",
        "en": "Write the note after the command: /note TEXT",
    },
    "note.saved": {
        "fi": "Muistiinpano tallennettu (ei näy asiakkaalle).",
        "sv": "Anteckningen sparad (visas inte för låntagaren).",
        "en": "Note saved (not shown to the patron).",
    },
    "canned.unknown": {
        "fi": "Ei valmista vastausta {key!r}. Avaimet: {keys}.",
        "sv": "Inget färdigt svar {key!r}. Nycklar: {keys}.",
        "en": "No canned answer {key!r}. Keys: {keys}.",
    },
    "canned.none_configured": {
        "fi": "yhtään ei ole asetettu",
        "sv": "inga inställda",
        "en": "none configured",
    },
    "canned.sent": {
        "fi": "Lähetettiin valmis vastaus {key!r}:\n{text}",
        "sv": "Skickade det färdiga svaret {key!r}:\n{text}",
        "en": "Sent the canned answer {key!r}:\n{text}",
    },
    "canned.list": {
        "fi": "Valmiit vastaukset: {keys}",
        "sv": "Färdiga svar: {keys}",
        "en": "Canned answers: {keys}",
    },
    "faq.none": {
        "fi": "Sillalla ei ole UKK:ta (`faq:` sen asetuksissa).",
        "sv": "Bryggan har ingen FAQ (`faq:` i dess inställningar).",
        "en": "The bridge has no FAQ (`faq:` in its config).",
    },
    "faq.unknown": {
        "fi": "Ei UKK-kohtaa {entry!r}. Kohdat: {entries}.",
        "sv": "Ingen FAQ-post {entry!r}. Poster: {entries}.",
        "en": "No FAQ entry {entry!r}. Entries: {entries}.",
    },
    "faq.no_question": {
        "fi": "Asiakas ei ole vielä kysynyt mitään tässä keskustelussa.",
        "sv": "Låntagaren har inte frågat något ännu i den här chatten.",
        "en": "The patron has asked nothing yet in this chat.",
    },
    "faq.saved": {
        "fi": "{question!r} tallennettu kohdan {entry!r} esimerkiksi; UKK:n toimittaja lisää sen "
        "komennolla `python -m bridge.faq review`.",
        "sv": "{question!r} sparad som exempel för {entry!r}; FAQ:ns redaktör lägger till den med "
        "`python -m bridge.faq review`.",
        "en": "Saved {question!r} as an example for {entry!r}; the FAQ's editor adds it with "
        "`python -m bridge.faq review`.",
    },
    # refusals (bridge/chats/permissions.py)
    "refuse.ended": {
        "fi": "Keskustelu on päättynyt; {action} ei ole enää mahdollista ({role}).",
        "sv": "Chatten har avslutats; {role} kan inte längre {action}.",
        "en": "This chat has ended; {role} cannot {action} it any more.",
    },
    "refuse.take_over": {
        "fi": "{owner} on ottanut tämän keskustelun; lähetä ensin /accept ottaaksesi sen itsellesi.",
        "sv": "{owner} har den här chatten; skicka /accept för att ta över den först.",
        "en": "{owner} has this chat; send /accept to take it over first.",
    },
    "refuse.owned": {
        "fi": "{owner} on ottanut tämän keskustelun; {action} on mahdollista vain saman tiskitunnuksen "
        "paikoilta.",
        "sv": "{owner} har den här chatten; bara platser med samma diskkonto kan {action}.",
        "en": "{owner} has this chat; only seats of that desk account can {action} it.",
    },
    "refuse.coordinator": {
        "fi": "Koordinaattori voi lukea ja siirtää odottavan keskustelun; {action} ei ole mahdollista.",
        "sv": "En koordinator kan läsa och flytta en väntande chatt, men inte {action}.",
        "en": "A coordinator can read and transfer a waiting chat, not {action} it.",
    },
    "refuse.not_offered": {
        "fi": "Tätä keskustelua ei ole tarjottu tiskillesi.",
        "sv": "Den här chatten har inte erbjudits till din disk.",
        "en": "This chat is not offered to your desk.",
    },
    "refuse.someone": {"fi": "toinen paikka", "sv": "en annan plats", "en": "another seat"},
    "role.owner": {
        "fi": "keskustelun ottanut paikka",
        "sv": "platsen som har chatten",
        "en": "the seat that has the chat",
    },
    "role.owner_desk": {
        "fi": "saman tiskitunnuksen toinen paikka",
        "sv": "en annan plats med samma diskkonto",
        "en": "another seat of the desk account that has the chat",
    },
    "role.offered": {
        "fi": "tiski, jolle keskustelua tarjotaan",
        "sv": "en disk som chatten erbjuds till",
        "en": "a desk the chat is offered to",
    },
    "role.coordinator": {"fi": "koordinaattori", "sv": "en koordinator", "en": "a coordinator"},
    "role.other": {"fi": "muu tiski", "sv": "en annan disk", "en": "any other desk"},
    # an action as the refusals name it: fi a verbal noun, sv an infinitive, en the verb
    "action.reply": {"fi": "vastaaminen", "sv": "svara", "en": "reply"},
    "action.accept": {"fi": "ottaminen", "sv": "ta chatten", "en": "accept"},
    "action.tag": {"fi": "aiheen lisääminen", "sv": "lägga till ämnen", "en": "tag"},
    "action.untag": {"fi": "aiheen poistaminen", "sv": "ta bort ämnen", "en": "untag"},
    "action.note": {"fi": "muistiinpanon kirjoittaminen", "sv": "skriva anteckningar", "en": "note"},
    "action.transcript": {"fi": "lukeminen", "sv": "läsa chatten", "en": "transcript"},
    "action.transfer": {"fi": "siirtäminen", "sv": "flytta chatten", "en": "transfer"},
    "action.forward": {
        "fi": "sähköpostilla lähettäminen",
        "sv": "skicka chatten per e-post",
        "en": "forward",
    },
    "action.canned": {"fi": "valmiin vastauksen lähettäminen", "sv": "skicka färdiga svar", "en": "canned"},
    "action.end": {"fi": "päättäminen", "sv": "avsluta chatten", "en": "end"},
    "action.keep": {"fi": "auki pitäminen", "sv": "hålla chatten öppen", "en": "keep"},
    "action.faq": {"fi": "UKK-esimerkin tallentaminen", "sv": "spara FAQ-exempel", "en": "faq"},
    # text commands (bridge/commands.py)
    "cmd.name_tag": {
        "fi": "Anna aihe: /{cmd} NIMI (ks. /tags).",
        "sv": "Ange ett ämne: /{cmd} NAMN (se /tags).",
        "en": "Name a tag: /{cmd} NAME (see /tags).",
    },
    "cmd.tags": {"fi": "Aiheet: {tags}", "sv": "Ämnen: {tags}", "en": "Tags: {tags}"},
    "cmd.name_target": {
        "fi": "Anna kirjasto tai kimppa: /transfer KOHDE (ks. /desks).",
        "sv": "Ange ett bibliotek eller en grupp: /transfer MÅL (se /desks).",
        "en": "Name a library or pool: /transfer TARGET (see /desks).",
    },
    "cmd.name_faq": {
        "fi": "Anna UKK-kohta, johon keskustelun kysymys kuuluu: /faq KOHTA",
        "sv": "Ange FAQ-posten som chattens fråga hör till: /faq POST",
        "en": "Name the FAQ entry this chat's question belongs to: /faq ENTRY",
    },
    "cmd.followup_number": {
        "fi": "Anna viestin numero: /{cmd} N (ks. /followups).",
        "sv": "Ange uppföljningens nummer: /{cmd} N (se /followups).",
        "en": "Give the follow-up's number: /{cmd} N (see /followups).",
    },
    "cmd.answer_args": {
        "fi": "Anna numero ja vastaus: /answer N TEKSTI (ks. /followups).",
        "sv": "Ange nummer och svar: /answer N TEXT (se /followups).",
        "en": "Give the number and the answer: /answer N TEXT (see /followups).",
    },
    "cmd.forward_to": {
        "fi": "Anna kirjaston tunniste tai sähköpostiosoite: /forward KENELLE [VIESTI]",
        "sv": "Ange ett biblioteks id eller en e-postadress: /forward TILL [TEXT]",
        "en": "Name a library id or an e-mail address: /forward TO [NOTE]",
    },
    "cmd.unknown": {
        "fi": "Tuntematon komento /{cmd}. Lähetä /help nähdäksesi listan; // lähettää /-merkin sellaisenaan.",
        "sv": "Okänt kommando /{cmd}. Skicka /help för listan; // skickar ett / som det är.",
        "en": "Unknown command /{cmd}. Send /help for the list; // sends a literal /.",
    },
    "desks.row": {
        "fi": "{mark}{id} ({name}): {n} paikalla",
        "sv": "{mark}{id} ({name}): {n} på plats",
        "en": "{mark}{id} ({name}): {n} available",
    },
    "desks.phone": {"fi": ", puhelin {phone}", "sv": ", telefon {phone}", "en": ", phone {phone}"},
    "chats.yours": {"fi": "sinun", "sv": "din", "en": "yours"},
    "chats.waiting": {
        "fi": "odottaa, paikka {place}",
        "sv": "väntar, plats {place}",
        "en": "waiting, place {place}",
    },
    "chats.row": {
        "fi": "{nick} · {library} · {minutes} min · {mark} · {session}: {first}",
        "sv": "{nick} · {library} · {minutes} min · {mark} · {session}: {first}",
        "en": "{nick} · {library} · {minutes} min · {mark} · {session}: {first}",
    },
    "chats.none": {
        "fi": "Ei odottavia eikä omia keskusteluja.",
        "sv": "Inga väntande chattar och inga egna.",
        "en": "No waiting chats and none of yours.",
    },
    # follow-ups (bridge/followup.py and the /followups listing)
    "followups.row": {
        "fi": "#{id} {library} · {when} · {status}{who} · {text}",
        "sv": "#{id} {library} · {when} · {status}{who} · {text}",
        "en": "#{id} {library} · {when} · {status}{who} · {text}",
    },
    "followups.none": {
        "fi": "Ei avoimia jätettyjä viestejä.",
        "sv": "Inga öppna uppföljningar.",
        "en": "No open follow-ups.",
    },
    "followups.keys": {
        "fi": "/claim N, /answer N TEKSTI, /close N",
        "sv": "/claim N, /answer N TEXT, /close N",
        "en": "/claim N, /answer N TEXT, /close N",
    },
    "status.open": {"fi": "avoin", "sv": "öppen", "en": "open"},
    "status.claimed": {"fi": "otettu", "sv": "tagen", "en": "claimed"},
    "status.answered": {"fi": "vastattu", "sv": "besvarad", "en": "answered"},
    "status.closed": {"fi": "suljettu", "sv": "stängd", "en": "closed"},
    "followup.notice": {
        "fi": "Jätetty viesti #{id} asiakkaalta {nick} ({library}), kieli {lang}:\n{text}\n{contact}\n"
        "Ota se itsellesi: /claim {id} (tai komento followup-claim); /followups listaa kaikki.",
        "sv": "Uppföljning #{id} från {nick} ({library}), språk {lang}:\n{text}\n{contact}\n"
        "Ta den med /claim {id} (eller kommandot followup-claim); /followups listar alla.",
        "en": "Follow-up #{id} from {nick} ({library}), language {lang}:\n{text}\n{contact}\n"
        "Claim it with the followup-claim command (id {id}); `followups` lists them all.",
    },
    "followup.contact": {
        "fi": "Yhteystiedot: {contact}",
        "sv": "Kontaktuppgifter: {contact}",
        "en": "Contact: {contact}",
    },
    "followup.no_contact": {
        "fi": "Ei yhteystietoja.",
        "sv": "Inga kontaktuppgifter.",
        "en": "No contact details.",
    },
    "followup.scope": {
        "fi": "scope: valitse desk tai service, ei {scope!r}",
        "sv": "scope: välj desk eller service, inte {scope!r}",
        "en": "scope: choose desk or service, not {scope!r}",
    },
    "followup.status": {
        "fi": "status: valitse open, claimed, answered, closed tai all; ei {status!r}",
        "sv": "status: välj open, claimed, answered, closed eller all; inte {status!r}",
        "en": "status: choose one of open, claimed, answered, closed, all; not {status!r}",
    },
    "followup.unknown": {
        "fi": "Ei jätettyä viestiä {id!r}; /followups (komento `followups`) listaa ne.",
        "sv": "Ingen uppföljning {id!r}; /followups (kommandot `followups`) listar dem.",
        "en": "No follow-up {id!r}; the `followups` command lists them.",
    },
    "followup.closed": {
        "fi": "Viesti #{id} on suljettu.",
        "sv": "Uppföljning #{id} är stängd.",
        "en": "Follow-up #{id} is closed.",
    },
    "followup.claimed_by": {
        "fi": "{who} on ottanut viestin #{id}.",
        "sv": "{who} har tagit uppföljning #{id}.",
        "en": "{who} has claimed follow-up #{id}.",
    },
    "followup.answered_by": {
        "fi": "Viestiin #{id} on jo vastannut {who}.",
        "sv": "Uppföljning #{id} har redan besvarats av {who}.",
        "en": "Follow-up #{id} was already answered by {who}.",
    },
    "followup.already_yours": {
        "fi": "Viesti #{id} on jo sinun.",
        "sv": "Uppföljning #{id} är redan din.",
        "en": "Follow-up #{id} is already yours.",
    },
    "followup.yours": {
        "fi": "Viesti #{id} on nyt sinun; vastaa siihen: /answer {id} TEKSTI (tai komento followup-answer).",
        "sv": "Uppföljning #{id} är din nu; svara med /answer {id} TEXT (eller kommandot followup-answer).",
        "en": "Follow-up #{id} is yours now; answer it with /answer {id} TEXT "
        "(or the followup-answer command).",
    },
    "followup.no_text": {
        "fi": "Kirjoita vastaus kenttään `text`.",
        "sv": "Skriv svaret i fältet `text`.",
        "en": "Write the answer in the `text` field.",
    },
    "followup.answered_at": {
        "fi": "Viestiin #{id} vastasi jo {who} ({at}); sulje se: /close {id} (tai followup-close).",
        "sv": "Uppföljning #{id} besvarades redan av {who} ({at}); stäng den med /close {id} "
        "(eller followup-close).",
        "en": "Follow-up #{id} was already answered by {who} at {at}; close it with followup-close.",
    },
    "followup.mailed": {
        "fi": "Vastaus viestiin #{id} lähetettiin sähköpostilla osoitteeseen {address}.",
        "sv": "Svaret på uppföljning #{id} skickades per e-post till {address}.",
        "en": "Answer to follow-up #{id} sent by e-mail to {address}.",
    },
    "followup.contact_is": {
        "fi": "Yhteystiedot: {contact}.",
        "sv": "Kontaktuppgifter: {contact}.",
        "en": "Contact: {contact}.",
    },
    "followup.left_no_contact": {
        "fi": "Asiakas ei jättänyt yhteystietoja.",
        "sv": "Låntagaren lämnade inga kontaktuppgifter.",
        "en": "The patron left no contact details.",
    },
    "followup.recorded": {
        "fi": "Ei sähköpostiosoitetta, johon lähettää; vastaus on kirjattu. {how}",
        "sv": "Ingen e-postadress att skicka till; svaret har sparats. {how}",
        "en": "No e-mail address to send it to; the answer is recorded. {how}",
    },
    "followup.no_mail": {
        "fi": "Sillalle ei ole asetettu sähköpostipalvelinta (`mail:` sen asetuksissa); ota yhteyttä "
        "asiakkaaseen ({address}) muuten ja sulje viesti.",
        "sv": "Bryggan har ingen e-postserver inställd (`mail:` i dess inställningar); kontakta "
        "låntagaren ({address}) på annat sätt och stäng uppföljningen.",
        "en": "The bridge has no mail server configured (`mail:` in its config); "
        "contact the patron at {address} some other way and close the follow-up.",
    },
    "followup.mail_failed": {
        "fi": "Ei lähetetty: {error}. Mitään ei kirjattu; yritä myöhemmin uudelleen.",
        "sv": "Inte skickat: {error}. Inget sparades; försök igen senare.",
        "en": "Not sent: {error}. Nothing was recorded; try again later.",
    },
}
