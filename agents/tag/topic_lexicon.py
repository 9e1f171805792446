"""Hand-written seed lexicons for the IPTC Media Topics top-level categories.

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
    POLITICS: {
        3: """election elections vote voter voters ballot parliament parliamentary mp mps
            minister ministers prime_minister cabinet senate senator congress congressman
            legislation legislature lawmaker lawmakers opposition coalition referendum
            campaign campaigning manifesto chancellor president presidential governor
            democrat democrats republican republicans conservative conservatives tory tories
            labour_party liberal_democrats lib_dems party_leader polls polling downing_street
            white_house whitehall westminster commons lords diplomat diplomacy ambassador
            sanctions summit treaty bill_passed home_secretary foreign_secretary""",
        2: """government policy policies party parties politician politicians political
            politics leader leadership constitution constitutional reform mayor council
            councillor spokesman spokeswoman commission regulator state_department
            immigration asylum tax_cuts public_services candidate candidates seat seats
            majority debate debated proposals proposal plans plan bill bills act law_change
            ministry official officials secretary""",
        1: """public national state country nation minister_said announced backbench""",
    },
    ECONOMY: {
        3: """economy economic economist economists gdp inflation interest_rates recession
            growth_rate profit profits revenue revenues earnings shares share_price
            stock stocks stock_market shareholders investors investment investments market
            markets bank banks banking finance financial firm firms company companies
            corporate business businesses dividend bonds currency dollar euro sterling yen
            exchange_rate trade_deficit exports imports exporter tariff tariffs merger
            acquisition takeover bid ipo chief_executive ceo retail retailer retailers sales
            consumer consumers prices price oil_prices fuel debt deficit budget_deficit
            fiscal monetary central_bank federal_reserve imf world_bank""",
        2: """fund funds industry industrial manufacturing output
            customers brand brands quarter quarterly annual forecast forecasts analysts
            analyst deal deals contract contracts supply demand loan
            loans mortgage mortgages housing_market pension pensions insurance insurer
            airline airlines carmaker factory factories economies trading traded trade
            shareholder chairman executive executives commodity commodities tax taxes""",
        1: """rise rose fall fell cut cuts growth increase decline year_earlier figures
            billion million bn m""",
    },
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
    SPORT: {
        3: """football soccer cricket rugby tennis golf athletics olympic olympics olympian
            basketball baseball hockey boxing cycling marathon sprint sprinter swimmer
            swimming motor_racing formula_one grand_prix championship championships
            tournament league premiership premier_league cup_final world_cup match matches
            goal goals scored striker midfielder defender goalkeeper keeper coach manager
            squad team teammate teammates player players captain season fixture fixtures
            innings wicket wickets batsman bowler test_match semi-final semi-finals
            quarter-final quarter-finals final_round medal medals gold_medal race races
            racing champion champions title_race referee penalty penalties club clubs
            stadium win wins won victory defeat beat beaten draw drew unbeaten seed
            seeded grand_slam set_point match_point try tries scrum winger fly-half
            athlete athletes injury injured transfer signing signed_for half-time""",
        2: """game games play played playing points score scoring lead led win_over fans
            international internationals home_side away_side coach_said""",
        1: """first_half second_half round""",
    },
    SCIENCE: {
        3: """technology technologies software hardware computer computers internet online
            broadband digital website websites web browser browsers search_engine email
            e-mail spam virus viruses hacker hackers hacking cyber security_flaw mobile
            mobiles phone phones smartphone handset handsets gadget gadgets device devices
            chip chips processor semiconductor microsoft apple google intel ibm sony nintendo
            games_console console consoles video_games gaming gamers robot robots robotics
            ai artificial_intelligence algorithm data network networks wireless wi-fi
            bluetooth satellite scientist scientists research researchers science
            scientific laboratory experiment physics chemistry biology space nasa telescope
            astronomers planet engineer engineering download downloads downloading users
            file-sharing peer-to-peer pc pcs laptop laptops ipod mp3 digital_music
            blog blogs blogger bloggers tech innovation programme_code open_source linux
            windows operating_system""",
        2: """system systems service services launch launched technical tool tools screen
            camera cameras tv_on_demand content video high-definition firm_said electronics
            copyright patent patents""",
        1: """new_version users_can""",
    },
    ARTS: {
        3: """film films movie movies cinema box_office actor actors actress actresses
            director oscar oscars bafta award awards nominated nomination nominations
            festival album albums singer singers song songs band bands music musician
            musicians concert concerts tour chart charts single_release pop rock hip-hop
            rapper orchestra opera theatre play_written stage musical comedy comedian drama
            sitcom soap television tv_show tv_series series episode episodes channel
            broadcaster broadcast presenter celebrity celebrities star stars hollywood
            novel novels author authors book books literary poetry poet artist artists
            art exhibition gallery museum painting sculpture dance ballet fashion designer
            grammy grammys emmy box-office blockbuster sequel premiere studio studios
            screen_actors record_label soundtrack""",
        2: """audience audiences entertainment culture cultural newspaper magazine radio
            performance performed performer role roles creative writer""",
        1: """best story show shows media fans hit hits released release""",
    },
    HEALTH: {
        3: """health hospital hospitals doctor doctors nurse nurses patient patients disease
            diseases cancer virus_outbreak infection infections vaccine vaccines vaccination
            medicine medicines medical drug_trial treatment treatments surgery surgeon nhs
            epidemic pandemic obesity diabetes heart_disease mental_health clinic clinics
            symptoms diagnosis diagnosed therapy flu covid malaria hiv aids""",
        2: """care healthcare illness ill sick death_rate deaths study pharmaceutical
            drugs""",
        1: """risk""",
    },
    CRIME: {
        3: """police arrest arrested charged jury murder murdered crime crimes criminal
            convicted conviction sentenced prison jail jailed guilty fraud theft
            robbery stolen detective suspect suspects verdict convicted_of prosecuted
            smuggling bribery acquitted custody""",
        2: """court courts trial judge prosecutor prosecutors prosecution lawyer lawyers
            sentence law laws officers evidence ruling ruled charges illegal investigation
            investigators lawsuit sued supreme_court allegations alleged corruption""",
        1: """inquiry""",
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
    ENVIRONMENT: {
        3: """climate climate_change global_warming emissions carbon pollution polluted
            environment environmental renewable renewables solar wind_power conservation
            biodiversity species endangered deforestation recycling greenhouse fossil_fuels
            wildlife habitat ecosystem kyoto green_energy""",
        2: """energy nature forest forests ocean oceans sustainable waste""",
        1: """green""",
    },
    EDUCATION: {
        3: """school schools pupil pupils student students teacher teachers university
            universities college colleges education educational exam exams curriculum
            classroom tuition_fees graduates degree lecturer headteacher""",
        2: """learning teaching academic literacy""",
        1: """class""",
    },
    LIFESTYLE: {
        3: """travel tourism tourist tourists holiday holidays restaurant restaurants recipe
            recipes cooking chef food_and_drink wine fitness hobby hobbies gardening
            leisure shopping""",
        2: """food diet style home garden""",
        1: """weekend""",
    },
    LABOUR: {
        3: """strike strikes striking trade_union trade_unions union_members unions
            workforce unemployment jobless wages wage minimum_wage employment employees
            employer employers redundancies layoffs laid_off job_cuts workers labour_market
            pay_rise pay_dispute""",
        2: """jobs job staff worker working_hours pay""",
        1: """work""",
    },
    RELIGION: {
        3: """church churches religion religious pope vatican bishop bishops archbishop
            priest priests mosque mosques imam muslim muslims christian christians
            islam islamic jewish jews synagogue hindu buddhist faith clergy""",
        2: """worship prayer prayers god""",
        1: """belief""",
    },
    SOCIETY: {
        3: """immigrants immigration_policy poverty homeless homelessness welfare
            discrimination racism equality inequality gay_marriage same-sex community
            communities charity charities protest protests protesters demonstration
            demonstrators social families family""",
        2: """society children child youth elderly women_rights human_rights""",
        1: """people""",
    },
    HUMAN_INTEREST: {
        3: """birthday anniversary wedding celebrated_his celebrated_her oldest centenarian
            pet dog cat royal_baby romance""",
        2: """remarkable heartwarming quirky""",
        1: """life""",
    },
    WEATHER: {
        3: """weather forecasters forecaster rainfall snowfall snow heatwave temperatures
            temperature storm storms thunderstorms frost met_office meteorological
            sunshine showers""",
        2: """rain wind winds cold hot""",
        1: """degrees""",
    },
}
