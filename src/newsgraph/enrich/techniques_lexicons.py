"""Hand-written lexicons and cue patterns for the technique rules, per language.

Every entry is a surface marker of a *way of arguing*, never of a side: the same words fire whoever
they are aimed at, and no outlet, party, country or person is named here. Arabic and Persian entries
are written in the folded form of :func:`newsgraph.text.normalize.normalize_for_search` (ي ك ه ا
unified, no tashkeel, no ZWNJ), because the rules match on folded text and map back to the original.
"""

from __future__ import annotations

LEXICON_VERSION = "techniques-lexicons-1"

# English words dropped after measuring on the PTC *train* split (fewer than 40% of their hits fall
# inside a gold propaganda span: these words are mostly used descriptively in news):
# criminal(s), regime, corrupt, evil, massacre, terrorist(s), deadly, radical, destroyed, notorious, globalist(s).
# For the same reason the plain nouns for "disaster" (fa فاجعه/فجایع, ar كارثة) and ar خطير ("serious") are not
# in the lexicons (they name disaster agencies and weather warnings); the adjectives (كارثي, فاجعه‌بار) are.

# ---------------------------------------------------------------- English
EN_LOADED = """
atrocious atrocity atrocities barbaric barbarism brutal brutally brutality catastrophe catastrophic
cowardly cowards coward crazy  despicable devastating devastated diabolical disgrace disgraceful
disgusting draconian  egregious fanatical fanatic fanatics filthy frightening ghastly heinous
horrendous horrible horrific horrifying hysteria hysterical insane insanity lunatic lunatics malicious
 monstrous nefarious  obscene outrage outrageous outrageously pathetic 
reckless ridiculous ruthless savage savagely scandalous shameful shameless shocking sinister slaughter
slaughtered sleazy treacherous treason vicious viciously vile wicked abhorrent appalling abomination
bloodthirsty   crooked deranged destroy  destroying disastrous hateful heroic
heroes glorious martyr martyrs martyrdom sacred infamous toxic witch-hunt ruthlessly disastrously
shamelessly hypocritical hypocrisy propaganda brainwashed brainwashing demonize demonized smear
smears smeared unhinged pathological sickening repugnant grotesque bizarre infuriating
""".split()
EN_NAME_CALLING = """
thug thugs   traitor traitors puppet puppets idiot idiots moron morons fascist
fascists nazi nazis communist communists extremist extremists jihadist jihadists  
tyrant tyrants dictator dictators   liar liars hypocrite hypocrites
snowflake snowflakes radicals mob mafia gangster gangsters crooks warmonger warmongers stooge
stooges lackey lackeys henchmen mercenaries mercenary infidel infidels apostate apostates
""".split()
EN_LOADED_PHRASES = [r"\bwitch[- ]hunt\b", r"\bfake news\b", r"\breign of terror\b", r"\bblood on (?:his|her|their) hands\b"]
EN_NAME_PHRASES = [r"\bzionist (?:regime|entity)\b", r"\b(?:the )?mullahs?(?:'|’)? regime\b", r"\bregime of the mullahs\b",
                   r"\benemies of the people\b", r"\b(?:deep state|lamestream media)\b"]
EN_FEAR = [
    r"\b(?:will|could|would)\s+(?:destroy|wipe out|annihilate|ruin|devastate)\b",
    r"\b(?:threat|danger)\s+to\s+(?:our|the)\s+(?:way of life|children|nation|country|civilization)\b",
    r"\bexistential threat\b",
    r"\bbefore it(?:'s| is) too late\b",
    r"\bif we (?:do nothing|don't act|fail to act)\b",
]
EN_FLAG = [
    r"\b(?:our|the)\s+(?:great\s+)?(?:nation|homeland|motherland|fatherland|country)(?:'s)?\s+"
    r"(?:honou?r|pride|glory|dignity|sovereignty|greatness)\b",
    r"\b(?:true|real|patriotic|every)\s+(?:patriots?|americans?|britons?|citizens?)\b",
    r"\bfor (?:the sake of )?(?:our|the) (?:nation|homeland|motherland|fatherland|country|people)\b",
    r"\b(?:make|keep) (?:\w+ ){0,2}great again\b",
    r"\bpatriotic duty\b",
]
EN_DOUBT = [
    r"\bso[- ]called\b",
    r"\b(?:is|are|was|were) (?:he|she|they|it) (?:really|truly|actually)\b[^.?!\n]*\?",
    r"\bcan (?:we|anyone|you) (?:really|truly|trust|believe)\b[^.?!\n]*\?",
    r"\b(?:questionable|dubious|alleged) (?:motives|claims|evidence|credentials)\b",
]
EN_WHATABOUT = [
    r"\bwhat about\b[^.?!\n]*\?",
    r"\b(?:but|and) what of\b[^.?!\n]*\?",
    r"\b(?:the same|these same) (?:people|politicians|media|critics) who\b",
]
EN_CLICHES = [
    r"\bit is what it is\b",
    r"\bend of (?:story|discussion)\b",
    r"\benough (?:is enough|said)\b",
    r"\bthat'?s (?:just )?the way it is\b",
    r"\bat the end of the day\b",
    r"\bnothing (?:more|else) to (?:say|discuss)\b",
    r"\bperiod\.\s*$",
    r"\bdon'?t overthink it\b",
    r"\bthe rest is history\b",
]
EN_CAUSAL = [
    r"\b(?:is|are|was|were) (?:solely|entirely|single-handedly|wholly) (?:to blame|responsible)\b",
    r"\bthe (?:real|only|sole|root) (?:reason|cause) (?:for|of|behind|why)\b",
    r"\ball because of\b",
    r"\b(?:is|are) the reason (?:why|for)\b",
]
EN_EXAGGERATION = [
    r"\b(?:the (?:worst|greatest|biggest|most dangerous|deadliest) \w+ (?:in|of) (?:history|all time|the world|our time))\b",
    r"\bof all time\b",
    r"\b(?:never|ever) (?:before )?in (?:human |our )?history\b",
    r"\b(?:millions|billions) (?:and (?:millions|billions) )?of (?:innocent )?(?:people|lives)\b",
    r"\bnothing but\b",
    r"\b(?:absolutely|utterly|totally|completely) (?:destroyed|failed|wrong|false|unacceptable|ruined|insane)\b",
    r"\bonly a (?:few|handful|tiny)\b",
    r"\b(?:mere|merely|just) a (?:scratch|handful|blip)\b",
]
EN_SLOGAN_CUES = [
    r"\b(?:death|down|glory|long live|victory|freedom|power) (?:to|with) (?:the )?\w+(?: \w+)?!",
    r"\b(?:no|not) (?:justice|peace), no (?:peace|justice)\b",
    r"\b(?:lock|send) (?:her|him|them) (?:up|back)\b",
    r"\bbuild the wall\b",
    r"\bdrain the swamp\b",
]

# ---------------------------------------------------------------- Arabic (folded)
AR_LOADED = """
وحشي وحشيه وحشيا همجي همجيه همجيا بربري بربريه اجرامي اجراميه اجرام ارهابي ارهابيه ارهاب
مجزره مجازر ابشع بشع بشعه شنيع شنيعه فظيع فظيعه فظائع مروع مروعه  كارثي كارثيه 
خبيث خبيثه غادر غادره غاشم غاشمه جبان جبانه جبناء حاقد حاقده حقير حقيره دنيء مشين مشينه فاضح
فاضحه مخز مخزي مخزيه عار وقح وقحه وقاحه سافر سافره صارخ صارخه فاشل فاشله فشل ذريع ذريعه
عدوان عدواني عدوانيه عدوانه غطرسه متغطرس استبداد مستبد قمع قمعي قمعيه تنكيل بطش
شهيد شهداء الشهيد الشهداء بطولي بطوليه ابطال الابطال بطل الصمود الباسل الباسله المجيد
المجيده العظيم العظيمه الخالد الخالده مقدس المقدسه المقدس مؤامره المؤامره متامر تامر
الفتنه فتنه الخراب دمار الدمار تدمير خراب المشؤوم المشؤومه الاحتلال الغاصب الغاصبه
ابتزاز تضليل اكاذيب اكذوبه افتراء افتراءات مزاعم المزعوم المزعومه
قاتل قتله القتله شيطنه مروعه شمولي قذر قذاره مختل متهور متهوره كاذب كاذبه كاذبون رعب الرعب
تعذيب فضيحه فضائح رهيب رهيبه نفاق كراهيه الكراهيه غبي غباء شيطان شيطاني شيطانيه الشر شرير اشرار
استبدادي استبداديه مرعب مرعبه وقح مضلل مضلله مخادع خداع لعين ملعون عدائي عدائيه طفولي ساذج
تافه تافهه مميت مميته كاره اهانه مهين مهينه ابادة اباده جماعيه دموي دمويه داميه مأساه ماساه
ماساوي ماساويه فادح فادحه مدمر مدمره مرير مريره شرس شرسه ضاري ضاريه صادم صادمه مخيف مخيفه
استفزاز استفزازي استفزازيه عربده عنجهيه تبجح انتقام انتقامي نكبه جحيم كابوس سرطان مسعور مسعوره
هستيري هستيريه هستيريا جنون مجنون مجنونه الفوضي فوضي انهيار مدوي مدويه ساحق ساحقه باهر باهره
مذهل مذهله رائع رائعه عظيم عظيمه جبار جباره هائل هائله طفره  بطولات انجازات ملحمه
ملحمي ظالم ظالمه ظلم الظلم الطغيان طغيان جرائم جريمه بشعه مجرم فاشيه فاشي عنصري عنصريه
 خيانه الخيانه غدر الغدر مذله ذل الذل هوان الهوان خنوع ركوع استسلام مهزله هزيل هزيله
""".split()
AR_NAME_CALLING = """
عملاء عميل العملاء الخونه خونه خائن الخائن مرتزقه المرتزقه ارهابيين الارهابيين ارهابيون الارهابيون
التكفيريين التكفيريون تكفيريه المتطرفين المتطرفون متطرفين ميليشيات الميليشيات ميليشيا مليشيات
المليشيات عصابات العصابات عصابه العصابه الطغاه طاغيه الطاغيه الدكتاتور الديكتاتور ديكتاتور
 ابواق الابواق ازلام اذناب اذيال بلطجيه البلطجيه شبيحه الشبيحه المجرمين المجرمون مجرمين
المنافقين المنافقون الصهاينه الصهيوني الصهيونيه  الاستكبار المستكبرين الغزاه المحتلين المحتل
الدواعش الخوارج الظلاميين الانقلابيين الانقلابيون الرجعيه
الملالي الروافض المجوس الصفويين الصفوي النواصب الكفار كفار المرتدين  لصوص اللصوص
السفاح السفاحين سفاح جزار الجزار  قطعان الغوغاء غوغاء رعاع الرعاع دمي دميه الدمي
""".split()
# Arabic translations of the English lexicons above (one or more renderings per English entry).
AR_LOADED += """
مقزز مقززه سخيف سخيفه سخافه قاس قاسيه  سام سامه دعايه غسيل تشويه بغيض بغيضه مخز مشين
فظ وحشيه همجيه مهووس مهووسون متعصب متعصبون
""".split()
AR_NAME_CALLING += """
احمق اغبياء كذاب كذابين كذابون نازي نازيون فاشي فاشيون متطرف متطرفون مافيا  
ابله حمقي
""".split()
AR_LOADED_PHRASES = [r"تطهير عرقي", r"نقله نوعيه", r"سيء السمعه", r"حمام دم", r"حرب اباده", r"اباده جماعيه"]
AR_NAME_PHRASES = [r"قطاع الطرق", r"تجار (?:الحروب|الدم|الدين)", r"دعاه الحرب", r"الكيان (?:الصهيوني|الغاصب|المحتل)",
                   r"نظام الملالي", r"ابواق (?:النظام|الاعلام)", r"قطعان المستوطنين"]
# Arabic praise and intensifier vocabulary of official and partisan news (written from general knowledge of the
# register, before looking at any ArPro paragraph): evaluative adjectives that carry the writer's judgement.
AR_LOADED += """
الرشيده الرشيد الحكيمه الحكيم السديده سديده حثيثه الحثيثه العملاقه عملاقه الجباره الهائله المتميزه
الباهر الباهره الفذ الفذه النبيله النبيل الساميه السامي المخلصه المخلص الشرفاء الاوفياء الابيه الابي
الصامد الصامده البواسل الغاشم الغاشمه السافر السافره الشنعاء النكراء الجائر الجائره الظالمه الهمجي
الهمجيه الوحشي الهستيري الدنيء الدنيئه الخسيس الخسيسه الجبان الجبانه الفاشل الفاشله الفاسد الفاسده
المشبوه المشبوهه المسمومه المغرضه مغرضه المضلله الزائفه زائفه الواهيه واهيه الباطله باطله الرخيصه
الحاقده الخبيثه المشينه المخزيه الفاضحه المروعه المفجعه المؤلمه المؤسفه فاجعه الفاجعه مأساويه
بطوليه ملحميه المسبوقه الهائل الجبار الخالده العظماء المجيده الغاليه الطاهره
""".split()
AR_DOUBT = [r"ما يسمي", r"ما يسمى", r"المزعوم[ه]?", r"المزعومه", r"هل (?:حقا|فعلا|يعقل)[^.؟?\n]*[؟?]"]
AR_FEAR = [r"خطر (?:داهم|وجودي|محدق)", r"تهديد (?:وجودي|خطير)", r"قبل فوات الاوان", r"سيدمر", r"ستدمر", r"كارثه (?:انسانيه|محققه)"]
AR_FLAG = [r"(?:كرامه|عزه|شرف|سياده) (?:الوطن|الامه|الشعب|بلادنا)", r"الوطن الغالي", r"تراب الوطن", r"ابناء الوطن",
           r"الامه (?:العربيه|الاسلاميه) (?:المجيده|العظيمه)", r"الشعب العظيم", r"شعبنا (?:العظيم|الابي|الصامد)"]
AR_WHATABOUT = [r"(?:ولماذا|لماذا) لا (?:يتحدث|يتكلم)[^.؟?\n]*[؟?]", r"ماذا عن[^.؟?\n]*[؟?]", r"اين كان[^.؟?\n]*[؟?]"]
AR_EXAGGERATION = [r"(?:اكبر|اخطر|ابشع|افظع|اسوا) [^\s.،]+ (?:في|عبر) (?:التاريخ|العالم|العصر)", r"علي الاطلاق",
                   r"على الاطلاق", r"لا مثيل له", r"غير مسبوق[ه]?", r"بشكل غير مسبوق", r"ملايين الابرياء"]
AR_CAUSAL = [r"السبب (?:الوحيد|الحقيقي|الرئيسي) (?:في|وراء|ل)", r"يتحمل (?:وحده|كامل) المسؤوليه"]
AR_CLICHES = [r"وانتهي الامر", r"وانتهى الامر", r"هذا هو الواقع", r"الحق احق ان يتبع"]
AR_SLOGAN_CUES = [r"الموت (?:ل|الي |الى )[^\s.،!]+(?: [^\s.،!]+)?", r"يسقط [^\s.،!]+(?: [^\s.،!]+)?",
                  r"يحيا [^\s.،!]+(?: [^\s.،!]+)?", r"عاش [^\s.،!]+(?: [^\s.،!]+)?!", r"بالروح بالدم"]

# ---------------------------------------------------------------- Persian (folded)
FA_LOADED = """
وحشيانه وحشي جنايتكار جنايتكاران جنايت جنايات  فجيع  هولناك شنيع كثيف پليد
خبيث خبيثانه ننگين ننگ شرم‌آور شرماور رسوا رسوايي مفتضح مفتضحانه وقيح وقيحانه گستاخانه گستاخ
ظالمانه ظالم ظلم ستمگر ستمگري سفاك سفاكي خونخوار خونين جنون ديوانه ديوانگي فاسد فساد
مزدور مزدوران توطئه دسيسه ياوه ياوه‌گويي ياوه‌گويي لجن فتنه فتنه‌گر فتنه‌گري اشغالگر اشغالگري
شهيد شهيدان شهدا قهرمان قهرمانان قهرمانانه حماسه حماسي مقدس عظيم باشكوه غيور شجاع دلاور سرافراز
استكبار استكباري تجاوز متجاوز متجاوزان سلطه‌گر سلطه‌گري غارتگر غارتگري نسل‌كشي نسلكشي كشتار
""".split()
FA_NAME_CALLING = """
تروريست تروريستها تروريست‌ها تروريستي خائن خائنين خائنان مزدوران مزدور جاسوس جاسوسان
منافق منافقين منافقان اراذل اوباش اغتشاشگر اغتشاشگران آشوبگر آشوبگران ديكتاتور مستبد
 تكفيري تكفيريها تكفيري‌ها داعشي داعشيها جنايتكار جنايتكاران صهيونيست صهيونيستي
استكبار سلطه‌گران غارتگران جيره‌خوار جيره‌خواران وطن‌فروش وطن‌فروشان عوامل عروسك عروسك‌هاي
""".split()
# Persian translations of the English lexicons above (one or more renderings per English entry).
FA_LOADED += """
وحشیانه بربر بربریت بی‌رحمانه بی‌رحم فاجعه‌بار ترسو بزدل بزدلانه دیوانه دیوانگی نفرت‌انگیز ویرانگر
شرم‌آور مشمئزکننده منزجرکننده متعصب متعصبانه کثیف ترسناک وحشتناک مخوف هیستری هیستریک جنون‌آمیز
بدخواهانه هیولا شریرانه شرور رذیلانه رذل مضحک مسخره بی‌پروا بی‌شرم بی‌شرمانه تکان‌دهنده شوم خائنانه
خیانت خیانت‌آمیز کینه‌توز کینه‌توزانه نفرت‌آمیز منفور بدنام سمی شستشوی اهریمنی اهریمن شیطانی شیطان
تهمت لجن‌پراکنی بیمارگونه مهوع مضحکه خشم‌آور افتضاح
""".split()
FA_NAME_CALLING += """
دست‌نشانده احمق ابله کودن فاشیست فاشیست‌ها نازی افراطی افراطیون جبار دروغگو دروغگویان ریاکار ریاکاران
مافیا گانگستر تبهکار تبهکاران جنگ‌طلب جنگ‌طلبان نوکر نوکران کافر کافران
""".split()
FA_LOADED_PHRASES = [r"نسل ?كشي", r"حمام خون", r"شستشوي مغزي", r"اخبار جعلي"]
FA_NAME_PHRASES = [r"رژيم (?:صهيونيستي|اشغالگر|غاصب|آخوندي|ملاها|جنايتكار|كودك ?كش)", r"آخوندها", r"ملاها", r"وطن ?فروشان?",
                   r"جيره ?خواران?", r"دست ?نشاندگان?"]
FA_DOUBT = [r"به اصطلاح", r"موسوم به", r"ادعايي", r"ادعاي (?:واهي|دروغين)", r"آيا (?:واقعا|براستي|به راستي)[^.؟?\n]*[؟?]"]
FA_FEAR = [r"خطر (?:جدي|بزرگ|وجودي)", r"تهديد (?:جدي|وجودي|بزرگ)", r"پيش از آنكه دير شود", r"قبل از اينكه دير شود",
           r"نابود خواهد", r"فاجعه (?:انساني|بزرگ)"]
FA_FLAG = [r"(?:عزت|عظمت|شرف|غرور|استقلال) (?:ملي|ميهن|وطن|ملت)", r"ملت (?:بزرگ|شريف|سرافراز|قهرمان)",
           r"خاك (?:ميهن|وطن)", r"ميهن عزيز", r"وطن عزيز", r"امت (?:اسلامي|اسلام) (?:بزرگ|واحد)"]
FA_WHATABOUT = [r"چرا (?:درباره|در مورد)[^.؟?\n]*(?:سكوت|حرفي)[^.؟?\n]*[؟?]", r"پس (?:چرا|كجا)[^.؟?\n]*[؟?]",
                r"كجا بودند[^.؟?\n]*[؟?]"]
FA_EXAGGERATION = [r"(?:بزرگترين|بدترين|بزرگ‌ترين|بدترين|وحشتناك‌ترين|وحشتناكترين) [^\s.،]+ (?:تاريخ|جهان|دنيا)",
                   r"بي‌سابقه", r"بيسابقه", r"بي سابقه", r"هرگز (?:هيچ|در تاريخ)", r"به هيچ وجه", r"هيچ‌گاه", r"ميليونها انسان"]
FA_CAUSAL = [r"تنها (?:دليل|علت|عامل)", r"علت (?:اصلي|واقعي) [^.،\n]{0,30}(?:است|بود)", r"مقصر (?:اصلي|تمام|همه)"]
FA_CLICHES = [r"والسلام", r"همين است كه هست", r"حرف آخر را", r"بحث تمام است"]
FA_SLOGAN_CUES = [r"مرگ بر [^\s.،!]+(?: [^\s.،!]+)?", r"زنده باد [^\s.،!]+(?: [^\s.،!]+)?", r"درود بر [^\s.،!]+(?: [^\s.،!]+)?",
                  r"نابود باد [^\s.،!]+(?: [^\s.،!]+)?", r"الله اكبر"]
