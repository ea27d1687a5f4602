"""Which stage of an affair a report tells: a government designated, voted in, sworn in; a
trial's hearings opened, its appeal ruled; a takeover completed; a ruler's death, his funeral,
his successor in office, a crown prince named; a tie's first leg and its second.

The stages of one affair are told days or weeks apart with the same names, places and
words («كلف … بتشكيل الحكومة», then «نالت الحكومة ثقة البرلمان», then «أدت الحكومة اليمين»),
and without published times nothing else tells them apart: on the held-out story sets the
Lebanese and Iraqi governments' designation, formation and confidence vote, and a takeover's
announcement and completion, were one story each (docs/dedupe.md, "Stages"). Read in the
title and in the lead (lead_facts.py), the first stage each names; two texts that both name
one and share none tell two events (and neither is a copy of the other). The stage is given
as a figure (figures.py) of the kind STAGE, decisive as a decision's move is
(``figures.conflicting``'s ``decisive``).

A stage is read only from a verb or noun of it followed, within a few words, by what it
acts on («منح … الثقة», «أدى اليمين», «إتمام صفقة الاستحواذ»): the words alone are common
(«الثقة», «اليمين»). A report names its own stage first; an earlier stage it recalls comes
later in the lead, if at all.
"""

from __future__ import annotations

import re

from streams.dedupe.lead_facts import title_and_lead_facts

STAGE = "stage"  # the figure kind of an affair's stage
# a leg of a tie (the last two stages, below): the leg followed by the round or the cup it is
# of, or named as a match; not recalled («كان لقاء الذهاب»), ahead («تقام مباراة الإياب»), or
# told as over or coming («مباراة الذهاب انتهت», «لقاء الإياب المقرر»)
_LEG_PATTERN = (
    r"(?:ال)?{leg}\s+(?:(?!الي\s)\S+\s+)?(?:ال)?"
    r"(?:نهايي|دور|ربع|نصف|ثمن|مرحله|ملحق|تصفيات|مسابقه|بطوله|كاس|دوري)(?!\S)"
    r"|(?<!كان\s)(?<!كانت\s)(?<!بعد\s)(?<!عقب\s)(?<!تقام\s)(?<!يقام\s)(?<!ستقام\s)(?<!تلعب\s)"
    r"(?:مباراه|مباراتي|لقاء|مواجهه|موقعه)\s+(?:ال)?{leg}(?!\S)"
    r"(?!\s+(?:قد|انتهت|انتهي|تنتهي|المقبل|المقبله|المقرر|المقرره|المرتقب|المرتقبه|يوم|ستقام|تقام))"
)
# each stage with its value, folded («يؤدي» is «يودي», «الاستئناف» «الاستيناف»); the first a
# text names wins, and confidence given never reads across «حجب» or «سحب» («صوّت البرلمان على
# حجب الثقة» is a vote against)
_STAGES: tuple[tuple[float, str], ...] = (
    # a prime minister designated: «كلف الرئيس فلانا بتشكيل الحكومة», «لتكليفه تشكيل حكومة
    # جديدة», «يعيّن فلانا لتشكيل حكومة» (titles and posts may stand between: «كلف العاهل
    # الأردني، الملك …، يوم الأحد، مدير مكتبه …، فلانا، بتشكيل»; a bare «تشكيل» only close
    # by, since a formation's report recalls «بعد شهر من تكليفه» before its «تشكيل الحكومة»;
    # «عين» only before «ب/لتشكيل»: it is also a place's name, «عين التينة»)
    (
        1.0,
        r"(?:تكليف|تكليفه|كلف|يكلف|تكلف|كلفه|يتكلف)\s+(?:(?:\S+\s+){0,15}?[بل]|(?:\S+\s+){0,3}?)تشكيل"
        r"|(?:مكلف|مكلفا)\s+[بل]?تشكيل|(?:عين|يعين|تعيين)\s+(?:\S+\s+){0,8}?[بل]تشكيل",
    ),
    # the government formed: «مرسوم تشكيل الحكومة», «ولادة الحكومة الجديدة», «سلّم عون تشكيل
    # الحكومة الجديدة», «نجح بتشكيل حكومة جديدة» (a designation, read first where its verb
    # stands, names the same as its task; not «لتشكيل» it, a task still ahead)
    (
        2.0,
        r"(?:مرسوم|مراسيم)\s+(?:\S+\s+)?تشكيل"
        r"|(?:ولاده|(?<!ل)تشكيل|شكل|تشكلت|اعلان)\s+(?:ال)?حكومه\s+(?:ال)?جديده",
    ),
    # confidence withdrawn, then given
    (3.0, r"(?:حجب|يحجب|تحجب|حجبت|سحب|يسحب|تسحب|سحبت)\s+(?:ال)?ثقه"),
    (
        4.0,
        r"(?:نيل|تنال|نال|نالت|منح|يمنح|منحت|تمنح|صوت|يصوت|التصويت)\s+(?:(?!\S*(?:حجب|سحب))\S+\s+){0,6}?"
        r"(?:ب|علي\s+)?(?:ال)?ثقه"
        # «حصلت الحكومة الجديدة … على ثقة البرلمان» (a government's, not a leader's, «ثقة الناخبين»)
        r"|(?:حصلت|حصل|تحصل|يحصل|حازت|حاز)\s+(?:(?!\S*(?:حجب|سحب))\S+\s+){0,10}?علي\s+ثقه\s+"
        r"(?:ال)?(?:برلمان|مجلس|نواب|كنيست)",
    ),
    # sworn in, in office: «أدى اليمين الدستورية», «تسلم مهامه», «تنصيب»
    (
        5.0,
        r"(?:اداء|ادي|يودي|ادت|تودي|ادوا|يودون)\s+(?:(?:ال)?يمين"
        # (the oath's taker and a day may come between: «أدى الشيخ نواف …، اليوم الأربعاء، اليمين
        # الدستورية»; then «الدستورية» must follow: «أدى صعود اليمين» is the political right)
        r"|(?:\S+\s+){1,8}?(?:ال)?يمين\s+(?:ال)?(?:دستوريه|قانونيه))"
        # (a name and a day may come between: «تسلم محمد شياع السوداني الجمعة مهامه»; a bare
        # «مهام» only close by: «تسلم الوزير تقريرا عن مهام اللجنة» is no stage)
        r"|(?:تسلم|يتسلم|تتسلم|تسلمت|استلم|يستلم)\s+(?:(?:\S+\s+){0,5}?(?:مهامه|مهامها|منصبه|منصبها)"
        r"|(?:\S+\s+){0,2}?(?:مهام|السلطه))"
        r"|تنصيب(?:ه|ها)?"
        # a successor elected or proclaimed (a succession, below): «انتخاب محمد بن زايد رئيسا لدولة
        # الإمارات», «ميشال عون رئيسا للبنان» (a head of state's office: not a government's, a
        # council's or a club's)
        r"|(?:رييسا|اميرا|ملكا|سلطانا)\s+(?:جديدا\s+)?ل"
        r"(?!ل?(?:وزراء|حكومه|مجلس|لجنه|هييه|نادي|اتحاد|وفد|جامعه|شركه|مكتب|بعثه|حزب|كتله|فريق|تحرير))\S",
    ),
    # a trial's hearings open: «بدأت جلسات الاستماع», «انطلاق المحاكمة»
    (
        6.0,
        r"(?:جلسات|جلسه)\s+(?:\S+\s+){0,2}?(?:ال)?(?:استماع|مرافعات)"
        r"|(?:تبدا|بدء|بدات|انطلاق|انطلقت|تنطلق|افتتاح)\s+(?:\S+\s+){0,2}?(?:محاكمه|جلسات)",
    ),
    # the appeal: «محكمة الاستئناف», «حكم الاستئناف»
    (7.0, r"محكمه\s+(?:ال)?استيناف|(?:حكم|قرار)\s+(?:ال)?استيناف"),
    # a takeover completed (its announcement names no stage)
    (
        8.0,
        r"(?:اتمام|اتمت|اتم|اكملت|اكمال|انهت|انجزت|استكملت|استكمال)\s+(?:\S+\s+){0,2}?"
        r"(?:صفقه|(?:عمليه\s+)?(?:ال)?استحواذ)",
    ),
    # A succession: the ruler's death, his funeral, the successor elected or proclaimed (in
    # office: read with the oath, 5, above), a crown prince named. Told a day or a year apart with the same
    # names (story sets 45 and 50: a president's death, his successor's election the next day
    # and the crown prince he named a year later; an emir's death and his successor's oath).
    # The death: «وفاة رئيس الإمارات», «وفاة الأمير صباح», «نعت وزارة شؤون الرئاسة … الشيخ»
    # (a ruler's title right after; «وفاة 35 معتمرا» is no ruler's); a death recalled is not
    # the report's own: «بعد رحيل حاكم الإمارات، انتخب المجلس …», «بعد ساعات من وفاة»
    (
        9.0,
        r"(?<!بعد\s)(?<!عقب\s)(?<!اثر\s)(?<!منذ\s)(?<!من\s)(?:وفاه|توفي|رحيل)\s+(?:\S+\s+)?(?:ال)?(?:رييس|ملك|امير|سلطان|شيخ|عاهل|حاكم)(?!\S)"
        r"|(?<!بعد\s)(?<!عقب\s)(?<!اثر\s)(?:نعي|نعت|ينعي|تنعي|نعاه|نعته)\s+(?:\S+\s+){0,8}?(?:ال)?(?:رييس|ملك|امير|سلطان|شيخ|عاهل|حاكم)(?!\S)",
    ),
    # the funeral: «شيعت الكويت جثمان الأمير», «ووري الثرى»
    (10.0, r"(?:تشييع|شيع|شيعت|يشيع|تشيع|دفن|مواراه|ووري)\s+(?:\S+\s+){0,3}?(?:جثمان|الثري)"),
    # a crown prince named: «عيّن نجله خالد وليا للعهد»
    (11.0, r"وليا\s+(?:جديدا\s+)?للعهد"),
    # A two-legged tie's first leg, then its second: «ذهاب نهائي دوري الأبطال», «إياب الدور
    # الحاسم», «مباراة الإياب». Told a week apart with the same two clubs, cup, stadiums and
    # players (story sets 52 and 54: a final's and a play-off's two legs were one story). A
    # leg recalled or ahead is not the report's own («وكان لقاء الذهاب قد انتهى», «وتقام مباراة
    # الإياب يوم 11»), nor is going somewhere («الذهاب إلى الدور النهائي»).
    (12.0, _LEG_PATTERN.format(leg="ذهاب")),
    (13.0, _LEG_PATTERN.format(leg="اياب")),
)
# a clitic may stand before the verb or noun
_STAGE = re.compile(
    r"(?<!\w)[وفبل]?(?:" + "|".join(f"(?P<stage{index}>{pattern})" for index, (_, pattern) in enumerate(_STAGES)) + ")"
)
_VALUES = {f"stage{index}": value for index, (value, _) in enumerate(_STAGES)}
# a word every stage's text holds, looked for first (as written, before folding): most
# texts tell no stage, and are not folded
_HINTS = (
    *("حكوم", "تشكيل", "ثق", "يمين", "تسل", "تنصيب", "جلس", "محاكم", "تئناف", "صفق", "استحواذ", "مرسوم"),
    *("وفا", "توف", "رحيل", "نعى", "نعت", "ينعى", "تنعى", "نعاه", "نعته", "جثمان", "الثرى", "ووري"),
    # (the successor's office in the accusative, written with or without its tanween's mark
    # before the alif: «رئيساً», «رئيسًا»)
    *("رئيسا", "رئيسً", "ميرا", "ميرً", "ملكا", "ملكً", "سلطانا", "سلطانً", "وليا", "وليً"),
    # (a tie's legs)
    *("ذهاب", "إياب", "اياب"),
)


def stage_facts(title: str, text: str) -> list[tuple[str, float]]:
    """[(STAGE, stage)] for the first stage the title names and the first its lead names
    (one entry when they agree), [] when neither names one."""
    return title_and_lead_facts(STAGE, title, text, _HINTS, _STAGE, lambda match: _VALUES[str(match.lastgroup)])
