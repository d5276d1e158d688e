"""Function words of Finnish (also as spoken), Swedish and English: they never decide a match."""

from __future__ import annotations

_FI = """
ja tai sekä vaan että jotta jos kun koska kuin niin myös jo nyt sitten siis
eli en et emme ette eivät ole oo olen oon olet oot on olemme olette ovat oli olin
olis olisi oisi ois olisin olla ollut ollu minä mä mää mie sinä sä sää hän se me te he ne
minun mun mulla mulle multa mua musta minulla minulle minulta minua minut minusta
sinun sun sulla sulle sinulla sinulle teidän teillä teil teille teiltä teitä meidän meillä meil
sen sitä siitä siihen sillä siinä tämä tää tämän tätä tässä tähän tuo tuon joku jotain jotakin
joka jonka jotka ketään kukaan mitään mikään jostain jossain kenellekään
mikä mitä mites miten kuinka missä mistä mihin milloin kuka ketä kenen
onko onks oisko olisiko voiko voinko voisinko voitteko voitko voisitteko voisko voiks voinks
saako saanko saisinko saako pitääkö pitäisikö täytyykö tarviiko tarvitseeko kannattaako
voi voin voit voisin voisi voida voisitte voitte saa saan saada saisin saisi pitää pitäisi
täytyy täytyisi tarvii pitäis voiks
hei heippa hejssan moi moikka moro morjens terve tervehdys hyvää huomenta iltaa päivät
kiitos kiitti kiitoksia kiitoksii ok okei joo juu jep no noh vain vaan ihan kyllä tosi
sellainen sellanen semmoinen semmonen tällainen tällanen tommonen kanssa taas
aina vähän paljon paljonko montako monta kuinka jotenkin jne yms esim eli ym tms
kysyä kysyisin kysyn kysymys kysymykseen halusin haluaisin haluan haluisin tiedustella
tiedustelisin teen tehdä pitäis vois tarvitsen tarvitaan tarvitsee tarvii tarvis
varten yhden yksi yks tarvitaanko tarvitsenko niitä niistä niihin niille noita näitä näistä
"""

_SV = """
och eller att om när hur vad var vart vem vems vilken vilket vilka jag du han hon
den det vi ni de dem mig mej dig dej min mitt mina din ditt dina er ert era vår vårt våra sin
sitt sina är vara varit har hade ha haft kan kunna kunde får få fick ska skall skulle måste
vill ville en ett i på till från med av för som så också nu då här där hej hejsan
hallå tjena tack tackar okej ok ja nej jo bara lite någon något några sig mycket finns fanns
man gärna undra undrar undrade fråga frågor
"""

_EN = """
i me my mine myself you your yours we us our it its the a an and or if when how what where
 who whom which whose can could would will should shall may might must do does did done
doing is are was were be been being am have has had having to of in on at for from with about
by into this that these those there here hi hello hey dear thanks thank thx please pls plz ok
okay yes no just so also get got any some much many very possible want wanted need
needs would like know let i'm im it's up out off while during
"""


# Words that tell entries apart (why, not, does not work) but never make a match on their
# own: they count for less than their rarity in the FAQ suggests.
_WEAK = """
miksi ei toimi toimii onnistu onnistuu varför inte fungerar funkar why not work works dont
didnt cant cannot
"""

# Words that state a problem (it does not work, an error, it crashes). A question with one of
# them asks about a failure, and an entry whose examples state none answers the topic, not
# the failure: the sentence model reads "wifi ei toimi" like "wifi". Whole words; those
# ending in `*` match any ending (kaatuu, kaatui).
_PROBLEM = """
ei eika eivat virhe* ongelm* kaatu* kaatui jumi* rikki toimimaton
inte fel felmeddelande* problem* krasch* hanger trasig*
not dont doesnt didnt cant cannot wont isnt wasnt error* problem* broken crash* stuck
fail* stops stopped
"""


def _words(*blocks: str) -> tuple[str, ...]:
    """The words of some blocks, as written (text.py folds them)."""
    return tuple(word for block in blocks for word in block.split())


FI = _words(_FI)
SV = _words(_SV)
EN = _words(_EN)
ALL = FI + SV + EN
WEAK = _words(_WEAK)
PROBLEM = _words(_PROBLEM)
