# ruff: noqa: RUF001, RUF002  (Cyrillic and Latin letters side by side, on purpose)
"""Light stemmers: strip inflectional endings from *folded* words, nothing more.

Every stemmer here works on the output of `fold()` (lower case, no Latin diacritics, ё→е, ї→і,
ґ→г), so a query typed without diacritics stems exactly like the article text. They are "light"
in the sense of Savoy and Dolamic: they remove case, number and common verb endings and never try
to find the linguistic root; a stem is only a key that the inflected forms of one word share.
Each strip keeps at least `_MIN_STEM` letters so short words survive untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_MIN_STEM = 3

_CYRILLIC_VOWELS = frozenset("аеиоуыэюяіьйєъ")
_LATIN_VOWELS = frozenset("aeiouy")


def _by_length(suffixes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(suffixes), key=len, reverse=True))


def _by_length_text(text: str) -> tuple[str, ...]:
    return _by_length(text.split())


def _strip_longest(word: str, suffixes: tuple[str, ...], min_stem: int = _MIN_STEM) -> str:
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            return word[: -len(suffix)]
    return word


def _strip_vowel(word: str, vowels: frozenset[str], min_stem: int = _MIN_STEM) -> str:
    if len(word) > min_stem and word[-1] in vowels:
        return word[:-1]
    return word


# Russian: adjective, noun, participle and verb endings, the verbal noun (-ние) included, so that
# бронирование / бронирования / бронировать all reach "брониров".
_RU_REFLEXIVE = _by_length(["ся", "сь"])
_RU_ENDINGS = _by_length_text(
    """
    иями ями ами иях ях ах ием ией иям ям ам ов ев ей ом ем ию ия ии ие ья ье ьи ью
    ими ыми его ого ему ому ее ие ые ое ий ый ой им ым их ых ую юю ая яя ою ею
    ние ния нию нием нии ниям ниях ниями
    ать ять еть ить уть ыть ешь ишь ете ите ют ут ят ат ет ит ил ила или ило ал ала али ало
    ел ела ели ний
    а е и о у ы ь й я ю
    """
)

# Ukrainian: the same idea; -ння/-ття verbal nouns, infinitive -ти, imperative -іть/-йте.
_UK_REFLEXIVE = _by_length(["ся", "сь"])
_UK_ENDINGS = _by_length_text(
    """
    ями ами ах ях ам ям ом ем єм ою ею єю ів ей ові еві єві
    ому ьому ого ього ими іми ий ій их іх им ім оі еі ую юю ая яя
    ння нню нням нні ннях ннями ття ттю ттям тті ттях ттями
    ень ань ти ати яти ити іти ує ює ють ають яють ить ать ять еш єш ете ємо емо имо ите іть йте
    ла ло ли
    а я о е є у ю і и й ь
    """
)

# Bulgarian: after Savoy's light stemmer (articles, then plurals, then a final vowel).
_BG_ARTICLES_LONG = ("ият",)
_BG_ARTICLES = ("ът", "то", "те", "та", "ия")


def stem_russian(word: str) -> str:
    return _cyrillic(word, _RU_REFLEXIVE, _RU_ENDINGS)


def stem_ukrainian(word: str) -> str:
    return _cyrillic(word, _UK_REFLEXIVE, _UK_ENDINGS)


def _cyrillic(word: str, reflexive: tuple[str, ...], endings: tuple[str, ...]) -> str:
    if len(word) <= _MIN_STEM:
        return word
    word = _strip_longest(word, reflexive, min_stem=4)
    stem = _strip_longest(word, endings)
    stem = _strip_vowel(stem, _CYRILLIC_VOWELS)
    return _fleeting_vowel_cyrillic(stem)


def _fleeting_vowel_cyrillic(stem: str) -> str:
    # рахунок / рахунку, звонок / звонка: the o/e before the last consonant drops in most forms.
    if (
        len(stem) >= 5
        and stem[-2] in "ое"
        and stem[-1] in "кц"
        and stem[-3] not in _CYRILLIC_VOWELS
    ):
        return stem[:-2] + stem[-1]
    return stem


def stem_bulgarian(word: str) -> str:
    if len(word) < 4:
        return word
    if len(word) > 5 and word.endswith("ища"):
        return word[:-3]
    word = _bg_article(word)
    word = _bg_plural(word)
    if len(word) > 3:
        if word.endswith("я"):
            word = word[:-1]
        if word[-1:] in ("а", "о", "е"):
            word = word[:-1]
    if len(word) > 4 and word.endswith("и"):
        word = word[:-1]  # резервация / резервацията / резервации reach the same stem
    if len(word) > 4 and word.endswith("ен"):
        word = word[:-2] + "н"
    if len(word) > 5 and word[-2] == "ъ":
        word = word[:-2] + word[-1]
    return word


def _bg_article(word: str) -> str:
    if len(word) > 6 and word.endswith(_BG_ARTICLES_LONG):
        return word[:-3]
    if len(word) > 5 and word.endswith(_BG_ARTICLES):
        return word[:-2]
    if len(word) > 4 and word.endswith("ят"):
        return word[:-2]
    return word


def _bg_plural(word: str) -> str:
    n = len(word)
    if n > 6:
        if word.endswith("овци"):
            return word[:-3]
        if word.endswith("ове"):
            return word[:-3]
        if word.endswith("еве"):
            return word[:-3] + "й"
    if n > 5:
        if word.endswith(("ища", "та")):
            return word[: -3 if word.endswith("ища") else -2]
        if word.endswith("ци"):
            return word[:-2] + "к"
        if word.endswith("зи"):
            return word[:-2] + "г"
        if word[-3] == "е" and word[-1] == "и":
            return word[:-3] + "я" + word[-2]
    if n > 4:
        if word.endswith("си"):
            return word[:-2] + "х"
        if word.endswith("и"):
            return word[:-1]
    return word


# Czech: Dolamic & Savoy's light stemmer, on folded text (so "faktuře" and "fakture" agree).
_CS_ENDINGS = _by_length_text(
    """
    atech etem atum ech ich eho emi emu ete eti iho imi imu ach ata aty ych ama ami ove ovi ymi
    em es im um at am os us ym mi ou a e i o u y
    """
)
# Slovak shares the Czech endings and adds its own (-ej, -och, -om, -ia, -ie, -iu).
_SK_ENDINGS = _by_length([*_CS_ENDINGS, "ej", "och", "om", "ov", "ia", "ie", "iu", "ami", "ach"])
_CS_POSSESSIVE = ("ov", "in", "uv")
# Verbal nouns and infinitives, so přidání / přidat and zrušení / zrušit meet.
_CS_VERBAL = _by_length_text("ani anim enim eni it")


def stem_czech(word: str) -> str:
    return _west_slavic(word, _CS_ENDINGS)


def stem_slovak(word: str) -> str:
    return _west_slavic(word, _SK_ENDINGS)


def _west_slavic(word: str, endings: tuple[str, ...]) -> str:
    if len(word) <= _MIN_STEM:
        return word
    stem = _strip_longest(word, _CS_VERBAL, min_stem=4)
    if stem == word:
        stem = _strip_longest(word, endings)
    if len(stem) > 5 and stem.endswith(_CS_POSSESSIVE):
        stem = stem[:-2]
    # Palatalisation: faktura / faktuře, kniha / knize, rezervace / rezervaci.
    if stem[-1] == "c":
        stem = stem[:-1] + "k"
    elif stem[-1] == "z":
        stem = stem[:-1] + "h"
    # Fleeting e: účet / účtu, heslo / hesel.
    if len(stem) >= 4 and stem[-2] == "e" and stem[-3] not in _LATIN_VOWELS:
        stem = stem[:-2] + stem[-1]
    return stem


_PL_ENDINGS = _by_length_text(
    """
    owie ach ami ego emu ymi imi iej ych ich owi om ow em ej ym im ie a e i o u y
    """
)


def stem_polish(word: str) -> str:
    if len(word) <= _MIN_STEM:
        return word
    stem = _strip_longest(word, _PL_ENDINGS)
    # faktura / fakturze, kod / kodzie: undo the consonant change before -e.
    if len(stem) >= 4 and stem.endswith(("rz", "dz")):
        stem = stem[:-1]
    return stem


def stem_english(word: str) -> str:
    """Plurals, -ing/-ed, -ation/-ate and a final -e: invoices → invoic, cancelled → cancel."""
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    word = _en_plural(word)
    for suffix in ("ations", "ation", "ating", "ated", "ate", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # stopped → stopp → stop; but keep "cancell" for -ll
            break
    if word.endswith("ll") and len(word) > 5:
        word = word[:-1]  # cancelled / cancelling / cancel
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _en_plural(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 4:
        return word[:-1]
    return word


_COMMON_CYRILLIC = _by_length_text(
    "ами ями ах ях ам ям ом ем ой ей ий ый ая ое ые ов ев а я о е у ю и ы і ь й"
)


def stem_cyrillic(word: str) -> str:
    """For Cyrillic words of an unknown language: only the endings ru, uk and bg share."""
    if len(word) <= 4:
        return word
    return _strip_longest(word, _COMMON_CYRILLIC, min_stem=4)


def stem_latin(word: str) -> str:
    """For Latin words of an unknown language: plurals and a final vowel, nothing else."""
    if len(word) <= 4 or not word.isalpha():
        return word
    return _strip_vowel(_en_plural(word), _LATIN_VOWELS, min_stem=4)


STEMMERS: dict[str, Callable[[str], str]] = {
    "uk": stem_ukrainian,
    "ru": stem_russian,
    "bg": stem_bulgarian,
    "cs": stem_czech,
    "sk": stem_slovak,
    "pl": stem_polish,
    "en": stem_english,
}
CYRILLIC_LANGUAGES = frozenset({"uk", "ru", "bg"})
