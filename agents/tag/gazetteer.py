"""Hand-written names the small NER model often misses or mislabels in news.

Written from general knowledge (not from any evaluation data): countries with their demonyms,
major cities and regions, and well-known international organisations.
"""

from __future__ import annotations

# Country -> adjectival demonyms. The demonym table drives "Russian forces" -> Russia (LOC).
COUNTRY_DEMONYMS: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("Afghan",), "Albania": ("Albanian",), "Algeria": ("Algerian",),
    "Argentina": ("Argentine", "Argentinian"), "Armenia": ("Armenian",),
    "Australia": ("Australian",), "Austria": ("Austrian",), "Azerbaijan": ("Azerbaijani",),
    "Bahrain": ("Bahraini",), "Bangladesh": ("Bangladeshi",), "Belarus": ("Belarusian",),
    "Belgium": ("Belgian",), "Bolivia": ("Bolivian",), "Bosnia": ("Bosnian",),
    "Brazil": ("Brazilian",), "Bulgaria": ("Bulgarian",), "Cambodia": ("Cambodian",),
    "Cameroon": ("Cameroonian",), "Canada": ("Canadian",), "Chile": ("Chilean",),
    "China": ("Chinese",), "Colombia": ("Colombian",), "Croatia": ("Croatian",),
    "Cuba": ("Cuban",), "Cyprus": ("Cypriot",), "Czech Republic": ("Czech",),
    "Denmark": ("Danish",), "Ecuador": ("Ecuadorian",), "Egypt": ("Egyptian",),
    "England": ("English",), "Estonia": ("Estonian",), "Ethiopia": ("Ethiopian",),
    "Finland": ("Finnish",), "France": ("French",), "Georgia": ("Georgian",),
    "Germany": ("German",), "Ghana": ("Ghanaian",), "Greece": ("Greek",),
    "Hungary": ("Hungarian",), "Iceland": ("Icelandic",), "India": ("Indian",),
    "Indonesia": ("Indonesian",), "Iran": ("Iranian",), "Iraq": ("Iraqi",),
    "Ireland": ("Irish",), "Israel": ("Israeli",), "Italy": ("Italian",),
    "Jamaica": ("Jamaican",), "Japan": ("Japanese",), "Jordan": ("Jordanian",),
    "Kazakhstan": ("Kazakh",), "Kenya": ("Kenyan",), "Kosovo": ("Kosovan", "Kosovar"),
    "Kuwait": ("Kuwaiti",), "Latvia": ("Latvian",), "Lebanon": ("Lebanese",),
    "Libya": ("Libyan",), "Lithuania": ("Lithuanian",), "Malaysia": ("Malaysian",),
    "Mexico": ("Mexican",), "Moldova": ("Moldovan",), "Mongolia": ("Mongolian",),
    "Morocco": ("Moroccan",), "Myanmar": ("Burmese",), "Nepal": ("Nepalese", "Nepali"),
    "Netherlands": ("Dutch",), "New Zealand": ("New Zealander",), "Nigeria": ("Nigerian",),
    "North Korea": ("North Korean",), "Norway": ("Norwegian",), "Pakistan": ("Pakistani",),
    "Palestine": ("Palestinian",), "Peru": ("Peruvian",), "Philippines": ("Filipino",),
    "Poland": ("Polish",), "Portugal": ("Portuguese",), "Qatar": ("Qatari",),
    "Romania": ("Romanian",), "Russia": ("Russian",), "Rwanda": ("Rwandan",),
    "Saudi Arabia": ("Saudi",), "Scotland": ("Scottish",), "Serbia": ("Serbian", "Serb"),
    "Singapore": ("Singaporean",), "Slovakia": ("Slovak",), "Slovenia": ("Slovenian",),
    "Somalia": ("Somali",), "South Africa": ("South African",),
    "South Korea": ("South Korean",), "Spain": ("Spanish",), "Sri Lanka": ("Sri Lankan",),
    "Sudan": ("Sudanese",), "Sweden": ("Swedish",), "Switzerland": ("Swiss",),
    "Syria": ("Syrian",), "Taiwan": ("Taiwanese",), "Thailand": ("Thai",),
    "Tunisia": ("Tunisian",), "Turkey": ("Turkish",), "Uganda": ("Ugandan",),
    "Ukraine": ("Ukrainian",), "United Kingdom": ("British",),
    "United States": ("American",), "Uruguay": ("Uruguayan",), "Uzbekistan": ("Uzbek",),
    "Venezuela": ("Venezuelan",), "Vietnam": ("Vietnamese",), "Wales": ("Welsh",),
    "Yemen": ("Yemeni",), "Zambia": ("Zambian",), "Zimbabwe": ("Zimbabwean",),
}

DEMONYM_TO_PLACE: dict[str, str] = {
    demonym: country for country, demonyms in COUNTRY_DEMONYMS.items() for demonym in demonyms
}
DEMONYM_TO_PLACE.update({"European": "Europe", "African": "Africa", "Asian": "Asia"})

# Common short or alternative names that mean one of the places above.
PLACE_ALIASES: dict[str, str] = {
    "U.S.": "United States", "US": "United States", "USA": "United States",
    "U.S.A.": "United States", "America": "United States", "the United States": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "Holland": "Netherlands", "the Netherlands": "Netherlands",
    "Burma": "Myanmar", "Czechia": "Czech Republic", "the Philippines": "Philippines",
}

COUNTRIES: tuple[str, ...] = (
    *COUNTRY_DEMONYMS,
    "Andorra", "Angola", "Bahamas", "Barbados", "Belize", "Benin", "Bhutan", "Botswana",
    "Brunei", "Burkina Faso", "Burundi", "Chad", "Congo", "Costa Rica", "Djibouti",
    "Dominican Republic", "El Salvador", "Eritrea", "Fiji", "Gabon", "Gambia", "Guatemala",
    "Guinea", "Guyana", "Haiti", "Honduras", "Ivory Coast", "Kyrgyzstan", "Laos", "Lesotho",
    "Liberia", "Liechtenstein", "Luxembourg", "Madagascar", "Malawi", "Maldives", "Mali",
    "Malta", "Mauritania", "Mauritius", "Monaco", "Montenegro", "Mozambique", "Namibia",
    "Nicaragua", "Niger", "North Macedonia", "Macedonia", "Oman", "Panama",
    "Papua New Guinea", "Paraguay", "San Marino", "Senegal", "Sierra Leone", "Suriname",
    "Tajikistan", "Tanzania", "Togo", "Trinidad", "Tobago", "Turkmenistan",
    "United Arab Emirates", "Vatican", "Gaza", "West Bank", "Crimea", "Donbas", "Kashmir",
    "Tibet", "Chechnya", "Hong Kong", "Puerto Rico", "Greenland", "Northern Ireland",
)

CITIES_AND_REGIONS: tuple[str, ...] = (
    "London", "Paris", "Berlin", "Madrid", "Rome", "Lisbon", "Dublin", "Amsterdam", "Brussels",
    "Vienna", "Prague", "Warsaw", "Budapest", "Bucharest", "Sofia", "Athens", "Stockholm",
    "Oslo", "Copenhagen", "Helsinki", "Moscow", "Kyiv", "Kiev", "Kharkiv", "Odesa", "Odessa",
    "Minsk", "Tbilisi", "Ankara", "Istanbul", "Jerusalem", "Tel Aviv", "Beirut", "Damascus",
    "Baghdad", "Tehran", "Riyadh", "Dubai", "Doha", "Cairo", "Tripoli", "Tunis", "Algiers",
    "Rabat", "Nairobi", "Lagos", "Abuja", "Johannesburg", "Cape Town", "Pretoria",
    "Addis Ababa", "Khartoum", "Kabul", "Islamabad", "Karachi", "Lahore", "New Delhi", "Delhi",
    "Mumbai", "Bangalore", "Kolkata", "Dhaka", "Colombo", "Beijing", "Shanghai", "Hong Kong",
    "Taipei", "Tokyo", "Osaka", "Seoul", "Pyongyang", "Manila", "Jakarta", "Bangkok", "Hanoi",
    "Singapore", "Kuala Lumpur", "Sydney", "Melbourne", "Canberra", "Wellington", "Auckland",
    "Washington", "New York", "Los Angeles", "Chicago", "San Francisco", "Boston", "Houston",
    "Miami", "Seattle", "Toronto", "Montreal", "Ottawa", "Vancouver", "Mexico City",
    "Havana", "Caracas", "Bogota", "Lima", "Santiago", "Buenos Aires", "Brasilia",
    "Sao Paulo", "Rio de Janeiro", "Geneva", "Zurich", "Frankfurt", "Munich", "Hamburg",
    "Milan", "Barcelona", "Manchester", "Liverpool", "Birmingham", "Edinburgh", "Glasgow",
    "Cardiff", "Belfast", "Strasbourg", "The Hague", "Luxembourg", "Europe", "Asia", "Africa",
    "North America", "South America", "Latin America", "Middle East", "Antarctica",
    "Arctic", "Balkans", "Scandinavia", "Caribbean", "Mediterranean", "Pacific", "Atlantic",
    "Gulf", "Persian Gulf", "Black Sea", "Baltic", "Sahara", "Siberia", "California",
    "Texas", "Florida", "Kashmir", "Bavaria", "Catalonia", "Quebec", "Ontario",
    # Major ports and second cities, which the model often reads as surnames.
    "Rotterdam", "Antwerp", "Bremen", "Le Havre", "Marseille", "Genoa", "Naples",
    "Valencia", "Seville", "Bilbao", "Porto", "Gdansk", "Piraeus", "Thessaloniki",
    "Gothenburg", "Malmo", "Aarhus", "Bergen", "Trondheim", "Tallinn", "Riga", "Vilnius",
    "Krakow", "Wroclaw", "Lviv", "Dnipro", "Mykolaiv", "Kherson", "Mariupol", "Zaporizhzhia",
    "St Petersburg", "Vladivostok", "Novosibirsk", "Belgrade", "Zagreb", "Ljubljana",
    "Sarajevo", "Skopje", "Tirana", "Chisinau", "Bratislava", "Lyon", "Toulouse",
    "Bordeaux", "Turin", "Florence", "Venice", "Palermo", "Cologne", "Stuttgart",
    "Dusseldorf", "Leipzig", "Dresden", "Utrecht", "Eindhoven", "Basel",
    "Bern", "Lausanne", "Salzburg", "Innsbruck", "Leeds", "Sheffield", "Bristol",
    "Newcastle", "Aberdeen", "Southampton", "Cork", "Reykjavik", "Izmir", "Haifa", "Gaza City",
    "Mosul", "Basra", "Aleppo", "Homs", "Amman", "Jeddah", "Mecca", "Abu Dhabi", "Muscat",
    "Sanaa", "Aden", "Alexandria", "Casablanca", "Dakar", "Accra", "Kinshasa", "Luanda",
    "Kampala", "Kigali", "Dar es Salaam", "Mombasa", "Harare", "Lusaka", "Durban", "Mogadishu",
    "Chennai", "Hyderabad", "Ahmedabad", "Pune", "Kathmandu", "Yangon", "Phnom Penh",
    "Ho Chi Minh City", "Guangzhou", "Shenzhen", "Tianjin", "Wuhan", "Chengdu", "Chongqing",
    "Hangzhou", "Nanjing", "Xian", "Busan", "Incheon", "Kyoto", "Yokohama", "Nagoya",
    "Fukushima", "Hiroshima", "Surabaya", "Cebu", "Perth", "Brisbane", "Adelaide",
    "Christchurch", "Philadelphia", "Atlanta", "Detroit", "Dallas", "Denver", "Phoenix",
    "San Diego", "Las Vegas", "New Orleans", "Baltimore", "Pittsburgh", "Cleveland",
    "Minneapolis", "St Louis", "Calgary", "Edmonton", "Winnipeg", "Guadalajara", "Monterrey",
    "Tijuana", "Panama City", "San Juan", "Kingston", "Medellin", "Quito", "Guayaquil",
    "La Paz", "Montevideo", "Asuncion", "Valparaiso", "Recife", "Salvador", "Fortaleza",
    "Porto Alegre", "Belo Horizonte", "Manaus", "Rosario", "Cordoba", "Wall Street",
)

# International and very well-known organisations: name -> acronyms used for it.
ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "United Nations": ("UN", "U.N."), "European Union": ("EU", "E.U."),
    "North Atlantic Treaty Organization": ("NATO", "Nato"),
    "International Monetary Fund": ("IMF",), "World Bank": (),
    "World Health Organization": ("WHO",), "World Trade Organization": ("WTO",),
    "European Commission": (), "European Parliament": (), "European Central Bank": ("ECB",),
    "Federal Reserve": ("Fed",), "Bank of England": (), "Bank of Japan": (),
    "UN Security Council": (), "African Union": ("AU",), "Red Cross": ("ICRC",),
    "International Criminal Court": ("ICC",), "Organization of the Petroleum Exporting "
    "Countries": ("OPEC", "Opec"), "Group of Seven": ("G7",), "Group of 20": ("G20",),
    "Association of Southeast Asian Nations": ("ASEAN",), "Amnesty International": (),
    "Human Rights Watch": (), "FIFA": (), "UEFA": (),
    "International Olympic Committee": ("IOC",), "Reuters": (), "Associated Press": ("AP",),
    "Agence France-Presse": ("AFP",), "BBC": (), "CNN": (), "Hamas": (), "Hezbollah": (),
    "Taliban": (), "Microsoft": (), "Google": (), "Facebook": (), "Nvidia": (), "Samsung": (),
    "Toyota": (), "Volkswagen": (), "Boeing": (), "Airbus": (),
}
