"""The IPTC Media Topics top level, and hand-written seed lexicons for the topics that the
topic model's training data lacks (the model scores the others; see topics.py).

Weights: 3 = nearly decisive, 2 = indicative, 1 = weak. Entries are word stems as produced by
`topics.stem` (so "election", "elections" and "elected" can share an entry) or two-word phrases.
Written from general knowledge of news vocabulary; nothing here is learned from a corpus.
"""

from __future__ import annotations

POLITICS = "politics"
ECONOMY = "economy, business and finance"
CONFLICT = "conflict, war and peace"
SPORT = "sport"
SCIENCE = "science and technology"
ARTS = "arts, culture, entertainment and media"
HEALTH = "health"
CRIME = "crime, law and justice"
DISASTER = "disaster, accident and emergency incident"
ENVIRONMENT = "environment"
EDUCATION = "education"
LIFESTYLE = "lifestyle and leisure"
LABOUR = "labour"
RELIGION = "religion"
SOCIETY = "society"
HUMAN_INTEREST = "human interest"
WEATHER = "weather"

IPTC_TOPICS: tuple[str, ...] = (
    POLITICS, ECONOMY, CONFLICT, SPORT, SCIENCE, ARTS, HEALTH, CRIME, DISASTER, ENVIRONMENT,
    EDUCATION, LIFESTYLE, LABOUR, RELIGION, SOCIETY, HUMAN_INTEREST, WEATHER,
)

SEED_LEXICONS: dict[str, dict[int, str]] = {
    CONFLICT: {
        3: """war wars military troops soldier soldiers army armed_forces airstrike airstrikes
            missile missiles bombing bombings shelling offensive ceasefire truce invasion
            insurgent insurgents rebel rebels militia militants militant combat battlefield
            frontline front_line peace_talks peacekeepers peacekeeping warplanes drone_strike
            artillery tanks casualties hostages occupation annexation nato""",
        2: """attack attacks killed forces defence defense weapons weapon conflict fighting
            fighter fighters guerrilla guerrillas terrorist terrorism terror security_forces
            border clashes siege refugees displaced explosion bomb bombs""",
        1: """peace security threat threats""",
    },
    DISASTER: {
        3: """earthquake quake tsunami flood floods flooding hurricane typhoon cyclone
            tornado wildfire wildfires bushfire landslide avalanche eruption volcano
            crash crashed collision derailed derailment accident accidents disaster
            disasters emergency_services rescue rescuers survivors death_toll fire_brigade
            firefighters evacuated evacuation famine drought""",
        2: """emergency fire blaze explosion injured killed victims damage destroyed aid""",
        1: """relief""",
    },
    LABOUR: {
        3: """strike strikes striking trade_union trade_unions union_members unions
            workforce unemployment jobless wages wage minimum_wage employment employees
            employer employers redundancies layoffs laid_off job_cuts workers labour_market
            pay_rise pay_dispute""",
        2: """jobs job staff worker working_hours pay""",
        1: """work""",
    },
    WEATHER: {
        3: """weather forecasters forecaster rainfall snowfall snow heatwave temperatures
            temperature storm storms thunderstorms frost met_office meteorological
            sunshine showers""",
        2: """rain wind winds cold hot""",
        1: """degrees""",
    },
}
