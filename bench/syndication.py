"""Syndicated-paragraph detection: precision and recall on a self-made set, counts on real corpora.

    python bench/syndication.py [--sample 1000] [--skip-corpora]

The evaluation set is generated here, deterministically, from fictional sentences: wire stories
reprinted by other outlets (verbatim, one word changed, a dateline added, the last sentence
trimmed, other quote marks and spacing) and near-misses that must stay apart (same story told
in other words with the same names and numbers; the same template sentences with other facts).
Precision and recall are pairwise over "same group" decisions; both must be ≥ 0.95.

Then each corpus in ../shared/data is sampled (up to --sample articles, random_state 0),
segmented, and searched; the number of paragraphs found in groups spanning several outlets is
printed. A run over every paragraph of ukraine_war_media_2022 and zelenskyy_putin_press_releases
(about 29k) checks the time at the scale of a real atlas. Results go to bench/results/syndication.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.ingest import normalize_articles, read_table  # noqa: E402
from framing_atlas.segment import segment  # noqa: E402
from framing_atlas.syndication import find_syndicated  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = ROOT / "bench" / "results" / "syndication.json"
REQUIRED = 0.95

# --- the fictional evaluation set -------------------------------------------------------------

CITIES = ["Port Veyra", "Lindholm", "Karsk", "Ostrava Nova", "Belgrin", "Tarnow Bay", "Sovell",
          "Marrick", "Kelso Ridge", "Dunmere", "Aldvik", "Pellin"]
REGIONS = ["northern Valdoria", "the Kesh valley", "the Orlen coast", "the upper Marra basin",
           "the eastern steppe", "the Varn highlands"]
OFFICIALS = ["Foreign Minister Ilse Marrow", "Defence Minister Tomas Reeve",
             "spokeswoman Anya Lenz", "General Piotr Halvard", "President Edda Sorensen",
             "envoy Karim Oduya", "Prime Minister Lukas Brandt", "spokesman Oleg Varga"]
COUNTRIES = ["Valdoria", "the Norrland Federation", "Estmark", "the Republic of Kesh",
             "Osterholm", "Tavria"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORGS = ["the Northern Alliance", "the Coastal Security Council", "the Union of Free Ports",
        "the Grain Corridor Commission", "the Joint Monitoring Mission"]

# Each sentence is a template; a story fills its slots once. Slots are spread through the
# sentence, as the facts in real wire copy are.
TEMPLATES = [
    "{official} said on {day} that {country} would not accept any new deployment near {city} "
    "without talks.",
    "Officials in {city} reported that {n} drones had been shot down over {region} during the "
    "night.",
    "The statement, released late on {day}, accused {country} of preparing a wider offensive "
    "in {region}.",
    "{org} called an emergency meeting in {city} to discuss what diplomats described as the "
    "most serious crisis in {n} years.",
    "According to {official}, at least {n} civilians were evacuated from villages near {city} "
    "before the shelling began.",
    "Analysts warned that the decision by {country} to close its airspace could disrupt grain "
    "shipments from {region} for weeks.",
    "\"We will answer every provocation with firmness and restraint,\" {official} told "
    "reporters in {city}.",
    "The ministry said {n} soldiers had been wounded and that repairs to the bridge near {city} "
    "would take until {day}.",
    "Delegations from {country} and {org} met for {n} hours but failed to agree on a text for "
    "the joint declaration.",
    "Prices for heating fuel in {city} rose by {n} percent after the pipeline through {region} "
    "was shut for inspection.",
    "{official} rejected the accusations as \"fabricated from start to finish\" and demanded "
    "an apology from {country}.",
    "Satellite images published on {day} appeared to show {n} new trenches dug along the road "
    "from {city} to the border.",
    "The talks, hosted by {org}, are expected to resume in {city} after a pause of about {n} "
    "days, two diplomats said.",
    "Residents of {city} queued for hours on {day} to collect water after the main pumping "
    "station in {region} was damaged.",
    "Observers from {org} said they had counted {n} violations of the ceasefire in {region} "
    "since the weekend.",
    "{country} announced that it would expel {n} diplomats, saying their work in {city} was "
    "incompatible with their status.",
    "Rail traffic between {city} and the coast was suspended on {day}, stranding about {n} "
    "passengers at the central station.",
    "In a televised address, {official} urged citizens of {country} to stay calm and to trust "
    "the armed forces.",
    "The harbour in {city} reopened on {day} after divers cleared {n} mines from the approach "
    "channel, the port authority said.",
    "A spokesperson for {org} said the convoy carrying {n} tonnes of medicine had reached "
    "{city} without incident.",
    "Parliament in {country} voted {n} to 40 to extend the state of emergency in {region} for "
    "another month.",
    "Journalists were barred from entering {city} on {day}, and mobile networks across "
    "{region} went silent for several hours.",
    "{official} said the sanctions announced by {country} would hurt ordinary families far "
    "more than the government.",
    "Engineers restored power to {n} homes in {city} overnight, but warned that further "
    "outages in {region} were likely.",
]

# Same story, other words: the names and numbers return, the sentences do not.
PARAPHRASES = [
    "{city} was again at the centre of attention on {day}, when {official} spoke about "
    "{country} and about the situation in {region}.",
    "Figures cited by local officials put the number at {n}, although independent checks in "
    "{city} were not possible.",
    "Diplomats in {city} said privately that {country} had little room to manoeuvre and that "
    "{org} was divided.",
    "Few people in {region} expected a quick end to the crisis, and many in {city} said they "
    "were preparing for a long winter.",
]

SYNONYMS = {"said": "stated", "reported": "said", "accused": "blamed", "warned": "cautioned",
            "rejected": "dismissed", "announced": "declared", "urged": "asked",
            "restored": "brought back", "met": "held talks", "rose": "climbed"}


def _fill(template: str, facts: dict[str, str]) -> str:
    return template.format(**facts)


def _facts(rng: random.Random) -> dict[str, str]:
    return {"city": rng.choice(CITIES), "region": rng.choice(REGIONS),
            "official": rng.choice(OFFICIALS), "country": rng.choice(COUNTRIES),
            "day": rng.choice(DAYS), "org": rng.choice(ORGS), "n": str(rng.randint(3, 900))}


def _change_one_word(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if w in SYNONYMS]
    if spots:
        i = rng.choice(spots)
        words[i] = SYNONYMS[words[i]]
    else:
        i = rng.randrange(len(words))
        words[i] = words[i] + "s"
    return " ".join(words)


def _requote(text: str) -> str:
    """Curly quotes and apostrophes for straight ones, two spaces after a full stop, a line break."""
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append("’" if ch == "'" else ch)
    return "".join(out).replace(". ", ".  ").replace(", ", ",\n", 1)


EDITS = {
    "verbatim": lambda text, sentences, rng: text,
    # The reprint breaks paragraphs elsewhere: it starts a sentence later and runs on into the
    # wire story's next paragraph.
    "paragraph break moved": lambda text, sentences, rng: " ".join(sentences[1:] + [
        "The wire story went on to say that further talks were planned, though no date was set."]),
    "changed word": lambda text, sentences, rng: _change_one_word(text, rng),
    "dateline": lambda text, sentences, rng: "MOSCOW (Fictional Wire) — " + text,
    "dateline, city and agency": lambda text, sentences, rng: "Lindholm (Fictional Wire) - " + text,
    "trimmed last sentence": lambda text, sentences, rng: " ".join(sentences[:-1]),
    "quotes and spacing": lambda text, sentences, rng: _requote(text),
    "dateline and changed word": lambda text, sentences, rng: (
        "KARSK, Valdoria (Fictional Wire) — " + _change_one_word(text, rng)),
    "dateline, trimmed, requoted": lambda text, sentences, rng: (
        "BELGRIN (Fictional Wire) — " + _requote(" ".join(sentences[:-1]))),
    "credit line added": lambda text, sentences, rng: (
        text + " Fictional Wire contributed reporting from the region."),
    "two words changed": lambda text, sentences, rng: _change_one_word(
        _change_one_word(text, rng), rng),
    "own sentence added": lambda text, sentences, rng: (
        text + " Our correspondent saw long queues at petrol stations and closed schools."),
}


def evaluation_set(stories: int = 80, seed: int = 7) -> pd.DataFrame:
    """Paragraphs with the story they belong to (`truth`; near-misses and noise get their own)."""
    rng = random.Random(seed)
    outlets = [f"Outlet {chr(65 + i)} (fictional)" for i in range(12)]
    rows = []
    truth = 0

    def add(text: str, outlet: str, kind: str, group: int) -> None:
        rows.append({"paragraph_id": f"p{len(rows):05d}", "outlet": outlet, "text": text,
                     "kind": kind, "truth": group})

    for story in range(stories):
        templates = rng.sample(TEMPLATES, 4)
        facts = _facts(rng)
        sentences = [_fill(t, facts) for t in templates]
        original = " ".join(sentences)
        wire, *others = rng.sample(outlets, 5)
        add(original, wire, "original", truth)
        for outlet in others[:rng.randint(2, 4)]:
            kind = rng.choice(list(EDITS))
            add(EDITS[kind](original, sentences, rng), outlet, kind, truth)
        truth += 1
        # The same template sentences with other key facts: a different report.
        other_facts = _facts(rng)
        for key in ("city", "n", "day", "official", "country", "region", "org"):
            while other_facts[key] == facts[key]:
                other_facts[key] = _facts(rng)[key]
        add(" ".join(_fill(t, other_facts) for t in templates), rng.choice(outlets),
            "near-miss: template, other facts", truth)
        truth += 1
        # The same text with one number changed, or with another city and day: a later or
        # another report built on the same template, not a copy.
        number = str(int(facts["n"]) + rng.randint(1, 50))
        city = next(c for c in rng.sample(CITIES, len(CITIES)) if c != facts["city"])
        day = next(d for d in rng.sample(DAYS, len(DAYS)) if d != facts["day"])
        for kind, changed in (("near-miss: template, other number", {"n": number}),
                              ("near-miss: template, other city and day",
                               {"city": city, "day": day})):
            variant = " ".join(_fill(t, {**facts, **changed}) for t in templates)
            if variant != original:  # only when the template holds the changed fact
                add(variant, rng.choice(outlets), kind, truth)
                truth += 1
        # The same story in other words: same names and numbers, different paragraph.
        add(" ".join(_fill(t, facts) for t in PARAPHRASES), rng.choice(outlets),
            "near-miss: same story, other words", truth)
        truth += 1
        # Two of the same sentences in a different paragraph: related, not a copy.
        unused = [t for t in TEMPLATES if t not in templates]
        mixed = sentences[:1] + [_fill(t, facts) for t in rng.sample(unused, 3)]
        add(" ".join(mixed), rng.choice(outlets), "near-miss: one shared sentence", truth)
        truth += 1
    return pd.DataFrame(rows)


def pairwise_scores(truth: list[int], predicted: list[int]) -> tuple[float, float, int, int]:
    """Precision and recall of "these two are the same group" over all pairs."""
    tp = fp = fn = 0
    for (t1, p1), (t2, p2) in itertools.combinations(zip(truth, predicted), 2):
        same_truth = t1 == t2
        same_pred = p1 == p2 and p1 != -1
        tp += same_truth and same_pred
        fp += same_pred and not same_truth
        fn += same_truth and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp + fn, fp


# --- real corpora -----------------------------------------------------------------------------

def corpus_paragraphs(folder: Path, sample: int | None) -> tuple[pd.DataFrame, int]:
    raw, first_row = read_table(folder / "articles.csv.gz")
    articles, _ = normalize_articles(raw, source=folder.name, first_row=first_row)
    articles = articles.drop_duplicates("article_id")
    if sample is not None and len(articles) > sample:
        articles = articles.sample(sample, random_state=0)
    paragraphs = segment(articles)
    outlets = articles.set_index("article_id")["outlet"]
    return paragraphs.assign(outlet=paragraphs["article_id"].map(outlets).values), len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--skip-corpora", action="store_true")
    args = parser.parse_args()

    evaluation = evaluation_set()
    started = time.perf_counter()
    found = find_syndicated(evaluation)
    seconds = time.perf_counter() - started
    precision, recall, true_pairs, false_pairs = pairwise_scores(
        evaluation["truth"].tolist(), found["syndication_group"].tolist())
    missed = found.assign(group_size=found.groupby("truth")["truth"].transform("size"))
    missed = missed[(missed["group_size"] > 1) & (missed["syndication_group"] == -1)]
    print(f"evaluation set: {len(evaluation)} paragraphs, {true_pairs} true pairs; "
          f"precision {precision:.3f}, recall {recall:.3f} ({seconds:.2f}s)")
    for kind, n in missed["kind"].value_counts().items():
        print(f"  missed ({kind}): {n}")
    results: dict = {"evaluation": {
        "paragraphs": len(evaluation), "true_pairs": true_pairs, "false_pairs": false_pairs,
        "precision": round(precision, 4), "recall": round(recall, 4), "seconds": round(seconds, 2),
        "kinds": evaluation["kind"].value_counts().to_dict()}, "corpora": {}}

    if not args.skip_corpora and SHARED.is_dir():
        for folder in sorted(p for p in SHARED.iterdir() if (p / "articles.csv.gz").is_file()):
            paragraphs, n_articles = corpus_paragraphs(folder, args.sample)
            started = time.perf_counter()
            found = find_syndicated(paragraphs)
            seconds = time.perf_counter() - started
            grouped = found[found["syndicated"]]
            results["corpora"][folder.name] = {
                "articles": n_articles, "paragraphs": len(found),
                "outlets": int(found["outlet"].nunique()),
                "syndicated_paragraphs": int(found["syndicated"].sum()),
                "syndicated_groups": int(grouped["syndication_group"].nunique()),
                "same_outlet_repeats": int(((found["syndication_group"] >= 0)
                                            & ~found["syndicated"]).sum()),
                "seconds": round(seconds, 2)}
            print(f"{folder.name}: {n_articles} articles, {len(found)} paragraphs, "
                  f"{int(found['syndicated'].sum())} syndicated paragraphs in "
                  f"{grouped['syndication_group'].nunique()} groups ({seconds:.1f}s)")
        scale = [corpus_paragraphs(SHARED / name, None)[0] for name in
                 ("ukraine_war_media_2022", "zelenskyy_putin_press_releases")
                 if (SHARED / name).is_dir()]
        if scale:
            everything = pd.concat(scale, ignore_index=True)
            started = time.perf_counter()
            found = find_syndicated(everything)
            seconds = time.perf_counter() - started
            results["scale"] = {"paragraphs": len(everything), "seconds": round(seconds, 2),
                                "syndicated_paragraphs": int(found["syndicated"].sum())}
            print(f"scale: {len(everything)} paragraphs in {seconds:.1f}s")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if precision < REQUIRED or recall < REQUIRED:
        sys.exit(f"precision and recall must both be ≥ {REQUIRED}")


if __name__ == "__main__":
    main()
