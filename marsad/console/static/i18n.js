// Page language: Arabic or English, chosen from the browser's languages, switchable and
// remembered. Dates and numbers go through Intl for the page's language; each formatted
// value is isolated (<bdi>/dir) by the caller so it never mixes with its neighbours.
const STRINGS = {
  en: {
    "app.title": "Marsad console", "signin.label": "API token", "signin.button": "Sign in",
    "signin.placeholder": "paste a token from `marsad tokens create`", "signin.refused": "Unknown or revoked token.",
    "signin.again": "Your token was refused; sign in again.", "whoami": "Signed in as", "signout": "Sign out",
    "lang.label": "Language", "nav.label": "Sections",
    "nav.inbox": "Inbox", "nav.stories": "Stories", "nav.rules": "Rules", "nav.stats": "Rule statistics",
    "nav.audit": "Audit log", "nav.tokens": "Tokens",
    "rules.heading": "Rules", "rules.new": "New rule", "rules.refresh": "Reload the list", "rules.empty": "No rules yet.",
    "rules.entities": "Entities…", "rules.col.rule": "Rule", "rules.col.state": "State", "rules.col.fired": "Last fired",
    "rules.enabled": "enabled", "rules.disabled": "disabled", "never": "never",
    "rules.select": "Select a rule", "rules.newid": "Id of the new rule (a-z, 0-9, _ and -)", "rules.create": "Create",
    "rules.badid": "An id is 1 to 64 of a-z, 0-9, _ and -.", "rules.notsaved": "not saved yet",
    "rules.version": "version {version} by {author}, {time}",
    "tab.edit": "Edit", "tab.test": "Test on text", "tab.backtest": "Back-test", "tab.history": "History",
    "tab.silences": "Silences", "tab.entities": "Entities",
    "editor.label": "Rule YAML", "validation": "Validation", "validation.none": "Nothing to check yet.",
    "validation.valid": "Valid.", "validation.errors": "{n} error(s)", "line": "line {n}", "rule": "rule",
    "save": "Save and publish", "delete": "Delete", "saving": "Saving…", "saved": "Saved as version {version}",
    "published": ", published ({v})", "nochange": "No change.", "deleted": "Deleted {id}.",
    "confirm.delete": "Delete rule {id}? It can be restored from its history.",
    "confirm.rollback": "Roll {id} back to version {version}? This creates a new version.",
    "entities.suggest": "Entities", "test.help": "Runs the draft in the editor (not yet saved) on a text, or on a retained article by id.",
    "test.title": "Title", "test.text": "Text", "test.article": "or article id", "test.language": "Language",
    "test.any": "any", "test.run": "Test", "testing": "Testing…", "test.fire": "{n} rule(s) fire.", "test.none": "No rule fires.",
    "backtest.help": "Runs the draft in the editor against the articles retained in the last days.",
    "backtest.days": "Days", "backtest.run": "Run back-test", "backtest.stop": "Stop", "backtest.compare": "Compare with current",
    "backtest.start": "Scanning {total} articles since {since}…", "backtest.progress": "{scanned} / {total} scanned, {matched} would fire…",
    "backtest.done": "Done: {matched} of {scanned} articles would have fired.", "backtest.stopped": "Stopped.",
    "backtest.day": "Day", "backtest.perday": "Articles that fire",
    "compare.result": "The draft adds {added} alerts and removes {removed} ({unchanged} unchanged, {scanned} articles).",
    "compare.added": "Added", "compare.removed": "Removed",
    "history.current": "current", "history.rollback": "Roll back to v{version}", "history.by": "{action} by {author}, {time}",
    "entities.help": "Entities used by entity: conditions. Saving checks every rule against them.",
    "entities.save": "Save and publish entities", "entities.none": "no entities yet", "entities.history": "Entities history",
    "silence.rule": "Rule (id or glob)", "silence.for": "For", "silence.reason": "Reason", "silence.matchers": "Matchers (key=value, …)",
    "silence.submit": "Silence", "silence.done": "Silenced.", "silence.end": "End now",
    "silence.col.rule": "Rule", "silence.col.until": "Until", "silence.col.reason": "Reason", "silence.col.by": "By",
    "alerts.heading": "Live alerts", "live": "live", "offline": "offline", "connecting": "connecting…", "reconnecting": "reconnecting…",
    "sources": "{n} source(s)",
    "inbox.heading": "Alert inbox", "inbox.search": "Search", "inbox.search.placeholder": "words, rule, outlet (Arabic spellings folded)",
    "inbox.rule": "Rule", "inbox.severity": "Severity", "inbox.feed": "Source", "inbox.outcome": "Outcome", "inbox.since": "From",
    "inbox.until": "To", "inbox.group": "Group by story", "inbox.unacked": "Unacknowledged only", "inbox.apply": "Apply",
    "inbox.all": "all", "inbox.total": "{n} alert(s)", "inbox.groups": "{n} stories, {alerts} alert(s)",
    "inbox.prev": "Newer", "inbox.next": "Older", "inbox.page": "{from}–{to} of {total}", "inbox.empty": "No alert matches.",
    "inbox.ack": "Acknowledge", "inbox.acked": "Acknowledged by {by}, {time}", "inbox.details": "Details",
    "inbox.silence": "Silence from this alert", "inbox.article": "Open the article", "inbox.evidence": "Evidence in context",
    "inbox.story": "Story {id}", "inbox.close": "Close", "inbox.dryrun": "Dry-run this article",
    "outcome.delivered": "delivered", "outcome.failed": "failed", "outcome.silenced": "silenced",
    "outcome.throttled": "throttled", "outcome.pending": "pending",
    "stories.heading": "Stories now", "stories.hours": "Hours", "stories.growth": "+{n} outlet(s) in the last hour",
    "stories.outlets": "{n} outlet(s)", "stories.articles": "{n} article(s)", "stories.rules": "Rules fired",
    "stories.chart": "Distinct outlets over time", "stories.byoutlet": "Articles by outlet", "stories.fulltext": "Full text",
    "stories.empty": "No story in this period.", "stories.id": "article id",
    "stats.heading": "Rule statistics", "stats.hours": "Hours", "stats.col.hits": "Alerts over time",
    "stats.col.total": "Alerts", "stats.col.sent": "Sent", "stats.col.throttled": "Throttled", "stats.col.silenced": "Silenced",
    "stats.col.failed": "Failed",
    "audit.heading": "Audit log", "audit.col.time": "Time", "audit.col.actor": "Who", "audit.col.action": "Action",
    "audit.col.target": "Target", "audit.col.detail": "Detail",
    "tokens.heading": "API tokens", "tokens.name": "Name", "tokens.role": "Role", "tokens.expires": "Expires after (e.g. 30d)",
    "tokens.create": "Create token", "tokens.created": "Token for {name} (shown once): ", "tokens.revoke": "Revoke",
    "tokens.col.created": "Created", "tokens.col.expires": "Expires", "tokens.col.used": "Last used", "tokens.expired": "expired",
    "confirm.revoke": "Revoke the token {name}?",
  },
  ar: {
    "app.title": "وحدة تحكم مرصد", "signin.label": "رمز الدخول", "signin.button": "دخول",
    "signin.placeholder": "الصق رمزًا من `marsad tokens create`", "signin.refused": "رمز غير معروف أو ملغى.",
    "signin.again": "رُفض رمزك؛ سجّل الدخول من جديد.", "whoami": "دخلت باسم", "signout": "خروج",
    "lang.label": "اللغة", "nav.label": "الأقسام",
    "nav.inbox": "صندوق التنبيهات", "nav.stories": "القصص", "nav.rules": "القواعد", "nav.stats": "إحصاءات القواعد",
    "nav.audit": "سجل التدقيق", "nav.tokens": "الرموز",
    "rules.heading": "القواعد", "rules.new": "قاعدة جديدة", "rules.refresh": "أعد تحميل القائمة", "rules.empty": "لا قواعد بعد.",
    "rules.entities": "الكيانات…", "rules.col.rule": "القاعدة", "rules.col.state": "الحالة", "rules.col.fired": "آخر إطلاق",
    "rules.enabled": "مفعّلة", "rules.disabled": "معطّلة", "never": "أبدًا",
    "rules.select": "اختر قاعدة", "rules.newid": "معرّف القاعدة الجديدة (a-z و0-9 و_ و-)", "rules.create": "أنشئ",
    "rules.badid": "المعرّف من 1 إلى 64 حرفًا من a-z و0-9 و_ و-.", "rules.notsaved": "لم تُحفظ بعد",
    "rules.version": "الإصدار {version} بقلم {author}، {time}",
    "tab.edit": "تحرير", "tab.test": "تجربة على نص", "tab.backtest": "اختبار رجعي", "tab.history": "السجل",
    "tab.silences": "الإسكات", "tab.entities": "الكيانات",
    "editor.label": "YAML القاعدة", "validation": "التحقق", "validation.none": "لا شيء للتحقق بعد.",
    "validation.valid": "صالحة.", "validation.errors": "{n} خطأ", "line": "السطر {n}", "rule": "القاعدة",
    "save": "احفظ وانشر", "delete": "احذف", "saving": "جارٍ الحفظ…", "saved": "حُفظت بالإصدار {version}",
    "published": "، ونُشرت ({v})", "nochange": "لا تغيير.", "deleted": "حُذفت {id}.",
    "confirm.delete": "أتحذف القاعدة {id}؟ يمكن استعادتها من سجلها.",
    "confirm.rollback": "أتعيد {id} إلى الإصدار {version}؟ سيُنشأ إصدار جديد.",
    "entities.suggest": "الكيانات", "test.help": "يشغّل المسودة في المحرر (قبل الحفظ) على نص أو على مقال محفوظ بمعرّفه.",
    "test.title": "العنوان", "test.text": "النص", "test.article": "أو معرّف مقال", "test.language": "اللغة",
    "test.any": "أي لغة", "test.run": "جرّب", "testing": "جارٍ التجريب…", "test.fire": "تنطلق {n} قاعدة.", "test.none": "لا تنطلق أي قاعدة.",
    "backtest.help": "يشغّل المسودة على المقالات المحفوظة في الأيام الأخيرة.",
    "backtest.days": "الأيام", "backtest.run": "شغّل الاختبار الرجعي", "backtest.stop": "أوقف", "backtest.compare": "قارن بالحالية",
    "backtest.start": "فحص {total} مقال منذ {since}…", "backtest.progress": "فُحص {scanned} من {total}، وستنطلق على {matched}…",
    "backtest.done": "انتهى: كانت ستنطلق على {matched} من {scanned} مقال.", "backtest.stopped": "أُوقف.",
    "backtest.day": "اليوم", "backtest.perday": "المقالات التي تنطلق عليها",
    "compare.result": "المسودة تضيف {added} تنبيهًا وتحذف {removed} ({unchanged} بلا تغيير، {scanned} مقال).",
    "compare.added": "مضافة", "compare.removed": "محذوفة",
    "history.current": "الحالي", "history.rollback": "أعد إلى v{version}", "history.by": "{action} بقلم {author}، {time}",
    "entities.help": "الكيانات التي تستعملها شروط entity:. الحفظ يتحقق من كل القواعد.",
    "entities.save": "احفظ الكيانات وانشرها", "entities.none": "لا كيانات بعد", "entities.history": "سجل الكيانات",
    "silence.rule": "القاعدة (معرّف أو نمط)", "silence.for": "المدة", "silence.reason": "السبب", "silence.matchers": "مطابقات (مفتاح=قيمة، …)",
    "silence.submit": "أسكت", "silence.done": "أُسكتت.", "silence.end": "أنهِ الآن",
    "silence.col.rule": "القاعدة", "silence.col.until": "حتى", "silence.col.reason": "السبب", "silence.col.by": "بواسطة",
    "alerts.heading": "التنبيهات الحية", "live": "مباشر", "offline": "غير متصل", "connecting": "جارٍ الاتصال…", "reconnecting": "إعادة الاتصال…",
    "sources": "{n} مصدر",
    "inbox.heading": "صندوق التنبيهات", "inbox.search": "بحث", "inbox.search.placeholder": "كلمات أو قاعدة أو منفذ (تُوحَّد الكتابات العربية)",
    "inbox.rule": "القاعدة", "inbox.severity": "الخطورة", "inbox.feed": "المصدر", "inbox.outcome": "المآل", "inbox.since": "من",
    "inbox.until": "إلى", "inbox.group": "جمّع حسب القصة", "inbox.unacked": "غير المؤكَّدة فقط", "inbox.apply": "طبّق",
    "inbox.all": "الكل", "inbox.total": "{n} تنبيه", "inbox.groups": "{n} قصة، {alerts} تنبيه",
    "inbox.prev": "الأحدث", "inbox.next": "الأقدم", "inbox.page": "{from}–{to} من {total}", "inbox.empty": "لا تنبيه مطابق.",
    "inbox.ack": "أكّد الاطلاع", "inbox.acked": "اطّلع عليه {by}، {time}", "inbox.details": "التفاصيل",
    "inbox.silence": "أسكت انطلاقًا من هذا التنبيه", "inbox.article": "افتح المقال", "inbox.evidence": "الأدلة في سياقها",
    "inbox.story": "القصة {id}", "inbox.close": "أغلق", "inbox.dryrun": "جرّب القواعد على هذا المقال",
    "outcome.delivered": "سُلّم", "outcome.failed": "فشل", "outcome.silenced": "مُسكت",
    "outcome.throttled": "مُجمَّع", "outcome.pending": "قيد الانتظار",
    "stories.heading": "القصص الآن", "stories.hours": "الساعات", "stories.growth": "+{n} منفذ في الساعة الأخيرة",
    "stories.outlets": "{n} منفذ", "stories.articles": "{n} مقال", "stories.rules": "القواعد التي انطلقت",
    "stories.chart": "عدد المنافذ عبر الوقت", "stories.byoutlet": "المقالات حسب المنفذ", "stories.fulltext": "النص الكامل",
    "stories.empty": "لا قصص في هذه الفترة.", "stories.id": "معرّف المقال",
    "stats.heading": "إحصاءات القواعد", "stats.hours": "الساعات", "stats.col.hits": "التنبيهات عبر الوقت",
    "stats.col.total": "التنبيهات", "stats.col.sent": "أُرسلت", "stats.col.throttled": "جُمّعت", "stats.col.silenced": "أُسكتت",
    "stats.col.failed": "فشلت",
    "audit.heading": "سجل التدقيق", "audit.col.time": "الوقت", "audit.col.actor": "من", "audit.col.action": "الإجراء",
    "audit.col.target": "الهدف", "audit.col.detail": "التفاصيل",
    "tokens.heading": "رموز الدخول", "tokens.name": "الاسم", "tokens.role": "الدور", "tokens.expires": "ينتهي بعد (مثل 30d)",
    "tokens.create": "أنشئ رمزًا", "tokens.created": "رمز {name} (يظهر مرة واحدة): ", "tokens.revoke": "ألغِ",
    "tokens.col.created": "أُنشئ", "tokens.col.expires": "ينتهي", "tokens.col.used": "آخر استعمال", "tokens.expired": "منتهٍ",
    "confirm.revoke": "أتلغي الرمز {name}؟",
  },
};

export const LOCALES = Object.keys(STRINGS);
let locale = pickLocale();

function pickLocale() {
  const saved = localStorage.getItem("marsad.lang");
  if (LOCALES.includes(saved)) return saved;
  const wanted = (navigator.languages || [navigator.language || "en"]).map((l) => l.slice(0, 2).toLowerCase());
  return wanted.find((l) => LOCALES.includes(l)) || "en";
}

export function currentLocale() { return locale; }

export function t(key, params = {}) {
  const text = (STRINGS[locale] && STRINGS[locale][key]) || STRINGS.en[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? formatValue(params[name]) : `{${name}}`));
}

function formatValue(value) { return typeof value === "number" ? formatNumber(value) : String(value); }

export function formatNumber(n) { return new Intl.NumberFormat(locale).format(n); }

// A date from unix seconds or an ISO string, in the page's language, with the month by
// name (no all-digit date whose parts could be read in either order): «4 ديسمبر 2026، 6:29 م».
const DATE_TIME = { year: "numeric", month: "long", day: "numeric", hour: "numeric", minute: "2-digit" };
export function formatTime(value, options = DATE_TIME) {
  if (value === null || value === undefined || value === "") return t("never");
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return isNaN(date) ? String(value) : new Intl.DateTimeFormat(locale, options).format(date);
}

export function applyTranslations(root = document) {
  document.documentElement.lang = locale;
  document.documentElement.dir = locale === "ar" ? "rtl" : "ltr";
  document.title = t("app.title");
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", t(node.dataset.i18nLabel));
  for (const node of root.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
}

export function setLocale(name) {
  if (!LOCALES.includes(name)) return;
  locale = name;
  localStorage.setItem("marsad.lang", name);
  applyTranslations();
}
