"""Serbian-ish text for benchmark cases: a small vocabulary, in Latin and in Cyrillic.

Word frequencies are skewed on purpose, as in real case descriptions: COMMON_WORD appears in
about 70% of the cases, a few words in a fifth to a third of them, most in a few percent,
and RARE_WORD in about one case in ten thousand (the search benchmark's "rare" term). A text
is written either wholly in Latin or wholly in Cyrillic; search folds both to the same words.

Every token is folded once (tracker.text.fold works token by token: transliteration, case,
diacritics and whitespace are all local to a character), so the folded text of a case is the
folded tokens joined by one space: exactly fold() of the whole text, at a fraction of the cost.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from tracker.text import fold, latin_to_cyrillic

COMMON_WORD = "opština"  # in ~70% of cases (folded: "opstina")
COMMON_SHARE = 0.7
RARE_WORD = "kvadratura"  # in ~0.01% of cases
RARE_SHARE = 0.0001


def _words(text: str) -> list[str]:
    return text.split()


# Frequent words first: weights fall off with the position (Zipf-like).
VOCABULARY = _words("""
direktor javno preduzeće zapošljavanje ugovor škola odbornik pritisak izbori funkcioner
budžet nabavka policija novinar pretnje gradnja dozvola savet skupština predsednik stranka
zaposleni sredstva konkurs imenovanje tender uprava načelnik inspekcija zdravlje bolnica
vrtić dom kultura sportski centar komunalno vodovod toplana čistoća putevi most park
zemljište parcela plan detaljne regulacije investitor firma ponuda cena aneks isplata
subvencija donacija udruženje građani aktivisti protest okupljanje saopštenje kampanja
televizija portal lokalni medij naslovna tekst uvrede prijava tužilaštvo sud presuda
žalba postupak istraga kazna prekršaj zakon odluka rešenje zapisnik sednica glasanje
birači spisak kupovina glasova autobus prevoz paket pomoć penzioneri nastavnici lekari
radnici ugovor o delu privremeni posao otkaz premeštaj degradacija mobing pretnja
šef kabineta savetnik zamenik član veća pokrajina republika ministarstvo agencija fond
kredit garancija projekat studija izveštaj revizija nepravilnosti gubitak šteta dug
""")

# Rare words: surnames built from roots and endings (each names few cases).
_ROOTS = _words("""
petr jovan nikol mark stef milo lazar đorđ vukov obrad radov simon tomas živk bogdan
dragan ranko miloš vuk nenad zoran goran dejan srđan branko veljk kost stojan mihajl
""")
_ENDINGS = ("ović", "ević", "ić", "ski", "in", "ović-Kostić", "ačić", "ijević")
SURNAMES = [root.capitalize() + end for root in _ROOTS for end in _ENDINGS]
FIRST_NAMES = _words("""
Marko Jelena Nikola Ana Stefan Milica Ivan Jovana Miloš Tamara Dragan Snežana Zoran
Vesna Nenad Dragana Bojan Ivana Goran Maja Đorđe Ljiljana Dušan Gordana Predrag Nataša
""")


@dataclass(frozen=True)
class Word:
    """One token as written in Latin and in Cyrillic, and as search sees it."""

    latin: str
    cyrillic: str
    folded: str


@cache
def word(latin: str) -> Word:
    """A token in both scripts with its folded form (made once per token)."""
    cyrillic = latin_to_cyrillic(latin)
    folded = fold(latin)
    assert folded == fold(cyrillic) and folded and " " not in folded, latin
    return Word(latin, cyrillic, folded)


@dataclass(frozen=True)
class Text:
    """A generated text in the script it was written in, with its folded form."""

    written: str
    folded: str


def join(words: list[Word], cyrillic: bool, end: str = "") -> Text:
    """Words as one text in one script, first letter capitalised, `end` appended."""
    tokens = [w.cyrillic for w in words] if cyrillic else [w.latin for w in words]
    tokens[0] = tokens[0][:1].upper() + tokens[0][1:]
    folded = " ".join([w.folded for w in words])
    return Text(" ".join(tokens) + end, folded + _fold_token(end) if end else folded)


@cache
def _fold_token(token: str) -> str:
    return fold(token)


class Writer:
    """Titles and summaries drawn from the vocabulary with a fixed random generator."""

    POOL = 200_000

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = [word(w) for w in VOCABULARY]
        self.cum = _cumulative([1.0 / (rank + 1) ** 0.9 for rank in range(len(self.words))])
        self.common = word(COMMON_WORD)
        self.rare = word(RARE_WORD)
        self.surnames = [word(s) for s in SURNAMES]
        self.pool: list[Word] = []
        self.pos = 0

    def _draw(self, k: int) -> list[Word]:
        """k words by frequency (drawn in bulk: one call per POOL words, not per text)."""
        if self.pos + k > len(self.pool):
            self.pool = self.rng.choices(self.words, cum_weights=self.cum, k=self.POOL)
            self.pos = 0
        self.pos += k
        return self.pool[self.pos - k : self.pos]

    def title(self, cyrillic: bool) -> Text:
        random = self.rng.random
        words = self._draw(3 + int(random() * 5))
        if random() < COMMON_SHARE:
            words.insert(int(random() * (len(words) + 1)), self.common)
        return join(words, cyrillic)

    def summary(self, cyrillic: bool) -> Text:
        """One to three sentences; sometimes a surname, very rarely RARE_WORD."""
        random = self.rng.random
        written, folded = [], []
        for _ in range(1 + int(random() * 3)):
            words = self._draw(6 + int(random() * 9))
            if random() < 0.05:
                words.append(self.surnames[int(random() * len(self.surnames))])
            if random() < RARE_SHARE / 2:  # two sentences a case on average
                words.insert(1, self.rare)
            text = join(words, cyrillic, end=".")
            written.append(text.written)
            folded.append(text.folded)
        return Text(" ".join(written), " ".join(folded))


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def actor_names(count: int, places: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(name, kind) for `count` actors: institutions, officials, companies, parties, media."""
    institutions = ("Opštinska uprava", "JKP Vodovod", "Dom zdravlja", "JP Direkcija za izgradnju")
    parties = ("Stranka napretka", "Narodni pokret", "Građanski savez", "Pokret za zavičaj")
    media = ("TV", "Radio", "Novine", "Portal")
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(names) < count:
        kind = rng.choices(
            ("official", "institution", "company", "party", "media"), (5, 3, 3, 1, 1)
        )[0]
        place = rng.choice(places)
        if kind == "official":
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        elif kind == "institution":
            name = f"{rng.choice(institutions)} {place}"
        elif kind == "company":
            name = f"{rng.choice(SURNAMES)} {rng.choice(('gradnja', 'trade', 'invest'))} d.o.o."
        elif kind == "party":
            name = f"{rng.choice(parties)} {place}"
        else:
            name = f"{rng.choice(media)} {place}"
        if name not in seen:
            seen.add(name)
            names.append((name, kind))
    return names
