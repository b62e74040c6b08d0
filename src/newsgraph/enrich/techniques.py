"""Persuasion techniques at span level, per paragraph language (en, ar, fa).

Every detection is a :class:`TechniqueSpan` into ``article.text`` naming the technique (SemEval-2023
Task 3 taxonomy, :data:`TAXONOMY`), its group, a confidence and the method that fired:

- ``rule:<lang>:<rule>``: a transparent rule or lexicon (:mod:`newsgraph.enrich.techniques_rules`);
  the same rules apply whoever the words are aimed at.
- ``crf:si-en+lr:tc-en``: English spans from the CRF trained on the PTC train split, labelled by the
  logistic-regression technique classifier (``data/techniques/MODEL_CARD.md``).
- ``crf:si-ar``: Arabic spans from one CRF per technique trained on ArPro dev + ArAIEval 2024 dev tweets
  (non-commercial licence, see the model card); where an Arabic rule hit of the same technique overlaps the
  span, the two are one detection, ``crf:si-ar+rule:ar:<rule>``.

Persian has no span-level training data, so it is covered by the rules; :func:`classify_span` exposes the
trained technique classifiers (en, ar) for a span found otherwise.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, replace
from functools import lru_cache

from newsgraph.enrich.techniques_lexicons import LEXICON_VERSION
from newsgraph.enrich.techniques_rules import repetition_hits, rule_hits
from newsgraph.model import Article

TECHNIQUES_VERSION = f"techniques-3; {LEXICON_VERSION}"  # 3: confidences calibrated per language and method


@dataclass
class TechniqueSpan:
    """One persuasion technique found in ``article.text[start:end]``."""

    article_id: str
    start: int
    end: int
    technique: str  # SemEval-2023 Task 3 name, e.g. "Loaded_Language"
    group: str  # one of GROUPS
    confidence: float  # 0..1
    method: str  # "rule:en:loaded-language-lexicon", "crf:si-en+lr:tc-en", …


# name -> (group, definition, {lang: example}); examples are illustrative sentences written for this table.
TAXONOMY: dict[str, tuple[str, str, dict[str, str]]] = {
    "Name_Calling-Labeling": ("Attack_on_Reputation", "A label, usually insulting, for the target instead of an argument.",
        {"en": "These thugs run the city.", "ar": "هؤلاء المرتزقة يديرون المدينة.", "fa": "این مزدوران شهر را اداره می‌کنند."}),
    "Guilt_by_Association": ("Attack_on_Reputation", "Discrediting the target by linking it to a person or group the audience rejects.",
        {"en": "His plan is exactly what the dictator proposed.", "ar": "خطته هي بالضبط ما اقترحه الطاغية.", "fa": "طرح او همان چیزی است که دیکتاتور پیشنهاد کرد."}),
    "Doubt": ("Attack_on_Reputation", "Questioning the credibility of someone or something without evidence (Casting Doubt).",
        {"en": "Can we really trust this so-called expert?", "ar": "هل حقا نثق بما يسمى الخبير؟", "fa": "آیا واقعا می‌توان به این به اصطلاح کارشناس اعتماد کرد؟"}),
    "Appeal_to_Hypocrisy": ("Attack_on_Reputation", "Attacking the target for inconsistency (tu quoque) instead of the point.",
        {"en": "He lectures us on honesty after lying for years.", "ar": "يعظنا عن الصدق بعد سنوات من الكذب.", "fa": "او پس از سال‌ها دروغ‌گویی به ما درس صداقت می‌دهد."}),
    "Questioning_the_Reputation": ("Attack_on_Reputation", "Undermining the character of the target with negative claims.",
        {"en": "Nobody has ever believed a word she says.", "ar": "لم يصدق أحد كلمة مما تقول.", "fa": "هیچ‌کس هرگز یک کلمه از حرف‌هایش را باور نکرده است."}),
    "Flag_Waving": ("Justification", "Justifying an idea by appeal to a group's pride, identity or patriotism.",
        {"en": "For the honour of our nation, we must act.", "ar": "من أجل كرامة الوطن يجب أن نتحرك.", "fa": "برای عزت ملی باید اقدام کنیم."}),
    "Appeal_to_Authority": ("Justification", "Claiming something is true because an authority says so, beyond their expertise or evidence.",
        {"en": "The general said it, so it must be true.", "ar": "قالها الجنرال، إذن هي صحيحة.", "fa": "ژنرال این را گفت، پس حتما درست است."}),
    "Appeal_to_Popularity": ("Justification", "Claiming something is right because many people do or believe it (bandwagon).",
        {"en": "Everyone already supports the plan.", "ar": "الجميع يؤيد الخطة بالفعل.", "fa": "همه از این طرح حمایت می‌کنند."}),
    "Appeal_to_Values": ("Justification", "Linking an idea to values the audience holds (justice, faith, freedom) in place of reasons.",
        {"en": "Any person of faith must support this law.", "ar": "كل مؤمن يجب أن يؤيد هذا القانون.", "fa": "هر انسان با ایمانی باید از این قانون حمایت کند."}),
    "Appeal_to_Fear-Prejudice": ("Justification", "Building support by stoking fear or prejudice about the alternative.",
        {"en": "If we do nothing, they will destroy our way of life.", "ar": "هذا خطر وجودي يهدد أطفالنا.", "fa": "این یک تهدید وجودی برای فرزندان ماست."}),
    "Causal_Oversimplification": ("Simplification", "Assuming one cause for an outcome that has many.",
        {"en": "The real reason for the crisis is one man.", "ar": "السبب الحقيقي وراء الأزمة رجل واحد.", "fa": "تنها دلیل بحران یک نفر است."}),
    "False_Dilemma-No_Choice": ("Simplification", "Presenting two options as the only ones (Black-and-White Fallacy).",
        {"en": "You are either with us or against us.", "ar": "إما معنا أو ضدنا.", "fa": "یا با ما هستید یا علیه ما."}),
    "Consequential_Oversimplification": ("Simplification", "Claiming a first step will inevitably lead to a chain of bad outcomes (slippery slope).",
        {"en": "Allow this and soon there will be no law at all.", "ar": "اسمحوا بهذا وقريبا لن يبقى قانون.", "fa": "اگر این را بپذیریم، به‌زودی هیچ قانونی نمی‌ماند."}),
    "Straw_Man": ("Distraction", "Refuting a distorted version of the opponent's position.",
        {"en": "They want to leave the borders wide open.", "ar": "إنهم يريدون ترك الحدود مفتوحة تماما.", "fa": "آنها می‌خواهند مرزها را کاملا باز بگذارند."}),
    "Red_Herring": ("Distraction", "Diverting attention to an irrelevant topic.",
        {"en": "Talk about the budget? Look at the weather this year.", "ar": "الميزانية؟ انظروا إلى الطقس هذا العام.", "fa": "بودجه؟ به آب و هوای امسال نگاه کنید."}),
    "Whataboutism": ("Distraction", "Answering a criticism by pointing to the critic's own misdeeds.",
        {"en": "What about their own prisons?", "ar": "ماذا عن سجونهم هم؟", "fa": "پس چرا درباره زندان‌های خودشان سکوت می‌کنند؟"}),
    "Slogans": ("Call", "A brief, striking phrase meant to provoke an emotional response.",
        {"en": "No justice, no peace!", "ar": "يسقط الظلم!", "fa": "زنده باد آزادی!"}),
    "Appeal_to_Time": ("Call", "Urging action because the time has come or is running out.",
        {"en": "The time to act is now.", "ar": "حان وقت التحرك الآن.", "fa": "اکنون زمان اقدام است."}),
    "Conversation_Killer": ("Call", "A phrase that discourages critical thought and ends the discussion (thought-terminating cliché).",
        {"en": "It is what it is.", "ar": "وانتهى الأمر.", "fa": "همین است که هست."}),
    "Loaded_Language": ("Manipulative_Wording", "Words or phrases with strong emotional implications to sway the audience.",
        {"en": "A barbaric, cowardly attack.", "ar": "هجوم وحشي جبان.", "fa": "حمله‌ای وحشیانه و ننگین."}),
    "Obfuscation-Vagueness-Confusion": ("Manipulative_Wording", "Deliberately unclear wording that lets the audience read in what it wants.",
        {"en": "Certain circles made certain arrangements.", "ar": "جهات معينة قامت بترتيبات معينة.", "fa": "محافلی خاص ترتیباتی خاص دادند."}),
    "Exaggeration-Minimisation": ("Manipulative_Wording", "Representing something as much better/worse or much smaller than it is.",
        {"en": "The worst disaster in history.", "ar": "أكبر كارثة في التاريخ.", "fa": "بزرگترین فاجعه تاریخ."}),
    "Repetition": ("Manipulative_Wording", "Repeating the same message over and over so the audience accepts it.",
        {"en": "We will win. We will win. We will win.", "ar": "سننتصر، سننتصر، سننتصر.", "fa": "پیروز می‌شویم، پیروز می‌شویم، پیروز می‌شویم."}),
}
GROUPS = sorted({group for group, _, _ in TAXONOMY.values()})

# The 14 SemEval-2020 Task 11 (PTC) labels on the SemEval-2023 taxonomy. Merged PTC classes go to
# their first member (Bandwagon -> Appeal_to_Popularity; Whataboutism,Straw_Men,Red_Herring -> Whataboutism).
PTC_TO_2023: dict[str, str] = {
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_fear-prejudice": "Appeal_to_Fear-Prejudice",
    "Bandwagon,Reductio_ad_hitlerum": "Appeal_to_Popularity",
    "Black-and-White_Fallacy": "False_Dilemma-No_Choice",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration,Minimisation": "Exaggeration-Minimisation",
    "Flag-Waving": "Flag_Waving",
    "Loaded_Language": "Loaded_Language",
    "Name_Calling,Labeling": "Name_Calling-Labeling",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Thought-terminating_Cliches": "Conversation_Killer",
    "Whataboutism,Straw_Men,Red_Herring": "Whataboutism",
}
MODEL_METHOD = "crf:si-en+lr:tc-en"
AR_MODEL_METHOD = "crf:si-ar"


def model_versions() -> str:
    """What shaped the output, for the ``runs`` table: rule/lexicon versions and the shipped model files."""
    import hashlib

    from newsgraph.weights import locate

    folder = (locate("techniques/scores.json") or locate("techniques/si-ar.json"))
    files = sorted(p for p in folder.parent.glob("*") if p.suffix in {".crfsuite", ".npz", ".json"}) if folder else []
    digests = ", ".join(f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()[:12]}" for p in files)
    return f"{TECHNIQUES_VERSION}; {digests or 'no models'}"


def group_of(technique: str) -> str:
    return TAXONOMY[technique][0]


def classify_span(text: str, start: int, end: int, lang: str) -> list[tuple[str, float]]:
    """Trained classifier's techniques (SemEval-2023 names) for ``text[start:end]``, best first; [] without a model."""
    from newsgraph.enrich.techniques_models import classifier

    model = classifier(lang)
    if model is None:
        return []
    return [(PTC_TO_2023.get(label, label), p) for label, p in model.predict(text, start, end, context=lang == "en")]


Hit = tuple[int, int, str, float, str]


def model_spans(text: str) -> list[Hit]:
    """English CRF spans labelled by the technique classifier: (start, end, technique, confidence, method)."""
    return model_spans_batch([text])[0]


def model_spans_batch(texts: list[str]) -> list[list[Hit]]:
    """:func:`model_spans` of several English texts, each model run once over all of them."""
    from newsgraph.enrich.techniques_models import classifier, span_tagger

    tagger, tc = span_tagger("en"), classifier("en")
    if tagger is None or tc is None or not texts:
        return [[] for _ in texts]
    found = tagger.spans_batch(texts)
    items = [(text, s, e) for text, spans in zip(texts, found) for s, e, _ in spans]
    probs = iter(tc.probabilities(items)) if items else iter(())
    out: list[list[Hit]] = []
    for spans in found:
        hits: list[Hit] = []
        for s, e, p_span in spans:
            row = next(probs)
            best = int(row.argmax())
            hits.append((s, e, PTC_TO_2023[tc.classes[best]], round(math.sqrt(p_span * float(row[best])), 3), MODEL_METHOD))
        out.append(hits)
    return out


def _rule_hits(text: str, lang: str) -> list[Hit]:
    return [(s, e, t, c, f"rule:{lang}:{name}") for s, e, t, c, name in rule_hits(text, lang)]


def arabic_hits(text: str) -> list[Hit]:
    """Arabic CRF spans and rule hits of one paragraph; a rule hit overlapping a CRF span of its technique is
    folded into that span (one detection, both methods named, the higher confidence), so nothing is counted twice."""
    from newsgraph.enrich.techniques_models import arabic_tagger

    rules = _rule_hits(text, "ar")
    tagger = arabic_tagger()
    if tagger is None:
        return rules
    model = [[s, e, t, c, AR_MODEL_METHOD] for s, e, t, c in tagger.spans(text)]
    kept: list[Hit] = []
    for s, e, t, c, method in rules:
        agreeing = next((m for m in model if m[2] == t and m[0] < e and s < m[1]), None)
        if agreeing is None:
            kept.append((s, e, t, c, method))
        elif method not in agreeing[4]:
            agreeing[3], agreeing[4] = max(agreeing[3], c), f"{agreeing[4]}+{method}"
    return kept + [(s, e, t, c, m) for s, e, t, c, m in model]


MIN_CONFIDENCE = 0.3  # rules measured below this on PTC train (e.g. English repeated phrases) are not reported


def find_techniques(article: Article, min_confidence: float = MIN_CONFIDENCE) -> list[TechniqueSpan]:
    """Technique spans of every en/ar/fa paragraph plus article-level repetition, sorted, one per (span, technique);
    rule hits only when their confidence is >= ``min_confidence`` (model spans are kept at the model's tuned threshold)."""
    best: dict[tuple[int, int, str], TechniqueSpan] = {}
    english = [p for p in article.paragraphs if (p.lang or article.lang) == "en"]
    modelled = dict(zip(map(id, english), model_spans_batch([article.text[p.start : p.end] for p in english])))
    for para in article.paragraphs:
        lang = para.lang or article.lang or ""
        text = article.text[para.start : para.end]
        hits = arabic_hits(text) if lang == "ar" else _rule_hits(text, lang) + modelled.get(id(para), [])
        for s, e, technique, confidence, method in hits:
            _keep(best, TechniqueSpan(article.id, para.start + s, para.start + e, technique, group_of(technique),
                                      confidence, method))
    if (article.lang or "") in ("en", "ar", "fa"):
        for s, e, technique, confidence, name in repetition_hits(article.text, article.lang or ""):
            _keep(best, TechniqueSpan(article.id, s, e, technique, group_of(technique), confidence,
                                      f"rule:{article.lang}:{name}"))
    kept = [t for t in best.values() if t.confidence >= min_confidence or t.method.startswith("crf:")]
    if not os.environ.get("NEWSGRAPH_TECHNIQUES_RAW"):  # the calibration bench measures the raw detectors
        kept = [_calibrated(t, para_lang(article, t.start)) for t in kept]
    return sorted(kept, key=lambda t: (t.start, t.end, t.technique))


def method_family(method: str) -> str:
    """``model`` when a trained model found the span (alone or with a rule agreeing), else ``rule``."""
    return "rule" if method.startswith("rule:") else "model"


def para_lang(article: Article, at: int) -> str:
    for para in article.paragraphs:
        if para.start <= at < para.end:
            return para.lang or article.lang or ""
    return article.lang or ""


@lru_cache(maxsize=1)
def calibration_table() -> dict[str, dict[str, dict[str, float]]]:
    """lang -> method family -> technique (or "*") -> measured precision (``data/techniques/calibration.json``,
    written by ``bench/technique_calibration.py`` from held-out gold)."""
    from newsgraph.weights import CORE_DATA

    path = CORE_DATA / "techniques" / "calibration.json"
    return json.loads(path.read_text(encoding="utf-8"))["table"] if path.is_file() else {}


def calibrated_confidence(lang: str, method: str, technique: str) -> float | None:
    """The share of such spans that are right on held-out gold: by technique when measured, else the family's."""
    entry = calibration_table().get(lang, {}).get(method_family(method))
    if not entry:
        return None
    return entry.get(technique, entry.get("*"))


def _calibrated(span: TechniqueSpan, lang: str) -> TechniqueSpan:
    value = calibrated_confidence(lang, span.method, span.technique)
    return span if value is None else replace(span, confidence=round(value, 3))


def _keep(best: dict[tuple[int, int, str], TechniqueSpan], span: TechniqueSpan) -> None:
    key = (span.start, span.end, span.technique)
    if span.end > span.start and (key not in best or best[key].confidence < span.confidence):
        best[key] = span


def techniques_component(article: Article) -> Article:
    """Pipeline component: fill ``article.techniques``."""
    spans = find_techniques(article)
    if hasattr(article, "techniques"):
        article.techniques = spans
    else:  # an Article class without the field
        article.__dict__["techniques"] = spans
    return article
