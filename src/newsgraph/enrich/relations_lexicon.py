"""The relation taxonomy and the verb lexicons that find it in English, Arabic and Persian.

Nine predicates near the top levels of CAMEO (Conflict and Mediation Event Observations, Gerner et
al. 2002; codebook v1.1b3). Polarity follows CAMEO's quad classes: verbal or material cooperation
is ``+1``, verbal or material conflict ``-1``. It is the polarity of the act towards its object,
not a judgement of who is right.

=========== ======================== ======== ==========================================================
predicate   CAMEO                    polarity examples
=========== ======================== ======== ==========================================================
praise      051 praise or endorse     +1      praise, hail, commend, thank, congratulate; أشاد، أثنى، ثمّن؛ تقدیر کرد، ستود
criticize   111/112 criticize, accuse -1      condemn, denounce, accuse, blame; أدان، ندد، اتهم، انتقد؛ محکوم کرد، متهم کرد
threaten    13 threaten               -1      threaten, warn (someone); هدد، توعد، حذّر؛ تهدید کرد، هشدار داد
attack      18-20 assault, fight      -1      attack, kill, assassinate, bomb, invade; هاجم، قصف، اغتال، قتل؛ حمله کرد، ترور کرد
support     07 provide aid            +1      support, back, arm, fund, aid, defend; دعم، ساند، أيد؛ حمایت کرد، پشتیبانی کرد
meet        04 consult                +1      meet, visit, host, hold talks with; التقى، استقبل، زار، بحث … مع؛ دیدار کرد، با … دیدار
cooperate   03/05/06 cooperate        +1      cooperate, ally, coordinate, sign an agreement with; تعاون، تحالف، نسّق؛ همکاری کرد
demand      10 demand                 -1      demand, urge, call on, press; طالب، دعا، حثّ، ناشد؛ خواستار … شد، از … خواست
deny        016/12 deny, reject       -1      deny, reject, dismiss (someone's claim); نفى، رفض، كذّب؛ تکذیب کرد، رد کرد
=========== ======================== ======== ==========================================================

A relation whose verb is negated ("did not attack", لم يهاجم، حمله نکرد) is kept with ``negated=True``
and left out of stance counts.

Arabic and Persian entries are written in the folded form of
:func:`newsgraph.text.normalize.normalize_for_search` (ا for أ/إ/آ, ه for ة, ي for ى/ی, ك for ک, no
tashkeel, no ZWNJ), because the finders match on folded text and map spans back to the original.
"""

from __future__ import annotations

LEXICON_VERSION = "relations-lexicon-1"

POLARITY = {"praise": 1, "criticize": -1, "threaten": -1, "attack": -1, "support": 1, "meet": 1, "cooperate": 1,
            "demand": -1, "deny": -1}
CAMEO = {"praise": "051", "criticize": "111", "threaten": "13", "attack": "18", "support": "07", "meet": "04",
         "cooperate": "06", "demand": "10", "deny": "016"}
PREDICATES = tuple(POLARITY)

# ------------------------------------------------------------------------------------------- English
# verb lemma -> predicate; the object is the direct object unless EN_PREP_OBJECT names prepositions
EN_VERBS: dict[str, str] = {}
for _predicate, _lemmas in {
    "praise": "praise commend hail applaud laud salute congratulate thank honor honour admire acclaim extol eulogize "
              "eulogise glorify lionize celebrate",
    "criticize": "condemn denounce accuse criticize criticise blame slam blast censure decry rebuke castigate lambaste "
                 "deplore chastise vilify demonize demonise berate disparage excoriate fault reprimand indict mock "
                 "ridicule insult deride sue",
    "threaten": "threaten menace intimidate warn",
    "attack": "attack hit kill assassinate bomb shell invade raid strike murder massacre slaughter shoot target besiege "
              "execute behead ambush storm occupy martyr wound injure destroy assault",
    "support": "support back aid help assist arm fund finance sponsor equip defend protect supply reinforce champion "
               "bankroll shield",
    "meet": "meet visit host receive",
    "cooperate": "cooperate collaborate ally coordinate partner unite",  # joining (a campaign, NATO) is no cooperation
    "demand": "demand urge press pressure implore exhort nudge",
    "deny": "deny reject refute dismiss rebuff repudiate",
}.items():
    for _lemma in _lemmas.split():
        EN_VERBS[_lemma] = _predicate

# lemma -> (predicate, prepositions whose object is the relation's object): these verbs take no direct object
EN_PREP_VERBS: dict[str, tuple[str, tuple[str, ...]]] = {
    "call": ("demand", ("on", "upon")),
    "appeal": ("demand", ("to",)),
    "side": ("support", ("with",)),
    "stand": ("support", ("with", "by", "behind")),
    "rally": ("support", ("behind", "around")),
    "fire": ("attack", ("at", "on", "into")),
    "talk": ("meet", ("with", "to")),
    "speak": ("meet", ("with",)),
    "confer": ("meet", ("with",)),
    "negotiate": ("meet", ("with",)),
    "work": ("cooperate", ("with", "alongside")),
    "lash": ("criticize", ("at",)),
    "retaliate": ("attack", ("against",)),
    "turn": ("criticize", ("on", "against")),
    "rail": ("criticize", ("against", "at")),
}
# extra prepositions accepted after a direct-object verb ("met with X", "cooperate with X", "warn against X")
EN_OBJECT_PREPS: dict[str, tuple[str, ...]] = {
    "meet": ("with",), "cooperate": ("with",), "collaborate": ("with",), "ally": ("with",), "coordinate": ("with",),
    "partner": ("with",), "unite": ("with", "behind"), "attack": ("on",), "strike": ("at", "on"), "press": ("on",),
    "demand": ("from", "of"),
}
# light-verb phrases: verb lemma + noun object -> predicate, object after the noun's preposition
# ("held talks with X", "launched an attack on X", "signed an agreement with X", "provided aid to X")
EN_LIGHT: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("hold", "talk"): ("meet", ("with",)), ("hold", "meeting"): ("meet", ("with",)),
    ("hold", "discussion"): ("meet", ("with",)), ("have", "meeting"): ("meet", ("with",)),
    ("launch", "attack"): ("attack", ("on", "against")), ("carry", "attack"): ("attack", ("on", "against")),
    ("launch", "strike"): ("attack", ("on", "against")), ("launch", "offensive"): ("attack", ("on", "against")),
    ("wage", "war"): ("attack", ("on", "against")), ("declare", "war"): ("attack", ("on", "against")),
    ("sign", "agreement"): ("cooperate", ("with",)), ("sign", "deal"): ("cooperate", ("with",)),
    ("sign", "accord"): ("cooperate", ("with",)), ("forge", "alliance"): ("cooperate", ("with",)),
    ("provide", "support"): ("support", ("to", "for")), ("provide", "aid"): ("support", ("to", "for")),
    ("provide", "assistance"): ("support", ("to", "for")), ("send", "aid"): ("support", ("to",)),
    ("send", "weapon"): ("support", ("to",)), ("express", "support"): ("support", ("for",)),
    ("pay", "tribute"): ("praise", ("to",)), ("heap", "praise"): ("praise", ("on", "upon")),
    ("lavish", "praise"): ("praise", ("on", "upon")), ("go", "rant"): ("criticize", ("against",)), ("level", "accusation"): ("criticize", ("against", "at")),
    ("impose", "sanction"): ("attack", ("on", "against")), ("strike", "deal"): ("cooperate", ("with",)),
    ("strike", "agreement"): ("cooperate", ("with",)), ("reach", "agreement"): ("cooperate", ("with",)),
    ("hold", "summit"): ("meet", ("with",)), ("hold", "call"): ("meet", ("with",)),
    ("file", "lawsuit"): ("criticize", ("against",)), ("file", "suit"): ("criticize", ("against",)),
    ("file", "complaint"): ("criticize", ("against",)), ("file", "charge"): ("criticize", ("against",)),
    ("bring", "charge"): ("criticize", ("against",)), ("levy", "charge"): ("criticize", ("against",)),
    ("level", "charge"): ("criticize", ("against",)), ("bring", "lawsuit"): ("criticize", ("against",)),
}
# particle verbs: (lemma, particle) -> (predicate, prepositions introducing the object): "hit out at", "lashed out at"
EN_PARTICLE: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("hit", "out"): ("criticize", ("at", "against")), ("lash", "out"): ("criticize", ("at", "against")),
    ("strike", "out"): ("criticize", ("at", "against")), ("speak", "out"): ("criticize", ("against",)),
}
# verbs that cancel the act a noun under them names ("blocking assistance for Ukraine", "halted its aid to X")
EN_BLOCKING = frozenset("block halt suspend withhold cut freeze refuse oppose reject end stop cancel deny delay postpone "
                        "avoid".split())
# meeting cues that name a trip: with a place (country, city, building) as object they are no meeting
VISIT_CUES = ("visit", "trip", "tour", "travel", "زار", "يزور", "تزور", "زياره", "سفر", "بازديد")
# heads whose embedded verb is not asserted ("threatened to attack X", "urged X to support Y", "denied attacking X")
EN_NON_FACTUAL_HEADS = frozenset("""
threaten vow plan want seek intend refuse urge ask call demand deny hope promise wish aim prepare
propose consider offer decide expect plot fail need agree pledge set schedule slate due poise likely ready willing
able""".split())
# nouns that name an act between two actors ("a meeting between X and Y", "Trump's accusation that Beijing …",
# "his support for Trump", "backing from X"): noun lemma -> (predicate, prepositions introducing the object)
EN_NOUNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "meeting": ("meet", ("with",)), "talk": ("meet", ("with",)), "summit": ("meet", ("with",)),
    "visit": ("meet", ("to",)), "trip": ("meet", ("to",)),
    "criticism": ("criticize", ("of", "against")), "condemnation": ("criticize", ("of",)),
    "accusation": ("criticize", ("against",)), "allegation": ("criticize", ("against",)),
    "complaint": ("criticize", ("against",)), "charge": ("criticize", ("against",)), "attack": ("attack", ("on", "against")),
    "assault": ("attack", ("on", "against")), "strike": ("attack", ("on", "against")), "rant": ("criticize", ("against",)),
    "support": ("support", ("for", "to", "of")), "backing": ("support", ("for",)),
    "invasion": ("attack", ("of",)), "occupation": ("attack", ("of",)), "bombardment": ("attack", ("of",)),
    "airstrike": ("attack", ("on", "against")), "shelling": ("attack", ("of",)), "aggression": ("attack", ("against",)),
    "offensive": ("attack", ("against", "on")), "donation": ("support", ("to",)), "lawsuit": ("criticize", ("against",)), "aid": ("support", ("to", "for")),
    "assistance": ("support", ("to", "for")), "praise": ("praise", ("for", "of")), "threat": ("threaten", ("to", "against")),
    "agreement": ("cooperate", ("with",)), "alliance": ("cooperate", ("with",)), "cooperation": ("cooperate", ("with",)),
    "deal": ("cooperate", ("with",)), "demand": ("demand", ("on",)), "denial": ("deny", ("of",)),
}
# verbs whose subject receives the act named by their object noun ("West got backing from X")
EN_RECEIVE = frozenset("get receive win draw earn attract face".split())
EN_MODALS = frozenset("could might may would should must can ought".split())

# ------------------------------------------------------------------------------------------- Arabic
# folded past-tense stems (feminine -ت and plural -وا/-ا endings and a pronoun object are added by the
# finder; the conjunctions و/ف in front too) -> (predicate, prepositions that introduce the object)
AR_VERBS: dict[str, tuple[str, tuple[str, ...]]] = {}
for _predicate, _entries in {
    "praise": ["اشاد:ب", "اثني:علي", "امتدح", "مدح", "ثمن", "شكر", "رحب:ب", "هنا"],
    "criticize": ["ادان", "ندد:ب", "اتهم", "انتقد", "شجب", "استنكر", "وبخ"],
    "threaten": ["هدد:ضد", "توعد", "حذر"],
    "attack": ["هاجم", "قصف", "اغتال", "قتل", "استهدف", "اعتدي:علي", "غزا", "اجتاح", "احتل", "ضرب", "اعدم", "اختطف", "شن_هجوما:علي", "شن_غارات:علي", "شن_غاره:علي", "شن_هجوم:علي", "اطلق_صواريخ:علي", "اغار:علي"],
    "support": ["دعم", "ساند", "ايد", "ساعد", "مول", "سلح", "دافع:عن", "وقف_الي_جانب", "قدم_الدعم:ل", "قدم_مساعدات:ل",
                "ناصر", "تضامن:مع"],
    "meet": ["التقي:ب،مع", "قابل", "استقبل", "زار", "اجتمع:ب،مع", "بحث:مع", "التقت:ب،مع", "اجري_محادثات:مع",
             "اجري_اتصالا:ب،مع", "تباحث:مع", "ناقش:مع"],
    "cooperate": ["تعاون:مع", "تحالف:مع", "نسق:مع", "وقع_اتفاقا:مع", "وقع_اتفاقيه:مع", "اتفق:مع", "شارك:مع", "عمل:مع"],
    "demand": ["طالب", "دعا", "حث", "ناشد", "طلب:من"],
    "deny": ["نفي", "رفض", "كذب", "دحض", "فند"],
}.items():
    for _entry in _entries:
        _stem, _, _preps = _entry.partition(":")
        AR_VERBS[_stem.replace("_", " ")] = (_predicate, tuple(p for p in _preps.split("،") if p))
# present-tense forms of the most frequent verbs (SVO headlines: «إيران تدين …», «واشنطن تتهم …»)
AR_PRESENT: dict[str, str] = {
    "يدين": "ادان", "تدين": "ادان", "يتهم": "اتهم", "تتهم": "اتهم", "ينتقد": "انتقد", "تنتقد": "انتقد",
    "يهدد": "هدد", "تهدد": "هدد", "يهاجم": "هاجم", "تهاجم": "هاجم", "يقصف": "قصف", "تقصف": "قصف",
    "يستهدف": "استهدف", "تستهدف": "استهدف", "يدعم": "دعم", "تدعم": "دعم", "يؤيد": "ايد", "تؤيد": "ايد",
    "يلتقي": "التقي", "تلتقي": "التقي", "يستقبل": "استقبل", "تستقبل": "استقبل", "يزور": "زار", "تزور": "زار",
    "يطالب": "طالب", "تطالب": "طالب", "يدعو": "دعا", "تدعو": "دعا", "ينفي": "نفي", "تنفي": "نفي",
    "يرفض": "رفض", "ترفض": "رفض", "يشيد": "اشاد", "تشيد": "اشاد", "يندد": "ندد", "تندد": "ندد",
    "يحذر": "حذر", "تحذر": "حذر", "يبحث": "بحث", "تبحث": "بحث", "يتعاون": "تعاون", "تتعاون": "تعاون",
    "يقتل": "قتل", "تقتل": "قتل", "يشكر": "شكر", "تشكر": "شكر", "يهني": "هنا", "تهني": "هنا", "يحتل": "احتل", "تحتل": "احتل", "يستنكر": "استنكر", "تستنكر": "استنكر",
}
# nouns naming the act (folded, without ال): «اجتماع مع X», «الاتفاق بين روسيا وتركيا», «زيارة أردوغان لألمانيا»
AR_NOUNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "اجتماع": ("meet", ("مع", "ب")), "لقاء": ("meet", ("مع", "ب")), "محادثات": ("meet", ("مع",)), "قمه": ("meet", ("مع",)),
    "زياره": ("meet", ("ل", "الي")), "اتفاق": ("cooperate", ("مع",)), "اتفاقيه": ("cooperate", ("مع",)),
    "اتفاقيات": ("cooperate", ("مع",)), "اجتماعات": ("meet", ("مع",)), "لقاءات": ("meet", ("مع",)),
    "تحالف": ("cooperate", ("مع",)), "تعاون": ("cooperate", ("مع",)), "دعم": ("support", ("ل",)),
    "انتقاد": ("criticize", ("ل",)), "انتقادات": ("criticize", ("ل",)), "ادانه": ("criticize", ("ل",)),
    "اتهام": ("criticize", ("ل",)), "هجوم": ("attack", ("علي",)), "تهديد": ("threaten", ("ل",)),
    "اشاده": ("praise", ("ب",)), "غارات": ("attack", ("علي", "ضد")), "غاره": ("attack", ("علي", "ضد")),
    "هجمات": ("attack", ("علي", "ضد")), "ضربات": ("attack", ("علي", "ضد")), "حرب": ("attack", ("علي", "ضد")),
    "مسانده": ("support", ("ل",)), "شكر": ("praise", ("ل",)), "اتصال": ("meet", ("ب", "مع")),
    "مباحثات": ("meet", ("مع",)), "اتصالات": ("meet", ("مع", "ب")), "مشاورات": ("meet", ("مع",)), "حليف": ("cooperate", ()), "حليفه": ("cooperate", ()),
}
AR_EVENT_NOUNS = frozenset("اغتيال قتل مقتل استشهاد اعتقال احتلال اختطاف اسر اعدام".split())
AR_NEGATORS = ("لم", "لن", "لا", "ما", "ليس", "ولم", "ولن", "ولا")
AR_PREPOSITIONS = frozenset("في من الي علي عن مع ضد حول خلال بين منذ عبر لدي امام بعد قبل".split())
# words that may stand between a verb and its subject's name: titles and offices ("وزير الخارجية …")
AR_MAX_SUBJECT_GAP = 6
AR_MAX_OBJECT_GAP = 16
# light verbs and the act nouns that may follow them in the clause -> (nouns, predicate, object prepositions)
AR_LIGHT: dict[str, tuple[frozenset[str], str, tuple[str, ...]]] = {
    "شن": (frozenset("غارات غاره غارتين هجوما هجوم هجمات حربا حرب حمله حملات ضربات ضربه عمليه عمليات قصفا".split()),
           "attack", ("علي", "ضد")),
    "نفذ": (frozenset("غارات غاره هجوما هجوم هجمات ضربات ضربه".split()), "attack", ("علي", "ضد")),
    "اجري": (frozenset("اتصالا اتصال محادثات مباحثات مشاورات لقاء".split()), "meet", ("ب", "مع")),
    "تلقي": (frozenset("اتصالا اتصال".split()), "meet", ("من",)),
    "وقع": (frozenset("اتفاق اتفاقا اتفاقيه اتفاقيات مذكره بروتوكول اتفاقات".split()), "cooperate", ("مع",)),
    "ابرم": (frozenset("اتفاق اتفاقا اتفاقيه اتفاقيات صفقه".split()), "cooperate", ("مع",)),
    "قدم": (frozenset("شكره الشكر شكر شكرها".split()), "praise", ("ل",)),
}

# ------------------------------------------------------------------------------------------- Persian
# folded noun or verb part -> (predicate, how the object is marked: "را" or a preposition), used with a
# light verb (كرد/كن/نمود/نما/ساخت/داشت/داد/شد/زد) or a simple verb given in full
FA_COMPOUNDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "محكوم": ("criticize", ("را",)), "متهم": ("criticize", ("را",)), "سرزنش": ("criticize", ("را",)),
    "انتقاد": ("criticize", ("از",)), "نكوهش": ("criticize", ("را",)), "تقبيح": ("criticize", ("را",)),
    "تهديد": ("threaten", ("را",)), "هشدار": ("threaten", ("به",)),
    "حمله": ("attack", ("به",)), "ترور": ("attack", ("را",)), "بمباران": ("attack", ("را",)),
    "اشغال": ("attack", ("را",)), "هدف": ("attack", ("را",)), "تجاوز": ("attack", ("به",)),
    "حمايت": ("support", ("از",)), "پشتيباني": ("support", ("از",)), "دفاع": ("support", ("از",)),
    "كمك": ("support", ("به",)), "ياري": ("support", ("به",)),
    "ديدار": ("meet", ("با",)), "ملاقات": ("meet", ("با",)), "گفتگو": ("meet", ("با",)), "گفتوگو": ("meet", ("با",)),
    "رايزني": ("meet", ("با",)), "مذاكره": ("meet", ("با",)), "سفر": ("meet", ("به",)), "بازديد": ("meet", ("از",)),
    "استقبال": ("meet", ("از",)), "ميزباني": ("meet", ("از",)),
    "همكاري": ("cooperate", ("با",)), "ائتلاف": ("cooperate", ("با",)), "اتحاد": ("cooperate", ("با",)),
    "هماهنگي": ("cooperate", ("با",)),
    "تكذيب": ("deny", ("را",)), "رد": ("deny", ("را",)),
    "تقدير": ("praise", ("از",)), "تشكر": ("praise", ("از",)), "تمجيد": ("praise", ("از",)),
    "تحسين": ("praise", ("را", "از")), "قدرداني": ("praise", ("از",)), "ستايش": ("praise", ("را", "از")),
    "تبريك": ("praise", ("به",)),
    "درخواست": ("demand", ("از",)), "توصيه": ("demand", ("به",)), "مسخره": ("criticize", ("را",)),
}
# light verbs (folded): past and present stems with their person endings, optional مي/ن prefixes
_PERFECT = r"(?:ه(?: ?(?:است|اند|بود|بودند|ايم))?)?"  # «کرده»، «کرده است»، «کرده‌اند» (ZWNJ folded away)
FA_LIGHT = (r"(?:ن)?(?:مي ?)?(?:كرد" + _PERFECT + r"(?:ند|يم|م)?|كن(?:د|ند|يم|م)|نمود" + _PERFECT + r"(?:ند)?"
            r"|نما(?:يد|يند|ييم)|ساخت" + _PERFECT + r"(?:ند)?|ساز(?:د|ند)|داد" + _PERFECT + r"(?:ند)?|ده(?:د|ند)|"
            r"داشت" + _PERFECT + r"(?:ند)?|دار(?:د|ند)|شد" + _PERFECT + r"(?:ند)?|شو(?:د|ند)|زد(?:ند)?|رساند(?:ند)?)")
# compound nouns whose complement may stand between noun and light verb («او را متهم به … کرد», «تهدید به حمله کرد»)
FA_GAPPED = frozenset({"متهم", "تهديد"})
# nouns naming the act without a verb: «دیدار اردوغان از آلمان», «توافق اخیر بین سوریه و ترکیه»
FA_NOUNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ديدار": ("meet", ("از", "با")), "سفر": ("meet", ("به",)), "ملاقات": ("meet", ("با",)), "جلسه": ("meet", ("با",)),
    "نشست": ("meet", ("با",)), "مذاكره": ("meet", ("با",)), "مذاكرات": ("meet", ("با",)),
    "توافق": ("cooperate", ("با",)), "اتحاد": ("cooperate", ("با",)), "همكاري": ("cooperate", ("با",)),
    "حمايت": ("support", ("از",)), "انتقاد": ("criticize", ("از",)), "حمله": ("attack", ("به",)),
    "تهديد": ("threaten", ("عليه",)), "محكوميت": ("criticize", ()), "تهديدهاي": ("threaten", ("عليه",)), "گفتگو": ("meet", ("با",)), "گفتوگو": ("meet", ("با",)),
    "رايزني": ("meet", ("با",)), "پشتيباني": ("support", ("از",)), "تجاوز": ("attack", ("به",)),
}
# simple verbs and fixed phrases (folded) -> (predicate, object markers)
FA_SIMPLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "ستود": ("praise", ("را",)), "ستودند": ("praise", ("را",)), "مي ستايد": ("praise", ("را",)),
    "كشت": ("attack", ("را",)), "كشتند": ("attack", ("را",)), "به شهادت رساند": ("attack", ("را",)),
    "به شهادت رساندند": ("attack", ("را",)), "به قتل رساند": ("attack", ("را",)), "به قتل رساندند": ("attack", ("را",)),
    "خواست": ("demand", ("از",)), "خواستند": ("demand", ("از",)), "ميخواست": ("demand", ("از",)),
    "ميخواهد": ("demand", ("از",)), "خواستار": ("demand", ("از",)),
    "پذيرفت": ("meet", ("را",)), "پذيرفتند": ("meet", ("را",)),
}
# "اقدام به ترور X كرد": an action noun after اقدام به takes its object as an ezafe complement
FA_ACTION_NOUNS: dict[str, str] = {"ترور": "attack", "حمله": "attack", "بمباران": "attack", "قتل": "attack",
                                   "حمايت": "support", "تهديد": "threaten"}
FA_EVENT_NOUNS = frozenset("ترور قتل شهادت اعدام بازداشت ربودن".split())  # their ezafe complement is the victim
FA_PREPOSITIONS = frozenset("از به با در بر براي تا عليه ضد درباره توسط روي".split())
FA_PRONOUNS = frozenset("او وي ايشان".split())
FA_MAX_GAP = 14
