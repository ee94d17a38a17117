"""Word forms: Snowball stems per language, and a cheap guess of a text's language.

A document's language comes from its metadata when known (``normalize_language``
reads ``en-GB``, ``English``, ``deutsch``...), else from ``detect_language``:
the script of its letters, then for Latin and Cyrillic text the commonest
function words of each language.  ``stem`` gives a folded word's Snowball stem
in a language, so "installing" and "installed", "schlechte" and "schlechtesten",
"основан" and "основал" meet.  The stemmers come from PyStemmer (imported on
first use); a language without a stemmer, or a machine without PyStemmer,
simply gets no stems and search keeps matching exact words and typos.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable

SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
"""ISO 639-1 code -> Snowball algorithm name."""

_ALIASES = {
    "nb": "no",
    "nn": "no",
    "deutsch": "de",
    "francais": "fr",
    "espanol": "es",
    "italiano": "it",
    "portugues": "pt",
    "nederlands": "nl",
    "svenska": "sv",
    "russkii": "ru",
    "русскии": "ru",
    "japanese": "ja",
    "chinese": "zh",
    "korean": "ko",
    "ukrainian": "uk",
    "bulgarian": "bg",
}
_NAMES = {name: code for code, name in SNOWBALL.items()}

_STOPWORDS: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the and of to in is that it was for with as his on be at by had not are but",
        "de": "der die und das ist nicht ein eine zu den mit sich des auf dem auch es im sie",
        "fr": "le la les et des est un une du dans que qui pas pour sur au ce il elle avec",
        "es": "el la los las y que de en un una es por con no se del al lo para su como",
        "it": "il la che di e un una non per con sono del della gli le si al lo nel come",
        "pt": "o a os as e que de um uma nao com do da em para se por no na mais como",
        "nl": "de het een en van is dat niet op te zijn met voor er hij ze maar ook als",
        "sv": "och att det som en ar pa jag har med inte den av till for om ett var men",
        "da": "og at det som en er pa jeg har med ikke den af til for om et var men sig",
        "no": "og at det som en er pa jeg har med ikke den av til for om et var men seg",
        "fi": "ja on ei se etta han oli ole mutta kun niin tai joka mita olla myos sen",
        "pl": "i w nie na sie z do ze jest to jak co ale tak za po od o jego czy by",
        "cs": "a v se na je ze to s z do o by jak ale tak jsem pro jsou po ktery",
        "tr": "ve bir bu da de ne icin ile gibi daha cok olan ama sonra kadar ben",
        "ro": "si in de la cu nu o un ca este pe din mai sa care se ce au fost",
        "hu": "a az es hogy nem is egy meg de csak mint ez van volt mar el azt",
        "ru": "и в не на что с он как по но это из за от к то же так было",
        "uk": "і в не на що з він як та але це із за від до то же так було",
        "bg": "и в не на че с той как по но това от за да се е то са",
    }.items()
}
"""Common function words per language, folded (no accents), to tell languages apart."""

_CYRILLIC = ("ru", "uk", "bg", "sr")
_SCRIPT_OF_LANGUAGE = {
    **{code: "latin" for code in SNOWBALL},
    **{code: "cyrillic" for code in _CYRILLIC},
    "el": "greek",
    "ar": "arabic",
    "fa": "arabic",
    "hi": "devanagari",
    "ne": "devanagari",
    "ta": "tamil",
    "hy": "armenian",
    "yi": "hebrew",
    "ja": "cjk",
    "zh": "cjk",
    "ko": "hangul",
}
DEFAULT_LANGUAGE = "en"
"""The language assumed when nothing tells."""
MIN_STEM_WORD = 4
"""Words shorter than this are not stemmed (their stems would match too much)."""

_stemmers: dict[str, Callable[[str], str] | None] = {}
_lock = threading.Lock()


def normalize_language(value: str | None) -> str | None:
    """An ISO 639-1 code for a language tag or name (``en-GB``, ``English``, ``pt_BR``), or None."""
    if not value:
        return None
    text = value.strip().casefold().replace("_", "-")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    base = text.split("-", 1)[0]
    if base in _ALIASES:
        return _ALIASES[base]
    if base in _NAMES:
        return _NAMES[base]
    if len(base) == 2 and base.isascii() and base.isalpha():
        return base
    return None


def script_of(word: str) -> str:
    """The script of a word's first letter: latin, cyrillic, greek, hangul, cjk, ... or other."""
    for char in word:
        code = ord(char)
        if code < 0x250:
            if char.isalpha():
                return "latin"
            continue
        if 0x370 <= code < 0x400:
            return "greek"
        if 0x400 <= code < 0x530:
            return "cyrillic"
        if 0x530 <= code < 0x590:
            return "armenian"
        if 0x590 <= code < 0x600:
            return "hebrew"
        if 0x600 <= code < 0x700:
            return "arabic"
        if 0x900 <= code < 0x980:
            return "devanagari"
        if 0xB80 <= code < 0xC00:
            return "tamil"
        if 0x1100 <= code < 0x1200 or 0x3130 <= code < 0x3190 or 0xAC00 <= code <= 0xD7A3:
            return "hangul"
        if 0x3040 <= code < 0x3100:
            return "kana"
        if 0x3400 <= code < 0xA000 or 0xF900 <= code < 0xFB00 or code >= 0x20000:
            return "cjk"
        if 0x1E00 <= code < 0x1F00:
            return "latin"
    return "other"


def language_script(code: str) -> str:
    """The script a language is written in (``latin`` when unknown)."""
    return _SCRIPT_OF_LANGUAGE.get(code, "latin")


_LANGUAGES_OF: list[dict[str, tuple[str, ...]]] = []


def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """Per stop word: the languages (in ``_STOPWORDS`` order) it is a stop word of."""
    if not _LANGUAGES_OF:
        table: dict[str, tuple[str, ...]] = {}
        for code, stops in _STOPWORDS.items():
            for word in stops:
                table[word] = (*table.get(word, ()), code)
        _LANGUAGES_OF.append(table)
    return _LANGUAGES_OF[0]


def detect_language(words: Iterable[str]) -> str | None:
    """A guess of the language of some folded words (a document's first thousands), or None.

    The script decides first (Hangul: ko, kana: ja, ideographs alone: zh, Greek:
    el...); Latin and Cyrillic text is told apart by its commonest function words.
    """
    scripts: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    # Each distinct word once, with its count (in first-met order, as word by word);
    # a word's languages in the order of ``_STOPWORDS``, so ties break the same way.
    languages_of = _stopword_languages()
    for word, count in Counter(words).items():
        scripts[script_of(word)] += count
        for code in languages_of.get(word, ()):
            hits[code] += count
    scripts.pop("other", None)
    if not scripts:
        return None
    if scripts["kana"]:
        return "ja"
    script = scripts.most_common(1)[0][0]
    fixed = {"hangul": "ko", "cjk": "zh", "greek": "el", "armenian": "hy", "hebrew": "yi"}
    if script in fixed:
        return fixed[script]
    if script not in ("latin", "cyrillic"):
        return None
    candidates = [code for code in hits if language_script(code) == script]
    if not candidates:
        return "ru" if script == "cyrillic" else None
    best = max(candidates, key=lambda code: (hits[code], code == DEFAULT_LANGUAGE))
    return best if hits[best] >= 2 else None


def forms_language(code: str) -> str:
    """The language whose word forms hold in a document of language ``code`` ("": unknown).

    A document of unknown language is taken to be in the default language.
    """
    return code or DEFAULT_LANGUAGE


def has_stemmer(code: str | None) -> bool:
    """Whether words of language ``code`` can be stemmed here."""
    return code is not None and _stemmer(code) is not None


def stem(word: str, code: str) -> str | None:
    """The Snowball stem of a folded word in language ``code``, or None (no stemmer, too short)."""
    if len(word) < MIN_STEM_WORD:
        return None
    stemmer = _stemmer(code)
    if stemmer is None:
        return None
    return stemmer(word)


def _stemmer(code: str) -> Callable[[str], str] | None:
    """The stemming function of a language, made once (None when there is none)."""
    try:
        return _stemmers[code]
    except KeyError:
        pass
    with _lock:
        if code not in _stemmers:
            _stemmers[code] = _make_stemmer(code)
        return _stemmers[code]


def _make_stemmer(code: str) -> Callable[[str], str] | None:
    """Load PyStemmer's (or snowballstemmer's) algorithm for a language, if any."""
    algorithm = SNOWBALL.get(code)
    if algorithm is None:
        return None
    try:
        import Stemmer  # PyStemmer: C, fast

        method: Callable[[str], str] = Stemmer.Stemmer(algorithm).stemWord
    except (ImportError, KeyError):
        try:
            import snowballstemmer  # pure Python fallback

            method = snowballstemmer.stemmer(algorithm).stemWord
        except (ImportError, KeyError):
            return None
    guard = threading.Lock()  # a stemmer object is not safe to share between threads

    def stem_word(word: str) -> str:
        with guard:
            return method(word)

    return stem_word


class LanguageSample:
    """The first few thousand words of a document, to guess its language from."""

    WORDS = 3000

    def __init__(self) -> None:
        """An empty sample."""
        self._words: list[str] = []

    @property
    def full(self) -> bool:
        """Whether the sample has enough words."""
        return len(self._words) >= self.WORDS

    def add(self, text: str) -> None:
        """Add a passage's words (ignored once the sample is full)."""
        if not self.full:
            from tuireader.core.search.text import words

            self._words += words(text)[: self.WORDS - len(self._words)]

    def guess(self) -> str | None:
        """The sample's language (``detect_language``), or None."""
        return detect_language(self._words)


def metadata_language(extra: dict[str, object]) -> str | None:
    """The language named by a document's metadata fields (``language``, ``lang``), if any."""
    for key in ("language", "lang", "dc:language"):
        value = extra.get(key)
        if isinstance(value, str):
            code = normalize_language(value)
            if code:
                return code
    return None
