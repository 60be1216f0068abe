#!/usr/bin/env python3
"""Build the held-out evaluation sets in this folder (stdlib only, fixed seed).

    python3 quality/make_sets.py            # writes routing-longtail.jsonl and kb-questions.jsonl
    python3 quality/make_sets.py --stats    # also prints the statistics used in README.md

Routing set: base texts are written by hand in quality/bank/routing_*.txt (several hundred,
one per line, per service).  This script only *selects* them with a skewed per-service
quota, fills a few place slots, wraps some in channel-typical openings/closings, and
perturbs them the way real input is perturbed (missing ä/ö, typos, run-together words,
spoken-Finnish forms, lower case).  It then adds exact duplicates, empty texts, and rows
carrying retired codes (quality/bank/routing_e.txt), as a real export would contain.

KB set: questions and their relevance labels are written by hand in
quality/bank/kb_questions.txt; this script validates the article ids against
/work/shared/eval/kb/articles.jsonl and numbers the questions.

Nothing is read from the shared routing/KB question files: only the catalogue (codes,
accepted types) and the article list (ids) are read, to validate labels.
"""
from __future__ import annotations

import collections
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BANK = HERE / "bank"
SHARED = Path("/work/shared")
CATALOGUE = SHARED / "catalogue" / "catalogue.json"
ARTICLES = SHARED / "eval" / "kb" / "articles.jsonl"
SEED = 13

# Skewed quota per service: a few services with hundreds of rows, a long tail.
QUOTA = {
    "katujen-kunnossapito": 270,
    "yleisneuvonta": 185,
    "palaute": 105,
    "pysakointivirhemaksu": 85,
    "laskutus": 75,
    "puistot": 66,
    "paivahoitohakemus": 56,
    "ymparistohaitta": 45,
    "kassapalvelu": 32,
    "asukaspysakointi": 30,
    "sahkoisen-asioinnin-opastus": 27,
    "kaupunkikortti": 25,
    "liikuntapaikkavaraus": 23,
    "kouluun-ilmoittautuminen": 24,
    "venepaikka": 21,
    "kirjastokortti": 18,
    "latujen-kunto": 16,
    "seniorineuvonta": 14,
    "tapahtumat-liput": 12,
    "kesatyo": 11,
    "meluilmoitus": 8,
    "rakennuslupa-neuvonta": 9,
    "jatevesi-haja-asutus": 6,
    "aamu-iltapaivatoiminta": 6,
    "uimakoulu": 5,
    "tilavaraus": 5,
    "viljelypalsta": 4,
    "asiakirjapyynto": 4,
    "kalastuslupa": 4,
    "maksukatto": 3,
    "tonttikartta": 3,
    "leirit": 3,
    "nuorisotilat": 3,
    "aloite": 2,
    "kaavoitus-nahtavilla": 2,
    "tulkkaus": 2,
    "palkka-neuvonta": 2,
    "veteraanipysakointi": 2,
    "kaukolaina": 2,
    "matkailuneuvonta": 2,
    "tilapainen-viitoituslupa": 1,
    "hakkuutahdelupa": 1,
    "ruoppausilmoitus": 1,
    "kulttuuriavustus": 1,
    "kohdeavustus": 1,
    "urheilijalippu": 1,
    "tyollistaminen": 1,
    "ilmoitustaulu": 1,
    "luottamushenkilot": 1,
}
# Retired codes in the "old export" rows (not in today's catalogue).
RETIRED = {
    "joukkoliikenne-neuvonta": "liikenne",
    "vuokra-asunnot": "asuminen",
    "jatehuolto": "tekninen",
    "terveysneuvonta": "terveys",
    "sosiaalitoimi": "sosiaali",
}
LANG_WEIGHTS = {"fi": 0.78, "sv": 0.13, "en": 0.09}
N_DUPLICATES = 24
KB_ANSWERED = 255          # answerable questions kept in kb-questions.jsonl
N_EMPTY = 6

STREETS = [  # (nominative, adessive)
    ("Pajukatu", "Pajukadulla"), ("Haapatie", "Haapatiellä"), ("Tehtaankatu", "Tehtaankadulla"),
    ("Myllytie", "Myllytiellä"), ("Asemakatu", "Asemakadulla"), ("Puistokatu", "Puistokadulla"),
    ("Vanha Postitie", "Vanhalla Postitiellä"), ("Lehtolankuja", "Lehtolankujalla"),
    ("Ojalantie", "Ojalantiellä"), ("Kuusikkorinne", "Kuusikkorinteellä"),
    ("Rantakatu", "Rantakadulla"), ("Kivikatu", "Kivikadulla"), ("Koulukatu", "Koulukadulla"),
    ("Pellervontie", "Pellervontiellä"), ("Kanervakuja", "Kanervakujalla"),
    ("Satamakatu", "Satamakadulla"), ("Harjuntie", "Harjuntiellä"), ("Sepänkatu", "Sepänkadulla"),
    ("Kirkkokatu", "Kirkkokadulla"), ("Metsolantie", "Metsolantiellä"), ("Ruukinkatu", "Ruukinkadulla"),
    ("Pihlajapolku", "Pihlajapolulla"), ("Kylämäentie", "Kylämäentiellä"), ("Torikatu", "Torikadulla"),
]
DISTRICTS = [  # (nominative, locative)
    ("Kylämäki", "Kylämäellä"), ("Peltola", "Peltolassa"), ("Pohjoislahti", "Pohjoislahdella"),
    ("Harju", "Harjussa"), ("Koivikko", "Koivikossa"), ("Myllypuro", "Myllypurossa"),
    ("Satamaranta", "Satamarannassa"), ("Kuusela", "Kuuselassa"), ("Asemanseutu", "Asemanseudulla"),
    ("Saarenpää", "Saarenpäässä"), ("Keskusta", "keskustassa"), ("Hietaranta", "Hietarannassa"),
]
NAMES = ["Matti", "Sari", "J. Virtanen", "Tuula Mäkinen", "Pekka", "Anna-Liisa", "Mikko K.",
         "Riikka", "Hannu Laine", "Eeva", "Jari", "Minna Salo", "T. Heikkinen", "Leena", "Ville"]
SV_NAMES = ["Johan", "Anna Lindqvist", "Mikael", "Birgitta", "K. Nyström"]
EN_NAMES = ["John", "Maria", "A. Kowalski", "Priya", "Tom", "Elena R."]

OPEN = {
    ("fi", "email"): ["Hei,", "Hei!", "Hyvä vastaanottaja,", "Moi,", "Terve,", "Hei teille,", "Päivää.", ""],
    ("fi", "portal"): ["", "", "", "Hei.", "Hei,"],
    ("fi", "chat"): ["", "", "moi", "hei", "moikka,"],
    ("sv", "email"): ["Hej,", "Hej!", "Bästa mottagare,", "Hejsan,", ""],
    ("sv", "portal"): ["", "", "Hej."],
    ("sv", "chat"): ["", "hej", "hej!"],
    ("en", "email"): ["Hello,", "Hi,", "To whom it may concern,", "Good morning,", ""],
    ("en", "portal"): ["", "", "Hi."],
    ("en", "chat"): ["", "hi", "hello"],
}
CLOSE = {
    ("fi", "email"): ["Kiitos!", "Ystävällisin terveisin", "Terveisin", "t.", "Kiitos vastauksesta etukäteen.",
                      "Odotan vastaustanne.", "Kiitos ja hyvää päivänjatkoa", ""],
    ("fi", "portal"): ["", "", "", "Kiitos.", "Toivon vastausta.", "Yhteydenotto sähköpostilla kiitos."],
    ("fi", "chat"): ["", "", "kiitos", "?", "kiitti"],
    ("sv", "email"): ["Tack på förhand!", "Med vänliga hälsningar", "Hälsningar", ""],
    ("sv", "portal"): ["", "", "Tack."],
    ("sv", "chat"): ["", "tack"],
    ("en", "email"): ["Thank you.", "Best regards,", "Kind regards,", "Thanks in advance!", ""],
    ("en", "portal"): ["", "", "Thanks."],
    ("en", "chat"): ["", "thanks", "thx"],
}
# Spoken-Finnish substitutions (word-level, applied with a probability each).
COLLOQUIAL = [
    (r"\bminä\b", "mä"), (r"\bMinä\b", "Mä"), (r"\bminun\b", "mun"), (r"\bMinun\b", "Mun"),
    (r"\bminulla\b", "mulla"), (r"\bMinulla\b", "Mulla"), (r"\bminulle\b", "mulle"),
    (r"\bminua\b", "mua"), (r"\bsinä\b", "sä"), (r"\bsinun\b", "sun"), (r"\bei ole\b", "ei oo"),
    (r"\ben ole\b", "en oo"), (r"\bEn ole\b", "En oo"), (r"\bon ollut\b", "on ollu"),
    (r"\btämän\b", "tän"), (r"\btämä\b", "tää"), (r"\bTämä\b", "Tää"), (r"\bolen\b", "oon"),
    (r"\bOlen\b", "Oon"), (r"\bettä\b", "et"), (r"\bsitten\b", "sit"), (r"\bmeidän\b", "meiän"),
    (r"\btarvitsen\b", "tarviin"), (r"\btarvitsisin\b", "tarvisin"), (r"\bvoisiko\b", "vois"),
    (r"\bmitään\b", "mitää"), (r"\bkanssa\b", "kans"), (r"\bniin kuin\b", "niinku"),
    (r"\bhaluaisin\b", "haluisin"), (r"\bpitäisi\b", "pitäis"), (r"\bolisi\b", "ois"),
]
NEIGHBOURS = "qwertyuiopåasdfghjklöäzxcvbnm"


def load_catalogue():
    cat = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    services = {s["code"]: s for s in cat["services"]}
    departments = {d["code"] for d in cat["departments"]}
    types = {t["code"] for t in cat["request_types"]}
    return services, departments, types


def parse_bank(paths):
    rows = []
    for path in paths:
        service = None
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            if line.startswith("#"):
                m = re.fullmatch(r"#\s*([a-z0-9-]+)\s*", line)
                service = m.group(1) if m else service if "|" not in line else service
                if m is None:
                    continue
                continue
            lang, rtype, text = line.split("|", 2)
            rows.append({"service": service, "tag": lang, "type": rtype, "text": text.strip(),
                         "src": f"{path.name}:{lineno}"})
    return rows


def lang_of(tag):
    if tag == "note":
        return "fi"
    if tag.startswith("mix"):
        return tag[3:]
    return tag


def fill_slots(text, rng):
    def street(m):
        nom, ade = rng.choice(STREETS)
        return ade if m.group(1) == "kl" else nom

    def district(m):
        nom, loc = rng.choice(DISTRICTS)
        return loc if m.group(1) == "al" else nom

    text = re.sub(r"\{(kl|k)\}", street, text)
    text = re.sub(r"\{(al|a)\}", district, text)
    text = re.sub(r"\{n\}", lambda m: str(rng.randint(1, 9)), text)
    return text


def strip_diacritics(text):
    return text.translate(str.maketrans("äöåÄÖÅ", "aoaAOA"))


def typo(text, rng, n):
    chars = list(text)
    for _ in range(n):
        idx = [i for i, c in enumerate(chars) if c.isalpha()]
        if len(idx) < 6:
            break
        i = rng.choice(idx[1:-1])
        op = rng.random()
        if op < 0.35 and i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]          # swap
        elif op < 0.6:
            del chars[i]                                             # drop
        elif op < 0.8:
            chars.insert(i, chars[i])                                # double
        else:
            chars[i] = rng.choice(NEIGHBOURS)                        # wrong key
    return "".join(chars)


def run_together(text, rng):
    spaces = [m.start() for m in re.finditer(r"(?<=\w) (?=\w)", text)]
    if not spaces:
        return text
    i = rng.choice(spaces)
    return text[:i] + text[i + 1:]


def colloquialise(text, rng):
    for pat, rep in COLLOQUIAL:
        if re.search(pat, text) and rng.random() < 0.7:
            text = re.sub(pat, rep, text)
    return text


def perturb(text, lang, tag, channel, rng):
    if tag == "note":
        # advisor notes: abbreviations and the occasional typo, never spoken forms
        if rng.random() < 0.25:
            text = text.replace("Asiakas", "As.", 1) if rng.random() < 0.5 else text
        if rng.random() < 0.2:
            text = typo(text, rng, 1)
        return text
    informal = channel == "chat" or rng.random() < 0.35
    if lang == "fi" and informal and rng.random() < 0.6:
        text = colloquialise(text, rng)
    if lang in ("fi", "sv") and rng.random() < (0.35 if channel == "chat" else 0.12):
        text = strip_diacritics(text)
    if rng.random() < (0.30 if channel == "chat" else 0.20):
        text = typo(text, rng, 1 if len(text) < 40 else rng.choice([1, 1, 1, 2, 2, 3]))
    if rng.random() < 0.08:
        text = run_together(text, rng)
    if channel == "chat" and rng.random() < 0.5 or rng.random() < 0.08:
        text = text.lower().rstrip(".!")
    return text


def wrap(text, lang, tag, channel, rng):
    if tag == "note" or len(text) < 25:
        return text
    key = (lang, channel)
    if key not in OPEN:
        return text
    opening = rng.choice(OPEN[key])
    if re.match(r"(?i)(hei|moi|terve|hej|hi|hello|dear)\b", text):
        opening = ""   # the writer already greeted
    closing = rng.choice(CLOSE[key])
    if channel == "email":
        name = rng.choice({"fi": NAMES, "sv": SV_NAMES, "en": EN_NAMES}[lang])
        parts = [p for p in (opening, text) if p]
        out = "\n\n".join(parts)
        if closing:
            out += "\n\n" + closing + ("\n" + name if rng.random() < 0.7 else "")
        elif rng.random() < 0.5:
            out += "\n" + name
        return out
    out = " ".join(p for p in (opening, text, closing) if p)
    if len(out) < 90 and rng.random() < 0.03:
        out = out.upper()   # caps-lock messages
    return out


def pick_channel(tag, rng, text=""):
    if tag == "note":
        if re.search(r"soitti|Soitto|Puhelu|Soittaja|puhelimessa|puhelu", text):
            return "phone"
        if re.search(r"palvelupiste|kävi|toi |tiskillä|tuli |digitukipisteellä|pisteellä", text):
            return "service_point"
        return "phone" if rng.random() < 0.65 else "service_point"
    r = rng.random()
    if r < 0.42:
        return "portal"
    if r < 0.72:
        return "email"
    if r < 0.88:
        return "chat"
    if r < 0.95:
        return "phone"          # caller's own words typed in by the advisor
    return "service_point"      # paper form handed in at the desk


ADDON_FI = [
    "Ja sit vielä yks juttu: ", "Samalla kysyisin, ", "PS. ", "Ja toinen asia, ", "Lisäksi: ",
]


def build_routing(stats=False):
    services, departments, types = load_catalogue()
    bank = parse_bank(sorted(BANK.glob("routing_[abcd].txt")))
    retired = parse_bank([BANK / "routing_e.txt"])
    for r in bank:
        s = services.get(r["service"])
        assert s, f"unknown service {r['service']} at {r['src']}"
        assert r["type"] in s["types"], f"type {r['type']} not accepted by {r['service']} at {r['src']}"
        assert r["tag"] in ("fi", "sv", "en", "note", "mixfi", "mixen", "mixsv"), r["src"]
    for r in retired:
        assert r["service"] in RETIRED and r["type"] in types, r["src"]
    assert set(QUOTA) <= set(services)
    for d in (services[s]["department"] for s in QUOTA):
        assert d in departments

    rng = random.Random(SEED)
    by_service = collections.defaultdict(list)
    for r in bank:
        by_service[r["service"]].append(r)

    rows = []
    seen_texts = set()
    for service, quota in QUOTA.items():
        pool = by_service[service]
        assert pool, service
        by_lang = collections.defaultdict(list)
        for r in pool:
            by_lang[lang_of(r["tag"])].append(r)
        long_texts = [r for r in pool if r["src"].startswith("routing_d") and len(r["text"]) > 200]
        chosen = []
        if quota <= 3:
            fi_first = [r for r in pool if r["tag"] == "fi"] or pool
            chosen = rng.sample(fi_first, min(quota, len(fi_first)))
        else:
            # every base text once (shuffled), then re-use with fresh slots/perturbation
            order = [r for r in pool]
            rng.shuffle(order)
            used = collections.Counter()
            while len(chosen) < quota:
                lang = rng.choices(list(LANG_WEIGHTS), weights=list(LANG_WEIGHTS.values()))[0]
                cands = [r for r in by_lang.get(lang, []) if r not in long_texts] or by_lang["fi"]
                least = min(used[id(r)] for r in cands)
                cands = [r for r in cands if used[id(r)] == least]
                r = rng.choice(cands)
                used[id(r)] += 1
                chosen.append(r)
            # long rambling texts appear once each, replacing ordinary rows
            for i, r in enumerate(long_texts):
                chosen[i] = r
        for base in chosen:
            lang = lang_of(base["tag"])
            channel = pick_channel(base["tag"], rng, base["text"])
            if base["src"].startswith("routing_d") and base["tag"] != "note":
                if len(base["text"]) > 200:
                    channel = rng.choice(["email", "email", "portal"])
                else:
                    channel = rng.choice(["chat", "chat", "portal", "email"])
            text = fill_slots(base["text"], rng)
            # ~3 % get a short unrelated second topic appended (label stays the main topic)
            if lang == "fi" and base["tag"] == "fi" and rng.random() < 0.03:
                other = rng.choice([r for r in bank if r["tag"] == "fi" and r["service"] != service
                                    and len(r["text"]) < 90])
                add = fill_slots(other["text"], rng)
                text = text.rstrip() + " " + rng.choice(ADDON_FI) + add[0].lower() + add[1:]
            raw_text = text
            for _attempt in range(6):
                text = wrap(perturb(raw_text, lang, base["tag"], channel, rng), lang, base["tag"], channel, rng)
                if text not in seen_texts or len(raw_text) < 25:
                    break           # very short texts repeat verbatim in real data
                if _attempt >= 2:   # force a visible variation
                    raw_text = typo(raw_text, rng, 1)
            seen_texts.add(text)
            rows.append({"lang": lang, "channel": channel, "text": text, "service": service,
                         "department": services[service]["department"], "type": base["type"],
                         "external": None, "_src": base["src"], "_mixed": base["tag"].startswith("mix")})

    for base in retired:
        lang = lang_of(base["tag"])
        channel = pick_channel(base["tag"], rng, base["text"])
        text = wrap(perturb(base["text"], lang, base["tag"], channel, rng), lang, base["tag"], channel, rng)
        rows.append({"lang": lang, "channel": channel, "text": text, "service": base["service"],
                     "department": RETIRED[base["service"]], "type": base["type"], "external": None,
                     "_src": base["src"], "_mixed": False})

    # empty / whitespace-only texts (form submitted without a message)
    for i in range(N_EMPTY):
        service = rng.choice(["palaute", "yleisneuvonta", "katujen-kunnossapito", "laskutus"])
        rtype = services[service]["types"][0]
        rows.append({"lang": "fi", "channel": rng.choice(["portal", "portal", "email"]),
                     "text": rng.choice(["", " ", "", "\n"]), "service": service,
                     "department": services[service]["department"], "type": rtype, "external": None,
                     "_src": "empty", "_mixed": False})

    # exact duplicates (double submissions)
    for src in rng.sample([r for r in rows if r["text"].strip()], N_DUPLICATES):
        dup = dict(src)
        dup["_src"] = src["_src"] + " (duplicate)"
        rows.append(dup)

    rng.shuffle(rows)
    out = []
    for i, r in enumerate(rows, 1):
        row = {"id": f"L-{i:04d}"}
        row.update({k: v for k, v in r.items() if not k.startswith("_")})
        out.append(row)
    return out, rows, bank


def build_kb():
    arts = {}
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        arts[a["id"]] = a
    rows = []
    for lineno, line in enumerate((BANK / "kb_questions.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        lang, channel, rel, text = line.split("|", 3)
        relevant = [x.strip() for x in rel.split(",") if x.strip()]
        for x in relevant:
            assert x in arts, f"unknown article {x} at kb_questions.txt:{lineno}"
            # every language variant of an answering article must be listed
            base = x[:6]
            for v in (base, base + "-sv", base + "-en"):
                if v in arts:
                    assert v in relevant, f"variant {v} missing at kb_questions.txt:{lineno}"
        assert lang in ("fi", "sv", "en") and channel in ("email", "phone", "service_point", "portal", "chat")
        rows.append({"lang": lang, "text": text.replace("\\n", "\n"), "relevant": relevant, "channel": channel})
    # The bank holds more answerable questions than the set needs.  Keep every
    # no-answer question and a stratified sample of the answerable ones: one per article
    # group first (so every topic stays covered), then random ones up to KB_ANSWERED.
    rng = random.Random(SEED + 1)
    none = [r for r in rows if not r["relevant"]]
    answered = [r for r in rows if r["relevant"]]
    rng.shuffle(answered)
    picked, seen = [], set()
    for r in answered:
        group = r["relevant"][0][:6]
        if group not in seen:
            seen.add(group)
            picked.append(r)
    rest = [r for r in answered if r not in picked]
    picked += rest[: max(0, KB_ANSWERED - len(picked))]
    rows = picked + none
    rng.shuffle(rows)
    return [{"id": f"H-{i:04d}", **r} for i, r in enumerate(rows, 1)]


def write_jsonl(path, rows):
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def routing_stats(out, raw, bank):
    c = collections.Counter(r["service"] for r in out)
    known = {s: n for s, n in c.items() if s not in RETIRED}
    buckets = collections.Counter()
    for n in known.values():
        buckets["1" if n == 1 else "2" if n == 2 else "3-5" if n <= 5 else "6-20" if n <= 20 else ">20"] += 1
    texts = [r["text"] for r in out]
    return {
        "rows": len(out),
        "lang": dict(collections.Counter(r["lang"] for r in out)),
        "channel": dict(collections.Counter(r["channel"] for r in out)),
        "type": dict(collections.Counter(r["type"] for r in out)),
        "services_used": len(known),
        "size_buckets": dict(buckets),
        "per_service": dict(c.most_common()),
        "retired_code_rows": sum(n for s, n in c.items() if s in RETIRED),
        "empty_texts": sum(1 for t in texts if not t.strip()),
        "distinct_texts": len(set(texts)),
        "exact_duplicate_rows": len(texts) - len(set(texts)),
        "mixed_language_rows": sum(1 for r in raw if r["_mixed"]),
        "advisor_notes": sum(1 for r in raw if r["_src"] != "empty" and r["_src"].split(":")[0] != "empty"
                             and any(b["src"] == r["_src"].split(" ")[0] and b["tag"] == "note" for b in bank)),
        "base_texts_in_bank": len(bank),
        "base_texts_used": len({r["_src"].split(" ")[0] for r in raw if r["_src"] != "empty"}),
        "short_texts_(<=20 chars, non-empty)": sum(1 for t in texts if 0 < len(t.strip()) <= 20),
        "long_texts_(>400 chars)": sum(1 for t in texts if len(t) > 400),
    }


def kb_stats(rows):
    return {
        "questions": len(rows),
        "lang": dict(collections.Counter(r["lang"] for r in rows)),
        "channel": dict(collections.Counter(r["channel"] for r in rows)),
        "no_answer": sum(1 for r in rows if not r["relevant"]),
        "no_answer_share": round(sum(1 for r in rows if not r["relevant"]) / len(rows), 3),
        "relevant_list_sizes": dict(sorted(collections.Counter(len(r["relevant"]) for r in rows).items())),
        "non_fi_questions_answered_only_by_fi_articles": sum(
            1 for r in rows if r["lang"] != "fi" and r["relevant"]
            and all(not x.endswith(("-sv", "-en")) for x in r["relevant"])),
        "distinct_articles_referenced": len({x for r in rows for x in r["relevant"]}),
    }


def main():
    out, raw, bank = build_routing()
    write_jsonl(HERE / "routing-longtail.jsonl", out)
    kb = build_kb()
    write_jsonl(HERE / "kb-questions.jsonl", kb)
    if "--stats" in sys.argv:
        print(json.dumps({"routing": routing_stats(out, raw, bank), "kb": kb_stats(kb)},
                         ensure_ascii=False, indent=1))
    else:
        print(f"routing-longtail.jsonl: {len(out)} rows; kb-questions.jsonl: {len(kb)} questions")


if __name__ == "__main__":
    main()
