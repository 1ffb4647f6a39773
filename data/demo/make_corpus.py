#!/usr/bin/env python3
"""Generate the Framing Atlas demo corpus (data/demo/articles.csv).

EVERYTHING THIS SCRIPT WRITES IS FICTIONAL. The outlets, journalists, officials,
analysts, think tanks, villages, border crossings, weapon systems and articles
were invented for the Framing Atlas demo by the project itself. It is not real
news and must never be cited as such. Real country and organisation names
(Russia, Ukraine, NATO, the EU, Finland ...) appear only because they are the
subject of the story the demo is about.

The script is deterministic (random.Random(2026), standard library only):

    python data/demo/make_corpus.py

writes articles.csv next to this file with the columns
outlet, published, title, url, text. Paragraphs in `text` are separated by a
blank line. About one article in ten carries web boilerplate ("Read more: ...",
photo credits, "Share this article" ...) that the ingest pipeline must strip.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

SEED = 2026
HERE = Path(__file__).resolve().parent
OUT = HERE / "articles.csv"
START = date(2026, 1, 5)
END = date(2026, 3, 4)
COLUMNS = ["outlet", "published", "title", "url", "text"]

# --------------------------------------------------------------------------
# Outlets. Each has a voice (its slant) and a fixed mix of topics.
# --------------------------------------------------------------------------

OUTLETS = [
    dict(voice="state", name="Eastern Meridian TV (fictional)", short="Eastern Meridian",
         domain="eastern-meridian.example", count=31, tz="+03:00",
         mix={"expansion": 8, "escalation": 8, "infowar": 6, "sanctions": 3,
              "diplomacy": 3, "battlefield": 3}),
    dict(voice="public", name="Westbridge Public Radio (fictional)",
         short="Westbridge Public Radio", domain="westbridge-public.example", count=27,
         tz="+01:00",
         mix={"expansion": 5, "escalation": 4, "infowar": 6, "humanitarian": 4,
              "diplomacy": 4, "domestic": 4}),
    dict(voice="tabloid", name="The Daily Bulwark (fictional)", short="the Bulwark",
         domain="dailybulwark.example", count=25, tz="+00:00",
         mix={"battlefield": 9, "escalation": 9, "infowar": 3, "domestic": 2,
              "expansion": 2}),
    dict(voice="peace", name="Olive Branch Review (fictional)", short="the Review",
         domain="olive-branch-review.example", count=16, tz="+01:00",
         mix={"diplomacy": 6, "escalation": 4, "humanitarian": 3, "expansion": 2,
              "infowar": 1}),
    dict(voice="business", name="Ledger & Pipeline (fictional)", short="Ledger & Pipeline",
         domain="ledger-pipeline.example", count=21, tz="+01:00",
         mix={"energy": 8, "sanctions": 6, "escalation": 3, "domestic": 2,
              "diplomacy": 2}),
    dict(voice="factcheck", name="Clearsight Factcheck (fictional)", short="Clearsight",
         domain="clearsight-factcheck.example", count=22, tz="+01:00",
         mix={"infowar": 15, "humanitarian": 3, "escalation": 2, "battlefield": 2}),
    dict(voice="nordic", name="Northwind Courier (fictional)", short="the Courier",
         domain="northwind-courier.example", count=19, tz="+02:00",
         mix={"expansion": 8, "border": 6, "escalation": 2, "infowar": 2, "energy": 1}),
]

# --------------------------------------------------------------------------
# Fictional people. pre=True renders "Deputy Foreign Minister Arkady Velin",
# pre=False renders "Yelena Drozdova, a political analyst at ...".
# --------------------------------------------------------------------------


def _p(name, desc, pre=False, short=None):
    return dict(name=name, desc=desc, pre=pre, short=short or name.split()[-1])


PEOPLE = {
    "state": [
        _p("Arkady Velin", "Deputy Foreign Minister", pre=True),
        _p("Irina Belotserkova", "foreign ministry spokeswoman", pre=True),
        _p("Yelena Drozdova", "a political analyst at the Institute for Eurasian Strategy"),
        _p("Gennady Marchuk", "military commentator and retired colonel", pre=True),
        _p("Roman Tishakov", "a member of the Duma defence committee"),
        _p("Lev Gorbanin", "the channel's chief political commentator"),
        _p("Anatoly Kresin", "a senior fellow at the Moscow Forum on Multipolar Affairs"),
        _p("Pavel Ushinsky", "an economist at the Volga Centre for Strategic Studies"),
    ],
    "public": [
        _p("Amara Fenwick", "a senior fellow at the Harcourt Centre for European Security"),
        _p("Ingrid Saarvik", "NATO deputy spokesperson", pre=True),
        _p("Tomas Reinholt", "professor of international relations at the University of Aldermoor"),
        _p("Lesia Tomashenko", "Ukrainian Deputy Foreign Minister", pre=True),
        _p("Marta Zielonka", "Poland's deputy defence minister"),
        _p("Aino Kettunen", "a Finnish diplomat who worked on the accession talks"),
    ],
    "public_info": [
        _p("Priya Haldane", "a disinformation researcher at the Open Signals Lab"),
        _p("Oskar Brandvik", "head of the national centre for countering hybrid threats"),
        _p("Amara Fenwick", "a senior fellow at the Harcourt Centre for European Security"),
        _p("Leonie Marchetti", "a media-literacy teacher who trains other teachers"),
        _p("Jakub Wrona", "a member of the parliamentary committee on digital affairs"),
    ],
    "public_hum": [
        _p("Halyna Rud", "a coordinator with the refugee charity Bridgeway Relief"),
        _p("Thomas Aubert", "who heads the regional office of an international aid agency"),
        _p("Ewa Sokol", "a doctor who runs a mobile clinic near the front line", short="Sokol"),
        _p("Serhii Lytvak", "a volunteer driver who evacuates older residents"),
    ],
    "public_ref": [
        _p("Nataliia Bondar", "who fled Kharkiv in 2022 and now works as a care assistant"),
        _p("Olha Prymak", "a teacher who arrived with her two sons"),
        _p("Vira Stepanenko", "a 71-year-old who left {place} last month"),
        _p("Maksym Hordiienko", "who runs a small bakery in {host_city} with his wife"),
    ],
    "public_dom": [
        _p("Clara Vennholm", "Finance Minister", pre=True),
        _p("Jürgen Albrecht-Wohl", "a member of the parliamentary defence committee"),
        _p("Ruth Okafor", "the opposition's spokesperson on defence"),
        _p("Tomas Reinholt", "professor of international relations at the University of Aldermoor"),
        _p("Mirela Dobos", "a councillor who chairs the local government association"),
    ],
    "tabloid": [
        _p("Colin Brack", "retired Major General", pre=True),
        _p("Dean Carver", "a former special forces officer"),
        _p("Rhys Calloway", "military analyst", pre=True),
        _p("Nigel Pembury", "backbench MP", pre=True),
        _p("Gemma Stroud", "a former army intelligence officer"),
        _p("Jack Harrow", "the Bulwark's defence editor"),
    ],
    "tabloid_front": [
        _p("Andriy", "a soldier who asked to be identified only by his first name", short="Andriy"),
        _p("'Falcon'", "a drone commander known by his call sign", short="Falcon"),
        _p("Oksana", "a frontline medic who gave only her first name", short="Oksana"),
        _p("Major Taras Hnatyuk", "whose battalion has held the sector since October"),
        _p("'Bison'", "a machine-gunner known by his call sign", short="Bison"),
    ],
    "peace": [
        _p("Margarethe Hollin", "director of the Geneva Peace Roundtable"),
        _p("Nadia Oyelaran", "an arms-control scholar at the Halden Institute for Arms Control"),
        _p("Henrik Aasvold", "a retired diplomat who took part in Cold War arms talks"),
        _p("Luka Brenner", "a former ceasefire monitor"),
        _p("Camille Durand-Ost", "a peace researcher at the Lindenhof Centre for Conflict Resolution"),
        _p("Yusuf Marangoni", "a humanitarian coordinator who has worked on both sides of the front"),
    ],
    "business": [
        _p("Sabine Kreutzer", "chief economist at Halvorsen Capital"),
        _p("Marcus Ebbe", "head of gas research at Northgate Commodities"),
        _p("Lionel Quade", "a veteran gas trader"),
        _p("Fergus Wylde", "a partner at Ashcombe Marine Underwriters"),
        _p("Hana Petráková", "a sanctions lawyer at Lindqvist & Rowe"),
        _p("Raimo Osk", "an analyst at the Ashby Institute for Economic Research"),
        _p("Céline Varga", "a portfolio manager at Ferrand Asset Management"),
    ],
    "factcheck": [
        _p("Mira Castellan", "a Clearsight researcher"),
        _p("Tobias Wrenn", "an open-source investigator"),
        _p("Ayo Lindgren", "a digital forensics specialist"),
        _p("Maren Solvik", "who studies coordinated inauthentic behaviour at the Brightwater Media Lab"),
        _p("Dev Ramanathan", "a former platform trust-and-safety lead"),
        _p("Lucía Ferreyra", "a verification editor at the Signal Integrity Project"),
    ],
    "nordic_off": [
        _p("Eero Valkama", "Finland's defence minister"),
        _p("Colonel Liisa Rantanen", "commander of the eastern border guard district", short="Rantanen"),
        _p("Kaarel Tammik", "an Estonian member of parliament"),
        _p("Johan Ekberg-Lind", "a commander in the Swedish navy"),
        _p("Sigrid Aalto", "a researcher at the Nordic Institute for Border Studies"),
        _p("Ilze Krūmiņa", "Latvia's deputy interior minister"),
        _p("Mikko Harju", "the mayor of {town}"),
    ],
    "nordic_border": [
        _p("Colonel Liisa Rantanen", "commander of the eastern border guard district", short="Rantanen"),
        _p("Jari Peltomaa", "a border guard patrol leader"),
        _p("Captain Tuomas Kallio", "who heads a border surveillance centre", short="Kallio"),
        _p("Sigrid Aalto", "a researcher at the Nordic Institute for Border Studies"),
    ],
    "nordic_local": [
        _p("Pekka Lahtela", "a fisherman from {town}"),
        _p("Anneli Korpela", "a reservist and schoolteacher in {town}"),
        _p("Raili Huovinen", "who runs a petrol station and café in {town}"),
        _p("Mikko Harju", "the mayor of {town}"),
        _p("Aslak Näkkäläjärvi", "a reindeer herder from the far north"),
    ],
}

TANKS = {
    "state": ["the Institute for Eurasian Strategy", "the Volga Centre for Strategic Studies",
              "the Moscow Forum on Multipolar Affairs"],
    "public": ["the Harcourt Centre for European Security", "the Open Signals Lab",
               "the Aldermoor Institute of International Affairs"],
    "tabloid": ["the Bastion Defence Forum", "the Ironside Security Institute"],
    "peace": ["the Halden Institute for Arms Control", "the Geneva Peace Roundtable",
              "the Lindenhof Centre for Conflict Resolution"],
    "business": ["Halvorsen Capital", "Northgate Commodities",
                 "the Ashby Institute for Economic Research"],
    "factcheck": ["the Brightwater Media Lab", "the Signal Integrity Project"],
    "nordic": ["the Nordic Institute for Border Studies", "the Baltic Sea Security Centre"],
}

# How a claim may be attributed ("{P}" is a person from the article's roster).
FRAMES = {
    "state": ["{P} told viewers that ", "As {P} pointed out in the studio, ", "{P} noted that ",
              "Moscow's position is straightforward: ", "Few in the West will admit that ",
              "Commentators in Moscow point out that "],
    "public": ["According to {P}, ", "{P} said that ", "Officials say ",
               "Analysts point out that ", "In an interview, {P} noted that ",
               "Supporters of the policy argue that "],
    "tabloid": ["{P} told the Bulwark that ", "Insiders say ", "Military experts reckon ",
                "According to {P}, ", "Sources close to defence chiefs say "],
    "peace": ["As {P} reminds us, ", "{P} argues that ", "It is worth remembering that ",
              "Few on either side admit that ", "In the view of {P}, "],
    "business": ["{P} said that ", "According to {P}, ", "Analysts note that ",
                 "Traders said ", "In a note to clients, {P} wrote that "],
    "factcheck": ["According to {P}, ", "{P} noted that ", "Our analysis shows that ",
                  "Independent researchers confirmed that "],
    "nordic": ["{P} told the Courier that ", "According to {P}, ", "Locals say ",
               "Officials in {capital} say "],
}

# Short sentences an outlet likes to end an article with.
CLOSERS = {
    "state": ["Whether Western capitals are prepared to listen remains an open question.",
              "For now, the warnings from Moscow are being met with silence in Brussels.",
              "Viewers will draw their own conclusions.",
              "The coming weeks will show who was right.",
              "In Moscow, officials say patience is not unlimited.",
              "The West, as so often, has chosen confrontation over common sense."],
    "public": ["The government is expected to set out its position in more detail next week.",
               "Officials say they will keep the situation under close review.",
               "It remains unclear how Moscow will respond.",
               "Further talks among allies are planned before the summer summit.",
               "Several of the claims could not be independently verified.",
               "For many of those affected, the uncertainty is the hardest part."],
    "tabloid": ["The Kremlin has not commented.",
                "The Ministry of Defence said it did not comment on operational matters.",
                "One thing is clear: this fight is far from over.",
                "Defence chiefs will be watching nervously.",
                "Moscow is unlikely to take this lying down."],
    "peace": ["The alternative to talking is more funerals.",
              "The question is not whether this war ends at a table, but when.",
              "It is time for courage of a different kind.",
              "Those who suffer most are, as ever, the least heard.",
              "Peace will not come on its own; it has to be built."],
    "business": ["Analysts will be watching the next storage report closely.",
                 "Markets are likely to remain volatile until there is greater clarity.",
                 "Trading volumes were thinner than usual ahead of the weekend.",
                 "Investors will look for further guidance at next month's policy meetings."],
    "factcheck": ["Our rating: false.", "Our rating: misleading.",
                  "Our rating: missing context.", "Our rating: fabricated.",
                  "We will update this article if new information becomes available."],
    "nordic": ["The regional council will discuss the matter at its next meeting.",
               "In {town}, life goes on, though few expect a return to how things were.",
               "The border guard says the situation remains calm.",
               "Residents are due to be briefed again in the spring.",
               "For now, the snow is deep and the forest is quiet."],
}

# --------------------------------------------------------------------------
# Fictional places, systems and other slot values.
# --------------------------------------------------------------------------

FRONT_PLACES = ["Zorivka", "Bilokamin", "Marenivka", "Hlybokyi Yar", "Tsvitne", "Dovhe Pole",
                "Ozerianka", "Vilkhovets", "Sribne Pole", "Krutyi Bereh", "Lypova Balka",
                "Nova Sadiba", "Kamianyi Brid", "Yasenove Ridge"]
NORDIC_TOWNS = ["Kuusivaara", "Harmaalahti", "Lumikangas", "Pohjanranta", "Routavaara",
                "Kivikoski", "Tallbacka", "Ylä-Soukka"]
NORDIC_CAPITALS = ["Helsinki", "Stockholm", "Oslo", "Copenhagen", "Tallinn", "Riga", "Vilnius"]
PORTS = ["Vesterhamn", "Karlsudd", "Merisatama", "Ostervik"]
TALK_VENUES = [("Geneva", "Switzerland"), ("Istanbul", "Turkey"), ("Doha", "Qatar"),
               ("Riyadh", "Saudi Arabia"), ("Vienna", "Austria"), ("Abu Dhabi",
               "the United Arab Emirates")]
NATO_CITIES = ["Brussels", "Warsaw", "The Hague", "Ramstein", "Vilnius"]
COUNTRIES_W = ["Germany", "France", "the United Kingdom", "the United States", "Poland",
               "the Netherlands", "Norway", "Denmark", "Sweden", "Canada"]
COUNTRIES_EU = ["Germany", "France", "Poland", "Slovakia", "the Czech Republic", "Moldova",
                "Romania", "Austria", "Italy", "Spain"]
HOSTS = [("Poland", "Kraków"), ("Poland", "Rzeszów"), ("Germany", "Leipzig"),
         ("Germany", "Hanover"), ("the Czech Republic", "Brno"), ("Moldova", "Chișinău"),
         ("Lithuania", "Kaunas"), ("Slovakia", "Košice")]
WEAPONS = ["long-range cruise missiles", "air-defence systems", "armoured fighting vehicles",
           "artillery shells", "attack drones", "fighter jets", "anti-tank weapons",
           "ballistic missiles"]
SYSTEMS = ["Stormlance", "Skyward-7", "Halberd-X", "Northspear", "Vireo-2"]
UNITS = ["Night Owls", "Hornets", "Steppe Ghosts", "Lynx Team", "Iron Bees"]
GROUPS = ["Centre", "South", "East", "West", "Dnipro"]
CITIES_RU = ["Belgorod", "Donetsk", "Horlivka", "Kursk"]
DIRECTIONS = ["southern", "eastern", "northern", "north-eastern"]
PLATFORMS = ["Telegram", "X", "TikTok", "Facebook", "a popular messaging app", "YouTube"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = {1: "January", 2: "February", 3: "March"}
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                8: "eight", 9: "nine", 10: "ten", 12: "twelve"}

# Claims the fact-checker examines: (noun phrase, headline phrase, medium).
# Templates tagged [video], [image], [visual] (video or image) or [doc] are only
# used for a subject of that medium, so an article never mixes up its evidence.
FC_SUBJECTS = [
    ("a Ukrainian commander announcing a full retreat from the {direction} front",
     "a Ukrainian commander 'announcing retreat'", "video"),
    ("an allied finance minister admitting that sanctions have failed",
     "a minister 'admitting sanctions failed'", "video"),
    ("a European mayor telling Ukrainian refugees to leave his city",
     "a mayor 'telling refugees to leave'", "video"),
    ("captured Western instructors being paraded near {place}",
     "'captured Western instructors'", "video"),
    ("a NATO general saying the alliance is 'preparing for nuclear war'",
     "a general's 'nuclear war' remark", "video"),
    ("Finnish soldiers requisitioning a farmhouse near the eastern border",
     "a 'requisitioned' Finnish farmhouse", "image"),
    ("Ukrainian refugees collecting free luxury cars from a dealership",
     "refugees' 'free luxury cars'", "image"),
    ("a European broadcaster staging footage of a bombed hospital",
     "'staged hospital' footage", "video"),
    ("the aftermath of a drone strike that supposedly killed a Russian general",
     "a 'killed Russian general'", "image"),
    ("Polish troops massing on the border with western Ukraine",
     "'Polish troops massing'", "image"),
    ("donated Western rifles on sale at an open-air market",
     "'donated rifles for sale'", "image"),
    ("a notice from a Baltic hospital telling Russian-speaking patients to go elsewhere",
     "the hospital notice on Russian speakers", "doc"),
    ("an EU commissioner announcing heating rations for households",
     "the EU 'heating rations' announcement", "video"),
    ("Russian soldiers surrendering en masse near {place}",
     "a 'mass surrender' near {place}", "video"),
    ("an abandoned column of Russian tanks in a snowfield",
     "an 'abandoned tank column'", "image"),
    ("a company letter blaming refugee quotas for the closure of a German factory",
     "the 'refugee quota' factory letter", "doc"),
    ("a leaked ministry letter ordering Baltic reservists to report for duty within 48 hours",
     "the 'leaked' reservist call-up letter", "doc"),
]


def spell(n: int) -> str:
    return NUMBER_WORDS.get(n, str(n))


def make_ctx(rng: random.Random, voice: str, pub: date) -> dict:
    """Slot values for one article: consistent within the article, varied across."""
    c: dict = {}
    c["place"], c["place2"] = rng.sample(FRONT_PLACES, 2)
    c["PLACE"] = c["place"].upper()
    c["city"], c["mediator"] = rng.choice(TALK_VENUES)
    c["nato_city"] = rng.choice(NATO_CITIES)
    c["town"] = rng.choice(NORDIC_TOWNS)
    c["capital"], c["capital2"] = rng.sample(NORDIC_CAPITALS, 2)
    c["port"] = rng.choice(PORTS)
    c["tank"] = rng.choice(TANKS[voice])
    c["country_w"] = rng.choice(COUNTRIES_W)
    c["country_eu"] = rng.choice(COUNTRIES_EU)
    c["country_host"], c["host_city"] = rng.choice(HOSTS)
    c["weapon"] = rng.choice(WEAPONS)
    c["system"] = rng.choice(SYSTEMS)
    c["unit"] = rng.choice(UNITS)
    c["group"] = rng.choice(GROUPS)
    c["city_ru"] = rng.choice(CITIES_RU)
    c["direction"] = rng.choice(DIRECTIONS)
    c["platform"] = rng.choice(PLATFORMS)
    subject, subject_short, medium = rng.choice(FC_SUBJECTS)
    c["subject"], c["subject_short"] = subject.format(**c), subject_short.format(**c)
    c["medium"] = medium
    c["day"] = WEEKDAYS[(pub - timedelta(days=rng.randint(0, 2))).weekday()]
    c["month"] = MONTHS[pub.month]
    c["weeks"] = spell(rng.choice([3, 4, 6, 8]))
    c["talk_days"] = spell(rng.choice([2, 2, 3]))
    c["meet_hours"] = spell(rng.choice([4, 5, 6, 7, 9]))
    c["n_months"] = spell(rng.choice([3, 6]))
    c["n_km"] = str(rng.randrange(150, 510, 10))
    c["n_km_small"] = str(rng.randint(2, 6))
    c["n_km_front"] = str(rng.randrange(40, 190, 10))
    c["n_m"] = str(rng.randrange(200, 950, 50))
    c["bn"] = f"{rng.uniform(0.8, 7.5):.1f}"
    c["pct"] = str(rng.randint(3, 14))
    c["pct_store"] = str(rng.randint(38, 61))
    c["pct_poll"] = str(rng.randint(48, 71))
    c["pct_gdp"] = rng.choice(["2.5", "2.8", "3", "3.2", "3.5"])
    c["target_year"] = str(rng.randint(2028, 2030))
    c["price"] = f"{rng.uniform(29, 58):.2f}"
    c["brent"] = str(rng.randint(62, 84))
    c["rate"] = str(rng.choice([15, 16, 17, 18]))
    c["rub"] = str(rng.randint(84, 104))
    c["updown"] = rng.choice(["down", "up"]) + f" {rng.randint(2, 11)} percent"
    c["n_accounts"] = f"{rng.randrange(300, 9000, 10):,}"
    c["n_langs"] = str(rng.randint(4, 14))
    c["n_hours"] = str(rng.choice([6, 8, 12, 18, 24, 36, 48]))
    c["n_posts"] = f"{rng.randrange(20_000, 400_000, 500):,}"
    c["n_posts_small"] = str(rng.randint(3, 40))
    views = rng.randint(150_000, 4_800_000)
    c["n_views"] = f"{views / 1e6:.1f} million" if views >= 1_000_000 else f"{views // 1000 * 1000:,}"
    c["n_days"] = str(rng.randint(3, 30))
    c["year_old"] = str(rng.randint(2014, 2022))
    c["n_times"] = str(rng.randint(8, 40))
    c["n_pows"] = str(rng.randrange(60, 400, 10))
    c["n_ref"] = f"{rng.randrange(120_000, 1_200_000, 1000):,}"
    c["n_shelter"] = str(rng.randrange(80, 600, 10))
    c["n_civ"] = str(rng.randint(12, 90))
    c["n_attacks"] = str(rng.randint(12, 60))
    c["n_drones"] = str(rng.randint(30, 160))
    c["n_pop"] = f"{rng.randrange(8000, 46000, 500):,}"
    c["n_kills"] = str(rng.randrange(120, 600, 10))
    c["nth_year"] = rng.choice(["third", "fourth", "fifth"])
    c["nth"] = rng.choice(["twentieth", "twenty-first"])
    c["n_vessels"] = str(rng.randint(40, 190))
    c["n_entities"] = str(rng.randint(15, 60))
    c["n_incidents"] = str(rng.randint(20, 300))
    c["fence_year"] = str(rng.choice([2026, 2027]))
    c["n_minutes"] = str(rng.randint(2, 15))
    c["n_recruits"] = str(rng.randrange(300, 1200, 50))
    c["n_eur"] = f"{rng.choice([1500, 1800, 2000, 2400, 3000]):,}"
    c["deadline"] = rng.choice(["the end of March", "the spring ministerial meeting",
                                "the summer summit", "early April"])
    return c

# --------------------------------------------------------------------------
# Neutral, factual-sounding sentences per topic, shared by all outlets.
# --------------------------------------------------------------------------

NEUTRAL = {
    "expansion": [
        "Alliance foreign ministers are due to discuss enlargement at a meeting in {nato_city} later this month.",
        "The question of further NATO enlargement has returned to the agenda ahead of the alliance's summer summit.",
        "Membership requires the unanimous approval of all existing allies, and ratification can take months in national parliaments.",
        "The alliance now counts 32 members after the accession of Finland and Sweden, which ended decades of military non-alignment in the Nordic region.",
        "Finland's entry more than doubled the length of NATO's land border with Russia, adding roughly 1,340 kilometres.",
        "Officials said a working group would report on the aspirant countries' progress by {deadline}.",
        "Ukraine applied for accelerated membership in 2022, but allies have so far offered only a pledge that its future lies in the alliance.",
        "The draft communiqué, negotiated over several days, avoided setting any timetable for new invitations.",
        "Several allies have asked for more detail on how new members would be folded into the alliance's regional defence plans.",
        "Diplomats in {nato_city} said the enlargement file would not be settled before the next ministerial round.",
        "The alliance's founding treaty leaves the door open to any European state able to contribute to collective security.",
        "A planning conference in {nato_city} this week focused on command arrangements for the northern flank.",
        "Allied parliaments ratified the most recent accessions within months, a record pace for the alliance.",
        "A delegation from alliance headquarters visited the northern flank on {day} to review progress on regional plans.",
        "Allied leaders meet in the summer, when the question of Ukraine's path is expected to come up again.",
        "Officials said a new multinational headquarters in the north would be fully operational by {deadline}.",
        "Public opinion in Finland and Sweden remains strongly in favour of membership, according to recent surveys.",
        "Georgia and Ukraine were told at a 2008 summit that they would one day become members, without any timetable.",
    ],
    "escalation": [
        "{country_w} confirmed on {day} that it would supply additional {weapon} to Ukraine as part of a package worth {bn} billion euros.",
        "The new systems have a range of up to {n_km} kilometres, according to figures published by the manufacturer.",
        "Russia's defence ministry said it had scheduled exercises involving its strategic forces for later in {month}.",
        "The debate over whether to lift restrictions on strikes inside Russian territory has divided allied governments for months.",
        "Officials said the first deliveries were expected within {weeks} weeks, although training crews would take longer.",
        "Nuclear rhetoric has intensified since the autumn, with officials on both sides trading warnings in public statements.",
        "Moscow has repeatedly said that deliveries of certain weapons would be treated as direct Western involvement in the conflict.",
        "Allied defence ministers met in {nato_city} on {day} to coordinate the next round of military assistance.",
        "The package includes ammunition, spare parts and {weapon}, officials said, without giving exact quantities.",
        "Russia revised its nuclear doctrine in 2024, broadening the circumstances in which it says it could use nuclear weapons.",
        "A {system} test launch reported on {day} was the third such event since the start of the year.",
        "Ukraine has asked partners for more {weapon}, saying current stocks would last only weeks at the present rate of use.",
        "The strikes reported overnight targeted logistics hubs and airfields, according to officials in Kyiv.",
        "Defence ministers and officials from around fifty countries attended the meeting in {nato_city}.",
        "The manufacturer said it would double its output of {weapon} by the end of next year.",
        "Satellite images published on {day} showed new activity at an airbase used by long-range bombers.",
        "Russia said it had tested a nuclear-capable missile on {day}, without giving further details.",
        "Air-raid alerts sounded across much of Ukraine overnight after a large missile and drone attack.",
        "The alliance said it was monitoring the situation closely and had seen no change in Russia's force posture.",
    ],
    "infowar": [
        "Platforms said they had removed {n_accounts} accounts linked to a coordinated campaign over the past {weeks} weeks.",
        "The European Union has suspended the broadcasting activities of several Russian state-controlled outlets since 2022.",
        "Researchers tracked the spread of the claim across {n_langs} languages within {n_hours} hours of its first appearance.",
        "The media regulator said it had opened an investigation into whether the channel had breached broadcasting rules.",
        "Officials did not say who was behind the campaign, citing an ongoing investigation.",
        "The report, published on {day}, analysed more than {n_posts} posts shared across several social media platforms.",
        "Russia has responded to the European bans with restrictions on Western media outlets operating in the country.",
        "The campaign used a mixture of cloned news websites, paid influencers and automated accounts, according to the researchers.",
        "[visual]The post had been viewed more than {n_views} times before it was labelled as misleading.",
        "Several governments have set up dedicated units to monitor what they call foreign information manipulation.",
        "The websites mimicked the layout of established newspapers, down to their logos and fonts.",
        "The claims were later repeated by a number of politicians and commentators, further amplifying their reach.",
        "A spokesperson for the platform said the accounts had violated its rules on coordinated inauthentic behaviour.",
        "Several of the sites had been registered through the same domain reseller within a single week, the investigation found.",
        "Election authorities in {country_eu} said they were monitoring online activity ahead of next month's vote.",
        "The network's posts were most active in {country_eu}, where they focused on energy prices and migration.",
        "A court is expected to rule later this year on a legal challenge to the broadcasting ban.",
        "EU rules on digital services require the largest platforms to assess and reduce the risks of disinformation.",
        "The channel's licence was withdrawn on {day} after what the regulator called repeated breaches.",
    ],
    "energy": [
        "Benchmark European gas prices traded at {price} euros per megawatt-hour on {day}, {updown} on the week.",
        "EU gas storage stood at {pct_store} percent of capacity, according to industry data.",
        "Russian pipeline gas now accounts for only a small share of European imports, down from around 40 percent before 2022.",
        "Liquefied natural gas from the United States, Qatar and Norway has replaced much of the lost supply.",
        "A cold spell in {month} pushed heating demand well above the seasonal average.",
        "Oil prices were little changed, with Brent crude trading near {brent} dollars a barrel.",
        "Electricity futures for the second quarter rose {pct} percent over the week.",
        "The European Commission has proposed phasing out the remaining imports of Russian gas over the next two years.",
        "Utilities have passed part of the higher wholesale costs on to households through tariff increases.",
        "Norway is now Europe's largest supplier of pipeline gas.",
        "Gas transit through Ukraine stopped at the start of 2025, when the transit contract expired.",
        "Officials said the new interconnector would allow gas to flow in both directions between the two countries.",
        "Wind generation across northern Europe fell sharply in the second week of {month}, lifting power prices.",
        "Storage withdrawals this winter have been faster than the five-year average.",
        "Several new LNG import terminals have opened in Germany, Poland and the Baltic states since 2022.",
    ],
    "sanctions": [
        "EU member states agreed a new package of sanctions on {day}, the {nth} since February 2022.",
        "The measures target {n_vessels} vessels accused of carrying Russian oil in breach of the price cap.",
        "The price cap on Russian crude, introduced by the Group of Seven in December 2022, has since been lowered.",
        "Russia's economy grew strongly on the back of military spending in 2023 and 2024, but growth has since slowed sharply.",
        "Russia's central bank kept its key interest rate at {rate} percent, citing persistent inflation.",
        "The package also adds {n_entities} companies in third countries accused of supplying dual-use goods.",
        "Frozen Russian central bank assets held in Europe total more than 200 billion euros.",
        "Officials said enforcement, rather than new listings, would be the priority for the coming months.",
        "Trade data show exports of sanctioned components to several Central Asian countries rose sharply after 2022.",
        "The rouble traded at around {rub} to the dollar on {day}.",
        "The United Kingdom and Canada announced parallel measures on the same day.",
        "Officials said the new listings had been coordinated with G7 partners.",
        "Customs authorities reported a rise in seizures of dual-use goods at the EU's eastern borders.",
    ],
    "diplomacy": [
        "Delegations met in {city} for a {talk_days}-day round of talks, the first such contact in several months.",
        "The talks were mediated by officials from {mediator}, which has hosted previous rounds.",
        "No joint statement was issued at the end of the meeting.",
        "The agenda included prisoner exchanges, the return of children and the safety of nuclear power plants.",
        "Both sides said further technical meetings would take place at a lower level.",
        "A prisoner exchange involving {n_pows} people on each side was completed on {day}.",
        "The foreign ministers spoke by phone for the first time since the autumn.",
        "Officials declined to say whether territorial questions had been discussed.",
        "The meeting in {city} lasted around {meet_hours} hours, according to people familiar with the talks.",
        "Diplomats said a ceasefire along the current line of contact was one of several options under discussion.",
        "The summit declaration called for a 'just and lasting peace' without detailing how it might be achieved.",
        "Technical talks were also held on the safety of commercial shipping in the Black Sea.",
        "The UN secretary-general welcomed the talks and urged both sides to build on them.",
        "Foreign ministers of the Group of Seven are due to discuss the talks at a meeting next week.",
        "Delegates met separately with the mediators before a short joint session on {day}.",
    ],
    "humanitarian": [
        "More than {n_ref} people from Ukraine have registered for temporary protection in {country_host} since the start of the full-scale invasion.",
        "The UN refugee agency says millions of Ukrainians remain displaced, either abroad or inside the country.",
        "The temporary protection status granted by the EU has been extended until March 2027.",
        "Aid agencies said winter conditions had made it harder to reach communities near the front line.",
        "The shelter in {host_city} houses around {n_shelter} people, most of them women, children and older residents.",
        "A convoy carrying medical supplies and generators reached {place} on {day}.",
        "Power outages after strikes on energy facilities left thousands of households without heating.",
        "The number of people returning to Ukraine has risen in recent months, though many say they plan to stay only temporarily.",
        "Officials reported {n_civ} civilians injured by shelling in the region over the past week.",
        "Host governments are debating how to integrate refugees into labour markets and schools over the longer term.",
        "Evacuation buses left {place} on {day} carrying older residents and families with young children.",
        "Humanitarian appeals for Ukraine were only partly funded last year, according to aid agencies.",
        "Schools in the region have moved lessons underground or online because of the constant threat of strikes.",
        "Aid agencies said they had delivered {n_shelter} tonnes of supplies to front-line communities last month.",
        "The regional authorities opened heating points where residents can warm up and charge their phones.",
    ],
    "battlefield": [
        "Fighting continued around {place}, where Ukrainian officials reported {n_attacks} Russian assaults over the past day.",
        "Russia's defence ministry claimed its forces had taken control of {place2}, a claim that could not be independently verified.",
        "Both sides launched large numbers of drones overnight, with air defences active in several regions.",
        "The front line has shifted only slightly over the winter, with frozen ground allowing some mechanised movement.",
        "Ukraine's general staff said {n_drones} drones had been shot down overnight.",
        "Independent analysts assessed that Russian forces had made incremental gains near {place} over the past week.",
        "{place}, which had a pre-war population of around {n_pop}, has been largely destroyed.",
        "Both armies rely increasingly on small drones for reconnaissance and strikes, making any movement near the front extremely dangerous.",
        "Officials said a strike on a military airfield had damaged aircraft and fuel depots.",
        "Reinforcements were reported to be moving towards the {direction} sector.",
        "Neither side publishes comprehensive casualty figures.",
        "Artillery exchanges were reported along a stretch of the front roughly {n_km_front} kilometres long.",
        "Air-raid sirens sounded in several regions overnight as drones approached from the {direction} direction.",
        "The general staff said {n_attacks} combat engagements had been recorded along the front in the past 24 hours.",
        "Heavy snowfall in {month} slowed movement along several sections of the front.",
        "The regional governor said {n_civ} people had been wounded in the shelling of residential areas.",
        "Both sides have stepped up attacks on each other's fuel depots and railway hubs.",
    ],
    "domestic": [
        "Parliament will vote on the defence budget on {day}, with the governing coalition expected to win by a narrow margin.",
        "The government plans to raise defence spending to {pct_gdp} percent of GDP by {target_year}.",
        "An opinion poll published this week put support for continued military aid to Ukraine at {pct_poll} percent.",
        "The opposition has called for a parliamentary inquiry into delays in the procurement programme.",
        "The finance ministry said higher defence spending would be funded partly through new borrowing.",
        "Regional elections next month are expected to test support for the government's foreign policy.",
        "A coalition partner threatened to block the package unless more money was allocated to social programmes.",
        "The defence committee heard evidence from senior officers on recruitment shortfalls.",
        "Protesters gathered outside parliament on {day}, some demanding more aid for Ukraine and others an end to arms deliveries.",
        "Some form of national service has been debated in several European countries over the past year.",
        "The budget committee will publish its report on the spending plans later this month.",
        "Ministers met union leaders on {day} to discuss pay in the armed forces.",
        "The defence ministry said applications to join the reserves had increased over the past year.",
    ],
    "border": [
        "The {town} crossing has been closed to passenger traffic since late 2023.",
        "Border guards reported {n_incidents} attempted illegal crossings in the region over the past month.",
        "Construction of the border fence is due to be completed in {fence_year}, according to the border guard.",
        "The fence, built in sections, is topped with barbed wire and fitted with cameras and motion sensors.",
        "Officials said the airspace violation lasted {n_minutes} minutes before the aircraft turned back.",
        "Local authorities held a briefing for residents on {day} about the new security measures.",
        "The interior ministry has extended the closure of the eastern border by another {n_months} months.",
        "Pilots have reported GPS interference over the eastern Gulf of Finland and the Baltic Sea.",
        "Border guards use drones, thermal cameras and patrol dogs to monitor remote sections of the frontier.",
        "The coast guard said it had boarded a vessel suspected of damaging a subsea cable.",
        "The border guard said drone sightings had risen compared with the same period last year.",
        "Snowmobile patrols have been added on the most remote stretches of the frontier.",
        "The government has set aside funds to extend the fence along the most vulnerable sections of the border.",
    ],
}

# Opening sentences for the fact-checker's case articles.
FC_LEADS = [
    "[video]A video shared tens of thousands of times on {platform} this week appears to show {subject}.",
    "Posts circulating on {platform} since {day} claim to show {subject}.",
    "[video]A clip that purports to show {subject} has been viewed more than {n_views} times.",
    "Readers asked us to check a widely shared post that appears to show {subject}.",
    "[video]Since {day}, accounts on {platform} have been sharing what they describe as footage of {subject}.",
    "[image]An image said to show {subject} spread rapidly this week, first on {platform} and then on several news aggregators.",
    "[image]A photograph of {subject} has been shared thousands of times on {platform} since {day}.",
    "[doc]A document circulating on {platform} since {day} is presented as {subject}.",
    "[doc]Screenshots of what is described as {subject} have been shared widely on {platform} this week.",
]

# --------------------------------------------------------------------------
# Slanted material per (voice, topic): claims (framing sentences, written as
# clauses so they can stand alone or follow an attribution), direct quotes,
# headlines, and the roster of people who get quoted. A claim starting with
# "!" is never attributed; a quote "@roster|text" is spoken by that roster.
# --------------------------------------------------------------------------

POOLS: dict[tuple[str, str], dict] = {}


def pool(voice, topic, people, claims, quotes, titles):
    POOLS[(voice, topic)] = dict(people=people, claims=claims, quotes=quotes, titles=titles)


# ---- Eastern Meridian TV: state-aligned broadcaster -------------------------

pool("state", "expansion", "state", claims=[
    "the alliance has crept towards Russia's borders for three decades despite the assurances given at the end of the Cold War",
    "every new member brings foreign bases, radar stations and missile launchers closer to Russian cities",
    "the so-called open door is in reality a policy of encirclement drawn up in Washington",
    "Finland and Sweden were pressured into abandoning a neutrality that had kept the north calm for generations",
    "Moscow repeatedly proposed security guarantees that would have made all of this unnecessary, and every proposal was brushed aside",
    "the talk of sovereign choice hides the fact that small countries are being turned into forward positions for someone else's strategy",
    "NATO calls itself a defensive alliance, yet its record from Yugoslavia to Libya tells a very different story",
    "the border with Finland, once one of the quietest in Europe, has become a militarised line in less than three years",
    "any talk of inviting Ukraine or Georgia crosses a line that Russia has spelled out clearly for nearly twenty years",
    "enlargement has made Europe less secure, not more, by dismantling the buffer that once separated the great powers",
    "Western capitals speak of enlargement as if it were a bureaucratic formality, but for Russia it is a question of national survival",
    "the new infrastructure being built on the northern flank is plainly offensive in character, whatever the brochures in Brussels say",
    "the bloc needs an adversary to justify its budgets, and moving east keeps that adversary permanently in view",
    "ordinary Finns were never properly consulted, and the decision was rushed through in an atmosphere of manufactured fear",
    "Russia will be forced to respond with military-technical measures, including new formations in its north-west",
    "by absorbing one neighbour after another, the bloc is repeating the mistakes that divided the continent in the last century",
    "the promises that the alliance would not move 'one inch' eastward have been quietly erased from Western memory",
    "Western planners now openly describe the Baltic Sea as a 'NATO lake', a phrase that says everything about their intentions",
    "the eastward push of the alliance is the root cause of the present crisis, a point Western media refuses to discuss",
    "the allied exercises near {town} rehearse scenarios that can only be directed against one country",
    "Western governments insist that nobody threatens Russia while placing new command centres a few hours' drive from its border",
], quotes=[
    "Nobody asked Russia whether it felt safe when the alliance moved its infrastructure up to our doorstep.",
    "They call it an open door. We call it a door that opens in only one direction, towards us.",
    "Each new member means new bases, new exercises and new risks. This is not a policy of peace.",
    "We have warned for twenty years, and for twenty years we have been told our concerns are imaginary.",
    "The Finnish people lived in peace next to Russia for decades. That peace was traded for a membership card.",
    "Security in Europe cannot be built against Russia. It can only be built with Russia.",
    "Our response will be calm, measured and proportionate, but there will be a response.",
    "The encirclement is no longer a theory. Look at any map.",
    "Washington decides, and the smaller capitals sign. That is what they call free choice.",
    "If the alliance were truly defensive, it would not need to grow every few years.",
    "What would Washington say if a military bloc hostile to it appeared on the Canadian border?",
], titles=[
    "Encirclement by another name: what the alliance's 'open door' really means",
    "{lead_short}: NATO expansion 'a door that opens in only one direction'",
    "Alliance infrastructure edges closer to Russia's borders as planners meet in {nato_city}",
    "Twenty years of warnings: why Moscow sees the bloc's growth as a threat",
    "Neutrality traded for a membership card: how Finland was drawn into the bloc",
    "Analyst: northern build-up turns a quiet border into a front line",
    "Moscow promises 'measured response' to allied exercises near {town}",
    "The map Western media will not show: NATO's long march east",
    "Who asked Russia? {lead_short} on the bloc's latest enlargement plans",
])

pool("state", "escalation", "state", claims=[
    "each new shipment of Western {weapon} drags the alliance one step closer to direct confrontation with a nuclear power",
    "the decision to send {weapon} shows that Western capitals have learned nothing from the crises of the last century",
    "Western instructors and satellite data are already guiding strikes, which makes the talk of non-involvement an obvious fiction",
    "the weapons will not change the outcome on the battlefield; they will only prolong the suffering and raise the stakes for everyone",
    "European politicians who talk casually about defeating a nuclear power are playing a game they do not understand",
    "Russia has shown remarkable restraint in the face of provocations that any other great power would have answered long ago",
    "the red lines were stated clearly and publicly, and Western leaders chose to ignore them",
    "Western arms are turning up on black markets far from Ukraine, a fact the donors prefer not to investigate",
    "the arms industry is the only winner of this escalation, with order books full and share prices at record highs",
    "allowing strikes deep into Russian territory would make the supplying countries parties to the conflict under any honest reading of international law",
    "exercises on Russia's borders involving tens of thousands of troops are rehearsals for war and should be described as such",
    "the strategic forces drill was a routine and defensive measure, despite hysterical coverage in the Western press",
    "nobody in Moscow wants escalation, but nobody should doubt the country's readiness to defend itself by every available means",
    "the arrival of {system} missiles would require a response that Western publics have not been prepared for",
    "Western taxpayers are footing the bill for a war their governments refuse to end",
    "the alliance keeps moving the goalposts, from helmets in 2022 to long-range missiles today",
    "Russian air defences have intercepted the great majority of Western-supplied missiles, according to the defence ministry",
    "the decision was taken without any serious debate in the parliaments of the countries concerned",
    "the {bn} billion euros announced by {country_w} would have been better spent on its own crumbling hospitals and schools",
    "Western media present every delivery as a defensive gesture while ignoring how it looks from the other side of the border",
], quotes=[
    "They are playing with fire, and they are doing it next to a powder keg.",
    "Every red line we have drawn was drawn in public. Nobody can say they were not warned.",
    "These missiles cannot be operated without Western specialists. Draw your own conclusions.",
    "We do not threaten anyone. We simply remind our partners of realities they seem to have forgotten.",
    "The deliveries change nothing at the front. They only change the number of graves.",
    "Escalation is a Western choice, made in Western capitals and paid for with Ukrainian lives.",
    "Russia has never been the first to raise the stakes. But it will always answer.",
    "European leaders who speak about defeating a nuclear power should read some history first.",
    "Our doctrine is clear, and it is defensive. It is the other side that keeps testing it.",
    "The arms lobby is writing foreign policy in Washington and Brussels.",
    "Imagine the outcry if Russian instructors were guiding missiles at a NATO country.",
], titles=[
    "{country_w} sends {weapon} to Kyiv as Moscow warns of 'direct involvement'",
    "Playing with fire: West brushes aside red lines with new {system} deliveries",
    "{lead_short}: 'Nobody can say they were not warned'",
    "Who profits from escalation? Arms makers post record orders",
    "Strategic forces drill was routine, ministry says, despite Western hysteria",
    "Long-range strikes would make suppliers parties to the conflict, experts say",
    "Western missiles 'will not change the front, only the number of graves'",
    "{bn} billion euros for weapons while {country_w}'s hospitals wait",
    "Reckless deliveries bring Europe closer to the edge, warns {lead_short}",
])

pool("state", "infowar", "state", claims=[
    "Western media speak with one voice on Ukraine, and any journalist who departs from the script is quietly pushed aside",
    "the bans on Russian channels in Europe reveal how little confidence Western governments have in their own arguments",
    "so-called independent fact-checkers are funded by the same governments whose narratives they are supposed to check",
    "the label 'disinformation' has become a convenient way of silencing any fact that does not fit the approved story",
    "Western audiences are shown carefully selected images from Ukraine, while the suffering of civilians in Donbas was ignored for a decade",
    "European regulators have switched off channels without a single court ruling, a practice they would condemn anywhere else",
    "the campaign against Russian media is part of a wider effort to make sure Europeans never hear the other side",
    "networks of accounts run from Western countries flood Russian-language social media with invented stories of defeats and discontent",
    "the Western press relies on anonymous officials and unverifiable 'assessments' while accusing others of spreading fakes",
    "the Russian side has repeatedly offered evidence on incidents that Western outlets simply refuse to report",
    "freedom of speech, so proudly advertised in Brussels, ends the moment a broadcaster questions NATO policy",
    "the information war began long before the first shot was fired, with years of hostile coverage preparing Western publics for confrontation",
    "the so-called experts on 'Russian influence' have built entire careers on a threat they constantly exaggerate",
    "Western tech companies delete the accounts of Russian diplomats while leaving openly hateful content from the other side untouched",
    "Russian correspondents have been denied visas and accreditation in several European capitals in recent months",
    "claims of Russian interference in European elections have never been backed by evidence that would stand up in court",
    "the latest report on 'bot networks' in {country_eu} names no sources and offers no data that could be checked independently",
    "Western newsrooms that warn about propaganda have themselves repeated official claims that later proved false",
], quotes=[
    "They close our channels because they are afraid of the questions we ask.",
    "In the West, disinformation is simply whatever the government has not approved.",
    "Let viewers decide for themselves. That used to be called freedom of the press.",
    "Our correspondents were expelled for doing their job. Where are the press freedom organisations now?",
    "The Western media machine prepared its audience for this confrontation long before it began.",
    "Every time the facts become inconvenient, they call them Russian propaganda.",
    "We will keep broadcasting, whatever new obstacles Brussels invents.",
    "The truth does not need a fact-checker funded by a foreign ministry.",
    "They accuse us of bots while their own intelligence agencies run entire media projects.",
], titles=[
    "Europe's media bans: free speech ends where NATO policy begins",
    "'Disinformation' label used to silence inconvenient facts, analyst says",
    "Correspondents expelled as Brussels tightens its grip on the airwaves",
    "Who checks the fact-checkers? The funding trail leads to foreign ministries",
    "Western press leans on anonymous 'assessments' and forgets the victims of Donbas",
    "{lead_short}: 'They close our channels because they fear our questions'",
    "Report on 'bot networks' in {country_eu} offers no evidence, critics say",
    "The information war the West does not want to talk about",
])

pool("state", "sanctions", "state", claims=[
    "the sanctions were supposed to crush the Russian economy within months, yet it is European industry that is closing factories",
    "European households are paying inflated energy bills so that their governments can make a political statement",
    "Russian companies have found new markets in Asia, the Middle East and Africa, where there is little appetite for Western sanctions",
    "the seizure of Russian assets would amount to theft and would destroy trust in the Western financial system",
    "German industry, once powered by affordable Russian gas, is now relocating to America, which profits from expensive LNG exports",
    "the so-called shadow fleet is simply legitimate trade that Western governments are trying to criminalise",
    "import substitution has given a new boost to Russian manufacturing, from aircraft parts to pharmaceuticals",
    "the sanctions are illegitimate under international law because they were never approved by the UN Security Council",
    "Europe's deindustrialisation is the real story that Western financial media prefer to bury",
    "ordinary Europeans are starting to ask why they should pay for a policy that has failed to achieve its stated goals",
    "the new package once again hits ordinary citizens rather than the people it claims to punish",
    "the rouble has proved more resilient than Western forecasters predicted, and trade in national currencies keeps growing",
], quotes=[
    "They wanted to isolate Russia. They have isolated themselves from cheap energy.",
    "Every new package is weaker than the last. Even Brussels has stopped believing in them.",
    "Confiscating sovereign assets is a step no serious country would take. The consequences would be felt for decades.",
    "Our economy has adapted. Theirs is still waiting for the winter to end.",
    "American gas exporters are the only ones celebrating these sanctions.",
    "Trade goes where it is welcome. Right now that is east and south.",
], titles=[
    "Sanctions boomerang: European factories close as Russian trade turns east",
    "New EU package 'weaker than the last', economists say",
    "Asset seizure would be theft, Moscow warns",
    "Europe pays the price as American LNG exporters celebrate",
    "Rouble resilience confounds Western forecasters",
    "{lead_short}: 'They have isolated themselves from cheap energy'",
])

pool("state", "diplomacy", "state", claims=[
    "Moscow has always been open to negotiations, but the West keeps setting preconditions designed to make talks impossible",
    "any settlement must take into account the realities on the ground and Russia's legitimate security interests",
    "the draft agreement discussed in Istanbul in 2022 showed that a deal was possible before Western capitals encouraged Kyiv to walk away",
    "Western mediators are not neutral; they are parties to the conflict with interests of their own",
    "countries of the global South increasingly understand Russia's position and reject the Western sanctions agenda",
    "the peace formulas drafted in Kyiv and Western capitals are ultimatums dressed up as diplomacy",
    "the Russian delegation arrived in {city} with concrete proposals, while the other side came with slogans",
    "Moscow welcomes the mediation of partners such as {mediator} who have refused to take sides",
    "a new European security architecture must rest on the principle of indivisible security",
    "European politicians are so invested in the war that they can no longer imagine how to end it",
    "the prisoner exchange showed that constructive dialogue is possible when the Western sponsors step aside",
    "guarantees of Ukraine's neutrality and of the rights of Russian speakers are essential parts of any lasting deal",
], quotes=[
    "We are ready to talk. We have always been ready. The question is whether the other side is allowed to.",
    "A peace that ignores the reasons for this conflict will not be a peace.",
    "Our partners in the Gulf and in Turkey understand that dialogue requires respect.",
    "Ultimatums are not negotiations, no matter how many summits endorse them.",
    "Europe has forgotten how to do diplomacy. It only knows how to do sanctions.",
    "Indivisible security means that one country's security cannot come at the expense of another's.",
], titles=[
    "Moscow ready for talks, but West keeps setting preconditions",
    "{city} round ends as Russian delegation presents 'concrete proposals'",
    "Indivisible security: the principle Europe chose to forget",
    "Prisoner exchange shows dialogue is possible without Western sponsors",
    "Global South backs dialogue as Western 'peace formulas' falter",
])

pool("state", "battlefield", "state", claims=[
    "units of the {group} group of forces continued to advance, liberating {place2} and improving their positions along the front",
    "Ukrainian formations are suffering heavy losses, and morale among mobilised recruits is reported to be collapsing",
    "the Kyiv regime keeps throwing reserves into hopeless counter-attacks for the sake of Western television cameras",
    "Russian air defences shot down {n_drones} Ukrainian drones and several Western-supplied missiles over the past day",
    "foreign mercenaries, many of them from NATO countries, have been identified among the dead near {place}",
    "the liberation of {place2} opens the way to key supply routes used by the Ukrainian army",
    "the defence ministry published footage of precision strikes on depots holding Western equipment",
    "residents of liberated villages welcomed Russian servicemen and are receiving humanitarian aid, the ministry said",
    "Ukrainian forces shelled residential districts of {city_ru}, damaging homes and a school, according to local authorities",
    "Western-supplied tanks have proved vulnerable to Russian drones and anti-tank teams, burning on the steppe like their predecessors",
    "the special military operation is proceeding according to plan, and its main objectives remain unchanged",
    "Ukrainian commanders are said to be increasingly at odds with Kyiv over the cost of holding untenable positions",
], quotes=[
    "Our units are advancing methodically. We are not in a hurry, and we do not waste lives.",
    "The enemy is exhausted. You can hear it in their own radio intercepts.",
    "Western equipment burns just like any other equipment.",
    "The people of {place2} waited a long time for this day.",
    "Every kilometre is taken with care for our soldiers and for civilians.",
], titles=[
    "Forces liberate {place2} and advance along key supply route",
    "Ministry: {n_drones} Ukrainian drones downed overnight",
    "Western equipment burns near {place} as offensive continues",
    "Foreign mercenaries among the dead near {place}, ministry says",
    "Residents of {place2} welcome Russian servicemen",
])

# ---- Westbridge Public Radio: public broadcaster ----------------------------

pool("public", "expansion", "public", claims=[
    "every sovereign state has the right to choose its own alliances, a principle written into the founding documents of European security",
    "Finland and Sweden applied only after public opinion shifted dramatically in response to the full-scale invasion of Ukraine",
    "membership applications are made by elected governments and ratified by national parliaments, not imposed from outside",
    "the idea of a sphere of influence in which neighbours need Moscow's permission to choose their partners belongs to another century",
    "polls in the aspirant countries suggest that support for membership is driven above all by fear of being left alone",
    "allies insist that the enlargement process is deliberate and rule-based, with conditions on civilian control of the armed forces and on fighting corruption",
    "the accession of the Nordic countries has strengthened the alliance's ability to defend the Baltic states, long considered its most exposed members",
    "diplomats stress that no country has been invited to join uninvited; each one has knocked on the door itself",
    "the Kremlin's claims of encirclement overlook the fact that its own actions pushed previously neutral countries towards the alliance",
    "the alliance has deployed relatively modest forces to its newest members, relying on rotating units rather than large permanent garrisons",
    "officials say Ukraine's path to membership remains open but acknowledge that no invitation can be issued while the fighting continues",
    "for many Central Europeans, membership is remembered as the moment their countries finally left the grey zone between East and West",
    "the alliance has repeatedly said it poses no threat to Russia and has offered risk-reduction talks that Moscow has declined",
    "Helsinki and Stockholm are still phasing in their contributions, from fighter squadrons and submarines to Arctic expertise",
    "governments in the region argue that deterrence works best when membership commitments are clear and credible",
    "the debate in Western capitals is less about whether to keep the door open than about how quickly candidates can meet the standards",
    "public support for membership in Finland rose from roughly a quarter to more than three-quarters within a few months of the invasion",
], quotes=[
    "This was a sovereign decision, taken by our parliament after a long and open debate.",
    "No one in Helsinki or Stockholm was forced into anything. They were pushed by events.",
    "The door is open, but the threshold is high, and that is how it should be.",
    "Membership is not a reward. It is a commitment that runs in both directions.",
    "Small countries have the same right to choose their security arrangements as large ones.",
    "It would be a strange kind of peace in which one country decides the alliances of all its neighbours.",
    "We see enlargement as a stabilising factor. It is uncertainty that invites aggression.",
    "Ukraine's future is in the Euro-Atlantic community. The question is timing, not principle.",
    "Nobody in our region joined out of hostility to Russia. We joined out of experience.",
], titles=[
    "Open door, high threshold: how NATO enlargement really works",
    "Why Finland and Sweden chose to join, and what it changed",
    "'A sovereign decision': aspirant countries reject Kremlin talk of encirclement",
    "Allies weigh next steps on enlargement ahead of the summer summit",
    "Explainer: what does it take to join NATO?",
    "Ukraine's membership path 'a matter of timing, not principle', says {lead_short}",
    "Nordic members reshape the alliance's northern defence",
    "Enlargement talks in {nato_city} focus on standards, not timetables",
])

pool("public", "escalation", "public", claims=[
    "allied governments describe the deliveries as deterrence, intended to convince Moscow that the war cannot be won by force",
    "officials stress that the weapons are supplied for Ukraine's self-defence, which is recognised under Article 51 of the UN Charter",
    "experts say Moscow's nuclear warnings are designed primarily to intimidate Western publics and slow the flow of aid",
    "each step in military support has been taken gradually and after long consultation, precisely to manage the risk of escalation",
    "the delivery is meant to close gaps in Ukraine's air defences after weeks of strikes on power stations and residential areas",
    "previous Russian red lines, from battle tanks to fighter jets, were crossed without the catastrophic response Moscow had threatened",
    "arms-control specialists caution that the nuclear rhetoric should not be dismissed entirely, even if the probability of use remains low",
    "allies are also trying to rebuild their own stockpiles, which have been depleted by four years of deliveries",
    "the decision followed a wave of Russian missile and drone attacks on cities far from the front line",
    "diplomats say the message to Moscow is that the cost of continuing the war will keep rising",
    "critics within the alliance warn that deliveries have often arrived too late and in too small numbers to shift the balance",
    "the government insists that restrictions on the use of the weapons remain in place and are reviewed regularly",
    "Western military planners believe credible deterrence on the eastern flank reduces, rather than increases, the risk of a wider war",
    "allied intelligence assessments, shared with journalists on condition of anonymity, show no sign of changes to Russia's nuclear posture",
    "the package also includes money for demining equipment, field hospitals and the repair of energy infrastructure",
    "ministers defended the timetable in parliament, saying training and maintenance had to be in place before the systems arrived",
], quotes=[
    "These are defensive systems. Their purpose is to protect Ukrainian cities from missile attacks.",
    "Nuclear threats are a tool of intimidation. We take them seriously, but we will not be paralysed by them.",
    "Deterrence is about making sure that aggression never pays. That is the logic behind every decision.",
    "If we stop supporting Ukraine, the risk of escalation does not go away. It grows.",
    "We have consulted closely with allies at every step, and we will continue to do so.",
    "The red line that matters is the one Russia crossed when it invaded a sovereign country.",
    "The more credible our support, the sooner Moscow will have to consider serious negotiations.",
    "We see no change in Russia's nuclear posture. The rhetoric, however, is deeply irresponsible.",
], titles=[
    "{country_w} to send {weapon} to Ukraine in {bn}bn euro package",
    "Nuclear rhetoric 'designed to intimidate', experts say",
    "Allies defend deliveries as deterrence after strikes on Ukrainian cities",
    "What Moscow's red lines have meant in practice since 2022",
    "Air-defence gaps prompt new aid pledge at {nato_city} meeting",
    "Analysis: how deterrence on the eastern flank is supposed to work",
])

pool("public", "infowar", "public_info", claims=[
    "researchers say the network is part of a long-running Russian campaign to erode support for Ukraine in European democracies",
    "the fake articles borrowed the branding of reputable newspapers to spread claims that Ukrainian refugees receive preferential treatment",
    "security officials warn that disinformation is increasingly combined with cyberattacks and sabotage in what they call hybrid warfare",
    "investigators traced the network to a marketing company with links to Russian state structures, according to the report",
    "the campaign targeted audiences in {country_eu} ahead of local elections, exploiting issues such as energy bills and housing",
    "experts say the aim is less to persuade people of any single claim than to erode trust in institutions and in the idea of facts themselves",
    "the government has funded media-literacy lessons in schools, hoping to make young people more resistant to manipulation",
    "a parliamentary committee has called for stronger rules requiring platforms to label state-controlled media and remove fake accounts quickly",
    "regulators justified the suspension of Russian state broadcasters as a response to systematic disinformation in wartime",
    "press freedom groups support action against disinformation but warn that bans must be proportionate and open to judicial review",
    "Ukrainian officials say they face a constant stream of fabricated videos designed to spread panic and encourage desertion",
    "analysts note that the themes of the campaign closely mirror talking points heard on Russian state television",
    "the debunked claims kept circulating in closed messaging groups long after the platforms had removed the original posts",
    "generative AI has lowered the cost of producing convincing fake audio and video, making such campaigns faster and cheaper to run",
    "intelligence services in several countries have published joint advisories on Russian influence operations",
    "EU monitors have catalogued thousands of cases of pro-Kremlin disinformation over the past decade",
], quotes=[
    "This is not about opinions we disagree with. It is about deliberate, coordinated deception.",
    "The aim is to make people tired, cynical and unsure of what to believe.",
    "Open societies are vulnerable precisely because they are open. That is not a reason to close them.",
    "We found the same images, the same phrases and the same posting times across hundreds of accounts.",
    "Disinformation works best when it attaches itself to real grievances, like high energy prices.",
    "Our answer to propaganda cannot be our own propaganda. It has to be transparency.",
    "Hybrid threats do not respect the line between peace and war. Neither can our defences.",
    "My pupils are not naive. They just need the tools to check what lands on their phones.",
], titles=[
    "Fake news sites mimicking European papers linked to Russian campaign",
    "Researchers uncover network of {n_accounts} accounts targeting {country_eu}",
    "How disinformation exploits anxieties over energy bills and refugees",
    "Schools step up media literacy as hybrid threats grow",
    "Regulator opens inquiry into state-backed channel",
    "'The aim is to make people tired': inside a disinformation campaign",
    "Deepfakes make influence campaigns cheaper, security officials warn",
])

pool("public", "humanitarian", "public_hum", claims=[
    "for many families the hardest decision is whether to return to a home that may no longer be safe",
    "local volunteers, many of them refugees themselves, run the language classes and childcare that keep the centre going",
    "teachers say children who arrived four years ago now speak the local language fluently but still flinch at loud noises",
    "aid agencies warn that attacks on energy infrastructure have turned winter itself into a weapon against civilians",
    "older people who stayed in villages near the front often refuse to leave, saying they have nowhere else to go",
    "host communities have largely remained welcoming, although strains on housing and public services have grown",
    "mobile clinics are the only medical care available in dozens of villages near the front line",
    "psychologists report rising demand for trauma support, especially among children and the families of soldiers",
    "the return of children deported to Russia remains one of the most painful unresolved issues of the war",
    "employers in {country_host} say Ukrainian workers have helped fill shortages in care, construction and logistics",
    "many refugees keep their bags half-packed, unsure whether their future lies in exile or at home",
    "the war has split families across borders, with most men of fighting age barred from leaving Ukraine",
    "local authorities are repairing schools and clinics with donor money even as shelling continues nearby",
    "volunteers in {host_city} collect donated generators, blankets and medicine and drive them east every fortnight",
], quotes=[
    "@public_ref|We left with two suitcases and a cat. I thought it would be for two weeks.",
    "@public_ref|The children ask every evening when we are going home. I no longer know what to tell them.",
    "Without generators, the hospital would have had to evacuate patients in the middle of winter.",
    "People here have been extraordinarily generous, but everyone is tired now, including us.",
    "@public_ref|My mother refuses to leave the village. She says she will die in her own house.",
    "@public_ref|We are not asking for charity. We want to work, pay taxes and one day go back.",
    "Every strike on a power plant is felt in every kitchen, every classroom and every hospital ward.",
    "There is no such thing as a safe distance from the front any more. Drones reach everywhere.",
], titles=[
    "Four winters on: the refugees who still keep their bags packed",
    "Evacuations continue from {place} as shelling intensifies",
    "In {host_city}, a sports hall became home for {n_shelter} people",
    "Attacks on power plants turn winter into a weapon, aid groups warn",
    "'We want to work and one day go back': Ukrainian refugees in {country_host}",
    "Mobile clinics are the last lifeline for villages near the front",
])

pool("public", "diplomacy", "public", claims=[
    "Ukrainian officials insist that any agreement must respect the country's territorial integrity and include credible security guarantees",
    "Western diplomats remain cautious, noting that previous ceasefires collapsed within weeks and were used to regroup forces",
    "humanitarian issues such as prisoner swaps and the return of deported children have been the most productive area of contact",
    "allies are discussing what security guarantees could look like, from air-defence commitments to a European reassurance force",
    "the talks are widely seen as a test of whether Moscow is prepared to move beyond its maximalist demands",
    "European governments want a seat at the table, arguing that the outcome will shape their own security for decades",
    "officials in Kyiv say they are ready for a ceasefire if it is verifiable and not a prelude to renewed attacks",
    "technical discussions on the safety of the Zaporizhzhia nuclear plant continue under the auspices of the UN nuclear watchdog",
    "the mediating countries have offered to host further rounds and to help monitor any agreement",
    "critics warn that pressure on Ukraine to give up territory would reward aggression and set a dangerous precedent",
    "the summit produced commitments on reconstruction financing but little progress on the central political questions",
    "international lawyers say any agreement must also address accountability for war crimes",
    "polls suggest that most Ukrainians support negotiations but reject surrendering territory as the price of peace",
], quotes=[
    "A ceasefire that only freezes the conflict would simply give Russia time to rebuild its army.",
    "We want peace more than anyone. But it has to be a peace that lasts.",
    "Every prisoner brought home matters. These exchanges show what patient diplomacy can achieve.",
    "Security guarantees must be more than words on paper. We have had words on paper before.",
    "There can be no negotiations about Ukraine without Ukraine.",
    "Europe's security is at stake, so Europe has to be in the room.",
    "The door to diplomacy is open, but Moscow has to walk through it.",
], titles=[
    "Talks in {city} end without breakthrough, but prisoner swap agreed",
    "What security guarantees for Ukraine could look like",
    "Europe seeks a seat at the table as ceasefire talk grows",
    "'Nothing about Ukraine without Ukraine': Kyiv sets out its conditions",
    "Mediators in {city} focus on humanitarian issues",
])

pool("public", "domestic", "public_dom", claims=[
    "the debate over defence spending has become a proxy for a wider argument about the state's priorities after years of tight budgets",
    "ministers argue that the country cannot afford to be unprepared, pointing to intelligence warnings about Russian rearmament",
    "opposition parties accept the need for stronger defence but question whether the money is being spent efficiently",
    "the pressure to spend more on defence has revived a debate about common European borrowing",
    "local councils warn that cuts elsewhere would hit libraries, public transport and youth services",
    "the defence industry has promised thousands of new jobs, many in regions that have struggled since factories closed",
    "populist parties have campaigned on the cost of the war, tapping into frustration over living costs",
    "support for Ukraine remains the majority position, but the share of voters who want a negotiated end has grown",
    "the government is reviewing plans for voluntary military service, hoping to attract young people with training and education benefits",
    "procurement reforms are intended to cut the time it takes to buy equipment from years to months",
    "trade unions in the arms industry have called for long-term contracts to secure jobs and apprenticeships",
    "analysts say the coming election will be the first in which security ranks among voters' top three concerns",
], quotes=[
    "We have to be honest with people: security costs money, and we have underinvested for decades.",
    "Nobody disputes the threat. The question is whether this budget addresses it efficiently.",
    "Defence cannot come at the cost of social cohesion. A divided society is also a vulnerable one.",
    "These are difficult choices, and voters deserve a frank debate about them.",
    "If we want young people to serve, we have to offer them something in return.",
    "Support for Ukraine is not charity. It is an investment in our own security.",
], titles=[
    "Parliament set for tight vote on defence budget",
    "Defence spending target of {pct_gdp} percent divides coalition",
    "Poll: {pct_poll} percent back continued aid to Ukraine",
    "Who pays for rearmament? Councils warn of cuts",
    "Voluntary service plan aims to attract young recruits",
    "Security rises up voters' priorities ahead of regional elections",
])

# ---- The Daily Bulwark: hawkish tabloid -------------------------------------

pool("tabloid", "escalation", "tabloid", claims=[
    "the devastating {system} missiles can hit targets up to {n_km} kilometres away, putting key Russian airbases within reach",
    "the Kremlin's nuclear sabre-rattling has reached fever pitch, with state TV pundits boasting about wiping out European capitals",
    "defence chiefs are said to be furious that the deliveries took so long, with one insider branding the delays 'a national disgrace'",
    "the fearsome {weapon} have already been nicknamed 'the equaliser' by the crews who will operate them",
    "Moscow's latest red line is just another in a long list of empty threats, according to military experts",
    "Britain's stockpiles are so low that the army could run out of shells within a week of a major war, a leaked report warns",
    "the West has been far too timid for far too long, letting the Kremlin dictate the terms of the fight",
    "satellite images show Russian bombers being moved to bases deep inside the country, out of range of Ukraine's new weapons",
    "the warning came as the Kremlin paraded its nuclear-capable missiles in a chilling show of force",
    "the West should call the Kremlin's bluff and give Kyiv everything it needs to finish the job",
    "ministers are under pressure to double defence spending after alarming warnings that Europe is not ready for war",
    "drone footage shows a Russian ammunition depot going up in a huge fireball after a precision strike",
    "experts say the new {weapon} could be a game-changer if they arrive in large enough numbers",
    "one senior defence source warned that Europe has 'three years at most' to prepare for a direct confrontation",
    "Russian warships were shadowed by a Royal Navy frigate as they sailed through the Channel in a brazen show of strength",
    "the Kremlin's latest hypersonic boasts have been dismissed as hot air by Western officials",
    "the {bn} billion euro package from {country_w} is the biggest of the winter, and Moscow's propagandists are already seething",
    "the Kremlin has threatened 'consequences' so many times that even its own state TV hosts struggle to keep a straight face",
], quotes=[
    "Every time Moscow draws a red line, it turns out to be written in disappearing ink.",
    "We have been far too polite. Give them the tools and let them get on with it.",
    "Nuclear threats are the last refuge of a regime that is losing the conventional fight.",
    "These missiles are absolute beasts. The Russians will have to move everything back.",
    "The Kremlin only understands strength. Weakness is what gets people killed.",
    "We are one bad week away from running out of shells. That should terrify everyone.",
    "If they want to rattle sabres, we should make sure ours are sharper.",
    "This is the moment to stop tiptoeing around the Kremlin.",
    "Deterrence is not a dirty word. It is the reason we have not had a world war for eighty years.",
], titles=[
    "RED LINE RUBBISH: Kremlin threats dismissed as {system} missiles head east",
    "KREMLIN SABRE-RATTLING: State TV pundits boast of striking Europe",
    "GAME-CHANGER: New {weapon} could tip the balance, say experts",
    "'CALL THEIR BLUFF': Ex-general urges West to stop tiptoeing around Moscow",
    "SHELL SHOCK: Army 'could run dry within a week', leaked report warns",
    "BOMBERS ON THE RUN: Russia moves jets out of range of new missiles",
    "NUCLEAR BLUSTER: Moscow's latest threats 'hot air', say officials",
    "CHANNEL STAND-OFF: Navy shadows Russian warships",
    "{bn}BN BOOST: {country_w} sends {weapon} as Kremlin fumes",
    "'WRITTEN IN DISAPPEARING INK': {lead_short} mocks Moscow's red lines",
])

pool("tabloid", "battlefield", "tabloid_front", claims=[
    "heroic Ukrainian defenders held the line at {place} for a third straight night as wave after wave of Russian troops were cut down",
    "jaw-dropping drone footage shows a column of Russian tanks being picked off one by one on a muddy country road",
    "the elite drone unit, known as the '{unit}', has destroyed more than {n_kills} Russian vehicles since the autumn",
    "exhausted soldiers told how they survived for days in flooded trenches on little more than energy bars and instant coffee",
    "Russian commanders are sending poorly trained recruits into 'meat grinder' assaults with barely any armour",
    "the daring night raid left a Russian ammunition dump ablaze, with secondary explosions lighting up the sky for hours",
    "medics worked by torchlight in a bunker just {n_m} metres from enemy positions",
    "a lone Ukrainian sniper is said to have held up an entire Russian company for most of a day",
    "the battle for {place} has become one of the bloodiest of the winter, with both sides pouring in reserves",
    "intercepted radio chatter reveals Russian soldiers complaining bitterly about frozen rations and missing pay",
    "the brutal fighting has turned once-peaceful villages into a moonscape of craters and shattered trees",
    "a stunning counter-attack pushed Russian forces back almost {n_km_small} kilometres in a single day",
    "the Kremlin's glide bombs are pounding towns along the front, reducing whole blocks of flats to rubble",
    "troops say the sky is now so full of drones that moving in daylight is almost suicidal",
    "the tank crew scrambled out of their burning vehicle seconds before it was hit by a second drone",
    "the exhausted brigade has been fighting without rotation for months, and its commanders are pleading for fresh recruits",
    "Russian troops are reportedly using motorbikes and quad bikes in desperate attempts to rush Ukrainian trenches",
    "thermal-imaging footage shows Russian infantry trying to creep along a tree line at night before being spotted",
    "the bridge, a vital supply route into {place2}, was knocked out by a precision strike in the early hours",
    "frontline medics describe the fighting as the worst they have seen since the first months of the war",
    "the defenders of {place} have turned a ruined grain silo into a fortress that Russian assault groups have failed to crack",
    "soldiers in the {direction} sector say the frozen ground has brought armoured assaults back after weeks of mud",
], quotes=[
    "They just keep coming. We stop one group and twenty minutes later there is another.",
    "The drones are everywhere. You hear that buzzing and you have seconds to find cover.",
    "We have not slept properly in a week, but nobody is leaving this position.",
    "Give us more shells and we will show you what this brigade can do.",
    "It is like the First World War with robots flying overhead.",
    "My lads are the bravest people I have ever known. Every single one of them.",
    "The Russians have numbers. We have better tactics and a reason to fight.",
    "I have seen things out here that I will never be able to explain to my children.",
    "The mud is the real enemy right now. It swallows boots, vehicles, everything.",
    "We counted eleven assaults in one night. Eleven.",
], titles=[
    "HELL AT {PLACE}: Heroes hold the line for third night",
    "WATCH: Drone picks off Russian tank column one by one",
    "'THEY JUST KEEP COMING': Inside the meat grinder at {place}",
    "FIREBALL: Night raid sets Russian ammo dump ablaze",
    "SKY FULL OF DRONES: Troops say daylight moves now 'suicidal'",
    "MUD, BLOOD AND DRONES: The winter battle for {place}",
    "STUNNING COUNTER-PUNCH: Ukraine pushes Russians back {n_km_small}km",
    "Meet the '{unit}': the drone team that has wrecked {n_kills} Russian vehicles",
    "FORTRESS {PLACE}: How a ruined silo became a death trap for attackers",
    "'ELEVEN ASSAULTS IN ONE NIGHT': Exhausted heroes of the {direction} front",
])

pool("tabloid", "infowar", "tabloid", claims=[
    "Kremlin troll farms are churning out thousands of fake posts a day in a sinister bid to turn Brits against Ukraine",
    "a shadowy network of bogus news sites has been exposed peddling lies about refugees and soaring bills",
    "the Kremlin's propaganda chiefs are even using AI-generated fake celebrities to spread their poison online",
    "security chiefs fear Moscow's cyber-spies could target elections with deepfake videos of party leaders",
    "Russian state TV hosts cheered the latest strikes, gloating live on air about Europe 'freezing in the dark'",
    "tech giants have been accused of dragging their feet while Kremlin bots swamp their platforms",
    "the propaganda blitz is aimed squarely at sapping the public's will to keep backing Kyiv",
    "the same fake story was pumped out in {n_langs} languages within hours, a sure sign of a coordinated operation",
], quotes=[
    "It's a digital army, working shifts, and its only job is to make us doubt ourselves.",
    "These trolls are relentless. Delete one account and ten more pop up by lunchtime.",
    "Moscow's propagandists would sell their own grandmothers for a viral clip.",
    "The tech firms need to wake up. This is a war, and their platforms are the battlefield.",
], titles=[
    "TROLL FACTORY: Kremlin bots churn out thousands of fake posts a day",
    "EXPOSED: Bogus news sites peddling lies about refugees",
    "DEEPFAKE DANGER: Fears Moscow could target elections with fake videos",
    "GLOATING: Russian TV hosts cheer Europe 'freezing in the dark'",
])

pool("tabloid", "domestic", "tabloid", claims=[
    "furious MPs have demanded answers after it emerged that the army's new armoured vehicles are still stuck in testing, years behind schedule",
    "taxpayers are footing the bill for a procurement fiasco that has wasted hundreds of millions, a damning report reveals",
    "ministers have been warned that the armed forces are 'hollowed out' and could not sustain a major war for more than a few weeks",
    "recruitment is in crisis, with the army missing its targets for the {nth_year} year running",
    "veterans' charities say former soldiers are being left to struggle while the top brass argue over budgets",
    "the defence secretary was grilled on live radio about why the navy has more admirals than working warships",
], quotes=[
    "We are spending billions and still cannot field a single armoured brigade at full strength. It's a scandal.",
    "Our troops deserve kit that works, not excuses from Whitehall.",
    "If the politicians are serious about defence, they need to stop treating it like a piggy bank.",
    "Recruitment is broken. Young people want to serve, and the system keeps turning them away.",
], titles=[
    "SCANDAL: Army's new vehicles still stuck in testing years late",
    "HOLLOWED OUT: Forces 'could not sustain war for more than weeks'",
    "RECRUITMENT CRISIS: Army misses targets for {nth_year} year running",
    "MORE ADMIRALS THAN WARSHIPS: Defence chief grilled on air",
])

pool("tabloid", "expansion", "tabloid", claims=[
    "the Kremlin's worst nightmare has come true, with NATO now standing guard along hundreds of miles of Russia's border",
    "tough Nordic troops trained to fight at minus 30 degrees have given the alliance a fearsome new edge in the frozen north",
    "Moscow's bully-boy threats have backfired spectacularly, driving its neighbours straight into the arms of the alliance",
    "the Finns, who famously held off a Soviet invasion in the Winter War, are now NATO's toughest new recruits",
    "Sweden's fleet of jets and stealthy submarines has been hailed as a game-changer for the Baltic",
    "hardliners in Moscow are fuming as the alliance's flag flies over yet another capital on their doorstep",
    "MPs say the West should fast-track Ukraine's membership before the Kremlin can cause more carnage",
    "the alliance is bigger, bolder and better armed than at any time since the Cold War",
], quotes=[
    "The Kremlin wanted less NATO. It got a whole lot more.",
    "Finland has one of the best-trained reserves in Europe. Moscow knows exactly what that means.",
    "If you bully your neighbours long enough, they get together and lock the door on you.",
    "This is the biggest strategic own goal in modern history.",
], titles=[
    "KREMLIN OWN GOAL: Bully tactics drive neighbours into NATO",
    "FROZEN FURY: Finland's tough troops give NATO an icy edge",
    "BIGGER, BOLDER: Alliance stronger than at any time since the Cold War",
    "'FAST-TRACK KYIV': MPs urge quicker path to NATO membership",
])

# ---- Olive Branch Review: peace / anti-war magazine -------------------------

pool("peace", "diplomacy", "peace", claims=[
    "quiet back-channel contacts, far from the cameras, have achieved more than a dozen high-profile summits",
    "the prisoner exchanges show that even bitter enemies can agree when the terms are concrete and the benefits are shared",
    "a ceasefire does not have to settle every political question; it has to stop the killing and create space for talks",
    "mediators from {mediator} have shown a patience that the great powers often lack",
    "both sides say they want peace, yet both set conditions the other is certain to reject",
    "churches, the Red Cross and local civil society groups have kept lines of communication open when governments could not",
    "the Helsinki Final Act of 1975 was signed by countries that deeply distrusted one another, a precedent worth remembering",
    "a monitored demilitarised zone, backed by guarantees from several countries, is one of the few proposals neither side has rejected outright",
    "the Black Sea grain arrangement of 2022 proved that limited agreements are possible even in the middle of a full-scale war",
    "the voices of women, veterans and displaced people are almost entirely absent from the official negotiating teams",
    "diplomacy is not a reward for good behaviour; it is a tool for managing exactly the kind of crisis we now face",
    "many governments in the global South see the war as a European conflict and want it ended quickly because of its impact on food and fuel prices",
    "confidence-building steps, such as mutual notification of exercises, could be agreed long before any final settlement",
    "the talks in {city} ended without a breakthrough, but the delegations agreed to meet again, which counts as progress in a war of attrition",
    "the exchange of the bodies of fallen soldiers, a grim but essential task, has continued through all the ups and downs of the talks",
    "a frozen conflict is not a good outcome, but it may be better than years more of trench warfare and drone strikes",
    "peace researchers at {tank} have drafted a step-by-step roadmap that begins with the protection of energy infrastructure",
    "public opinion in several European countries is shifting towards support for negotiations, according to recent polling",
    "the language of 'victory' on both sides leaves negotiators little room to present compromise as anything other than betrayal",
    "a partial truce on strikes against power plants would save lives this winter and could be verified by independent monitors",
    "Moscow's maximalist demands and Western reluctance to discuss security architecture have combined to keep the table empty",
], quotes=[
    "Peace is not made between friends. It is made between enemies, or it is not made at all.",
    "Every week without talks costs hundreds of lives. That should be the starting point of every discussion.",
    "The prisoner exchanges prove that trust can be built in small steps. We need many more of them.",
    "Nobody will get everything they want. That is what a compromise is.",
    "We should stop asking who is winning and start asking how this ends.",
    "Mediators need patience, discretion and the trust of both sides. Loud statements destroy all three.",
    "History will not judge leaders by how long they fought, but by whether they were able to stop.",
    "The people living near the front line want one thing above all: for the shelling to stop.",
    "Neutral ground is shrinking everywhere. It needs to be defended as fiercely as any border.",
    "A bad peace is a terrible thing. An endless war is worse.",
], titles=[
    "The quiet channels: why back-room diplomacy matters more than summits",
    "After {city}: small steps are still steps",
    "A bad peace is terrible. An endless war is worse.",
    "What Helsinki 1975 can still teach a divided continent",
    "Why a partial truce on energy strikes deserves a chance",
    "Who speaks for the displaced at the negotiating table?",
    "Prisoner swaps show the road to trust runs through small deals",
    "Stop asking who is winning. Start asking how this ends.",
])

pool("peace", "escalation", "peace", claims=[
    "each side describes its own moves as defensive and its opponent's as provocative, which is precisely how escalation spirals begin",
    "the arms-control treaties that once limited the risk of miscalculation have almost all collapsed, leaving few guardrails in place",
    "careless talk of nuclear use, whether in Moscow television studios or Western opinion pages, normalises the unthinkable",
    "ever longer-range weapons raise the risk of an incident that neither side intends but both would struggle to contain",
    "military hotlines between Moscow and Western capitals are used less than at almost any point since the Cuban missile crisis, researchers say",
    "the arms industries on both sides have become a powerful constituency for continuing the war",
    "calls for 'victory' rarely specify what victory would look like or how many more lives it would cost",
    "researchers at {tank} estimate that the risk of accidental escalation is at its highest level in decades",
    "the language of red lines turns every new delivery into a test of credibility and leaves politicians little room to step back",
    "neither Russian doctrine nor Western ambiguity about strike restrictions offers much reassurance to people living near the front",
    "wars of this kind tend to end at the negotiating table, and the only question is how many people die first",
    "the money spent on a single air-defence battery could fund years of trauma care for thousands of displaced children",
    "restraint is often mocked as weakness, yet it was restraint that carried Europe through the most dangerous moments of the Cold War",
    "an incident at sea or in the air, caused by a tired pilot or a faulty radar, could set off a chain of events no one can control",
    "the decision by {country_w} to send {weapon} was announced with little public debate about where the next step might lead",
], quotes=[
    "We are sleepwalking along a cliff edge and congratulating ourselves on how steady our footing is.",
    "Every weapon is presented as the one that will bring peace closer. The list grows, and peace does not arrive.",
    "Red lines are a rhetorical device. The consequences of crossing them are not.",
    "Nobody should speak lightly of nuclear weapons. Not in Moscow, not in Washington, not in any newsroom.",
    "The absence of arms control is itself an escalation, even if no shot is fired.",
    "Deterrence without dialogue is just a slower road to the same catastrophe.",
    "The soldiers at the front did not choose this. The least we owe them is a serious search for an exit.",
], titles=[
    "Sleepwalking along the cliff edge",
    "Red lines, rhetoric and the return of nuclear fear",
    "Without arms control, every incident is a potential catastrophe",
    "The price of one missile battery, measured in trauma care",
    "Restraint is not weakness: what the Cold War can still teach us",
])

pool("peace", "humanitarian", "peace", claims=[
    "behind every statistic on displacement is a family forced to choose between safety and everything it owns",
    "the longer the war lasts, the more the humanitarian response depends on tired volunteers and shrinking budgets",
    "civilians on both sides of the front line suffer from shelling, power cuts and the collapse of basic services",
    "the conscription of ever older men and the shortage of workers are hollowing out communities far from the fighting",
    "deserters and conscientious objectors on both sides face harsh punishment, and their stories are rarely told",
    "landmines will kill and maim civilians for decades after the guns fall silent",
    "humanitarian pauses, however short, have allowed aid convoys to reach villages that had been cut off for weeks",
    "reconstruction is discussed at glittering conferences while shelters run short of blankets",
    "the psychological wounds of the war, from trauma to grief, will shape both societies for a generation",
    "aid workers are increasingly in danger, with several killed in drone strikes on clearly marked vehicles",
], quotes=[
    "Every day of war produces new refugees, new orphans and new reasons for revenge.",
    "Humanitarian law is not a luxury. It is the minimum we owe each other, even in war.",
    "We count the dead by the thousands, but each family counts only one.",
    "The first casualty of a long war is compassion. We must not let it die.",
    "Mines do not sign ceasefires.",
], titles=[
    "Behind every statistic, a family that lost everything",
    "Mines do not sign ceasefires",
    "The volunteers holding the humanitarian response together",
    "Compassion fatigue is the war's quiet casualty",
])

pool("peace", "expansion", "peace", claims=[
    "both the alliance and the Kremlin treat the map of Europe as a chessboard, and the people living on the squares are rarely consulted",
    "the enlargement debate has become a test of loyalty in which any question about long-term consequences is treated with suspicion",
    "a lasting settlement will eventually have to address the security concerns of all sides, including ones Western governments find uncomfortable",
    "Moscow's war has done more to enlarge the alliance than any NATO planner could have hoped, a tragic irony neither side likes to discuss",
    "neutrality, once a respected tradition in Europe, has all but disappeared from the vocabulary of policymakers",
    "new members gain guarantees, but the continent as a whole risks locking itself into a permanent confrontation with no exit",
    "historians remind us that the arguments over enlargement in the 1990s were far more nuanced than either side now admits",
    "a pan-European security conference, of the kind that produced the Helsinki Final Act, is long overdue",
    "enlargement and invasion have fed one another in a spiral, each side pointing to the other's moves as proof of hostile intent",
    "buffer zones, demilitarised corridors and confidence-building measures deserve more attention than the question of who joins which bloc",
], quotes=[
    "Security bought at the expense of a neighbour's insecurity tends not to last.",
    "Every enlargement has been presented as the final step. None of them has brought the peace that was promised.",
    "We need a conversation about the architecture of European security, not just about its membership list.",
    "The right to choose an alliance is real. So is the responsibility to consider what that choice sets in motion.",
    "Nobody wins an argument about maps. People lose their homes over them.",
], titles=[
    "Maps, blocs and the people living on the squares",
    "Enlargement and invasion: a spiral both sides refuse to see",
    "Whatever happened to neutrality?",
])

pool("peace", "infowar", "peace", claims=[
    "wartime propaganda is not a monopoly of one side; every government in this conflict shapes the story to suit its aims",
    "the shrinking space for dissenting voices, in Russia and increasingly in the West, makes honest debate about peace harder",
    "casualty figures are among the first casualties of war, with both sides inflating enemy losses and concealing their own",
    "labelling critics of military policy as 'useful idiots' or foreign agents poisons public discussion",
    "media bans may be understandable in wartime, but they set precedents that outlast the conflict",
    "independent journalists in Russia face prison for calling the war a war, while anti-war activists in Europe complain of being branded traitors",
    "dehumanising language about the other side, common online, makes eventual reconciliation far harder",
    "peace initiatives are routinely dismissed as enemy propaganda before anyone has read them",
], quotes=[
    "When every argument for negotiation is called propaganda, propaganda has already won.",
    "Truth is not served by bans alone. It is served by more journalism, not less.",
    "Both sides have their troll farms. Both sides have their true believers.",
    "We should be able to criticise the Kremlin and question our own governments in the same breath.",
], titles=[
    "When every call for peace is branded propaganda",
    "Truth needs more journalism, not only more bans",
    "Both sides have their troll farms",
])

# ---- Ledger & Pipeline: business and energy paper ---------------------------

pool("business", "energy", "business", claims=[
    "traders said the market remains highly sensitive to any disruption in Norwegian supply, which now carries much of the weight once borne by Russian pipelines",
    "industrial users in Germany and Italy warn that energy costs remain well above pre-war levels, eroding their competitiveness against American and Asian rivals",
    "the volatility has been a windfall for trading houses, while chemical producers have closed plants and shifted investment abroad",
    "LNG terminals built in record time since 2022 are running at high utilisation, giving Europe more flexibility but less margin for error",
    "analysts expect storage to end the winter lower than last year, which could tighten the market when refilling begins in spring",
    "the price gap between European and Asian gas has narrowed as cargoes compete for the same limited supply",
    "households are paying less than at the peak of the crisis, but bills remain a potent political issue",
    "utilities are hedging further ahead, locking in supply for two or three winters rather than one",
    "investment in renewables and heat pumps has accelerated, increasingly justified as an energy-security measure rather than a climate policy",
    "aluminium and fertiliser producers, among the most energy-intensive industries in the region, have been hit hardest",
    "mild weather in the second half of {month} eased fears of shortages and pushed front-month contracts to their lowest level in {weeks} weeks",
    "some buyers are quietly asking whether Russian gas could return after a ceasefire, a scenario most governments rule out in public",
    "long-term contracts signed with Gulf suppliers lock in volumes well into the 2040s, raising awkward questions about climate targets",
    "charter rates for LNG carriers have climbed as more cargoes head to Europe on longer routes",
    "grid operators are investing heavily in storage and interconnectors to manage swings in wind and solar output",
    "the energy shock has shifted the political debate, with nuclear power regaining support in several countries that had planned to phase it out",
    "Nordic and Baltic power prices diverged sharply as wind output dropped and cross-border cable capacity was limited",
    "investors are increasingly pricing in the cost of protecting critical infrastructure, from pipelines to offshore wind farms",
    "the spread between summer and winter contracts has flattened, reducing the incentive for traders to fill storage",
    "{tank} cut its forecast for European industrial output, citing energy costs as the main drag",
], quotes=[
    "Europe has solved its supply problem. It has not solved its price problem.",
    "We are one cold week away from a very different conversation about storage.",
    "Our clients are planning for structurally higher energy costs. The pre-war era is not coming back.",
    "The market has become less dependent on Russia and more dependent on the weather.",
    "If you run a glass factory in Europe, you are competing with one hand tied behind your back.",
    "Hedging has become a board-level issue. Five years ago it was handled by the treasury team.",
    "LNG gave Europe flexibility, but flexibility comes at a price.",
    "A ceasefire would not automatically bring Russian gas back. Too much has changed in contracts and politics.",
    "The risk premium has shrunk, but it has not disappeared.",
    "Infrastructure security is now part of every energy investment memo we write.",
], titles=[
    "Gas slips to {price} euros as mild weather eases storage fears",
    "European gas storage at {pct_store}% as winter draw accelerates",
    "Industrial users warn energy costs still eroding competitiveness",
    "LNG terminals run hot as Europe leans on seaborne supply",
    "Utilities hedge further ahead as volatility persists",
    "Power prices diverge across the Baltic as wind output drops",
    "Energy security reshapes the investment case for grids and storage",
    "Would a ceasefire bring Russian gas back? Traders doubt it",
    "Nuclear power regains favour as Europe counts the cost of the gas shock",
])

pool("business", "sanctions", "business", claims=[
    "the so-called shadow fleet of ageing tankers, often with opaque ownership and patchy insurance, continues to move large volumes of Russian crude",
    "sanctions lawyers report a surge in compliance work as companies scrutinise their supply chains for Russian components",
    "revenue from oil exports has fallen but not collapsed, as Asian buyers absorbed more barrels at a discount",
    "marine insurers are increasingly reluctant to cover vessels with any link to Russian trade, pushing owners towards less regulated providers",
    "European companies that stayed in Russia face growing legal and reputational risks, while those that left wrote off billions",
    "using frozen assets to fund Ukraine's reconstruction has divided finance ministers, some of whom warn of risks to the euro's role as a reserve currency",
    "Russian inflation remains stubbornly high, and labour shortages caused by mobilisation and emigration weigh on civilian industry",
    "enforcement agencies have opened cases against exporters suspected of routing machine tools and microchips through third countries",
    "the price cap works only as long as Western shipping and insurance services are needed, and the shadow fleet exists precisely to avoid them",
    "secondary sanctions on banks in third countries have made cross-border payments for Russian trade slower and more expensive",
    "economists at {tank} estimate that sanctions have shaved several percentage points off Russia's potential growth over the decade",
    "Moscow has redirected trade towards China, India and Turkey, but often at steep discounts and with higher logistics costs",
    "the costs for European firms are real: lost contracts, more paperwork and, in some sectors, higher input prices",
    "environmental groups warn that the shadow fleet's ageing tankers pose a serious spill risk in the Baltic and the Danish straits",
    "banks have become more cautious than the rules require, a phenomenon compliance officers call de-risking",
    "fiscal pressure is mounting in Moscow, where the budget deficit has widened as defence spending climbs",
    "the new listings include {n_vessels} tankers, several of which changed their flag twice in the past year",
], quotes=[
    "Sanctions are a marathon, not a sprint. The question is who tires first.",
    "The shadow fleet is the single biggest hole in the regime. Everybody in shipping knows it.",
    "Compliance costs have become a permanent line in our budget.",
    "The impact is real but slow. Economies adapt, and the Russian economy has adapted more than many expected.",
    "If you cannot insure it, you cannot finance it. That is where the pressure really bites.",
    "We keep seeing components from European factories turn up in places they never should.",
    "Using the frozen assets is legally possible but financially risky. That is the whole debate in one sentence.",
    "Markets hate uncertainty more than sanctions. Clear rules are better than frequent surprises.",
], titles=[
    "New sanctions package targets shadow fleet and third-country suppliers",
    "Shadow fleet remains 'biggest hole' in oil price cap",
    "Compliance costs mount as firms scour supply chains",
    "Frozen assets debate divides finance ministers",
    "Russian budget deficit widens as defence spending climbs",
    "Insurers retreat from Russia-linked cargoes",
    "{n_vessels} tankers added to EU list in {nth} package",
])

pool("business", "escalation", "business", claims=[
    "defence stocks rose sharply on the news, with European arms makers adding as much as {pct} percent in early trading",
    "investors fear that a wider escalation could disrupt shipping routes and send insurance premiums soaring",
    "markets have largely shrugged off nuclear rhetoric, treating it as noise unless it is accompanied by military movements",
    "the surge in orders has exposed bottlenecks in the supply of explosives, steel and specialised electronics",
    "governments are signing multi-year ammunition contracts to give manufacturers the confidence to expand capacity",
    "the rouble weakened against the dollar after the announcement, while gold edged higher",
    "manufacturers say new factories will take at least two years to reach full production",
    "analysts at {tank} warn that higher defence spending will squeeze other budget lines, from infrastructure to pensions",
], quotes=[
    "The market is pricing in a long conflict, not an imminent escalation. That could change quickly.",
    "Order books are full for years. The constraint is no longer demand, it is capacity.",
    "Every headline about red lines moves the gas price for about an hour. Then traders look at the storage numbers again.",
    "Defence has gone from an ethical exclusion to a core holding for many European funds.",
    "What worries clients most is a shock to shipping in the Baltic or the Black Sea.",
], titles=[
    "Defence stocks jump {pct}% on new aid package",
    "Ammunition makers struggle with explosives bottleneck",
    "Markets shrug off nuclear rhetoric but watch shipping risks",
    "Long-term contracts give arms makers confidence to expand",
])

pool("business", "domestic", "business", claims=[
    "bond markets have taken the borrowing plans in their stride, but rating agencies warn that debt ratios cannot rise indefinitely",
    "the finance minister faces a difficult trade-off between defence commitments and the deficit rules",
    "economists at {tank} say defence spending has a smaller growth multiplier than investment in infrastructure or education",
    "the government is considering a special fund outside the normal budget, a move critics call creative accounting",
    "defence companies are lobbying for exemptions from procurement rules to speed up contracts",
    "higher defence budgets have boosted order books for steelmakers and electronics suppliers across the region",
], quotes=[
    "Markets will finance rearmament, but they will want to see a credible plan for the rest of the budget.",
    "Every euro for tanks is a euro that is not going to bridges or broadband. That is simple arithmetic.",
    "The special fund is a sensible tool, as long as it does not become a habit.",
], titles=[
    "Bond markets take defence borrowing in their stride, for now",
    "Special defence fund criticised as 'creative accounting'",
    "Steel and electronics suppliers ride the rearmament wave",
])

pool("business", "diplomacy", "business", claims=[
    "markets rallied on reports of progress in {city}, with Ukrainian dollar bonds posting their biggest gains in months",
    "European gas prices fell {pct} percent as traders weighed the possibility of a ceasefire",
    "investors are already positioning for reconstruction contracts estimated at hundreds of billions of dollars",
    "shares in construction and building-materials companies rose on peace hopes, while defence stocks dipped",
    "economists caution that even a ceasefire would leave most sanctions in place for years",
    "insurers say war-risk premiums for Black Sea shipping would fall quickly if a maritime arrangement held",
], quotes=[
    "The market trades the headlines first and reads the small print later.",
    "Reconstruction will be the largest infrastructure project in Europe since the Second World War.",
    "Nobody is pricing in a full settlement. A partial truce would already move a lot of assets.",
], titles=[
    "Ukrainian bonds rally on reports of progress in {city}",
    "The reconstruction trade: investors position for post-war contracts",
    "Peace hopes lift builders and weigh on defence shares",
])

# ---- Clearsight Factcheck: fact-checking outlet -----------------------------

pool("factcheck", "infowar", "factcheck", claims=[
    "[video]the footage of {subject} shows tell-tale signs of AI generation, from warped hands and shifting shadows to garbled text in the background",
    "the story first appeared on a website registered {n_days} days earlier, which copied the layout and logo of a well-known regional newspaper",
    "the accounts that pushed the claim posted almost exclusively between 9 a.m. and 6 p.m. Moscow time, with clear breaks at weekends",
    "[image]a reverse image search shows the picture was first published in {year_old}, years before the events it claims to depict",
    "[doc]the quote attributed to the minister does not appear in any transcript, press release or video recording of the event",
    "many of the amplifying accounts were created in batches on the same day and use profile pictures generated by AI",
    "the claim was amplified by a cluster of accounts that had posted cryptocurrency spam before switching to geopolitical content",
    "!we contacted the organisation cited in the post, which said it had never published such a report",
    "[doc]the document's metadata shows it was created with a template that the ministry it supposedly comes from does not use",
    "the figure circulating online is roughly ten times higher than the number recorded in official statistics",
    "after we flagged the posts, {platform} added context notes to {n_posts_small} of them, though several remain visible without labels",
    "the same text was posted word for word by hundreds of accounts within a few minutes, a hallmark of automated coordination",
    "[video]the 'eyewitness' in the video is an actor who has appeared in at least three other fabricated clips",
    "the post mixes a real event with invented details, a technique that makes the whole story harder to dismiss",
    "Russian-language channels and Western-facing accounts pushed different versions of the same story, each tailored to its audience",
    "misleading claims are not only pro-Kremlin: our review also found exaggerated reports of Russian losses shared by pro-Ukrainian accounts",
    "the account that first posted the material had changed its name six times in the past year, once impersonating a news agency",
    "[image]shadows in the image indicate it was taken in the afternoon, not at dawn as the caption claims",
    "[video]three independent detection tools flagged the audio as likely synthetic, and the speaker's voice drops out mid-word twice",
    "several of the 'news sites' share the same hosting provider, analytics code and contact email address",
    "[video]the English subtitles on the clip do not match what the speaker actually says in Ukrainian",
    "most likes and shares came from other accounts in the same cluster rather than from genuine users",
    "[visual]the uniforms in the pictures carry insignia that the army in question stopped using several years ago",
    "[video]the clip has been cropped to remove a watermark that identifies it as a scene from a television drama",
    "[visual]the street in the pictures has been matched to a town in a different country, using shop signs and a church tower",
    "[doc]the letterhead uses a logo that the institution replaced two years ago and contains several spelling mistakes",
    "[video]the original video is {n_days} seconds longer, and the missing part shows the scene is a training exercise",
    "a network of {n_accounts} accounts shared the post in the first hour, far faster than organic sharing usually spreads",
    "[doc]the reference number on the letter follows a format the ministry abandoned years ago, and the signature is copied from a public speech",
    "[doc]the document uses phrases that are unusual in the official language of the country concerned but common in machine translation",
    "[doc]the address and telephone number in the footer belong to a building the institution left in 2021",
    "[image]the photograph has been mirrored and cropped, but details such as a road sign and a pylon match a picture taken years earlier",
    "[image]the weather in the picture does not match the date: meteorological records show no snow in the area that week",
], quotes=[
    "The production quality is getting better, but the distribution pattern still gives them away.",
    "Look at who shares it first, and how fast. That usually tells you more than the content itself.",
    "Deepfakes are rarely perfect. Hands, teeth, reflections and background text are where they break.",
    "We rate claims, not people. The same standard applies whichever side is spreading them.",
    "Most disinformation is not sophisticated. It is just relentless.",
    "A fake does not need to be believed to succeed. It only needs to make people unsure what is real.",
    "If a website was created last week and already has breaking news from a war zone, that is a red flag.",
    "Being transparent about our methods is the only way to earn trust in a polarised environment.",
    "The same narrative was tested in four languages before it reached a large audience.",
    "By the time a correction arrives, the original post has often done its damage.",
], titles=[
    "[video]Fact check: video of {subject_short} is an AI-generated fake",
    "Fact check: no evidence for {subject_short}",
    "How we traced the network behind {subject_short}",
    "No, this newspaper did not publish that story: the cloned site behind {subject_short}",
    "[image]Fact check: photo of {subject_short} is years old",
    "[video]Deepfake or real? What the detection tools say about {subject_short}",
    "Inside the bot cluster that pushed {subject_short}",
    "[image]Fact check: the pictures of {subject_short} were staged",
    "[video]Fact check: the video of {subject_short} was staged",
    "[doc]Fact check: {subject_short} fails basic document checks",
    "[image]Old pictures, new war: the truth about {subject_short}",
    "[doc]Who wrote it? Tracing the origins of {subject_short}",
])

pool("factcheck", "escalation", "factcheck", claims=[
    "a widely shared video said to show a {system} missile hitting a Russian city was in fact filmed during a military exercise in {year_old}",
    "the claim that Western troops are operating the systems inside Ukraine relies on a single anonymous post and has not been substantiated",
    "a chart circulating on {platform} exaggerates the range of the new missiles by more than double",
    "the quote attributed to an allied general about 'preparing for nuclear war' does not appear in the transcript of his remarks",
    "a screenshot said to show an order to move nuclear warheads contains formatting errors and a unit number that does not exist",
    "the defence ministry's figures are accurate, but the statement omits that most of the equipment is refurbished rather than new",
    "!our review found that the phrase 'direct participation' has been used by Russian officials about almost every major delivery since 2022",
    "geolocation shows the footage of a missile launcher was recorded more than 300 kilometres from where the posts claimed",
], quotes=[
    "Fear travels faster than verification, and nuclear scares are the fastest of all.",
    "The video is real. The caption is invented. That is the most common pattern we see.",
    "We could find no official source for this claim, and the ministry it cites has denied it.",
    "Claims about nuclear deployments deserve extra scrutiny, precisely because the stakes are so high.",
], titles=[
    "Fact check: no, that video does not show a {system} strike",
    "Claim that Western troops operate missiles in Ukraine is unsubstantiated",
    "Viral chart exaggerates range of new missiles",
    "Fact check: the 'nuclear order' screenshot is fake",
])

pool("factcheck", "humanitarian", "factcheck", claims=[
    "the viral claim that refugees receive {n_eur} euros a month, more than many pensions, is false; the actual allowance is a fraction of that",
    "a photo of 'refugees rioting' in a European city actually shows football supporters after a match in {year_old}",
    "the supposed government memo about forcing families to house refugees is a fabrication, and the ministry has no such plan",
    "a separate video of a refugee insulting a shopkeeper was staged, and the 'refugee' is an actor who has appeared in earlier fakes",
    "claims that refugees are behind a crime wave in {host_city} are not supported by police statistics",
    "the story about refugees receiving luxury cars began as a satirical post that lost its context as it spread",
    "an image said to show an aid convoy diverted to the black market was taken at an unrelated customs checkpoint years earlier",
    "the post confuses a one-off payment for new arrivals with a monthly allowance",
], quotes=[
    "Refugee stories are a favourite target because they tap into real anxieties about housing and money.",
    "These fakes follow a template: a shocking image, an angry caption and no source.",
    "We traced the image back to a news agency archive from several years ago.",
], titles=[
    "Fact check: refugee payment claim wildly inflated",
    "'Refugee riot' photo actually shows football crowd",
    "Fabricated memo on forced housing of refugees debunked",
    "No, refugees in {host_city} are not behind a crime wave",
])

pool("factcheck", "battlefield", "factcheck", claims=[
    "geolocation confirms the footage was filmed near {place}, but the date is uncertain and may predate the current offensive",
    "the claimed capture of {place2} is not supported by available satellite imagery, which still shows the village contested",
    "a video said to show a destroyed Western tank actually comes from a video game, with telltale rendering artefacts",
    "the casualty figures in the viral post come from an anonymous channel and are several times higher than any independent estimate",
    "both armies' official claims about enemy losses should be treated with caution, as neither allows independent verification",
    "the drone video has been edited to remove the part where the target survives",
    "shadows and vegetation indicate the clip was filmed in summer, not in this week's snow",
], quotes=[
    "War footage is the hardest to verify and the easiest to repurpose.",
    "We geolocated the clip to within a few hundred metres, but we cannot confirm who fired first.",
    "Official casualty claims from both armies should be treated as claims until they are verified.",
], titles=[
    "Fact check: claimed capture of {place2} not supported by imagery",
    "Video-game footage passed off as destroyed Western tank",
    "Geolocating the {place} drone video: what we can and cannot confirm",
])

# ---- Northwind Courier: regional Nordic/Baltic paper ------------------------

pool("nordic", "expansion", "nordic_off", claims=[
    "since accession, the practical work of fitting into the alliance's command structure has turned out to be far from finished",
    "the new forward land forces in the north will be built around a brigade-sized formation, with allied units rotating through {town}",
    "in {town}, residents say the biggest change is not soldiers on the streets but new roads, radar masts and training grounds",
    "Nordic planners now draw up defence plans that treat Finland, Sweden, Norway and Denmark as a single area of operations",
    "officials in {capital} stress that membership changed the guarantees, not the country's long tradition of total defence",
    "the accession debate divided few households here; the invasion of Ukraine made the decision for most people almost overnight",
    "the municipality is preparing to host allied troops for winter exercises, which local businesses hope will bring steady income",
    "Gotland, once described as an unsinkable aircraft carrier, has become central to plans for reinforcing the Baltic states",
    "Finnish conscripts now train alongside allied units, learning the alliance's procedures while teaching their guests how to survive in deep snow",
    "local councillors have asked who will pay for upgrading roads and bridges so they can carry heavy allied equipment",
    "membership brought obligations too, from taking part in Baltic air policing to sending officers to alliance headquarters",
    "defence contractors have opened offices in towns that had been losing jobs and young people for years",
    "reindeer herders in the far north fear that new training areas will cut across grazing land and migration routes",
    "Nordic and Baltic defence ministers meeting in {capital} agreed to pool the procurement of air-defence systems and artillery ammunition",
    "the Baltic states, which joined two decades ago, have offered their northern neighbours advice on hosting allied battlegroups",
    "integration has been smoother than many expected, helped by decades of joint exercises before membership became a realistic prospect",
    "the prospect of a permanent allied presence near the border has divided opinion in {town}, where many families have relatives on the other side",
    "the government has promised a review of civil defence shelters, many of which date from the Cold War",
    "an allied logistics hub planned near {port} would store fuel, ammunition and spare parts for forces deployed in the north",
    "the first allied rotation near {town} is expected to include several hundred soldiers, along with engineers and medical staff",
], quotes=[
    "We were never neutral in values. Now we are also not alone in defence.",
    "@nordic_local|People here are practical. They want to know where the new barracks will be and whether the school will get more pupils.",
    "Joining was the easy part. Building the plans, the logistics and the trust takes years.",
    "Our conscripts know this terrain better than anyone. That is what we bring to the alliance.",
    "@nordic_local|My grandfather fought in the war. He would not have believed that Finnish and American soldiers would one day train together in our forest.",
    "The border has not moved. What has changed is who stands behind us.",
    "We expect allied rotations to become as routine as the snow ploughs in November.",
    "Membership is insurance. You hope you never need it, but you do not cancel it.",
    "@nordic_local|The new road is good. I just hope they remember the herders when they draw the maps.",
], titles=[
    "Waiting for the new neighbours: {town} prepares for allied troops",
    "Allied troops to train near {town} through the winter",
    "Nordic ministers agree joint air-defence purchase in {capital}",
    "Who pays for the roads? Councillors question cost of allied presence",
    "'Joining was the easy part': integration work far from finished",
    "Reindeer herders fear loss of grazing land to new training areas",
    "Conscripts teach allies to survive in deep snow",
    "Gotland's role grows in Baltic reinforcement plans",
    "Logistics hub near {port} to anchor allied forces in the north",
    "Shelters from the Cold War face review as {town} adapts to membership",
])

pool("nordic", "border", "nordic_border", claims=[
    "for the shopkeepers of {town}, the closed crossing means an empty car park where Russian tourists once queued on Saturday mornings",
    "the government says Moscow deliberately steered migrants towards the border to test Finnish resolve, a tactic officials call instrumentalised migration",
    "patrols now cover stretches of forest that were once visited only by hunters and berry-pickers",
    "residents of border villages have been given new instructions on what to do if they notice drones or unusual activity",
    "a new generation of sensors lets the border guard detect movement kilometres away, even in darkness and heavy snow",
    "the closure has split families whose relatives live on the Russian side, some of whom have not met in years",
    "the border guard plans to recruit {n_recruits} new officers, many of them to staff surveillance centres in the east",
    "human rights groups have criticised the emergency law that allows asylum applications to be refused at the border",
    "airspace incursions by drones and helicopters have become more frequent, according to the defence forces",
    "the municipality has lost much of its tourism income since the crossing closed, and young people continue to move south",
    "Estonia and Latvia are building a chain of bunkers along their eastern borders as part of a joint Baltic defence line",
    "fishermen in the eastern Gulf of Finland report growing interference with their navigation equipment",
    "the border guard has begun trials with autonomous ground robots that patrol the fence line at night",
    "the fence is intended less as a physical barrier than as a way to channel movement towards monitored points",
    "despite the tension, cross-border incidents have remained rare, and officials describe the situation as calm but serious",
    "local reservists train every winter on skis in the same forests where their grandparents fought in 1940",
    "the regional council has asked the government to compensate businesses hit by the closure",
    "intelligence officials say Russia is expanding military infrastructure on its side of the border, including new barracks and depots",
], quotes=[
    "@nordic_local|We used to drive over for cheap petrol and an evening at the theatre in Vyborg. That world is gone.",
    "The border is quiet. But quiet is not the same as peaceful.",
    "Every migrant who arrived that winter had been driven to the crossing in a car with Russian plates. That was no coincidence.",
    "@nordic_local|We see the drones more often now, mostly at night. Nobody tells us whose they are.",
    "@nordic_local|My sister lives forty kilometres away, but it might as well be another continent.",
    "We built the fence to buy time and information, not to stop an army.",
    "Our job is to see everything and react calmly. Panic would be a victory for the other side.",
    "@nordic_local|The shop has lost half its customers. I do not blame the government, but someone has to help us.",
    "@nordic_local|You learn to read the forest here. Every track in the snow tells a story.",
    "We are the first line, and we know it. That is simply geography.",
], titles=[
    "Empty car parks and split families: life by the closed {town} crossing",
    "Border guard to recruit {n_recruits} officers for eastern surveillance",
    "Drone sightings rise along the frontier, residents say",
    "Fence near {town} meant to 'buy time and information'",
    "Closure of eastern border extended by {n_months} months",
    "Baltic states build chain of bunkers on eastern border",
    "Robots join night patrols on the fence line near {town}",
])

pool("nordic", "escalation", "nordic_off", claims=[
    "the regional air command confirmed that allied fighter jets were scrambled {n_times} times this month to intercept Russian aircraft near Baltic airspace",
    "the Baltic states have begun placing anti-tank obstacles at key points along their eastern borders",
    "officials in {capital} say the new air-defence batteries are purely defensive and meant to protect critical infrastructure",
    "the navy has stepped up patrols around undersea cables after a series of incidents involving ships dragging their anchors",
    "residents near the firing ranges have been warned to expect noise as allied artillery units train through the winter",
    "reports of new Russian missile units in the Kaliningrad exclave have raised concern across the region",
    "civil defence agencies are updating the leaflets that tell households how to prepare for crises, including war",
    "the government plans to raise the upper age limit for reservists and expand voluntary training for women",
], quotes=[
    "We do not want escalation. We want to make sure nobody believes they could get away with something here.",
    "@nordic_local|The jets go up a few times a week now. People have stopped looking at the sky.",
    "A cable on the seabed is as important to us today as a bridge was in the last war.",
    "Preparedness is not panic. It is simply being sensible in a neighbourhood like ours.",
], titles=[
    "Allied jets scrambled {n_times} times this month",
    "Navy steps up patrols around subsea cables",
    "New missile units in Kaliningrad raise regional concern",
])

pool("nordic", "infowar", "nordic_off", claims=[
    "Russian-language channels popular in the border region have spread claims that allied troops will requisition homes and farmland",
    "the security police have warned of attempts to recruit young people online for small acts of sabotage, paid in cryptocurrency",
    "{town} was targeted by fake social media posts claiming its school would close to make way for a military base",
    "authorities in {capital} have launched a public campaign encouraging residents to check sources before sharing alarming stories",
    "officials have linked GPS jamming that affects flights and shipping in the Baltic to equipment in the Kaliningrad region",
    "a fake letter, supposedly from the defence ministry, told reservists in the region to report for duty within 48 hours",
], quotes=[
    "@nordic_local|People here are used to rumours crossing the border. Now they come through their phones instead.",
    "We debunked it within the hour, but some pensioners had already packed their bags.",
    "Trust is our most important defence. If people trust the authorities, panic does not spread.",
], titles=[
    "Fake letter told reservists to report for duty",
    "Rumours about requisitioned homes spread in {town}",
    "Security police warn of online recruitment for sabotage",
])

pool("nordic", "energy", "nordic_off", claims=[
    "the Baltic states disconnected from the Russian-controlled power grid in 2025 and now run in sync with the continental European network",
    "a damaged subsea power cable between {capital} and {capital2} has reduced transfer capacity while repairs continue",
    "the LNG terminal at {port} has become a lifeline for the region, supplying gas to three countries",
    "industry in the north benefits from cheap hydropower, but households in the south face higher bills when interconnectors are congested",
    "wind farm developers in the Baltic Sea have been asked to take account of military radar and surveillance needs",
    "the coast guard has increased patrols near offshore energy installations after several suspicious sightings",
], quotes=[
    "Energy is security now. There is no longer a separate conversation.",
    "@nordic_local|When a cable goes down, it is the electricity bill that tells you first.",
    "We finally cut the last wire to the old system. It felt like a second independence day.",
], titles=[
    "Damaged cable cuts power transfer between {capital} and {capital2}",
    "{port} LNG terminal becomes a regional lifeline",
    "Offshore wind developers asked to make room for military radar",
])

# --------------------------------------------------------------------------
# Web boilerplate that the ingest pipeline is expected to strip.
# --------------------------------------------------------------------------

CAPTIONS = {
    "expansion": ["Allied soldiers during a winter exercise", "Flags outside the alliance headquarters"],
    "escalation": ["A missile launcher during a military parade", "Soldiers unload ammunition crates",
                   "Soldiers at a checkpoint"],
    "infowar": ["A smartphone displaying a news feed", "Monitors in a television control room"],
    "energy": ["A gas compressor station", "An LNG tanker approaches a terminal"],
    "sanctions": ["An oil tanker at anchor", "Containers stacked at a port"],
    "diplomacy": ["Delegates arrive for talks", "Flags lined up in a conference hall"],
    "humanitarian": ["Volunteers unload aid at a reception centre", "Beds in a converted sports hall"],
    "battlefield": ["Soldiers at a checkpoint", "A damaged building near the front line"],
    "domestic": ["The parliament building", "Recruits during a training session"],
    "border": ["A border guard patrols the fence line", "A closed border crossing in the snow"],
}
AGENCIES = ["Fictional Photo Agency / J. Doe", "Fictional Photo Agency / A. Novak",
            "Northlight Images (fictional) / K. Virtanen", "Meridian Pictures (fictional) / I. Sokolov",
            "Fictional Wire Service / M. Rossi"]
N_BOILERPLATE = 16

# --------------------------------------------------------------------------
# Generator.
# --------------------------------------------------------------------------

TAG = re.compile(r"^\[(video|image|visual|doc)\]")
# Claims that already carry an attribution are never wrapped in another one.
ATTRIBUTED = re.compile(r"\b(say|says|said|according|warn|warns|insist|insists|told|argue|argues|"
                        r"reveal|reveals|estimate|estimates|report|reports|believe|believes|"
                        r"caution|note|stress|fear|fears|complain|describe|here|our|we)\b")
LEAD_NEUTRAL = {"state": 0.4, "public": 0.6, "tabloid": 0.2, "peace": 0.25, "business": 0.6,
                "factcheck": 0.5, "nordic": 0.5}
# Event-like topics are attributed to named people only, never to "experts".
NAMED_ONLY = {"battlefield", "humanitarian", "border"}


STOPWORDS = set("""about after again against also been before being between both could does
down during each fact check from further have here into more most much other over same says
said should some such than that their them then there these they this those through under until
very were what when where which while will with would your""".split())


def stems(text: str) -> set:
    """Crude word stems, used to open an article with a sentence that echoes its headline."""
    return {w[:6] for w in re.findall(r"[a-z][a-z'-]+", text.lower())
            if len(w) >= 4 and w not in STOPWORDS}


def strip_tag(text: str) -> str:
    return TAG.sub("", text)


def fits_medium(text: str, medium: str) -> bool:
    m = TAG.match(text)
    if not m:
        return True
    return m.group(1) == medium or (m.group(1) == "visual" and medium in ("video", "image"))


def words(text: str) -> int:
    return len(text.split())


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def slugify(title: str) -> str:
    import unicodedata
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    parts = re.sub(r"[^a-z0-9]+", " ", ascii_title.lower()).split()
    return "-".join(parts[:9])


class ArticleWriter:
    """Writes one article for one outlet on one topic."""

    def __init__(self, rng, outlet, topic, ctx, seen_paragraphs, topic_weights, usage):
        self.rng, self.outlet, self.topic, self.ctx = rng, outlet, topic, ctx
        self.voice = outlet["voice"]
        self.seen = seen_paragraphs
        self.usage = usage            # corpus-wide template use counts, to spread repeats
        self.topic_weights = topic_weights
        self.used: set = set()        # template keys used in this article
        self.mentioned: set = set()   # people already introduced
        self.cast: dict = {}          # roster -> people appearing in this article
        self.forced_quote_done = False
        self.last_speaker = self.last_form = None
        self.title = ""
        main = POOLS[(self.voice, topic)]
        ctx["lead_short"] = self.cast_for(main["people"])[0]["short"]

    # -- people ------------------------------------------------------------
    def cast_for(self, roster):
        if roster not in self.cast:
            self.cast[roster] = self.rng.sample(PEOPLE[roster], k=min(3, len(PEOPLE[roster])))
        return self.cast[roster]

    def ref(self, person, end=False):
        if person["name"] in self.mentioned:
            return person["short"]
        self.mentioned.add(person["name"])
        desc = person["desc"].format_map(self.ctx)
        if person["pre"]:
            return f"{desc} {person['name']}"
        return f"{person['name']}, {desc}" + ("" if end else ",")

    # -- sentences -----------------------------------------------------------
    def _pick(self, kind, topic, items, allow=lambda t: True, index=None):
        options = [(i, t) for i, t in enumerate(items)
                   if (kind, topic, i) not in self.used and allow(t) and index in (None, i)]
        if not options:
            return None
        voice = "" if kind == "n" else self.voice
        weights = [1.0 / (1 + self.usage[(voice, kind, topic, i)]) ** 2 for i, _ in options]
        i, t = self.rng.choices(options, weights)[0]
        self.used.add((kind, topic, i))
        self.usage[(voice, kind, topic, i)] += 1
        return t

    def _allow(self, topic):
        # Article-specific slots ({subject}) only make sense in the article's own topic.
        def allow(t):
            if topic != self.topic and "{subject}" in t:
                return False
            return fits_medium(t, self.ctx["medium"])
        return allow

    def neutral(self, topic, index=None):
        t = self._pick("n", topic, NEUTRAL[topic], self._allow(topic), index)
        return None if t is None else cap(strip_tag(t).format_map(self.ctx))

    def claim(self, topic, index=None):
        pool = POOLS[(self.voice, topic)]
        t = self._pick("c", topic, pool["claims"], self._allow(topic), index)
        if t is None:
            return None
        t = strip_tag(t)
        bare = t.startswith("!") or ATTRIBUTED.search(t)
        text = t.lstrip("!").format_map(self.ctx)
        if not bare and self.rng.random() < 0.33:
            named = (lambda f: "{P}" in f) if topic in NAMED_ONLY else (lambda f: True)
            frame = self._pick("f", "", FRAMES[self.voice], named)
            if frame is not None:
                if "{P}" in frame:
                    person = self.rng.choice(self.cast_for(pool["people"]))
                    frame = frame.replace("{P}", self.ref(person))
                text = frame.format_map(self.ctx) + text
        return cap(text.replace(",,", ",")) + "."

    def quote(self, topic, forced=False):
        pool = POOLS[(self.voice, topic)]
        allow = (lambda q: not q.startswith("@")) if forced else (lambda q: True)
        q = self._pick("q", topic, pool["quotes"], allow)
        if q is None:
            return None
        roster = pool["people"]
        if q.startswith("@"):
            roster, q = q[1:].split("|", 1)
        q = q.format_map(self.ctx)
        cast = self.cast_for(roster)
        if forced:
            person = cast[0]
        else:
            fresh = [p for p in cast if p["name"] != self.last_speaker] or cast
            person = self.rng.choice(fresh)
        self.last_speaker = person["name"]
        known = person["name"] in self.mentioned
        q_comma = q[:-1] + "," if q.endswith(".") else q
        lean = "put it bluntly" if self.voice in ("tabloid", "state") else "put it this way"
        forms = ["said_end", "colon", lean]
        if known or person["pre"]:
            forms += ["told", "said_mid"]
        if self.outlet["short"] and not known:
            forms.append("speaking")
        form = self.rng.choice([f for f in forms if f != self.last_form] or forms)
        self.last_form = form
        if form == "said_end":
            s = f'"{q_comma}" said {self.ref(person, end=True)}.'
        elif form == "said_mid":
            s = f'"{q_comma}" {self.ref(person)} said.'
        elif form == "told":
            s = f'"{q_comma}" {self.ref(person)} told {self.outlet["short"]}.'
        elif form == "colon":
            s = f'{self.ref(person)} said: "{q}"'
        elif form == "speaking":
            s = f'Speaking to {self.outlet["short"]}, {self.ref(person)} said: "{q}"'
        else:
            s = f'{self.ref(person)} {form}: "{q}"'
        return cap(s.replace(",,", ","))

    def echo_headline(self, topic):
        """The unused claim or fact sharing the most words with the headline, if any."""
        target = stems(self.title)
        allow = self._allow(topic)
        scored = []
        for kind, items in (("c", POOLS[(self.voice, topic)]["claims"]), ("n", NEUTRAL[topic])):
            for i, t in enumerate(items):
                if (kind, topic, i) in self.used or not allow(t):
                    continue
                text = strip_tag(t).lstrip("!").format_map(self.ctx)
                scored.append((len(target & stems(text)), kind, i))
        best = max((score for score, _, _ in scored), default=0)
        if best < 1:
            return None
        _, kind, i = self.rng.choice([x for x in scored if x[0] == best])
        return self.claim(topic, index=i) if kind == "c" else self.neutral(topic, index=i)

    # -- paragraphs ----------------------------------------------------------
    def paragraph(self, topic, role):
        for _ in range(60):
            snapshot = (set(self.used), set(self.mentioned), self.forced_quote_done)
            target = self.rng.randint(50, 100)
            sents: list[str] = []
            n_quotes = 0
            if role == "lead":
                if self.voice == "factcheck" and topic == "infowar":
                    leads = [t for t in FC_LEADS if fits_medium(t, self.ctx["medium"])]
                    sents.append(strip_tag(self.rng.choice(leads)).format_map(self.ctx))
                else:
                    first = self.echo_headline(topic)
                    if first is None and self.rng.random() < LEAD_NEUTRAL[self.voice]:
                        first = self.neutral(topic)
                    sents.append(first or self.claim(topic))
            stalls = 0
            while sum(map(words, sents)) < target and stalls < 6:
                if role == "quote" and n_quotes == 0 and sents:
                    forced = not self.forced_quote_done
                    s = self.quote(topic, forced=forced)
                    self.forced_quote_done = self.forced_quote_done or (s is not None and forced)
                    n_quotes += s is not None
                else:
                    r = self.rng.random()
                    if role != "lead" and n_quotes == 0 and r < 0.22:
                        s = self.quote(topic)
                        n_quotes += s is not None
                    elif r < 0.8:
                        s = self.claim(topic)
                    else:
                        s = self.neutral(topic)
                    if s is None:
                        s = self.claim(topic) or self.neutral(topic)
                if s is None:
                    stalls += 1
                    continue
                if sum(map(words, sents)) + words(s) > 118:
                    stalls += 1
                    continue
                sents.append(s)
            text = " ".join(sents)
            if (len(sents) >= 2 and 40 <= words(text) <= 120 and text not in self.seen
                    and (role != "quote" or n_quotes)):
                self.seen.add(text)
                return text
            self.used, self.mentioned, self.forced_quote_done = snapshot
        raise RuntimeError(f"could not write a paragraph for {self.voice}/{topic}")

    def write(self):
        rng = self.rng
        main = POOLS[(self.voice, self.topic)]
        supply = len(main["claims"]) + len(main["quotes"]) + len(NEUTRAL[self.topic])
        n_par = min(rng.choice([4, 5, 5, 6, 6, 7]), max(4, supply // 6))
        roles = ["lead", "quote"] + ["body"] * (n_par - 2)
        topics = [self.topic] * n_par
        others = [t for t in self.topic_weights if t != self.topic]
        small = len(main["claims"]) + len(main["quotes"]) < 14
        if others and (small or (n_par >= 5 and rng.random() < 0.35)):
            weights = [self.topic_weights[t] for t in others]
            topics[rng.randint(2, n_par - 2)] = rng.choices(others, weights)[0]
        paragraphs = [self.paragraph(t, r) for t, r in zip(topics, roles)]
        closer_p = 0.9 if self.voice == "factcheck" else 0.45
        if rng.random() < closer_p:
            closer = rng.choice(CLOSERS[self.voice]).format_map(self.ctx)
            if words(paragraphs[-1]) + words(closer) <= 120:
                paragraphs[-1] += " " + closer
        return paragraphs


def make_title(rng, voice, topic, ctx, used_titles):
    titles = [t for t in POOLS[(voice, topic)]["titles"] if fits_medium(t, ctx["medium"])]
    for _ in range(200):
        template = strip_tag(rng.choice(titles))
        title = template.format_map(ctx)
        if title not in used_titles:
            used_titles.add(title)
            return title
    raise RuntimeError(f"ran out of titles for {voice}/{topic}")


def add_boilerplate(rng, article, outlet, topic, other_titles):
    """Insert 1-3 pieces of web boilerplate as their own paragraphs or lines."""
    paras = article["paragraphs"]
    order = ["readmore", "photo", "share", "subscribe", "fullarticle"]
    kinds = sorted(rng.sample(order, k=rng.randint(1, 3)), key=order.index)
    for kind in kinds:
        if kind == "readmore":
            prefix = "READ MORE:" if outlet["voice"] == "tabloid" or rng.random() < 0.3 else "Read more:"
            line = f"{prefix} {rng.choice(other_titles)}"
            paras.insert(rng.randint(2, len(paras) - 1), line)
        elif kind == "photo":
            line = f"{rng.choice(CAPTIONS[topic])}. © {rng.choice(AGENCIES)}"
            if rng.random() < 0.5:
                paras.insert(1, line)                 # its own paragraph
            else:
                paras[0] = paras[0] + "\n" + line     # a line under the first paragraph
        elif kind == "share":
            if rng.random() < 0.5:
                paras.insert(0, "Share this article")
            else:
                paras.append("Share this article")
        elif kind == "subscribe":
            paras.append("Subscribe to our newsletter for daily updates.")
        else:
            paras.append(f"Read Full Article at {article['url']}")
    article["boilerplate"] = kinds


def published_string(rng, day: date, outlet) -> str:
    if rng.random() < 0.07:
        tz = "Z" if outlet["tz"] == "+00:00" else outlet["tz"]
        return f"{day.isoformat()}T{rng.randint(6, 22):02d}:{rng.choice([0, 15, 30, 45]):02d}:00{tz}"
    return day.isoformat()


def check_templates() -> None:
    """Render every template once so a typo in a slot name fails loudly."""
    rng = random.Random(0)
    ctx = make_ctx(rng, "state", START)
    ctx["lead_short"] = "Velin"
    texts = [t for pool_ in NEUTRAL.values() for t in pool_] + FC_LEADS + [
        s[0] for s in FC_SUBJECTS]
    for voice_topic, p in POOLS.items():
        assert p["people"] in PEOPLE, voice_topic
        texts += [c.lstrip("!") for c in p["claims"]] + p["titles"]
        for q in p["quotes"]:
            if q.startswith("@"):
                roster, q = q[1:].split("|", 1)
                assert roster in PEOPLE, (voice_topic, roster)
            texts.append(q)
    texts += [f.replace("{P}", "X") for fs in FRAMES.values() for f in fs]
    texts += [c for cs in CLOSERS.values() for c in cs]
    texts += [p["desc"] for ps in PEOPLE.values() for p in ps]
    for text in texts:
        strip_tag(text).format_map(ctx)
    for outlet in OUTLETS:
        assert sum(outlet["mix"].values()) == outlet["count"], outlet["name"]
        for topic in outlet["mix"]:
            assert (outlet["voice"], topic) in POOLS, (outlet["voice"], topic)


def generate() -> list[dict]:
    check_templates()
    rng = random.Random(SEED)
    span = (END - START).days
    seen_paragraphs: set = set()
    usage: Counter = Counter()
    used_titles: set = set()
    used_urls: set = set()
    articles = []
    for outlet in OUTLETS:
        topics = [t for t, n in outlet["mix"].items() for _ in range(n)]
        rng.shuffle(topics)
        days = sorted(START + timedelta(days=rng.randint(0, span)) for _ in topics)
        subjects = rng.sample(FC_SUBJECTS, len(FC_SUBJECTS))
        for topic, day in zip(topics, days):
            ctx = make_ctx(rng, outlet["voice"], day)
            if outlet["voice"] == "factcheck" and topic == "infowar":
                subject, short, medium = subjects.pop()
                ctx["subject"], ctx["subject_short"] = subject.format(**ctx), short.format(**ctx)
                ctx["medium"] = medium
            writer = ArticleWriter(rng, outlet, topic, ctx, seen_paragraphs, outlet["mix"], usage)
            title = writer.title = make_title(rng, outlet["voice"], topic, ctx, used_titles)
            paragraphs = writer.write()
            url = f"https://{outlet['domain']}/{day.year}/{day.month:02d}/{day.day:02d}/{slugify(title)}"
            while url in used_urls:
                url += "-2"
            used_urls.add(url)
            articles.append(dict(outlet=outlet["name"], outlet_cfg=outlet, topic=topic, day=day,
                                 published=published_string(rng, day, outlet), title=title,
                                 url=url, paragraphs=paragraphs, boilerplate=[]))
    # Make sure the corpus spans the whole two months.
    for article, day in ((articles[0], START), (articles[-1], END)):
        article["day"] = day
        article["published"] = day.isoformat()
        old = article["url"].split("/")
        article["url"] = "/".join(old[:3] + [f"{day.year}", f"{day.month:02d}", f"{day.day:02d}", old[-1]])
    for i in sorted(rng.sample(range(len(articles)), N_BOILERPLATE)):
        a = articles[i]
        # "Read more" links point to the outlet's earlier stories where there are any.
        same = [b for b in articles if b["outlet"] == a["outlet"] and b is not a]
        earlier = [b["title"] for b in same if b["day"] <= a["day"]]
        add_boilerplate(rng, a, a["outlet_cfg"], a["topic"], earlier or [b["title"] for b in same])
    articles.sort(key=lambda a: (a["day"], a["outlet"], a["title"]))
    return articles


def main() -> None:
    articles = generate()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(COLUMNS)
        for a in articles:
            writer.writerow([a["outlet"], a["published"], a["title"], a["url"],
                             "\n\n".join(a["paragraphs"])])
    counts: dict = {}
    for a in articles:
        counts[a["outlet"]] = counts.get(a["outlet"], 0) + 1
    print(f"wrote {len(articles)} fictional articles to {OUT}")
    for name, n in counts.items():
        print(f"  {n:3d}  {name}")


if __name__ == "__main__":
    main()
