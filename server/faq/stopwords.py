# ruff: noqa: RUF001  (Cyrillic and Latin letters side by side, on purpose)
"""Short stop-word lists, in folded form (see `fold`), for dropping filler words from queries.

Articles are indexed with their stop words (they cost little and keep "only stop words" queries
answerable); queries drop them so "як скасувати бронювання" ranks on the two words that matter.
The lists hold function words and the question filler people type into a help search box.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "uk": _words(
        """
        і й та а але або в у на з із зі до від для по про при як що це чи не ні я ви ми ти
        мене мені мій моя моє мої наш наша наші ваш ваша свій своі його іі іх їх де коли чому
        можна треба потрібно можу хочу зробити який яка яке які цей ця ці той та ще вже так же б би
        """
    ),
    "ru": _words(
        """
        и в во не ни что он она оно они на я с со как а то все так его ее их но да ты к у же
        вы за бы по только мне меня мы нам наш ваш мой моя мои свой от о об из ему еще нет
        ли если или до для где когда почему зачем можно нужно надо могу хочу сделать какой
        какая какие это этот эта эти тот при про уже
        """
    ),
    "bg": _words(
        """
        и в във на с със за от до по като че не се да ли как какво къде кога защо това този
        тази тези аз ти той тя ние вие те ми ни ви го я ги или но а е са съм може трябва
        """
    ),
    "cs": _words(
        """
        a aby ale ani co do i jak jako je jsem jsi jsou k kde kdy ke na nebo ne o od po pro proc
        s se si ta tak tam ten to toho u v ve z za ze muj moje mam muzu mohu chci lze jde udelat
        """
    ),
    "sk": _words(
        """
        a aby ale ako alebo do je k kde ked na nie o od po pre pri preco s sa si so ta tak ten
        to v vo z za ze moj moje mam mozem chcem urobit
        """
    ),
    "pl": _words(
        """
        a aby ale albo do i jak jest k na nie o od po przez sie to w we z za ze czy co gdzie
        kiedy dlaczego moj moja moje moge chce mam jako ten ta tego zrobic
        """
    ),
    "en": _words(
        """
        a an the and or of to in on at for from by with is are was were be been it its this that
        these those how do does did i my me we our you your can could should what where when
        why which who not no there here as into about if so make
        """
    ),
}
