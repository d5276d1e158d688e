"""User-interface text in Finnish and English."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, tuple[str, str]] = {
    # key: (fi, en)
    "title": ("Tiski – chat-päivystys", "Tiski – chat desk"),
    "sec.waiting": ("Odottaa", "Waiting"),
    "sec.mine": ("Omat", "Mine"),
    "sec.taken": ("Muiden ottamat", "Taken by others"),
    "sec.ended": ("Päättyneet tänään", "Ended today"),
    "taken_by": ("otti: {who}", "taken by {who}"),
    "transferred_to": ("siirretty: {target}", "transferred to {target}"),
    "from_target": ("siirretty: {target} →", "transferred from {target}"),
    "ended": ("päättynyt", "ended"),
    "no_chat": (
        "Ei valittua keskustelua. F2 ottaa seuraavan odottavan.",
        "No chat selected. F2 takes the next waiting chat.",
    ),
    "no_waiting": ("Ei odottavia keskusteluja.", "No waiting chats."),
    "typing": ("asiakas kirjoittaa…", "patron is typing…"),
    "input.placeholder": (
        "Vastaa (Enter lähettää, Ctrl+J rivinvaihto)",
        "Reply (Enter sends, Ctrl+J new line)",
    ),
    "input.read_only": ("Ota keskustelu ensin (F2 / Alt+A)", "Accept the chat first (F2 / Alt+A)"),
    "panel.library": ("Kirjasto", "Library"),
    "panel.page": ("Sivu", "Page"),
    "panel.lang": ("Kieli", "Language"),
    "panel.tags": ("Aiheet", "Tags"),
    "panel.state": ("Tila", "State"),
    "panel.waiting": ("Odottanut", "Waiting"),
    "panel.duty": ("Päivystää nyt", "On duty now"),
    "panel.closed": ("suljettu", "closed"),
    "panel.no_roster": ("(ei vuorolistaa)", "(no roster)"),
    "link.connecting": ("yhdistetään…", "connecting…"),
    "link.connected": ("yhteys kunnossa", "connected"),
    "link.reconnecting": (
        "yhteys katkesi – uusi yritys {secs} s kuluttua",
        "disconnected – retrying in {secs} s",
    ),
    "link.stopped": ("yhteys suljettu", "stopped"),
    "pending": ("odottaa yhteyttä", "waiting for connection"),
    "new_chat": ("Uusi keskustelu: {library}", "New chat: {library}"),
    "sent_offline": (
        "Yhteys poikki: viesti lähetetään, kun yhteys palaa.",
        "Disconnected: the message will be sent when the connection is back.",
    ),
    "not_connected": (
        "Ei yhteyttä palvelimeen: yritä hetken päästä uudelleen.",
        "Not connected to the server: try again in a moment.",
    ),
    "conflict.title": ("Tämä paikka on avattu toisaalla", "This seat was opened elsewhere"),
    "conflict.text": (
        "Joku kirjautui samalla tunnuksella ja samalla paikan nimellä ({jid}). "
        "Palvelin sulki tämän yhteyden. Konsoli ei yhdistä uudelleen, jotta kaksi "
        "konsolia eivät potkisi toisiaan ulos. Anna kummallekin paikalle oma nimi "
        "(xmpp.jid:n resurssi, esim. /desk-2) asetustiedostossa.",
        "Someone signed in with the same account and the same seat name ({jid}). "
        "The server closed this connection. The console will not reconnect, so that the "
        "two consoles do not keep kicking each other off. Give each seat its own name "
        "(the resource of xmpp.jid, e.g. /desk-2) in the config file.",
    ),
    "conflict.keys": ("R: yhdistä silti uudelleen · Q: lopeta", "R: reconnect anyway · Q: quit"),
    "stopped.title": ("Yhteys suljettu", "Connection stopped"),
    "help.title": ("Näppäimet", "Keys"),
    "help.close": ("Esc sulkee", "Esc closes"),
    "tag.title": (
        "Aiheet: välilyönti valitsee, Enter tallentaa, kirjoita suodattaaksesi",
        "Tags: Space selects, Enter saves, type to filter",
    ),
    "transfer.title": (
        "Siirrä: kirjasto tai kimppa (Enter siirtää)",
        "Transfer to a library or pool (Enter transfers)",
    ),
    "transfer.available": ("{n} paikalla", "{n} available"),
    "transfer.nobody": ("ei ketään paikalla", "nobody available"),
    "transfer.on_duty": ("vuorossa", "on duty"),
    "canned.title": (
        "Valmiit vastaukset (Enter lisää tekstin muokattavaksi)",
        "Canned answers (Enter inserts the text for editing)",
    ),
    "canned.bridge_title": (
        "Sillan valmiit vastaukset (Enter lähettää heti)",
        "The bridge's canned answers (Enter sends at once)",
    ),
    "canned.none": (
        "Valmiita vastauksia ei ole asetettu (asetus `canned`, sama tiedosto kuin sillalla).",
        "No canned answers configured (config `canned`: the same file as the bridge's).",
    ),
    "search.title": ("Hae vanhoista keskusteluista", "Search past transcripts"),
    "search.none": ("Ei osumia.", "No matches."),
    "note.title": (
        "Sisäinen muistiinpano (ei näy asiakkaalle; Enter tallentaa)",
        "Internal note (never shown to the patron; Enter saves)",
    ),
    "end.confirm": (
        "Päätä keskustelu {session}? Enter = kyllä, Esc = ei",
        "End chat {session}? Enter = yes, Esc = no",
    ),
    "filter": ("suodata…", "filter…"),
    "loading": ("ladataan…", "loading…"),
    "done": ("Tehty: {what}", "Done: {what}"),
    "failed": ("Ei onnistunut: {why}", "Failed: {why}"),
    "note.sender": ("muistiinpano", "note"),
    "you": ("sinä", "you"),
    # states, senders and delivery marks
    "state.bot": ("automaatti", "bot"),
    "state.queued": ("jonossa", "queued"),
    "state.active": ("käynnissä", "active"),
    "state.closed": ("jätä viesti", "leave a message"),
    "state.ended": ("päättynyt", "ended"),
    "who.patron": ("Asiakas {id}", "Patron {id}"),
    "who.note": ("(muistiinpano) {name}", "(note) {name}"),
    "who.command": ("komento", "command"),
    "who.system": ("Tiski", "Tiski"),
    "who.bot": ("automaatti", "bot"),
    "mark.held": ("(odottaa yhteyttä)", "(waiting for connection)"),
    "mark.sent": ("(lähetetään…)", "(sending…)"),
    "mark.stored": ("✓", "✓"),
    "mark.delivered": ("✓✓", "✓✓"),
    "mark.failed": ("(EI LÄHETETTY – Ctrl+R lähettää uudelleen)", "(NOT SENT – Ctrl+R sends again)"),
    "line.failed": (
        "Viesti ei mennyt perille ({why}): ”{text}” – Ctrl+R lähettää uudelleen.",
        "A line was not delivered ({why}): “{text}” – Ctrl+R sends it again.",
    ),
    "retry.none": ("Ei uudelleen lähetettäviä viestejä.", "No lines to send again."),
    "held": ("{n} odottaa siltaa", "{n} held for the bridge"),
    "held_for_bridge": (
        "Silta ei vastaa: viesti lähetetään, kun se vastaa taas.",
        "The bridge is not answering: the line is sent when it answers again.",
    ),
    "bridge.down": (
        "Silta ei vastaa: vastaukset odottavat, kunnes se vastaa taas.",
        "The bridge is not answering: replies are held until it answers again.",
    ),
    "bridge.up": ("Silta vastaa taas.", "The bridge answers again."),
    "link.bridge_down": ("silta ei vastaa", "bridge not answering"),
    "unread": ("{n} lukematta", "{n} unread"),
    "new_line": ("Uusi viesti: {library}", "New line: {library}"),
    "quit.confirm": (
        "Sinulla on {n} avointa keskustelua. Lopetetaanko silti? Ne palaavat jonoon. Enter = kyllä, Esc = ei",
        "You have {n} open chats. Quit anyway? They go back to the queue. Enter = yes, Esc = no",
    ),
    "fu.close_confirm": (
        "Suljetaanko viesti #{id}? Se poistuu kaikkien listoilta. Enter = kyllä, Esc = ei",
        "Close follow-up #{id}? It leaves every desk's list. Enter = yes, Esc = no",
    ),
    # what happened to a chat, as lines of its transcript
    "line.ended": ("Keskustelu päättyi: {what}", "The chat ended: {what}"),
    "ended.patron": ("asiakas lopetti keskustelun.", "the patron ended it."),
    "ended.you": ("lopetit keskustelun.", "you ended it."),
    "ended.seat": ("sen lopetti {who}.", "{who} ended it."),
    "ended.gone": (
        "asiakas ei palannut (keskeytynyt).",
        "the patron did not come back (interrupted).",
    ),
    "ended.other": ("palvelu lopetti sen.", "the service ended it."),
    "line.withdrawn": (
        "Asiakas poistui ennen kuin kukaan vastasi; keskustelu poistui jonosta.",
        "The patron left before anyone answered; the chat left the queue.",
    ),
    "line.patron_left": (
        "Asiakas poistui klo {time} (sulki sivun tai yhteys katkesi).",
        "The patron left at {time} (closed the page or lost the connection).",
    ),
    "line.patron_back": ("Asiakas palasi keskusteluun.", "The patron is back."),
    "notice.withdrawn": (
        "Asiakas poistui ennen vastausta: {library} poistui jonosta.",
        "A patron left before an answer: {library} left the queue.",
    ),
    "notice.patron_left": ("Asiakas poistui: {library}", "The patron left: {library}"),
    "notice.patron_back": ("Asiakas palasi: {library}", "The patron is back: {library}"),
    "withdrawn": ("poistui ennen vastausta", "left before an answer"),
    "patron_gone": ("asiakas poistui", "patron left"),
    "tag.not_yours": (
        "Vain keskustelun hoitanut päivystys voi lisätä aiheita.",
        "Only the desk that had the chat can tag it.",
    ),
    "untagged.confirm": (
        "Keskustelu ({library}) päättyi ilman aihetta. Lisätäänkö aiheet nyt? "
        "Enter = kyllä, Esc = ei (F7 myöhemmin)",
        "The chat ({library}) ended without a tag. Tag it now? Enter = yes, Esc = no (F7 later)",
    ),
    "untagged.notice": (
        "Keskustelu ({library}) päättyi ilman aihetta: avaa se ja paina F7.",
        "A chat ({library}) ended without a tag: open it and press F7.",
    ),
    "did.tag": ("aiheet: {tags}", "tags: {tags}"),
    "did.transfer": ("siirretty: {target}", "transferred to {target}"),
    "did.end": ("keskustelu päätetty", "chat ended"),
    "did.note": ("muistiinpano tallennettu", "note saved"),
    "did.fu_claim": ("viesti #{id} on nyt sinun", "follow-up #{id} is yours now"),
    "did.fu_close": ("viesti #{id} suljettu", "follow-up #{id} closed"),
    "did.fu_answer_mail": (
        "vastaus viestiin #{id} lähetetty osoitteeseen {email}",
        "answer to follow-up #{id} sent to {email}",
    ),
    "did.fu_answer_kept": (
        "vastaus viestiin #{id} kirjattu (ei sähköpostiosoitetta)",
        "answer to follow-up #{id} recorded (no e-mail address)",
    ),
    "act.retry": ("Lähetä uudelleen", "Send again"),
    "help.retry": (
        "Lähetä uudelleen viestit, jotka eivät menneet perille (punaiset)",
        "Send again the lines that were not delivered (in red)",
    ),
    # follow-ups
    "fu.title": ("Jätetyt viestit (yhteydenottopyynnöt)", "Follow-ups (messages patrons left)"),
    "fu.keys": (
        "C ota itselle · A/Enter vastaa · X sulje · R päivitä · Esc takaisin",
        "C claim · A/Enter answer · X close · R reload · Esc back",
    ),
    "fu.none": ("Ei avoimia jätettyjä viestejä.", "No follow-ups waiting."),
    "fu.none_selected": (
        "Valitse ensin viesti (Alt+F avaa listan).",
        "Choose a follow-up first (Alt+F opens the list).",
    ),
    "fu.new": ("uusi", "new"),
    "fu.by": ("({who})", "({who})"),
    "fu.status.open": ("avoin", "open"),
    "fu.status.claimed": ("otettu", "claimed"),
    "fu.status.answered": ("vastattu", "answered"),
    "fu.status.closed": ("suljettu", "closed"),
    "fu.contact": ("Yhteystiedot", "Contact"),
    "fu.email": (
        "Silta lähettää vastauksen sähköpostilla osoitteeseen {address}.",
        "The bridge e-mails the answer to {address}.",
    ),
    "fu.no_email": (
        "Ei sähköpostiosoitetta: vastaus vain kirjataan. Ota yhteyttä itse: {contact}",
        "No e-mail address: the answer is only recorded. Contact the patron yourself: {contact}",
    ),
    "fu.answer_title": ("Vastaa viestiin #{id}", "Answer follow-up #{id}"),
    "fu.answer_keys": (
        "Ctrl+S lähettää · Enter rivinvaihto · Esc peruu (luonnos säilyy)",
        "Ctrl+S sends · Enter new line · Esc cancels (the draft is kept)",
    ),
    "fu.already_answered": (
        "Viestiin #{id} on jo vastattu; sulje se (X).",
        "Follow-up #{id} is answered already; close it (X).",
    ),
    "fu.notice": ("Uusi jätetty viesti #{id}: {library} (Alt+F)", "New follow-up #{id}: {library} (Alt+F)"),
    "fu.count": ("Viestit {n}", "Follow-ups {n}"),
    # statistics
    "stats.title": ("Tilastot", "Statistics"),
    "stats.scope.desk": ("oma päivystys", "my desk"),
    "stats.scope.service": ("koko palvelu", "whole service"),
    "stats.period.month": ("tämä kuu", "this month"),
    "stats.period.last": ("viime kuu", "last month"),
    "stats.period.all": ("kaikki", "all time"),
    "stats.keys": (
        "D oma · S koko palvelu · M tämä kuu · L viime kuu · A kaikki · R päivitä · Esc takaisin",
        "D my desk · S whole service · M this month · L last month · A all · R reload · Esc back",
    ),
    "stats.conversations": ("Keskusteluja", "Conversations"),
    "stats.answered": ("Vastattu", "Answered"),
    "stats.unanswered": ("Vastaamatta", "Unanswered"),
    "stats.left_message": ("Jätti viestin", "Left a message"),
    "stats.interrupted": ("Keskeytyi", "Interrupted"),
    "stats.wait_median": ("Odotus, mediaani", "Wait, median"),
    "stats.wait_p90": ("Odotus, 90 %", "Wait, 90th percentile"),
    "stats.tags": ("Aiheet", "Tags"),
    "stats.weekdays": ("Viikonpäivät", "Weekdays"),
    "stats.no_tag": ("(ei aihetta)", "(no tag)"),
    "stats.refused": ("Silta ei näytä näitä lukuja:", "The bridge does not show these figures:"),
    "stats.refused_hint": (
        "Koko palvelun luvut näkyvät vain vuorolistan koordinaattoreille. D näyttää oman päivystyksesi.",
        "Service-wide figures are for the roster's coordinators. D shows your own desk's figures.",
    ),
    "wd.mon": ("ma", "Mon"),
    "wd.tue": ("ti", "Tue"),
    "wd.wed": ("ke", "Wed"),
    "wd.thu": ("to", "Thu"),
    "wd.fri": ("pe", "Fri"),
    "wd.sat": ("la", "Sat"),
    "wd.sun": ("su", "Sun"),
    # alerts
    "still_waiting": ("Asiakas odottaa yhä: {library}", "A patron is still waiting: {library}"),
    "quiet.on": ("hiljainen", "quiet"),
    "quiet.now_on": (
        "Hiljainen tila: ei äänimerkkiä (Alt+M palauttaa).",
        "Quiet: no bell (Alt+M turns it back on).",
    ),
    "quiet.now_off": ("Äänimerkki käytössä.", "The bell is on."),
    # longer texts for the help screen
    "help.accept_next": (
        "Ota avoin odottava keskustelu, muuten pisimpään odottanut",
        "Accept the open waiting chat, else the one waiting longest",
    ),
    "help.canned": (
        "Valmiit vastaukset (hae; Enter lisää tekstin muokattavaksi)",
        "Canned answers (search; Enter inserts the text for editing)",
    ),
    "help.search": ("Hae vanhoista keskusteluista", "Search past transcripts"),
    "help.prev_chat": ("Edellinen keskustelu", "Previous chat"),
    "help.next_chat": ("Seuraava keskustelu", "Next chat"),
    "help.tag": (
        "Aiheet (useita; kirjoita suodattaaksesi, välilyönti valitsee)",
        "Tag (several; type to filter, Space ticks)",
    ),
    "help.transfer": (
        "Siirrä kirjastolle tai kimpalle (näyttää, kuka on paikalla)",
        "Transfer to a library or pool (shows who is available)",
    ),
    "help.note": ("Sisäinen muistiinpano (ei näy asiakkaalle)", "Internal note (never shown to the patron)"),
    "help.end": ("Päätä keskustelu (kysyy ensin)", "End the chat (asks first)"),
    "help.focus_list": (
        "Keskustelulistaan (nuolet, Enter avaa)",
        "Go to the chat list (arrows, Enter opens)",
    ),
    "help.scroll_up": ("Vieritä keskustelua ylös", "Scroll the transcript up"),
    "help.scroll_down": ("Vieritä keskustelua alas", "Scroll the transcript down"),
    "help.followups": (
        "Jätetyt viestit: lista, uusien määrä tilarivillä",
        "Follow-ups: messages patrons left (new ones counted in the status line)",
    ),
    "help.stats": (
        "Tilastot: oma päivystys, koordinaattoreille koko palvelu",
        "Statistics: your desk; the whole service for coordinators",
    ),
    "help.quiet": ("Hiljainen tila päälle / pois (ei äänimerkkiä)", "Quiet mode on / off (no bell)"),
    "help.fu_claim": ("Viestilistassa: ota viesti itselle", "In follow-ups: claim the highlighted one"),
    "help.fu_answer": (
        "Viestilistassa: vastaa (sähköpostilla, jos asiakas jätti osoitteen)",
        "In follow-ups: answer (e-mailed when the patron left an address)",
    ),
    "help.fu_send": ("Vastauksessa: lähetä", "In the answer: send it"),
    "help.fu_close": ("Viestilistassa: sulje viesti", "In follow-ups: close the highlighted one"),
    "help.reload": ("Viestilistassa ja tilastoissa: päivitä", "In follow-ups and statistics: reload"),
    "help.stats_scope": (
        "Tilastoissa: oma päivystys / koko palvelu",
        "In statistics: my desk / whole service",
    ),
    "help.stats_period": (
        "Tilastoissa: tämä kuu / viime kuu / kaikki",
        "In statistics: this month / last month / all time",
    ),
    # actions: titles for the footer, palette and help
    "act.help": ("Ohje", "Help"),
    "act.accept_next": ("Ota seuraava", "Accept next"),
    "act.accept": ("Ota tämä", "Accept this chat"),
    "act.canned": ("Valmiit", "Canned"),
    "act.search": ("Haku", "Search"),
    "act.prev_chat": ("Edellinen", "Prev chat"),
    "act.next_chat": ("Seuraava", "Next chat"),
    "act.tag": ("Aiheet", "Tag"),
    "act.transfer": ("Siirrä", "Transfer"),
    "act.note": ("Muistiinpano", "Note"),
    "act.end": ("Päätä", "End"),
    "act.goto": ("Keskustelu 1–9", "Chat 1–9"),
    "act.focus_list": ("Lista", "Chat list"),
    "act.side": ("Tietopaneeli näkyviin / pois", "Show / hide the side panel"),
    "act.newline": ("Rivinvaihto", "New line"),
    "act.send": ("Lähetä", "Send"),
    "act.quit": ("Lopeta", "Quit"),
    "act.palette": ("Komennot", "Command palette"),
    "act.scroll": ("Vieritä keskustelua", "Scroll transcript"),
    "act.followups": ("Jätetyt viestit", "Follow-ups"),
    "act.stats": ("Tilastot", "Statistics"),
    "act.quiet": ("Hiljainen tila", "Quiet mode"),
    "act.fu_claim": ("Ota viesti itselle", "Claim the follow-up"),
    "act.fu_answer": ("Vastaa viestiin", "Answer the follow-up"),
    "act.fu_close": ("Sulje viesti", "Close the follow-up"),
}


class Texts:
    """Looks up UI text in one language."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang if lang in ("fi", "en") else "en"
        self._index = 0 if self.lang == "fi" else 1

    def __call__(self, key: str, **kwargs: Any) -> str:
        pair = TEXTS.get(key)
        if pair is None:
            return key
        text = pair[self._index]
        return text.format(**kwargs) if kwargs else text
