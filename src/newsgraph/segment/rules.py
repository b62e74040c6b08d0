"""The rule set: what a line of boilerplate or page metadata looks like, in any language.

Each rule is a named pattern; the segmenter records the name of the rule that
fired on every line it removes, so a user can see why. Patterns are written for
English, Arabic and Persian first, with the common forms of other languages
where they are cheap to add. Bump ``RULESET_VERSION`` when a rule changes: the
``runs`` table records it.
"""

from __future__ import annotations

import re

RULESET_VERSION = "segment-rules-2026.12.1"

_WS = r"[\s\u00a0\u202f]"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.UNICODE)


# --- whole-line boilerplate ---------------------------------------------------

COMMENT_FORM = _rx(
    r"^(leave a (reply|comment)|post a comment|add (a|your) comment|\d+\s*comments?:?$|comments are closed"
    r"|(your )?e-?mail( address)? (will not|won.t) be (published|shown|displayed|shared)|required fields are marked|cancel reply|notify me of"
    r"|save my name, email|you must be logged in to post|join the discussion|be the first to comment"
    r"|أضف تعليق|اترك تعليقا|اترك تعليقاً|اترك رد|اترك رداً|أضف رد|لن يتم نشر عنوان بريدك|التعليقات مغلقة"
    r"|ارسال نظر|نظر خود را بنویسید|دیدگاه(تان)? را بنویسید|نشانی ایمیل شما منتشر نخواهد شد|پاسخ دهید$"
    r"|laisser un commentaire|deja un comentario|kommentar schreiben)"
)

SHARE = _rx(
    r"^(%d bloggers like this|like this:?$|like loading|loading\.\.\.$|share this:?$|share( this)?( article| story)? on\b"
    r"|click to (share|print|email)|share on (facebook|twitter|whatsapp|telegram)|tweet$|email$|print$"
    r"|follow us on\b|subscribe to (our|the) (newsletter|channel)|sign up for (our|the) newsletter"
    r"|join our (telegram|whatsapp)|شارك(ها)? على|تابعونا على|تابعوا .{0,20} على (تلغرام|تويتر)"
    r"|ما را در .{0,20} دنبال کنید|به کانال .{0,30} بپیوندید|اشتراک گذاری)"
)

CLICK_HERE = _rx(r"(\bclick here\b|\bcliquez ici\b|اضغط هنا|انقر هنا|اینجا کلیک کنید|کلیک کنید)")

# "This site can also be reached at these mirror addresses", "our alternative domains:" (sites that are
# blocked in some countries list their mirrors)
ALTERNATE_ADDRESSES = _rx(r"((can|may) (also )?be (accessed|reached|found|viewed|visited) (at|on|via|through) (the following|these|our)"
                          r" (alternate|alternative|mirror|other|backup) (web ?)?(addresses|sites|links|domains|urls)"
                          r"|(alternate|alternative) (web ?)?(addresses|domains):?$"
                          r"|mirror sites?:?$|يمكن(كم)? متابعة .{0,40} على الروابط التالية)")

LICENCE = _rx(
    r"(licensed under (a |the )?creative commons|creative commons attribution|all rights reserved|©|\(c\) ?\d{4}"
    r"|copyright \d{4}|copyright ©|جميع الحقوق محفوظة|حقوق النشر محفوظة|کلیه حقوق .{0,60}محفوظ|تمامی حقوق .{0,60}محفوظ"
    r"|استفاده از مطالب .{0,40} با ذکر منبع|reproduction (is )?(prohibited|forbidden))"
)

LINK_LABEL = _rx(
    r"^\(?(please )?(support (us )?on patreon|original link|source link|link to (the )?original|read (the )?(full|original) (article|story)"
    r"|read more|continue reading|watch (the )?video|listen|download (the )?pdf|الرابط الأصلي|رابط المقال|لینک (کوتاه|مطلب)|منبع خبر)\b.{0,40}:?\)?$"
)

WIDGET = _rx(
    r"^(take our poll|story continues below|article continues below|continue reading below|completing this poll"
    r"|you may opt out at any ?time|you (also )?agree to (this|our) site'?s privacy policy|this field is for validation purposes"
    r"|comments this field is for validation|(email|name|website|comment) \*$|advertisement$|sponsored( content)?$"
    r"|scroll to continue|skip (to|this) ad|إعلان$|تبلیغات$)"
)
WIDGET_START = _rx(r"^(take our poll|advertisement$|sponsored$)")
WIDGET_TAIL = _rx(r"\btake our poll\b")  # a poll glued to the end of a paragraph

DISCLAIMER = _rx(
    r"^\(?(the (views|opinions) expressed (in this (article|piece|column))? (are|do not)|views expressed here"
    r"|this article (was|has been) (originally )?published|الآراء (الواردة|المذكورة) .{0,40} لا تعبر"
    r"|مطالب .{0,40} لزوما .{0,20} نیست)"
)

RELATED_HEADER = _rx(
    r"^(related( videos?| articles?| posts?| stories| news| content| links| coverage| reading)?|read also|also read|see also"
    r"|more (on|from|about) (this|the)? ?(topic|story|subject)?|you (may|might) (also )?like|recommended( for you)?"
    r"|most (read|popular|viewed)|trending( now)?|top stories|latest (news|stories|videos)|more stories|editor'?s picks"
    r"|فيدوات متعلقة|فيديوهات متعلقة|فيديو متعلق|مقالات متعلقة|مقالات ذات صلة|أخبار متعلقة|اخبار متعلقة|أخبار ذات صلة"
    r"|مواضيع (ذات صلة|متعلقة)|اقرأ أيضا|اقرأ أيضاً|إقرأ أيضا|إقرأ أيضاً|الأكثر قراءة|الأكثر مشاهدة|شاهد أيضا|شاهد أيضاً"
    r"|مطالب مرتبط|اخبار مرتبط|خبرهای مرتبط|بیشتر بخوانید|بخوانید|پربازدیدترین(ها)?|پربحث‌?ترین(ها)?"
    r"|à lire aussi|lire aussi|sur le même sujet|mehr zum thema|lesen sie auch|leer más|te puede interesar)\s*:?$"
)

# "News / Politics / Defense" — crumbs separated by a path mark, NBSPs included.
_CRUMB_SEP = re.compile(rf"{_WS}+(?:/|›|»|>|\||·|‹|«){_WS}+")

# Photo credits that end a caption: "(AFP photo)", "(Photo by AFP)", "Photo: Reuters".
PHOTO_CREDIT = _rx(
    r"(\((photo|image|picture|file photo|file)?[^()]{0,40}(photo|image|afp|reuters|ap|epa|getty|anadolu|irna|isna|tasnim|mehr|fars|xinhua|wana|sana|ina)[^()]{0,40}\)"
    r"|\((photo|file|archive|via|courtesy)( by| of|:)? [^()]{1,40}\)"
    r"|\b(photo|image|picture|credit)s?( by|:) [^.]{1,40}$|^(photo|file photo|image)s?:"
    r"|\((صورة|الصورة|أرشيف|ارشيف|عکس|تصویر|آرشیو)[^()]{0,40}\)|^(صورة|الصورة|عکس|تصویر)\s*:)$"
)

# Captions that say where people stand in a picture.
POSITIONAL_CAPTION = _rx(r"^(front|back|top|bottom|centre|center|left|right|from left|from right|l-r|r-l|clockwise)"
                          r"( (left|right|row|centre|center))?\s*(\(?[lrc]\)?)?\s*:")

BYLINE = _rx(r"^(by|written by|words by|reporting by|بقلم|كتب|كتبه|كتبت|إعداد|نویسنده|نوشته|به قلم|گزارش از|par|von|por)\s*:?\s+(?P<name>.{2,80})$")
BYLINE_FOR = _rx(r"^(?P<name>.+?)\s+(for|exclusively for|especially for|خاص لـ?|لموقع|برای)\s+(?P<outlet>.+)$")
SOURCE_LINE = _rx(r"^(source|sources|المصدر|مصدر|منبع|منابع|quelle)\s*[:：]\s*(?P<value>.{2,120})$")
DATE_LABEL = _rx(r"^(date|published|posted|التاريخ|تاريخ النشر|تاریخ|تاریخ انتشار)\s*(on)?\s*[:：]\s*(?P<value>.{4,80})$")
LICENCE_OWNER = _rx(r"all content by (?P<outlet>.{2,80}?) is licensed")
WEBSITE_OWNER = _rx(r"^(?P<outlet>.{2,60}?)(’|')s? (web ?site|site) can also be accessed")
DISCLAIMER_OWNER = _rx(r"do not necessarily reflect (those|the views?|the position|the policy) of (?P<outlet>.{2,60}?)[.)]*$")

TERMINAL = ".!?؟۔…。"
QUOTE_CLOSERS = "\"'”’»›)]"


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends like a finished sentence (closing quotes allowed)."""
    stripped = text.rstrip(QUOTE_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in TERMINAL


def is_breadcrumb(text: str) -> bool:
    parts = _CRUMB_SEP.split(text)
    if len(parts) < 3 or len(text.split()) > 16:
        return False
    return all(0 < len(p.split()) <= 4 for p in parts) and not ends_sentence(text)


# (pattern, most words a line may have and still be only this, kind, rule), checked in order
_WHOLE_LINE_RULES = [
    (COMMENT_FORM, 25, "comment_form", "comment-form"),
    (WIDGET, 20, "widget", "widget"),
    (SHARE, 12, "share", "share-widget"),
    (ALTERNATE_ADDRESSES, 10_000, "footer", "alternate-addresses"),
    (CLICK_HERE, 15, "click_here", "click-here"),
    (LINK_LABEL, 10, "link_label", "link-label"),
    (DISCLAIMER, 60, "disclaimer", "views-disclaimer"),
    (LICENCE, 40, "licence", "licence-line"),
    (RELATED_HEADER, 6, "related", "related-header"),
]


def whole_line_kind(text: str) -> tuple[str, str] | None:
    """(kind, rule) when the line alone is recognisably boilerplate."""
    words = len(text.split())
    for pattern, most_words, kind, rule in _WHOLE_LINE_RULES:
        if words <= most_words and pattern.search(text):
            return kind, rule
    if is_breadcrumb(text):
        return "breadcrumb", "breadcrumb"
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"'”’»]?\s+")


def trailing_boilerplate_start(text: str) -> int | None:
    """Offset in ``text`` where trailing licence/copyright sentences begin, if the
    paragraph ends with them (pages flattened to one line keep their footer inline)."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(text)]
    best = None
    for cut in reversed(cuts):
        tail = text[cut:]
        if len(tail.split()) > 60:
            break
        sentences = [s for s in _SENTENCE_END.split(tail) if s.strip()]
        if sentences and all(LICENCE.search(s) or SHARE.search(s) or DISCLAIMER.search(s) for s in sentences):
            best = cut
        else:
            break
    return best
