"""The site's own name read from its lines (streams.clean_site_name), and its lines dropped."""

from __future__ import annotations

from streams.clean import clean_article
from streams.clean_site_name import NAME_ALONE, TEASER, site_name_lines
from streams.textnorm import fold

LEAD = "شبكة أنباء الوادي: أعلن محافظ الوادي عن بدء مشروع جديد لتوسيع شبكة المياه في القرى الشرقية."
BODY = "وأوضح المحافظ أن المشروع يشمل مد أنابيب بطول عشرين كيلومترا وإنشاء خزانين جديدين."


def _dropped(*lines: str) -> list[tuple[int, str]]:
    return site_name_lines([fold(line) for line in lines])


def test_the_name_alone_and_the_teasers_under_it_go_and_the_dateline_stays() -> None:
    # (the nineteenth held-out cleaner set: the name alone, the article under it as a
    # dateline, and other stories' teasers cut with "…" under the name)
    lines = [
        "شبكة أنباء الوادي:",
        LEAD,
        BODY,
        "شبكة أنباء الوادي:أعلنت مديرية التربية عن تنظيم دورة تدريبية للمعلمين في…",
        "شبكة انباء الوادي: افتتح رئيس البلدية حديقة عامة جديدة في حي…",
    ]
    assert _dropped(*lines) == [(0, NAME_ALONE), (3, TEASER), (4, TEASER)]
    article = clean_article(title="مشروع المياه", content="\n".join(lines), content_type="text/plain")
    assert article.text.split("\n") == [LEAD, BODY]
    assert sorted(line.reason for line in article.removed) == [NAME_ALONE, TEASER, TEASER]


def test_a_name_alone_whose_separator_folding_drops_counts() -> None:
    # «مدار الأيام ـ»: folding drops the tatweel, and the name is the whole line
    lines = ["مدار الأيام ـ", "مدار الأيام - " + BODY, "مدار الأيام ـ"]
    assert _dropped(*lines) == [(0, NAME_ALONE), (2, NAME_ALONE)]


def test_what_is_not_a_site_name_stays() -> None:
    # an interview's one-word labels; a single line trailing off under a repeated name; a
    # subheading that opens no other line; a name alone with no line opening with it
    interview = [
        "س: ما خطتكم للموسم المقبل…",
        "ج: نعمل على تعزيز الفريق بلاعبين جدد…",
        "س: وماذا عن الملعب الجديد…",
    ]
    assert _dropped(*interview) == []
    speaker = [
        "وزير المالية: الموازنة الجديدة تخفض العجز تدريجيا",
        "وزير المالية: لن نرفع الضرائب على الدخل المحدود هذا العام",
        "وزير المالية: أما الدين العام فسنعالجه بخطة طويلة…",
    ]
    assert _dropped(*speaker) == []
    assert _dropped("الوضع الميداني", BODY, "الوضع الميداني") == []
