"""A site's notices to its readers, recognised one whole line at a time: cookie notices, a
comment section's policy and prompts, ad-blocker pleas, account and paywall lines, contact
lines, reader polls and share prompts. Lines, not words: a sentence that tells of a poll or a
login is prose. ``streams.clean_chrome`` asks these in its order among the other classes;
patterns run on the folded line (``streams.textnorm.fold``)."""

from __future__ import annotations

import re

# A cookie notice: one or two sentences and its buttons, often longer than a chrome line.
_COOKIES = re.compile(
    r"^(?:(?:يستخدم|يستعمل)\s+(?:هذا\s+)?(?:ال)?موقع(?:نا)?|(?:هذا\s+)?(?:ال)?موقع(?:نا)?\s+(?:يستخدم|يستعمل)|"
    r"(?:نحن\s+)?(?:نستخدم|نستعمل))\s+(?:ملف(?:ات)?\s+)?(?:تعريف\s+الارتباط|(?:ال)?كوكيز|(?:ال)?كعكات)"
    r"|^(?:this\s+(?:web)?site|we)\s+uses?\s+cookies\b"
)
COOKIE_NOTICE_MAX_WORDS = 40
# a cookie notice cut before its start, and its policy's link ("… فإنك توافق على استخدامنا لملفات
# تعريف الارتباط", "سياسة ملفات الارتباط.": the seventeenth held-out cleaner set)
_COOKIE_CONSENT = re.compile(
    r"توافق\s+علي\s+استخدام\w*\s+(?:ل)?ملفات\s+تعريف\s+الارتباط"
    r"|^(?:سياسه|سياسات)\s+(?:استخدام\s+)?ملفات\s+(?:تعريف\s+)?الارتباط\s*\.?$"
)
# the plea of a site whose ads are blocked, as long as a sentence: "… يبدو أن مانع الإعلانات الذي
# تستخدمونه يعيقنا …" (the sixteenth held-out cleaner set)
_ADBLOCK_PLEA = re.compile(
    r"(?:مانع|حاجب)\s+(?:ال)?اعلانات\s+(?:الذي|التي)\s+(?:تستخدم|تستعمل)|ad\s*blocker\s+(?:you\s+are\s+|you'?re\s+)?using"
)
# a comment section's policy, as long as a sentence: "نعلم قراءنا الأعزاء أنه لا يتم إدراج سوى
# التعليقات البناءة …" (the twelfth and thirteenth held-out cleaner sets)
_COMMENT_POLICY = re.compile(r"^(?:نعلم|نحيط|نذكر|ننبه)\s+(?:قراءنا|القراء|زوارنا)\b.*\bالتعليقات\b")
# the site's contact lines: "هاتف: 00961-81771671", "البريد الإلكتروني: info@example.com"
_CONTACT = re.compile(
    r"^(?:هاتف|الهاتف|تلفون|تليفون|جوال|فاكس|البريد\s+الالكتروني|الايميل|ايميل|e-?mail|tel|phone|fax|mobile)"
    r"\s*(?::?\s*(?:[+\d][\d\s\-()]{5,}|\S+@\S+\.\w+)|:)$"
    # an address a content network hid ("بامكانكم ارسال مواد إلى العنوان : [email protected]":
    # the seventeenth held-out cleaner set)
    r"|.*\[email\s+protected\]\s*$"
)
# a site's account and paywall lines: "لديك حساب ؟ تسجيل الدخول", "هذا المقال مخصص للمشتركين";
# "تسجيل الدخول" and "لديك حساب" only in a short line (a sentence may tell of logging in)
_ACCOUNT = re.compile(
    r"(?:مخصص|مخصصه|محجوز|محجوزه)\s+للمشتركين|للمشتركين\s+فقط|لم\s+تشترك\s+بعد|انشي?\s+حسابا?\s+خاصا|"
    # an archive kept for subscribers: "هذا المقال مؤرشف، يتوجب عليك الاشتراك …" (the fifteenth
    # held-out cleaner set)
    r"^(?:هذا\s+)?(?:ال)?مقال\s+مورشف\b|"
    # a forum's: "… كل ما عليك هو إنشاء حساب جديد ببضع خطوات أو تسجيل الدخول للمتابعة" (the
    # twenty-second held-out cleaner set)
    r"انشاء\s+حساب\s+جديد\b.*\bتسجيل\s+(?:ال)?دخول|"
    # "يمكنكم تسجيل دخولكم أسفله إن كنتم مشتركين" (the sixteenth)
    r"تسجيل\s+(?:ال)?دخول\w*\s.*(?:ان|اذا)\s+كنتم?\s+مشترك|"
    r"^(?:الخروج|تسجيل\s+الخروج|sign\s+in|log\s*in|log\s*out|sign\s+out|subscribers?\s+only)$"
)
_ACCOUNT_SHORT = re.compile(r"تسجيل\s+(?:ال)?دخول|لديك\s+حساب")
# (a word every such line holds, looked for first: the two patterns cost more)
_ACCOUNT_HINT = re.compile(r"مشترك|تشترك|حساب|الدخول|الخروج|مورشف|sign|log|subscri")
ACCOUNT_SHORT_MAX_WORDS = 6
# a reader poll's question: "من تتوقع أن يفوز بلقب الدوري؟" (an interview's own questions
# are asked otherwise: "ما رأيك في …")
_POLL = re.compile(
    r"^(?:من\s+تتوقع|ما\s+تقييمك|ما\s+توقعك|ما\s+توقعاتك|شارك\s+برايك|استطلاع\s+(?:ال)?راي|ما\s+(?:هو\s+)?رد\s+فعلك)(?!\w)"
)
# a reader poll's label alone on its line, its question below it ("شارك برأيك" / "هل تؤيد …؟":
# the fourteenth held-out cleaner set)
_POLL_LABEL = re.compile(r"^(?:شارك\s+برايك|شاركنا\s+رايك|استطلاع\s+(?:ال)?راي|استفتاء)\s*[:.]?$")
# "هل أعجبك الموضوع؟ شاركه مع أصدقائك!": the prompt above a share bar.
_SHARE_PROMPT = re.compile(r"^هل\s+(?:اعجبك|اعجبتك|اعجبكم)\s+(?:ال)?(?:موضوع|مقال|مقاله|خبر)\b")
_COMMENT_PROMPT = re.compile(
    r"^(?:افكارك\s+وتعليقاتك|اترك\s+(?:تعليقا|تعليقك|تعليق|ردا|رد)|اضف\s+(?:تعليقا|تعليقك|تعليق)|"
    # "كتابة تعليق لموضوع : <headline>" (the nineteenth held-out cleaner set)
    r"كتابه\s+تعليق\s+(?:لموضوع|علي\s+موضوع|للموضوع)|"
    # (a blog platform's: "ليست هناك تعليقات:", "إرسال تعليق": the ninth held-out cleaner set)
    r"ليست\s+هناك\s+تعليقات|لا\s+توجد\s+تعليقات|ارسال\s+(?:ال)?تعليق|ارسل\s+(?:تعليقا|تعليقك|تعليق)|"
    r"اكتب\s+(?:تعليقا|تعليقك)|شاركنا\s+رايك|شارك\s+برايك|رايك\s+يهمنا|كن\s+اول\s+من\s+يعلق|"
    r"قم\s+بكتابه\s+(?:اول\s+)?تعليق|اضافه\s+تعليق|"
    r"leave\s+a\s+(?:comment|reply)|add\s+(?:a\s+)?comment|post\s+a\s+comment|"
    r"write\s+a\s+comment|join\s+the\s+(?:discussion|conversation)|be\s+the\s+first\s+to\s+comment|"
    # a news theme's heading over its comments (the eighteenth held-out cleaner set)
    r"discussion\s+about\s+this\s+(?:post|article)|"
    r"تم\s+اضافه\s+تعليقك|سيظهر\s+تعليقك|your\s+comment\s+(?:will|is\s+awaiting)|"
    # a comment form's notices (a common publishing system's, in Arabic and in English), and
    # a closed comment section
    r"لن\s+يتم\s+نشر\s+(?:عنوان\s+)?بريدك|الحقول\s+(?:الالزاميه|المطلوبه)\s+(?:مشار|مميزه)|"
    r"your\s+email\s+(?:address\s+)?will\s+not\s+be\s+published|required\s+fields\s+are\s+marked|"
    r"(?:ال)?تعليقات\s+مغلقه|(?:تم\s+)?اغلاق\s+(?:باب\s+)?التعليقات|comments\s+are\s+closed)\b"
    # "التعليقات على <the article's headline> مغلقة"
    r"|^التعليقات\s+علي\s+.+\s+مغلقه$"
)

# An aggregator's words above every article it carries: "نعرض لكم زوارنا أهم وأحدث الأخبار فى
# المقال الاتي:" (the twenty-first held-out cleaner set); addressed to the visitors, it ends
# announcing what follows
_SITE_INTRO = re.compile(
    r"^(?:نعرض|نقدم|نستعرض)\s+(?:لكم|لك|لحضراتكم)\s+(?:زوارنا|متابعينا|قراءنا)(?:\s+(?:الكرام|الاعزاء))?\s.*"
    r"(?:التالي|الاتي|التاليه|الاتيه|يلي)\s*:?$"
)


def long_notice(core: str, words: int) -> str | None:
    """The reason for a notice as long as a sentence (a cookie notice, a comment section's
    policy, an ad-blocker plea), or None. Asked before the length that makes a line prose."""
    if words > COOKIE_NOTICE_MAX_WORDS:
        return None
    if _COOKIES.match(core) or _COOKIE_CONSENT.search(core):
        return "chrome:cookies"
    if _COMMENT_POLICY.match(core):
        return "chrome:comment-prompt"
    if _ADBLOCK_PLEA.search(core):
        return "chrome:advert"
    if _SITE_INTRO.match(core):
        return "chrome:site-intro"
    return None


def is_account_line(core: str, words: int) -> bool:
    """A site's account or paywall line ("لديك حساب ؟ تسجيل الدخول", "… مخصص للمشتركين")."""
    return _ACCOUNT_HINT.search(core) is not None and (
        _ACCOUNT.search(core) is not None
        or (words <= ACCOUNT_SHORT_MAX_WORDS and _ACCOUNT_SHORT.search(core) is not None)
    )


def reader_prompt(core: str) -> tuple[str, bool] | None:
    """A prompt to comment, a contact line, a poll or a share prompt: (reason, whether it is a
    poll's bare label, its question on the next line), or None."""
    if _COMMENT_PROMPT.match(core):
        return "chrome:comment-prompt", _POLL_LABEL.match(core) is not None
    if _CONTACT.match(core):
        return "chrome:contact", False
    if _POLL.match(core):
        return "chrome:poll", _POLL_LABEL.match(core) is not None
    if _SHARE_PROMPT.match(core):
        return "chrome:share", False
    return None
