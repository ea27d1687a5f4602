"""Language detection by script and function words; the feed's hint decides only when
the text cannot."""

from __future__ import annotations

import pytest

from streams.language import detect_language, normalize_hint

ARABIC = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة بسعة مئتي سرير."
ENGLISH = "The health ministry said on Monday that a new hospital with 200 beds would open in the city."
FRENCH = "Le ministère de la santé a annoncé lundi que le nouvel hôpital ouvrira dans la ville."
SPANISH = "El ministerio de salud anunció el lunes que el nuevo hospital abrirá en la ciudad para los vecinos."
GERMAN = "Das Gesundheitsministerium teilte mit, dass die neue Klinik in der Stadt auch am Sonntag öffnet."
PERSIAN = "وزارت بهداشت روز دوشنبه اعلام کرد که یک بیمارستان تازه در شهر گشایش می‌یابد."
URDU = "وزارت صحت نے پیر کے روز اعلان کیا کہ شہر میں ایک نیا ہسپتال کھولا جائے گا۔"
RUSSIAN = "Министерство здравоохранения объявило об открытии новой больницы в городе."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ARABIC, "ar"),
        (ENGLISH, "en"),
        (FRENCH, "fr"),
        (SPANISH, "es"),
        (GERMAN, "de"),
        (PERSIAN, "fa"),
        (URDU, "ur"),
        (RUSSIAN, "ru"),
        # an Urdu dateline or a few English names do not change an Arabic article
        ("( اردو پوائنٹ نیوز ۔ ) " + ARABIC * 3, "ar"),
        (ARABIC + " NATO, Reuters, CNN", "ar"),
        # Arabic-Indic digits and punctuation are not letters
        ("٢٠٢١ ١٢ ٠٧ — " + ENGLISH, "en"),
    ],
)
def test_detects_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_text_wins_over_a_wrong_hint() -> None:
    assert detect_language(ARABIC, "en") == "ar"
    assert detect_language(ENGLISH, "ar-EG") == "en"


@pytest.mark.parametrize("text", ["", "١٢٣", "OK", "— 2021 —", "ابن"])
def test_hint_decides_when_the_text_is_too_short(text: str) -> None:
    assert detect_language(text, "ar-EG") == "ar"
    assert detect_language(text, "EN_us") == "en"
    assert detect_language(text) is None


def test_mixed_scripts_without_hint_are_unknown() -> None:
    mixed = "وزارة الصحة أعلنت افتتاح مستشفى جديد Ministry of Health opens new hospital"
    assert detect_language(mixed) is None
    assert detect_language(mixed, "ar") == "ar"


def test_latin_without_known_function_words_falls_back_to_the_hint() -> None:
    text = "Hallo Welt xyz qwerty lorem ipsum dolor sit amet"
    assert detect_language(text) is None
    assert detect_language(text, "it") == "it"


@pytest.mark.parametrize(
    ("hint", "expected"),
    [("ar", "ar"), ("AR-eg", "ar"), ("en_US", "en"), ("", None), (None, None), ("arabic!", None)],
)
def test_normalize_hint(hint: str | None, expected: str | None) -> None:
    assert normalize_hint(hint) == expected


def test_characters_outside_the_basic_plane_are_no_letters() -> None:
    """Letters are counted per UTF-16 code: an emoji (a surrogate pair) or a stray
    surrogate must count for no script."""
    assert detect_language("\U0001f600" * 40 + " OK") is None
    assert detect_language("\U0001d400\U0001d401" * 20 + "\ud800" + " اب", "fr") == "fr"
    assert detect_language("\U0001f600 " * 30 + ARABIC) == "ar"


def test_persian_and_urdu_signs_are_weighed_against_arabic_ones() -> None:
    # one Persian letter in a long Arabic text stays Arabic; enough of them make it Persian
    assert detect_language(ARABIC * 2 + " پ") == "ar"
    assert detect_language("ابجد" * 10 + "پچژگ" * 2) == "fa"
    assert detect_language("ابجد" * 10 + "ٹڈڑں" * 2) == "ur"
